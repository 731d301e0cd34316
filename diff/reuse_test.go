package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
)

// renderBoth renders a result in JSON and markdown, for comparing two results byte for byte.
func renderBoth(t testing.TB, r *Result) string {
	var buf bytes.Buffer
	for _, format := range []string{"json", "markdown"} {
		if err := Render(&buf, r, format, false); err != nil {
			t.Fatalf("Render(%s): %v", format, err)
		}
	}
	return buf.String()
}

// compareFresh is CompareBytes without reuse: both versions read from scratch.
func compareFresh(a, b []byte) (*Result, error) {
	da, err := parseString(string(a))
	if err != nil {
		return nil, err
	}
	db, err := parseString(string(b))
	if err != nil {
		return nil, err
	}
	return Compare(da, db), nil
}

// checkReuse holds CompareBytes, which reads the second version reusing the first, to
// exactly what reading both from scratch gives.
func checkReuse(t testing.TB, name string, a, b []byte) {
	want, errWant := compareFresh(a, b)
	got, errGot := CompareBytes(a, b)
	if (errWant == nil) != (errGot == nil) {
		t.Fatalf("%s: CompareBytes error %v, from scratch %v", name, errGot, errWant)
	}
	if errWant != nil {
		if !strings.HasSuffix(errGot.Error(), strings.TrimPrefix(errWant.Error(), "parse bill xml: ")) {
			t.Errorf("%s: CompareBytes error %q, from scratch %q", name, errGot, errWant)
		}
		return
	}
	if g, w := renderBoth(t, got), renderBoth(t, want); g != w {
		t.Errorf("%s: reading with reuse differs from reading from scratch:\n%s", name, firstDifference(g, w))
	}
}

func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return "got  …" + got[max(0, i-80):min(len(got), i+80)] + "…\nwant …" + want[max(0, i-80):min(len(want), i+80)] + "…"
}

// TestReuseMatchesFreshReading compares every ordered pair of the real C-8 texts, and the
// synthetic omnibus bill, with and without reuse.
func TestReuseMatchesFreshReading(t *testing.T) {
	t.Parallel()
	dir := sampletest.Dir
	names := []string{"first-reading", "as-amended-by-committee", "third-reading", "royal-assent"}
	var texts [][]byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, "bill-45-1-C-8-"+n+".xml"))
		if err != nil {
			t.Logf("real samples absent (%v): only the synthetic bill is checked", err)
			texts = nil
			break
		}
		texts = append(texts, b)
	}
	for i := range texts {
		for j := range texts {
			checkReuse(t, names[i]+" → "+names[j], texts[i], texts[j])
		}
	}
	from, to := omnibus(1<<20, 200)
	checkReuse(t, "omnibus", from, to)
	checkReuse(t, "omnibus reversed", to, from)
}

// TestReuseKeepsPlace: the same bytes in another place make another provision. A section
// repeated under another heading, a section moved, the same amending text set out twice
// (its second heading is "heading 2"), and a section nested deeper than it was.
func TestReuseKeepsPlace(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("the Minister may, by order, require a designated operator to act; ", 6)
	sec := func(label string) string {
		return `<Section><MarginalNote>Orders</MarginalNote><Label>` + label + `</Label><Text>` + long +
			`</Text><Paragraph><Label>(a)</Label><Text>` + long + `</Text></Paragraph></Section>`
	}
	// sub is a section of subsections with the labels given; a label ending in x has other text.
	sub := func(label string, subs ...string) string {
		out := `<Section><Label>` + label + `</Label>`
		for _, l := range subs {
			text := long
			if strings.HasSuffix(l, "x") {
				l, text = strings.TrimSuffix(l, "x"), strings.Replace(long, "may", "shall", 1)
			}
			out += `<Subsection><Label>` + l + `</Label><Text>` + text + `</Text></Subsection>`
		}
		return out + `</Section>`
	}
	amend := `<AmendedText><Heading level="2"><TitleText>Orders and directions of the Minister</TitleText></Heading><Section><Label>9</Label><Text>` + long + `</Text></Section></AmendedText>`
	bill := func(body string) []byte { return []byte(`<Bill><Body>` + body + `</Body></Bill>`) }
	h := func(title string) string { return `<Heading level="1"><TitleText>` + title + `</TitleText></Heading>` }
	cases := []struct{ name, a, b string }{
		{"heading changed", h("Part 1") + sec("1"), h("Part 2") + sec("1")},
		{"moved", sec("1") + sec("2") + sec("3"), sec("3") + sec("1") + sec("2")},
		{"copied", sec("1"), sec("1") + sec("1")},
		{"amending text set out twice", `<Section><Label>1</Label><Text>x</Text>` + amend + `</Section>`,
			`<Section><Label>1</Label><Text>x</Text>` + amend + amend + `</Section>`},
		{"nested deeper", sec("1"), `<Section><Label>5</Label><Text>y</Text><AmendedText>` + sec("1") + `</AmendedText></Section>`},
		{"enacted", sec("1"), `<Section><Label>5</Label><Text>y</Text><AmendedText><BillInternal><Body>` + sec("1") + `</Body></BillInternal></AmendedText></Section>`},
		{"truncated after", sec("1"), sec("1") + `<Section><Label>2`},
		{"one subsection changed", sub("1", "(1)", "(2)", "(3)"), sub("1", "(1)", "(2)x", "(3)")},
		{"subsections renumbered", sub("1", "(1)", "(2)", "(3)"), sub("1", "(1)", "(3)")},
		{"subsections reordered", sub("1", "(1)", "(2)", "(3)"), sub("1", "(3)", "(1)", "(2)")},
		{"a subsection twice", sub("1", "(1)", "(2)"), sub("1", "(1)", "(1)", "(2)")},
		{"moved into another section", sub("1", "(1)", "(2)") + sub("2", "(3)"), sub("1", "(1)") + sub("2", "(2)", "(3)")},
	}
	for _, c := range cases {
		checkReuse(t, c.name, bill(c.a), bill(c.b))
		checkReuse(t, c.name+" reversed", bill(c.b), bill(c.a))
	}
	// An element taken whole is as deep as it was: placed deeper, past maxDepth, it is refused
	// as reading it afresh refuses it.
	deep := strings.Repeat("<P>", maxDepth-3) + long + "<E/>" + strings.Repeat("</P>", maxDepth-3)
	checkReuse(t, "deep", bill(sec("1")+deep), bill(sec("1")+"<Q><Q>"+deep+"</Q></Q>"))
	checkReuse(t, "deep, one level less", bill(sec("1")+deep), bill(sec("1")+"<Q>"+deep+"</Q>"))
	// The moved sections are taken whole and left unmade in both versions, and stay so: the
	// comparison matches each with its copy.
	da, db, _, err := readVersions(string(bill(cases[1].a)), string(bill(cases[1].b)))
	if err != nil {
		t.Fatal(err)
	}
	if r := Compare(da, db); r.Summary.Unchanged != 3 || len(r.Provisions) != 0 {
		t.Errorf("moved: %+v, want 3 unchanged", r.Summary)
	}
	for i, d := range []*Document{da, db} {
		for _, p := range d.Provisions {
			if p.lazy == nil || p.copied != (i == 1) {
				t.Errorf("moved: version %d: section %s made (copied %v), want it left unmade", i+1, p.Label, p.copied)
			}
		}
	}
	// Where one subsection changed, the section is made in both versions and the others are
	// left unmade, each matched with its copy.
	one := cases[len(cases)-5]
	da, db, _, err = readVersions(string(bill(one.a)), string(bill(one.b)))
	if err != nil {
		t.Fatal(err)
	}
	if r := Compare(da, db); r.Summary.Amended != 1 || len(r.Provisions[0].Children) != 1 {
		t.Fatalf("%s: %+v, want section 1 amended in one subsection", one.name, r.Summary)
	}
	for i, d := range []*Document{da, db} {
		s := d.Provisions[0]
		if s.lazy != nil || s.Children[0].lazy == nil || s.Children[1].lazy != nil || s.Children[2].lazy == nil {
			t.Errorf("%s: version %d: subsections (1) and (3) made, or section 1 or (2) not", one.name, i+1)
		}
	}
	// A section taken whole under another heading is made in both versions, as from scratch.
	da, db, _, err = readVersions(string(bill(cases[0].a)), string(bill(cases[0].b)))
	if err != nil {
		t.Fatal(err)
	}
	Compare(da, db)
	if p, q := da.Provisions[0], db.Provisions[0]; p.lazy != nil || q.lazy != nil || p.Heading != "Part 1" || q.Heading != "Part 2" {
		t.Errorf("heading changed: sections %+v and %+v, want both made, under Part 1 and Part 2", p, q)
	}
}

// FuzzReuse: whatever the second version is, reading it with the first's reuse gives what
// reading it from scratch gives, error or result.
func FuzzReuse(f *testing.F) {
	for _, name := range []string{"testdata/small-from.xml", "testdata/small-to.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, b[:len(b)/2])
		f.Add(b, bytes.Replace(b, []byte("may"), []byte("shall"), 1))
	}
	base, err := os.ReadFile("testdata/small-from.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) == 0 {
			a = base
		}
		checkReuse(t, "fuzz", a, b)
	})
}
