package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// scrapeStep switches the fixture servers to a snapshot, runs one scrape at now, and returns
// its output and the alerts it raised.
func (c *cli) scrapeStep(snapshot int, now string, sources ...string) (string, []billwatch.Alert) {
	c.t.Helper()
	before := c.alerts(now)
	c.servers.SetSnapshot(snapshot)
	out, errOut, code := c.run(now, append([]string{"scrape"}, sources...)...)
	if code != 0 {
		c.t.Fatalf("scrape %v of snapshot %d at %s: exit %d\n%s%s", sources, snapshot, now, code, out, errOut)
	}
	return out, newSince(before, c.alerts(now))
}

// TestStaleNoticeIsIgnored: after the amended notice of SECU 25 (stamped 2026-11-24 16:12,
// meeting at 16:00) was read, a cache serves the notice it replaced (stamped 2026-11-20
// 11:47, meeting at 15:30). That copy is stored nowhere and raises no alert; the reminder
// gives the time of the newer notice; and the newer notice, served again, is no news.
func TestStaleNoticeIsIgnored(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	c.scrapeStep(1, week1, "hearings")
	c.scrapeStep(2, week2, "hearings")
	if _, got := c.scrapeStep(3, "2026-11-25T07:00:00-05:00", "hearings"); len(got) != 2 || keys(got)[1] != "hearing.changed SECU 45-1 meeting 25" {
		t.Fatalf("amended notice: alerts %v, want its change (and JUST 33 cancelled)", keys(got))
	}
	out, got := c.scrapeStep(2, "2026-11-25T07:30:00-05:00", "hearings")
	if len(got) != 0 {
		t.Errorf("the stale notice raised %v: %s", keys(got), got[0].Why)
	}
	if !strings.Contains(out, "1 stale copies ignored") {
		t.Errorf("the summary does not count the stale copy: %q", out)
	}
	secu25 := func(now string) map[string]any {
		t.Helper()
		out, _, _ := c.run(now, "hearings", "--json")
		var hs []map[string]any
		if err := json.Unmarshal([]byte(out), &hs); err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if h["committee"] == "SECU" && h["number"] == float64(25) {
				return h
			}
		}
		t.Fatalf("hearings --json lacks SECU 25: %s", out)
		return nil
	}
	if h := secu25("2026-11-25T07:30:00-05:00"); h["start"] != "2026-11-26T16:00:00-05:00" || h["notice_published"] != "2026-11-24 16:12" {
		t.Errorf("after the stale copy, SECU 25 = start %v, notice %v; want the newer notice's", h["start"], h["notice_published"])
	}
	// The reminder, due at 08:00 while the cache still serves the old notice, gives 16:00.
	_, got = c.scrapeStep(2, "2026-11-25T08:00:00-05:00", "hearings")
	if len(got) != 1 || got[0].Kind != billwatch.KindHearingReminder || got[0].Subject != "SECU 45-1 meeting 25" || !strings.Contains(got[0].Text, "16:00–18:00") {
		t.Errorf("at 08:00: alerts %v, want the reminder at 16:00–18:00: %+v", keys(got), got)
	}
	if out, got := c.scrapeStep(3, "2026-11-25T09:00:00-05:00", "hearings"); len(got) != 0 || strings.Contains(out, "stale") {
		t.Errorf("the newer notice again: alerts %v, output %q; want nothing", keys(got), out)
	}
}

// TestStaleBillListIsIgnored: after the list of week 2 (C-8 given royal assent, C-12 at
// report stage, C-22 referred to SECU), a mirror serves the list of week 1. None of its
// entries is stored and none raises an alert; the list of week 2, served again, is no news.
func TestStaleBillListIsIgnored(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	c.scrapeStep(1, week1, "bills")
	if _, got := c.scrapeStep(2, week2, "bills"); len(got) == 0 {
		t.Fatal("week 2 raised no alert")
	}
	out, got := c.scrapeStep(1, week3, "bills")
	if len(got) != 0 {
		t.Errorf("the stale list raised %v (first: %s)", keys(got), got[0].Why)
	}
	// C-8, C-12 and C-22 moved between the two lists; C-30 is not on the old one.
	if !strings.Contains(out, "3 stale copies ignored") {
		t.Errorf("the summary does not count the three stale entries: %q", out)
	}
	status := map[string]string{}
	out, _, _ = c.run(week3, "bills", "--json")
	var bills []map[string]any
	if err := json.Unmarshal([]byte(out), &bills); err != nil {
		t.Fatal(err)
	}
	for _, b := range bills {
		status[b["number"].(string)], _ = b["status"].(string)
	}
	if status["C-8"] != "Royal assent received" || status["C-12"] != "At report stage in the House of Commons" || status["C-22"] != "At consideration in committee in the House of Commons" {
		t.Errorf("after the stale list, statuses = %v; want those of week 2", status)
	}
	if out, got := c.scrapeStep(2, "2026-11-25T11:00:00-05:00", "bills"); len(got) != 0 || strings.Contains(out, "stale") {
		t.Errorf("the newer list again: alerts %v, output %q; want nothing", keys(got), out)
	}
}
