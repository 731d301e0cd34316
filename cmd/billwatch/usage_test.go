package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/billwatch/billwatch/fixtures"
)

// runArgs runs billwatch in-process with exactly args.
func runArgs(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := exitCode(run(t.Context(), args, &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

// TestFlagErrorsAreOneLine: a bad flag gives one line naming the flag and the value, and where
// to look, not the whole usage.
func TestFlagErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "billwatch.db")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"bills", "--frob"}, []string{"unknown flag --frob", "see billwatch bills -h"}},
		{[]string{"alerts", "--limit", "abc"}, []string{`--limit "abc"`, "whole number", "see billwatch alerts -h"}},
		{[]string{"alerts", "--limit"}, []string{"--limit needs a value", "see billwatch alerts -h"}},
		{[]string{"run", "--every", "soon"}, []string{`--every "soon"`, "duration", "see billwatch run -h"}},
		{[]string{"bills", "--json=maybe"}, []string{`--json "maybe"`, "true or false"}},
		{[]string{"bills", "--base-url", "nowhere"}, []string{`--base-url "nowhere"`, "SITE=URL", "see billwatch bills -h"}},
		{[]string{"--frob", "bills"}, []string{"unknown flag --frob", "see billwatch help"}},
	} {
		out, errOut, code := runArgs(t, append([]string{"--db", db}, tc.args...)...)
		line := strings.TrimSpace(errOut)
		if code != 2 || out != "" || strings.Contains(line, "\n") {
			t.Errorf("billwatch %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and one line", strings.Join(tc.args, " "), code, out, errOut)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(line, w) {
				t.Errorf("billwatch %s: stderr %q lacks %q", strings.Join(tc.args, " "), line, w)
			}
		}
	}
}

// TestHelpListsEverythingOnce: `help` names version and every global flag; a command's -h
// lists its own flags and points to `help` for the global ones instead of repeating them.
func TestHelpListsEverythingOnce(t *testing.T) {
	t.Parallel()
	out, _, code := runArgs(t, "help")
	for _, w := range []string{"version", "-now", "-log-level", "-config", "-db", "-base-url", "check"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("help (exit %d) lacks %q:\n%s", code, w, out)
		}
	}
	for _, cmd := range []string{"bills", "alerts", "run", "scrape", "check", "calendar"} {
		out, errOut, code := runArgs(t, cmd, "-h")
		if code != 0 || errOut != "" || !strings.Contains(out, "usage: billwatch "+cmd) || !strings.Contains(out, "see billwatch help") {
			t.Errorf("%s -h: exit %d, stderr %q, stdout:\n%s\nwant its usage, pointing to billwatch help", cmd, code, errOut, out)
		}
		for _, global := range []string{"-config", "-base-url", "-log-level", "-now ", "-db "} {
			if strings.Contains(out, "  "+global) {
				t.Errorf("%s -h repeats the global flag %s:\n%s", cmd, global, out)
			}
		}
	}
	if out, _, _ := runArgs(t, "bills", "-h"); !strings.Contains(out, "-session") {
		t.Errorf("bills -h lacks its own --session flag:\n%s", out)
	}
}

func TestSessionWithoutBillsSaysWhichAreStored(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if _, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"bills", "--session", "99-9"}, {"bills", "--all", "--session", "99-9"}} {
		out, errOut, code := c.run(week1, args...)
		if code != 0 || !strings.Contains(out, "no bills of session 99-9") || !strings.Contains(out, "45-1") || strings.Contains(out, "no bills stored yet") {
			t.Errorf("%s: exit %d, %q%q; want it to say session 99-9 has none and 45-1 is stored", strings.Join(args, " "), code, out, errOut)
		}
	}
}

func TestDatabaseThatIsADirectory(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.db = t.TempDir()
	for _, args := range [][]string{{"bills"}, {"scrape", "bills"}, {"check"}, {"status"}, {"backup", filepath.Join(t.TempDir(), "b.db")}} {
		_, errOut, code := c.run(week1, args...)
		line := strings.TrimSpace(errOut)
		if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, c.db+" is a directory") {
			t.Errorf("--db DIR %s: exit %d, stderr %q; want one line saying %s is a directory", strings.Join(args, " "), code, errOut, c.db)
		}
	}
}

func TestConfigTypeErrorNamesTheKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ toml, want string }{
		{"[fetch]\ndelay = 1\n", "line 2: fetch.delay is a number; it must be text in quotes"},
		{"[watch]\nkeywords = \"surveillance\"\n", "line 2: watch.keywords is text; it must be a list"},
		{"[daemon]\nunhealthy_after = \"3\"\n", "line 2: daemon.unhealthy_after is text; it must be a whole number"},
		{"session = 45\n", "line 1: session is a number"},
	} {
		p := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(p, []byte(tc.toml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := runArgs(t, "--config", p, "--db", filepath.Join(dir, "x.db"), "bills")
		if code != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "incompatible types") || strings.Contains(errOut, "int64") {
			t.Errorf("config %q: exit %d, stderr %q; want %q", tc.toml, code, errOut, tc.want)
		}
	}
}

// TestTokenInTokenEnvIsNeverEchoed: a token pasted where the variable's name belongs is
// refused by every command, and appears in no output.
func TestTokenInTokenEnvIsNeverEchoed(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	const token = "xoxb-1234-5678-SECRET"
	for _, v := range []string{token, "xapp-1-A0B-99-SECRET", "my token=SECRET"} {
		if err := os.WriteFile(c.cfg, []byte("[fetch]\ndelay = \"0s\"\n[slack]\ntoken_env = \""+v+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"slack", "test"}, {"scrape", "bills"}, {"bills"}, {"run", "--every", "1h"}} {
			out, errOut, code := c.runWithin(10*time.Second, week1, args...)
			if code == 0 || strings.Contains(out+errOut, "SECRET") || strings.Contains(out+errOut, "1234") || !strings.Contains(errOut, "slack.token_env") {
				t.Errorf("token_env = %q, %s: exit %d, output %q; want an error naming slack.token_env that does not repeat the value", v, strings.Join(args, " "), code, out+errOut)
			}
		}
	}
}

// TestRegulationsPartIDownPartIIFine: with the Part I feed at 503 and Part II read fine (its
// items all stored already), the pass is partial: exit 3, nothing changed, no alert.
func TestRegulationsPartIDownPartIIFine(t *testing.T) {
	// Snapshot 4: snapshot 1's Part II feed, the Part I feed at 503.
	p2, err := fs.ReadFile(fixtures.FS(), "1/gazette/rss/p2-eng.xml")
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, overlay(fixtures.FS(), fstest.MapFS{
		"4/gazette/rss/p1-eng.xml.status": {Data: []byte("503")},
		"4/gazette/rss/p2-eng.xml":        {Data: p2},
	}))
	if _, errOut, code := c.run(week1, "scrape", "regulations"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	before, _, _ := c.run(week1, "regulations", "--all", "--json")
	c.servers.SetSnapshot(4)
	out, errOut, code := c.run(week1, "scrape", "regulations")
	if code != 3 || !strings.Contains(out, "regulations: partial") {
		t.Errorf("Part I at 503: exit %d\n%s%s\nwant exit 3 and a partial pass", code, out, errOut)
	}
	if !strings.Contains(errOut, "/rss/p1-eng.xml") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
		t.Errorf("stderr %q: want one line naming the Part I feed", errOut)
	}
	if after, _, _ := c.run(week1, "regulations", "--all", "--json"); after != before {
		t.Error("the partial pass changed the stored regulations")
	}
	if a := c.alerts(week1); len(a) != 0 {
		t.Errorf("the partial pass raised %v", keys(a))
	}
}

// TestStatusAgesAndErrors: ages read as a person would say them, in either direction, and the
// last error is shown whole, its cause included.
func TestStatusAgesAndErrors(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if _, errOut, code := c.run(week1, "scrape", "regulations"); code != 0 {
		t.Fatalf("scrape: exit %d: %s", code, errOut)
	}
	longErr := "legisinfo: bill list 45-1: fetch https://www.parl.ca/legisinfo/en/bills/json?parlsession=45-1: read robots.txt: dial tcp 203.0.113.9:443: connect: connection refused"
	status := `{
  "bills": {"last_run": "2026-11-16T12:00:00Z", "last_outcome": "failed", "last_success": "2026-11-16T12:00:00Z", "last_error": "` + longErr + `"},
  "hearings": {"last_run": "2026-11-16T17:00:00Z", "last_outcome": "ok", "last_success": "2026-11-16T17:00:00Z", "next_run": "2026-11-16T17:25:00Z"},
  "regulations": {"last_run": "2026-11-13T15:00:00Z", "last_outcome": "ok", "last_success": "2026-11-13T15:00:00Z"}
}`
	if err := os.WriteFile(c.db+".status.json", []byte(status), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run(week1, "status") // 2026-11-16 15:00 UTC
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"3h ago", "in 2h", "3 days ago", "in 2h 25m", longErr} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"-2h", "h0m0s", "…"} {
		if strings.Contains(out, bad) {
			t.Errorf("status shows %q:\n%s", bad, out)
		}
	}
}

// TestBackupCarriesTheStatusFile: a backup restored in place of the database brings back
// `status` too.
func TestBackupCarriesTheStatusFile(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if _, errOut, code := c.run(week1, "scrape", "regulations"); code != 0 {
		t.Fatalf("scrape: exit %d: %s", code, errOut)
	}
	want, err := os.ReadFile(c.db + ".status.json")
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "billwatch-2026-11-16.db")
	out, errOut, code := c.run(week1, "backup", backup)
	if code != 0 || !strings.Contains(out, "status file") {
		t.Fatalf("backup: exit %d: %s%s", code, out, errOut)
	}
	got, err := os.ReadFile(backup + ".status.json")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("backup's status file = %q, %v; want a copy of %s", got, err, c.db+".status.json")
	}
	c.db = backup
	if out, errOut, code := c.run(week1, "status"); code != 0 || !strings.Contains(out, "2026-11-16 10:00 EST") {
		t.Errorf("status of the backup: exit %d\n%s%s", code, out, errOut)
	}
}

// TestREADMEServiceUnit: the README's systemd unit has no comment at the end of a setting
// (systemd would read it as part of the value) and is sandboxed; where systemd-analyze is
// installed, its exposure score is under 3.
func TestREADMEServiceUnit(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```ini\n")
	unit, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 || !strings.Contains(unit, "[Service]") {
		t.Fatal("README has no systemd unit in an ```ini block")
	}
	for _, line := range strings.Split(unit, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.Contains(line, "#") {
			t.Errorf("unit line %q: a comment after a setting is read as part of its value", line)
		}
	}
	for _, want := range []string{"ProtectSystem=strict", "ReadWritePaths=/var/lib/billwatch", "PrivateTmp=yes", "NoNewPrivileges=yes",
		"ProtectHome=yes", "RestrictAddressFamilies=", "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n", "MemoryDenyWriteExecute=yes"} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q", strings.TrimSpace(want))
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		return
	}
	file := filepath.Join(t.TempDir(), "billwatch.service")
	if err := os.WriteFile(file, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "security", "--offline=true", file).CombinedOutput()
	m := regexp.MustCompile(`exposure level for billwatch.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Skipf("systemd-analyze security --offline: %v: %s", err, tail(string(out), 300))
	}
	if score, _ := strconv.ParseFloat(string(m[1]), 64); score >= 3 {
		t.Errorf("systemd-analyze security rates the unit %s, want under 3", m[1])
	}
}
