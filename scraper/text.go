package scraper

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Decode turns bytes as served into text. Bytes are read as UTF-8 whatever the headers say;
// a byte that is not valid UTF-8 is read as Windows-1252, which is what the Gazette's stray
// bytes are. A leading byte-order mark is dropped.
func Decode(b []byte) string {
	b = trimBOM(b)
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	dec := charmap.Windows1252
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(dec.DecodeByte(b[0]))
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// DecodeBytes is Decode returning bytes, for parsers that take a reader.
func DecodeBytes(b []byte) []byte {
	b = trimBOM(b)
	if utf8.Valid(b) {
		return b
	}
	return []byte(Decode(b))
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return b[3:]
	}
	return b
}

// Clean normalises scraped text so that the same words compare equal: NFKC (ligatures, odd
// spaces), soft hyphens and zero-width characters dropped, curly apostrophes kept, every run of
// white space (CR, LF, tabs, en, thin and no-break spaces) folded to one space, ends trimmed.
func Clean(s string) string {
	s = norm.NFKC.String(s)
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || unicode.Is(unicode.Zs, r):
			space = true
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
