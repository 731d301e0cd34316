package diff

import (
	"hash/maphash"
	"slices"
)

// Most of a bill is the same from one version to the next. When a comparison reads the second
// version, an element whose bytes are exactly those of an element of the first (a section, a
// subsection, the whole body) is not read again: its node tree is the first's, shared, and
// each provision made from such an element in the same place (the same kind, label and
// nesting) is a copy of the first's, sharing its descendants (and so their word pairs, once
// made), with its text and hashes, so that only what changed is read, normalised and hashed. Equal bytes make equal trees: an element's
// tree depends on nothing outside it, and well-formed bytes stay well-formed.

const (
	reuseMin = 256 // the smallest element worth indexing, in bytes
	reuseKey = 64  // the bytes from its '<' that an element is found by
)

// reuseIndex holds the elements and provisions of one version for reading the next.
type reuseIndex struct {
	elems map[uint64][]reusable  // by the hash of their first reuseKey bytes
	made  map[memoKey]*Provision // the provisions made from indexed elements
}

// reusable is one indexed element.
type reusable struct {
	raw    string // its bytes
	n      *node
	height int // levels of elements from it down, itself included
}

// memoKey is what a provision is made of: an element and where it sits.
type memoKey struct {
	n           *node
	kind, label string
	c           nesting
}

// newReuseIndex indexes the elements of a tree read from s.
func newReuseIndex(s string, root *node) *reuseIndex {
	x := &reuseIndex{elems: map[uint64][]reusable{}, made: map[memoKey]*Provision{}}
	x.add(s, root)
	return x
}

// add indexes n, if it is large enough, and the large elements under it; it returns n's
// height.
func (x *reuseIndex) add(s string, n *node) int {
	h := 0
	for _, k := range n.Kids {
		switch {
		case k.Name == "": // text
		case k.End-k.Start >= reuseMin:
			h = max(h, x.add(s, k))
		default:
			h = max(h, height(k))
		}
	}
	h++
	if n.End-n.Start >= reuseMin {
		raw := s[n.Start:n.End]
		key := maphash.String(hashSeed, raw[:reuseKey])
		x.elems[key] = append(x.elems[key], reusable{raw: raw, n: n, height: h})
		n.Mark |= indexed
	}
	return h
}

// height is the number of levels of elements from n down, n included.
func height(n *node) int {
	h := 0
	for _, k := range n.Kids {
		if k.Name != "" {
			h = max(h, height(k))
		}
	}
	return h + 1
}

// take is xmltree's Options.Take: at a start tag at p in s, with depth elements open around
// it, it takes an indexed element of the other version with the same bytes, if there is
// one, and says how many bytes it spans.
func (x *reuseIndex) take(s string, p, depth int) (*node, int) {
	if len(s)-p < reuseMin {
		return nil, 0
	}
	for _, e := range x.elems[maphash.String(hashSeed, s[p:p+reuseKey])] {
		if len(e.raw) <= len(s)-p && s[p:p+len(e.raw)] == e.raw && depth+e.height <= maxDepth {
			markTaken(e.n)
			return e.n, len(e.raw)
		}
	}
	return nil, 0
}

// markTaken marks an indexed element taken, and the indexed elements under it.
func markTaken(n *node) {
	n.Mark |= taken
	for _, k := range n.Kids {
		if k.Mark&indexed != 0 {
			markTaken(k)
		}
	}
}

// made returns a copy of the provision the other version made from n in the same place, or
// nil. The copy's own matching key is made again by finish: it depends on its siblings.
func (p *parser) made(n *node, kind string, c nesting, label string) *Provision {
	if p.prev == nil || n.Mark&indexed == 0 {
		return nil
	}
	pr := p.prev.made[memoKey{n, kind, label, c}]
	if pr == nil {
		return nil
	}
	cp := *pr
	cp.copied = true
	return &cp
}

// remember records a provision made from an indexed element, for the next version.
func (p *parser) remember(n *node, kind string, c nesting, label string, pr *Provision) {
	if p.index != nil && n.Mark&indexed != 0 {
		p.index.made[memoKey{n, kind, label, c}] = pr
	}
}

// The first version of a comparison goes further: a provision whose element the second
// version took whole (a row aside, whose label comes from its text) is left unmade, with only
// its kind and label, and the second version copies it unmade. Such a pair is equal, so where
// the aligner finds it in the same place under the same key, it matches it and goes on
// without reading either; where it compares two provisions, it compares their children in
// order, and an unmade pair among them is equal without being read. Any other unmade
// provision is made before the aligner looks at it, in full, once for the pair: nothing else
// ever sees one, and matching is as if every provision had been made at once.

// lazyMake is what an unmade provision is made from, and, once it is, what it made.
type lazyMake struct {
	n     *node
	kind  string
	c     nesting
	label string
	made  *Provision
}

// makeNow makes an unmade provision, in place; its key, given by its siblings, stays.
func (pr *Provision) makeNow() {
	l := pr.lazy
	if l == nil {
		return
	}
	if l.made == nil {
		m := (&parser{}).newProvision(l.n, l.kind, l.c, l.label)
		finish(m.Children)
		hash(m)
		l.made = m
	}
	key := pr.key
	*pr = *l.made
	pr.key = key
}

// makeUntwinned makes every unmade provision of two lists of siblings but the pairs of an
// unmade provision and its copy under the same key.
func makeUntwinned(as, bs []*Provision) {
	unmade := func(p *Provision) bool { return p.lazy != nil }
	if !slices.ContainsFunc(as, unmade) && !slices.ContainsFunc(bs, unmade) {
		return
	}
	copies := map[*lazyMake]*Provision{} // nil where two share one
	for _, b := range bs {
		if b.lazy != nil {
			if _, two := copies[b.lazy]; two {
				copies[b.lazy] = nil
			} else {
				copies[b.lazy] = b
			}
		}
	}
	twinned := map[*Provision]bool{}
	for _, a := range as {
		if a.lazy == nil {
			continue
		}
		if b := copies[a.lazy]; b != nil && b.key == a.key {
			twinned[b] = true
			continue
		}
		a.makeNow()
	}
	for _, b := range bs {
		if b.lazy != nil && !twinned[b] {
			b.makeNow()
		}
	}
}

// same says whether two provisions are equal in all but their keys: the same label, and
// sameContent.
func same(a, b *Provision) bool { return a.Label == b.Label && sameContent(a, b) }

// sameContent says whether two provisions are equal in all but their own labels and keys:
// kind, note, text and, in order, their children's keys and their children. An unmade
// provision and its copy are equal without being made; any other unmade one is made.
func sameContent(a, b *Provision) bool {
	if a == b || a.lazy != nil && a.lazy == b.lazy {
		return true
	}
	a.makeNow()
	b.makeNow()
	if a.Kind != b.Kind || a.noteKey != b.noteKey || a.textKey != b.textKey || len(a.Children) != len(b.Children) {
		return false
	}
	for i, k := range a.Children {
		if k.key != b.Children[i].key || !same(k, b.Children[i]) {
			return false
		}
	}
	return true
}
