package billwatch

import (
	"testing"
	"time"
)

func TestAlertPagePath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a    Alert
		want string
	}{
		{Alert{Kind: KindBillIntroduced, Subject: "45-1 C-30"}, "/bills/45-1/C-30"},
		{Alert{Kind: KindBillAmended, Subject: "45-1 C-12", Page: DiffPath("45-1", "C-12", "first-reading", "amended-by-committee", "p-2-1")}, "/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-2-1"},
		{Alert{Kind: KindHearingReminder, Subject: "SECU 45-1 meeting 25"}, "/hearings/45-1/SECU/25"},
		{Alert{Kind: KindRegulationProposed, Subject: "Gazette 2026-11-21-reg1"}, "/regulations/I/2026-11-21-reg1"},
		{Alert{Kind: KindDeadlineReminder, Subject: "Gazette 2026-11-21-reg1"}, "/regulations/I/2026-11-21-reg1"},
		{Alert{Kind: KindRegulationFinal, Subject: "Gazette 2026-11-25-sor-dors231"}, "/regulations/II/2026-11-25-sor-dors231"},
		{Alert{Kind: KindSourceUnhealthy, Subject: "source bills"}, "/status"},
		{Alert{Kind: KindHearingScheduled, Subject: "LCJC 45-1 meeting of 2026-11-12 16:15"}, "/hearings/45-1/LCJC/2026-11-12T16:15"},
		{Alert{Kind: KindHearingScheduled, Subject: "LCJC 45-1 meeting of 2026-11-12 noon"}, "/alerts"},
		{Alert{Kind: KindHearingChanged, Subject: "odd subject"}, "/alerts"},
		{Alert{Kind: KindBillStage, Subject: "45-1 C-1/../../x"}, "/bills/45-1/C-1%2F..%2F..%2Fx"},
	} {
		if got := c.a.PagePath(); got != c.want {
			t.Errorf("PagePath(%s %q) = %q, want %q", c.a.Kind, c.a.Subject, got, c.want)
		}
	}
}

// A meeting the site lists without a number has a page of its own, named by its Eastern
// start, and the path reads back to the same meeting.
func TestHearingPagePath(t *testing.T) {
	t.Parallel()
	numbered := Hearing{Committee: "SECU", Session: "45-1", Number: 25, Start: time.Date(2026, 11, 26, 15, 30, 0, 0, Eastern)}
	unnumbered := Hearing{Committee: "LCJC", Session: "45-1", Start: time.Date(2026, 11, 12, 21, 15, 0, 0, time.UTC)}
	for _, c := range []struct {
		h                    Hearing
		path, label, subject string
	}{
		{numbered, "/hearings/45-1/SECU/25", "25", "SECU 45-1 meeting 25"},
		{unnumbered, "/hearings/45-1/LCJC/2026-11-12T16:15", "of 2026-11-12 16:15", "LCJC 45-1 meeting of 2026-11-12 16:15"},
	} {
		if got := c.h.PagePath(); got != c.path {
			t.Errorf("PagePath(%s) = %q, want %q", c.h.Key(), got, c.path)
		}
		if got := c.h.Label(); got != c.label {
			t.Errorf("Label(%s) = %q, want %q", c.h.Key(), got, c.label)
		}
		if got := (Alert{Kind: KindHearingReminder, Subject: c.h.Subject()}).PagePath(); got != c.path || c.h.Subject() != c.subject {
			t.Errorf("an alert about %s (subject %q) links to %q, want %q", c.h.Key(), c.h.Subject(), got, c.path)
		}
	}
	n, start, ok := ParseMeeting("2026-11-12T16:15")
	if !ok || n != 0 || !start.Equal(unnumbered.Start) {
		t.Errorf("ParseMeeting(2026-11-12T16:15) = %d, %v, %v; want the start of the unnumbered meeting", n, start, ok)
	}
	for _, bad := range []string{"0", "-1", "x", "2026-11-12", "2026-13-12T16:15", "25.0"} {
		if _, _, ok := ParseMeeting(bad); ok {
			t.Errorf("ParseMeeting(%q) ok, want not a meeting", bad)
		}
	}
}
