package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	if !utf8.ValidString(s) {
		return strings.Map(foldRune, s) // which also writes U+FFFD for each invalid byte
	}
	// Each mark is three bytes, E2 80 xx (hasFoldable), and E2 only ever starts a character:
	// copy the runs between the marks, rather than mapping every character.
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, 0xe2)
		if i < 0 || i+2 >= len(s) {
			break
		}
		if r := foldMark(s[i+1], s[i+2]); r != 0 {
			b.WriteString(s[:i])
			b.WriteByte(r)
			s = s[i+3:]
			continue
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
	}
	b.WriteString(s)
	return b.String()
}

// foldRune is what fold makes of a character.
func foldRune(r rune) rune {
	switch r {
	case '‘', '’', '‚', '‛', '′':
		return '\''
	case '“', '”', '„', '‟', '″':
		return '"'
	}
	return r
}

// foldMark is the straight mark fold puts for the character E2 b1 b2, or 0 for none.
func foldMark(b1, b2 byte) byte {
	if b1 != 0x80 {
		return 0
	}
	switch b2 {
	case 0x98, 0x99, 0x9a, 0x9b, 0xb2: // ‘ ’ ‚ ‛ ′
		return '\''
	case 0x9c, 0x9d, 0x9e, 0x9f, 0xb3: // “ ” „ ‟ ″
		return '"'
	}
	return 0
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
// Concatenating the tokens gives the text back exactly. It reads the text a character at a
// time, looking at most one character back and one ahead.
func tokenize(s string) []string {
	var toks []string
	start := -1     // where the word being read began, or -1
	prev := rune(0) // the character before i
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		next := i + size
		word := wordRune(r)
		if !word && start >= 0 && next < len(s) {
			switch r {
			case '\'', '’', '-':
				after, _ := decodeRune(s, next)
				word = unicode.IsLetter(after) || unicode.IsDigit(after) // don't, third-party
			case ',', '.':
				after, _ := decodeRune(s, next)
				word = unicode.IsDigit(prev) && unicode.IsDigit(after) // 1,000,000 and 2.5 are one word
			}
		}
		switch {
		case word && start < 0:
			start = i
		case !word:
			if start >= 0 {
				toks = append(toks, s[start:i])
				start = -1
			}
			toks = append(toks, s[i:next])
		}
		prev, i = r, next
	}
	if start >= 0 {
		toks = append(toks, s[start:])
	}
	return toks
}

// decodeRune is the character at i of s and its size, an invalid byte as U+FFFD of size 1.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// wordRune says whether r belongs in a word: a letter, a digit or a non-spacing mark.
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
