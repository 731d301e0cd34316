package tracker

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch/diff"
)

// billLineage is what the lineage step found for one bill text, before it is stored.
type billLineage struct {
	sig   Signature
	links []LineageLink
}

// latestTextHash is the hash of a stored bill's latest fetched text.
func latestTextHash(st billState) string {
	h := ""
	for _, p := range st.Publications {
		if ts := st.Texts[p.ID]; ts.Hash != "" {
			h = ts.Hash
		}
	}
	return h
}

// Reindex adds to the candidate index every stored bill text it lacks (texts stored before
// schema 2, or by a pass that could not parse them) and returns the index. Texts are parsed
// outside any transaction; the new entries are written in one.
func (t *Tracker) Reindex() (*Index, error) {
	ix, err := t.Store.LoadIndex()
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	for _, s := range ix.sigs {
		have[s.Bill] = s.Hash
	}
	type todo struct{ bill, hash string }
	var missing []todo
	err = t.Store.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktBills).ForEach(func(k, v []byte) error {
			var st billState
			if decodeJSON(v, &st) != nil {
				return nil
			}
			if _, bill := splitStoreKey(k); latestTextHash(st) != "" && have[bill] != latestTextHash(st) {
				missing = append(missing, todo{bill, latestTextHash(st)})
			}
			return nil
		})
	})
	if err != nil || len(missing) == 0 {
		return ix, err
	}
	var sigs []Signature
	for _, m := range missing {
		body, err := t.Store.Payload(m.hash)
		if err != nil {
			t.Log.Warn("lineage: stored text unreadable", "bill", m.bill, "error", err)
			continue
		}
		sig := Signature{Bill: m.bill, Hash: m.hash}
		if doc, err := diff.ParseBytes(body); err == nil {
			sig = Sign(m.bill, m.hash, doc)
		} else {
			t.Log.Warn("lineage: stored text does not parse", "bill", m.bill, "error", err)
		}
		sigs = append(sigs, sig)
		ix.Add(sig)
	}
	err = t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktLineage)
		for _, s := range sigs {
			if err := b.Put(lineageKey(s.Bill), s.encode()); err != nil {
				return err
			}
		}
		return nil
	})
	return ix, err
}

// lineageOf signs a new bill text and matches it against the index; the index then holds it,
// so that later bills of the same pass match it too.
func (t *Tracker) lineageOf(ix *Index, bill, hash string, body []byte) (billLineage, error) {
	doc, err := diff.ParseBytes(body)
	if err != nil {
		sig := Signature{Bill: bill, Hash: hash}
		ix.Add(sig)
		return billLineage{sig: sig}, fmt.Errorf("lineage of %s: %w", bill, err)
	}
	sig := Sign(bill, hash, doc)
	links, err := Match(ix, sig, doc, t.Store.Payload)
	ix.Add(sig)
	return billLineage{sig: sig, links: links}, err
}

// storeLineage writes a bill's signature and links within tx.
func storeLineage(tx *bolt.Tx, l billLineage) error {
	if err := tx.Bucket(bktLineage).Put(lineageKey(l.sig.Bill), l.sig.encode()); err != nil {
		return err
	}
	return putLinks(tx, l.sig.Bill, l.links)
}

// lineageText is what a bill.introduced alert says of a bill's lineage: "Reintroduces 44-1
// C-26 (§ for §: 14 of 19 sections carried over, 3 amended)."
func lineageText(links []LineageLink) string {
	var parts []string
	for _, l := range links {
		if !l.Later {
			parts = append(parts, l.Line())
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
