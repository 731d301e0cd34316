package tracker

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// SourceStatus is one source's state as `status --json` and the web's status page give it:
// its health, its last runs and, per kind of page, how much of what is expected was found.
type SourceStatus struct {
	Source      string    `json:"source"`
	Healthy     bool      `json:"healthy"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	AgeSeconds  *int64    `json:"age_seconds"`
	Failures    int       `json:"consecutive_failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastRun     time.Time `json:"last_run,omitzero"`
	LastOutcome string    `json:"last_outcome,omitempty"`
	NextRun     time.Time `json:"next_run,omitzero"`
	// Fields is, per kind of page and expected field, the share found in the last pass and
	// the recent level it is compared with.
	Fields []FieldStatus `json:"fields,omitempty"`
	// Warning says what needs the operator though the source reads well: the session followed
	// is over.
	Warning string `json:"warning,omitempty"`
}

// FieldStatus is one expected field of one kind of page: found on Found of Of pages in the
// last pass, against a recent level of LevelFound of LevelOf.
type FieldStatus struct {
	Page       string  `json:"page"`
	Field      string  `json:"field"`
	Found      int     `json:"found"`
	Of         int     `json:"of"`
	Share      float64 `json:"share"`
	LevelFound int     `json:"level_found"`
	LevelOf    int     `json:"level_of"`
	Drifted    bool    `json:"drifted"`
}

// Statuses builds one SourceStatus per source named, in that order, from the stored health
// and run statuses. A source whose pages drifted is not healthy.
func Statuses(sources []string, health map[string]Health, runs map[string]RunStatus, now time.Time) []SourceStatus {
	rows := make([]SourceStatus, 0, len(sources))
	for _, src := range sources {
		h, r := health[src], runs[src]
		x := SourceStatus{Source: src, Healthy: !h.Unhealthy, LastSuccess: r.LastSuccess, Failures: h.Failures,
			LastError: cmp.Or(h.LastError, r.LastError), LastRun: r.LastRun, LastOutcome: r.LastOutcome, NextRun: r.NextRun}
		if r.SessionOver {
			x.Warning = SessionOverWarning(r.Session)
		}
		if !r.LastSuccess.IsZero() {
			age := int64(now.Sub(r.LastSuccess).Seconds())
			x.AgeSeconds = &age
		}
		for _, f := range r.Fields {
			c := h.Coverage[f.Page+" "+f.Field]
			x.Fields = append(x.Fields, FieldStatus{Page: f.Page, Field: f.Field, Found: f.Found, Of: f.Of,
				Share: math.Round(f.Share()*1000) / 1000, LevelFound: c.LevelFound, LevelOf: c.LevelOf, Drifted: c.Drifted})
		}
		slices.SortFunc(x.Fields, func(a, b FieldStatus) int { return cmp.Compare(a.Page+" "+a.Field, b.Page+" "+b.Field) })
		for _, c := range h.Coverage {
			x.Healthy = x.Healthy && !c.Drifted
		}
		rows = append(rows, x)
	}
	return rows
}
