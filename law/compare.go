package law

import "fmt"

// Comparison words for Effect.Change.
const (
	ChangeChanged = "changed"
	ChangeAdded   = "added"
	ChangeGone    = "gone"
)

// CompareActs says what changed between two consolidations of one Act, section by
// section, in the shape of a bill's effects: a section changed is "replaced", a new one
// "added", one gone (or newly a repeal stub) "repealed", and each says so in Change
// ("changed", "added", "gone"), not as an instruction applied. No bill is involved: Bill
// is empty.
func CompareActs(from, to *Act) *Result {
	res := &Result{Version: from.ConsolidatedTo + " → " + to.ConsolidatedTo}
	res.headline = fmt.Sprintf("%s, consolidated to %s → %s", to.Title, from.ConsolidatedTo, to.ConsolidatedTo)
	ar := ActResult{Code: to.Code, Title: to.Title, Chapter: to.Chapter, ConsolidatedTo: to.ConsolidatedTo, Act: to}
	old := map[string]*Node{}
	var oldOrder []string
	for _, n := range from.Body {
		if n.Kind == KindSection {
			old[n.Label] = n
			oldOrder = append(oldOrder, n.Label)
		}
	}
	seen := map[string]bool{}
	add := func(e Effect) {
		ar.Effects = append(ar.Effects, e)
		res.Summary.Instructions++
		res.Summary.Applied++
	}
	for _, n := range to.Body {
		if n.Kind != KindSection {
			continue
		}
		seen[n.Label] = true
		o, ok := old[n.Label]
		switch {
		case !ok:
			add(Effect{Kind: Added, Change: ChangeAdded, Target: n.Label, Applied: true, After: render([]*Node{n}), Sections: []string{n.Label}})
		case n.Repealed && !o.Repealed:
			add(Effect{Kind: Repealed, Change: ChangeGone, Target: n.Label, Applied: true, Before: render([]*Node{o}), After: render([]*Node{n}), Sections: []string{n.Label}})
		default:
			b, a := render([]*Node{o}), render([]*Node{n})
			if b != a {
				add(Effect{Kind: Replaced, Change: ChangeChanged, Target: n.Label, Applied: true, Before: b, After: a, Sections: []string{n.Label}})
			}
		}
	}
	for _, l := range oldOrder {
		if !seen[l] {
			add(Effect{Kind: Repealed, Change: ChangeGone, Target: l, Applied: true, Before: render([]*Node{old[l]}), Sections: []string{l}, Note: "the section is gone from the consolidation"})
		}
	}
	res.Acts = []ActResult{ar}
	return res
}
