package text

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold is a name as people match it: its normal form, without accents, in lower case, spaces
// trimmed ("Léa " and "lea" fold alike).
func Fold(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(Normalize(strings.TrimSpace(s))) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		sb.WriteRune(unicode.ToLower(r))
	}
	return sb.String()
}
