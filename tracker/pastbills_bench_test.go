package tracker

import (
	"fmt"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// BenchmarkPastBills is what every bills pass now reads of the stored bills of every session
// (records, relevance, titles for lineage), on 400 (one session), 1,200 and 4,000 of them.
func BenchmarkPastBills(b *testing.B) {
	for _, n := range []int{400, 1200, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			store := MustOpen(b)
			err := store.update(func(tx *bolt.Tx) error {
				for i := range n {
					bill := billwatch.Bill{Session: fmt.Sprintf("%d-1", 42+i%4), Number: fmt.Sprintf("C-%d", i),
						Title:      fmt.Sprintf("An Act to amend the Criminal Code and the Canadian Security Intelligence Service Act, and to make related amendments to other Acts (%d)", i),
						ShortTitle: "Some Act", Status: "At second reading in the House of Commons", Sponsor: "Hon. Someone",
						Relevant: i%3 == 0, Reasons: []string{"keyword: security"}}
					st := billState{Bill: bill, Detailed: true, Publications: []billwatch.Publication{
						{ID: "13569583", Type: "first-reading", Name: "First Reading", Page: "https://www.parl.ca/DocumentViewer/en/45-1/bill/C-8/first-reading"},
						{ID: "13569584", Type: "third-reading", Name: "Third Reading"}}}
					if err := putJSON(tx.Bucket(bktBills), billKey(bill), st); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := store.pastBills(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
