package main

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// terminalControls are what a hostile page may plant to drive the operator's terminal: ESC
// (CSI, OSC), BEL, the C1 CSI and a bidi override. As JSON escapes, for the --json outputs.
var terminalControls = []string{"\x1b", "\x07", "\u009b", "\u202e", `\u001b`, `\u0007`}

// hostileFixtures is snapshot 2 with terminal controls in a study title (the SECU meeting list),
// a witness's organisation (SECU meeting 25's notice), a Gazette title and a bill title.
func hostileFixtures(t *testing.T) fs.FS {
	t.Helper()
	top := fstest.MapFS{}
	for name, repl := range map[string][2]string{
		"2/ourcommons/Committees/en/SECU/Meetings@parl=45&session=1": {"An Act respecting lawful access", "An Act respecting\x1b]0;owned\x07 lawful access\x1b[2J"},
		"2/ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice": {"Canadian Civil Liberties Association", "Canadian Civil\x1b[31m Liberties\u009b Association"},
		"2/gazette/rp-pr/p1/2026/2026-11-21/html/reg1-eng.html":      {"(Biometrics and Information Sharing)", "(Biometrics\x07 and \x1b]8;;http://evil.example\x1b\\Information\u202e Sharing)"},
		"2/parl/legisinfo/en/bills/json@parlsession=45-1":            {"Service Act (foreign interference)", `Service Act\u001b]0;owned\u0007 (foreign interference)`},
	} {
		b, err := fs.ReadFile(fixtures.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(repl[0])) {
			t.Fatalf("fixture %s lacks %q", name, repl[0])
		}
		top[name] = &fstest.MapFile{Data: bytes.ReplaceAll(b, []byte(repl[0]), []byte(repl[1]))}
	}
	return overlay(fixtures.FS(), top)
}

func controlsIn(s string) []string {
	var found []string
	for _, c := range terminalControls {
		if strings.Contains(s, c) {
			found = append(found, c)
		}
	}
	return found
}

// TestHostileTextNeverReachesTheTerminal: terminal controls in scraped titles and names are
// dropped on the way in (nothing stored carries them) and the console sink prints none.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	c := newCLI(t, hostileFixtures(t))
	if out, errOut, code := c.run(week1, "scrape"); !stored(code) {
		t.Fatalf("baseline: exit %d\n%s%s", code, out, errOut)
	}
	c.servers.SetSnapshot(2)
	out, errOut, code := c.run(week2, "scrape")
	if !stored(code) {
		t.Fatalf("scrape of snapshot 2: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "lawful access") || !strings.Contains(out, "(Biometrics and") {
		t.Fatalf("the console sink printed no alert on the hostile items:\n%s", out)
	}
	if bad := controlsIn(out + errOut); len(bad) > 0 {
		t.Errorf("scrape (console sink) printed %q", bad)
	}
	for _, args := range [][]string{
		{"hearings", "--all"}, {"hearings", "--all", "--json"},
		{"bills", "--all"}, {"bills", "--all", "--json"},
		{"regulations", "--all"}, {"regulations", "--all", "--json"},
		{"alerts"}, {"alerts", "--json"},
		{"show", "C-30"}, {"show", "C-30", "--json"}, {"show", "C-22"},
		{"status"},
	} {
		out, errOut, code := c.run(week2, args...)
		if code != 0 {
			t.Errorf("billwatch %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if bad := controlsIn(out); len(bad) > 0 {
			t.Errorf("billwatch %s prints %q", strings.Join(args, " "), bad)
		}
	}
	// The words around the controls are kept.
	out, _, _ = c.run(week2, "hearings", "--all")
	if !strings.Contains(out, "Canadian Civil") {
		t.Errorf("hearings --all lost the witness:\n%s", out)
	}
}

// rawHearings is a hearing source that returns text as a page gave it, bypassing the
// scrapers' cleaning: a database written before text was cleaned on the way in.
type rawHearings []billwatch.Hearing

func (r rawHearings) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	var out []billwatch.Hearing
	for _, h := range r {
		if h.Committee == committee {
			out = append(out, h)
		}
	}
	return out, nil
}

// TestReadCommandsStripStoredControls: what is already stored with terminal controls (a
// database from before the cleaning on the way in) is still printed without them.
func TestReadCommandsStripStoredControls(t *testing.T) {
	e := newEnv(t)
	store, err := tracker.Open(e.db)
	if err != nil {
		t.Fatal(err)
	}
	tr := tracker.New(store, tracker.Profile{Keywords: []string{"lawful access"}, Committees: []string{"SECU"}}, nil)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, billwatch.Eastern)
	tr.Now = func() time.Time { return now }
	h := billwatch.Hearing{
		Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: 25,
		Start: now.Add(72 * time.Hour), Status: billwatch.HearingScheduled,
		Studies:   []string{"Lawful access\x1b]0;owned\x07\x1b[2J"},
		Bills:     []string{},
		URL:       "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-25/notice",
		Witnesses: []billwatch.Witness{{Name: "Jane\u009b31m Doe", Organization: "Evil\u202e Org"}},
	}
	plan := tracker.HearingPlan{Session: "45-1", House: []string{"SECU"}}
	// A baseline of the committee, then the meeting: stored, and alerted.
	if s := tr.ScrapeHearings(t.Context(), rawHearings{h}, nil, plan); s.Outcome == tracker.Failed {
		t.Fatalf("pass: %v", s.Err())
	}
	h.Number = 26
	h.Start = h.Start.Add(24 * time.Hour)
	if s := tr.ScrapeHearings(t.Context(), rawHearings{h}, nil, plan); s.Outcome == tracker.Failed {
		t.Fatalf("pass: %v", s.Err())
	}
	for _, args := range [][]string{{"hearings", "--all"}, {"hearings"}, {"alerts"}, {"status"}} {
		out, errOut, code := e.exec(e.db, nil, week2, args...)
		if code != 0 {
			t.Fatalf("billwatch %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if bad := controlsIn(out); len(bad) > 0 {
			t.Errorf("billwatch %s prints %q:\n%q", strings.Join(args, " "), bad, out)
		}
		if args[0] == "hearings" && !strings.Contains(out, "Jane31m Doe") {
			t.Errorf("billwatch %s lost the witness: %q", strings.Join(args, " "), out)
		}
	}
}
