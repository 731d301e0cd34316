package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/tracker"
)

// runLaw runs billwatch with an empty config in a temporary folder.
func runLaw(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "billwatch.toml")
	if err := os.WriteFile(cfg, []byte(""), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	all := append([]string{"--config", cfg, "--db", filepath.Join(dir, "billwatch.db")}, args...)
	code := exitCode(run(t.Context(), all, &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

type lawJSON struct {
	Bill, Session, Version string
	Summary                struct{ Instructions, Applied, Unapplied int }
	Acts                   []struct {
		Code, Title    string
		ConsolidatedTo string `json:"consolidated_to"`
		Effects        []struct {
			BillProvision string `json:"bill_provision"`
			Instruction   string
			Kind, Target  string
			Applied       bool
			Reason        string
			Before, After string
		}
	}
}

func TestLawFiles(t *testing.T) {
	bill := sampletest.Path(t, "bill-45-1-C-8-first-reading.xml")
	act := sampletest.Path(t, "justice-act-T-3.4.xml")
	out, errOut, code := runLaw(t, "law", bill, "--act-file", act, "--format", "json")
	if code != 0 {
		t.Fatalf("law --format json: exit %d: %s", code, errOut)
	}
	var doc lawJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Bill != "C-8" || doc.Version != "first-reading" || doc.Summary.Instructions != 21 || doc.Summary.Applied != 17 || doc.Summary.Unapplied != 4 {
		t.Errorf("law C-8 = %+v %+v", doc.Bill, doc.Summary)
	}
	if len(doc.Acts) != 4 || doc.Acts[0].Code != "T-3.4" || doc.Acts[0].ConsolidatedTo != "2024-06-20" {
		t.Fatalf("law C-8 acts = %+v", doc.Acts)
	}
	e := doc.Acts[0].Effects[4]
	if e.BillProvision != "3" || e.Kind != "replaced" || e.Target != "47" || !e.Applied || !strings.HasPrefix(e.Before, "[Commission subject to orders and standards]\n47 The Commission shall") ||
		e.Instruction != "Section 47 of the Act is replaced by the following:" {
		t.Errorf("law C-8 effect 5 = %+v", e)
	}
	// An Act not given is said to be not given, not missing from Justice Laws.
	if r := doc.Acts[1].Effects[0].Reason; !strings.HasPrefix(r, "Act not available: ") || !strings.HasSuffix(r, " was not given with --act-file") {
		t.Errorf("law C-8, OSFI Act: reason %q", r)
	}

	// --act narrows to one Act and recounts.
	out, _, code = runLaw(t, "law", bill, "--act-file", act, "--format", "json", "--act", "T-3.4")
	doc = lawJSON{}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatal(err, code)
	}
	if doc.Summary.Instructions != 17 || doc.Summary.Applied != 17 || len(doc.Acts) != 1 {
		t.Errorf("law --act T-3.4 = %+v", doc.Summary)
	}

	// Text, markdown and html render.
	for _, f := range []string{"text", "markdown", "html"} {
		out, errOut, code := runLaw(t, "law", bill, "--act-file", act, "--format", f)
		if code != 0 || !strings.Contains(out, "Telecommunications Act (T-3.4)") {
			t.Errorf("law --format %s: exit %d %s\n%.300s", f, code, errOut, out)
		}
	}
}

func TestLawBadInput(t *testing.T) {
	bill := sampletest.Path(t, "bill-45-1-C-8-first-reading.xml")
	act := sampletest.Path(t, "justice-act-T-3.4.xml")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"law", bill, "--act-file", bill}, 1, "bill-45-1-C-8-first-reading.xml: law: parse act xml: root element is <Bill>, want <Statute>"},
		{[]string{"law", act, "--act-file", act}, 1, "justice-act-T-3.4.xml: law: parse bill xml: root element is <Statute>, want <Bill>"},
		{[]string{"law", "missing.xml", "--act-file", act}, 1, "missing.xml"},
		{[]string{"law", bill, "--act-file", act, "--format", "pdf"}, 2, `--format "pdf"`},
		{[]string{"law", bill, "--act-file", act, "--act", "nonsense"}, 2, `--act "nonsense"`},
		{[]string{"law", bill, "--act-file", act, "--act", "C-46"}, 1, "bill C-8 does not amend the Act C-46"},
		{[]string{"law"}, 2, "law takes one bill"},
		{[]string{"law", "C-8"}, 1, "no database"},
	} {
		_, errOut, code := runLaw(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
}

// TestProvisionWatch: a watched provision raises exactly one bill.provision alert for the
// bill whose text touches it (C-30 adds 19(2)(e) to the CSIS Act), none for a provision no
// bill touches; and the new bill's alert says which Act and provisions it amends.
func TestProvisionWatch(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	cfg := "[fetch]\ndelay = \"0s\"\n\n[watch]\nprovisions = [\"Canadian Security Intelligence Service Act s. 19\", \"C-23 s. 21\", \"T-3.4 s. 47\"]\n\n[acts]\n\"Canadian Security Intelligence Service Act\" = \"C-23\"\n"
	if err := os.WriteFile(c.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	c.servers.SetSnapshot(2)
	if _, errOut, code := c.run(week2, "scrape", "bills"); code != 0 {
		t.Fatalf("second pass: exit %d: %s", code, errOut)
	}
	var provision []billwatch.Alert
	var introduced billwatch.Alert
	for _, a := range c.alerts(week2) {
		switch a.Kind {
		case billwatch.KindBillProvision:
			provision = append(provision, a)
		case billwatch.KindBillIntroduced:
			introduced = a
		}
	}
	if len(provision) != 1 || provision[0].Subject != "45-1 C-30" || provision[0].Severity != billwatch.Action ||
		provision[0].Why != "touches a watched provision: Canadian Security Intelligence Service Act s. 19" ||
		!strings.Contains(provision[0].Text, "s. 1 of the bill: s. 19(2)(e) added") {
		t.Fatalf("bill.provision alerts = %+v, want one for C-30 and s. 19", provision)
	}
	for _, a := range c.alerts(week2) {
		if a.Kind == billwatch.KindBillAmended && !strings.Contains(a.Text, "amends the Immigration and Refugee Protection Act: s. 101(1)(e.1) added, s. 11.3 added, s. 150.2 added\namends the Customs Act") {
			t.Errorf("bill.amended %s text = %q, want the Acts it amends", a.Subject, a.Text)
		}
	}
	if !strings.Contains(introduced.Text, "amends the Canadian Security Intelligence Service Act: s. 19(2)(e) added, s. 22.4 added") {
		t.Errorf("bill.introduced C-30 text = %q, want the Act and provisions it amends", introduced.Text)
	}
	// The same pass again: no second alert.
	if _, errOut, code := c.run(week3, "scrape", "bills"); code != 0 {
		t.Fatalf("third pass: exit %d: %s", code, errOut)
	}
	n := 0
	for _, a := range c.alerts(week3) {
		if a.Kind == billwatch.KindBillProvision {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d bill.provision alerts after a third pass, want 1", n)
	}
}

// TestActsSourceEndToEnd: the Justice Laws pass fetches the Acts relevant bills amend and
// the watched ones; `law C-8` applies the stored text to the stored Act; a later
// consolidation is stored as a new version and `diff-act` shows what changed.
func TestActsSourceEndToEnd(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	out, errOut, code := c.run(week1, "scrape")
	if code != 0 || !strings.Contains(out, "acts: ok") {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	// C-8 amends the Telecommunications Act; the CSIS Act is watched by default.
	out, errOut, code = c.run(week1, "law", "C-8", "--format", "json")
	if code != 0 {
		t.Fatalf("law C-8: exit %d: %s", code, errOut)
	}
	var doc lawJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Bill != "C-8" || doc.Session != "45-1" || len(doc.Acts) == 0 || doc.Acts[0].Code != "T-3.4" || doc.Acts[0].ConsolidatedTo != "2024-06-20" {
		t.Fatalf("law C-8 = %+v", doc)
	}
	var got []string
	for _, e := range doc.Acts[0].Effects {
		got = append(got, e.Kind+" "+e.Target+" "+map[bool]string{true: "applied", false: "not applied: " + e.Reason}[e.Applied])
	}
	want := []string{"words 7(h) applied", "words 7(i) applied", "added 7(j) applied", "added 15.1 applied"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("law C-8 effects = %q, want %q", got, want)
	}
	// Within the week nothing is fetched again; after it, the new consolidation is stored.
	if out, _, _ := c.run(week1, "diff-act", "C-23"); out != "" {
		t.Errorf("diff-act with one consolidation printed %q", out)
	}
	_, errOut, code = c.run(week1, "diff-act", "C-23")
	if code != 1 || !strings.Contains(errOut, "only one consolidation") {
		t.Errorf("diff-act C-23 with one version: exit %d, %q", code, errOut)
	}
	c.servers.SetSnapshot(3)
	out, errOut, code = c.run(week3, "scrape", "acts")
	if code != 0 || !strings.Contains(out, "1 new versions") {
		t.Fatalf("scrape acts, snapshot 3: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = c.run(week3, "diff-act", "C-23")
	if code != 0 || !strings.Contains(out, "s. 21 changed: the later consolidation reads differently") || strings.Contains(out, "applied") || !strings.Contains(out, "{+or to perform its duties and functions under section 16+}") {
		t.Errorf("diff-act C-23: exit %d %s\n%s", code, errOut, out)
	}
	_, errOut, code = c.run(week3, "diff-act", "X-99")
	if code != 1 || !strings.Contains(errOut, "Act X-99 is not stored") {
		t.Errorf("diff-act X-99: exit %d, %q", code, errOut)
	}
}

var _ tracker.ActSource = actSource{}
var _ tracker.LawReader = (*lawReader)(nil)
