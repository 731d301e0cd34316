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
