package law

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// Watch is a provision the coalition follows: "Canadian Security Intelligence Service Act
// s. 21", "C-23 s. 12.1(2)".
type Watch struct {
	Raw  string
	Act  string // a title, or a code when Code is set
	Code bool   // Act is a consolidated code ("C-23")
	Path string // "21", "12.1(2)"
}

var (
	watchRE     = lazyre.New(`^(.+?)\s*,?\s+(?:s\.|ss\.|section|art\.)\s*(\d+(?:\.\d+)*[A-Z]?(?:\([^()\s]+\))*)$`)
	watchCodeRE = lazyre.New(`^[A-Z]{1,2}-\d+(?:\.\d+)*[A-Z]?$`)
)

// ParseWatch reads a provision watch: an Act's title or code, then "s." and the provision.
func ParseWatch(s string) (Watch, error) {
	m := watchRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Watch{}, fmt.Errorf("%q: want an Act's title or code, then s. and a provision (e.g. \"C-23 s. 12.1\")", s)
	}
	w := Watch{Raw: s, Act: strings.TrimSpace(m[1]), Path: m[2]}
	w.Code = watchCodeRE.MatchString(w.Act)
	return w, nil
}

// Touching lists the effects of res on the watched provision: an effect whose target is
// the provision, lies inside it, or contains it. An effect counts whether or not it could
// be applied: the bill's text touches the provision either way. ix (may be nil) resolves a
// watched title to a code.
func (w Watch) Touching(res *Result, ix *Index) []Effect {
	var out []Effect
	for _, a := range res.Acts {
		if !w.sameAct(a, ix) {
			continue
		}
		for _, e := range a.Effects {
			if e.Target == "" || strings.HasPrefix(e.Part, "heading") {
				continue
			}
			for _, t := range strings.Split(e.Target, ", ") {
				if from, to, ok := strings.Cut(t, " to "); ok {
					// "72.05 to 72.1": every provision of the range, its end included.
					if inRange(w.Path, from, to, a.Act) {
						out = append(out, e)
						break
					}
					continue
				}
				t, _, _ = strings.Cut(t, " ") // `2(1) "term"` → 2(1)
				if t == w.Path || strings.HasPrefix(t, w.Path+"(") || strings.HasPrefix(w.Path, t+"(") {
					out = append(out, e)
					break
				}
			}
		}
	}
	return out
}

func (w Watch) sameAct(a ActResult, ix *Index) bool {
	if w.Code {
		return strings.EqualFold(a.Code, w.Act)
	}
	if TitleKey(a.Title) == TitleKey(w.Act) {
		return true
	}
	if ix != nil && a.Code != "" {
		if c, err := ix.Resolve(ActRef{Title: w.Act}); err == nil && c == a.Code {
			return true
		}
	}
	return false
}

// splitPath splits a cite into its labels: "71(4)(a)" is 71, (4), (a).
func splitPath(p string) []string {
	var out []string
	head, rest, _ := strings.Cut(p, "(")
	if head != "" {
		out = append(out, head)
	}
	if rest == "" && !strings.Contains(p, "(") {
		return out
	}
	rest = "(" + rest
	for _, part := range strings.SplitAfter(rest, ")") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// inRange reports whether the watched provision w is in the range from…to (both ends
// included), lies inside a provision of the range, or contains the range. The order is
// the Act's when act (may be nil) holds the range's provisions, else the order of the
// labels: sections and subsections by number (72.05 < 72.1 < 72.11), paragraphs by
// letter, subparagraphs by roman numeral.
func inRange(w, from, to string, act *Act) bool {
	wp, fp, tp := splitPath(w), splitPath(from), splitPath(to)
	n := len(fp)
	if n == 0 || len(tp) != n || pathString(fp[:n-1]) != pathString(tp[:n-1]) || len(wp) == 0 {
		return false
	}
	if len(wp) < n {
		return pathString(wp) == pathString(fp[:len(wp)]) // the watch holds the range
	}
	if pathString(wp[:n-1]) != pathString(fp[:n-1]) {
		return false
	}
	x := wp[n-1]
	if act != nil {
		if fi, ti, xi, ok := actOrder(act, fp[:n-1], fp[n-1], tp[n-1], x); ok {
			return fi <= xi && xi <= ti
		}
	}
	return compareLabels(fp[n-1], x, tp[n-1]) <= 0 && compareLabels(x, tp[n-1], fp[n-1]) <= 0
}

// actOrder finds the places of the labels a, b and c among the children of the provision
// parent (the body for a section) in the Act.
func actOrder(act *Act, parent []string, a, b, c string) (ai, bi, ci int, ok bool) {
	list := act.Body
	if len(parent) > 0 {
		ap := &applier{act: act}
		l, err := ap.find(parent)
		if err != nil {
			return 0, 0, 0, false
		}
		list = l.node().Children
	}
	index := func(label string) int {
		for i, n := range list {
			if n.Kind != KindHeading && n.Kind != KindDefinition && sameLabel(n.Label, label) {
				return i
			}
		}
		return -1
	}
	ai, bi, ci = index(a), index(b), index(c)
	return ai, bi, ci, ai >= 0 && bi >= 0 && ci >= 0
}

// compareLabels orders two labels of one level without the Act: -1, 0 or 1. other is
// the range's other end, which tells roman numerals (i to v) from letters (i to k).
func compareLabels(a, b, other string) int {
	a, b, other = strings.Trim(a, "()"), strings.Trim(b, "()"), strings.Trim(other, "()")
	if ra, rb, ro := roman(a), roman(b), roman(other); ra > 0 && rb > 0 && ro > 0 {
		return cmp.Compare(ra, rb)
	}
	ah, arest, _ := strings.Cut(a, ".")
	bh, brest, _ := strings.Cut(b, ".")
	if c := compareHead(ah, bh); c != 0 {
		return c
	}
	// What follows the point is a decimal fraction: 72.05 < 72.1 < 72.11.
	return strings.Compare(arest, brest)
}

// compareHead orders 72 and 100 by number, z and aa by length then letters, numbers first.
func compareHead(a, b string) int {
	an, aerr := strconv.Atoi(strings.TrimRightFunc(a, unicode.IsLetter))
	bn, berr := strconv.Atoi(strings.TrimRightFunc(b, unicode.IsLetter))
	switch {
	case aerr == nil && berr == nil:
		if an != bn {
			return cmp.Compare(an, bn)
		}
		return strings.Compare(a, b) // 12 < 12A
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	case len(a) != len(b):
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// roman is the value of a lower-case roman numeral (i to xxxix), else 0.
func roman(s string) int {
	vals := map[byte]int{'i': 1, 'v': 5, 'x': 10}
	total := 0
	for i := 0; i < len(s); i++ {
		v, ok := vals[s[i]]
		if !ok {
			return 0
		}
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}
