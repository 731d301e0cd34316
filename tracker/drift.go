package tracker

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// FieldShare is how many of the pages of one kind read in a pass had one expected field:
// "ourcommons notices", "witnesses", found on 6 of 6.
type FieldShare struct {
	Page  string `json:"page"`
	Field string `json:"field"`
	Found int    `json:"found"`
	Of    int    `json:"of"`
}

// Share is Found/Of, 0 when nothing was read.
func (f FieldShare) Share() float64 {
	if f.Of == 0 {
		return 0
	}
	return float64(f.Found) / float64(f.Of)
}

// Coverage is what the store remembers of one field's share: the level it is compared with
// (the last share that was not a drop) and whether it has drifted. The last pass's own counts
// are in the status file (RunStatus.Fields), so that a pass whose counts vary but whose
// judgement does not writes nothing to the database.
type Coverage struct {
	Page       string `json:"page"`
	Field      string `json:"field"`
	LevelFound int    `json:"level_found"`
	LevelOf    int    `json:"level_of"`
	Drifted    bool   `json:"drifted,omitempty"`
	Episode    int    `json:"episode,omitempty"`
}

// Level is the recent share the field is compared with.
func (c Coverage) Level() float64 {
	if c.LevelOf == 0 {
		return 0
	}
	return float64(c.LevelFound) / float64(c.LevelOf)
}

// countChecks sums the field checks of a pass into shares, in a stable order.
func countChecks(checks []billwatch.FieldCheck) []FieldShare {
	idx := map[[2]string]int{}
	var out []FieldShare
	for _, c := range checks {
		k := [2]string{c.Page, c.Field}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, FieldShare{Page: c.Page, Field: c.Field})
		}
		out[i].Of++
		if c.Found {
			out[i].Found++
		}
	}
	slices.SortFunc(out, func(a, b FieldShare) int {
		if c := strings.Compare(a.Page, b.Page); c != 0 {
			return c
		}
		return strings.Compare(a.Field, b.Field)
	})
	return out
}

// A share has drifted when it falls to half its recent level or less, from a level where the
// field was found on at least half the pages; it has recovered when it is back to three
// quarters of that level. Shares of fewer than driftMinPages pages are too small to judge (one
// proposal that gives no comment period is that proposal's gap, not a redesign): they neither
// raise the alarm nor move the level.
const (
	driftDrop     = 0.5
	driftRecover  = 0.75
	driftMinPages = 2
)

// driftAlerts compares a pass's shares with the source's remembered levels within tx, stores
// what changed in h, and returns the source.unhealthy and source.recovered alerts of fields
// that stopped or started parsing again. A redesigned page shows here on its first pass: its
// fields stop being found while the page still loads.
func (t *Tracker) driftAlerts(h *Health, source string, shares []FieldShare) []billwatch.Alert {
	var alerts []billwatch.Alert
	for _, s := range shares {
		if s.Of == 0 {
			continue
		}
		key := s.Page + " " + s.Field
		if h.Coverage == nil {
			h.Coverage = map[string]Coverage{}
		}
		c, had := h.Coverage[key]
		c.Page, c.Field = s.Page, s.Field
		noun := s.Page
		if i := strings.LastIndexByte(noun, ' '); i >= 0 {
			noun = noun[i+1:]
		}
		what := fmt.Sprintf("%s: %s found on %d of %d %s, was %d of %d", s.Page, s.Field, s.Found, s.Of, noun, c.LevelFound, c.LevelOf)
		switch {
		case s.Of < driftMinPages && !(c.Drifted && s.Share() >= c.Level()*driftRecover):
			// Too few pages to judge; a drifted field may still recover on them.
		case !had || c.LevelOf < driftMinPages:
			c.LevelFound, c.LevelOf = s.Found, s.Of
		case !c.Drifted && c.Level() >= 0.5 && s.Share() <= c.Level()*driftDrop:
			c.Drifted = true
			c.Episode++
			alerts = append(alerts, t.newAlert(billwatch.Alert{
				Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops,
				Subject: "source " + source, Title: source + ": a page no longer reads as before",
				Why:    what,
				Text:   fmt.Sprintf("%s. The page still loads but its %s are no longer found: the site has probably changed its layout. Until the parser is fixed, what those pages say goes unnoticed.", what, s.Field),
				Thread: "source " + source,
			}, fmt.Sprintf("drift %s %d unhealthy", key, c.Episode)))
		case c.Drifted && s.Share() >= c.Level()*driftRecover:
			c.Drifted = false
			alerts = append(alerts, t.newAlert(billwatch.Alert{
				Kind: billwatch.KindSourceRecovered, Severity: billwatch.Info, Audience: billwatch.Ops,
				Subject: "source " + source, Title: source + ": the page reads again",
				Why:    what,
				Text:   fmt.Sprintf("%s: %s found on %d of %d %s again.", source, s.Field, s.Found, s.Of, noun),
				Thread: "source " + source,
			}, fmt.Sprintf("drift %s %d recovered", key, c.Episode)))
			c.LevelFound, c.LevelOf = s.Found, s.Of
		case !c.Drifted:
			c.LevelFound, c.LevelOf = s.Found, s.Of
		}
		h.Coverage[key] = c
	}
	return alerts
}

// storeDrift applies a pass's shares to the source's stored health within tx.
func (t *Tracker) storeDrift(tx *bolt.Tx, source string, shares []FieldShare) ([]billwatch.Alert, bool, error) {
	if len(shares) == 0 {
		return nil, false, nil
	}
	b := tx.Bucket(bktHealth)
	var h Health
	if _, err := getJSON(b, []byte(source), &h); err != nil {
		return nil, false, err
	}
	before, _ := jsonBytes(h)
	alerts := t.driftAlerts(&h, source, shares)
	after, _ := jsonBytes(h)
	if string(before) == string(after) {
		return alerts, false, nil
	}
	return alerts, true, putJSON(b, []byte(source), h)
}
