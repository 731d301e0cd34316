package web

import (
	"github.com/billwatch/billwatch"
)

// The JSON of each page is the JSON of the read command at the same path (`bills --json`,
// `show --json`, `hearings --json`, ...), so that a script can read either: the lists are
// built in the tracker, a bill by Options.BillJSON. A test in cmd/billwatch compares them on
// the demo database.

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
