package law

import (
	"errors"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// IndexEntry is one consolidated Act in an index of Acts.
type IndexEntry struct {
	Code           string `json:"code"`    // "T-3.4"
	Title          string `json:"title"`   // short title, else long title
	Chapter        string `json:"chapter"` // "1993, c. 38", "R.S.C. 1985, c. C-23"
	ConsolidatedTo string `json:"consolidated_to,omitempty"`
	Link           string `json:"link,omitempty"` // the XML's path on the site, when the index gives it
}

// Index resolves the Acts bills name to consolidated Act codes, by title and by chapter.
// Pins (the config's [acts]: title → code) come first.
type Index struct {
	pins      map[string]string
	byTitle   map[string][]string
	byChapter map[string][]string
	entries   map[string]IndexEntry
}

// NewIndex builds an index from entries and pins (title → code).
func NewIndex(entries []IndexEntry, pins map[string]string) *Index {
	ix := &Index{pins: map[string]string{}, byTitle: map[string][]string{}, byChapter: map[string][]string{}, entries: map[string]IndexEntry{}}
	for t, c := range pins {
		ix.pins[TitleKey(t)] = c
	}
	for _, e := range entries {
		if e.Code == "" {
			continue
		}
		ix.entries[e.Code] = e
		if k := TitleKey(e.Title); k != "" {
			ix.byTitle[k] = appendNew(ix.byTitle[k], e.Code)
		}
		if k := ChapterKey(e.Chapter); k != "" {
			ix.byChapter[k] = appendNew(ix.byChapter[k], e.Code)
		}
	}
	return ix
}

// Entry returns the index entry of a code.
func (ix *Index) Entry(code string) (IndexEntry, bool) {
	e, ok := ix.entries[code]
	return e, ok
}

// Len is the number of Acts indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// Resolve finds the code of the Act a bill names. It never guesses: a title and a chapter
// that name different Acts, or a title shared by two Acts, is an error.
func (ix *Index) Resolve(r ActRef) (string, error) {
	if c, ok := ix.pins[TitleKey(r.Title)]; ok && r.Title != "" {
		return c, nil
	}
	byT := ix.byTitle[TitleKey(r.Title)]
	byC := ix.byChapter[ChapterKey(r.Chapter)]
	switch {
	case len(byT) > 1 && len(byC) != 1:
		return "", fmt.Errorf("%d Acts are titled %q: pin one in [acts]", len(byT), r.Title)
	case len(byT) == 1 && len(byC) == 1 && byT[0] != byC[0]:
		return "", fmt.Errorf("the title %q is %s but the chapter %q is %s: pin one in [acts]", r.Title, byT[0], r.Chapter, byC[0])
	case len(byT) == 1:
		return byT[0], nil
	case len(byC) == 1 && r.Title != "" && ix.entries[byC[0]].Title != "" && TitleKey(ix.entries[byC[0]].Title) != TitleKey(r.Title):
		// The chapter alone does not name an Act the bill calls by another title: a
		// misprinted chapter, or one shared by several Acts, would amend the wrong one.
		return "", fmt.Errorf("the bill names the %s, but the chapter %q is the %s (%s): pin one in [acts]", r.Title, r.Chapter, ix.entries[byC[0]].Title, byC[0])
	case len(byC) == 1:
		return byC[0], nil
	case len(byC) > 1 && len(byT) == 0:
		return "", fmt.Errorf("%d Acts have the chapter %q: pin one in [acts]", len(byC), r.Chapter)
	}
	return "", fmt.Errorf("%q: %w", r.String(), ErrNotIndexed)
}

// ErrNotIndexed is Resolve's answer for an Act the index does not hold.
var ErrNotIndexed = errors.New("not in the index of Acts")

// TitleKey is the comparison form of an Act's title: lower case, quotes straightened,
// spaces folded.
func TitleKey(t string) string {
	t = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "\u00a0", " ").Replace(t)
	return strings.Join(strings.Fields(strings.ToLower(t)), " ")
}

var (
	rsRE      = lazyre.New(`^r\.?\s?s\.?(?:\s?c\.?)?,?\s*(?:1985,?)?\s*`)
	scRE      = lazyre.New(`^s\.?\s?c\.?\s+`)
	chapterRE = lazyre.New(`[.,]`)
)

// ChapterKey is the comparison form of a chapter citation: "R.S., c. C-5" and
// "R.S.C. 1985, c. C-5" are both "rs c c-5"; "S.C. 1993, c. 38" and "1993, c. 38" are
// "1993 c 38".
func ChapterKey(c string) string {
	c = strings.ToLower(strings.TrimSpace(c))
	if c == "" {
		return ""
	}
	rs := false
	if m := rsRE.FindString(c); m != "" && strings.Contains(c, "c.") && !strings.HasPrefix(c, "s.") {
		rs = true
		c = c[len(m):]
	}
	c = scRE.ReplaceAllString(c, "")
	c = chapterRE.ReplaceAllString(c, " ")
	c = strings.Join(strings.Fields(c), " ")
	if rs {
		c = "rs " + c
	}
	return c
}
