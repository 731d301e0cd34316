package main

import (
	"testing"

	"github.com/billwatch/billwatch/schedule"
	"github.com/billwatch/billwatch/scraper"
)

// Every row of the source table is complete: a unique name, a default schedule that parses,
// sites the scraper knows, and a pass.
func TestSourceTable(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range sources {
		if s.name == "" || seen[s.name] || s.name == "jitter" {
			t.Errorf("source name %q: empty, repeated or a [schedule] key of its own", s.name)
		}
		seen[s.name] = true
		if _, err := schedule.Parse(s.schedule); err != nil {
			t.Errorf("%s: default schedule %q: %v", s.name, s.schedule, err)
		}
		if len(s.sites) == 0 {
			t.Errorf("%s: no sites", s.name)
		}
		for _, site := range s.sites {
			if _, ok := scraper.DefaultBases[site]; !ok {
				t.Errorf("%s: site %q unknown to the scraper", s.name, site)
			}
		}
		if s.pass == nil {
			t.Errorf("%s: no pass", s.name)
		}
	}
	for site := range scraper.DefaultBases {
		found := false
		for _, n := range siteNames() {
			found = found || n == site
		}
		if !found {
			t.Errorf("site %q is read by no source", site)
		}
	}
}

// [schedule] is keyed by source: today's keys still load, a key that names no source is
// refused in one line naming it, and a source's own spec replaces its default.
func TestScheduleKeyedBySource(t *testing.T) {
	t.Parallel()
	c := &Config{Schedule: map[string]string{"bills": "1h", "hearings": "30m", "regulations": "daily 07:30", "acts": "daily 06:30", "jitter": "5m"}}
	if err := c.check(); err != nil {
		t.Fatalf("today's [schedule] keys: %v", err)
	}
	bills, _ := sourceNamed("bills")
	hearings, _ := sourceNamed("hearings")
	if got := c.scheduleFor(bills); got != "1h" {
		t.Errorf("scheduleFor(bills) = %q, want the configured 1h", got)
	}
	c.Schedule = map[string]string{"regulations": "fri 14:05"}
	if got := c.scheduleFor(hearings); got != schedule.DefaultHearings {
		t.Errorf("scheduleFor(hearings) = %q, want the default %q", got, schedule.DefaultHearings)
	}
	c = &Config{Schedule: map[string]string{"tweets": "1h"}}
	err := c.check()
	if err == nil || err.Error() != "unknown key schedule.tweets (want bills, hearings, regulations, acts or jitter)" {
		t.Errorf("check of schedule.tweets = %v", err)
	}
}
