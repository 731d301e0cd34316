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
