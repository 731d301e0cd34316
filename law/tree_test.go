package law

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/internal/text"
)

// readTreeEncodingXML is the reference readTree: the reader law had before it read with
// internal/xmltree, on encoding/xml's RawToken, kept as it was.
func readTreeEncodingXML(b []byte) (*elem, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty input")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = text.CharsetReader
	var stack []*elem
	var root *elem
	skip := 0 // depth inside an element that carries no law text
	for {
		// RawToken: no namespace translation; the nesting is checked here instead.
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("more than one root element (<%s> after <%s>)", t.Name.Local, root.Name)
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", maxDepth)
			}
			if skippedElems[t.Name.Local] && len(stack) > 0 {
				skip = 1
				continue
			}
			attrs := make([]xml.Attr, len(t.Attr))
			copy(attrs, t.Attr)
			e := &elem{Name: t.Name.Local, Attrs: attrs}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Kids = append(top.Kids, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1].Name != t.Name.Local {
				return nil, fmt.Errorf("unexpected end element </%s>", t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if skip == 0 && len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Kids = append(top.Kids, &elem{Data: string(t)})
			}
		}
	}
	if skip > 0 {
		return nil, errors.New("truncated inside an element")
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("truncated: <%s> is not closed", stack[len(stack)-1].Name)
	}
	return root, nil
}

// wellFormed says what encoding/xml's strict Decoder (with namespaces, the check of end tags
// against start tags) finds wrong with b, or nil.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = text.CharsetReader
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// sameElems says where two trees differ, or "" when they are the same: names, character
// data, attributes (prefix, local name and value) and children in order.
func sameElems(a, b *elem, path string) string {
	path += "/" + a.Name
	if a.Name != b.Name || a.Data != b.Data {
		return fmt.Sprintf("%s: name %q data %q, want name %q data %q", path, a.Name, a.Data, b.Name, b.Data)
	}
	if len(a.Attrs) != len(b.Attrs) {
		return fmt.Sprintf("%s: %d attributes, want %d", path, len(a.Attrs), len(b.Attrs))
	}
	for i := range a.Attrs {
		if a.Attrs[i] != b.Attrs[i] {
			return fmt.Sprintf("%s: attribute %v, want %v", path, a.Attrs[i], b.Attrs[i])
		}
	}
	if len(a.Kids) != len(b.Kids) {
		return fmt.Sprintf("%s: %d children, want %d", path, len(a.Kids), len(b.Kids))
	}
	for i := range a.Kids {
		if d := sameElems(a.Kids[i], b.Kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

// checkSameAsEncodingXML fails when readTree and the encoding/xml reference disagree on b:
// the same tree, or both an error. Where readTree refuses what the reference accepted, it
// must be for what the reference did not check: input that is not well-formed XML (an end
// tag that does not match inside a skipped element, a namespace prefix), text outside the
// root element, or nesting past maxDepth inside a skipped element. Messages differ: see
// readTree.
func checkSameAsEncodingXML(t *testing.T, name string, b []byte) {
	t.Helper()
	got, err := readTree(b)
	want, werr := readTreeEncodingXML(b)
	switch {
	case err == nil && werr != nil:
		t.Fatalf("readTree(%s) accepts what encoding/xml refused: %v", name, werr)
	case err != nil && werr == nil:
		if wellFormed(b) == nil && err.Error() != "text outside the root element" &&
			!strings.Contains(err.Error(), "nested deeper than") {
			t.Fatalf("readTree(%s) refuses well-formed XML that encoding/xml accepted: %v", name, err)
		}
	case err == nil:
		if d := sameElems(got, want, ""); d != "" {
			t.Errorf("readTree(%s) differs from encoding/xml: %s", name, d)
		}
	}
}

// TestReadTreeSameAsEncodingXML holds law's reader to the encoding/xml reader it replaced on
// the real Act and bills, on the test data and fixtures, each whole and truncated, and on
// the corners where law's reader checked things of its own.
func TestReadTreeSameAsEncodingXML(t *testing.T) {
	t.Parallel()
	files := []string{sampletest.Path(t, "justice-act-T-3.4.xml")}
	bills, _ := filepath.Glob(filepath.Join(sampletest.Dir, "bill-*.xml"))
	if len(bills) == 0 {
		t.Fatalf("no bill-*.xml sample in %s", sampletest.Dir)
	}
	files = append(files, bills...)
	local, _ := filepath.Glob("testdata/*.xml")
	files = append(files, local...)
	err := filepath.WalkDir("../fixtures/snapshots", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := readTree(b); err != nil {
			t.Errorf("readTree(%s): %v", f, err)
		}
		checkSameAsEncodingXML(t, f, b)
		for _, cut := range []int{1, 7, len(b) / 3, len(b) / 2, len(b) - 9} {
			if cut > 0 && cut < len(b) {
				checkSameAsEncodingXML(t, fmt.Sprintf("%s[:%d]", f, cut), b[:cut])
			}
		}
	}
	for i, in := range lawTreeCorners {
		checkSameAsEncodingXML(t, fmt.Sprintf("corner %d %q", i, in), []byte(in))
	}
}

var lawTreeCorners = []string{
	``, " \n ", "\xef\xbb\xbf<Statute/>", `<Statute><Summary>x<b/></Summary>y<Body/></Statute>`,
	`<Summary><Label>kept at the root</Label></Summary>`, `<a><Footnote><b></c></Footnote></a>`,
	`<a><Footnote><b>`, `<a><b></a>`, `<a/><b/>`, `<a/>text`, `text<a/>`, `</a>`, `<a>`,
	`<a xmlns:lims="u" lims:inforce-start-date="2020-01-01" b='&amp;&eacute;'>x&#233;<![CDATA[<y>]]></a>`,
	`<a><ExplanatoryNote><TableOfProvisions/></ExplanatoryNote><Recommendation/><RunningHead/><ImageGroup/>z</a>`,
	strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth),
	strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1),
	"<Summary>" + strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1) + "</Summary>",
	"<r><Summary>" + strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1) + "</Summary></r>",
	"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x93q\x94</a>",
}

// TestReadTreeDropsSkipped checks that the elements without law text are dropped below the
// root, at any depth, with what they hold, and kept at the root.
func TestReadTreeDropsSkipped(t *testing.T) {
	t.Parallel()
	root, err := readTree([]byte(`<Statute>a<Summary>s<Label>x</Label></Summary>b<Body><Section><Footnote>f</Footnote><Text>t</Text></Section></Body></Statute>`))
	if err != nil {
		t.Fatal(err)
	}
	if len(root.Kids) != 3 || root.Kids[0].Data != "a" || root.Kids[1].Data != "b" || root.Kids[2].Name != "Body" {
		t.Errorf("<Statute> children %+v, want a, b, <Body>", root.Kids)
	}
	sec := root.Child("Body").Child("Section")
	if len(sec.Kids) != 1 || sec.Kids[0].Name != "Text" {
		t.Errorf("<Section> children %+v, want <Text> alone", sec.Kids)
	}
	root, err = readTree([]byte(`<Summary><Label>x</Label></Summary>`))
	if err != nil || root.Name != "Summary" || root.Child("Label") == nil {
		t.Errorf("a skipped element at the root: %+v, %v; want it kept", root, err)
	}
	if _, err := readTree([]byte(strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1))); err == nil ||
		!strings.Contains(err.Error(), "nested deeper than 512") {
		t.Errorf("nesting past maxDepth: %v, want refused", err)
	}
}

// FuzzReadTree holds law's reader to the encoding/xml reader it replaced on arbitrary input:
// the same tree, or refused by both, or refused for what only the new reader checks.
func FuzzReadTree(f *testing.F) {
	for _, in := range lawTreeCorners {
		f.Add([]byte(in))
	}
	for _, name := range []string{"testdata/act-D-9.5.xml", "testdata/bill-C-99.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSameAsEncodingXML(t, "fuzz input", b)
	})
}
