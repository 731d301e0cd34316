package diff

import (
	"bytes"
	"fmt"
	"github.com/billwatch/billwatch/internal/sampletest"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkCompareC8 is the real case: C-8 first reading against the committee reprint,
// parse both, compare, render text.
func BenchmarkCompareC8(b *testing.B) {
	fa := sampletest.Path(b, "bill-45-1-C-8-first-reading.xml")
	fb := sampletest.Path(b, "bill-45-1-C-8-as-amended-by-committee.xml")
	a, err := os.ReadFile(fa)
	if err != nil {
		b.Fatal(err)
	}
	c, err := os.ReadFile(fb)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a) + len(c)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := CompareBytes(a, c)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(io.Discard, r, "text", false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGitWordDiff is the reference: git's word diff of the same two files, run in the
// same benchmark run so that the ratio to BenchmarkCompareC8 is fair.
func BenchmarkGitWordDiff(b *testing.B) {
	git, err := exec.LookPath("git")
	if err != nil {
		b.Skip("git not installed")
	}
	fa := sampletest.Path(b, "bill-45-1-C-8-first-reading.xml")
	fb := sampletest.Path(b, "bill-45-1-C-8-as-amended-by-committee.xml")
	for b.Loop() {
		cmd := exec.Command(git, "diff", "--no-index", "--no-color", "--word-diff=plain", fa, fb)
		cmd.Stdout = io.Discard
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
			b.Fatalf("git diff: %v", err)
		}
	}
}

// BenchmarkOmnibus5MB diffs a synthetic 5 MB omnibus bill against a version with 500
// amendments spread through it (word changes, may → shall, changed periods, paragraphs
// added and deleted, sections added and removed): parse both, compare, render JSON. It
// reports the peak live heap sampled during the operations.
func BenchmarkOmnibus5MB(b *testing.B) {
	from, to := omnibus(5<<20, 500)
	b.SetBytes(int64(len(from) + len(to)))
	b.ReportAllocs()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > peak {
					peak = v
				}
			}
		}
	}()
	runtime.GC()
	var r *Result
	for b.Loop() {
		var err error
		r, err = CompareBytes(from, to)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(io.Discard, r, "json", false); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if r.Summary.Amended+r.Summary.Added+r.Summary.Removed < 300 {
		b.Fatalf("omnibus: only %+v changed", r.Summary)
	}
}

var benchWords = strings.Fields(`the Minister may by order require any person operator designated
	information respecting security of system service provider within Governor in Council
	regulation prescribed period notice disclosure confidential agency commission report
	apply section subsection paragraph if that is necessary reasonable purpose
	protection critical cyber telecommunications network facility measure assessment
	compliance verification inspector warrant judge application record obligation
	federal provincial government institution Canada order direction prohibition`)

type omniSub struct {
	text  string
	paras []string
}

type omniSec struct {
	label, note string
	subs        []omniSub
}

func sentence(rng *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[rng.Intn(len(benchWords))]
	}
	return strings.Join(w, " ")
}

// omnibus generates a bill of about size bytes and a copy with n amendments.
func omnibus(size, n int) (from, to []byte) {
	rng := rand.New(rand.NewSource(42))
	var secs []omniSec
	for total := 0; total < size; {
		s := omniSec{label: fmt.Sprint(len(secs) + 1), note: sentence(rng, 4)}
		for k := 0; k < 2+rng.Intn(3); k++ {
			sub := omniSub{text: "Within 30 days, " + sentence(rng, 40+rng.Intn(30)) + " may act."}
			for p := 0; p < rng.Intn(4); p++ {
				sub.paras = append(sub.paras, sentence(rng, 15+rng.Intn(20))+";")
			}
			s.subs = append(s.subs, sub)
		}
		secs = append(secs, s)
		total += len(render1(s))
	}
	from = bill(secs)
	// Deep copy, then amend.
	am := make([]omniSec, len(secs))
	for i, s := range secs {
		am[i] = s
		am[i].subs = append([]omniSub(nil), s.subs...)
		for k := range am[i].subs {
			am[i].subs[k].paras = append([]string(nil), s.subs[k].paras...)
		}
	}
	for k := 0; k < n; k++ {
		i := (k*len(am))/n + rng.Intn(max(1, len(am)/n))
		s := &am[i]
		sub := &s.subs[rng.Intn(len(s.subs))]
		switch k % 6 {
		case 0: // a word replaced
			w := strings.Fields(sub.text)
			w[3+rng.Intn(len(w)-4)] = "amended"
			sub.text = strings.Join(w, " ")
		case 1:
			sub.text = strings.Replace(sub.text, "may act.", "shall act.", 1)
		case 2:
			sub.text = strings.Replace(sub.text, "Within 30 days", "Within 60 days", 1)
		case 3: // a paragraph added
			sub.paras = append(sub.paras, sentence(rng, 20)+";")
		case 4: // a paragraph deleted, or a phrase added
			if len(sub.paras) > 0 {
				sub.paras = sub.paras[1:]
			} else {
				sub.text += " despite any other Act"
			}
		case 5: // a section added after this one
			s.subs = append(s.subs, omniSub{text: "The Minister must report to Parliament within 90 days."})
		}
	}
	return from, bill(am)
}

func render1(s omniSec) string {
	var sb strings.Builder
	sb.WriteString("<Section><MarginalNote>" + s.note + "</MarginalNote><Label>" + s.label + "</Label>")
	for k, sub := range s.subs {
		fmt.Fprintf(&sb, "<Subsection><Label>(%d)</Label><Text>%s</Text>", k+1, sub.text)
		for p, para := range sub.paras {
			fmt.Fprintf(&sb, "<Paragraph><Label>(%c)</Label><Text>%s</Text></Paragraph>", 'a'+p, para)
		}
		sb.WriteString("</Subsection>")
	}
	sb.WriteString("</Section>")
	return sb.String()
}

func bill(secs []omniSec) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Bill><Identification><BillNumber>C-1000</BillNumber></Identification><Body>`)
	for i, s := range secs {
		if i%50 == 0 {
			fmt.Fprintf(&buf, `<Heading level="1"><Label>PART %d</Label><TitleText>Part %d</TitleText></Heading>`, i/50+1, i/50+1)
		}
		buf.WriteString(render1(s))
	}
	buf.WriteString("</Body></Bill>")
	return buf.Bytes()
}
