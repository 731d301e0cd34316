package diff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
)

// encodingJSON is what Render's JSON was before renderJSON: encoding/json's Encoder, indented.
func encodingJSON(t testing.TB, r *Result) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatalf("json.Encoder: %v", err)
	}
	return buf.String()
}

func ownJSON(t testing.TB, r *Result) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := renderJSON(w, r); err != nil {
		t.Fatalf("renderJSON: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestJSONSameAsEncoding holds renderJSON to encoding/json's indented Encoder, byte for byte,
// on every ordered pair of the real C-8 texts, the test data, the synthetic omnibus bill and
// results made to reach every branch: nil and empty slices, the omitempty fields, strings
// that need escaping (quotes, controls, HTML, invalid UTF-8, U+2028 and U+2029).
func TestJSONSameAsEncoding(t *testing.T) {
	t.Parallel()
	var results []*Result
	names := []string{"first-reading", "as-amended-by-committee", "third-reading", "royal-assent"}
	var texts [][]byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(sampletest.Dir, "bill-45-1-C-8-"+n+".xml"))
		if err != nil {
			t.Logf("real samples absent (%v)", err)
			texts = nil
			break
		}
		texts = append(texts, b)
	}
	for i := range texts {
		for j := range texts {
			r, err := CompareBytes(texts[i], texts[j])
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, r)
		}
	}
	from, to := omnibus(1<<20, 200)
	for _, p := range [][2][]byte{{from, to}, {to, from}} {
		r, err := CompareBytes(p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	a, err := os.ReadFile("testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/small-to.xml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := CompareBytes(a, b)
	if err != nil {
		t.Fatal(err)
	}
	results = append(results, r, &Result{}, &Result{Provisions: []Change{}, Flags: []Flag{}})
	odd := "a\"b\\c\b\f\n\r\t\x00\x1f\x7f <script>&amp; é – “q” \u2028\u2029 \xff\xc3 \xe2\x80 𝄞"
	results = append(results, &Result{
		From: odd, To: "to", Bill: odd,
		Summary: Summary{Added: 1, Removed: -2, Amended: 1 << 40, Renumbered: 0, Unchanged: 7},
		Provisions: []Change{
			{Label: odd, Ops: []Op{}, Children: []Change{}, Heading: "h", FromMarginalNote: odd, Flags: []Flag{{Code: odd}}, Marked: true},
			{Ops: []Op{{Op: OpEqual, Text: odd}, {}}, Children: []Change{{Label: "x", Flags: []Flag{}}}},
		},
		Flags: []Flag{{Code: "c", Where: odd, Text: odd}, {}},
	})
	for i, r := range results {
		r.SetAnchors()
		if got, want := ownJSON(t, r), encodingJSON(t, r); got != want {
			t.Errorf("result %d: renderJSON differs from encoding/json:\n%s", i, firstDifference(got, want))
		}
	}
}

// FuzzJSON holds renderJSON to encoding/json on results made of any strings.
func FuzzJSON(f *testing.F) {
	f.Add("s. 2(1)", "shall", "<b>&\u2028\xff", 3, true)
	f.Add("", "", "", 0, false)
	f.Fuzz(func(t *testing.T, a, b, c string, n int, mark bool) {
		r := &Result{From: a, To: b, Bill: c, Summary: Summary{Added: n, Unchanged: -n}}
		if n%2 == 0 {
			r.Provisions = []Change{}
		}
		if n%3 == 0 {
			r.Flags = []Flag{{Code: a, Where: b, Text: c}}
		}
		ch := Change{Label: a, MarginalNote: b, Change: c, FromLabel: b, ToLabel: a, Kind: c, Heading: a,
			FromMarginalNote: b, Marked: mark, Ops: []Op{{Op: a, Text: c}}}
		if n%5 == 0 {
			ch.Children = []Change{{Label: c, Ops: []Op{}, Flags: []Flag{{Text: a}}}}
		}
		r.Provisions = append(r.Provisions, ch, Change{Anchor: b})
		if got, want := ownJSON(t, r), encodingJSON(t, r); got != want {
			t.Errorf("renderJSON differs from encoding/json:\n%s", firstDifference(got, want))
		}
	})
}

// TestJSONCoversEveryField fills every field of a Result, at every depth, by reflection, so
// that a field added to Result, Change, Op, Flag or Summary and not to renderJSON fails here
// rather than going missing from `diff --format json`.
func TestJSONCoversEveryField(t *testing.T) {
	t.Parallel()
	var r Result
	fill(reflect.ValueOf(&r).Elem(), 0)
	if got, want := ownJSON(t, &r), encodingJSON(t, &r); got != want {
		t.Errorf("renderJSON differs from encoding/json on a result with every field set:\n%s", firstDifference(got, want))
	}
}

// fill gives every field of v a value that is not its zero, and every slice two elements
// (each filled, down to depth 3), so that no omitempty field is left out.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d <&>\u2028", depth))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(depth + 1))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	case reflect.Slice:
		if depth >= 3 {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth)
		v.Set(p)
	default:
		panic(fmt.Sprintf("fill: a %s field: teach renderJSON and this test about it", v.Kind()))
	}
}
