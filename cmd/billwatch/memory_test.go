package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch/fixtures"
)

const memNow = "2026-11-20T10:00:00-05:00"

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run(memNow, args...)
	if code != 0 {
		c.t.Fatalf("billwatch %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func (c *cli) fails(code int, want string, args ...string) {
	c.t.Helper()
	_, errOut, got := c.run(memNow, args...)
	if got != code || !strings.Contains(errOut, want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		c.t.Errorf("billwatch %s: exit %d, stderr %q; want exit %d and one line containing %q", strings.Join(args, " "), got, errOut, code, want)
	}
}

func TestMemoryCommands(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")

	c.ok("memory", "set", "C-8", "--position", "oppose", "--priority", "high", "--owner", "Léa", "--next", "brief to SECU", "--due", "2026-12-04", "--by", "lea")
	if out := c.ok("memory", "note", "C-8", "<b>met</b> the minister's staff", "--by", "lea"); !strings.Contains(out, "note added (1 note)") {
		t.Errorf("memory note = %q, want it to say the bill has 1 note", out)
	}
	c.ok("memory", "doc", "C-8", "--title", "brief", "--date", "2023-03-01", "--url", "https://example.org/brief.pdf", "--by", "lea")
	c.fails(2, `position "hate"`, "memory", "set", "C-8", "--position", "hate")
	c.fails(2, `document URL "ftp://x"`, "memory", "doc", "C-8", "--title", "t", "--date", "2023-03-01", "--url", "ftp://x")
	c.fails(1, "has no next step to give a due date to", "memory", "set", "C-2", "--due", "2026-12-04")
	c.fails(2, `due date "2026-13-01"`, "memory", "set", "C-8", "--due", "2026-13-01")
	c.fails(2, `"Z-9" is neither a bill number`, "memory", "note", "Z-9", "hello")

	var shown struct {
		Number  string            `json:"number"`
		Lineage []json.RawMessage `json:"lineage"`
		Memory  struct {
			Position  string `json:"position"`
			Priority  string `json:"priority"`
			Owner     string `json:"owner"`
			Next      struct{ Text, Due string }
			Notes     []struct{ Text, By string }
			Documents []struct {
				Title, Date, URL string
			}
		} `json:"memory"`
	}
	if err := json.Unmarshal([]byte(c.ok("show", "C-8", "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	m := shown.Memory
	if m.Position != "oppose" || m.Priority != "high" || m.Owner != "Léa" || m.Next.Due != "2026-12-04" || len(m.Notes) != 1 || m.Notes[0].Text != "<b>met</b> the minister's staff" || len(m.Documents) != 1 || shown.Lineage == nil {
		t.Errorf("show C-8 --json memory = %+v, lineage %v", m, shown.Lineage)
	}
	hist := c.ok("memory", "show", "C-8")
	for _, want := range []string{"Position:    oppose", "position", "→ oppose", "lea"} {
		if !strings.Contains(hist, want) {
			t.Errorf("memory show lacks %q:\n%s", want, hist)
		}
	}
	if ics := c.ok("calendar"); !strings.Contains(ics, "SUMMARY:Next step (45-1 C-8): brief to SECU") || !strings.Contains(ics, "DTSTART;VALUE=DATE:20261204") {
		t.Errorf("calendar lacks the next step:\n%s", ics)
	}

	// --due alone moves the due date of the step already recorded, and keeps its text.
	c.ok("memory", "set", "C-8", "--due", "2026-12-11", "--by", "lea")
	if ics := c.ok("calendar"); !strings.Contains(ics, "SUMMARY:Next step (45-1 C-8): brief to SECU") || !strings.Contains(ics, "DTSTART;VALUE=DATE:20261211") {
		t.Errorf("after --due alone, the calendar lacks the step on its new date:\n%s", ics)
	}

	// Export, import into a fresh database, export again: the same document.
	c.ok("watch", "add", "keyword", "lawful access", "--by", "lea")
	exported := c.ok("memory", "export")
	file := filepath.Join(t.TempDir(), "memory.json")
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := *c
	fresh.db = filepath.Join(t.TempDir(), "fresh.db")
	fresh.fails(1, "does not exist", "memory", "import", file) // import adds to a database; it creates none
	fresh.ok("scrape", "--no-notify")
	fresh.ok("memory", "import", file)
	if d := cmp.Diff(exported, fresh.ok("memory", "export")); d != "" {
		t.Errorf("export → import → export differs (-first +second):\n%s", d)
	}
	fresh.fails(1, "--replace", "memory", "import", file)
	bad := filepath.Join(t.TempDir(), "v9.json")
	os.WriteFile(bad, []byte(strings.Replace(exported, `"schema": 1`, `"schema": 9`, 1)), 0o600)
	fresh.fails(1, "schema 9 is unknown", "memory", "import", "--replace", bad)

	// A backup holds the memory.
	backup := filepath.Join(t.TempDir(), "backup.db")
	c.ok("backup", backup)
	restored := *c
	restored.db = backup
	if got := restored.ok("memory", "export"); got != exported {
		t.Errorf("the backup's memory differs from the database's")
	}
}

func TestWatchAndUserCommands(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	before := c.ok("bills", "--json")
	out := c.ok("watch", "add", "bill", "c-2", "--by", "lea")
	if !strings.Contains(out, `bill "C-2" added to the watch list`) {
		t.Errorf("watch add = %q", out)
	}
	c.fails(2, `watch kind "colour"`, "watch", "add", "colour", "blue")
	c.fails(1, "is not on the watch list", "watch", "rm", "keyword", "never added")
	var rows []watchRow
	if err := json.Unmarshal([]byte(c.ok("watch", "list", "--json")), &rows); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || r.Kind == "bill" && r.Value == "C-2" && r.Source == "database" && r.By == "lea"
	}
	if !found {
		t.Errorf("watch list --json lacks C-2 from the database: %+v", rows)
	}
	if after := c.ok("bills", "--json"); after == before && strings.Contains(c.ok("bills", "--all", "--json"), `"C-2"`) {
		t.Errorf("watch add bill C-2 did not change the relevant bills")
	}
	c.ok("watch", "rm", "bill", "C-2")
	if got := c.ok("bills", "--json"); got != before {
		t.Errorf("after watch rm, bills --json differs from before the add")
	}

	out = c.ok("user", "add", "lea", "--role", "editor", "--url", "https://billwatch.example.org")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "https://billwatch.example.org/signin?token=") || len(last) < 80 {
		t.Errorf("user add last line = %q, want a sign-in URL", last)
	}
	c.fails(1, "user lea already exists", "user", "add", "lea", "--role", "viewer") // well formed, but there already: exit 1
	c.fails(2, `role "boss"`, "user", "add", "sam", "--role", "boss")
	c.fails(2, "user add needs --role", "user", "add", "sam")
	if list := c.ok("user", "list"); !strings.Contains(list, "lea") || !strings.Contains(list, "editor") {
		t.Errorf("user list = %q", list)
	}
	c.ok("user", "rm", "lea")
	c.fails(1, "no user lea", "user", "rm", "lea")
}
