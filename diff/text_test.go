package diff

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// tokenizeReference is tokenize as it was first written, over the text's runes, for
// TestTokenizeAsReference and FuzzTokenize to hold the one-pass version to.
func tokenizeReference(s string) []string {
	var toks []string
	start := -1
	runes := []rune(s)
	pos := make([]int, 0, len(runes)+1)
	for i := range s {
		pos = append(pos, i)
	}
	pos = append(pos, len(s))
	for i, r := range runes {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if !word && start >= 0 && (r == '\'' || r == '’' || r == '-') && i+1 < len(runes) &&
			(unicode.IsLetter(runes[i+1]) || unicode.IsDigit(runes[i+1])) {
			word = true
		}
		if !word && start >= 0 && (r == ',' || r == '.') && i > 0 && unicode.IsDigit(runes[i-1]) &&
			i+1 < len(runes) && unicode.IsDigit(runes[i+1]) {
			word = true
		}
		if word {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = append(toks, s[pos[start]:pos[i]])
			start = -1
		}
		toks = append(toks, s[pos[i]:pos[i+1]])
	}
	if start >= 0 {
		toks = append(toks, s[pos[start]:])
	}
	return toks
}

var tokenizeSeeds = []string{
	"", " ", "a", "don't stop", "third-party", "'quoted'", "-5", "a-", "a'", "1,000,000 and 2.5",
	"1,a", "a,1", "1.", ",1", "s. 12(1)(a)", "l’article", "l’", "’a", "café naïve", "é", "e\u0301",
	"x\u0301y", "\u0301", "Ⅻ and ½", "٣,٤", "2\u00a0000", "a\xffb", "\xff", "1,\xff", "a-\xff",
	"“Minister” means", "section 4 — or", "a—b", "A\u2019s", "(3.1)", "1..2", "1,,2", "a''b",
}

func TestTokenizeAsReference(t *testing.T) {
	t.Parallel()
	for _, s := range tokenizeSeeds {
		got, want := tokenize(s), tokenizeReference(s)
		if !slices.Equal(got, want) {
			t.Errorf("tokenize(%q) = %q, want %q", s, got, want)
		}
		if strings.Join(got, "") != s {
			t.Errorf("tokenize(%q) does not join back to the text", s)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range tokenizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tokenize(s), tokenizeReference(s); !slices.Equal(got, want) {
			t.Errorf("tokenize(%q) = %q, want %q", s, got, want)
		}
	})
}

// foldReference is fold as it was: strings.Map over every character, where there is a mark.
func foldReference(s string) string {
	if !hasFoldable(s) {
		return s
	}
	return strings.Map(foldRune, s)
}

var foldSeeds = []string{
	"", "plain", "“quoted” and ‘single’ ‚low‛ „double low‟ 5′ 6″", "\xe2\x80", "x\xe2\x80\x98",
	"\xe2\x80\x98\xff", "— – … ‹›", "\xe2\x82\xac € after ’", "’\xe2", "\xe2\xe2\x80\x9c",
	"l’article 2 de la « Loi »", "\xe2\x80\xa6\xe2\x80\x99",
}

// TestFoldAsReference holds fold, which copies the text between the marks, to mapping every
// character.
func TestFoldAsReference(t *testing.T) {
	t.Parallel()
	for _, s := range foldSeeds {
		if got, want := fold(s), foldReference(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range foldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), foldReference(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	})
}
