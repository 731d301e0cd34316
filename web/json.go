package web

import (
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// The JSON of each page is the JSON of the read command at the same path (`bills --json`,
// `show --json`, `hearings --json`, ...), so that a script can read either. A test in
// cmd/billwatch compares them on the demo database.

// listJSON is a bill as `bills --json` lists it.
func listJSON(b billwatch.Bill) billwatch.Bill {
	b.Stages, b.Meetings, b.Votes, b.References = nil, nil, nil, nil
	if b.Reasons == nil {
		b.Reasons = []string{}
	}
	return b
}

// billJSON is `show BILL --json`.
type billJSON struct {
	billwatch.Bill
	Stages   []billwatch.Stage   `json:"stages,omitempty"`
	Meetings []billwatch.Meeting `json:"meetings,omitempty"`
	Versions []versionJSON       `json:"versions,omitempty"`
	// Lineage and Memory are set on a bill's own page (withMemory), as `show --json` has them.
	Lineage []tracker.LineageLink `json:"lineage,omitzero"`
	Memory  *tracker.MemoryJSON   `json:"memory,omitempty"`
}

type versionJSON struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Fetched bool   `json:"fetched"`
	URL     string `json:"url,omitempty"`
	Gap     string `json:"gap,omitempty"`
}

func showJSON(b *tracker.StoredBill) billJSON {
	out := billJSON{Bill: listJSON(b.Bill), Stages: b.Stages, Meetings: b.Meetings}
	out.Votes, out.References = b.Votes, b.References
	for i, v := range b.Versions {
		out.Versions = append(out.Versions, versionJSON{Index: i + 1, ID: v.ID, Type: v.Type, Name: v.Name, Fetched: v.Fetched, URL: v.URL, Gap: v.Gap})
	}
	if out.Stages == nil {
		out.Stages = []billwatch.Stage{}
	}
	if out.Meetings == nil {
		out.Meetings = []billwatch.Meeting{}
	}
	if out.Versions == nil {
		out.Versions = []versionJSON{}
	}
	return out
}

// withMemory adds a bill's lineage and the coalition's record, as `show --json` does.
func (s *Server) withMemory(out billJSON) (billJSON, error) {
	out.Lineage = []tracker.LineageLink{}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return out, err
	}
	if l, err := store.Lineage(out.Session, out.Number); err != nil {
		return out, err
	} else if l != nil {
		out.Lineage = l
	}
	m, err := store.BillMemory(out.Session, out.Number)
	out.Memory = &m
	return out, err
}

// hearingJSON is a meeting as `hearings --json` lists it.
type hearingJSON struct {
	billwatch.Hearing
	End      *time.Time `json:"end"` // null when the end is not published
	Relevant bool       `json:"relevant"`
	Reasons  []string   `json:"reasons"`
}

func toHearingJSON(h tracker.StoredHearing) hearingJSON {
	x := hearingJSON{Hearing: h.Hearing, Relevant: h.Relevant, Reasons: h.Reasons}
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

// regulationJSON is a Gazette item as `regulations --json` lists it: comment_deadline is
// null, not absent, when there is none.
type regulationJSON struct {
	billwatch.Regulation
	CommentDeadline *string `json:"comment_deadline"`
}

func toRegulationJSON(r billwatch.Regulation) regulationJSON {
	if r.Reasons == nil {
		r.Reasons = []string{}
	}
	x := regulationJSON{Regulation: r}
	if r.CommentDeadline != "" {
		d := r.CommentDeadline
		x.CommentDeadline = &d
	}
	return x
}

// AlertJSON is an alert as `alerts --json` lists it: deliveries never null, and "url" its
// page at the public address when one is configured (and the alert did not record one).
func AlertJSON(a billwatch.Alert, publicURL string) billwatch.Alert {
	if a.Deliveries == nil {
		a.Deliveries = []billwatch.Delivery{}
	}
	if a.URL == "" && publicURL != "" {
		a.URL = publicURL + a.PagePath()
	}
	return a
}
