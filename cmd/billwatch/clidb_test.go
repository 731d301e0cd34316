package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// addingCommands are the commands that add to a database the sources built: none of them
// may create one.
var addingCommands = [][]string{
	{"watch", "add", "keyword", "x"},
	{"watch", "rm", "keyword", "x"},
	{"memory", "note", "C-8", "met the minister's staff"},
	{"memory", "set", "C-8", "--position", "oppose"},
	{"memory", "doc", "C-8", "--title", "Brief", "--date", "2026-11-20", "--url", "https://example.org/brief"},
	{"memory", "carry", "C-8", "--from", "44-1 C-26"},
	{"memory", "import", "MEMORY"},
	{"user", "add", "lea", "--role", "editor"},
	{"user", "rm", "lea"},
	{"user", "link", "lea"},
}

// memoryFile writes an empty but valid memory export for `memory import`.
func memoryFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "memory.json")
	if err := os.WriteFile(p, []byte(`{"schema": 1, "records": [], "history": [], "watch": [], "lineage": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func withMemoryFile(args []string, file string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		if a == "MEMORY" {
			out[i] = file
		}
	}
	return out
}

// TestWriteCommandsNeverCreateADatabase: a mistyped --db (in directories that do not exist),
// or a zero-byte file, is refused by every command that adds to a database, in one line
// naming the path and how a database is made, exit 1, creating nothing.
func TestWriteCommandsNeverCreateADatabase(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	mem := memoryFile(t)
	root := t.TempDir()
	for _, args := range addingCommands {
		args = withMemoryFile(args, mem)
		name := strings.Join(args, " ")
		c.db = filepath.Join(root, "typo", "deep", "b.db")
		out, errOut, code := c.run(week1, args...)
		line := strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" does not exist") || !strings.Contains(line, "billwatch scrape") {
			t.Errorf("%s on a missing database: exit %d, stderr %q, stdout %q; want exit 1 and one line saying %s does not exist and how to make one", name, code, errOut, out, c.db)
		}
		if _, err := os.Stat(filepath.Join(root, "typo")); err == nil {
			t.Errorf("%s on a missing database: created %s", name, filepath.Join(root, "typo"))
			os.RemoveAll(filepath.Join(root, "typo"))
		}

		c.db = filepath.Join(root, "empty.db")
		if err := os.WriteFile(c.db, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, code = c.run(week1, args...)
		line = strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" is an empty file") || !strings.Contains(line, "billwatch scrape") {
			t.Errorf("%s on an empty file: exit %d, stderr %q, stdout %q; want exit 1 and one line saying %s is empty and how to make a database", name, code, errOut, out, c.db)
		}
		if fi, err := os.Stat(c.db); err != nil || fi.Size() != 0 {
			t.Errorf("%s on an empty file: the file was written (%v)", name, err)
		}
	}
	// compact, which writes, refuses an empty file too.
	c.db = filepath.Join(root, "empty.db")
	if _, errOut, code := c.run(week1, "compact"); code != 1 || !strings.Contains(errOut, "is empty") {
		t.Errorf("compact on an empty file: exit %d, %q; want 1 saying it is empty", code, errOut)
	}
	if fi, err := os.Stat(c.db); err != nil || fi.Size() != 0 {
		t.Errorf("compact on an empty file: the file was written (%v)", err)
	}
}

// TestDefaultDatabaseIsNotCreatedInTheWorkingDirectory: with no --db and no BILLWATCH_DB,
// a command that adds to the database does not leave ./billwatch.db behind.
func TestDefaultDatabaseIsNotCreatedInTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mem := memoryFile(t)
	cfg := filepath.Join(t.TempDir(), "billwatch.toml")
	if err := os.WriteFile(cfg, []byte("[fetch]\ndelay = \"0s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range addingCommands {
		args = withMemoryFile(args, mem)
		var stdout, stderr bytes.Buffer
		err := runEnv(t.Context(), append([]string{"--config", cfg, "--now", week1}, args...), func(string) string { return "" }, &stdout, &stderr)
		code := exitCode(err, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "database billwatch.db does not exist") {
			t.Errorf("%s without --db: exit %d, %q; want 1 saying billwatch.db does not exist", strings.Join(args, " "), code, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(dir, "billwatch.db")); err == nil {
			t.Fatalf("%s without --db created ./billwatch.db", strings.Join(args, " "))
		}
	}
}

// TestWriteCommandsStillWriteAnExistingDatabase: the refusal above is for missing files only.
func TestWriteCommandsStillWriteAnExistingDatabase(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := c.run(week1, "watch", "add", "keyword", "lawful access"); code != 0 {
		t.Errorf("watch add on a built database: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := c.run(week1, "user", "add", "lea", "--role", "editor"); code != 0 {
		t.Errorf("user add on a built database: exit %d\n%s%s", code, out, errOut)
	}
}
