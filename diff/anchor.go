package diff

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// anchorOf makes an HTML id out of a provision's label path: "p-" then the label lower-cased,
// with letters and digits kept, a dot kept between digits (s. 2.1 is not s. 2(1)) and every
// other run of characters one hyphen: "12(1)(a)" → "p-12-1-a", "2.1" → "p-2.1",
// "SCHEDULE 1" → "p-schedule-1".
func anchorOf(label string) string {
	var sb strings.Builder
	sb.WriteString("p-")
	start := sb.Len()
	dash := false
	rs := []rune(strings.ToLower(label))
	for i, r := range rs {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
			dash = false
		case r == '.' && i > 0 && i+1 < len(rs) && isDigitRune(rs[i-1]) && isDigitRune(rs[i+1]):
			sb.WriteRune(r)
			dash = false
		case !dash && sb.Len() > start:
			sb.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(sb.String(), "-")
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// SetAnchors gives every change of the result, nested ones included, its Anchor: the id of
// its element on a web diff page, derived from its label path (the former label for a
// removed provision), with "-2", "-3"... on a repeat within the result. It is deterministic
// and may be called again.
func (r *Result) SetAnchors() {
	used := map[string]int{}
	var walk func(cs []Change)
	walk = func(cs []Change) {
		for i := range cs {
			c := &cs[i]
			label := c.Label
			if label == "" {
				label = c.FromLabel
			}
			a := anchorOf(label)
			used[a]++
			if n := used[a]; n > 1 {
				a += "-" + strconv.Itoa(n)
			}
			c.Anchor = a
			walk(c.Children)
		}
	}
	walk(r.Provisions)
}

// FlagWeight ranks a flag code by how much it may shift power or safeguards: 0 is the
// weightiest (a duty becoming a discretion), larger numbers weigh less (a new time limit).
// Shifts of power and safeguards come first in either direction (a discretion becoming a
// duty, a threshold lowered, oversight removed), new wording such as a new time limit last.
func FlagWeight(code string) int {
	for i, c := range []string{
		FlagDutyRemoved, FlagDutyAdded, FlagThresholdLowered, FlagThresholdRaised, FlagOverrideAdded,
		FlagOversightRemoved, FlagSunsetRemoved, FlagOffenceAdded, FlagPenaltyChanged, FlagPeriodChanged,
		FlagPeriodRemoved, FlagOverrideRemoved, FlagSunsetAdded, FlagOversightAdded, FlagOffenceRemoved,
		FlagPeriodAdded,
	} {
		if c == code {
			return i
		}
	}
	return 99
}

// Highlight is one flag with the provision it is in and the words that changed there.
type Highlight struct {
	Flag
	Anchor string   // the provision's anchor on the web diff page
	Cite   string   // the provision as a citation: "s. 2(1)"
	Words  []string // the changed words: "“shall” → “may”", "added “despite any other Act”"
}

// Highlights lists every flag of the result, weightiest first (document order among equal
// weights), each with its provision's anchor and up to three of the changes of wording in
// that provision. It sets the anchors.
func (r *Result) Highlights() []Highlight {
	r.SetAnchors()
	var out []Highlight
	var walk func(cs []Change)
	walk = func(cs []Change) {
		for _, c := range cs {
			for _, f := range c.Flags {
				out = append(out, Highlight{Flag: f, Anchor: c.Anchor, Cite: citeLabel(c), Words: changedWords(c.Ops, 3)})
			}
			walk(c.Children)
		}
	}
	walk(r.Provisions)
	sort.SliceStable(out, func(i, j int) bool { return FlagWeight(out[i].Code) < FlagWeight(out[j].Code) })
	return out
}

// changedWords describes up to max changes of a word diff in a few words each.
func changedWords(ops []Op, max int) []string {
	var out []string
	for i := 0; i < len(ops) && len(out) < max; i++ {
		o := ops[i]
		switch o.Op {
		case OpDelete:
			if i+1 < len(ops) && ops[i+1].Op == OpInsert {
				out = append(out, quoteWords(o.Text)+" → "+quoteWords(ops[i+1].Text))
				i++
			} else {
				out = append(out, "removed "+quoteWords(o.Text))
			}
		case OpInsert:
			out = append(out, "added "+quoteWords(o.Text))
		}
	}
	return out
}

// quoteWords quotes a run of words, cut to about 80 characters.
func quoteWords(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 80 {
		rs := []rune(s)
		cut := string(rs[:80])
		if i := strings.LastIndexByte(cut, ' '); i > 40 {
			cut = cut[:i]
		}
		s = cut + " …"
	}
	return "“" + s + "”"
}
