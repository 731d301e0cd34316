package tracker

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch/diff"
)

// provisionPool flattens real texts into provisions of a plausible size (20 to 1,500 words,
// at any depth: the sections of an Act a bill enacts count), each as its whole text.
func provisionPool(docs ...*diff.Document) []string {
	var pool []string
	var walk func(p *diff.Provision)
	walk = func(p *diff.Provision) {
		if n := len(strings.Fields(fullText(p))); n >= 20 && n <= 1500 {
			pool = append(pool, fullText(p))
			return
		}
		for _, c := range p.Children {
			walk(c)
		}
	}
	for _, d := range docs {
		for _, p := range d.Provisions {
			walk(p)
		}
	}
	return pool
}

// syntheticBill builds bill i from the pool: 5 to 40 provisions drawn at random, half of
// whose words are rewritten through the bill's own substitution, so that every bill has real
// structure and length and is a different text.
func syntheticBill(rng *rand.Rand, i int, pool []string) *diff.Document {
	d := &diff.Document{Bill: fmt.Sprintf("C-%d", i)}
	for j := range 5 + rng.IntN(36) {
		ws := strings.Fields(pool[rng.IntN(len(pool))])
		for k, w := range ws {
			h := fnv.New64a()
			h.Write([]byte(w))
			if x := mix64(h.Sum64() ^ uint64(i)*0x9e3779b97f4a7c15); x%2 == 0 {
				ws[k] = "x" + strconv.FormatUint(x%20000, 10)
			}
		}
		d.Provisions = append(d.Provisions, &diff.Provision{Kind: "section", Label: fmt.Sprint(j + 1), Text: strings.Join(ws, " ")})
	}
	return d
}

// BenchmarkLineage10k matches one new bill (45-1 C-8, first reading) against 10,000 stored
// bills: 9,999 synthetic ones and 44-1 C-26. One operation is what a pass does for a new
// text: read the candidate index from the database, sign the new text, pick candidates, and
// compare each candidate's stored text provision by provision.
func BenchmarkLineage10k(b *testing.B) {
	c26 := []byte(readSample(b, "bill-44-1-C-26-third-reading.xml"))
	c8 := []byte(readSample(b, "bill-45-1-C-8-first-reading.xml"))
	d26, err := diff.ParseBytes(c26)
	if err != nil {
		b.Fatal(err)
	}
	d8, err := diff.ParseBytes(c8)
	if err != nil {
		b.Fatal(err)
	}
	small, _ := os.ReadFile("../diff/testdata/small-from.xml")
	dsmall, _ := diff.ParseBytes(small)
	pool := provisionPool(d26, d8, dsmall)
	rng := rand.New(rand.NewPCG(1, 2))

	store := MustOpen(b)
	err = store.update(func(tx *bolt.Tx) error {
		h, err := putBlob(tx, c26)
		if err != nil {
			return err
		}
		ix := tx.Bucket(bktLineage)
		if err := ix.Put([]byte("44-1 C-26"), Sign("44-1 C-26", h, d26).encode()); err != nil {
			return err
		}
		for i := range 9999 {
			key := fmt.Sprintf("%d-1 C-%d", 35+i%10, i)
			if err := ix.Put([]byte(key), Sign(key, "none", syntheticBill(rng, i, pool)).encode()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	tr := New(store, DefaultProfile(), nil)
	hash := Hash(c8)
	ix, _ := tr.Store.LoadIndex()
	candidates := len(ix.Candidates(Sign("45-1 C-8", hash, d8)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ix, err := tr.Store.LoadIndex()
		if err != nil {
			b.Fatal(err)
		}
		l, err := tr.lineageOf(ix, "45-1 C-8", hash, c8)
		if err != nil {
			b.Fatal(err)
		}
		if len(l.links) != 1 || l.links[0].Key() != "44-1 C-26" || ix.Len() != 10001 {
			b.Fatalf("links = %+v over %d bills, want C-26 alone among 10,000", l.links, ix.Len())
		}
	}
	b.ReportMetric(float64(candidates), "candidates")
}

// BenchmarkLineageReference is the reference without a candidate index: one
// provision-by-provision comparison, which a naive matcher would run against every stored
// bill (multiply by 10,000).
func BenchmarkLineageReference(b *testing.B) {
	d26, err := diff.ParseBytes([]byte(readSample(b, "bill-44-1-C-26-third-reading.xml")))
	if err != nil {
		b.Fatal(err)
	}
	c8 := []byte(readSample(b, "bill-45-1-C-8-first-reading.xml"))
	b.ReportAllocs()
	for b.Loop() {
		d8, err := diff.ParseBytes(c8)
		if err != nil {
			b.Fatal(err)
		}
		if c, _, _ := Measure(d26, d8); c != 14 {
			b.Fatalf("carried %d, want 14", c)
		}
	}
}
