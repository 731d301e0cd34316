package law

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"
)

// omnibus builds a bill of about 5 MB from real parts: C-8's Part 1 (the amendments to
// the Telecommunications Act) repeated, each copy aimed at its own copy of the real Act,
// as an omnibus bill amends dozens of Acts.
func omnibus(tb testing.TB) ([]byte, map[string]*Act, int) {
	tb.Helper()
	bill := readSample(tb, "bill-45-1-C-8-first-reading.xml")
	actXML := readSample(tb, "justice-act-T-3.4.xml")
	body := bytes.Index(bill, []byte("<Body>")) + len("<Body>")
	part2 := bytes.Index(bill[body:], []byte(`<Heading level="1"><Label>PART 2</Label>`)) + body
	if body < len("<Body>") || part2 < body {
		tb.Fatal("C-8 first reading: Part 1 not found")
	}
	part1 := bill[body:part2]
	heading := regexp.MustCompile(`<MarginalNote><HistoricalNote>1993, c\. 38</HistoricalNote></MarginalNote><TitleText>Telecommunications Act</TitleText>`)
	named := regexp.MustCompile(`Telecommunications Act</XRefExternal>`)
	var out bytes.Buffer
	out.Write(bill[:body])
	acts := map[string]*Act{}
	base := mustAct(tb, actXML)
	n := 0
	for out.Len() < 5<<20 {
		n++
		title := fmt.Sprintf("Telecommunications Act %d", n)
		p := heading.ReplaceAll(part1, []byte(fmt.Sprintf(`<MarginalNote><HistoricalNote>1993, c. %d</HistoricalNote></MarginalNote><TitleText>%s</TitleText>`, 1000+n, title)))
		p = named.ReplaceAll(p, []byte(title+"</XRefExternal>"))
		out.Write(p)
		a := base.Clone()
		a.Code, a.Title, a.Chapter = fmt.Sprintf("T-%d", n), title, fmt.Sprintf("1993, c. %d", 1000+n)
		acts[a.Code] = a
	}
	out.Write(bill[part2:])
	return out.Bytes(), acts, n
}

func lookupIn(acts map[string]*Act) Lookup {
	var entries []IndexEntry
	for _, a := range acts {
		entries = append(entries, IndexEntry{Code: a.Code, Title: a.Title, Chapter: a.Chapter})
	}
	return IndexLookup(NewIndex(entries, nil), func(code string) (*Act, error) { return acts[code], nil })
}

// TestOmnibusApplies checks the benchmark's bill: every copy of Part 1 applies in full.
func TestOmnibusApplies(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5 MB bill")
	}
	b, acts, n := omnibus(t)
	res := Apply(mustBill(t, b), lookupIn(acts))
	if want := n * len(c8OnT34); res.Summary.Applied != want {
		t.Errorf("omnibus of %d parts (%d bytes): %+v, want %d applied", n, len(b), res.Summary, want)
	}
}

// BenchmarkOmnibus parses a 5 MB omnibus bill and applies its instructions to its Acts
// (parsed beforehand, as the store's Acts are read once per pass); then the same with the
// word diffs and flags a reader sees; then law's reading of the bill's XML into its element
// tree alone (internal/xmltree). The reference in the same run: reading the same XML into a
// bare element tree with encoding/xml, the common way, which law did before.
func BenchmarkOmnibus(b *testing.B) {
	bill, acts, n := omnibus(b)
	lookup := lookupIn(acts)
	b.Run(fmt.Sprintf("parse+apply/%dacts/%dMB", n, len(bill)>>20), func(b *testing.B) {
		b.SetBytes(int64(len(bill)))
		cpu := cpuTime()
		for b.Loop() {
			bl, err := ParseBill(bill)
			if err != nil {
				b.Fatal(err)
			}
			if res := Apply(bl, lookup); res.Summary.Unapplied != 4 {
				b.Fatalf("summary %+v", res.Summary)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	b.Run("parse+apply+annotate", func(b *testing.B) {
		b.SetBytes(int64(len(bill)))
		cpu := cpuTime()
		for b.Loop() {
			bl, err := ParseBill(bill)
			if err != nil {
				b.Fatal(err)
			}
			Apply(bl, lookup).Annotate()
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	// The XML alone, by law's reader and by encoding/xml, the named reference.
	for _, r := range []struct {
		name string
		read func([]byte) (*elem, error)
	}{{"xml-tree-only", readTree}, {"reference:xml-tree-only", readTreeEncodingXML}} {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(bill)))
			cpu := cpuTime()
			for b.Loop() {
				if _, err := r.read(bill); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
