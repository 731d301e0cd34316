package tracker

import (
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// secuOnC22 is a SECU meeting on the relevant bill C-22, starting at start (Eastern).
func secuOnC22(start time.Time) billwatch.Hearing {
	return billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: 31,
		Start: start, End: start.Add(2 * time.Hour), Status: billwatch.HearingScheduled,
		Studies: []string{"Bill C-22, An Act respecting lawful access"}, Bills: []string{"C-22"},
		Room: "West Block, 025-B", URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-31/notice"}
}

// reminderHarness is a tracker holding the relevant bill C-22 and meeting m on it, as first
// read at seen.
func reminderHarness(t *testing.T, m billwatch.Hearing, seen time.Time) *harness {
	t.Helper()
	h := newHarness(t)
	h.week1()
	h.tr.ScrapeBills(t.Context(), "45-1")
	h.now = seen
	sum := h.tr.ScrapeHearings(t.Context(), &fakeHearings{hs: []billwatch.Hearing{m}}, nil, HearingPlan{Session: "45-1", House: []string{"SECU"}})
	if sum.Outcome != OK {
		t.Fatalf("hearings pass: %s", sum.Line())
	}
	hs, err := h.tr.Store.Hearings()
	if err != nil || len(hs) != 1 || !hs[0].Watched {
		t.Fatalf("stored hearings = %+v (%v); want the watched SECU meeting", hs, err)
	}
	return h
}

// remindersAt runs the reminders at now and returns the hearing reminders raised by that run.
func (h *harness) remindersAt(now time.Time) []billwatch.Alert {
	h.t.Helper()
	before, _ := h.tr.Store.Alerts(0)
	h.now = now
	if _, err := h.tr.Reminders(h.t.Context(), DefaultReminders); err != nil {
		h.t.Fatal(err)
	}
	after, _ := h.tr.Store.Alerts(0)
	var out []billwatch.Alert
	for _, a := range after[:len(after)-len(before)] {
		if a.Kind == billwatch.KindHearingReminder {
			out = append(out, a)
		}
	}
	return out
}

// TestHearingReminderToday: a meeting first seen on its own day (published that morning for the
// afternoon) is reminded as today's, with its time, never as "tomorrow".
func TestHearingReminderToday(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 26, 15, 30, 0, 0, billwatch.Eastern)
	h := reminderHarness(t, secuOnC22(start), time.Date(2026, 11, 26, 7, 10, 0, 0, billwatch.Eastern))
	got := h.remindersAt(time.Date(2026, 11, 26, 9, 0, 0, 0, billwatch.Eastern))
	if len(got) != 1 {
		t.Fatalf("reminders at 09:00 on the day = %d, want 1", len(got))
	}
	a := got[0]
	if !strings.HasPrefix(a.Title, "Today at 15:30: SECU meeting 31 on Bill C-22") || !strings.Contains(a.Why, "the hearing is today at 15:30") {
		t.Errorf("reminder on the day: title %q, why %q; want today at 15:30", a.Title, a.Why)
	}
	for _, s := range []string{a.Title, a.Why, a.Text} {
		if strings.Contains(strings.ToLower(s), "tomorrow") {
			t.Errorf("a reminder for a meeting today says tomorrow: %q", s)
		}
	}
	if got := h.remindersAt(time.Date(2026, 11, 26, 11, 0, 0, 0, billwatch.Eastern)); len(got) != 0 {
		t.Errorf("a later pass the same day raised %d more reminders", len(got))
	}
}

// TestHearingReminderTomorrow: a meeting seen days ahead is reminded the day before at 08:00
// Eastern, as tomorrow's.
func TestHearingReminderTomorrow(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 26, 15, 30, 0, 0, billwatch.Eastern)
	h := reminderHarness(t, secuOnC22(start), time.Date(2026, 11, 20, 9, 0, 0, 0, billwatch.Eastern))
	if got := h.remindersAt(time.Date(2026, 11, 25, 7, 59, 0, 0, billwatch.Eastern)); len(got) != 0 {
		t.Errorf("reminder at 07:59 the day before: %q; want none before 08:00", got[0].Title)
	}
	got := h.remindersAt(time.Date(2026, 11, 25, 8, 0, 0, 0, billwatch.Eastern))
	if len(got) != 1 || !strings.HasPrefix(got[0].Title, "Tomorrow: SECU meeting 31") || !strings.Contains(got[0].Why, "the hearing is tomorrow") {
		t.Fatalf("reminders at 08:00 the day before = %+v; want one, for tomorrow", got)
	}
}

// TestHearingReminderAcrossDST: the reminder falls due at 08:00 Eastern wall clock the day
// before, also when that day is the change to or from daylight saving time (midnight + 8 h
// is 07:00 on 2026-11-01 and 09:00 on 2026-03-08).
func TestHearingReminderAcrossDST(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		start time.Time // a Monday meeting
		day   time.Time // the Sunday before, midnight: the day of the change
	}{
		{"fall back, 2026-11-01", time.Date(2026, 11, 2, 11, 0, 0, 0, billwatch.Eastern), time.Date(2026, 11, 1, 0, 0, 0, 0, billwatch.Eastern)},
		{"spring forward, 2026-03-08", time.Date(2026, 3, 9, 11, 0, 0, 0, billwatch.Eastern), time.Date(2026, 3, 8, 0, 0, 0, 0, billwatch.Eastern)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at := func(hh, mm int) time.Time {
				y, m, d := tt.day.Date()
				return time.Date(y, m, d, hh, mm, 0, 0, billwatch.Eastern)
			}
			h := reminderHarness(t, secuOnC22(tt.start), tt.day.AddDate(0, 0, -5))
			for _, early := range []time.Time{at(7, 0), at(7, 59)} {
				if got := h.remindersAt(early); len(got) != 0 {
					t.Errorf("reminder at %s: %q; want none before 08:00", early.Format("2006-01-02 15:04 MST"), got[0].Title)
				}
			}
			got := h.remindersAt(at(8, 0))
			if len(got) != 1 || !strings.HasPrefix(got[0].Title, "Tomorrow: ") {
				t.Errorf("reminders at %s = %+v; want one, for tomorrow", at(8, 0).Format("2006-01-02 15:04 MST"), got)
			}
		})
	}
}

// TestDeadlineReminderWording: the comment-deadline reminder counts the days left in words
// people use: "in 2 days", "tomorrow", "today", never "1 days" or "0 days".
func TestDeadlineReminderWording(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	days := 30
	reg := billwatch.Regulation{Part: "I", ID: "2026-11-21-reg1", Title: "Regulations Amending the Immigration and Refugee Protection Regulations (Biometrics)",
		Department: "Canada Border Services Agency", Acts: []string{"Immigration and Refugee Protection Act"}, Published: "2026-11-21",
		CommentDays: &days, URL: "https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/reg1-eng.html"}
	h.now = time.Date(2026, 11, 21, 12, 0, 0, 0, billwatch.Eastern)
	h.tr.ScrapeRegulations(t.Context(), &fakeGazette{}) // the baseline
	if s := h.tr.ScrapeRegulations(t.Context(), &fakeGazette{items: []billwatch.Regulation{reg}}); s.Outcome != OK {
		t.Fatalf("gazette pass: %s", s.Line())
	}
	regs, _ := h.tr.Store.Regulations()
	if len(regs) != 1 || regs[0].CommentDeadline != "2026-12-21" || !regs[0].Relevant {
		t.Fatalf("stored = %+v; want the relevant proposal, comments by 2026-12-21", regs)
	}
	// Each step skips the earlier reminders' days, so that each run raises the one due.
	for _, tt := range []struct {
		now  time.Time
		plan []int
		want string
	}{
		{time.Date(2026, 12, 19, 9, 0, 0, 0, billwatch.Eastern), []int{2}, "comments close in 2 days, on 2026-12-21"},
		{time.Date(2026, 12, 20, 9, 0, 0, 0, billwatch.Eastern), []int{1}, "comments close tomorrow, 2026-12-21"},
		{time.Date(2026, 12, 21, 9, 0, 0, 0, billwatch.Eastern), []int{0}, "comments close today, 2026-12-21"},
	} {
		h.now = tt.now
		if _, err := h.tr.Reminders(t.Context(), ReminderPlan{HearingHour: 8, DeadlineDays: tt.plan}); err != nil {
			t.Fatal(err)
		}
		alerts, _ := h.tr.Store.Alerts(1)
		if len(alerts) != 1 || alerts[0].Kind != billwatch.KindDeadlineReminder || alerts[0].Why != tt.want {
			t.Errorf("at %s: newest alert %+v; want a deadline reminder saying %q", tt.now.Format("2006-01-02"), alerts, tt.want)
		}
	}
}

// TestHearingTimeUnknown: a meeting published with its date alone (a Senate schedule without a
// time: midnight Eastern, no end) is never shown at "00:00": its alerts carry the date alone as
// their deadline and say that the time is not yet published; on its day it is reminded as
// today's.
func TestHearingTimeUnknown(t *testing.T) {
	t.Parallel()
	m := secuOnC22(time.Date(2026, 11, 2, 0, 0, 0, 0, billwatch.Eastern))
	m.End = time.Time{}
	check := func(when string, a billwatch.Alert) {
		t.Helper()
		if a.Deadline != "2026-11-02" {
			t.Errorf("%s: deadline %q, want the date alone, 2026-11-02", when, a.Deadline)
		}
		if !strings.Contains(a.Text, "Mon 2026-11-02 (time not yet published)") {
			t.Errorf("%s: text %q; want the date and that the time is not yet published", when, a.Text)
		}
		for _, s := range []string{a.Title, a.Why, a.Text, a.Deadline} {
			if strings.Contains(s, "00:00") {
				t.Errorf("%s: %q shows a time nobody published", when, s)
			}
		}
	}
	// Seen days ahead: scheduled, then reminded the day before.
	h := reminderHarness(t, m, time.Date(2026, 10, 26, 9, 0, 0, 0, billwatch.Eastern))
	h.now = time.Date(2026, 10, 27, 9, 0, 0, 0, billwatch.Eastern)
	m2 := m
	m2.Witnesses = []billwatch.Witness{{Name: "Jane Roe", Organization: "Canadian Civil Liberties Association"}}
	sum := h.tr.ScrapeHearings(t.Context(), &fakeHearings{hs: []billwatch.Hearing{m2}}, nil, HearingPlan{Session: "45-1", House: []string{"SECU"}})
	if len(sum.Alerts) != 1 || sum.Alerts[0].Kind != billwatch.KindHearingChanged {
		t.Fatalf("witnesses added: alerts %v; want hearing.changed", h.kinds(sum.Alerts))
	}
	check("hearing.changed", sum.Alerts[0])
	got := h.remindersAt(time.Date(2026, 11, 1, 8, 0, 0, 0, billwatch.Eastern))
	if len(got) != 1 || !strings.HasPrefix(got[0].Title, "Tomorrow: ") {
		t.Fatalf("reminders the day before = %+v; want one, for tomorrow", got)
	}
	check("reminder the day before", got[0])

	// First seen on its day: reminded as today's, time not yet published.
	h = reminderHarness(t, m, time.Date(2026, 11, 2, 6, 30, 0, 0, billwatch.Eastern))
	got = h.remindersAt(time.Date(2026, 11, 2, 9, 0, 0, 0, billwatch.Eastern))
	if len(got) != 1 || !strings.HasPrefix(got[0].Title, "Today (time not yet published): SECU meeting 31") || !strings.Contains(got[0].Why, "the hearing is today (time not yet published)") {
		t.Fatalf("reminders on the day = %+v; want one, for today, time not yet published", got)
	}
	check("reminder on the day", got[0])
}
