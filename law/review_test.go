package law

import (
	"fmt"
	"strings"
	"testing"
)

// telecomBill is a bill of our own whose units amend the Telecommunications Act, named
// as real bills name it: its title in a heading, its chapter beneath. Each unit is an
// instruction and the text it sets out (may be empty).
func telecomBill(units ...[2]string) []byte {
	var sb strings.Builder
	sb.WriteString(`<Bill xml:lang="en"><Identification><BillNumber>C-777</BillNumber></Identification><Body>` +
		`<Heading level="1"><MarginalNote><HistoricalNote>1993, c. 38</HistoricalNote></MarginalNote><TitleText>Telecommunications Act</TitleText></Heading>`)
	for i, u := range units {
		fmt.Fprintf(&sb, `<Section type="amending"><Label>%d</Label><Text>%s</Text>`, i+1, u[0])
		if u[1] != "" {
			sb.WriteString(`<AmendedText>` + u[1] + `</AmendedText>`)
		}
		sb.WriteString("</Section>\n")
	}
	sb.WriteString(`</Body></Bill>`)
	return []byte(sb.String())
}

// onTelecom applies units to the real Telecommunications Act.
func onTelecom(t *testing.T, act *Act, units ...[2]string) *Result {
	t.Helper()
	res := Apply(mustBill(t, telecomBill(units...)), only(act))
	if len(res.Acts) != 1 || res.Acts[0].Act == nil {
		t.Fatalf("%+v", res.Acts)
	}
	return res
}

// sectionText renders one section of an Act.
func sectionText(t *testing.T, act *Act, label string) string {
	t.Helper()
	for _, n := range act.Body {
		if n.Kind == KindSection && n.Label == label {
			return render([]*Node{n})
		}
	}
	t.Fatalf("no section %s", label)
	return ""
}

// TestRenumberSectionWithSubsections: a section that already has subsections is not
// renumbered as its own subsection (1), which would nest (1)…(9) inside the new (1).
func TestRenumberSectionWithSubsections(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act,
		[2]string{"Section 16 of the Act is renumbered as subsection 16(1).", ""},
		[2]string{"Section 47 of the Act is renumbered as subsection 47(1).", ""})
	es := res.Acts[0].Effects
	if es[0].Applied || !strings.HasPrefix(es[0].Reason, ReasonUnsure+": section 16 already has subsections") {
		t.Errorf("16 renumbered: %+v", es[0])
	}
	if got, want := sectionText(t, res.Acts[0].Act, "16"), sectionText(t, act, "16"); got != want {
		t.Errorf("section 16 changed:\n%s", got)
	}
	// A section without subsections still becomes subsection (1).
	if !es[1].Applied || !strings.Contains(sectionText(t, res.Acts[0].Act, "47"), "\n  (1) The Commission shall") {
		t.Errorf("47 renumbered: %+v\n%s", es[1], sectionText(t, res.Acts[0].Act, "47"))
	}
}

// TestAddWordsAlreadyThere: "adding “and” at the end of paragraph (h)" when (h) already
// ends "; and" is not applied: the Act would read "; and and".
func TestAddWordsAlreadyThere(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	if !strings.Contains(sectionText(t, act, "7"), "; and\n") {
		t.Skip("the sample's 7(h) no longer ends with “and”")
	}
	res := onTelecom(t, act, [2]string{"Section 7 of the Act is amended by adding “and” at the end of paragraph (h).", ""})
	e := res.Acts[0].Effects[0]
	if e.Applied || e.Reason != ReasonAlready+": “and” is already at the end of 7(h)" {
		t.Errorf("effect = %+v", e)
	}
	if got := sectionText(t, res.Acts[0].Act, "7"); strings.Contains(got, "and and") || got != sectionText(t, act, "7") {
		t.Errorf("section 7 changed:\n%s", got)
	}
}

// TestCompoundAllOrNothing: when one step of an instruction cannot be applied, none is,
// each saying why, and the Act is as it was.
func TestCompoundAllOrNothing(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act, [2]string{
		"Section 47 of the Act is amended by replacing “Commission” with “CRTC” wherever it occurs and by adding the following after paragraph (z):",
		`<Paragraph><Label>(z.1)</Label><Text>new;</Text></Paragraph>`})
	es := res.Acts[0].Effects
	if len(es) != 2 {
		t.Fatalf("%d effects", len(es))
	}
	if es[0].Applied || es[0].Reason != ReasonCompound || es[0].Before != "" || es[0].After != "" {
		t.Errorf("the step that alone would apply: %+v", es[0])
	}
	if es[1].Applied || !strings.HasPrefix(es[1].Reason, ReasonNotFound) {
		t.Errorf("the failing step: %+v", es[1])
	}
	if res.Summary.Applied != 0 || res.Summary.Unapplied != 2 {
		t.Errorf("summary %+v", res.Summary)
	}
	if got := sectionText(t, res.Acts[0].Act, "47"); got != sectionText(t, act, "47") {
		t.Errorf("section 47 changed:\n%s", got)
	}

	// The real C-8 applied to the Act it already amended: its s. 1 (three steps on 7(h),
	// (i) and (j)) is not applied at all, and section 7 is left as the first pass made it.
	c8 := mustBill(t, readSample(t, "bill-45-1-C-8-first-reading.xml"))
	once := Apply(c8, only(act))
	twice := Apply(c8, only(once.Acts[0].Act))
	for _, e := range effectsOf(twice, once.Acts[0].Code) {
		if e.BillProvision == "1" && e.Applied {
			t.Errorf("C-8 s. 1 applied twice: %+v", e)
		}
	}
	if got, want := sectionText(t, twice.Acts[0].Act, "7"), sectionText(t, once.Acts[0].Act, "7"); got != want {
		t.Errorf("section 7 half-amended:\n%s", got)
	}
}

// TestRepealAlreadyRepealed: a section the Act keeps as a "[Repealed, …]" stub is not
// repealed again.
func TestRepealAlreadyRepealed(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act,
		[2]string{"Section 72.02 of the Act is repealed.", ""},
		[2]string{"Sections 72.05 to 72.1 of the Act are repealed.", ""})
	es := res.Acts[0].Effects
	if es[0].Applied || es[0].Reason != ReasonAlready+": 72.02 is already repealed ([Repealed, 2014, c. 39, s. 203])" {
		t.Errorf("72.02: %+v", es[0])
	}
	// A range holding live sections is repealed; its stubs keep their history.
	if !es[1].Applied {
		t.Errorf("72.05 to 72.1: %+v", es[1])
	}
	if got := sectionText(t, res.Acts[0].Act, "72.05"); !strings.Contains(got, "2014, c. 39, s. 204") {
		t.Errorf("72.05 stub lost its history: %s", got)
	}
}

// TestRepealSeparateProvisions: "Sections 47 and 72 … are repealed", "Paragraphs
// 71(4)(a) and (c) … are repealed" name provisions that are not next to each other: each
// is repealed, and what lies between is not.
func TestRepealSeparateProvisions(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act,
		[2]string{"Sections 47 and 72 of the Act are repealed.", ""},
		[2]string{"Paragraphs 71(4)(a) and (c) of the Act are repealed.", ""},
		[2]string{"Sections 48, 50 and 52 of the Act are repealed.", ""})
	for _, e := range res.Acts[0].Effects {
		if !e.Applied {
			t.Errorf("%s: %s", e.Target, e.Reason)
		}
	}
	after := res.Acts[0].Act
	for _, c := range []struct {
		label    string
		repealed bool
	}{{"47", true}, {"72", true}, {"48", true}, {"50", true}, {"52", true}, {"49", false}, {"51", false}, {"71", false}} {
		if got := strings.HasPrefix(sectionText(t, after, c.label), c.label+" [Repealed]"); got != c.repealed {
			t.Errorf("section %s repealed = %v, want %v:\n%s", c.label, got, c.repealed, sectionText(t, after, c.label))
		}
	}
	s71 := sectionText(t, after, "71")
	if !strings.Contains(s71, "(a) [Repealed]") || !strings.Contains(s71, "(c) [Repealed]") || strings.Contains(s71, "(b) [Repealed]") {
		t.Errorf("71(4):\n%s", s71)
	}
}

// TestResolveNamedTitle: a bill that names an Act by a title that is not the title of
// the Act its chapter resolves to is not applied to that Act.
func TestResolveNamedTitle(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	ix := NewIndex([]IndexEntry{{Code: "T-3.4", Title: act.Title, Chapter: act.Chapter}}, nil)
	if _, err := ix.Resolve(ActRef{"Radiocommunication Act", "1993, c. 38"}); err == nil ||
		!strings.Contains(err.Error(), "Radiocommunication Act") || !strings.Contains(err.Error(), "Telecommunications Act") {
		t.Errorf("Radiocommunication Act over 1993, c. 38: %v", err)
	}
	if c, err := ix.Resolve(ActRef{"", "1993, c. 38"}); c != "T-3.4" || err != nil {
		t.Errorf("chapter alone: %q, %v", c, err)
	}
	bill := strings.Replace(string(telecomBill([2]string{"Section 47 of the Act is replaced by the following:",
		`<Section><Label>47</Label><Text>Radio.</Text></Section>`})), "<TitleText>Telecommunications Act", "<TitleText>Radiocommunication Act", 1)
	res := Apply(mustBill(t, []byte(bill)), IndexLookup(ix, func(string) (*Act, error) { return act, nil }))
	if len(res.Acts) != 1 || res.Acts[0].Act != nil || res.Acts[0].Effects[0].Applied {
		t.Fatalf("applied to the Telecommunications Act: %+v", res.Acts)
	}
	// Real chapter collisions: three Acts share "R.S.C. 1985, c. 41 (4th Supp.)"; a title
	// tells them apart, the chapter alone does not.
	full := NewIndex(loadIndexTSV(t), nil)
	var shared []IndexEntry
	for _, e := range loadIndexTSV(t) {
		if ChapterKey(e.Chapter) == ChapterKey("R.S.C. 1985, c. 41 (4th Supp.)") {
			shared = append(shared, e)
		}
	}
	if len(shared) < 2 {
		t.Skipf("the index sample has %d Acts for the chapter", len(shared))
	}
	for _, e := range shared {
		if c, err := full.Resolve(ActRef{e.Title, e.Chapter}); c != e.Code || err != nil {
			t.Errorf("%s: %q, %v", e.Title, c, err)
		}
	}
	if c, err := full.Resolve(ActRef{"", shared[0].Chapter}); err == nil {
		t.Errorf("chapter alone resolved to %s", c)
	}
}

// TestWatchRange: a provision watch is touched by a range that holds it, its end
// included, in the Act's order and, without the Act (alerts read no Act), in the labels'.
func TestWatchRange(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act,
		[2]string{"Sections 72.05 to 72.1 of the Act are repealed.", ""},
		[2]string{"Paragraphs 71(4)(a) to (c) of the Act are repealed.", ""})
	noAct := *res
	noAct.Acts = append([]ActResult(nil), res.Acts...)
	noAct.Acts[0].Act = nil
	for _, c := range []struct {
		watch string
		n     int
	}{
		{"Telecommunications Act s. 72.05", 1},
		{"Telecommunications Act s. 72.06", 1},
		{"Telecommunications Act s. 72.09(2)", 1},
		{"Telecommunications Act s. 72.1", 1},
		{"Telecommunications Act s. 72.11", 0},
		{"Telecommunications Act s. 72.01", 0},
		{"Telecommunications Act s. 72", 0},
		{"Telecommunications Act s. 71(4)(b)", 1},
		{"Telecommunications Act s. 71(4)(c)", 1},
		{"Telecommunications Act s. 71(4)(d)", 0},
		{"Telecommunications Act s. 71(4)", 1},
		{"Telecommunications Act s. 71", 1},
		{"Telecommunications Act s. 71(5)", 0},
	} {
		w, err := ParseWatch(c.watch)
		if err != nil {
			t.Fatal(err)
		}
		for name, r := range map[string]*Result{"with the Act": res, "without": &noAct} {
			if got := len(w.Touching(r, nil)); got != c.n {
				t.Errorf("%s (%s): %d effects, want %d", c.watch, name, got, c.n)
			}
		}
	}
	for _, c := range []struct {
		a, b, other string
		want        int
	}{
		{"72.05", "72.1", "72.1", -1}, {"72.11", "72.1", "72.05", 1}, {"72.001", "72.01", "72.1", -1},
		{"(z)", "(aa)", "(a)", -1}, {"(a.1)", "(b)", "(a)", -1}, {"(ii)", "(iv)", "(v)", -1}, {"(i)", "(k)", "(k)", -1},
		{"(3.1)", "(10)", "(1)", -1}, {"12A", "12", "13", 1},
	} {
		if got := compareLabels(c.a, c.b, c.other); got != c.want {
			t.Errorf("compareLabels(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestReplaceSeparateProvisions: "Paragraphs 71(4)(a) and (c) … are replaced by the
// following" replaces each with its own new text and leaves (b) as it was.
func TestReplaceSeparateProvisions(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := onTelecom(t, act,
		[2]string{"Paragraphs 71(4)(a) and (c) of the Act are replaced by the following:",
			`<Paragraph><Label>(a)</Label><Text>new a;</Text></Paragraph><Paragraph><Label>(c)</Label><Text>new c;</Text></Paragraph>`},
		[2]string{"Sections 47 and 72 of the Act are replaced by the following:",
			`<Section><Label>47</Label><Text>Forty-seven.</Text></Section><Section><Label>72</Label><Text>Seventy-two.</Text></Section>`},
		[2]string{"Sections 48 and 50 of the Act are replaced by the following:",
			`<Section><Label>50</Label><Text>Fifty.</Text></Section><Section><Label>48</Label><Text>Forty-eight.</Text></Section>`})
	es := res.Acts[0].Effects
	if !es[0].Applied || !es[1].Applied {
		t.Fatalf("%+v\n%+v", es[0], es[1])
	}
	if es[2].Applied || !strings.HasPrefix(es[2].Reason, ReasonUnsure) {
		t.Errorf("new text out of order: %+v", es[2])
	}
	after := res.Acts[0].Act
	s71 := sectionText(t, after, "71")
	b := "(b) make use of, or cause to be made use of, any computer system"
	if !strings.Contains(s71, "(a) new a;\n") || !strings.Contains(s71, "(c) new c;\n") || !strings.Contains(s71, b) ||
		strings.Index(s71, "(a) new a;") > strings.Index(s71, b) || strings.Index(s71, b) > strings.Index(s71, "(c) new c;") {
		t.Errorf("71:\n%s", s71)
	}
	if sectionText(t, after, "47") != "47 Forty-seven." || sectionText(t, after, "72") != "72 Seventy-two." ||
		sectionText(t, after, "48") != sectionText(t, act, "48") || sectionText(t, after, "50") != sectionText(t, act, "50") {
		t.Errorf("47: %s\n72: %s", sectionText(t, after, "47"), sectionText(t, after, "72"))
	}
}

// TestInForce: the bill's coming-into-force provisions are kept as printed (C-8's s. 16,
// under its "Coming into Force" heading) and shown under "When it takes effect"; a
// coordinating provision that mentions coming into force elsewhere is not one.
func TestInForce(t *testing.T) {
	t.Parallel()
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	res := Apply(mustBill(t, readSample(t, "bill-45-1-C-8-first-reading.xml")), only(act))
	want := []InForce{{"16", "The provisions of this Part come into force on a day or days to be fixed by order of the Governor in Council."}}
	if len(res.InForce) != 1 || res.InForce[0] != want[0] {
		t.Errorf("C-8 in force = %+v", res.InForce)
	}
	for format, w := range map[string]string{
		"text":     "When it takes effect (as the bill says it):\n  bill s. 16: The provisions of this Part come into force",
		"markdown": "## When it takes effect\n\n> **Bill s. 16** The provisions of this Part come into force",
		"html":     "<h2>When it takes effect</h2>\n<blockquote class=\"text\"><strong>Bill s. 16</strong> The provisions of this Part come into force",
		"json":     "\"in_force\": [\n    {\n      \"provision\": \"16\",",
	} {
		var out strings.Builder
		if err := Render(&out, res, format, false); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), w) {
			t.Errorf("%s lacks %q", format, w)
		}
	}
	bill := strings.Replace(string(telecomBill([2]string{"Section 47 of the Act is repealed.", ""})), "</Body>",
		`<Heading level="2"><TitleText>Coordinating Amendments</TitleText></Heading><Section><MarginalNote>Bill C-2</MarginalNote><Label>2</Label><Text>If section 12 of the other Act comes into force before section 1 of this Act, then section 1 of this Act is repealed.</Text></Section>`+
			`<Heading level="2"><TitleText>Coming into Force</TitleText></Heading><Section type="CIF"><MarginalNote>Order in council</MarginalNote><Label>3</Label><Subsection><Label>(1)</Label><Text>Section 1 comes into force on a day to be fixed by order of the Governor in Council.</Text></Subsection><Subsection><Label>(2)</Label><Text>Section 2 comes into force on the day on which this Act receives royal assent.</Text></Subsection></Section></Body>`, 1)
	res = Apply(mustBill(t, []byte(bill)), only(act))
	if len(res.InForce) != 1 || res.InForce[0].Provision != "3" ||
		res.InForce[0].Text != "(1) Section 1 comes into force on a day to be fixed by order of the Governor in Council.\n(2) Section 2 comes into force on the day on which this Act receives royal assent." {
		t.Errorf("synthetic in force = %+v", res.InForce)
	}
}
