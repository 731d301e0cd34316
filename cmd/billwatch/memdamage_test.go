package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// damageAt overwrites 24 bytes just after the start of every stored copy of pat (the live
// record, and stale copies in free pages), as damageRecord does for an alert.
func damageAt(t *testing.T, db, pat string) {
	t.Helper()
	b := must(os.ReadFile(db))
	n := 0
	for i := bytes.Index(b, []byte(pat)); i >= 0; i = bytes.Index(b, []byte(pat)) {
		copy(b[i+1:], bytes.Repeat([]byte{0x01}, 24))
		n++
	}
	if n == 0 {
		t.Fatalf("%s not found in %s", pat, db)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// memoryCLI is a database with a memory for C-8 (two changes: a position and a note) and
// two committees (FINA, INDU) on the watch list.
func memoryCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	c.ok("memory", "set", "C-8", "--position", "oppose", "--by", "lea")
	c.ok("memory", "note", "C-8", "met the minister's staff", "--by", "lea")
	c.ok("watch", "add", "committee", "FINA")
	c.ok("watch", "add", "committee", "INDU")
	return c
}

// wantOneLine checks that stderr is one line holding every want.
func wantOneLine(t *testing.T, what, errOut string, want ...string) {
	t.Helper()
	t.Logf("%s: %s", what, errOut)
	if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("%s: stderr has more than one line:\n%s", what, errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("%s: stderr %q lacks %q", what, errOut, w)
		}
	}
}

// TestDamagedWatchEntry: `watch list` lists the other entries and warns about the damaged
// one; `memory export` refuses, naming it, rather than write an export without it.
func TestDamagedWatchEntry(t *testing.T) {
	t.Parallel()
	c := memoryCLI(t)
	damageAt(t, c.db, `{"kind":"committee","value":"FINA"`)

	out, errOut, code := c.run(memNow, "watch", "list", "--json")
	var items []struct{ Kind, Value, Source string }
	err := json.Unmarshal([]byte(out), &items)
	var stored []string
	for _, it := range items {
		if it.Source == "database" {
			stored = append(stored, it.Value)
		}
	}
	if err != nil || code != 0 || len(stored) != 1 || stored[0] != "INDU" {
		t.Errorf("watch list --json: exit %d, %v, from the database %v; want exit 0 and INDU alone\n%s", code, err, stored, errOut)
	}
	wantOneLine(t, "watch list", errOut, "warning: skipped record committee", "bucket watch", "billwatch check")

	out, errOut, code = c.run(memNow, "memory", "export")
	if code != 1 || out != "" {
		t.Errorf("memory export: exit %d, stdout %q; want exit 1 and no export", code, out)
	}
	wantOneLine(t, "memory export", errOut, "is damaged", "the watch-list entry committee fina cannot be decoded", "a memory export without it would not be whole", "billwatch check")
}

// TestDamagedHistoryChange: `memory export` refuses a file with a change it cannot decode,
// naming it; `memory show` shows the rest with a warning.
func TestDamagedHistoryChange(t *testing.T) {
	t.Parallel()
	c := memoryCLI(t)
	damageAt(t, c.db, `"field":"note"`)

	out, errOut, code := c.run(memNow, "memory", "export")
	if code != 1 || out != "" {
		t.Errorf("memory export: exit %d, stdout %q; want exit 1 and no export", code, out)
	}
	wantOneLine(t, "memory export", errOut, "is damaged", "in the history of bill 45-1 C-8 cannot be decoded", "billwatch check")

	out, errOut, code = c.run(memNow, "memory", "show", "C-8")
	if code != 0 || !strings.Contains(out, "oppose") {
		t.Errorf("memory show: exit %d\n%s%s", code, out, errOut)
	}
	wantOneLine(t, "memory show", errOut, "warning: skipped record", "bucket memory_history", "billwatch check")
}

// TestDamagedMemoryRecord: `show` and `memory show` of a bill whose memory record cannot be
// decoded say, in one line, that the database is damaged, which record, and `billwatch check`;
// `memory export` refuses.
func TestDamagedMemoryRecord(t *testing.T) {
	t.Parallel()
	c := memoryCLI(t)
	damageAt(t, c.db, `{"subject":"bill 45-1 C-8"`)
	for _, args := range [][]string{{"show", "C-8"}, {"memory", "show", "C-8"}, {"memory", "export"}} {
		out, errOut, code := c.run(memNow, args...)
		if code != 1 || out != "" {
			t.Errorf("%s: exit %d, stdout %q; want exit 1", strings.Join(args, " "), code, out)
		}
		wantOneLine(t, strings.Join(args, " "), errOut, "database "+c.db+" is damaged", "the memory record of bill 45-1 C-8 cannot be decoded", "billwatch check")
		if strings.Contains(errOut, "ca/") {
			t.Errorf("%s: stderr %q names the record by its stored key", strings.Join(args, " "), errOut)
		}
	}
}
