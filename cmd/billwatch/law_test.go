package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
)

// runArgs runs billwatch with an empty config in a temporary folder.
func runArgs(t *testing.T, args ...string) (string, string, int) {
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
	out, errOut, code := runArgs(t, "law", bill, "--act-file", act, "--format", "json")
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
	if r := doc.Acts[1].Effects[0].Reason; r != "Act not available: O-2.7 was not given with --act-file" && !strings.HasPrefix(r, "Act not available: ") {
		t.Errorf("law C-8, OSFI Act: reason %q", r)
	}

	// --act narrows to one Act and recounts.
	out, _, code = runArgs(t, "law", bill, "--act-file", act, "--format", "json", "--act", "T-3.4")
	doc = lawJSON{}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatal(err, code)
	}
	if doc.Summary.Instructions != 17 || doc.Summary.Applied != 17 || len(doc.Acts) != 1 {
		t.Errorf("law --act T-3.4 = %+v", doc.Summary)
	}

	// Text, markdown and html render.
	for _, f := range []string{"text", "markdown", "html"} {
		out, errOut, code := runArgs(t, "law", bill, "--act-file", act, "--format", f)
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
		_, errOut, code := runArgs(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
}
