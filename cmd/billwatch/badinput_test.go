package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// runWithEnv runs billwatch in-process with args and env as the whole environment.
func runWithEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := exitCode(runEnv(t.Context(), args, getenv, &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

// writeConfig writes a billwatch.toml in a new directory and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "billwatch.toml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSlackConfigCheckedWithoutToken: every [slack] value is checked when the configuration is
// loaded, by every command, token or not, in one line naming the file, the key as written (the
// file's first route is [0]) and the value as given.
func TestSlackConfigCheckedWithoutToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ toml, want string }{
		{"[slack.channels]\npolicy = \"#bad channel name!\"\n", `slack.channels.policy: "#bad channel name!" is not a channel name`},
		{"[[slack.routes]]\nmin_severity = \"extreme\"\nchannel = \"#x\"\n", `slack.routes[0].min_severity: unknown severity "extreme"`},
		{"[[slack.routes]]\nkinds = [\"bill.bogus\"]\nchannel = \"#x\"\n", `slack.routes[0].kinds: unknown alert kind "bill.bogus"`},
		{"[[slack.routes]]\nkinds = [\"bill.amended\"]\n", `slack.routes[0].channel: no channel given`},
		{"[[slack.routes]]\nchannel = \"#ok\"\n[[slack.routes]]\nchannel = \"#ok\"\nkinds = [\"bill.bogus\"]\n", `slack.routes[1].kinds: unknown alert kind "bill.bogus"`},
		{"[slack]\napi_url = \"not a url\"\n", `slack.api_url: "not a url" is not an http or https URL`},
		{"[slack]\napi_url = \"http//u:hunter2@h/\"\n", `slack.api_url: the value (not shown: it may hold a password) is not an http or https URL`},
		{"[slack]\nmention = \"everyone!\"\n", `slack.mention: "everyone!" is not a Slack mention`},
		{"[slack.digest]\nchannels = [\"general\"]\n", `slack.digest.channels[0]: "general" is not a channel name`},
		{"[slack]\ntimeout = \"-1s\"\n", `slack.timeout = "-1s": must not be negative`},
		{"[fetch]\ndelay = \"-1s\"\n", `fetch.delay = "-1s": must not be negative`},
	} {
		cfg := writeConfig(t, tc.toml)
		db := filepath.Join(t.TempDir(), "x.db")
		for _, args := range [][]string{{"bills"}, {"scrape", "--no-notify"}, {"status"}, {"slack", "test"}} {
			for _, env := range []map[string]string{nil, {"SLACK_BOT_TOKEN": "xoxb-test"}} {
				_, errOut, code := runWithEnv(t, env, append(append([]string{"--config", cfg, "--db", db}, unreachable()...), args...)...)
				line := strings.TrimSpace(errOut)
				want := "config " + cfg + ": " + tc.want
				if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, want) {
					t.Errorf("%q, billwatch %s (token %v): exit %d, stderr %q; want exit 1 and one line with %q", tc.toml, strings.Join(args, " "), env != nil, code, errOut, want)
				}
				if strings.Contains(errOut, "hunter2") {
					t.Errorf("%q: the password is shown: %q", tc.toml, errOut)
				}
			}
		}
	}
}

// TestSlackAPIURLFromEnvironmentNamesTheVariable: a bad BILLWATCH_SLACK_API_URL is blamed on
// the variable, not on slack.api_url, quoting its value as given.
func TestSlackAPIURLFromEnvironmentNamesTheVariable(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "BILLWATCH_SLACK_API_URL": "not a url"}
	cfg := writeConfig(t, "")
	for _, args := range [][]string{{"slack", "test"}, {"scrape", "--no-notify", "bills"}} {
		_, errOut, code := runWithEnv(t, env, append(append([]string{"--config", cfg, "--db", db}, unreachable()...), args...)...)
		want := `environment variable BILLWATCH_SLACK_API_URL: "not a url" is not an http or https URL`
		if code != 1 || !strings.Contains(errOut, want) || strings.Contains(errOut, "slack.api_url") {
			t.Errorf("billwatch %s: exit %d, stderr %q; want %q", strings.Join(args, " "), code, errOut, want)
		}
	}
}

// unreachable points every site at a closed port on loopback, so that no test can reach the
// network even if a check it expects is missing.
func unreachable() []string {
	var args []string
	for _, site := range siteNames() {
		args = append(args, "--base-url", site+"=http://127.0.0.1:9")
	}
	return args
}

// TestWatchValuesCheckedAlikeInFileAndCommand: `watch add KIND VALUE` and the configuration's
// [watch] lists refuse the same values, with the same reason.
func TestWatchValuesCheckedAlikeInFileAndCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind, key, value, want string
	}{
		{"provision", "provisions", "garbage", `"garbage": want an Act's title or code`},
		{"provision", "provisions", "whatever", `"whatever": want an Act's title or code`},
		{"committee", "committees", "secu secu", `"secu secu": want a committee acronym`},
		{"committee", "committees", "bad one", `"bad one": want a committee acronym`},
		{"committee", "committees", "TOOLONGACRONYM", `"TOOLONGACRONYM": want a committee acronym`},
		{"bill", "bills", "X-99999", `"X-99999": want a bill number`},
	} {
		db := filepath.Join(t.TempDir(), "x.db")
		empty := writeConfig(t, "")
		_, errOut, code := runWithEnv(t, nil, "--config", empty, "--db", db, "watch", "add", tc.kind, tc.value)
		if code != 2 || !strings.Contains(errOut, "watch "+tc.kind+": "+tc.want) {
			t.Errorf("watch add %s %q: exit %d, stderr %q; want exit 2 naming %q", tc.kind, tc.value, code, errOut, tc.want)
		}
		good := map[string]string{"provisions": "C-23 s. 12.1", "committees": "SECU", "bills": "45-1 C-2"}[tc.key]
		cfg := writeConfig(t, "[watch]\n"+tc.key+" = [\""+good+"\", \""+tc.value+"\"]\n")
		_, errOut, code = runWithEnv(t, nil, "--config", cfg, "--db", db, "bills")
		want := "config " + cfg + ": watch." + tc.key + "[1]: " + tc.want
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("[watch] %s = [..., %q]: exit %d, stderr %q; want %q", tc.key, tc.value, code, errOut, want)
		}
	}
	// What one accepts, the other accepts (on a database that exists: watch add creates none).
	db := filepath.Join(t.TempDir(), "x.db")
	if _, err := tracker.Open(db); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, "[watch]\ncommittees = [\"secu\", \"LCJC\"]\nprovisions = [\"Canadian Security Intelligence Service Act s. 21\"]\n")
	for _, args := range [][]string{{"watch", "add", "committee", "ethi"}, {"watch", "add", "provision", "C-23 s. 12.1"}, {"bills"}} {
		if _, errOut, code := runWithEnv(t, nil, append([]string{"--config", cfg, "--db", db}, args...)...); code != 0 {
			t.Errorf("billwatch %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
		}
	}
}

// freshDemo runs `billwatch demo` into a new database, with no environment, and returns its
// path and an empty configuration's.
func freshDemo(t *testing.T) (db, cfg string) {
	t.Helper()
	cfg = writeConfig(t, "")
	db = filepath.Join(t.TempDir(), "demo.db")
	if _, errOut, code := runWithEnv(t, nil, "--config", cfg, "--db", db, "demo"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	return db, cfg
}

// TestScrapeNothingReachableIsNothingUsable: with every site unreachable, a source that had
// nothing due (acts, read the day before) does not make the pass "partial": exit 1, and its
// summary line says it was not due rather than "ok".
func TestScrapeNothingReachableIsNothingUsable(t *testing.T) {
	t.Parallel()
	db, cfg := freshDemo(t)
	out, errOut, code := runWithEnv(t, nil, append(append([]string{"--config", cfg, "--db", db, "--now", "2026-12-20T09:00:00-05:00"}, unreachable()...), "scrape", "--no-notify")...)
	if code != 1 {
		t.Errorf("scrape, every site unreachable: exit %d, want 1 (nothing usable)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "acts: not due (next in ") || strings.Contains(out, "acts: ok") {
		t.Errorf("scrape: the acts line is not honest:\n%s", out)
	}
	// The error line on stderr is said once: the summary line counts it without repeating it.
	errLine := strings.TrimPrefix(strings.TrimSpace(errOut), "billwatch: bills: ")
	if strings.Count(errOut, "\n") != 1 || strings.Contains(out, errLine) || !strings.Contains(out, "bills: failed, 0 seen, 0 relevant, 0 changed, 0 new versions, 0 alerts, 1 problems (the first is the error below)") {
		t.Errorf("scrape: the error is repeated or lost:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	// A pass of nothing but a source with nothing due is no failure.
	out, _, code = runWithEnv(t, nil, append(append([]string{"--config", cfg, "--db", db, "--now", "2026-12-20T09:00:00-05:00"}, unreachable()...), "scrape", "--no-notify", "acts")...)
	if code != 0 || !strings.Contains(out, "acts: not due") {
		t.Errorf("scrape acts, not due: exit %d, stdout %q; want 0 (nothing to do is no failure)", code, out)
	}
}

// copyFixture copies a file of the embedded fixtures to dir/name.
func copyFixture(t *testing.T, dir, name, path string) string {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS(), path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestErrorsNameTheRightThing: each error is one line that names what the user got wrong.
func TestErrorsNameTheRightThing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, cfg := freshDemo(t)
	arr := filepath.Join(dir, "arr.json")
	os.WriteFile(arr, []byte("[1, 2]\n"), 0o644)
	notDB := filepath.Join(dir, "some.xml")
	os.WriteFile(notDB, []byte("<?xml version=\"1.0\"?><Bill/>\n"), 0o644)
	act := filepath.Join(dir, "T-3.4.xml")
	os.WriteFile(act, []byte("<Statute/>\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want []string
		not  string
	}{
		{[]string{"law", "C-8", "--act-file", act}, 2, []string{"--act-file needs the bill as an XML file", "drop --act-file to use the stored bill C-8"}, "read bill"},
		{[]string{"diff", "C-12", "extra"}, 2, []string{"diff takes two bill XML files, or one bill number", "billwatch diff C-12"}, "read bill"},
		{[]string{"memory", "import", arr}, 1, []string{"not a billwatch memory export", "JSON array", `want a JSON object with "schema"`}, "invalid input"},
		{[]string{"--db", notDB, "bills"}, 1, []string{"database " + notDB + " is not a billwatch database"}, "billwatch backup"},
		{[]string{"--db", notDB, "check"}, 1, []string{"is not a billwatch database"}, "billwatch backup"},
		{[]string{"watch", "rm", "keyword", "national security"}, 1, []string{`"national security" is a built-in default`, "[watch] keywords", "replaces the built-in one"}, "comes from the configuration file"},
		{[]string{"run", "--every", "-5m"}, 2, []string{`--every "-5m": must be positive`}, "5m0s"},
	} {
		args := append([]string{"--config", cfg, "--db", db}, tc.args...)
		_, errOut, code := runWithEnv(t, nil, args...)
		line := strings.TrimSpace(errOut)
		if code != tc.code || strings.Contains(line, "\n") {
			t.Errorf("billwatch %s: exit %d, stderr %q; want exit %d and one line", strings.Join(tc.args, " "), code, errOut, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(line, w) {
				t.Errorf("billwatch %s: stderr %q lacks %q", strings.Join(tc.args, " "), line, w)
			}
		}
		if tc.not != "" && strings.Contains(line, tc.not) {
			t.Errorf("billwatch %s: stderr %q still says %q", strings.Join(tc.args, " "), line, tc.not)
		}
	}
}

// TestServeNamesTheAddressAsGiven: refusing to serve beyond loopback without an account names
// the address the operator wrote, not the listener's ([::]:8099 for 0.0.0.0:8099). The check is
// called directly: a test binds nothing beyond loopback.
func TestServeNamesTheAddressAsGiven(t *testing.T) {
	t.Parallel()
	db, cfgPath := freshDemo(t)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	err = checkExposure(cfg, db, "0.0.0.0:8099", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8099})
	if err == nil || !strings.Contains(err.Error(), "web: 0.0.0.0:8099 is reachable beyond this machine") || strings.Contains(err.Error(), "[::]") {
		t.Errorf("checkExposure(0.0.0.0:8099) = %v; want the address as given", err)
	}
}

// TestDiffOfTwoBillsWarns: comparing texts of two different bills still prints the diff, with
// one line on stderr saying they are different bills.
func TestDiffOfTwoBillsWarns(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c12 := copyFixture(t, dir, "C-12.xml", "1/parl/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml")
	c8 := copyFixture(t, dir, "C-8.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_1/C-8_E.xml")
	c8b := copyFixture(t, dir, "C-8b.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_2/C-8_E.xml")
	cfg := writeConfig(t, "")
	out, errOut, code := runWithEnv(t, nil, "--config", cfg, "diff", c12, c8, "--no-color")
	want := "billwatch: warning: " + c12 + " and " + c8 + " are texts of different bills (C-12 and C-8)"
	if code != 0 || strings.TrimSpace(errOut) != strings.TrimSpace(want+"; the diff compares them anyway") || out == "" {
		t.Errorf("diff C-12.xml C-8.xml: exit %d, stderr %q, %d bytes out; want exit 0, the diff and %q", code, errOut, len(out), want)
	}
	_, errOut, code = runWithEnv(t, nil, "--config", cfg, "diff", c8, c8b, "--no-color")
	if code != 0 || errOut != "" {
		t.Errorf("diff of two texts of C-8: exit %d, stderr %q; want no warning", code, errOut)
	}
}

// TestBadInputIsRefused: what used to be silently ignored or accepted is a usage error (exit 2)
// naming the mistake; a well-formed request for something that does not exist is exit 1.
func TestBadInputIsRefused(t *testing.T) {
	t.Parallel()
	db, cfg := freshDemo(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"status", "extra"}, 2, `status takes no arguments, got "extra" (see billwatch status -h)`},
		{[]string{"bills", "C-8"}, 2, `bills takes no arguments, got "C-8"`},
		{[]string{"backfill", "--session", "44-1", "x"}, 2, `backfill takes no arguments, got "x"`},
		{[]string{"user", "list", "x"}, 2, `user list takes no arguments, got "x"`},
		{[]string{"alerts", "extra"}, 2, `alerts takes no arguments, got "extra" (see billwatch alerts -h)`},
		{[]string{"calendar", "extra"}, 2, `calendar takes no arguments, got "extra" (see billwatch calendar -h)`},
		{[]string{"check", "extra"}, 2, `check takes no arguments, got "extra" (see billwatch check -h)`},
		{[]string{"compact", "extra"}, 2, `compact takes no arguments, got "extra" (see billwatch compact -h)`},
		{[]string{"run", "extra"}, 2, `run takes no arguments, got "extra" (see billwatch run -h)`},
		{[]string{"demo", "extra"}, 2, `demo takes no arguments, got "extra" (see billwatch demo -h)`},
		{[]string{"hearings", "extra"}, 2, `hearings takes no arguments, got "extra" (see billwatch hearings -h)`},
		{[]string{"regulations", "extra"}, 2, `regulations takes no arguments, got "extra" (see billwatch regulations -h)`},
		{[]string{"serve", "extra"}, 2, `serve takes no arguments, got "extra" (see billwatch serve -h)`},
		{[]string{"run", "--every", "1ms"}, 2, `--every "1ms": too often: at least 100ms`},
		{[]string{"run", "--every", "0s"}, 2, `--every "0s": must be more than 0 (leave --every out to follow the schedules)`},
		{[]string{"memory", "carry", "C-8", "--from", "45-1 C-8"}, 2, `cannot carry bill 45-1 C-8 over onto itself`},
		{[]string{"--base-url", "parl=http://h/?x=1#f", "bills"}, 2, `only the scheme and host (with port) of a site are replaced`},
		{[]string{"--base-url", "parl=http://h/some/path", "bills"}, 2, `drop the path "/some/path" (e.g. http://h)`},
		{[]string{"bills", "--base-url", "parl=http://u:p@h"}, 2, `drop a user`},
		// Not found: exit 1.
		{[]string{"show", "C-999"}, 1, "C-999"},
		{[]string{"diff", "C-8", "--from", "99"}, 1, `no version "99"`},
		{[]string{"watch", "rm", "keyword", "notthere"}, 1, "is not on the watch list"},
		{[]string{"user", "rm", "ghost"}, 1, "no user ghost"},
		{[]string{"memory", "carry", "C-8", "--from", "44-1 C-26"}, 1, "bill 44-1 C-26 has no record to carry over"},
		{[]string{"diff-act", "C-23", "--from", "9"}, 1, "Act C-23 has no version 9"},
		{[]string{"diff-act", "C-23", "--from", "first"}, 2, `version "first" of C-23: want a number`},
	} {
		_, errOut, code := runWithEnv(t, nil, append(append([]string{"--config", cfg, "--db", db}, unreachable()...), tc.args...)...)
		line := strings.TrimSpace(errOut)
		if code != tc.code || strings.Contains(line, "\n") || !strings.Contains(line, tc.want) {
			t.Errorf("billwatch %s: exit %d, stderr %q; want exit %d and one line with %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.want)
		}
	}
	for _, tc := range []struct{ toml, want string }{
		{"[daemon]\nunhealthy_after = 0\n", "daemon.unhealthy_after = 0: must be 1 or more"},
		{"[sites]\nparl = \"http://127.0.0.1:9/mirror\"\n", `sites.parl: "http://127.0.0.1:9/mirror": only the scheme and host`},
	} {
		bad := writeConfig(t, tc.toml)
		_, errOut, code := runWithEnv(t, nil, "--config", bad, "--db", db, "bills")
		if code != 1 || !strings.Contains(errOut, "config "+bad+": "+tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", tc.toml, code, errOut, tc.want)
		}
	}
	// Against the real sites, --every is at least a minute; on loopback (fixtures, a mirror)
	// it may go down to 100ms, for tests and demos. Checked directly: nothing runs.
	if err := checkEvery(&globals{config: cfg, bases: baseFlags{}}, durationFlag{d: 30 * 1e9, raw: "30s"}); err == nil || !strings.Contains(err.Error(), `--every "30s": too often: at least 1m`) {
		t.Errorf("--every 30s against the real sites: %v", err)
	}
	if err := checkEvery(&globals{config: cfg, bases: baseFlags(mapOf(unreachable()))}, durationFlag{d: 200 * 1e6, raw: "200ms"}); err != nil {
		t.Errorf("--every 200ms with every site on loopback: %v", err)
	}
	if err := checkEvery(&globals{config: cfg, bases: baseFlags(mapOf(unreachable()))}, durationFlag{d: 1e6, raw: "1ms"}); err == nil {
		t.Errorf("--every 1ms with every site on loopback: accepted")
	}
}

// mapOf turns --base-url SITE=URL pairs back into a map.
func mapOf(args []string) map[string]string {
	m := map[string]string{}
	for i := 1; i < len(args); i += 2 {
		site, u, _ := strings.Cut(args[i], "=")
		m[site] = u
	}
	return m
}

// TestScrapeSourceNamedTwiceRunsOnce and `help COMMAND` prints the command's help.
func TestScrapeSourceNamedTwiceRunsOnce(t *testing.T) {
	t.Parallel()
	got, err := parseSources([]string{"bills", "acts", "bills"})
	if err != nil || strings.Join(got, ",") != "bills,acts" {
		t.Errorf("parseSources(bills acts bills) = %v, %v; want bills, acts", got, err)
	}
	out, errOut, code := runWithEnv(t, nil, "help", "diff")
	if code != 0 || !strings.HasPrefix(out, "usage: billwatch diff ") || !strings.Contains(out, "--from") {
		t.Errorf("help diff: exit %d, stdout %q, stderr %q; want diff's help", code, out, errOut)
	}
	_, errOut, code = runWithEnv(t, nil, "help", "frob")
	if code != 2 || !strings.Contains(errOut, `help "frob": no such command`) {
		t.Errorf("help frob: exit %d, stderr %q", code, errOut)
	}
}

// TestWordsAndEndings: flag-value errors raised by a command end as the flag package's do; the
// sign-in link's validity is in hours; an age is never an overflow or a negative.
func TestWordsAndEndings(t *testing.T) {
	t.Parallel()
	db, cfg := freshDemo(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bills", "--session", "45"}, `--session "45": want PARLIAMENT-SESSION, e.g. 45-1 (see billwatch bills -h)`},
		{[]string{"diff", "C-8", "--format", "pdf"}, `--format "pdf": want one of`},
		{[]string{"law", "C-8", "--format", "pdf"}, `(see billwatch law -h)`},
	} {
		_, errOut, code := runWithEnv(t, nil, append([]string{"--config", cfg, "--db", db}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) || !strings.HasSuffix(strings.TrimSpace(errOut), "-h)") {
			t.Errorf("billwatch %s: exit %d, stderr %q; want %q ending in (see billwatch COMMAND -h)", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
	out, errOut, code := runWithEnv(t, nil, "--config", cfg, "--db", db, "--now", "2026-12-20T09:00:00-05:00", "user", "add", "lea", "--role", "editor")
	if code != 0 || !strings.Contains(out, "within 72 hours:") {
		t.Errorf("user add: exit %d, stdout %q, stderr %q; want \"within 72 hours\"", code, out, errOut)
	}
	now := time.Date(2026, 12, 20, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{now.Add(-3 * time.Hour), "3h ago"},
		{now.Add(-72 * time.Hour), "3 days ago"},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "2025 years ago"},
		{now.Add(21 * 24 * time.Hour), "in the future (clock skew?)"},
	} {
		if got := fetchAge(now, tc.at); got != tc.want {
			t.Errorf("fetchAge(%s) = %q, want %q", tc.at, got, tc.want)
		}
	}
	if got := humanAge(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), now); got != "7973 years ago" {
		t.Errorf("humanAge from 9999 = %q, want 7973 years ago", got)
	}
}

// TestLawAndDiffActJSONSayWhatTheyMean: law on a file gives the session its XML names;
// diff-act's JSON names the Act and both consolidations, keeping law's keys.
func TestLawAndDiffActJSONSayWhatTheyMean(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c8 := copyFixture(t, dir, "C-8_E.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_1/C-8_E.xml")
	cfg := writeConfig(t, "")
	out, errOut, code := runWithEnv(t, nil, "--config", cfg, "law", c8, "--format", "json")
	var lawOut struct {
		Bill, Session string
	}
	if code != 0 || json.Unmarshal([]byte(out), &lawOut) != nil || lawOut.Session != "45-1" || lawOut.Bill != "C-8" {
		t.Errorf("law C-8_E.xml --format json: exit %d, bill %q session %q, stderr %q; want C-8 of 45-1", code, lawOut.Bill, lawOut.Session, errOut)
	}
	if got := xmlSession([]byte("<Bill><Identification><Parliament><Session>2</Session><Number>44</Number></Parliament></Identification></Bill>")); got != "44-2" {
		t.Errorf("xmlSession = %q, want 44-2", got)
	}

	db, cfg := freshDemo(t)
	out, errOut, code = runWithEnv(t, nil, "--config", cfg, "--db", db, "diff-act", "C-23", "--format", "json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("diff-act C-23 --format json: exit %d, stderr %q\n%s", code, errOut, out)
	}
	from, _ := got["from"].(map[string]any)
	to, _ := got["to"].(map[string]any)
	if got["act"] != "C-23" || got["title"] != "Canadian Security Intelligence Service Act" || from["consolidated_to"] != "2024-06-20" || to["consolidated_to"] != "2026-11-20" || got["sections_changed"] != 1.0 {
		t.Errorf("diff-act JSON: act %v, title %v, from %v, to %v, sections_changed %v", got["act"], got["title"], from, to, got["sections_changed"])
	}
	for _, key := range []string{"bill", "version", "summary", "acts"} {
		if _, ok := got[key]; !ok {
			t.Errorf("diff-act JSON lost the key %q", key)
		}
	}
	// No bill is involved, and each effect says what the comparison found.
	if got["bill"] != "" {
		t.Errorf("diff-act JSON: bill %v, want empty", got["bill"])
	}
	acts, _ := got["acts"].([]any)
	if len(acts) != 1 {
		t.Fatalf("diff-act JSON acts: %v", got["acts"])
	}
	for _, e := range acts[0].(map[string]any)["effects"].([]any) {
		if c := e.(map[string]any)["change"]; c != "changed" && c != "added" && c != "gone" {
			t.Errorf("diff-act JSON effect change %v", c)
		}
	}
}

// TestWatchListSaysWhereEachEntryComesFrom: built-in defaults are not called entries of the
// configuration file.
func TestWatchListSaysWhereEachEntryComesFrom(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "x.db")
	empty := writeConfig(t, "")
	out, _, code := runWithEnv(t, nil, "--config", empty, "--db", db, "watch", "list")
	if code != 0 || !regexp.MustCompile(`keyword +national security +built-in default`).MatchString(out) || strings.Contains(out, "config file") {
		t.Errorf("watch list, no [watch]: exit %d\n%s", code, out)
	}
	cfg := writeConfig(t, "[watch]\nkeywords = [\"lawful access\"]\n")
	out, _, code = runWithEnv(t, nil, "--config", cfg, "--db", db, "watch", "list")
	if code != 0 || !regexp.MustCompile(`keyword +lawful access +config file`).MatchString(out) || strings.Contains(out, "national security") {
		t.Errorf("watch list, [watch] keywords: exit %d\n%s", code, out)
	}
}

// A bad value is told before the database is opened: on a database that does not exist, the
// value is what is wrong (exit 2), and nothing is created.
func TestBadValuesBeforeTheDatabase(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "missing", "x.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"memory", "set", "C-8", "--position", "bogus"}, `position "bogus"`},
		{[]string{"memory", "doc", "C-8", "--title", "x", "--date", "2026-13-01", "--url", "https://example.org/b"}, `document date "2026-13-01"`},
		{[]string{"user", "add", "lea", "--role", "god"}, `role "god": want viewer, editor or admin`},
		{[]string{"watch", "add", "committee", "bad one"}, `"bad one": want a committee acronym`},
	} {
		_, errOut, code := runWithEnv(t, nil, append([]string{"--db", db}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("billwatch %s on a missing database: exit %d, stderr %q; want exit 2 naming %s", strings.Join(c.args, " "), code, errOut, c.want)
		}
	}
	if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
		t.Errorf("a refused command created %s", filepath.Dir(db))
	}
}

// run with a bad configuration names the configuration, whatever --every says.
func TestRunReportsTheConfigurationFirst(t *testing.T) {
	t.Parallel()
	bad := writeConfig(t, "bogus = 1\n")
	_, errOut, code := runWithEnv(t, nil, "--config", bad, "--db", filepath.Join(t.TempDir(), "x.db"), "--base-url", "parl=http://127.0.0.1:9", "run", "--every", "1s")
	if code == 0 || !strings.Contains(errOut, "config "+bad) || strings.Contains(errOut, "--every") {
		t.Errorf("run --every 1s with a bad configuration: exit %d, stderr %q; want the configuration's error", code, errOut)
	}
}
