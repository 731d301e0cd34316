package diff

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalize turns source text into the form every comparison sees: NFKC (ligatures such as
// ﬁ and ﬀ, en, thin and no-break spaces), soft hyphens and zero-width characters dropped,
// every run of white space (CR, LF, tabs, odd spaces) folded to one space, ends trimmed.
// Curly quotes are kept for display; fold straightens them for comparison only.
func normalize(s string) string {
	if isPlain(s) {
		return s
	}
	s = norm.NFKC.String(s)
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// isPlain reports whether s is already normal: printable ASCII with single inner spaces
// and no space at either end. Most law text is, and skipping NFKC for it saves most of
// the parse time on large bills.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return true
}

// fold maps normalised text to its comparison key: curly quotes and apostrophes become
// straight ones, so a copy passed through a quote-straightening tool compares equal.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || !strings.ContainsAny(s, "‘’‚‛“”„‟′″") {
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
