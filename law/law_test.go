package law

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(sampletest.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustAct(t testing.TB, b []byte) *Act {
	t.Helper()
	a, err := ParseAct(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustBill(t testing.TB, b []byte) *Bill {
	t.Helper()
	bill, err := ParseBill(b)
	if err != nil {
		t.Fatal(err)
	}
	return bill
}

// only looks up one Act by title or chapter; every other Act is not available.
func only(act *Act) Lookup {
	return func(r ActRef) (string, *Act, error) {
		if TitleKey(r.Title) == TitleKey(act.Title) || (r.Chapter != "" && ChapterKey(r.Chapter) == ChapterKey(act.Chapter)) {
			return act.Code, act, nil
		}
		return "", nil, errNoAct
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./law -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, d)
	}
}

func TestParseActTelecommunications(t *testing.T) {
	t.Parallel()
	a := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	if a.Code != "T-3.4" || a.Title != "Telecommunications Act" || a.Chapter != "1993, c. 38" || a.ConsolidatedTo != "2024-06-20" {
		t.Fatalf("ParseAct(T-3.4) identity = %q %q %q %q", a.Code, a.Title, a.Chapter, a.ConsolidatedTo)
	}
	ap := &applier{act: a}
	sections, headings := 0, 0
	for _, n := range a.Body {
		switch n.Kind {
		case KindSection:
			sections++
		case KindHeading:
			headings++
		}
	}
	if sections != 147 || headings != 51 {
		t.Errorf("ParseAct(T-3.4) = %d sections, %d headings in the body, want 147, 51", sections, headings)
	}
	for _, c := range []struct {
		path []string
		kind string
		text string
	}{
		{[]string{"47"}, KindSection, "The Commission shall exercise its powers and perform its duties under this Act and any special Act"},
		{[]string{"47", "(b)"}, KindParagraph, "in accordance with any orders made by the Governor in Council under section 8 or any standards prescribed by the Minister under section 15."},
		{[]string{"71", "(4)", "(a)"}, KindParagraph, "enter, at any reasonable time,"},
		{[]string{"27.1"}, KindSection, "[Repealed, 2014, c. 20, s. 240]"},
		{[]string{"133"}, KindSection, "Where a day is fixed"}, // the label carries a footnote mark
	} {
		l, err := ap.find(c.path)
		if err != nil {
			t.Errorf("find(%v): %v", c.path, err)
			continue
		}
		if n := l.node(); n.Kind != c.kind || !strings.HasPrefix(n.Text, c.text) {
			t.Errorf("find(%v) = %s %q, want %s %q…", c.path, n.Kind, n.Text, c.kind, c.text)
		}
	}
	l, _ := ap.find([]string{"2", "(1)"})
	if i := definitionIndex(l.node(), "Canadian carrier"); i < 0 {
		t.Errorf("definition “Canadian carrier” not found in 2(1)")
	}
	if l, _ := ap.find([]string{"27.1"}); !l.node().Repealed {
		t.Errorf("s. 27.1 is not marked repealed")
	}
	if l, _ := ap.find([]string{"33"}); !strings.HasPrefix(l.node().After, "the Commission may, for that purpose") {
		t.Errorf("s. 33 text after its paragraphs = %q", l.node().After)
	}
}

func TestParseActRejects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"bill", `<Bill><Body/></Bill>`, "want <Statute>"},
		{"no body", `<Statute><Identification/></Statute>`, "no <Body>"},
		{"truncated", `<Statute><Body><Section>`, "truncated"},
	} {
		if _, err := ParseAct([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseAct(%s) = %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// want is one expected effect.
type want struct {
	bill, kind, target string
	applied            bool
	reason             string // a prefix
}

func effectsOf(res *Result, code string) []Effect {
	for _, a := range res.Acts {
		if a.Code == code {
			return a.Effects
		}
	}
	return nil
}

func checkEffects(t *testing.T, name string, got []Effect, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, e := range got {
			t.Logf("%s %s %q %v %s", e.BillProvision, e.Kind, e.Target, e.Applied, e.Reason)
		}
		t.Fatalf("%s: %d effects, want %d", name, len(got), len(wants))
	}
	for i, w := range wants {
		e := got[i]
		if e.BillProvision != w.bill || e.Kind != w.kind || e.Target != w.target || e.Applied != w.applied || !strings.HasPrefix(e.Reason, w.reason) {
			t.Errorf("%s effect %d = {%s %s %q applied=%v %q}, want {%s %s %q applied=%v %q…}",
				name, i+1, e.BillProvision, e.Kind, e.Target, e.Applied, e.Reason, w.bill, w.kind, w.target, w.applied, w.reason)
		}
	}
}

var c8OnT34 = []want{
	{"1", Words, "7(h)", true, ""},
	{"1", Words, "7(i)", true, ""},
	{"1", Added, "7(j)", true, ""},
	{"2", Added, "15.1, 15.2, 15.21, 15.22, 15.3, 15.4, 15.5, 15.6, 15.7, 15.71, 15.8, 15.81, 15.9, 15.91", true, ""},
	{"3", Replaced, "47", true, ""},
	{"4(1)", Replaced, "71(2)", true, ""},
	{"4(2)", Replaced, "71(4)(a)", true, ""},
	{"4(3)", Replaced, "71(6)(b)", true, ""},
	{"4(4)", Replaced, "71(9)", true, ""},
	{"5", Replaced, "72(3)", true, ""},
	{"6", Replaced, "72.001", true, ""},
	{"7", Added, "72.131, 72.132, 72.133, 72.134, 72.135, 72.136, 72.137, 72.138, 72.139, 72.1391, 72.1392, 72.1393", true, ""},
	{"8", Replaced, "72.14", true, ""},
	{"9", Replaced, "72.14", true, ""},
	{"10(1)", Replaced, "73(3)(a)", true, ""},
	{"10(2)", Added, "73(3.1), 73(3.2), 73(3.3), 73(3.4), 73(3.5)", true, ""},
	{"10(3)", Replaced, "73(7)", true, ""},
}

// TestC8OnTelecommunicationsAct applies every text of C-8 to the real Telecommunications
// Act: every instruction aimed at it is found and applied.
func TestC8OnTelecommunicationsAct(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	for _, v := range []string{"first-reading", "as-amended-by-committee", "third-reading", "royal-assent"} {
		bill := mustBill(t, readSample(t, "bill-45-1-C-8-"+v+".xml"))
		res := Apply(bill, only(act))
		res.Annotate()
		if v != "first-reading" {
			// Later texts add sections (15.01, 15.211…): every instruction on the Act
			// still applies.
			es := effectsOf(res, "T-3.4")
			for _, e := range es {
				if !e.Applied {
					t.Errorf("C-8 %s: %s %s %s not applied: %s", v, e.BillProvision, e.Kind, e.Target, e.Reason)
				}
			}
			if len(es) < len(c8OnT34) {
				t.Errorf("C-8 %s: %d effects on T-3.4, want at least %d", v, len(es), len(c8OnT34))
			}
			continue
		}
		checkEffects(t, "C-8 "+v, effectsOf(res, "T-3.4"), c8OnT34)
		// The other Acts of Part 2 are named, resolved by title and chapter, and reported.
		var others []string
		for _, a := range res.Acts[1:] {
			others = append(others, a.Title+" / "+a.Chapter)
		}
		wantOthers := []string{
			"Office of the Superintendent of Financial Institutions Act / R.S., c. 18 (3rd Supp.), Part I",
			"Nuclear Safety and Control Act / 1997, c. 9",
			"Transportation Appeal Tribunal of Canada Act / 2001, c. 29",
		}
		if d := cmp.Diff(wantOthers, others); d != "" {
			t.Errorf("C-8 other Acts (-want +got):\n%s", d)
		}
		if res.Summary != (Summary{Instructions: 21, Applied: 17, Unapplied: 4}) {
			t.Errorf("C-8 summary = %+v", res.Summary)
		}
		if res.Bill != "C-8" || res.Version != "first-reading" {
			t.Errorf("C-8 bill, version = %q, %q", res.Bill, res.Version)
		}
		var text bytes.Buffer
		if err := Render(&text, res, "text", false); err != nil {
			t.Fatal(err)
		}
		golden(t, "c8-first-reading.txt", text.Bytes())
	}
}

// TestC8Golden checks ten effects of C-8 by their text, as read by hand against the bill
// and the consolidated Act.
func TestC8Golden(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := Apply(mustBill(t, readSample(t, "bill-45-1-C-8-first-reading.xml")), only(act))
	res.Annotate()
	es := effectsOf(res, "T-3.4")
	if len(es) != len(c8OnT34) {
		t.Fatalf("%d effects", len(es))
	}
	after := res.Acts[0].Act
	ap := &applier{act: after}
	text := func(path ...string) string {
		l, err := ap.find(path)
		if err != nil {
			t.Fatalf("after C-8: %v", err)
		}
		return render([]*Node{l.node()})
	}
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		// s. 1: “and” moves from the end of 7(h) to the end of 7(i); 7(j) follows.
		{"7(h)", text("7", "(h)"), "(h) to respond to the economic and social requirements of users of telecommunications services;"},
		{"7(i)", text("7", "(i)"), "(i) to contribute to the protection of the privacy of persons; and"},
		{"7(j)", text("7", "(j)"), "(j) to promote the security of the Canadian telecommunications system."},
		// s. 3: section 47 replaced, its paragraphs folded into one sentence.
		{"47", es[4].After, "[Commission subject to orders and standards]\n47 The Commission must exercise its powers and perform its duties under this Act and any special Act — in accordance with any orders made by the Governor in Council under section 8 or any standards prescribed by the Minister under section 15, and taking into account any orders made under section 15.1 or 15.2 and any regulation made under paragraph 15.8(1)(a) — with a view to implementing the Canadian telecommunications policy objectives and ensuring that Canadian carriers provide telecommunications services and charge rates in accordance with section 27."},
		{"47 before", es[4].Before, "[Commission subject to orders and standards]\n47 The Commission shall exercise its powers and perform its duties under this Act and any special Act\n  (a) with a view to implementing the Canadian telecommunications policy objectives and ensuring that Canadian carriers provide telecommunications services and charge rates in accordance with section 27; and\n  (b) in accordance with any orders made by the Governor in Council under section 8 or any standards prescribed by the Minister under section 15."},
		// s. 4(1): 71(2) replaced.
		{"71(2)", text("71", "(2)"), "[Designation of inspectors]\n(2) The Minister may designate any qualified person as an inspector for the purpose of verifying compliance or preventing non-compliance with the provisions of this Act for which the Minister is responsible or with orders made under sections 15.1 and 15.2 or regulations made under paragraph 15.8(1)(a)."},
		// s. 6: the portion of 72.001 before (a); (a) and (b) are kept.
		{"72.001", text("72.001"), "[Commission of violation]\n72.001 Every contravention of a provision of this Act, other than section 17 or 69.2, or the regulations, other than a provision of an order made under section 15.1 or 15.2 or a regulation made under paragraph 15.8(1)(a), every contravention of a decision made by the Commission under this Act, other than a prohibition or a requirement of the Commission made under section 41, and every contravention of any of subsections 51(1) to (4) and (7), 52(1) to (3) and 53(1) to (3) and (6) of the Accessible Canada Act constitutes a violation and the person who commits the violation is liable\n  (a) in the case of an individual, to an administrative monetary penalty not exceeding $25,000 and, for a subsequent contravention, a penalty not exceeding $50,000; or\n  (b) in any other case, to an administrative monetary penalty not exceeding $10,000,000 and, for a subsequent contravention, a penalty not exceeding $15,000,000."},
		// s. 8: the heading before 72.14 (English version).
		{"heading 72.14", es[12].Before + " → " + es[12].After, "Provisions Applicable to Both Administrative Monetary Penalties Schemes → Provisions Common to Administrative Monetary Penalties Schemes"},
		// s. 10(2): 73(3.1) added after 73(3), before 73(4).
		{"73(3.1)", strings.SplitN(text("73", "(3.1)"), "\n", 3)[1], "(3.1) Every person who contravenes an order made under section 15.1 or 15.2 or a regulation made under paragraph 15.8(1)(a) is guilty of an offence punishable on summary conviction and liable,"},
	} {
		if c.got != c.want {
			t.Errorf("after C-8, %s =\n%s\nwant\n%s", c.name, c.got, c.want)
		}
	}
	// Order in the body: 15, 15.1 … 15.81, the new heading "Judicial Review", 15.9, 15.91,
	// then the headings before 16; 72.13, then the new
	// heading, 72.131 … 72.1393, then the replaced heading and 72.14.
	var order []string
	for _, n := range after.Body {
		if n.Kind == KindSection {
			order = append(order, n.Label)
		} else {
			order = append(order, "H")
		}
	}
	seq := strings.Join(order, " ")
	for _, w := range []string{
		"15 15.1 15.2 15.21 15.22 15.3 15.4 15.5 15.6 15.7 15.71 15.8 15.81 H 15.9 15.91 H H 16 ",
		" 72.13 H 72.131 72.132 72.133 72.134 72.135 72.136 72.137 72.138 72.139 72.1391 72.1392 72.1393 H 72.14 ",
	} {
		if !strings.Contains(seq, w) {
			t.Errorf("after C-8 the body does not read %q:\n%s", w, seq)
		}
	}
	var subs []string
	l, _ := ap.find([]string{"73"})
	for _, k := range l.node().Children {
		subs = append(subs, k.Label)
	}
	if got := strings.Join(subs, " "); got != "(1) (2) (3) (3.1) (3.2) (3.3) (3.4) (3.5) (4) (5) (6) (7) (8) (9)" {
		t.Errorf("after C-8, s. 73 holds %s", got)
	}
	// Flags: 73(3.1) is a new offence; s. 47's "shall" → "must" is no change of duty.
	var codes []string
	for _, f := range es[15].Flags {
		codes = append(codes, f.Code)
	}
	if !strings.Contains(strings.Join(codes, " "), "offence.added") {
		t.Errorf("73(3.1) added: flags %v, want offence.added", codes)
	}
	if len(es[4].Flags) != 0 {
		t.Errorf("s. 47 replaced: flags %+v, want none", es[4].Flags)
	}
	// The original Act is untouched.
	if l, _ := (&applier{act: act}).find([]string{"47", "(a)"}); l.list == nil {
		t.Errorf("Apply changed the Act it was given")
	}
}

// TestWrongTarget feeds an instruction whose target is not in the Act: it is reported as
// "target not found" and nothing changes.
func TestWrongTarget(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	b := readSample(t, "bill-45-1-C-8-first-reading.xml")
	for _, c := range []struct{ from, to, target, reason string }{
		{"Section 47 of the Act is replaced", "Section 470 of the Act is replaced", "470", "target not found: no section 470 in the Act"},
		{"Subsection 71(2) of the Act", "Subsection 71(12) of the Act", "71(12)", "target not found: no (12) in 71"},
		{"Paragraph 73(3)(a) of the Act", "Paragraph 73(3)(q) of the Act", "73(3)(q)", "target not found: no (q) in 73(3)"},
		{"Subsection 72(3) of the Act", "Paragraph 72(3) of the Act", "72(3)", "target not found: 72(3) is a subsection in the Act, not a paragraph"},
	} {
		wrong := bytes.Replace(b, []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(wrong, b) {
			t.Fatalf("%q not in the bill", c.from)
		}
		res := Apply(mustBill(t, wrong), only(act))
		right := Apply(mustBill(t, b), only(act))
		var hit *Effect
		for i, e := range res.Acts[0].Effects {
			if e.Target == c.target {
				hit = &res.Acts[0].Effects[i]
			}
		}
		if hit == nil || hit.Applied || hit.Reason != c.reason || hit.Before != "" || hit.After != "" {
			t.Errorf("wrong target %s: effect = %+v, want not applied, %q", c.target, hit, c.reason)
			continue
		}
		if res.Summary.Applied != right.Summary.Applied-1 {
			t.Errorf("wrong target %s: %d applied, want %d", c.target, res.Summary.Applied, right.Summary.Applied-1)
		}
		// The Act as left by the bill differs from the right one only where the right
		// instruction applied: the wrong one changed nothing.
		orig := render(act.Body)
		got := render(res.Acts[0].Act.Body)
		if got == render(right.Acts[0].Act.Body) || got == orig {
			t.Errorf("wrong target %s: the Act after is not what it should be", c.target)
		}
	}
}

var synthetic = []want{
	{"1", Added, `2(1) "personal information", 2(1) "breach"`, true, ""},
	{"2", Replaced, `2(1) "record"`, true, ""},
	{"3", Repealed, `2(1) "data"`, true, ""},
	{"4", Words, "3(b)", true, ""},
	{"4", Words, "3(c)", true, ""},
	{"4", Added, "3(d)", true, ""},
	{"5", Replaced, "3", true, ""},
	{"6(1)", Replaced, "4(1)", true, ""},
	{"6(2)", Replaced, "4(1)(a)(ii)", true, ""},
	{"6(3)", Repealed, "4(2)", true, ""},
	{"6(4)", Replaced, "4(3), 4(4)", true, ""},
	{"6(5)", Words, "4(3)", false, ReasonFrench},
	{"7", Words, "6", true, ""},
	{"8", Words, "6", true, ""},
	{"9", Renumbered, "7", true, ""},
	{"9", Added, "7(2)", true, ""},
	{"10", Replaced, "8", true, ""},
	{"11", Added, "8.1", true, ""},
	{"12", Repealed, "9", true, ""},
	{"13", Added, "10", true, ""},
	{"14", Replaced, "42", false, "target not found: no section 42 in the Act"},
	{"15", "", "8", false, ReasonForm},
	{"16", Words, "8", false, "not applied with certainty: “the” occurs 5 times in 8"},
	{"17", Replaced, "5(1)", false, "target not found: no (1) in 5"},
	{"17.1", Words, `2(1) "agency"`, true, ""},
	{"17.2", Repealed, "10", true, ""},
}

// TestSynthetic applies a bill of our own, one instruction per drafting form, to an Act of
// our own in the real format.
func TestSynthetic(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readTestdata(t, "act-D-9.5.xml"))
	res := Apply(mustBill(t, readTestdata(t, "bill-C-99.xml")), only(act))
	res.Annotate()
	checkEffects(t, "C-99", effectsOf(res, "D-9.5"), synthetic)
	if len(res.Acts) != 2 || res.Acts[1].Title != "Open Records Act" || res.Acts[1].Chapter != "2021, c. 4" ||
		res.Acts[1].Effects[0].Reason != "Act not available: no consolidated text" || res.Acts[1].Effects[0].Target != "12" {
		t.Errorf("C-99 second Act = %+v", res.Acts[1:])
	}
	golden(t, "c99-after.txt", []byte(render(res.Acts[0].Act.Body)+"\n"))
	for _, format := range []string{"text", "markdown", "html", "json"} {
		var out bytes.Buffer
		if err := Render(&out, res, format, false); err != nil {
			t.Fatal(err)
		}
		golden(t, "c99."+format, out.Bytes())
	}
}

func TestRenderJSONShape(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readTestdata(t, "act-D-9.5.xml"))
	res := Apply(mustBill(t, readTestdata(t, "bill-C-99.xml")), only(act))
	res.Session = "45-1"
	var out bytes.Buffer
	if err := Render(&out, res, "json", false); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Bill, Session, Version string
		Summary                map[string]int
		Acts                   []struct {
			Code, Title    string
			ConsolidatedTo string `json:"consolidated_to"`
			Effects        []map[string]any
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Bill != "C-99" || doc.Session != "45-1" || doc.Version != "first-reading" || doc.Summary["instructions"] != 27 ||
		doc.Summary["applied"] != 21 || doc.Summary["unapplied"] != 6 || doc.Acts[0].Code != "D-9.5" || doc.Acts[0].ConsolidatedTo != "2025-03-01" {
		t.Errorf("json = %+v", doc)
	}
	for _, k := range []string{"bill_provision", "instruction", "kind", "target", "applied", "reason", "before", "after"} {
		if _, ok := doc.Acts[0].Effects[0][k]; !ok {
			t.Errorf("effect lacks %q", k)
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	t.Parallel()
	res := &Result{Bill: "C-1", Acts: []ActResult{{Title: "<script>alert(1)</script> Act", Effects: []Effect{{
		BillProvision: "1", Instruction: "Section 1 of the Act is replaced \x1b[31m<b>", Kind: Replaced, Target: "1", Applied: true,
		Before: "a", After: "b <img src=x onerror=alert(1)>",
	}}}}}
	for _, format := range []string{"html", "markdown", "text"} {
		var out bytes.Buffer
		if err := Render(&out, res, format, false); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		if (format != "text" && (strings.Contains(s, "<script>") || strings.Contains(s, "<img"))) || strings.Contains(s, "\x1b") || (format != "text" && strings.Contains(s, "<b>")) {
			t.Errorf("Render(%s) lets markup or escapes through:\n%s", format, s)
		}
	}
}

func loadIndexTSV(t testing.TB) []IndexEntry {
	t.Helper()
	f, err := os.Open(sampletest.Path(t, "justice-acts-index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The sample writes some chapters as "CODE NUMBER YEAR" or "CODE NUMBER, s. N YEAR".
	odd := regexp.MustCompile(`^\S+ (\d+)(, s\. [\d.]+)? (\d{4})$`)
	var out []IndexEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) < 5 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		ch := fs[3]
		if m := odd.FindStringSubmatch(ch); m != nil {
			ch = m[3] + ", c. " + m[1] + m[2]
		}
		out = append(out, IndexEntry{Code: fs[0], Title: fs[1], Chapter: ch, ConsolidatedTo: fs[4]})
	}
	return out
}

func TestResolve(t *testing.T) {
	t.Parallel()
	entries := loadIndexTSV(t)
	if len(entries) != 953 {
		t.Fatalf("%d index entries, want 953", len(entries))
	}
	ix := NewIndex(entries, map[string]string{"Digital Safeguards Act": "D-9.5"})
	for _, c := range []struct {
		ref  ActRef
		code string
		err  string
	}{
		{ActRef{"Telecommunications Act", "1993, c. 38"}, "T-3.4", ""},
		{ActRef{"Telecommunications Act", ""}, "T-3.4", ""},
		{ActRef{"", "1993, c. 38"}, "T-3.4", ""},
		{ActRef{"Office of the Superintendent of Financial Institutions Act", "R.S., c. 18 (3rd Supp.), Part I"}, "O-2.7", ""},
		{ActRef{"", "R.S., c. 18 (3rd Supp.), Part I"}, "O-2.7", ""},
		{ActRef{"Canada Evidence Act", "R.S., c. C-5"}, "C-5", ""},
		{ActRef{"", "R.S.C., 1985, c. C-23"}, "C-23", ""},
		{ActRef{"Nuclear Safety and Control Act", "1997, c. 9"}, "N-28.3", ""},
		{ActRef{"Digital Safeguards Act", "2019, c. 7"}, "D-9.5", ""},
		{ActRef{"Telecommunications Act", "1997, c. 9"}, "", "the title \"Telecommunications Act\" is T-3.4 but the chapter \"1997, c. 9\" is N-28.3"},
		{ActRef{"Critical Cyber Systems Protection Act", ""}, "", "not in the index"},
	} {
		code, err := ix.Resolve(c.ref)
		if code != c.code || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("Resolve(%v) = %q, %v; want %q, %q", c.ref, code, err, c.code, c.err)
		}
	}
}

// TestC8InsertionsMatchTheBill cross-checks the applied effects against the bill's own
// markup: every phrase the bill marks as inserted (<Ins>) in its Part 1 is in the text of an
// applied effect after, and was not in it before.
func TestC8InsertionsMatchTheBill(t *testing.T) {
	t.Parallel()
	raw := readSample(t, "bill-45-1-C-8-first-reading.xml")
	body := bytes.Index(raw, []byte("<Body>"))
	part2 := bytes.Index(raw[body:], []byte(`<Label>PART 2</Label>`)) + body
	part1 := string(raw[body:part2])
	part1 = regexp.MustCompile(`(?s)<ExplanatoryNote>.*?</ExplanatoryNote>`).ReplaceAllString(part1, "")
	tags := regexp.MustCompile(`<[^>]+>`)
	var marked []string
	for _, m := range regexp.MustCompile(`(?s)<Ins>(.*?)</Ins>`).FindAllStringSubmatch(part1, -1) {
		marked = append(marked, strings.Join(strings.Fields(tags.ReplaceAllString(m[1], "")), " "))
	}
	if len(marked) < 10 {
		t.Fatalf("only %d insertions marked in C-8 Part 1", len(marked))
	}
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := Apply(mustBill(t, raw), only(act))
	res.Annotate()
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, m := range marked {
		found := false
		for _, e := range effectsOf(res, "T-3.4") {
			if e.Applied && strings.Contains(norm(e.After), m) && !strings.Contains(norm(e.Before), m) {
				found = true
			}
		}
		if !found {
			t.Errorf("the bill inserts %q, which no applied effect adds", m)
		}
	}
}

// TestC26OnTelecommunicationsAct: the predecessor bill (44-1 C-26, as passed by the House)
// makes the same seventeen changes to the Telecommunications Act; all apply. Its schedule
// amendments to the Canada Evidence Act are reported as a form not applied.
func TestC26OnTelecommunicationsAct(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := Apply(mustBill(t, readSample(t, "bill-44-1-C-26-third-reading.xml")), only(act))
	es := effectsOf(res, "T-3.4")
	applied := 0
	for _, e := range es {
		if e.Applied {
			applied++
		}
	}
	if len(es) != 17 || applied != 17 {
		t.Errorf("C-26 on T-3.4: %d effects, %d applied; want 17, 17", len(es), applied)
	}
	var evidence []string
	for _, a := range res.Acts {
		if a.Title == "Canada Evidence Act" {
			for _, e := range a.Effects {
				evidence = append(evidence, e.Summary()+": "+e.Status())
			}
		}
	}
	want := "the schedule: not applied: form not recognised: amendments to schedules are not applied yet"
	if len(evidence) != 2 || !strings.HasSuffix(evidence[0], want) {
		t.Errorf("C-26, Canada Evidence Act: %q", evidence)
	}
}
