package diff

import (
	"fmt"
	"sort"
	"strings"
)

// Change kinds, as the JSON spells them.
const (
	Added      = "added"
	Removed    = "removed"
	Amended    = "amended"
	Renumbered = "renumbered"
	Unchanged  = "unchanged"
)

// Op kinds of a word diff.
const (
	OpEqual  = "equal"
	OpDelete = "delete"
	OpInsert = "insert"
)

// Result is the amendment diff between two versions of a bill. Its JSON is the contract's
// `diff --format json` output; keys beyond the contract are extras.
type Result struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	Bill       string   `json:"bill,omitempty"`
	Summary    Summary  `json:"summary"`
	Provisions []Change `json:"provisions"`
	// Flags lists every operative-language flag of every change, in document order.
	Flags []Flag `json:"flags"`
}

// Summary counts every top-level provision (sections, then schedules) by what happened to it.
type Summary struct {
	Added      int `json:"added"`
	Removed    int `json:"removed"`
	Amended    int `json:"amended"`
	Renumbered int `json:"renumbered"`
	Unchanged  int `json:"unchanged"`
}

// Changed reports whether any top-level provision changed.
func (s Summary) Changed() bool {
	return s.Added+s.Removed+s.Amended+s.Renumbered > 0
}

// Change is one changed provision. Children holds its changed nested provisions, including
// those of the text an amending section sets out, in the same shape.
type Change struct {
	Label        string `json:"label"`
	MarginalNote string `json:"marginal_note"`
	Change       string `json:"change"`
	FromLabel    string `json:"from_label"`
	ToLabel      string `json:"to_label"`
	// Ops is the word diff of the provision's own text, without its children's.
	Ops      []Op     `json:"ops"`
	Children []Change `json:"children"`
	// Anchor is the id of the provision's element on the web diff page (see SetAnchors).
	Anchor string `json:"anchor"`

	Kind    string `json:"kind"`
	Heading string `json:"heading,omitempty"`
	// FromMarginalNote is set when the marginal note itself changed.
	FromMarginalNote string `json:"from_marginal_note,omitempty"`
	Flags            []Flag `json:"flags,omitempty"`
	// Marked is the publisher's own hint (Ins markup) that the new text was inserted.
	Marked bool `json:"marked_inserted,omitempty"`

	scope string // the scope prefix ("the Act enacted by s. 11"), for the brief
	local string // the cite inside the scope ("s. 9")
}

// Op is one run of a word diff.
type Op struct {
	Op   string `json:"op"` // equal, delete or insert
	Text string `json:"text"`
}

// Compare diffs two versions of a bill. From and To of the result are the documents'
// version slugs; callers may overwrite them with their own names.
func Compare(from, to *Document) *Result {
	r := &Result{From: from.Version, To: to.Version, Bill: to.Bill, Provisions: []Change{}, Flags: []Flag{}}
	if r.Bill == "" {
		r.Bill = from.Bill
	}
	for _, m := range align(from.Provisions, to.Provisions) {
		ch, kind := compareOne(m.a, m.b)
		switch kind {
		case Added:
			r.Summary.Added++
		case Removed:
			r.Summary.Removed++
		case Amended:
			r.Summary.Amended++
		case Renumbered:
			r.Summary.Renumbered++
		default:
			r.Summary.Unchanged++
		}
		if kind != Unchanged {
			r.Provisions = append(r.Provisions, ch)
		}
	}
	r.Flags = collectFlags(r.Provisions, r.Flags)
	return r
}

// CompareBytes parses two bill XML texts and diffs them; an error says which one is bad.
func CompareBytes(a, b []byte) (*Result, error) {
	r, bad, err := compareVersions(string(a), string(b))
	if err != nil {
		return nil, fmt.Errorf("diff: %s version: %w", [2]string{"from", "to"}[bad], err)
	}
	return r, nil
}

// CompareFiles parses two bill XML files and diffs them; an error names the bad file.
func CompareFiles(a, b string) (*Result, error) {
	sa, err := readFile(a)
	if err != nil {
		return nil, err
	}
	sb, err := readFile(b)
	if err != nil {
		return nil, err
	}
	r, bad, err := compareVersions(sa, sb)
	if err != nil {
		return nil, fmt.Errorf("diff: %s: %w", [2]string{a, b}[bad], err)
	}
	return r, nil
}

// compareVersions reads two versions of a bill (readVersions) and diffs them, unless they
// differ only in their Identification (compareSameText).
func compareVersions(a, b string) (*Result, int, error) {
	if r, ok := compareSameText(a, b); ok {
		return r, 0, nil
	}
	da, db, bad, err := readVersions(a, b)
	if err != nil {
		return nil, bad, err
	}
	return Compare(da, db), 0, nil
}

// readVersions reads two versions of a bill for comparing them, reading only what changed:
// the second version takes from the first every element whose bytes are the same, and the
// first leaves the provisions of the elements so taken to be made only if Compare needs them
// (reuse.go). An error comes with the version it is about: 0 for a, 1 for b, a's first.
func readVersions(a, b string) (da, db *Document, bad int, err error) {
	ra, sa, err := readVersion(a, nil)
	if err != nil {
		return nil, nil, 0, err
	}
	idx := newReuseIndex(sa, ra)
	rb, _, errB := readVersion(b, idx)
	if da, err = (&parser{index: idx, lazy: true}).document(ra); err != nil {
		return nil, nil, 0, err
	}
	if errB != nil {
		return nil, nil, 1, errB
	}
	if db, err = (&parser{prev: idx}).document(rb); err != nil {
		return nil, nil, 1, err
	}
	return da, db, 0, nil
}

func collectFlags(cs []Change, out []Flag) []Flag {
	for _, c := range cs {
		out = append(out, c.Flags...)
		out = collectFlags(c.Children, out)
	}
	return out
}

// compareOne diffs a matched pair; a nil side means added or removed.
func compareOne(a, b *Provision) (Change, string) {
	switch {
	case a == nil:
		return whole(b, Added, OpInsert), Added
	case b == nil:
		return whole(a, Removed, OpDelete), Removed
	}
	relabelled := normLabel(a.Label) != normLabel(b.Label)
	if same(a, b) && a.key == b.key {
		return Change{}, Unchanged
	}
	ch := Change{
		Label: b.Cite, MarginalNote: b.MarginalNote, FromLabel: a.Cite, ToLabel: b.Cite,
		Kind: b.Kind, Heading: b.Heading, Marked: b.Marked, scope: b.scope, local: b.local,
		Children: []Change{},
	}
	if fold(a.MarginalNote) != fold(b.MarginalNote) {
		ch.FromMarginalNote = a.MarginalNote
		if ch.FromMarginalNote == "" {
			ch.FromMarginalNote = "(none)"
		}
	}
	textChanged := a.textKey != b.textKey
	if textChanged {
		ch.Ops = wordDiff(a.Text, b.Text)
	} else if b.Text != "" {
		ch.Ops = []Op{{OpEqual, b.Text}}
	} else {
		ch.Ops = []Op{}
	}
	for _, m := range align(a.Children, b.Children) {
		c, kind := compareOne(m.a, m.b)
		if kind != Unchanged {
			ch.Children = append(ch.Children, c)
		}
	}
	kind := Unchanged
	if textChanged || ch.FromMarginalNote != "" || len(ch.Children) > 0 {
		kind = Amended
	}
	if relabelled {
		kind = Renumbered
	}
	if kind == Unchanged {
		return Change{}, Unchanged
	}
	ch.Change = kind
	if textChanged {
		ch.Flags = flagsFor(a.Text, b.Text, ch.Ops, b)
	}
	return ch, kind
}

func normLabel(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// whole is a provision added or removed with everything under it.
func whole(p *Provision, kind, op string) Change {
	p.makeNow()
	ch := Change{
		Label: p.Cite, MarginalNote: p.MarginalNote, Change: kind,
		Kind: p.Kind, Heading: p.Heading, Marked: p.Marked && kind == Added,
		scope: p.scope, local: p.local, Ops: []Op{}, Children: []Change{},
	}
	if kind == Added {
		ch.ToLabel = p.Cite
		ch.Flags = flagsFor("", p.Text, nil, p)
	} else {
		ch.FromLabel = p.Cite
		ch.Flags = flagsFor(p.Text, "", nil, p)
		for i := range ch.Flags {
			f := &ch.Flags[i]
			f.Text = strings.TrimSuffix(f.Text, " in "+f.Where) + " in former " + f.Where
			f.Where = "former " + f.Where
		}
	}
	if p.Text != "" {
		ch.Ops = []Op{{op, p.Text}}
	}
	for _, k := range p.Children {
		ch.Children = append(ch.Children, whole(k, kind, op))
	}
	return ch
}

// considerAll makes the aligner consider every pair it used to, for tests that check that
// the pairs it leaves out change nothing.
var considerAll = false

// pair is one aligned pair of siblings; a nil side is an addition or removal.
type pair struct{ a, b *Provision }

// similarity threshold above which two provisions with different labels are the same
// provision moved or renumbered.
const (
	minSimilarity  = 0.5
	sameLabelBonus = 0.05
	maxPairwise    = 10_000 // below this many pairs, every pair is a candidate
	window         = 32     // else only pairs this close in the lists of unmatched ones
)

// align matches two lists of sibling provisions and returns the pairs in reading order
// (the new version's order, removed provisions after their old predecessor).
//
// Matching goes: identical content (whatever the label), then same label and similar text,
// then similar text under another label (renumbered or moved), then same label whatever the
// text (rewritten). So "12 became 11 when 11 was deleted" reads as 12→11 renumbered and 11
// removed, not as a dozen rewritten sections.
func align(as, bs []*Provision) []pair {
	ma := make([]int, len(as)) // index into bs + 1; 0 unmatched
	mb := make([]int, len(bs))
	match := func(i, j int) { ma[i] = j + 1; mb[j] = i + 1 }
	makeUntwinned(as, bs)

	// 0. Same label and identical everything: the common case, in linear time.
	byKey := make(map[string]int, len(bs))
	for j, b := range bs {
		byKey[b.key] = j
	}
	for i, a := range as {
		if j, ok := byKey[a.key]; ok && mb[j] == 0 && same(a, bs[j]) {
			match(i, j)
		}
	}
	// 1. Identical content under another label.
	byContent := map[uint64][]int{}
	for j, b := range bs {
		if mb[j] == 0 {
			byContent[b.content] = append(byContent[b.content], j)
		}
	}
	for i, a := range as {
		if ma[i] != 0 || a.Text == "" && len(a.Children) == 0 {
			continue
		}
		cands := byContent[a.content]
		for _, j := range cands {
			if mb[j] == 0 && sameContent(a, bs[j]) {
				match(i, j)
				break
			}
		}
		for len(cands) > 0 && mb[cands[0]] != 0 {
			cands = cands[1:] // matched for good
		}
		byContent[a.content] = cands
	}
	// 2. Similar text: the same provision amended, or moved and renumbered. Candidates are
	// same-label pairs plus, within a window of positions, pairs under other labels; the
	// most similar pairs are matched first, a same label counting for a little.
	var ra, rb []int
	for i := range as {
		if ma[i] == 0 {
			ra = append(ra, i)
		}
	}
	for j := range bs {
		if mb[j] == 0 {
			rb = append(rb, j)
		}
	}
	type cand struct {
		i, j int
		s    float64
	}
	var cs []cand
	// weigh scores a pair of the same kind: its similarity, plus the bonus under the same
	// label; -1 below minSimilarity.
	weigh := func(i, j int) float64 {
		s := similarAtLeast(as[i], bs[j], minSimilarity)
		if s < minSimilarity {
			return -1
		}
		if as[i].key == bs[j].key {
			s += sameLabelBonus
		}
		return s
	}
	// matchBest matches the pairs of cs, best first, each unless a better one took a side.
	matchBest := func(cs []cand) {
		sort.SliceStable(cs, func(x, y int) bool {
			if cs[x].s != cs[y].s {
				return cs[x].s > cs[y].s
			}
			// Ties go to the pair closest in position.
			return abs(cs[x].i-cs[x].j) < abs(cs[y].i-cs[y].j)
		})
		for _, c := range cs {
			if ma[c.i] == 0 && mb[c.j] == 0 {
				match(c.i, c.j)
			}
		}
	}
	// Renumbering leaves some label on one side only; when the unmatched on both sides
	// carry the same labels, only same-label pairs are worth a look.
	cross := false
	byKeyA := make(map[string]bool, len(ra))
	for _, i := range ra {
		byKeyA[as[i].key] = true
		if j, ok := byKey[as[i].key]; !ok || mb[j] != 0 {
			cross = true
		}
	}
	for _, j := range rb {
		if !byKeyA[bs[j].key] {
			cross = true
		}
	}
	if cross {
		// Pairs under other labels whose sizes rule out similarity are left out. A same-label
		// pair that is then the only one of either side is matched by step 4 whatever its
		// similarity: it is not worth reading their word pairs (a long section, amended, beside
		// short ones). A same-label pair is not sized: where its sizes rule it out and it is
		// weighed all the same, it falls below minSimilarity, as it would have by size.
		all := len(ra)*len(rb) <= maxPairwise
		var viable []cand
		na, nb := make([]int, len(as)), make([]int, len(bs))
		for x, i := range ra {
			for y, j := range rb {
				same := as[i].key == bs[j].key
				if (all || abs(x-y) <= window || same) && as[i].Kind == bs[j].Kind &&
					(considerAll || same || mayBeSimilar(as[i], bs[j], minSimilarity)) {
					viable = append(viable, cand{i: i, j: j})
					na[i]++
					nb[j]++
				}
			}
		}
		n := 0
		for _, c := range viable {
			if na[c.i] > 1 || nb[c.j] > 1 || as[c.i].key != bs[c.j].key || considerAll {
				viable[n] = c
				n++
			}
		}
		viable = viable[:n]
		// Same-label pairs are weighed first. Those scoring above 1 (similar beyond 0.95)
		// outrank every pair under other labels, whose similarity is at most 1, so they are
		// matched first whatever else is weighed: they are matched now, and a pair under
		// other labels with a side they took, which the matching would pass over, is not
		// weighed at all (a long section copied in many places is then not compared with
		// every copy).
		var sure []cand
		for k, c := range viable {
			if as[c.i].key == bs[c.j].key {
				viable[k].s = weigh(c.i, c.j)
				if viable[k].s > 1 && !considerAll {
					sure = append(sure, viable[k])
				}
			}
		}
		matchBest(sure)
		for _, c := range viable {
			switch {
			case as[c.i].key == bs[c.j].key:
				if c.s >= minSimilarity && (c.s <= 1 || considerAll) { // else matched above
					cs = append(cs, c)
				}
			case ma[c.i] == 0 && mb[c.j] == 0:
				if s := weigh(c.i, c.j); s >= minSimilarity {
					cs = append(cs, cand{c.i, c.j, s})
				}
			}
		}
	}
	// Without renumbering, same labels are matched by step 4 whatever their similarity.
	matchBest(cs)
	// 4. Same label, rewritten text.
	for i, a := range as {
		if ma[i] != 0 {
			continue
		}
		if j, ok := byKey[a.key]; ok && mb[j] == 0 {
			match(i, j)
		}
	}
	// Order: the new version's, each removed provision after its nearest matched
	// predecessor in the old version.
	after := map[int][]int{} // b index (-1: start) → removed a indexes
	prev := -1
	for i := range as {
		if ma[i] != 0 {
			prev = ma[i] - 1
			continue
		}
		after[prev] = append(after[prev], i)
	}
	out := make([]pair, 0, len(bs)+len(after))
	for _, i := range after[-1] {
		out = append(out, pair{as[i], nil})
	}
	for j, b := range bs {
		if mb[j] != 0 {
			out = append(out, pair{as[mb[j]-1], b})
		} else {
			out = append(out, pair{nil, b})
		}
		for _, i := range after[j] {
			out = append(out, pair{as[i], nil})
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
