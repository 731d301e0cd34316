package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	// What one accepts, the other accepts.
	db := filepath.Join(t.TempDir(), "x.db")
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
	// A pass of nothing but a source with nothing due is no failure.
	out, _, code = runWithEnv(t, nil, append(append([]string{"--config", cfg, "--db", db, "--now", "2026-12-20T09:00:00-05:00"}, unreachable()...), "scrape", "--no-notify", "acts")...)
	if code != 0 || !strings.Contains(out, "acts: not due") {
		t.Errorf("scrape acts, not due: exit %d, stdout %q; want 0 (nothing to do is no failure)", code, out)
	}
}
