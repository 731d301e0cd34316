package diff

import (
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxWordDiffTokens bounds the word diff of one provision's own text. Beyond it (a whole
// Act's text in one provision, which real bills do not have), the change is shown as one
// deletion and one insertion rather than risk quadratic time.
const maxWordDiffTokens = 200_000

// wordDiff diffs two normalised texts word by word. Each distinct token (word, space or
// punctuation mark, compared after folding quotes) is mapped to one rune and go-diff runs
// on the runes with no deadline, so the result never depends on machine load; the
// semantic cleanup then merges scattered one-word equalities into readable runs. Equal
// runs show the new text.
func wordDiff(a, b string) []Op {
	ta, tb := tokenize(a), tokenize(b)
	if len(ta)+len(tb) > maxWordDiffTokens {
		return []Op{{OpDelete, a}, {OpInsert, b}}
	}
	ids := map[string]rune{}
	toRunes := func(toks []string) []rune {
		rs := make([]rune, len(toks))
		for i, t := range toks {
			k := fold(t)
			r, ok := ids[k]
			if !ok {
				r = rune(len(ids) + 0x100)
				if r >= 0xD800 {
					r += 0x800 // skip the surrogates
				}
				ids[k] = r
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := toRunes(ta), toRunes(tb)

	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCleanupSemantic(diffs)

	var ops []Op
	emit := func(op, text string) {
		if text == "" {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += text
			return
		}
		ops = append(ops, Op{op, text})
	}
	ia, ib := 0, 0
	take := func(toks []string, at *int, n int) string {
		end := min(*at+n, len(toks))
		s := strings.Join(toks[*at:end], "")
		*at = end
		return s
	}
	// Within a replaced block, deletions come before insertions.
	var del, ins string
	flush := func() {
		emit(OpDelete, del)
		emit(OpInsert, ins)
		del, ins = "", ""
	}
	for _, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			ia += n
			emit(OpEqual, take(tb, &ib, n))
		case diffmatchpatch.DiffDelete:
			del += take(ta, &ia, n)
		case diffmatchpatch.DiffInsert:
			ins += take(tb, &ib, n)
		}
	}
	flush()
	return tidy(ops)
}

// tidy moves white space at the edges of changed runs into the neighbouring equal runs, so
// "~~ old~~" never happens in markdown and the redline reads cleanly.
func tidy(ops []Op) []Op {
	out := make([]Op, 0, len(ops))
	for i := 0; i < len(ops); i++ {
		o := ops[i]
		if o.Op == OpEqual {
			out = append(out, o)
			continue
		}
		// A replaced block: a delete, an insert, or both.
		j := i
		for j+1 < len(ops) && ops[j+1].Op != OpEqual {
			j++
		}
		block := ops[i : j+1]
		lead, trail := commonEdgeSpace(block)
		if lead != "" {
			if n := len(out); n > 0 && out[n-1].Op == OpEqual {
				out[n-1].Text += lead
			} else {
				out = append(out, Op{OpEqual, lead})
			}
		}
		for _, b := range block {
			t := b.Text[len(lead) : len(b.Text)-len(trail)]
			if t != "" {
				out = append(out, Op{b.Op, t})
			}
		}
		if trail != "" {
			if j+1 < len(ops) {
				ops[j+1].Text = trail + ops[j+1].Text
			} else {
				out = append(out, Op{OpEqual, trail})
			}
		}
		i = j
	}
	return out
}

// commonEdgeSpace is the leading and trailing space every text of a block shares.
func commonEdgeSpace(block []Op) (string, string) {
	lead, trail := true, true
	for _, b := range block {
		if len(b.Text) < 2 || b.Text[0] != ' ' {
			lead = false
		}
		if len(b.Text) < 2 || b.Text[len(b.Text)-1] != ' ' {
			trail = false
		}
	}
	l, t := "", ""
	if lead {
		l = " "
	}
	if trail {
		t = " "
	}
	for _, b := range block {
		if len(b.Text) < len(l)+len(t)+1 {
			return "", ""
		}
	}
	return l, t
}
