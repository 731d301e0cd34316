package web

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/tracker"
)

func TestAgo(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-30 * time.Second), "30 s ago"},
		{now.Add(-12 * time.Minute), "12 min ago"},
		{now.Add(-3 * time.Hour), "3 h ago"},
		{now.Add(-72 * time.Hour), "3 days ago"},
		{now.Add(20 * time.Second), "just now"}, // a clock a few seconds off
		{now.Add(2 * time.Minute), "in the future — check the server's clock"},
		{now.AddDate(0, 0, 21), "in the future — check the server's clock"},
	} {
		if got := ago(now, c.at); got != c.want {
			t.Errorf("ago(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}

// TestFutureFetchOnStatus: a last good fetch dated weeks ahead (a clock out of step) is said
// to be in the future on /status and in the banner, not "just now".
func TestFutureFetchOnStatus(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ahead := time.Date(2026, 12, 19, 15, 0, 0, 0, time.UTC) // authNow is 20 Nov
	if err := store.UpdateRunStatus("bills", func(r *tracker.RunStatus) { r.LastRun, r.LastSuccess = ahead, ahead }); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, client(t), srv, "/status")
	body = html.UnescapeString(body)
	if strings.Contains(body, "just now") || !strings.Contains(body, "Sat 19 Dec 2026, 10:00 EST (in the future — check the server's clock)") {
		t.Errorf("/status with a future fetch:\n%s", body)
	}
	if !strings.Contains(body, "bills: last good fetch dated Sat 19 Dec 2026, 10:00 EST, in the future") {
		t.Errorf("no banner for a fetch dated in the future:\n%s", body)
	}
}

// TestSessionOverBanner: when the last pass over the session followed found it over, every
// page says so in a banner naming the session and the configuration key, and /status too.
func TestSessionOverBanner(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	if err := store.UpdateRunStatus("bills", func(r *tracker.RunStatus) {
		r.LastRun, r.LastSuccess, r.Session, r.SessionOver = at, at, "45-1", true
	}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/bills", "/", "/status"} {
		_, body := get(t, client(t), srv, path)
		body = html.UnescapeString(body)
		if !strings.Contains(body, "The session billwatch follows is over.") || !strings.Contains(body, `session 45-1 is over`) || !strings.Contains(body, `set session = "P-S" in the configuration`) {
			t.Errorf("%s: no banner naming the ended session and the key:\n%s", path, body)
		}
	}
}
