package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// `show BILL` lists the meetings the committees' own lists show on the bill, not only those
// its LEGISinfo record names: SECU meeting 25 on C-22 is in the committee's list a week before
// the record mentions it.
func TestShowListsCommitteeMeetings(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	for _, step := range []struct {
		snapshot int
		now      string
	}{{1, week1}, {2, week2}} {
		c.servers.SetSnapshot(step.snapshot)
		if out, errOut, code := c.run(step.now, "scrape"); code != 0 {
			t.Fatalf("scrape of snapshot %d: exit %d\n%s%s", step.snapshot, code, out, errOut)
		}
	}
	out, errOut, code := c.run(week2, "show", "C-22", "--json")
	if code != 0 {
		t.Fatalf("show C-22 --json: exit %d: %s", code, errOut)
	}
	var got struct {
		Meetings []meetingJSON `json:"meetings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("show C-22 --json: %v\n%s", err, out)
	}
	var secu25 *meetingJSON
	for i, m := range got.Meetings {
		if m.Committee == "SECU" && m.Number == 25 {
			secu25 = &got.Meetings[i]
		}
	}
	if secu25 == nil {
		t.Fatalf("show C-22 meetings = %+v, want SECU meeting 25 from the committee's list", got.Meetings)
	}
	want := meetingJSON{Chamber: "House of Commons", Committee: "SECU", Number: 25, Date: "2026-11-26", Start: "2026-11-26T15:30:00-05:00",
		Status: "scheduled", URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-25/notice", Sources: []string{"committee"}}
	if b1, b2 := mustJSON(t, *secu25), mustJSON(t, want); b1 != b2 {
		t.Errorf("show C-22 SECU 25 = %s, want %s", b1, b2)
	}
	text, _, _ := c.run(week2, "show", "C-22")
	if !strings.Contains(text, "SECU") || !strings.Contains(text, "meeting 25") || !strings.Contains(text, "scheduled") {
		t.Errorf("show C-22 text lacks SECU meeting 25 scheduled:\n%s", text)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
