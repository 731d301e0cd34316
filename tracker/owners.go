package tracker

import (
	"strings"

	"github.com/billwatch/billwatch/internal/text"
)

// OwnerIs reports whether a record's owner (free text) names a person: the same name but for
// case and accents ("Léa" is lea), so that an account's name finds the files its holder owns.
func OwnerIs(owner, name string) bool {
	return owner != "" && strings.TrimSpace(name) != "" && text.Fold(owner) == text.Fold(name)
}

// OwnedBy lists the records whose owner is name (OwnerIs), in subject order.
func (s *Store) OwnedBy(name string) ([]Record, error) {
	recs, err := s.Records()
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range recs {
		if OwnerIs(r.Owner, name) {
			out = append(out, r)
		}
	}
	return out, nil
}

// SubjectLabel is a record's subject as people write it: "45-1 C-8" for a bill, "Gazette I
// 2026-06-20-reg2" for a regulation.
func SubjectLabel(subject string) string {
	if rest, ok := strings.CutPrefix(subject, "bill "); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(subject, "regulation "); ok {
		return "Gazette " + rest
	}
	return subject
}
