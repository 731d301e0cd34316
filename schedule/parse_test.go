package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		spec string
		want string // String() of the result
	}{
		{"30m", "every 30m"},
		{"every 30m", "every 30m"},
		{"Every 1h30m", "every 1h30m"},
		{"90s", "every 1m30s"},
		{"3h", "every 3h"},
		{"30m sitting, 3h otherwise", "30m sitting, 3h otherwise"},
		{"  30M Sitting 3H Otherwise ", "30m sitting, 3h otherwise"},
		{"fri 14:00", "fri 14:00"},
		{"Friday 9:05", "fri 09:05"},
		{"thurs 00:00", "thu 00:00"},
		{"daily 08:00", "daily 08:00"},
		{"wed 09:00 every 2 weeks from 2026-01-07", "wed 09:00 every 2 weeks from 2026-01-07"},
		{"wed 09:00 every 1 week from 2026-01-07", "wed 09:00"},
		{"fri 14:05;daily 07:30", "fri 14:05; daily 07:30"},
		{DefaultBills, DefaultBills},
		{DefaultHearings, "every 30m"},
		{DefaultRegulations, DefaultRegulations},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.spec, err)
			continue
		}
		if got := fmt.Sprint(s); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.spec, got, tt.want)
		}
		// The canonical form parses back to the same schedule.
		again, err := Parse(fmt.Sprint(s))
		if err != nil {
			t.Errorf("Parse(%q) (canonical of %q): %v", fmt.Sprint(s), tt.spec, err)
			continue
		}
		if diff := cmp.Diff(s, again, cmp.AllowUnexported(interval{}, sitting{}, calendar{}, civilDay{})); diff != "" {
			t.Errorf("Parse(canonical %q) differs (-first +again):\n%s", fmt.Sprint(s), diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		spec string
		want string // substring of the error, besides the spec itself
	}{
		{"", "empty part"},
		{"fri 14:05;", "empty part"},
		{"every", `nothing after "every"`},
		{"soon", `"soon" is not a duration`},
		{"-5m", "shorter than 1s"},
		{"30ns", "shorter than 1s"},
		{"0s", "shorter than 1s"},
		{"30m often", `unexpected "often"`},
		{"30m sitting, soon otherwise", `"soon" is not a duration`},
		{"30m sitting, 3h", `unexpected "sitting 3h"`},
		{"fri", "needs a time"},
		{"fri 2pm", `time "2pm" is not HH:MM`},
		{"fri 25:00", "out of range"},
		{"fri 14:60", "out of range"},
		{"fri 14:5", "is not HH:MM"},
		{"fri 14:00 weekly", `unexpected "weekly"`},
		{"every fri 14:00", `"every fri"`},
		{"daily", `want "daily HH:MM"`},
		{"every daily 08:00", `"every daily"`},
		{"daily 8h", "is not HH:MM"},
		{"wed 09:00 every 2 weeks", "every N weeks from YYYY-MM-DD"},
		{"wed 09:00 every two weeks from 2026-01-07", `week count "two"`},
		{"wed 09:00 every 0 weeks from 2026-01-07", `week count "0"`},
		{"wed 09:00 every 2 weeks from 2026-13-07", `anchor date "2026-13-07"`},
		{"wed 09:00 every 2 weeks from 2026-01-08", "anchor date 2026-01-08 is a Thursday, not a Wednesday"},
		{"fri 14:05; dayly 07:30", `part "dayly 07:30": "dayly" is not a duration`},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.spec, s, tt.want)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, fmt.Sprintf("%q", tt.spec)) || !strings.Contains(msg, tt.want) {
			t.Errorf("Parse(%q) error = %q, want it to name the spec and contain %q", tt.spec, msg, tt.want)
		}
		if msg != strings.ToLower(msg[:1])+msg[1:] {
			t.Errorf("Parse(%q) error %q starts with a capital", tt.spec, msg)
		}
	}
}

func TestEvery(t *testing.T) {
	s := Every(5 * time.Second)
	after := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	if got, want := s.Next(after), after.Add(5*time.Second); !got.Equal(want) {
		t.Errorf("Every(5s).Next(%s) = %s, want %s", after, got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("Every(0) did not panic")
		}
	}()
	Every(0)
}

// The Part II anchor of DefaultRegulations must be in phase with real Part II issues: the
// research notes (sources.md §5.1) record Wednesday 2014-12-03 and Wednesday 2024-12-18.
func TestPartIIAnchorInPhase(t *testing.T) {
	s, err := Parse(strings.TrimSpace(strings.Split(DefaultRegulations, ";")[1]))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := s.(calendar)
	if !ok || c.weeks != 2 {
		t.Fatalf("second part of DefaultRegulations = %v, want an every-2-weeks schedule", s)
	}
	for _, issue := range []civilDay{{2014, 12, 3}, {2024, 12, 18}} {
		if days := c.anchor.number() - issue.number(); days%14 != 0 {
			t.Errorf("anchor %s is %d days after Part II issue %s, not a multiple of 14", c.anchor, days, issue)
		}
	}
}
