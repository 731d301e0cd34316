package diff

import (
	"errors"
	"strings"

	"github.com/billwatch/billwatch/internal/xmltree"
)

// Often two versions of a bill differ only in their Identification: the royal assent reprint
// adds a chapter number to the text passed at third reading, and a bill passed by the other
// House unamended gets a new stage and date. Their provisions are then the same, and so is
// what a comparison finds: every top-level provision unchanged. compareSameText finds that
// without making a provision: it checks the first version as fully as a comparison reads
// it, keeping a tree of its top levels only, reads the two Identifications, and counts the
// provisions.

// compareSameText compares two versions of a bill that differ at most inside their
// Identification elements. ok is false when they differ elsewhere, or when anything is amiss
// (an error, another charset, not a bill): the full comparison then does the work, and says
// what is wrong.
func compareSameText(a, b string) (r *Result, ok bool) {
	a, b = strings.TrimPrefix(a, bom), strings.TrimPrefix(b, bom)
	prefix := commonPrefix(a, b)
	// A first look, by the text alone, saves reading a version that differs elsewhere.
	start, end := strings.Index(a, "<Identification"), strings.Index(a, "</Identification>")
	if start < 0 || end < 0 || prefix < start || !sameTail(a, b, start, end+len("</Identification>")) {
		return nil, false
	}
	root, text, err := xmltree.Read(a, xmltree.Options{MaxDepth: maxDepth, Skim: skimForCount})
	if err != nil || text != a {
		return nil, false
	}
	id := root.Child("Identification")
	if id == nil || prefix < id.Start || !sameTail(a, b, id.Start, id.End) {
		return nil, false
	}
	n, err := countTop(root)
	if err != nil {
		return nil, false
	}
	// The second version is the first with another Identification in the same place: well
	// formed if that is one element, no deeper than the first's could be. Each is read whole.
	var from, to Document
	for _, v := range []struct {
		d   *Document
		raw string
	}{{&from, a[id.Start:id.End]}, {&to, b[id.Start : len(b)-(len(a)-id.End)]}} {
		idn, text, err := xmltree.Read(v.raw, xmltree.Options{MaxDepth: maxDepth - 1})
		if err != nil || text != v.raw || idn.Name != "Identification" || idn.Start != 0 || idn.End != len(v.raw) {
			return nil, false
		}
		identify(v.d, idn)
	}
	r = &Result{From: from.Version, To: to.Version, Bill: to.Bill, Summary: Summary{Unchanged: n},
		Provisions: []Change{}, Flags: []Flag{}}
	if r.Bill == "" {
		r.Bill = from.Bill
	}
	return r, true
}

// skimForCount leaves out of the tree what counting a bill's provisions does not look into:
// the provisions and headings, and what carries no law text.
func skimForCount(name string, _ int) bool {
	switch name {
	case "Section", "Schedule", "Heading", "Preamble":
		return true
	}
	return skipped(name)
}

// countTop counts the top-level provisions document would make of a bill's tree, or says why
// it would make none.
func countTop(root *node) (int, error) {
	if root.Name != "Bill" {
		return 0, ErrNotBill
	}
	n, body := 0, false
	for _, k := range root.Kids {
		switch k.Name {
		case "Introduction":
			if k.Child("Preamble") != nil {
				n++
			}
		case "Body":
			body = true
			eachInBody(k, func(k *node) {
				if k.Name != "Heading" {
					n++
				}
			})
		case "Schedule":
			n++
		}
	}
	if !body || n == 0 {
		return 0, errors.New("no provisions")
	}
	return n, nil
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+256 <= n && a[i:i+256] == b[i:i+256] {
		i += 256
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// sameTail says whether b ends with a[end:], after at least start bytes.
func sameTail(a, b string, start, end int) bool {
	tail := len(a) - end
	return len(b)-tail >= start && a[end:] == b[len(b)-tail:]
}
