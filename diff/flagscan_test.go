package diff

import (
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

var penaltyRef = regexp.MustCompile(`\$\s?\d+(?:,\d{3})*(?:\.\d+)?`)

var periodRef = regexp.MustCompile(periodPattern)

// periodsRef and amountsRef are periods and amounts as regular expressions.
func periodsRef(s string) []quantity {
	var out []quantity
	for _, m := range periodRef.FindAllStringSubmatch(fold(s), -1) {
		out = append(out, period(m[0], m[1], m[2]))
	}
	return out
}

func amountsRef(s string) []quantity {
	var out []quantity
	for _, m := range penaltyRef.FindAllString(s, -1) {
		out = append(out, quantity{key: strings.NewReplacer(",", "", " ", "").Replace(m), unit: "$", text: m})
	}
	return out
}

var scanPieces = []string{
	"30", "7", "0", "one", "Two", "SIX", "sixty", "six", "seventeen", "forty-five", "twenty-five", "fifteen", "ninety",
	"business", "Clear", "calendar", "sitting", "consecutive", "businesses", "day", "days", "Days", "dayss", "hour",
	"hours", "week", "weeks", "month", "Months", "year", "years", "yearly", "_", "-", ",", ".", ";", "$", "$ ", "1,000",
	"1,00", "2.5", "2.", ",000", "000", " ", " ", "  ", "\t", "\n", "é", "“", "’", "x", "within", "ſ", "\u212a", "s",
}

// TestPeriodAndAmountScansSameAsRegexp holds the scans to the regular expressions they
// replace, on real provision text and on random strings of the awkward pieces.
func TestPeriodAndAmountScansSameAsRegexp(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"Within 30 days after the day on which the order is made, and within ten business days, or Sixty Days.",
		"a fine of not more than $100,000 or $ 2.50 or $1,000,000.75 and $, $x, $1,00 and $ 5",
		"forty-five days; twenty-five days; seventeen days; 5 hours, 3 sitting days, 2 clear weeks, 1 yearly",
	}
	rng := rand.New(rand.NewSource(1))
	for range 5000 {
		var sb strings.Builder
		for range 1 + rng.Intn(12) {
			sb.WriteString(scanPieces[rng.Intn(len(scanPieces))])
			if rng.Intn(2) == 0 {
				sb.WriteByte(' ')
			}
		}
		inputs = append(inputs, sb.String())
	}
	for _, in := range inputs {
		if got, want := periods(in), periodsRef(in); !slices.Equal(got, want) {
			t.Fatalf("periods(%q) = %v, want %v", in, got, want)
		}
		if got, want := amounts(in), amountsRef(in); !slices.Equal(got, want) {
			t.Fatalf("amounts(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzPeriodAndAmountScans(f *testing.F) {
	for _, p := range scanPieces {
		f.Add(p + " days")
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := periods(s), periodsRef(s); !slices.Equal(got, want) {
			t.Fatalf("periods(%q) = %v, want %v", s, got, want)
		}
		if got, want := amounts(s), amountsRef(s); !slices.Equal(got, want) {
			t.Fatalf("amounts(%q) = %v, want %v", s, got, want)
		}
	})
}

// countRef is how often term occurs in text as the flags used to count it: " term " in the
// text's words lower-cased and joined by single spaces, with a space at each end.
func countRef(text, term string) int {
	var sb strings.Builder
	sb.WriteByte(' ')
	for _, w := range strings.FieldsFunc(strings.ToLower(fold(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		sb.WriteString(w + " ")
	}
	return strings.Count(sb.String(), " "+term+" ")
}

// TestTallySameAsCount holds tallyOf to countRef for every term, on random strings of term
// words (repeated, overlapping, cut short), other words, case and punctuation.
func TestTallySameAsCount(t *testing.T) {
	t.Parallel()
	var pieces []string
	for _, ts := range [][]string{overrideTerms, oversightTerms, sunsetTerms, offenceTerms, believeTerms, suspectTerms} {
		for _, term := range ts {
			pieces = append(pieces, term, strings.ToUpper(term[:1])+term[1:], strings.Fields(term)[0])
		}
	}
	pieces = append(pieces, "may", "May", "shall", "must", "mayor", "the", "act", "-", ",", ".", "’", "—", "é", "\n",
		"re-view", "review-", "grounds to", "to believe", "any other", "\xff", "ǅ", "Ⅸ")
	inputs := []string{"", " ", "review review review", "may, may; MAY", "despite any other Act of Parliament despite any other act"}
	rng := rand.New(rand.NewSource(2))
	for range 5000 {
		var sb strings.Builder
		for range 1 + rng.Intn(10) {
			sb.WriteString(pieces[rng.Intn(len(pieces))])
			sb.WriteString([]string{" ", "  ", ", ", "", "\t"}[rng.Intn(5)])
		}
		inputs = append(inputs, sb.String())
	}
	x := flagTerms()
	for _, in := range inputs {
		got := tallyOf(in)
		for term := range x.id {
			if g, w := got.of(term), countRef(in, term); g != w {
				t.Fatalf("tallyOf(%q).of(%q) = %d, want %d", in, term, g, w)
			}
		}
	}
}

// TestHasFoldableSameAsContainsAny holds hasFoldable to the strings.ContainsAny it replaces,
// on random strings of the marks, their neighbours and broken UTF-8.
func TestHasFoldableSameAsContainsAny(t *testing.T) {
	t.Parallel()
	pieces := []string{"‘", "’", "‚", "‛", "“", "”", "„", "‟", "′", "″", "‗", "†", "‴", "—", "é", "a", " ",
		"\xe2", "\xe2\x80", "\x80\x98", "\xf0", "\xe2\x81\x98", "\xe2\x80\xb4"}
	rng := rand.New(rand.NewSource(3))
	for range 20000 {
		var sb strings.Builder
		for range rng.Intn(6) {
			sb.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := sb.String()
		if got, want := hasFoldable(s), strings.ContainsAny(s, "‘’‚‛“”„‟′″"); got != want {
			t.Fatalf("hasFoldable(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestTermGroupsNumbered: each group's term numbers (tally.sum) are its terms', in order.
func TestTermGroupsNumbered(t *testing.T) {
	t.Parallel()
	x := flagTerms()
	for _, g := range []struct {
		terms []string
		ids   []int32
	}{{overrideTerms, x.override}, {oversightTerms, x.oversight}, {sunsetTerms, x.sunset},
		{offenceTerms, x.offence}, {believeTerms, x.believe}, {suspectTerms, x.suspect}} {
		if len(g.ids) != len(g.terms) {
			t.Fatalf("%q: %d numbers", g.terms, len(g.ids))
		}
		for i, term := range g.terms {
			if int(g.ids[i]) != x.id[term] || !slices.Equal(x.words[g.ids[i]], strings.Split(term, " ")) {
				t.Errorf("%q is numbered %d, the index says %d", term, g.ids[i], x.id[term])
			}
		}
	}
}
