package notify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

var _ tracker.Sink = (*Console)(nil)

func TestConsoleTakesAndPrints(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := NewConsole(&buf, nil)
	c.Take = func(a billwatch.Alert) bool { return a.Audience == billwatch.Ops }
	policy := billwatch.Alert{Kind: billwatch.KindBillIntroduced, Audience: billwatch.Policy, Subject: "45-1 C-30", Why: "new bill", Text: "C-30"}
	ops := billwatch.Alert{Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops, Subject: "source bills", Why: "3 failures", Text: "down", Deadline: "2026-12-21", Links: []billwatch.Link{{Label: "LEGISinfo", URL: "https://www.parl.ca/legisinfo"}}}
	if ch := c.Channels(policy); len(ch) != 0 {
		t.Errorf("Channels(policy) = %q, want none", ch)
	}
	if ch := c.Channels(ops); len(ch) != 1 {
		t.Fatalf("Channels(ops) = %q, want one", ch)
	}
	if _, err := c.Send(t.Context(), ops, "", ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[URGENT]", "source.unhealthy", "Why: 3 failures", "Deadline: 2026-12-21", "LEGISinfo: https://www.parl.ca/legisinfo"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("console output %q lacks %q", buf.String(), want)
		}
	}
}

// TestConsoleStripsTerminalControls: an alert stored before scraped text was cleaned on the
// way in (or any text a format adds) cannot retitle, clear or recolour the operator's
// terminal, nor plant a link.
func TestConsoleStripsTerminalControls(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := NewConsole(&buf, nil)
	a := billwatch.Alert{
		Kind: billwatch.KindHearingScheduled, Audience: billwatch.Lobbying, Subject: "SECU 45-1 meeting 25",
		Title: "Study\x1b]0;owned\x07 of\x1b[2J\x1b[31m lawful access\u009b0m",
		Why:   "witness \x1b]8;;https://evil.example\x1b\\Jane\x1b]8;;\x1b\\ \u202eevil",
		Text:  "line one\nline two",
	}
	if _, err := c.Send(t.Context(), a, "", ""); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("console output carries %q: %q", bad, out)
		}
	}
	if !strings.Contains(out, "lawful access") || !strings.Contains(out, "  line one\n  line two") {
		t.Errorf("console output lost the text: %q", out)
	}
}

// TestConsoleMeetingTimeNotPublished: a meeting known by its date alone is printed with its
// date and that its time is not yet published; a comment deadline is a date and nothing more.
func TestConsoleMeetingTimeNotPublished(t *testing.T) {
	t.Parallel()
	secd := billwatch.Alert{Kind: billwatch.KindHearingScheduled, Severity: billwatch.Action, Audience: billwatch.Lobbying,
		Subject: "SECD 45-1 meeting of 2026-11-02 00:00", Why: "a hearing on Bill C-8 is scheduled", Text: "SECD (Senate), Mon 2026-11-02 (time not yet published).",
		Deadline: "2026-11-02"}
	if got := Plain(secd); !strings.Contains(got, "Deadline: 2026-11-02 (time not yet published)\n") {
		t.Errorf("Plain = %q; want the date and that the time is not yet published", got)
	}
	reg := billwatch.Alert{Kind: billwatch.KindDeadlineReminder, Severity: billwatch.Urgent, Audience: billwatch.Policy,
		Subject: "Gazette 2026-11-21-reg1", Why: "comments close in 2 days, on 2026-12-21", Deadline: "2026-12-21"}
	if got := Plain(reg); !strings.Contains(got, "Deadline: 2026-12-21\n") {
		t.Errorf("Plain = %q; want the comment deadline as it is", got)
	}
}
