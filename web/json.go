package web

import (
	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// The JSON of each page is the JSON of the read command at the same path (`bills --json`,
// `show --json`, `hearings --json`, ...), so that a script can read either. A test in
// cmd/billwatch compares them on the demo database.

// billJSON is `show BILL --json`.
type billJSON struct {
	billwatch.Bill
	Stages   []billwatch.Stage     `json:"stages,omitempty"`
	Meetings []billwatch.Meeting   `json:"meetings,omitempty"`
	Versions []tracker.VersionJSON `json:"versions,omitempty"`
	// Lineage and Memory are set on a bill's own page (withMemory), as `show --json` has them.
	Lineage []tracker.LineageLink `json:"lineage,omitzero"`
	Memory  *tracker.MemoryJSON   `json:"memory,omitempty"`
}

func showJSON(b *tracker.StoredBill) billJSON {
	out := billJSON{Bill: tracker.ListedBill(b.Bill), Stages: b.Stages, Meetings: b.Meetings, Versions: b.VersionsJSON()}
	out.Votes, out.References = b.Votes, b.References
	if out.Stages == nil {
		out.Stages = []billwatch.Stage{}
	}
	if out.Meetings == nil {
		out.Meetings = []billwatch.Meeting{}
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
