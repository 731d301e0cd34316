package tracker

import (
	"time"

	"github.com/billwatch/billwatch"
)

// The JSON shapes of the read commands (`bills --json`, `show --json`, `hearings --json`,
// `regulations --json`). The command line and the web's pages as JSON both build them here,
// so that a script reads the same document from either.

// ListedBill is a bill as `bills --json` lists it: without its stages, meetings, votes and
// references, and with reasons never null.
func ListedBill(b billwatch.Bill) billwatch.Bill {
	b.Stages, b.Meetings, b.Votes, b.References = nil, nil, nil, nil
	if b.Reasons == nil {
		b.Reasons = []string{}
	}
	return b
}

// VersionJSON is one stored text version as `show --json` lists it; Index, from 1, is what
// `diff --from` and `--to` accept.
type VersionJSON struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Fetched bool   `json:"fetched"`
	URL     string `json:"url,omitempty"`
	Gap     string `json:"gap,omitempty"`
	// Page is the publication's page for people, from the scraper (not in the JSON).
	Page string `json:"-"`
}

// VersionsJSON lists the bill's text versions as `show --json` does; never nil.
func (b *StoredBill) VersionsJSON() []VersionJSON {
	out := make([]VersionJSON, 0, len(b.Versions))
	for i, v := range b.Versions {
		out = append(out, VersionJSON{Index: i + 1, ID: v.ID, Type: v.Type, Name: v.Name, Fetched: v.Fetched, URL: v.URL, Gap: v.Gap, Page: v.Page})
	}
	return out
}

// HearingJSON is a meeting as `hearings --json` lists it: end is null when it is not
// published, and the lists are never null.
type HearingJSON struct {
	billwatch.Hearing
	End      *time.Time `json:"end"`
	Relevant bool       `json:"relevant"`
	Reasons  []string   `json:"reasons"`
}

// JSON is the meeting as `hearings --json` lists it.
func (h StoredHearing) JSON() HearingJSON {
	x := HearingJSON{Hearing: h.Hearing, Relevant: h.Relevant, Reasons: h.Reasons}
	if !h.End.IsZero() {
		end := h.End
		x.End = &end
	}
	if x.Studies == nil {
		x.Studies = []string{}
	}
	if x.Bills == nil {
		x.Bills = []string{}
	}
	if x.Reasons == nil {
		x.Reasons = []string{}
	}
	return x
}

// RegulationJSON is a Gazette item as `regulations --json` lists it: comment_deadline is
// null, not absent, when there is none.
type RegulationJSON struct {
	billwatch.Regulation
	CommentDeadline *string `json:"comment_deadline"`
}

// RegulationView is the item as `regulations --json` lists it.
func RegulationView(r billwatch.Regulation) RegulationJSON {
	if r.Reasons == nil {
		r.Reasons = []string{}
	}
	x := RegulationJSON{Regulation: r}
	if r.CommentDeadline != "" {
		d := r.CommentDeadline
		x.CommentDeadline = &d
	}
	return x
}
