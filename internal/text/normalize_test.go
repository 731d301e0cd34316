package text

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizeReference is Normalize as first written: NFKC, then one rune at a time. The fast
// paths of Normalize must give exactly what it gives.
func normalizeReference(s string) string {
	s = norm.NFKC.String(s)
	var sb strings.Builder
	space := false
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = true
			continue
		case unicode.IsControl(r) || bidiControl(r):
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

var normalizeSeeds = []string{
	"", " ", "a", " a", "a ", "a  b", "a\tb", "a\nb", "a\x00b", "\x7f", "plain text",
	"“quoted” — text", " “lead", "trail” ", "a \u00a0b", "a\u00a0", "\u00a0a", "ﬁ", "x\u2060y",
	"x \u200b y", "\xff", "a\xffb", "é", "e\u0301", "\u0085", "a\u0085b", "\u202eevil", "\ufffd",
	"\u2003em\u2009thin", "(a)\u00a0the", "a\r\n\r\nb", "\x1b[31mred", "1\u00bd", "Ⅻ",
}

// isPlainReference is isPlain a byte at a time.
func isPlainReference(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// checkNormalize holds Normalize to normalizeReference, and isPlain to isPlainReference on
// each tail of s, so that every byte is met at every offset in a word of eight.
func checkNormalize(t *testing.T, s string) {
	if got, want := Normalize(s), normalizeReference(s); got != want {
		t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
	}
	for i := range min(len(s), 8) {
		if got, want := isPlain(s[i:]), isPlainReference(s[i:]); got != want {
			t.Errorf("isPlain(%q) = %v, want %v", s[i:], got, want)
		}
	}
}

var plainSeeds = []string{
	"the Minister may", "the Minister  may", "the Ministe  r may", "the Minist\x7fr may", "the Minister\tmay",
	"the Minister may by order require", "abcdefg abcdefg abcdefg ", "abcdefg  bcdefgh", "abcdefgh ijklmnop",
	"\x1fabcdefghijklmnop", "abcdefghijklmno~", "abcdefghijklmnopé", "~!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}",
}

func TestNormalizeMatchesReference(t *testing.T) {
	t.Parallel()
	for _, s := range append(normalizeSeeds, plainSeeds...) {
		checkNormalize(t, s)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range append(normalizeSeeds, plainSeeds...) {
		f.Add(s)
	}
	f.Fuzz(checkNormalize)
}
