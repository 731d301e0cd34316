package law

import (
	"fmt"
	"strings"

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
