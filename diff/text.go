package diff

import (
	"strings"
	"unicode"

	"github.com/billwatch/billwatch/internal/text"
)

// normalize turns source text into the form every comparison sees: text.Normalize, the
// normalisation the scrapers use too (NFKC, invisible and control characters dropped, white
// space folded). Curly quotes are kept for display; fold straightens them for comparison only.
func normalize(s string) string { return text.Normalize(s) }

// fold maps normalised text to its comparison key: curly quotes and apostrophes become
// straight ones, so a copy passed through a quote-straightening tool compares equal.
func fold(s string) string {
	if !hasFoldable(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '‘', '’', '‚', '‛', '′':
			return '\''
		case '“', '”', '„', '‟', '″':
			return '"'
		}
		return r
	}, s)
}

// hasFoldable says whether s holds a mark that fold replaces, as strings.ContainsAny would,
// but faster: each is U+2018 to U+201F, U+2032 or U+2033, which UTF-8 writes as E2 80 98 to
// E2 80 9F, E2 80 B2 and E2 80 B3, and E2 only ever starts a character.
func hasFoldable(s string) bool {
	for {
		i := strings.IndexByte(s, 0xe2)
		if i < 0 || i+2 >= len(s) {
			return false
		}
		if c := s[i+2]; s[i+1] == 0x80 && (0x98 <= c && c <= 0x9f || c == 0xb2 || c == 0xb3) {
			return true
		}
		s = s[i+1:]
	}
}

// tokenize splits normalised text into words (runs of letters and digits, with inner
// apostrophes and hyphens kept inside the word), single spaces and single punctuation marks.
// Concatenating the tokens gives the text back exactly.
func tokenize(s string) []string {
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
			word = true // don't, third-party
		}
		if !word && start >= 0 && (r == ',' || r == '.') && i > 0 && unicode.IsDigit(runes[i-1]) &&
			i+1 < len(runes) && unicode.IsDigit(runes[i+1]) {
			word = true // 1,000,000 and 2.5 are one word
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
