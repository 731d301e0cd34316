package xmltree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/internal/text"
)

// readTreeStd is the reference Read: encoding/xml's strict Decoder, as the parser read
// bill XML before it had its own reader.
func readTreeStd(b []byte) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = text.CharsetReader
	var stack []*Node
	var root *Node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(stack) > 0 && strings.Contains(err.Error(), "unexpected EOF") {
				return nil, fmt.Errorf("truncated inside <%s>: %w", stack[len(stack)-1].Name, err)
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("more than one root element (<%s> after <%s>)", t.Name.Local, root.Name)
			}
			if len(stack) >= DefaultMaxDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", DefaultMaxDepth)
			}
			n := &Node{Name: t.Name.Local, Attrs: t.Attr}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Kids = append(top.Kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Kids = append(top.Kids, &Node{Data: string(t)})
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("truncated: <%s> is not closed", stack[len(stack)-1].Name)
	}
	return root, nil
}

// sameTree says where two trees differ, or "" when they are the same (attributes are
// compared by local name and value: the parser reads nothing else).
func sameTree(a, b *Node, path string) string {
	path += "/" + a.Name
	if a.Name != b.Name || a.Data != b.Data {
		return fmt.Sprintf("%s: name %q data %q, want name %q data %q", path, a.Name, a.Data, b.Name, b.Data)
	}
	if len(a.Attrs) != len(b.Attrs) {
		return fmt.Sprintf("%s: %d attributes, want %d", path, len(a.Attrs), len(b.Attrs))
	}
	for i := range a.Attrs {
		if a.Attrs[i].Name.Local != b.Attrs[i].Name.Local || a.Attrs[i].Value != b.Attrs[i].Value {
			return fmt.Sprintf("%s: attribute %v, want %v", path, a.Attrs[i], b.Attrs[i])
		}
	}
	if len(a.Kids) != len(b.Kids) {
		return fmt.Sprintf("%s: %d children, want %d", path, len(a.Kids), len(b.Kids))
	}
	for i := range a.Kids {
		if d := sameTree(a.Kids[i], b.Kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

// checkSameAsStd fails when Read and the encoding/xml reference disagree on b: the same
// tree, or both an error (with the same message when strict).
func checkSameAsStd(t *testing.T, name string, b []byte, strict bool) {
	t.Helper()
	got, _, err := Read(string(b), Options{})
	want, werr := readTreeStd(b)
	switch {
	case (err == nil) != (werr == nil):
		t.Fatalf("Read(%s): error %v, want %v", name, err, werr)
	case err != nil:
		if strict && err.Error() != werr.Error() {
			t.Errorf("Read(%s): error %q, want %q", name, err, werr)
		}
	default:
		if d := sameTree(got, want, ""); d != "" {
			t.Errorf("Read(%s) differs from encoding/xml: %s", name, d)
		}
	}
	checkSkim(t, name, string(b), got, err)
}

// checkSkim fails when reading s with some elements skimmed (those with a name of odd length
// below the root) does not refuse it exactly as reading it whole did (err), or gives other
// than the whole tree (full) with the skimmed elements' children left out.
func checkSkim(t *testing.T, name, s string, full *Node, err error) {
	t.Helper()
	skim := func(name string, depth int) bool { return depth > 0 && len(name)%2 == 1 }
	got, _, serr := Read(s, Options{Skim: skim})
	switch {
	case (err == nil) != (serr == nil) || err != nil && err.Error() != serr.Error():
		t.Fatalf("Read(%s) skimming: error %v, want %v", name, serr, err)
	case err == nil:
		if d := sameSkimmed(got, full, 0, skim, ""); d != "" {
			t.Errorf("Read(%s) skimming: %s", name, d)
		}
	}
}

// sameSkimmed compares a tree read skimming with the whole tree read from the same text.
func sameSkimmed(got, full *Node, depth int, skim func(string, int) bool, path string) string {
	path += "/" + full.Name
	if got.Name != full.Name || got.Data != full.Data || got.Start != full.Start || got.End != full.End ||
		!slices.Equal(got.Attrs, full.Attrs) {
		return fmt.Sprintf("%s: %+v, want %+v", path, *got, *full)
	}
	if full.Name != "" && skim(full.Name, depth) {
		if got.Kids != nil {
			return path + ": skimmed, but has children"
		}
		return ""
	}
	if len(got.Kids) != len(full.Kids) {
		return fmt.Sprintf("%s: %d children, want %d", path, len(got.Kids), len(full.Kids))
	}
	for i := range got.Kids {
		if d := sameSkimmed(got.Kids[i], full.Kids[i], depth+1, skim, path); d != "" {
			return d
		}
	}
	return ""
}

// TestReadTreeSameAsEncodingXML holds the reader to encoding/xml on every real XML sample
// (bills, an Act, committee transcripts with a BOM and CRLF, a LEGISinfo record), on the
// test data, and on the awkward corners of XML.
func TestReadTreeSameAsEncodingXML(t *testing.T) {
	t.Parallel()
	// The test data of the packages that read XML with Read.
	files, _ := filepath.Glob("../../diff/testdata/*.xml")
	laws, _ := filepath.Glob("../../law/testdata/*.xml")
	files = append(files, laws...)
	samples, _ := filepath.Glob(filepath.Join(sampletest.Dir, "*.xml"))
	for _, f := range append(files, samples...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		checkSameAsStd(t, filepath.Base(f), b, true)
		// Truncated anywhere, it must fail the same way.
		for _, cut := range []int{1, 7, len(b) / 3, len(b) / 2, len(b) - 9} {
			if cut > 0 && cut < len(b) {
				checkSameAsStd(t, fmt.Sprintf("%s[:%d]", filepath.Base(f), cut), b[:cut], true)
			}
		}
	}
	for i, in := range readTreeCorners {
		checkSameAsStd(t, fmt.Sprintf("corner %d %q", i, in), []byte(in), true)
	}
}

var readTreeCorners = []string{
	`<a>x &amp; y &lt;&gt;&apos;&quot; &eacute;&nbsp;&#233;&#xE9;&#x1F600;</a>`,
	`<a>bad &foo; entity</a>`, `<a>&amp</a>`, `<a>& b</a>`, `<a>&#;</a>`, `<a>&#x;</a>`, `<a>&#0;</a>`,
	`<a>&#xD800;</a>`, `<a>&#99999999999999999999;</a>`, `<a>&;</a>`, `<a>&#12`, `<a>&am`, `<a b="&x"/>`,
	"<a>\r\nx\ry\r\n</a>", "<a b=\"1\r\n2\"/>", "<a><![CDATA[ x <y> & \r\n ]]>z</a>", `<a><![CDATA[]]></a>`,
	`<a><![CDATA[ x`, `<a><![CDAT x]]></a>`, `<a>x ]]> y</a>`, `<a b="]]>"/>`, `<a>]]&gt;</a>`,
	`<a><!-- c -- d --></a>`, `<a><!-- c --></a>`, `<a><!----></a>`, `<a><!---></a>`, `<a><!- x --></a>`,
	`<!DOCTYPE a [<!ENTITY x "y"> <!-- c --> ]><a/>`, `<!DOCTYPE a "q>'" ><a/>`, `<!DOCTYPE a <b <!x> >><a/>`,
	`<?xml version="1.0" encoding="UTF-8"?><a/>`, `<?xml version="1.1"?><a/>`, `<?xml version='1.0' encoding='utf8'?><a/>`,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>", "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x93q\x94 \x81</a>",
	`<?xml version="1.0" encoding="EBCDIC"?><a/>`, `<?pi data?><a><?x?></a><?y z?>`, `<? x?><a/>`, `<?xml`,
	`<a:b xmlns:a="u" a:c="1" d="2"><a:e/></a:b>`, `<a:b:c/>`, `<:a/>`, `<a:/>`, `<a b:c:d="1"/>`, `<a:b></b>`,
	`<a></b>`, `</a>`, `<a></a >`, `<a></a x>`, `<a b='1' c="2"d="3"/>`, `<a b/>`, `<a b=1/>`, `<a b="1/>`,
	`<a b="<"/>`, `<a / >`, `<a/ >`, `<1a/>`, `<a 1b="x"/>`, `<é>x</é>`, "<a\xff/>", "<a>\xff</a>", "<a>\x01</a>",
	"<a>\uFFFE</a>", `<a><b>x</b>y<c/>z</a>`, `<a>x</a><b/>`, `<a>x</a>y`, ` <a/> `, `<a/><!-- end -->`, ``,
	`<`, `<a`, `<a b`, `<a b=`, `<a b="x"`, `<a>x`, `<a><b>`, `</`, `<!`, `<!-`, `<![`, `<?`, `x`, `<a>x<`,
	// Special bytes at each place of a word of 8, for the word-at-a-time check of text.
	`<a>0123456]]>x</a>`, `<a>01234567]]>x</a>`, "<a>0123456\x01</a>", "<a>01234567\r\n89\t\n</a>",
	`<a>0123456789abcdef&amp;</a>`, `<a b="0123456789&amp;xyz]]>"/>`, "<a>0123456é789abcdefé</a>",
	"<abc><d>0123456789</d><efg x='1'><h/>text</efg></abc>", "<abc><d><efg>0123456789</d></efg></abc>",
	"<abc><d><x:efg>t</x:efg></d><efg>t</efg ></abc>", "<abc><x:d><efg>t</efg></x:d></abc>", "<abc><efg><h>",
	"<abc><efg><x:d>t</y:d></efg></abc>", "<abc><efg><x:d>t", "<abc><efg><x:d>t</d></efg></abc>",
}

// FuzzReadTree holds the reader to encoding/xml on arbitrary input: the same tree, or an
// error from both.
func FuzzReadTree(f *testing.F) {
	for _, in := range readTreeCorners {
		f.Add([]byte(in))
	}
	for _, name := range []string{"../../diff/testdata/small-from.xml", "../../diff/testdata/small-to.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSameAsStd(t, "fuzz input", b, false)
	})
}
