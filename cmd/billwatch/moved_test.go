package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

const (
	senateUpcoming = "sencanada/umbraco/surface/CommitteesAjax/GetTablePartialView@tableName=Meetings&committeeId=0&selectedSession=45-1&TabSelected=UPCOMING&PageSize=250&p=1&isCommitteeSpecific=false&Lang=en"
	senatePast     = "sencanada/umbraco/surface/CommitteesAjax/GetTablePartialView@tableName=Meetings&committeeId=0&selectedSession=45-1&TabSelected=PAST&PageSize=250&p=1&isCommitteeSpecific=false&Lang=en"
	secdOld        = "SECD 45-1 meeting of 2026-11-30 11:00"
	secdNew        = "SECD 45-1 meeting of 2026-12-01 18:30"
)

// unnumberedSECD is the fixtures with the Senate listing SECD's meeting of November 30 without
// its number from snapshot 2 on, and snapshot 3 holding third (the Senate's upcoming meetings
// of snapshot 3), or, when third is nil, the page the edit makes of it.
func unnumberedSECD(t *testing.T, edit func([]byte) []byte, extra fstest.MapFS) fs.FS {
	t.Helper()
	page, err := fs.ReadFile(fixtures.FS(), "2/"+senateUpcoming)
	if err != nil {
		t.Fatal(err)
	}
	unnumbered := bytes.Replace(page, []byte("<br>Meeting No. 14"), nil, 1)
	if bytes.Equal(unnumbered, page) {
		t.Fatal("fixture: SECD's meeting number not found in the Senate's upcoming meetings")
	}
	top := fstest.MapFS{
		"2/" + senateUpcoming: {Data: unnumbered},
		"3/" + senateUpcoming: {Data: edit(unnumbered)},
	}
	for k, v := range extra {
		top[k] = v
	}
	return overlay(fixtures.FS(), top)
}

func movedToDecember1(page []byte) []byte {
	return bytes.Replace(page, []byte("Monday, November 30, 2026 at 11:00 AM"), []byte("Tuesday, December 1, 2026 at 6:30 PM"), 1)
}

// hearingsJSON is `hearings --json` (with --all when all is set) at now, by subject.
func (c *cli) hearingsJSON(now string, all bool) map[string]map[string]any {
	c.t.Helper()
	args := []string{"hearings", "--json"}
	if all {
		args = append(args, "--all")
	}
	out, errOut, code := c.run(now, args...)
	var hs []map[string]any
	if err := json.Unmarshal([]byte(out), &hs); err != nil || code != 0 {
		c.t.Fatalf("hearings --json: exit %d, %v: %s", code, err, errOut)
	}
	m := map[string]map[string]any{}
	for _, h := range hs {
		m[h["committee"].(string)+" "+h["session"].(string)+" "+h["start"].(string)] = h
	}
	return m
}

func subjectAlerts(alerts []billwatch.Alert, prefix string) []billwatch.Alert {
	var out []billwatch.Alert
	for _, a := range alerts {
		if strings.HasPrefix(a.Subject, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// TestUnnumberedMeetingMoved: the Senate lists SECD's meeting of Monday, November 30 at 11:00
// without a number, then the same meeting on Tuesday, December 1 at 18:30. That is one
// meeting moved: one hearing.changed alert naming both times, in the old meeting's thread;
// one upcoming meeting; no reminder for the meeting that no longer exists, and one for the
// meeting as moved.
func TestUnnumberedMeetingMoved(t *testing.T) {
	t.Parallel()
	c := newCLI(t, unnumberedSECD(t, movedToDecember1, nil))
	c.scrapeStep(1, week1, "hearings")
	_, got := c.scrapeStep(2, week2, "hearings")
	if got = subjectAlerts(got, "SECD"); len(got) != 1 || got[0].Kind != billwatch.KindHearingScheduled || got[0].Subject != secdOld {
		t.Fatalf("week 2 SECD alerts = %v, want %s scheduled", keys(got), secdOld)
	}
	out, got := c.scrapeStep(3, "2026-11-25T10:00:00-05:00", "hearings")
	got = subjectAlerts(got, "SECD")
	if len(got) != 1 || got[0].Kind != billwatch.KindHearingChanged || got[0].Subject != secdNew {
		t.Fatalf("moved: SECD alerts = %v, want one hearing.changed for %s\n%s", keys(got), secdNew, out)
	}
	if a := got[0]; a.Thread != secdOld || !strings.Contains(a.Why, "Mon 2026-11-30 11:00 EST → Tue 2026-12-01 18:30 EST") {
		t.Errorf("moved alert: thread %q, why %q; want the old meeting's thread and both times", a.Thread, a.Why)
	}
	const now = "2026-11-25T10:00:00-05:00"
	var secd []map[string]any
	for k, h := range c.hearingsJSON(now, false) {
		if strings.HasPrefix(k, "SECD") {
			secd = append(secd, h)
		}
	}
	if len(secd) != 1 || secd[0]["start"] != "2026-12-01T18:30:00-05:00" || secd[0]["status"] != "scheduled" {
		t.Errorf("upcoming SECD meetings = %v, want only the one of December 1", secd)
	}
	old := c.hearingsJSON(now, true)["SECD 45-1 2026-11-30T11:00:00-05:00"]
	if old == nil || old["moved_to"] != "2026-12-01T18:30:00-05:00" || old["unlisted"] != "2026-11-25" {
		t.Errorf("hearings --all: the meeting of November 30 = %v, want it marked moved to December 1", old)
	}
	out, _, _ = c.run(now, "hearings", "--all")
	if !strings.Contains(out, "moved to Tue 2026-12-01 18:30") {
		t.Errorf("hearings --all does not say the meeting moved:\n%s", out)
	}
	// A meeting listed without a number has none in the table either, not 0.
	for _, line := range strings.Split(out, "\n") {
		unnumbered := strings.HasPrefix(line, "Mon 2026-11-30") || strings.HasPrefix(line, "Tue 2026-12-01")
		if f := strings.Fields(line); unnumbered && (len(f) < 6 || f[5] != "—") {
			t.Errorf("hearings --all: an unnumbered SECD meeting's row %q, want — for its number", line)
		}
	}
	// The web pages say so too: the old meeting's page links to the new one.
	srv := webServer(t, c.db, c.cfg, mustTime(t, now))
	if code, _, body := get(t, srv.URL+"/hearings/45-1/SECD/2026-11-30T11:00", ""); code != 200 || !strings.Contains(body, `it moved to <a href="/hearings/45-1/SECD/2026-12-01T18:30">`) {
		t.Errorf("the old meeting's page: %d, does not link to the new one:\n%s", code, body)
	}
	if code, _, body := get(t, srv.URL+"/hearings", ""); code != 200 || strings.Contains(body, "2026-11-30T11:00") || !strings.Contains(body, "2026-12-01T18:30") {
		t.Errorf("/hearings: %d, want the meeting at its new time only:\n%s", code, body)
	}
	// The day before the old time: no reminder. The day before the new one: its reminder.
	if _, got := c.scrapeStep(3, "2026-11-29T08:00:00-05:00", "hearings"); len(subjectAlerts(got, "SECD")) != 0 {
		t.Errorf("the day before the old time: %v", keys(got))
	}
	_, got = c.scrapeStep(3, "2026-11-30T08:00:00-05:00", "hearings")
	if got = subjectAlerts(got, "SECD"); len(got) != 1 || got[0].Kind != billwatch.KindHearingReminder || got[0].Subject != secdNew {
		t.Errorf("the day before the new time: %v, want the reminder of %s", keys(got), secdNew)
	}
}

// TestUnnumberedMeetingUnlisted: the meeting is simply gone from SECD's schedule, read whole.
// It is not cancelled (no page says so) and raises no alert, but it is marked as no longer
// listed and not reminded. Read in part (a tab failing), the schedule judges nothing.
func TestUnnumberedMeetingUnlisted(t *testing.T) {
	t.Parallel()
	gone := func(page []byte) []byte {
		i := bytes.Index(page, []byte(`<tr class="cmt-site_v2-meetings-table-row">`))
		j := bytes.Index(page, []byte(`</tbody>`))
		if i < 0 || j < i {
			t.Fatal("fixture: the Senate's upcoming row not found")
		}
		return append(append([]byte{}, page[:i]...), page[j:]...)
	}
	t.Run("whole", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t, unnumberedSECD(t, gone, nil))
		c.scrapeStep(1, week1, "hearings")
		c.scrapeStep(2, week2, "hearings")
		out, got := c.scrapeStep(3, "2026-11-25T10:00:00-05:00", "hearings")
		if got = subjectAlerts(got, "SECD"); len(got) != 0 {
			t.Errorf("gone from the schedule: SECD alerts %v, want none", keys(got))
		}
		h := c.hearingsJSON("2026-11-25T10:00:00-05:00", false)["SECD 45-1 2026-11-30T11:00:00-05:00"]
		if h == nil || h["status"] != "scheduled" || h["unlisted"] != "2026-11-25" || h["moved_to"] != nil {
			t.Errorf("the meeting gone from the schedule = %v, want it upcoming, marked unlisted\n%s", h, out)
		}
		text, _, _ := c.run("2026-11-25T10:00:00-05:00", "hearings")
		if !strings.Contains(text, "no longer listed since 2026-11-25") {
			t.Errorf("hearings does not say the meeting is no longer listed:\n%s", text)
		}
		srv := webServer(t, c.db, c.cfg, mustTime(t, "2026-11-25T10:00:00-05:00"))
		if code, _, body := get(t, srv.URL+"/hearings", ""); code != 200 || !strings.Contains(body, "no longer listed since 2026-11-25") {
			t.Errorf("/hearings: %d, does not mark the meeting no longer listed:\n%s", code, body)
		}
		if _, got := c.scrapeStep(3, "2026-11-29T08:00:00-05:00", "hearings"); len(subjectAlerts(got, "SECD")) != 0 {
			t.Errorf("the day before: %v, want no reminder", keys(got))
		}
	})
	t.Run("partial", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t, unnumberedSECD(t, gone, fstest.MapFS{"3/" + senatePast + ".status": {Data: []byte("503")}}))
		c.scrapeStep(1, week1, "hearings")
		c.scrapeStep(2, week2, "hearings")
		c.servers.SetSnapshot(3)
		if _, _, code := c.run("2026-11-25T10:00:00-05:00", "scrape", "hearings"); code != 3 {
			t.Errorf("a Senate tab failing: exit %d, want 3", code)
		}
		h := c.hearingsJSON("2026-11-25T10:00:00-05:00", false)["SECD 45-1 2026-11-30T11:00:00-05:00"]
		if h == nil || h["unlisted"] != nil {
			t.Errorf("after a partial read, the meeting = %v, want it as stored", h)
		}
		c.servers.SetSnapshot(3)
		_, _, _ = c.run("2026-11-29T08:00:00-05:00", "scrape", "hearings")
		var reminded bool
		for _, a := range c.alerts("2026-11-29T08:00:00-05:00") {
			reminded = reminded || a.Kind == billwatch.KindHearingReminder && a.Subject == secdOld
		}
		if !reminded {
			t.Error("a schedule read in part unlisted the meeting: no reminder")
		}
	})
}

// TestMovedMeetingInCalendar: in the calendar, the meeting that moved is cancelled (the
// event at its new time replaces it) and says where it went.
func TestMovedMeetingInCalendar(t *testing.T) {
	t.Parallel()
	c := newCLI(t, unnumberedSECD(t, movedToDecember1, nil))
	c.scrapeStep(1, week1, "hearings")
	c.scrapeStep(2, week2, "hearings")
	c.scrapeStep(3, "2026-11-25T10:00:00-05:00", "hearings")
	out, errOut, code := c.run("2026-11-25T10:00:00-05:00", "calendar")
	if code != 0 {
		t.Fatalf("calendar: exit %d: %s", code, errOut)
	}
	var old, moved string
	for _, ev := range strings.Split(out, "BEGIN:VEVENT")[1:] {
		switch {
		case strings.Contains(ev, "DTSTART;TZID=America/Toronto:20261130T110000"):
			old = ev
		case strings.Contains(ev, "DTSTART;TZID=America/Toronto:20261201T183000"):
			moved = ev
		}
	}
	if !strings.Contains(old, "STATUS:CANCELLED") || !strings.Contains(old, "SUMMARY:MOVED: SECD") || !strings.Contains(strings.ReplaceAll(old, "\r\n ", ""), "moved to Tue 2026-12-01 18:30") {
		t.Errorf("the meeting of November 30 in the calendar:\n%s", old)
	}
	if moved == "" || strings.Contains(moved, "CANCELLED") {
		t.Errorf("the meeting of December 1 in the calendar:\n%s", moved)
	}
}
