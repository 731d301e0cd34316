package tracker

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// Lineage relations.
const (
	Reintroduction = "reintroduction" // the same bill again in a later session
	Similar        = "similar"        // another bill of the same session sharing much of its text
)

// LineageLink ties a bill to another that shares its text, with the measure of what was
// carried over, provision by provision. The measure is always taken from the earlier (for a
// reintroduction) or the other (for a similar bill) bill's top-level provisions: Carried were
// kept word for word (perhaps renumbered), Amended were kept with changes, Of is how many the
// earlier bill had.
type LineageLink struct {
	Session  string `json:"session"`
	Number   string `json:"number"`
	Relation string `json:"relation"`
	Carried  int    `json:"carried"`
	Amended  int    `json:"amended"`
	Of       int    `json:"of"`
	// Later is true on the earlier bill's side of a reintroduction: the other bill
	// reintroduces this one.
	Later bool `json:"later,omitempty"`
	// Reinstated says that the site calls the later bill a reinstatement of the earlier one
	// (the same bill, carried over at its stage): linked without a text, and kept when the
	// texts are compared.
	Reinstated bool `json:"reinstated,omitempty"`
}

// Key is the linked bill's key, "44-1 C-26".
func (l LineageLink) Key() string { return l.Session + " " + l.Number }

// Measure is "§ for §: 14 of 19 sections carried over, 3 amended"; for a reinstatement linked
// before any text was compared, it says so.
func (l LineageLink) Measure() string {
	if l.Reinstated && l.Of == 0 {
		return "reinstated from the previous session, says LEGISinfo; texts not compared yet"
	}
	s := fmt.Sprintf("§ for §: %d of %d sections carried over", l.Carried, l.Of)
	if l.Amended > 0 {
		s += fmt.Sprintf(", %d amended", l.Amended)
	}
	return s
}

// Line says the link in words: "reintroduces 44-1 C-26 (§ for §: …)".
func (l LineageLink) Line() string {
	switch {
	case l.Reinstated && l.Of == 0 && l.Later:
		return fmt.Sprintf("reinstated as %s (%s)", l.Key(), l.Measure())
	case l.Reinstated && l.Of == 0:
		return fmt.Sprintf("reinstates %s (%s)", l.Key(), l.Measure())
	case l.Relation == Reintroduction && l.Later:
		return fmt.Sprintf("reintroduced as %s (%s)", l.Key(), l.Measure())
	case l.Relation == Reintroduction:
		return fmt.Sprintf("reintroduces %s (%s)", l.Key(), l.Measure())
	default:
		return fmt.Sprintf("substantially similar to %s (%s)", l.Key(), l.Measure())
	}
}

// signatureSize is the number of MinHash values per bill: 64 values estimate a Jaccard
// similarity within about ±0.06, ample to pick candidates that are then compared provision by
// provision.
const signatureSize = 64

// shingleWords is the length of the word shingles hashed into a signature.
const shingleWords = 5

// Signature is a bill text's entry in the candidate index: a MinHash of the word shingles of
// its provisions, the number of its top-level provisions and the hash of the text it was
// computed from.
type Signature struct {
	Bill       string // "45-1 C-8"
	Hash       string // the stored text it describes
	Provisions int
	Min        [signatureSize]uint32
}

func (s Signature) session() string { b, _, _ := strings.Cut(s.Bill, " "); return b }

func (s Signature) encode() []byte {
	out := make([]byte, 0, 4+4*signatureSize+len(s.Hash))
	out = binary.BigEndian.AppendUint32(out, uint32(s.Provisions))
	for _, v := range s.Min {
		out = binary.BigEndian.AppendUint32(out, v)
	}
	return append(out, s.Hash...)
}

func decodeSignature(bill string, b []byte) (Signature, error) {
	if len(b) < 4+4*signatureSize {
		return Signature{}, fmt.Errorf("lineage index entry of %s is truncated", bill)
	}
	s := Signature{Bill: bill, Provisions: int(binary.BigEndian.Uint32(b))}
	for i := range s.Min {
		s.Min[i] = binary.BigEndian.Uint32(b[4+4*i:])
	}
	s.Hash = string(b[4+4*signatureSize:])
	return s, nil
}

// provisionText is a provision's whole text: marginal note, own text and every descendant's.
func provisionText(p *diff.Provision, b *strings.Builder) {
	b.WriteString(p.MarginalNote)
	b.WriteByte(' ')
	b.WriteString(p.Text)
	b.WriteByte(' ')
	for _, c := range p.Children {
		provisionText(c, b)
	}
}

func fullText(p *diff.Provision) string {
	var b strings.Builder
	provisionText(p, &b)
	return b.String()
}

// shingles hashes the n-word shingles of a text (the whole text when shorter).
func shingles(text string, n int, into map[uint64]struct{}) {
	ws := words(text)
	if len(ws) == 0 {
		return
	}
	h := fnv.New64a()
	for i := 0; i+n <= len(ws) || i == 0; i++ {
		h.Reset()
		for _, w := range ws[i:min(i+n, len(ws))] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		into[h.Sum64()] = struct{}{}
		if i+n >= len(ws) {
			break
		}
	}
}

// mix64 is a strong 64-bit mixer (splitmix64's finaliser): one per MinHash permutation.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

var seeds = func() [signatureSize]uint64 {
	var s [signatureSize]uint64
	for i := range s {
		s[i] = mix64(uint64(i+1) * 0x9e3779b97f4a7c15)
	}
	return s
}()

// Sign computes a bill text's signature for the candidate index.
func Sign(bill, hash string, doc *diff.Document) Signature {
	set := map[uint64]struct{}{}
	for _, p := range doc.Provisions {
		shingles(fullText(p), shingleWords, set)
	}
	s := Signature{Bill: bill, Hash: hash, Provisions: len(doc.Provisions)}
	for i := range s.Min {
		s.Min[i] = ^uint32(0)
	}
	for x := range set {
		for i, seed := range seeds {
			if v := uint32(mix64(x ^ seed)); v < s.Min[i] {
				s.Min[i] = v
			}
		}
	}
	return s
}

// Similarity estimates the Jaccard similarity of two signatures' shingle sets.
func (s Signature) Similarity(o Signature) float64 {
	n := 0
	for i := range s.Min {
		if s.Min[i] == o.Min[i] {
			n++
		}
	}
	return float64(n) / signatureSize
}

// candidateThreshold is the estimated Jaccard similarity above which a stored bill is
// compared provision by provision. Unrelated amending bills share boilerplate ("is replaced
// by the following") but stay well below it.
const candidateThreshold = 0.12

// Index is the candidate index: every stored bill text's signature, in memory.
type Index struct{ sigs []Signature }

// Add puts a signature in the index, replacing the bill's earlier one.
func (ix *Index) Add(s Signature) {
	for i := range ix.sigs {
		if ix.sigs[i].Bill == s.Bill {
			ix.sigs[i] = s
			return
		}
	}
	ix.sigs = append(ix.sigs, s)
}

// Len is the number of bills indexed.
func (ix *Index) Len() int { return len(ix.sigs) }

// Candidates returns the indexed bills (other than s's own) whose estimated similarity
// reaches the threshold, most similar first.
func (ix *Index) Candidates(s Signature) []Signature {
	type scored struct {
		sig Signature
		sim float64
	}
	var out []scored
	for _, o := range ix.sigs {
		if o.Bill == s.Bill || o.Provisions == 0 || s.Provisions == 0 {
			continue
		}
		if sim := s.Similarity(o); sim >= candidateThreshold {
			out = append(out, scored{o, sim})
		}
	}
	slices.SortFunc(out, func(a, b scored) int { return cmp.Compare(b.sim, a.sim) })
	res := make([]Signature, len(out))
	for i, x := range out {
		res[i] = x.sig
	}
	return res
}

// LoadIndex reads the candidate index from the store.
func (s *Store) LoadIndex() (*Index, error) {
	ix := &Index{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktLineage)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			_, bill := splitStoreKey(k)
			sig, err := decodeSignature(bill, v)
			if err != nil {
				return err
			}
			ix.sigs = append(ix.sigs, sig)
			return nil
		})
	})
	return ix, err
}

// Measure compares two texts of possibly different bills provision by provision with the diff
// package's alignment. A provision the alignment calls amended counts as carried with
// amendments only when most of its words are still there: two unrelated bills both have a
// section 1, and that is not a carry-over.
func Measure(earlier, later *diff.Document) (carried, amended, of int) {
	r := diff.Compare(earlier, later)
	s := r.Summary
	carried = s.Unchanged + s.Renumbered
	of = s.Unchanged + s.Renumbered + s.Amended + s.Removed
	byLabel := func(ps []*diff.Provision, label string) *diff.Provision {
		for _, p := range ps {
			if p.Label == label {
				return p
			}
		}
		return nil
	}
	for _, c := range r.Provisions {
		if c.Change != "amended" {
			continue
		}
		a, b := byLabel(earlier.Provisions, c.FromLabel), byLabel(later.Provisions, c.ToLabel)
		if a != nil && b != nil && containment(fullText(a), fullText(b)) >= 0.5 {
			amended++
		}
	}
	return carried, amended, of
}

// containment is the share of the smaller text's 3-word shingles found in the other.
func containment(a, b string) float64 {
	sa, sb := map[uint64]struct{}{}, map[uint64]struct{}{}
	shingles(a, 3, sa)
	shingles(b, 3, sb)
	if len(sa) > len(sb) {
		sa, sb = sb, sa
	}
	if len(sa) == 0 {
		return 0
	}
	n := 0
	for x := range sa {
		if _, ok := sb[x]; ok {
			n++
		}
	}
	return float64(n) / float64(len(sa))
}

// linked decides whether a measure makes two bills one lineage: at least two provisions, and
// at least half of the smaller bill, carried over.
func linked(carried, amended, of, otherOf int) bool {
	shared := carried + amended
	return shared >= 2 && 2*shared >= min(of, otherOf)
}

// substantiveWords is how many words a provision must hold beyond its amending frame to count
// toward a link: "Section 5 of the Act is repealed." holds none, a defined term a few.
const substantiveWords = 8

var (
	// amendingFrame is the instruction that opens an amending provision, up to the colon
	// before the text it sets out: "Section 718.2 of the Criminal Code is amended by adding
	// the following after paragraph (a):".
	amendingFrame = lazyre.New(`(?i)^.{0,300}?\b(?:is|are)\s+(?:amended|replaced|repealed|renumbered)\b[^:]{0,200}(?::|\.\s*$)`)
	// comingIntoForce is the commencement clause every bill has in one form or another.
	comingIntoForce = lazyre.New(`(?i)\b(?:comes?|came) into force\b`)
)

// substantive reports whether a top-level provision says something of its own: not a
// coming-into-force clause, not an amending instruction whose new text is a few words (or
// none: a repeal). Bills that share only such provisions are not one bill: two private
// members' bills both adding a paragraph to s. 718.2 of the Criminal Code and both coming
// into force on royal assent.
func substantive(p *diff.Provision) bool {
	text := strings.TrimSpace(p.Text)
	var rest strings.Builder
	for _, c := range p.Children {
		provisionText(c, &rest)
	}
	all := strings.TrimSpace(text + " " + rest.String())
	if comingIntoForce.MatchString(all) && len(words(all)) < 60 {
		return false
	}
	if loc := amendingFrame.FindStringIndex(text); loc != nil {
		text = text[loc[1]:]
	}
	return len(words(text+" "+rest.String())) >= substantiveWords
}

// substance is a document of the substantive top-level provisions of doc only.
func substance(doc *diff.Document) *diff.Document {
	out := *doc
	out.Provisions = nil
	for _, p := range doc.Provisions {
		if substantive(p) {
			out.Provisions = append(out.Provisions, p)
		}
	}
	return &out
}

// linkedTexts decides whether two texts are one lineage, on their substantive provisions only:
// boilerplate every bill shares (coming into force, bare amending frames) never makes a link.
// A bill with a single substantive provision is linked when that provision is carried over
// word for word.
func linkedTexts(earlier, later *diff.Document) bool {
	se, sl := substance(earlier), substance(later)
	if len(se.Provisions) == 0 || len(sl.Provisions) == 0 {
		return false
	}
	carried, amended, of := Measure(se, sl)
	if min(of, len(sl.Provisions)) == 1 {
		return carried == 1
	}
	return linked(carried, amended, of, len(sl.Provisions))
}

// Match finds the lineage of a bill text among the indexed bills: candidates from the index,
// then a provision-by-provision comparison with each candidate's stored text. load returns a
// stored text by hash.
func Match(ix *Index, sig Signature, doc *diff.Document, load func(hash string) ([]byte, error)) ([]LineageLink, error) {
	var links []LineageLink
	var errs []error
	session := sig.session()
	for _, c := range ix.Candidates(sig) {
		body, err := load(c.Hash)
		if err != nil {
			errs = append(errs, fmt.Errorf("lineage: text of %s: %w", c.Bill, err))
			continue
		}
		other, err := diff.ParseBytes(body)
		if err != nil {
			errs = append(errs, fmt.Errorf("lineage: text of %s: %w", c.Bill, err))
			continue
		}
		csession, cnumber, _ := strings.Cut(c.Bill, " ")
		l := LineageLink{Session: csession, Number: cnumber, Relation: Similar}
		switch {
		case csession < session:
			l.Relation = Reintroduction
			l.Carried, l.Amended, l.Of = Measure(other, doc)
		case csession > session:
			l.Relation, l.Later = Reintroduction, true
			l.Carried, l.Amended, l.Of = Measure(doc, other)
		default:
			l.Carried, l.Amended, l.Of = Measure(other, doc)
		}
		earlier, later := other, doc
		if l.Later {
			earlier, later = doc, other
		}
		if linked(l.Carried, l.Amended, l.Of, len(doc.Provisions)) && linkedTexts(earlier, later) {
			links = append(links, l)
		}
	}
	return links, errors.Join(errs...)
}

// mirror is a link as the other bill sees it.
func (l LineageLink) mirror(session, number string) LineageLink {
	m := l
	m.Session, m.Number = session, number
	if l.Relation == Reintroduction {
		m.Later = !l.Later
	}
	return m
}

func getLinks(tx *bolt.Tx, bill string) []LineageLink {
	b := tx.Bucket(bktLinks)
	if b == nil {
		return nil
	}
	var out []LineageLink
	_, _ = getJSON(b, lineageKey(bill), &out)
	return out
}

// putLinks records a bill's links and their mirrors on the linked bills, replacing what was
// recorded between them before.
func putLinks(tx *bolt.Tx, bill string, links []LineageLink) error {
	b := tx.Bucket(bktLinks)
	session, number, _ := strings.Cut(bill, " ")
	// Drop the old mirrors of this bill.
	for _, old := range getLinks(tx, bill) {
		others := slices.DeleteFunc(getLinks(tx, old.Key()), func(x LineageLink) bool { return x.Key() == bill })
		if err := putJSON(b, lineageKey(old.Key()), others); err != nil {
			return err
		}
	}
	for _, l := range links {
		others := slices.DeleteFunc(getLinks(tx, l.Key()), func(x LineageLink) bool { return x.Key() == bill })
		others = append(others, l.mirror(session, number))
		if err := putJSON(b, lineageKey(l.Key()), others); err != nil {
			return err
		}
	}
	if len(links) == 0 {
		return b.Delete(lineageKey(bill))
	}
	return putJSON(b, lineageKey(bill), links)
}

// Lineage lists a bill's links, earlier bills first.
func (s *Store) Lineage(session, number string) ([]LineageLink, error) {
	var out []LineageLink
	err := s.view(func(tx *bolt.Tx) error {
		out = getLinks(tx, session+" "+number)
		return nil
	})
	slices.SortFunc(out, func(a, b LineageLink) int { return cmp.Compare(a.Key(), b.Key()) })
	return out, err
}

// Inherited returns the record of the nearest earlier bill of a bill's lineage that has one,
// for a bill that has none of its own: what the coalition said last time.
func (s *Store) Inherited(session, number string) (LineageLink, Record, bool, error) {
	var link LineageLink
	var rec Record
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		link, rec, found = inherited(tx, session+" "+number)
		return nil
	})
	return link, rec, found, err
}

func inherited(tx *bolt.Tx, bill string) (LineageLink, Record, bool) {
	links := getLinks(tx, bill)
	slices.SortFunc(links, func(a, b LineageLink) int { return cmp.Compare(b.Key(), a.Key()) })
	for _, l := range links {
		if l.Later {
			continue
		}
		r, err := getRecord(tx, BillSubject(l.Session, l.Number))
		if err == nil && !r.Empty() {
			return l, r, true
		}
	}
	return LineageLink{}, Record{}, false
}
