package law

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// These tests change the package's bounds, so they do not run in parallel (top-level
// tests that do wait until these are done).

func lowerBounds(t *testing.T, provision, work, shown int) {
	t.Helper()
	p, w, s := maxProvisionText, maxWordWork, maxShownText
	maxProvisionText, maxWordWork, maxShownText = provision, work, shown
	t.Cleanup(func() { maxProvisionText, maxWordWork, maxShownText = p, w, s })
}

// bigAct is an Act of our own whose section 1 says "Canada is here" n times.
func bigAct(t *testing.T, n int) *Act {
	t.Helper()
	return mustAct(t, []byte(`<Statute><Identification><ShortTitle>Big Act</ShortTitle></Identification><Body><Section><Label>1</Label><Text>`+
		strings.Repeat("Canada is here ", n)+`</Text></Section><Section><Label>2</Label><Text>Two.</Text></Section></Body></Statute>`))
}

func bigBill(instructions ...string) *Bill {
	var sb strings.Builder
	sb.WriteString(`<Bill><Identification><BillNumber>C-4</BillNumber></Identification><Body><Heading level="1"><MarginalNote><HistoricalNote>2000, c. 1</HistoricalNote></MarginalNote><TitleText>Big Act</TitleText></Heading>`)
	for i, ins := range instructions {
		fmt.Fprintf(&sb, `<Section type="amending"><Label>%d</Label><Text>%s</Text></Section>`, i+1, ins)
	}
	sb.WriteString(`</Body></Bill>`)
	b, err := ParseBill([]byte(sb.String()))
	if err != nil {
		panic(err)
	}
	return b
}

// TestWordsWhereverLinear: "replacing … wherever it occurs" rebuilds each text once, not
// once per occurrence (which made 20,000 occurrences take half a minute): the allocations
// do not grow with the number of occurrences.
func TestWordsWhereverLinear(t *testing.T) {
	const n = 5000
	act := bigAct(t, n)
	bill := bigBill("Section 1 of the Act is amended by replacing “Canada” with “Canadian” wherever it occurs.")
	var res *Result
	allocs := testing.AllocsPerRun(2, func() { res = Apply(bill, only(act)) })
	e := res.Acts[0].Effects[0]
	if !e.Applied || strings.Count(e.After, "Canadian is here") != n || strings.Contains(e.After, "Canada ") {
		t.Fatalf("effect: applied=%v %s", e.Applied, e.Reason)
	}
	if allocs > n/10 {
		t.Errorf("%v allocations for %d occurrences: the text is rebuilt per occurrence", allocs, n)
	}
}

// TestGrowthBounded: instructions that double a provision again and again are refused
// once it would pass the bound, each with the reason, and the Act stops growing there.
func TestGrowthBounded(t *testing.T) {
	lowerBounds(t, 64<<10, 64<<20, 8<<20)
	act := bigAct(t, 10)
	var ins []string
	for range 16 {
		ins = append(ins, "Section 1 of the Act is amended by replacing “Canada” with “Canada Canada” wherever it occurs.")
	}
	res := Apply(bigBill(ins...), only(act))
	res.Annotate()
	es := res.Acts[0].Effects
	refused := 0
	for i, e := range es {
		if !e.Applied {
			refused++
			if e.Reason != ReasonUnsure+": the change would make 1 longer than 64 kB" {
				t.Errorf("effect %d: %s", i+1, e.Reason)
			}
		} else if refused > 0 {
			t.Errorf("effect %d applied after a refusal", i+1)
		}
	}
	if refused == 0 || refused == len(es) {
		t.Errorf("%d of %d refused", refused, len(es))
	}
	if size := textSize(res.Acts[0].Act.Body[0]); size > 64<<10 {
		t.Errorf("section 1 grew to %d bytes", size)
	}
}

// TestManyEffectsBounded: a bill of thousands of word changes to one section (many.xml,
// 60,000 of them, took 2.4 GB) keeps a bounded amount of before and after text, and its
// word changes go through a bounded amount of text; past the bounds each effect says so.
func TestManyEffectsBounded(t *testing.T) {
	lowerBounds(t, 1<<20, 2<<20, 256<<10)
	act := mustAct(t, readSample(t, "justice-act-T-3.4.xml"))
	var units [][2]string
	for range 3000 {
		units = append(units, [2]string{"Section 7 of the Act is amended by replacing “Canada” with “Canada” wherever it occurs.", ""})
	}
	bill := mustBill(t, telecomBill(units...))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := Apply(bill, only(act))
	res.Annotate()
	runtime.GC()
	runtime.ReadMemStats(&after)
	shown, applied, unshown, overWork := 0, 0, 0, 0
	for _, e := range res.Acts[0].Effects {
		shown += len(e.Before) + len(e.After)
		switch {
		case e.Applied && strings.Contains(e.Note, "not shown"):
			unshown++
		case e.Applied:
			applied++
		case strings.Contains(e.Reason, "go through more than 2 MB"):
			overWork++
		default:
			t.Errorf("effect %s: %s", e.BillProvision, e.Reason)
		}
	}
	if shown > 256<<10 || applied == 0 || unshown == 0 || overWork == 0 {
		t.Errorf("%d bytes shown, %d applied with text, %d without, %d over the work bound", shown, applied, unshown, overWork)
	}
	// What the result holds is bounded by the bill's size, not by effects × section size
	// (3,000 × 2 × 1.6 kB of text alone would be 10 MB, and their word diffs many times that).
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 8<<20 {
		t.Errorf("the result holds %d MB", grown>>20)
	}
	runtime.KeepAlive(res)
}
