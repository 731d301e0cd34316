package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/internal/xmltree"
)

// checkSameText fails when compareSameText takes a pair that the full comparison refuses, or
// gives another result than it. It says whether it took the pair.
func checkSameText(t *testing.T, name, a, b string) bool {
	t.Helper()
	fast, ok := compareSameText(a, b)
	da, db, _, err := readVersions(a, b)
	if err != nil {
		if ok {
			t.Fatalf("%s: compareSameText took a pair the comparison refuses (%v)", name, err)
		}
		return false
	}
	if ok {
		if g, w := renderBoth(t, fast), renderBoth(t, Compare(da, db)); g != w {
			t.Fatalf("%s: compareSameText differs from the comparison:\n%s", name, firstDifference(g, w))
		}
	}
	return ok
}

// identificationVariants are second versions of a: its Identification changed as the next
// stages change it, changed in ways that break the text, and the text changed elsewhere. took
// says which of them the fast path must take.
func identificationVariants(t *testing.T, a string) (names []string, bs []string, took []bool) {
	start := strings.Index(a, "<Identification")
	end := strings.Index(a, "</Identification>") + len("</Identification>")
	if start < 0 || end < start {
		t.Fatal("no Identification")
	}
	id := a[start:end]
	closing := len(id) - len("</Identification>")
	with := func(s string) string { return a[:start] + s + a[end:] }
	add := func(name, b string, take bool) {
		names, bs, took = append(names, name), append(bs, b), append(took, take)
	}
	add("the same text", a, true)
	add("a chapter added", with(id[:closing]+`<Chapter><AnnualStatuteId><AnnualStatuteNumber>9</AnnualStatuteNumber><YYYY>2026</YYYY></AnnualStatuteId></Chapter>`+id[closing:]), true)
	add("a stage added", with(strings.Replace(id, "</BillHistory>", `<Stages stage="assented-to"><Date><YYYY>2026</YYYY></Date></Stages></BillHistory>`, 1)), true)
	add("another bill number and entities", with(strings.Replace(id, "<BillNumber>", "<BillNumber>S-&amp;&#233;", 1)), true)
	add("a section in the bill number", with(strings.Replace(id, "<BillNumber>", "<BillNumber><Section><Label>9</Label></Section>", 1)), true)
	add("an attribute", with(strings.Replace(id, "<Identification", `<Identification lang="en"`, 1)), true)
	add("empty", with("<Identification/>"), true)
	add("a byte-order mark", bom+a, true)
	add("no Identification", with(""), false)
	add("white space after it", with(id+"  "), false)
	add("an element after it", with(id+"<Extra/>"), false)
	add("unclosed", with(id[:closing]+"<Stages>"+id[closing:]), false)
	add("misnamed end", with(id[:closing]+"</Identificatio>"), false)
	add("a bad entity", with(strings.Replace(id, "<BillNumber>", "<BillNumber>&bogus;", 1)), false)
	add("XML 1.1", with(id[:closing]+`<?xml version="1.1"?>`+id[closing:]), false)
	add("another charset", with(id[:closing]+`<?xml version="1.0" encoding="windows-1252"?>`+id[closing:]), false)
	add("too deep", with(id[:closing]+strings.Repeat("<d>", maxDepth)+strings.Repeat("</d>", maxDepth)+id[closing:]), false)
	add("a word changed in the body", strings.Replace(a, "</Text>", " amended</Text>", 1), false)
	return names, bs, took
}

// TestSameTextAsFull holds compareSameText to the full comparison: on the test data and on
// C-8 with their Identification changed, well and badly, and on every ordered pair of the
// real bill texts. It must take the pairs that differ only in their Identification.
func TestSameTextAsFull(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.xml")
	real, _ := filepath.Glob(filepath.Join(sampletest.Dir, "bill-*.xml"))
	var texts []string
	for _, f := range append(files, real...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	for i, a := range texts {
		names, bs, took := identificationVariants(t, a)
		for k, b := range bs {
			name := filepath.Base(append(files, real...)[i]) + ", " + names[k]
			if got := checkSameText(t, name, a, b); got != took[k] {
				t.Errorf("%s: compareSameText took it: %v, want %v", name, got, took[k])
			}
			checkSameText(t, name+", reversed", b, a)
		}
	}
	took := 0
	for i, a := range texts {
		for j, b := range texts {
			if checkSameText(t, filepath.Base(append(files, real...)[i])+" → "+filepath.Base(append(files, real...)[j]), a, b) {
				took++
			}
		}
	}
	if len(real) > 0 && took < len(texts)+2 { // each with itself, and the royal assent reprint both ways
		t.Errorf("compareSameText took %d pairs of real texts, want at least %d", took, len(texts)+2)
	}
}

// TestCountTopAsDocument holds countTop, on a tree read skimming, to the provisions document
// makes of every XML text at hand, and to its refusals.
func TestCountTopAsDocument(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.xml")
	real, _ := filepath.Glob(filepath.Join(sampletest.Dir, "*.xml"))
	for _, f := range append(files, real...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.TrimPrefix(string(b), bom)
		d, derr := parseString(s)
		skimmed, _, err := xmltree.Read(s, xmltree.Options{MaxDepth: maxDepth, Skim: skimForCount})
		if err != nil {
			if derr == nil {
				t.Errorf("%s: read skimming: %v; read whole: no error", filepath.Base(f), err)
			}
			continue
		}
		n, cerr := countTop(skimmed)
		switch {
		case (derr == nil) != (cerr == nil):
			t.Errorf("%s: countTop error %v, document's %v", filepath.Base(f), cerr, derr)
		case derr == nil && n != len(d.Provisions):
			t.Errorf("%s: countTop %d, document made %d", filepath.Base(f), n, len(d.Provisions))
		}
	}
}

// FuzzSameText holds compareSameText to the full comparison on the test bill with its
// Identification replaced by anything.
func FuzzSameText(f *testing.F) {
	b, err := os.ReadFile("testdata/small-from.xml")
	if err != nil {
		f.Fatal(err)
	}
	a := string(b)
	start, end := strings.Index(a, "<Identification"), strings.Index(a, "</Identification>")+len("</Identification>")
	f.Add(a[start:end])
	f.Add("<Identification/>")
	f.Add(`<Identification><BillNumber>C-1</BillNumber><?xml version="1.0" encoding="latin1"?></Identification>`)
	f.Fuzz(func(t *testing.T, id string) {
		checkSameText(t, "fuzz", a, a[:start]+id+a[end:])
	})
}
