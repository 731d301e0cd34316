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

func TestNormalizeMatchesReference(t *testing.T) {
	t.Parallel()
	for _, s := range normalizeSeeds {
		if got, want := Normalize(s), normalizeReference(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalizeReference(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}
