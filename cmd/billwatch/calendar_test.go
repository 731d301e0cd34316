package main

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/billwatch/billwatch/fixtures"
)

// twoUnnumberedSECD is snapshot 2 with the Senate listing SECD meeting 14 without its number, and
// a second SECD meeting, also without one, the next day: the schedule as the Senate often
// publishes it.
func twoUnnumberedSECD(t *testing.T) fs.FS {
	t.Helper()
	page, err := fs.ReadFile(fixtures.FS(), "2/"+senateUpcoming)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	start, end := strings.Index(s, `<tr class="cmt-site_v2-meetings-table-row">`), strings.Index(s, "</tbody>")
	if start < 0 || end < start {
		t.Fatalf("the fixture's Senate list changed: %s", s)
	}
	row := strings.Replace(s[start:end], "<br>Meeting No. 14", "", 1)
	second := strings.Replace(row, "Monday, November 30, 2026 at 11:00 AM", "Tuesday, December 1, 2026 at 6:30 PM", 1)
	if row == s[start:end] || second == row {
		t.Fatalf("the fixture's Senate row changed: %s", row)
	}
	return overlay(fixtures.FS(), fstest.MapFS{"2/" + senateUpcoming: {Data: []byte(s[:start] + row + second + s[end:])}})
}

// TestCalendarUnnumberedSenateMeetings: two Senate meetings listed without a number are two
// events, each with its own UID built from its start, named as the alerts name them; a
// numbered meeting keeps the UID it always had; an end the Senate did not publish is said
// to be a guess; the deadline events are stamped with the command's clock; and /calendar.ics
// serves the very same feed.
func TestCalendarUnnumberedSenateMeetings(t *testing.T) {
	t.Parallel()
	c := newCLI(t, twoUnnumberedSECD(t))
	for i, now := range []string{week1, week2} {
		c.servers.SetSnapshot(i + 1)
		if out, errOut, code := c.run(now, "scrape", "--no-notify"); code != 0 && code != 3 {
			t.Fatalf("scrape at %s: exit %d\n%s%s", now, code, out, errOut)
		}
	}
	const now = "2026-11-24T13:00:00-05:00"
	out, errOut, code := c.run(now, "calendar")
	if code != 0 {
		t.Fatalf("calendar: exit %d\n%s", code, errOut)
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	events := strings.Split(unfolded, "BEGIN:VEVENT")[1:]
	uids := map[string]int{}
	var secd []string
	for _, ev := range events {
		uid := regexp.MustCompile(`(?m)^UID:(.*)\r$`).FindStringSubmatch(ev)
		if uid == nil {
			t.Fatalf("an event without UID:\n%s", ev)
		}
		uids[uid[1]]++
		if strings.Contains(ev, "SUMMARY:SECD") {
			secd = append(secd, ev)
		}
		if strings.Contains(ev, "SUMMARY:Comments due:") && !strings.Contains(ev, "DTSTAMP:20261124T180000Z\r\n") {
			t.Errorf("a deadline event is not stamped with --now (2026-11-24 18:00 UTC):\n%s", ev)
		}
	}
	for uid, n := range uids {
		if n > 1 {
			t.Errorf("UID %s is used by %d events; a calendar would merge them", uid, n)
		}
	}
	want := []struct{ uid, summary, start string }{
		{"UID:Senate-SECD-45-1-2026-11-30T11:00@billwatch", "SUMMARY:SECD meeting of 2026-11-30 11:00: Study on the protection of Canada's democratic", "DTSTART;TZID=America/Toronto:20261130T110000"},
		{"UID:Senate-SECD-45-1-2026-12-01T18:30@billwatch", "SUMMARY:SECD meeting of 2026-12-01 18:30: Study on the protection of Canada's democratic", "DTSTART;TZID=America/Toronto:20261201T183000"},
	}
	if len(secd) != len(want) {
		t.Fatalf("%d SECD events, want %d:\n%s", len(secd), len(want), unfolded)
	}
	for i, w := range want {
		ev := strings.ReplaceAll(secd[i], `\,`, ",")
		for _, line := range []string{w.uid, w.summary, w.start, "End time not published: shown as two hours."} {
			if !strings.Contains(ev, line) {
				t.Errorf("SECD event %d lacks %q:\n%s", i+1, line, ev)
			}
		}
	}
	if uids["SECU-45-1-25@billwatch"] != 1 {
		t.Errorf("the numbered SECU meeting 25 lost its UID SECU-45-1-25@billwatch: %v", uids)
	}

	// The web interface serves the same feed at the same clock.
	srv := webServer(t, c.db, c.cfg, mustTime(t, now))
	code, _, body := get(t, srv.URL+"/calendar.ics", "")
	if code != 200 || body != out {
		t.Errorf("GET /calendar.ics = %d, not the feed of `billwatch calendar` at the same clock:\n%s\nwant:\n%s", code, body, out)
	}
}
