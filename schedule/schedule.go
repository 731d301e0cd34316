// Package schedule decides when each billwatch source is read, and runs those reads for the
// daemon: each job at its own times, never twice at once, stopped cleanly with the process.
//
// Every wall-clock time here is Eastern (billwatch.Eastern, America/Toronto), because that is
// when Parliament sits and the Canada Gazette publishes; a "daily 08:00" job stays at 08:00
// local time on both sides of a daylight-saving change.
package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
)

// Schedule says when a job runs next.
type Schedule interface {
	// Next returns the first time strictly after after at which the job should run.
	Next(after time.Time) time.Time
}

// Default schedule specs of the sources, in the grammar Parse reads. The command's source
// table wires them in as the config defaults; `run --every` replaces all of them with Every(d).
const (
	// DefaultBills polls LEGISinfo often while the House may be sitting, rarely otherwise.
	DefaultBills = "30m sitting, 3h otherwise"
	// DefaultHearings polls the committee meeting lists; notices change at any hour.
	DefaultHearings = "30m"
	// DefaultRegulations follows the Gazette: Part I goes online Fridays at 14:00 Eastern,
	// Part II every second Wednesday at 09:00 Eastern (2026-01-14 is in phase with the Part II
	// issues of 2014-12-03 and 2024-12-18 recorded in the research notes); the daily 07:30
	// pass catches extra editions and issues moved by a holiday (2025-12-30 was a Tuesday).
	DefaultRegulations = "fri 14:05; wed 09:05 every 2 weeks from 2026-01-14; daily 07:30"
)

// MinInterval is the shortest interval Parse accepts, so that a typo such as "30ns" cannot
// turn the daemon into a busy loop against a government site.
const MinInterval = time.Second

// Every returns a schedule that runs every d, counted from the previous run. It is what
// `run --every` installs for every source. Like time.NewTicker, it panics if d is not
// positive: validate user input before calling it, or use Parse.
func Every(d time.Duration) Schedule {
	if d <= 0 {
		panic("schedule: non-positive interval for Every")
	}
	return interval{d: d}
}

// interval runs every d after the previous run.
type interval struct{ d time.Duration }

func (s interval) Next(after time.Time) time.Time { return after.Add(s.d) }

func (s interval) String() string { return "every " + formatDuration(s.d) }

// Sitting time is an approximation of when the House of Commons may be sitting: Monday to
// Friday, 07:00 to 22:00 Eastern (committees start early, the House can sit late). The real
// parliamentary calendar, with its recess weeks and holidays, is published by the House but
// billwatch does not have it offline, so a recess week is simply polled as if sitting.
const (
	sittingStartHour = 7
	sittingEndHour   = 22
)

// IsSittingTime reports whether t falls in sitting time: Monday to Friday, 07:00 (inclusive)
// to 22:00 (exclusive) Eastern. It ignores recesses and holidays; see the package's sitting
// schedule.
func IsSittingTime(t time.Time) bool {
	t = t.In(billwatch.Eastern)
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return t.Hour() >= sittingStartHour && t.Hour() < sittingEndHour
}

// nextSittingStart returns the first start of sitting time (a weekday at 07:00 Eastern)
// strictly after after.
func nextSittingStart(after time.Time) time.Time {
	y, m, d := after.In(billwatch.Eastern).Date()
	for i := 0; ; i++ {
		t := time.Date(y, m, d+i, sittingStartHour, 0, 0, 0, billwatch.Eastern)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday || !t.After(after) {
			continue
		}
		return t
	}
}

// sitting runs every during in sitting time and every otherwise outside it, and never
// sleeps through the start of a sitting day.
type sitting struct{ during, otherwise time.Duration }

func (s sitting) Next(after time.Time) time.Time {
	d := s.otherwise
	if IsSittingTime(after) {
		d = s.during
	}
	next := after.Add(d)
	if start := nextSittingStart(after); start.Before(next) {
		return start
	}
	return next
}

func (s sitting) String() string {
	return formatDuration(s.during) + " sitting, " + formatDuration(s.otherwise) + " otherwise"
}

// calendar runs at a wall-clock time in Eastern: every day, every week on one weekday, or
// every n weeks on the weekday of an anchor date. A time that does not exist on a
// spring-forward day (02:30) runs an hour later; an ambiguous one on the fall-back day runs
// at its first occurrence.
type calendar struct {
	daily        bool
	weekday      time.Weekday
	hour, minute int
	weeks        int      // 1 for weekly; n > 1 needs anchor
	anchor       civilDay // first day of an every-n-weeks schedule
}

// civilDay is a calendar date without a zone.
type civilDay struct {
	year  int
	month time.Month
	day   int
}

// number counts days since 1970-01-01, so two dates can be subtracted.
func (c civilDay) number() int {
	return int(time.Date(c.year, c.month, c.day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (c civilDay) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", c.year, c.month, c.day)
}

func (s calendar) matches(day civilDay) bool {
	if s.daily {
		return true
	}
	n := day.number()
	if time.Weekday((n+4)%7) != s.weekday { // 1970-01-01 was a Thursday
		return false
	}
	if s.weeks <= 1 {
		return true
	}
	since := n - s.anchor.number()
	return since >= 0 && since%(7*s.weeks) == 0
}

func (s calendar) Next(after time.Time) time.Time {
	y, m, d := after.In(billwatch.Eastern).Date()
	start := civilDay{y, m, d}
	if s.weeks > 1 && start.number() < s.anchor.number() {
		start = s.anchor
	}
	// One full period plus a day always holds a match after after.
	for i := 0; i <= 7*max(s.weeks, 1)+1; i++ {
		day := civilDay{start.year, start.month, start.day + i}
		if !s.matches(normalize(day)) {
			continue
		}
		t := wallClock(day, s.hour, s.minute)
		if t.After(after) {
			return t
		}
	}
	panic("schedule: no calendar match within one period") // unreachable
}

// wallClock returns hour:minute Eastern on day. A time skipped by the spring-forward change
// (02:30) comes out as the same wall time an hour later (03:30 EDT): time.Date alone may
// return 01:30 EST, before the change, which would run a job early.
func wallClock(day civilDay, hour, minute int) time.Time {
	t := time.Date(day.year, day.month, day.day, hour, minute, 0, 0, billwatch.Eastern)
	if t.Hour() != hour || t.Minute() != minute {
		_, before := t.Zone()
		_, after := t.Add(3 * time.Hour).Zone()
		if after > before {
			t = t.Add(time.Duration(after-before) * time.Second)
		}
	}
	return t
}

// normalize turns an overflowing date (January 32) into a real one.
func normalize(c civilDay) civilDay {
	y, m, d := time.Date(c.year, c.month, c.day, 12, 0, 0, 0, time.UTC).Date()
	return civilDay{y, m, d}
}

func (s calendar) String() string {
	clock := fmt.Sprintf("%02d:%02d", s.hour, s.minute)
	if s.daily {
		return "daily " + clock
	}
	out := weekdayNames[s.weekday] + " " + clock
	if s.weeks > 1 {
		out += fmt.Sprintf(" every %d weeks from %s", s.weeks, s.anchor)
	}
	return out
}

// earliest runs at the earliest next time of any of its schedules.
type earliest []Schedule

func (s earliest) Next(after time.Time) time.Time {
	var next time.Time
	for i, sch := range s {
		if t := sch.Next(after); i == 0 || t.Before(next) {
			next = t
		}
	}
	return next
}

func (s earliest) String() string {
	parts := make([]string, len(s))
	for i, sch := range s {
		parts[i] = fmt.Sprint(sch)
	}
	return strings.Join(parts, "; ")
}

// formatDuration writes d the way a person would type it: 30m, 3h, 1h30m, 90s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
