package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// TestMemoryRefusalsAndRetract: set, note and doc refuse a bill the database does not hold
// (one line, exit 1) and a document address with credentials; a note and a document are
// retracted by the id memory show gives, leave the record and the export's records, and the
// history keeps them; import and carry --from keep working for bills not stored.
func TestMemoryRefusalsAndRetract(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	c.fails(1, "bill C-999 of session 45-1 is not in the database", "memory", "set", "C-999", "--position", "oppose")
	c.fails(1, "billwatch bills --all", "memory", "note", "C-999", "hello")
	c.fails(1, "bill C-1 of session 99-9 is not in the database", "memory", "doc", "C-1", "--session", "99-9", "--title", "t", "--date", "2026-11-20", "--url", "https://example.org/x")
	c.fails(2, "carries a user name or password", "memory", "doc", "C-8", "--title", "t", "--date", "2026-11-20", "--url", "https://user:s3cret@example.org/x")
	if out, errOut, _ := c.run(memNow, "memory", "doc", "C-8", "--title", "t", "--date", "2026-11-20", "--url", "https://user:s3cret@example.org/x"); strings.Contains(out+errOut, "s3cret") {
		t.Errorf("the refusal repeats the password: %s", errOut)
	}
	if ex := c.ok("memory", "export"); strings.Contains(ex, "C-999") || strings.Contains(ex, "99-9") || strings.Contains(ex, "example.org/x") {
		t.Errorf("a refused change was stored:\n%s", ex)
	}

	c.ok("memory", "note", "C-8", "posted on the wrong bill", "--by", "lea")
	c.ok("memory", "note", "C-8", "met the minister's staff", "--by", "lea")
	c.ok("memory", "doc", "C-8", "--title", "old draft", "--date", "2026-11-01", "--url", "https://example.org/draft.pdf", "--by", "lea")
	var m struct {
		Notes     []struct{ Text, ID string }
		Documents []struct{ Title, ID string }
	}
	if err := json.Unmarshal([]byte(c.ok("memory", "show", "C-8", "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Notes) != 2 || len(m.Documents) != 1 || !strings.HasPrefix(m.Notes[0].ID, "n-") || !strings.HasPrefix(m.Documents[0].ID, "d-") {
		t.Fatalf("memory show --json = %+v, want ids", m)
	}
	if show := c.ok("memory", "show", "C-8"); !strings.Contains(show, "["+m.Notes[0].ID+"]") || !strings.Contains(show, "["+m.Documents[0].ID+"]") {
		t.Errorf("memory show lacks the ids:\n%s", show)
	}
	if out := c.ok("memory", "retract", "C-8", m.Notes[0].ID, "--by", "sam"); !strings.Contains(out, "note "+m.Notes[0].ID+" retracted (1 note, 1 document left)") {
		t.Errorf("memory retract = %q", out)
	}
	c.ok("memory", "retract", "C-8", m.Documents[0].ID, "--by", "sam")
	c.fails(1, "has no note or document "+m.Notes[0].ID, "memory", "retract", "C-8", m.Notes[0].ID) // not there (any more): exit 1
	c.fails(2, "memory retract takes a bill and a note or document id", "memory", "retract", "C-8")
	show := c.ok("memory", "show", "C-8")
	if strings.Contains(strings.Split(show, "History:")[0], "wrong bill") || strings.Contains(strings.Split(show, "History:")[0], "old draft") || strings.Count(show, "(retracted)") != 2 || !strings.Contains(show, "sam") {
		t.Errorf("memory show after retracting:\n%s", show)
	}
	exported := c.ok("memory", "export")
	if strings.Contains(exported, `"text": "posted on the wrong bill"`) || !strings.Contains(exported, `"before": "posted on the wrong bill"`) {
		t.Errorf("export after retracting:\n%s", exported)
	}

	// A fresh database restored from the export: C-8 is not stored there, yet its record is
	// kept, shown, retracted from, and carried over from.
	file := filepath.Join(t.TempDir(), "memory.json")
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := *c
	fresh.db = filepath.Join(t.TempDir(), "fresh.db")
	// memory import adds to a database and creates none: start from an empty one, which
	// holds no bill.
	if _, err := tracker.Open(fresh.db); err != nil {
		t.Fatal(err)
	}
	fresh.ok("memory", "import", file)
	if got := fresh.ok("memory", "export"); got != exported {
		t.Errorf("export → import → export differs")
	}
	fresh.fails(1, "is not in the database", "memory", "set", "C-8", "--session", "45-1", "--position", "oppose")
	if out := fresh.ok("memory", "carry", "C-99", "--session", "45-1", "--from", "45-1 C-8"); !strings.Contains(out, "carried over from 45-1 C-8") {
		t.Errorf("carry --from a bill not stored = %q", out)
	}
	fresh.ok("memory", "retract", "C-8", m.Notes[1].ID, "--session", "45-1")
}
