package main

import (
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// TestMemoryCarryRefusesOwnRecord: carrying onto a bill that has a record of its own is refused
// (exit 1, one line naming both records) and changes nothing; --replace replaces it and says
// what it replaced; a bill the lineage does not link is carried but the output says so; the
// next step moves (closed on the earlier bill) and, overdue, is flagged with the command that
// gives it a new date.
func TestMemoryCarryRefusesOwnRecord(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	c.ok("memory", "set", "C-8", "--position", "oppose", "--owner", "lea", "--next", "brief to SECU", "--due", "2026-11-10", "--by", "lea")
	c.ok("memory", "set", "C-2", "--position", "monitor", "--owner", "newbie", "--by", "newbie")
	c.fails(1, "bill 45-1 C-2 has a record of its own (Our position: monitor · owner: newbie): the record of bill 45-1 C-8 (Our position: oppose · owner: lea · next: brief to SECU (due 2026-11-10)) was not carried over onto it", "memory", "carry", "C-2", "--from", "45-1 C-8")
	c.fails(1, "--replace replaces", "memory", "carry", "C-2", "--from", "45-1 C-8")
	if show := c.ok("memory", "show", "C-2"); !strings.Contains(show, "Position:    monitor") || strings.Contains(show, "carried") {
		t.Errorf("after a refused carry, C-2's record:\n%s", show)
	}
	out := c.ok("memory", "carry", "C-2", "--from", "45-1 C-8", "--replace", "--by", "newbie")
	for _, want := range []string{
		"note: 45-1 C-8 is not known as an earlier version of 45-1 C-2",
		"45-1 C-2: carried over from 45-1 C-8: Our position: oppose · owner: lea · next: brief to SECU (due 2026-11-10)",
		"replaced this bill's own position, owner",
		"next step moved here from 45-1 C-8 (closed there): brief to SECU, due 2026-11-10",
		"overdue: it was due 2026-11-10; give it a new date: billwatch memory set C-2 --session 45-1 --due YYYY-MM-DD",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("carry --replace output lacks %q:\n%s", want, out)
		}
	}
	show := c.ok("memory", "show", "C-8")
	if strings.Contains(strings.Split(show, "History:")[0], "Next step:") || !strings.Contains(show, "to bill 45-1 C-2 (the next step moved with the file)") {
		t.Errorf("C-8 after its step moved:\n%s", show)
	}
	if show := c.ok("memory", "show", "C-2"); !strings.Contains(show, "from bill 45-1 C-8; decided there: position by lea on 2026-11-20, owner by lea on 2026-11-20, next step by lea on 2026-11-20") {
		t.Errorf("C-2's history does not say who decided on C-8:\n%s", show)
	}
	if out := c.ok("memory", "carry", "C-2", "--from", "45-1 C-8", "--replace"); !strings.Contains(out, "nothing to carry over") {
		t.Errorf("a second carry = %q", out)
	}
}

// TestInheritedRecordNamesTheCarryCommand: show and memory show print the carry command of a
// bill that inherits a record with its own number and session, ready to run.
func TestInheritedRecordNamesTheCarryCommand(t *testing.T) {
	t.Parallel()
	m := memoryJSON{Position: "oppose", Owner: "lea", InheritedFrom: "44-1 C-26"}
	want := `carry it over: billwatch memory carry C-8 --session 45-1 --from "44-1 C-26"`
	var buf strings.Builder
	printMemory(&buf, m, false, "bill 45-1 C-8")
	if !strings.Contains(buf.String(), want) || strings.Contains(buf.String(), "…") {
		t.Errorf("memory show prints:\n%s\nwant %q", buf.String(), want)
	}
	buf.Reset()
	b := billJSON{Memory: &m}
	b.Session, b.Number = "45-1", "C-8"
	printLineageMemory(&buf, b)
	if !strings.Contains(buf.String(), want) {
		t.Errorf("show prints:\n%s\nwant %q", buf.String(), want)
	}
}

// TestDueInThePastWarns: a due date before today is recorded, with one line of warning on
// stderr; a date to come is recorded without one.
func TestDueInThePastWarns(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	out, errOut, code := c.run(memNow, "memory", "set", "C-8", "--next", "brief to SECU", "--due", "2026-11-01", "--by", "lea")
	if code != 0 || !strings.Contains(out, "next: brief to SECU (due 2026-11-01)") || strings.TrimSpace(errOut) != "warning: the due date 2026-11-01 is in the past (today is 2026-11-20): the step is recorded as overdue and its reminder goes out at the next pass" {
		t.Errorf("--due in the past: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, errOut, code = c.run(memNow, "memory", "set", "C-8", "--due", "2026-10-30", "--by", "lea")
	if code != 0 || !strings.HasPrefix(errOut, "warning: the due date 2026-10-30 is in the past") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("--due alone in the past: exit %d, stderr %q", code, errOut)
	}
	if _, errOut, code := c.run(memNow, "memory", "set", "C-8", "--due", "2026-11-20", "--by", "lea"); code != 0 || errOut != "" {
		t.Errorf("--due today: exit %d, stderr %q", code, errOut)
	}
}
