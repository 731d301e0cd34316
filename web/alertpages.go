package web

import (
	"net/url"
	"strconv"

	"github.com/billwatch/billwatch"
)

// Pages of /alerts: ?before=ID shows the alerts older than the alert ID (the last of the page
// before), with the same filter; the JSON takes it too, and ?limit=N, as `alerts --limit N`.

// alertPageParams reads before and limit: from is the index in alerts (newest first) at which
// the page starts, limit 0 for no limit.
func alertPageParams(q url.Values, alerts []billwatch.Alert) (from, limit int, err error) {
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, badParam("limit", "%q is not a number of alerts (0 or more)", v)
		}
		limit = n
	}
	before := q.Get("before")
	if before == "" {
		return 0, limit, nil
	}
	for i, a := range alerts {
		if a.ID == before {
			return i + 1, limit, nil
		}
	}
	return 0, 0, badParam("before", "%q is not the id of a stored alert (follow the page's “Older alerts” link)", before)
}

// alertsPerPage is how many alerts a page of /alerts shows.
func (s *Server) alertsPerPage() int {
	if s.alertPage > 0 {
		return s.alertPage
	}
	return alertsShown
}

// path is the address of the page of /alerts with this filter, older than the alert before
// ("" for the newest).
func (f alertFilter) path(before string) string {
	v := url.Values{}
	if f.Audience != "" {
		v.Set("audience", string(f.Audience))
	}
	if f.Kind != "" {
		v.Set("kind", string(f.Kind))
	}
	if f.Severity != "" {
		v.Set("severity", string(f.Severity))
	}
	if before != "" {
		v.Set("before", before)
	}
	if len(v) == 0 {
		return "/alerts"
	}
	return "/alerts?" + v.Encode()
}
