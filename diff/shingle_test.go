package diff

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/sampletest"
)

// shinglesRef is the plain definition of a provision's word pairs, as the aligner computed
// them before sets were made bottom up: every pair of lower-cased words hashed anew, then
// sorted.
func shinglesRef(p *Provision) []uint64 {
	out := []uint64{}
	var prev string
	var add func(p *Provision)
	add = func(p *Provision) {
		for _, w := range strings.Fields(strings.ToLower(fold(p.MarginalNote) + " " + p.textKey)) {
			out = append(out, pairOf(fnvHash(prev), fnvHash(w)))
			prev = w
		}
		for _, k := range p.Children {
			add(k)
		}
	}
	add(p)
	slices.Sort(out)
	return out
}

// fnvHash is the FNV-1a hash of the bytes of w, as hash/fnv computes it.
func fnvHash(w string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(w))
	return h.Sum64()
}

func diceRef(a, b []uint64) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	common, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

func allProvisions(ps []*Provision, out []*Provision) []*Provision {
	for _, p := range ps {
		out = append(out, p)
		out = allProvisions(p.Children, out)
	}
	return out
}

// TestShinglesSameAsDefinition checks the bottom-up word-pair sets against the plain
// definition on every provision of every real bill text and of the test data, and the
// similarity of neighbouring provisions against the plain Dice coefficient.
func TestShinglesSameAsDefinition(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.xml")
	bills, _ := filepath.Glob(filepath.Join(sampletest.Dir, "bill-*.xml"))
	files = append(files, bills...)
	if len(bills) == 0 {
		t.Log("no real bills in the samples folder: test data only")
	}
	var docs [][]*Provision
	for _, f := range files {
		d, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, allProvisions(d.Provisions, nil))
	}
	// Add a provision with non-ASCII words and white space that is not a plain space.
	odd := &Provision{MarginalNote: "Émission “Spéciale”", Text: "ÉTÉ été\u00a0x\u2003Y", Children: []*Provision{
		{Text: ""}, {Text: "Ωmega ΣΑΣ"}, {MarginalNote: "only note"},
	}}
	finish([]*Provision{odd})
	docs = append(docs, allProvisions([]*Provision{odd}, nil))
	refs := map[*Provision][]uint64{}
	ref := func(p *Provision) []uint64 {
		if r, ok := refs[p]; ok {
			return r
		}
		refs[p] = shinglesRef(p)
		return refs[p]
	}
	for i, ps := range docs {
		for k, p := range ps {
			s := p.shingles()
			got := slices.Clone(s.inner)
			if s.first != "" {
				got = append(got, pairHash("", s.first))
			}
			slices.Sort(got)
			if want := ref(p); !slices.Equal(got, want) {
				t.Fatalf("doc %d: shingles(%s) has %d pairs, want %d (or different ones)", i, p.Cite, len(got), len(want))
			}
			for _, q := range []*Provision{ps[(k+1)%len(ps)], ps[(k*7)%len(ps)], docs[(i+1)%len(docs)][k%len(docs[(i+1)%len(docs)])]} {
				want := diceRef(ref(p), ref(q))
				if got := similarity(p, q); got != want {
					t.Fatalf("similarity(%s, %s) = %v, want %v", p.Cite, q.Cite, got, want)
				}
				got := similarAtLeast(p, q, minSimilarity)
				if want >= minSimilarity && got != want || want < minSimilarity && got >= minSimilarity {
					t.Fatalf("similarAtLeast(%s, %s, %v) = %v; the coefficient is %v", p.Cite, q.Cite, minSimilarity, got, want)
				}
			}
		}
	}
}

// TestSortHashes holds sortHashes, and bucketSort reading the hashes in parts of uneven
// sizes (empty ones too), to a plain sort, on both sides of the threshold and with repeated
// hashes, as word pairs repeat.
func TestSortHashes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 255, 256, 257, 1000, 4096, 100_000} {
		h := make([]uint64, n)
		for i := range h {
			h[i] = uint64(i) * 0x9e3779b97f4a7c15
			if i%7 == 0 && i > 0 {
				h[i] = h[i-1]
			}
		}
		want := slices.Clone(h)
		slices.Sort(want)
		if n >= bucketSortFrom {
			parts := func(yield func([]uint64) bool) {
				for i, size := 0, 0; i < n; i, size = i+size, size+1 {
					if !yield(h[i:min(i+size, n)]) {
						return
					}
				}
			}
			if got := bucketSort(n, parts); !slices.Equal(got, want) {
				t.Errorf("bucketSort of %d hashes in parts is not sorted", n)
			}
		}
		if got := sortHashes(h); !slices.Equal(got, want) {
			t.Errorf("sortHashes of %d hashes is not sorted", n)
		}
	}
}

// TestPairsLeftOutChangeNothing: the aligner leaves out the pairs whose sizes rule out
// similarity, does not weigh a same-label pair that nothing else could take, nor a pair under
// other labels with a side that a near-identical same-label pair takes; every comparison of
// the real C-8 texts, the test data, a synthetic omnibus bill and a bill of copied sections,
// in both directions, is byte for byte what weighing every pair gives. Not parallel: it sets
// considerAll while the parallel tests wait.
func TestPairsLeftOutChangeNothing(t *testing.T) {
	read := func(names ...string) [][]byte {
		var out [][]byte
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}
	bills, _ := filepath.Glob(filepath.Join(sampletest.Dir, "bill-45-1-C-8-*.xml"))
	from, to := omnibus(1<<20, 200)
	cfrom, cto := copiedSections(40)
	for _, texts := range [][][]byte{read("testdata/small-from.xml", "testdata/small-to.xml"), read(bills...), {from, to}, {cfrom, cto}} {
		for i, a := range texts {
			for j, b := range texts {
				got, err := CompareBytes(a, b)
				if err != nil {
					t.Fatal(err)
				}
				considerAll = true
				want, err := CompareBytes(a, b)
				considerAll = false
				if err != nil {
					t.Fatal(err)
				}
				if g, w := renderBoth(t, got), renderBoth(t, want); g != w {
					t.Errorf("texts %d → %d of %d: leaving pairs out changed the result:\n%s", i, j, len(texts), firstDifference(g, w))
				}
			}
		}
	}
}

// copiedSections builds a bill of long sections copied under many labels, as an omnibus bill
// repeats a scheme for each Act it amends, each followed by a shorter section of its own, and
// a second version in which each long copy is amended by a word (similar beyond 0.95 under its
// label) and each shorter one in part; one long copy is renumbered, one label is given to two
// sections, one long copy is set out twice under its label, and the text of one shorter
// section moves under the label of the one before it, whose old text it resembles less.
func copiedSections(copies int) (from, to []byte) {
	rng := rand.New(rand.NewSource(7))
	long := omniSub{text: "Within 30 days, " + sentence(rng, 400) + " may act."}
	common := omniSub{text: sentence(rng, 80) + "."}
	own := func() omniSub { return omniSub{text: sentence(rng, 40) + "."} }
	shorts := make([][]omniSub, copies+1)
	for k := range shorts {
		shorts[k] = []omniSub{common, own()}
	}
	var a, b []omniSec
	for k := 1; k <= copies; k++ {
		l := omniSec{label: fmt.Sprintf("%d-1", k), note: "Scheme", subs: []omniSub{long}}
		m := omniSec{label: fmt.Sprintf("%d-2", k), note: "Terms", subs: shorts[k]}
		a = append(a, l, m)
		l.subs = []omniSub{{text: strings.Replace(long.text, "may act", "shall act", 1)}}
		m.subs = []omniSub{common, own()}
		switch k {
		case 2:
			l.label = "2-1.1"
		case 3:
			m.label = "3-1"
		case 4:
			b = append(b, l)
		case 7:
			m.subs = []omniSub{common, {text: shorts[8][1].text + " amended"}}
		}
		b = append(b, l, m)
	}
	return bill(a), bill(b)
}

// TestCountWords holds countWords to the words eachWord finds.
func TestCountWords(t *testing.T) {
	t.Parallel()
	for _, text := range countWordsSeeds {
		checkCountWords(t, text)
	}
}

var countWordsSeeds = []string{
	"", " ", "a", " a ", "a  b\tc\n", "the Minister may", "Émission\u00a0“Spéciale” x\u2003y", "a\u200bb",
	"\u3000z", "12345678 abcdefg", "abcdefgh", "abcdefg  hijklmno", "       a", "a       ", "\x08\x0e\x1f!\x7f \x0b\x0c",
	"the Minister may, by order, require a designated operator — to pay", "abcdefgé abcdefg\u0085abcdefgh",
	"\xff\xfeabcdefgh ijklmnop", "ab\tcd\ref\ngh\vij\fkl mn",
}

// checkCountWords holds countWords to the words eachWord finds in text, and in each of its
// tails, so that every byte is met at every offset in a word of eight; and pairWriter, which
// hashes words as it finds them, to eachWord's words hashed by wordHash.
func checkCountWords(t *testing.T, text string) {
	for i := range min(len(text), 8) {
		want := 0
		eachWord(text[i:], func(string) { want++ })
		if got := countWords(text[i:]); got != want {
			t.Errorf("countWords(%q) = %d, want %d", text[i:], got, want)
		}
	}
	for _, before := range []string{"", "Before"} {
		want := pairWriter{prevHash: fnvOffset}
		if before != "" {
			want.word(before, wordHash(before))
		}
		got := want
		eachWord(text, func(w string) { want.word(w, wordHash(w)) })
		got.words(text)
		if !slices.Equal(got.own, want.own) || got.first != want.first || got.prev != want.prev || got.prevHash != want.prevHash {
			t.Errorf("pairWriter.words(%q) after %q: %v, first %q, last %q; by eachWord and wordHash %v, %q, %q",
				text, before, got.own, got.first, got.prev, want.own, want.first, want.prev)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	for _, s := range countWordsSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkCountWords(t, s) })
}

// TestMayBeSimilarSameAsFullCount holds mayBeSimilar, which counts large provisions only in
// part, to the rule on full counts, for every pair of provisions of the two top levels of
// C-8's first reading and committee reprint, read for comparing (much of them left unmade),
// at a few floors, in an order where some counts are kept from earlier pairs and some not.
func TestMayBeSimilarSameAsFullCount(t *testing.T) {
	t.Parallel()
	a := sampletest.Read(t, "bill-45-1-C-8-first-reading.xml")
	b := sampletest.Read(t, "bill-45-1-C-8-as-amended-by-committee.xml")
	levels := func(d *Document) []*Provision {
		var ps []*Provision
		for _, p := range d.Provisions {
			ps = append(ps, p)
			p.makeNow()
			ps = append(ps, p.Children...)
		}
		return ps
	}
	for _, floor := range []float64{0.1, minSimilarity, 0.9} {
		da, db, _, err := readVersions(string(a), string(b))
		if err != nil {
			t.Fatal(err)
		}
		fa, fb, _, err := readVersions(string(a), string(b)) // for the full counts
		if err != nil {
			t.Fatal(err)
		}
		as, bs, fas, fbs := levels(da), levels(db), levels(fa), levels(fb)
		left := 0
		for i := range as {
			for j := range bs {
				na, _ := fas[i].wordsAtMost(math.MaxInt)
				nb, _ := fbs[j].wordsAtMost(math.MaxInt)
				want := na+nb == 0 || min(na, nb) >= int(math.Ceil(floor*float64(na+nb)/2))
				if got := mayBeSimilar(as[i], bs[j], floor); got != want {
					t.Fatalf("floor %v: mayBeSimilar(%s %q of %d words, %s %q of %d words) = %v, want %v",
						floor, as[i].Kind, as[i].Label, na, bs[j].Kind, bs[j].Label, nb, got, want)
				}
				if !want {
					left++
				}
			}
		}
		if left == 0 {
			t.Fatalf("floor %v: no pair left out: the test shows nothing", floor)
		}
	}
}
