package diff

import (
	"io"
	"os"
	"testing"
)

// FuzzParse feeds the parser arbitrary bytes. It must never panic or hang; whatever parses
// must diff against itself as all unchanged and render in every format.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/small-from.xml", "testdata/small-to.xml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/3])
	}
	f.Add([]byte(""))
	f.Add([]byte("<Hansard/>"))
	f.Add([]byte(`<Bill><Body><Section><Label>1</Label><Text>a<Ins>b</Ins></Text><Paragraph><Label>(a)</Label><Text>x</Text></Paragraph></Section></Body></Bill>`))
	f.Add([]byte(`<Bill><Body><Section><Label>1</Label><AmendedText><BillInternal><Body><Section><Label>2</Label><Text>y</Text></Section></Body></BillInternal></AmendedText></Section></Body><Schedule><row><entry>1</entry></row></Schedule></Bill>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseBytes(b)
		if err != nil {
			return
		}
		d2, err := ParseBytes(b)
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		r := Compare(d, d2)
		if r.Summary.Changed() || len(r.Provisions) != 0 {
			t.Fatalf("Compare(x, x) = %+v, want no change", r.Summary)
		}
		// A diff against an empty-ish bill exercises the added/removed paths.
		empty, _ := ParseBytes([]byte(`<Bill><Body><Section><Label>1</Label><Text>The Minister may act within 30 days.</Text></Section></Body></Bill>`))
		r = Compare(empty, d)
		_ = r.Brief()
		for _, format := range Formats {
			if err := Render(io.Discard, r, format, true); err != nil {
				t.Fatalf("Render(%s): %v", format, err)
			}
		}
	})
}
