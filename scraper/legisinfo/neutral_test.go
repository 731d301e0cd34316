package legisinfo

import (
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

func TestPhaseOf(t *testing.T) {
	t.Parallel()
	for status, want := range map[string]billwatch.Phase{
		"At consideration in committee in the House of Commons":                     billwatch.PhaseCommittee,
		"At consideration in committee in the Senate":                               billwatch.PhaseCommittee,
		"At report stage in the House of Commons":                                   billwatch.PhaseReport,
		"At third reading in the Senate":                                            billwatch.PhaseThird,
		"At second reading in the House of Commons":                                 billwatch.PhaseSecond,
		"Senate bill awaiting first reading in the House of Commons":                billwatch.PhaseIntroduced,
		"Outside the Order of Precedence":                                           billwatch.PhaseIntroduced,
		"Introduced as pro forma bill":                                              billwatch.PhaseIntroduced,
		"At consideration in the House of Commons of amendments made by the Senate": billwatch.PhaseAmendments,
		"Royal assent received":                                                     billwatch.PhaseRoyalAssent,
		"Bill defeated":                                                             billwatch.PhaseEnded,
		"Bill not proceeded with":                                                   billwatch.PhaseEnded,
		"":                                                                          billwatch.PhaseUnknown,
		"Something LEGISinfo never said":                                            billwatch.PhaseOther,
	} {
		if got := PhaseOf(status); got != want {
			t.Errorf("PhaseOf(%q) = %q, want %q", status, got, want)
		}
	}
}

// TestScraperFillsNeutralFields: read through the fixture server (another base URL), the
// bills carry their jurisdiction, phase and site, and the pages people open name the public
// sites: the tracker builds none of them.
func TestScraperFillsNeutralFields(t *testing.T) {
	t.Parallel()
	servers, err := fixtures.Server(2)
	if err != nil {
		t.Fatal(err)
	}
	defer servers.Close()
	s := newScraper(t, servers.Bases())
	list, err := s.Bills(t.Context(), "45-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list {
		if b.Jurisdiction != billwatch.Canada || b.Site != Site || b.Phase != PhaseOf(b.Status) || b.Phase == billwatch.PhaseOther {
			t.Errorf("%s: jurisdiction %q, site %q, phase %q of status %q", b.Number, b.Jurisdiction, b.Site, b.Phase, b.Status)
		}
	}
	b, _, err := s.Bill(t.Context(), "45-1", "C-8")
	if err != nil {
		t.Fatal(err)
	}
	if b.Jurisdiction != billwatch.Canada || b.Site != Site || b.Phase != PhaseOf(b.Status) || len(b.Publications) == 0 {
		t.Fatalf("C-8: jurisdiction %q, site %q, phase %q, %d publications", b.Jurisdiction, b.Site, b.Phase, len(b.Publications))
	}
	for _, p := range b.Publications {
		if p.Page != "https://www.parl.ca/DocumentViewer/en/"+p.ID {
			t.Errorf("publication %s page = %q", p.ID, p.Page)
		}
	}
	senate := 0
	for _, m := range b.Meetings {
		switch {
		case m.Chamber == billwatch.Senate:
			senate++
			if m.URL != "https://sencanada.ca/en/committees/"+strings.ToLower(m.Committee)+"/" {
				t.Errorf("Senate meeting %s %d URL = %q", m.Committee, m.Number, m.URL)
			}
		case m.URL != "":
			t.Errorf("House meeting %s %d URL = %q, want none (its notice is read from the committee's list)", m.Committee, m.Number, m.URL)
		}
	}
	if senate == 0 {
		t.Error("C-8 of snapshot 2 lists no Senate meeting; the test wants one")
	}
}
