package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
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
	{"memory", "retract", "C-8", "n-3f2a9c0d1e"},
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

// TestBackupRefusesTheDatabaseItself: a backup whose target is the database (by any name: a
// link, a path through ..), its status file or its lock file is refused in one line, before
// anything is written, also while `run` holds the writer lock; a directory is named as such,
// and no temporary file is left behind.
func TestBackupRefusesTheDatabaseItself(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	dir := filepath.Dir(c.db)
	if err := os.WriteFile(c.db+".status.json", []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(c.db, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{c.db, c.db + ".status.json", c.db + ".lock"}
	before := map[string][]byte{}
	for _, f := range files {
		before[f] = must(os.ReadFile(f))
	}
	check := func(target, want string) {
		t.Helper()
		out, errOut, code := c.run(week1, "backup", target)
		line := strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "backup to "+target) || !strings.Contains(line, want) {
			t.Errorf("backup %s: exit %d, stderr %q, stdout %q; want exit 1 and one line saying %q", target, code, errOut, out, want)
		}
		for _, f := range files {
			if after, _ := os.ReadFile(f); !bytes.Equal(after, before[f]) {
				t.Errorf("backup %s: %s was changed", target, f)
			}
		}
		if fi, err := os.Lstat(c.db); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("backup %s: the database is no longer a regular file (%v)", target, err)
		}
		left, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
		if len(left) > 0 {
			t.Errorf("backup %s: left %v behind", target, left)
		}
	}
	check(c.db, "that is the database itself")
	check(filepath.Join(dir, "sub", "..", "billwatch.db"), "that is the database itself")
	check(link, "that is the database itself")
	check(c.db+".status.json", "that is the database's status file")
	check(c.db+".lock", "that is the database's writer lock file")
	check(filepath.Join(dir, "sub"), "it is a directory")

	held, err := tracker.LockWriter(c.db, "run", mustTime(t, week1))
	if err != nil {
		t.Fatal(err)
	}
	before[c.db+".lock"] = must(os.ReadFile(c.db + ".lock"))
	check(c.db, "that is the database itself")
	good := filepath.Join(t.TempDir(), "copy.db")
	if out, errOut, code := c.run(week1, "backup", good); code != 0 || !strings.Contains(out, "backed up") {
		t.Errorf("backup to another file while run holds the lock: exit %d\n%s%s", code, out, errOut)
	}
	held.Release()
}

// TestBackupThroughALink: a backup target that is a symbolic link is written through to the
// file it points to, and the link stays a link.
func TestBackupThroughALink(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	backups := t.TempDir()
	real := filepath.Join(backups, "2026-11-16.db")
	if err := os.WriteFile(real, []byte("last week's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "latest.db")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run(week1, "backup", link)
	if code != 0 || !strings.Contains(out, "through the link to "+real) {
		t.Fatalf("backup to a link: exit %d\n%s%s; want exit 0 naming %s", code, out, errOut, real)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("backup to a link: %s is no longer a link (%v)", link, err)
	}
	c.db = real
	if out, errOut, code := c.run(week1, "check"); code != 0 {
		t.Errorf("check of the backup %s: exit %d\n%s%s", real, code, out, errOut)
	}
}

// TestCompactThroughALink: compacting a database reached through a symbolic link rewrites
// the file the link points to; the link stays a link, and what is read through it is the
// compacted file.
func TestCompactThroughALink(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	real := c.db
	if err := os.Chmod(real, 0o640); err != nil {
		t.Fatal(err)
	}
	billsBefore, _, _ := c.run(week1, "bills", "--all")
	link := filepath.Join(t.TempDir(), "billwatch.db")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	c.db = link
	if out, errOut, code := c.run(week1, "compact"); code != 0 {
		t.Fatalf("compact through a link: exit %d\n%s%s", code, out, errOut)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("compact replaced the link %s with a file (%v)", link, err)
	}
	if fi, err := os.Stat(real); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("compact: the real file's mode is %v (%v), want 0640", fi.Mode().Perm(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(real), "*.compact")); len(left) > 0 {
		t.Errorf("compact left %v behind", left)
	}
	// A write through the link lands in the real file.
	if out, errOut, code := c.run(week1, "watch", "add", "keyword", "lawful access"); code != 0 {
		t.Fatalf("watch add through the link: exit %d\n%s%s", code, out, errOut)
	}
	c.db = real
	if out, _, _ := c.run(week1, "watch", "list"); !strings.Contains(out, "lawful access") {
		t.Errorf("the write through the link is not in the real file:\n%s", out)
	}
	if out, _, _ := c.run(week1, "bills", "--all"); out != billsBefore {
		t.Errorf("bills after compact differ:\n%s\nwant\n%s", out, billsBefore)
	}
}

// TestServeRefusesADamagedDatabase: `serve` checks the database at start, as `run` does, and
// stops at once with the one line, instead of answering 500 on every page.
func TestServeRefusesADamagedDatabase(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.WriteFile(c.db, damages[2].damage(t, must(os.ReadFile(c.db))), 0o600); err != nil {
		t.Fatal(err)
	}
	// A server that started would run until runWithin stops it: exit 1 with the line means it
	// refused at start.
	out, errOut, code := c.runWithin(20*time.Second, week1, "serve", "--listen", "127.0.0.1:0")
	line := strings.TrimSpace(errOut)
	if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" is damaged") {
		t.Errorf("serve on a damaged database: exit %d, stderr %q, stdout %q; want exit 1 at start with one line saying it is damaged", code, errOut, out)
	}
	if strings.Contains(out, "serving") {
		t.Errorf("serve on a damaged database started serving: %q", out)
	}
}

// makeReadOnly makes path unwritable for this process: mode 0444, or, for root (whom modes
// do not stop), the immutable attribute; the test is skipped when neither is possible.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i %s failed: %v %s", path, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

// TestScrapeChecksTheDatabaseIsWritableFirst: a database this process cannot write is
// reported before the network pass, in one line naming the file and the problem, even when
// every site is unreachable.
func TestScrapeChecksTheDatabaseIsWritableFirst(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	before := must(os.ReadFile(c.db))
	makeReadOnly(t, c.db)
	c.servers.Close() // every site unreachable
	for _, args := range [][]string{{"scrape"}, {"scrape", "bills"}, {"backfill", "--session", "44-1"}, {"watch", "add", "keyword", "x"}} {
		out, errOut, code := c.runWithin(20*time.Second, week2, args...)
		line := strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" cannot be written") {
			t.Errorf("%s on a read-only database: exit %d, stderr %q, stdout %q; want exit 1 and one line saying %s cannot be written", strings.Join(args, " "), code, errOut, tail(out, 400), c.db)
		}
		if out != "" {
			t.Errorf("%s on a read-only database printed a pass: %q", strings.Join(args, " "), tail(out, 400))
		}
	}
	if after, _ := os.ReadFile(c.db); !bytes.Equal(after, before) {
		t.Error("the read-only database changed")
	}
	if out, errOut, code := c.run(week2, "bills"); code != 0 || out == "" {
		t.Errorf("bills on a read-only database: exit %d, %q%s; want the bills", code, out, errOut)
	}
}

// damageRecord overwrites 24 bytes inside every stored copy of the alert with this id (the
// live one, and stale ones in free pages), leaving every page's structure as it was.
func damageRecord(t *testing.T, db, id string) []byte {
	t.Helper()
	b := must(os.ReadFile(db))
	pat := []byte(`{"id":"` + id + `"`)
	n := 0
	for i := bytes.Index(b, pat); i >= 0; i = bytes.Index(b, pat) {
		copy(b[i+1:], bytes.Repeat([]byte{0x01}, 24))
		n++
	}
	if n == 0 {
		t.Fatalf("alert %s not found in %s", id, db)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDamagedRecordIsFoundAndSkipped: a record whose bytes were overwritten inside a sound
// page is damage. `check` decodes every record and lists it (exit 1); `alerts` skips it with
// one warning line and lists the others; writes and backups refuse the file.
func TestDamagedRecordIsFoundAndSkipped(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	c.servers.SetSnapshot(2)
	if out, errOut, code := c.run(week2, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	all := c.alerts(week2)
	if len(all) < 3 {
		t.Fatalf("want at least 3 alerts to damage one, got %d", len(all))
	}
	victim := all[1]
	damaged := damageRecord(t, c.db, victim.ID)

	out, errOut, code := c.run(week1, "check")
	if code != 1 || !strings.Contains(out, "bucket alerts, key ") || !strings.Contains(errOut, "database "+c.db+" is damaged: 1 record cannot be decoded") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("check: exit %d\nstdout %s\nstderr %s\nwant exit 1, the record listed, one summary line", code, out, errOut)
	}
	out, _, code = c.run(week1, "check", "--json")
	var r struct {
		Sound      bool `json:"sound"`
		BadRecords []struct {
			Bucket string `json:"bucket"`
			Key    string `json:"key"`
		} `json:"bad_records"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || r.Sound || len(r.BadRecords) != 1 || r.BadRecords[0].Bucket != "alerts" {
		t.Errorf("check --json: exit %d, %v: %s; want exit 1 and the alerts record listed", code, err, out)
	}

	out, errOut, code = c.run(week1, "alerts", "--json")
	var listed []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil || code != 0 || len(listed) != len(all)-1 {
		t.Errorf("alerts --json: exit %d, %v, %d alerts; want exit 0 and the %d others\n%s", code, err, len(listed), len(all)-1, errOut)
	}
	for _, a := range listed {
		if a.ID == victim.ID {
			t.Errorf("alerts --json listed the damaged alert %s", a.ID)
		}
	}
	warn := strings.TrimSpace(errOut)
	if strings.Count(warn, "\n") != 0 || !strings.Contains(warn, "warning: skipped record ") || !strings.Contains(warn, "bucket alerts") || !strings.Contains(warn, "billwatch check") {
		t.Errorf("alerts: stderr %q; want one warning line naming the record and billwatch check", errOut)
	}
	if out, errOut, code := c.run(week1, "alerts"); code != 0 || strings.Count(out, "\n") != len(all) {
		t.Errorf("alerts: exit %d, %d lines; want the header and %d alerts\n%s%s", code, strings.Count(out, "\n"), len(all)-1, out, errOut)
	}
	if out, errOut, code := c.run(week1, "bills", "--all"); code != 0 || out == "" || errOut != "" {
		t.Errorf("bills on a file with a damaged alert: exit %d\n%s%s", code, out, errOut)
	}

	backup := filepath.Join(t.TempDir(), "b.db")
	for _, args := range [][]string{{"watch", "add", "keyword", "x"}, {"memory", "note", "C-8", "hello"}, {"scrape"}, {"backup", backup}, {"compact"}, {"serve", "--listen", "127.0.0.1:0"}} {
		out, errOut, code := c.runWithin(20*time.Second, week2, args...)
		line := strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" is damaged") {
			t.Errorf("%s on a file with a damaged record: exit %d, stderr %q, stdout %q; want exit 1 and one line saying it is damaged", strings.Join(args, " "), code, errOut, tail(out, 300))
		}
		if after, _ := os.ReadFile(c.db); !bytes.Equal(after, damaged) {
			t.Fatalf("%s wrote to a file with a damaged record", strings.Join(args, " "))
		}
	}
	if _, err := os.Stat(backup); err == nil {
		t.Error("a file with a damaged record was backed up")
	}

	// The web pages, which have no stderr, say so in a banner, and list the others.
	cfg := filepath.Join(t.TempDir(), "billwatch.toml")
	if err := os.WriteFile(cfg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := webServer(t, c.db, cfg, mustTime(t, week2))
	code, _, body := get(t, srv.URL+"/alerts", "")
	if code != 200 || !strings.Contains(body, "Part of the database cannot be read") || !strings.Contains(body, "One stored record cannot be read (alerts ") || !strings.Contains(body, "billwatch check") {
		t.Errorf("GET /alerts on a file with a damaged record = %d, want 200 with a banner naming it\n%s", code, body)
	}
}

// TestOneLockThroughALink: a writer reaching the database through a symbolic link takes the
// same lock as one using its own name.
func TestOneLockThroughALink(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	held, err := tracker.LockWriter(c.db, "run", mustTime(t, week1))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(c.db, link); err != nil {
		t.Fatal(err)
	}
	c.db = link
	for _, args := range [][]string{{"compact"}, {"scrape"}} {
		if _, errOut, code := c.run(week1, args...); code != 1 || !strings.Contains(errOut, "another billwatch is writing to it") {
			t.Errorf("%s through a link while run holds the database: exit %d, %q; want 1, refused", args[0], code, errOut)
		}
	}
}

// TestCheckFindsEveryRecordDecodable: on a database holding every kind of record the
// commands write (bills, texts, hearings, regulations, alerts, health, lineage, the memory and
// its history, the watch list, accounts and sign-in tokens), `check` decodes all of them and
// says the file is sound: the record check raises no false alarm.
func TestCheckFindsEveryRecordDecodable(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	for _, step := range []struct {
		now  string
		args []string
	}{
		{week1, []string{"scrape"}},
		{week1, []string{"memory", "set", "C-8", "--position", "oppose", "--priority", "high", "--next", "brief to SECU", "--due", "2026-12-04"}},
		{week1, []string{"memory", "note", "C-8", "met the minister's staff"}},
		{week1, []string{"memory", "doc", "C-8", "--title", "Brief", "--date", "2026-11-20", "--url", "https://example.org/brief"}},
		{week1, []string{"watch", "add", "keyword", "lawful access"}},
		{week1, []string{"user", "add", "lea", "--role", "editor"}},
		{week1, []string{"user", "feeds", "lea"}},
		{week2, []string{"scrape"}},
	} {
		if step.now == week2 {
			c.servers.SetSnapshot(2)
		}
		if out, errOut, code := c.run(step.now, step.args...); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(step.args, " "), code, out, errOut)
		}
	}
	out, errOut, code := c.run(week2, "check", "--json")
	var r struct {
		Sound bool           `json:"sound"`
		Keys  map[string]int `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 || !r.Sound {
		t.Fatalf("check --json: exit %d, %v\n%s%s; want sound", code, err, out, errOut)
	}
	for _, b := range []string{"bills", "versions", "hearings", "regulations", "alerts", "alert_ids", "health", "memory", "memory_history", "watch", "users", "signin_tokens"} {
		if r.Keys[b] == 0 {
			t.Errorf("bucket %s is empty: the check of its records was not exercised", b)
		}
	}
}
