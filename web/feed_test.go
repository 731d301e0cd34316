package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// TestFeedUpdatedAndLinks: an empty feed is dated by the newest alert of any audience (or the
// last pass), not an arbitrary date; a filtered feed's alternate page keeps its filter.
func TestFeedUpdatedAndLinks(t *testing.T) {
	t.Parallel()
	s, _, all := alertsServer(t, 2, 0)
	h := s.Handler()
	other := billwatch.Ops
	if all[0].Audience == other {
		other = billwatch.Policy
	}
	rec := serveReq(h, mustReq(t, "/feed.atom?audience="+string(other)+"&severity=info"))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || strings.Contains(body, "<entry>") {
		t.Fatalf("feed for %s = %d\n%s", other, rec.Code, body)
	}
	if want := "<updated>" + all[0].Created.UTC().Format(time.RFC3339) + "</updated>"; !strings.Contains(body, want) {
		t.Errorf("empty feed: want %s\n%s", want, body)
	}
	if want := `rel="alternate" type="text/html" href="http://example.com/alerts?audience=` + string(other) + `&amp;severity=info"`; !strings.Contains(body, want) {
		t.Errorf("filtered feed: want %s\n%s", want, body)
	}
	// No alert at all: the last pass dates it.
	srv, _ := memoryServer(t, Auth{}, nil)
	_, body = get(t, client(t), srv, "/feed.atom")
	if want := "<updated>" + authNow.UTC().Format(time.RFC3339) + "</updated>"; !strings.Contains(body, want) {
		t.Errorf("feed of a database without alerts: want %s\n%s", want, body)
	}
}

func mustReq(t *testing.T, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "example.com"
	return req
}
