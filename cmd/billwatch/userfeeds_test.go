package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestUserFeeds: `user feeds NAME` prints private calendar and feed links that calendar
// applications and feed readers use once accounts exist; printing new ones revokes the old.
func TestUserFeeds(t *testing.T) {
	db, cfgPath := demoDB(t, "")
	cli := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		all := append([]string{"--config", cfgPath, "--db", db, "--now", demoNow}, args...)
		if code := exitCode(run(t.Context(), all, &stdout, &stderr), &stderr); code != 0 {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		}
		return stdout.String()
	}
	cli("user", "add", "lea", "--role", "viewer")
	cli("user", "add", "ed", "--role", "editor")
	srv := webServer(t, db, cfgPath, mustTime(t, demoNow))
	links := func() (cal, feed string) {
		t.Helper()
		lines := strings.Split(strings.TrimSpace(cli("user", "feeds", "lea", "--url", srv.URL)), "\n")
		if len(lines) < 3 || !strings.HasPrefix(lines[len(lines)-2], srv.URL+"/calendar.ics?key=") || !strings.HasPrefix(lines[len(lines)-1], srv.URL+"/feed.atom?key=") {
			t.Fatalf("user feeds printed %q, want the calendar's and the feed's links last", lines)
		}
		return lines[len(lines)-2], lines[len(lines)-1]
	}
	cal, feed := links()
	if code, h, body := get(t, cal, ""); code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") || !strings.Contains(body, "BEGIN:VCALENDAR") {
		t.Errorf("calendar link = %d %s", code, h.Get("Content-Type"))
	}
	if code, _, body := get(t, feed+"&audience=members", ""); code != http.StatusOK || !strings.Contains(body, "<feed") {
		t.Errorf("feed link = %d", code)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(srv.URL + "/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("calendar without key with accounts, from an application = %d, want 401 naming the private link", resp.StatusCode)
	}
	cal2, _ := links()
	if code, _, _ := get(t, cal, ""); code != http.StatusUnauthorized {
		t.Errorf("the old calendar link after user feeds = %d, want 401", code)
	}
	if code, _, _ := get(t, cal2, ""); code != http.StatusOK {
		t.Errorf("the new calendar link = %d, want 200", code)
	}
	if out := cli("user", "rm", "lea"); !strings.Contains(out, "subscription links") {
		t.Errorf("user rm says %q", out)
	}
	if code, _, _ := get(t, cal2, ""); code != http.StatusUnauthorized {
		t.Errorf("a removed user's calendar link = %d, want 401", code)
	}
}
