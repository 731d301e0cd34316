// Package legisinfo reads LEGISinfo (parl.ca): the bill list of a session (JSON) and the
// record of one bill (XML) with its stages, committee meetings, text versions, votes and
// references. Parsing is pure (parseList, parseRecord); the Scraper only fetches.
package legisinfo

import (
	"context"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// PublicBase is where the real LEGISinfo lives. Bill URLs always name it, whatever base the
// client is configured with, because they are links people open.
const PublicBase = "https://www.parl.ca"

// Scraper reads LEGISinfo through a polite client. It holds no state of its own, so one
// Scraper may serve concurrent passes.
type Scraper struct {
	c *scraper.Client
}

// New returns a Scraper that fetches through c (which decides the base URL, the politeness and
// the conditional requests).
func New(c *scraper.Client) *Scraper { return &Scraper{c: c} }

var sessionRE = lazyre.New(`^[1-9][0-9]{0,2}-[1-9][0-9]?$`)

// Bills returns every bill of a session ("45-1") from the session's list JSON. The bills are
// summaries (Detailed false): no stages, meetings or publications. A list that is empty, not
// JSON, or holds bills of another session is an error, never "no bills".
func (s *Scraper) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	if !sessionRE.MatchString(session) {
		return nil, fmt.Errorf("legisinfo: session %q is not of the form 45-1", session)
	}
	u := s.c.URL(scraper.Parl, "/legisinfo/en/bills/json?parlsession="+session)
	page, err := s.c.Get(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("legisinfo: bill list %s: %w", session, err)
	}
	bills, err := parseList(page.Body)
	if err != nil {
		return nil, fmt.Errorf("legisinfo: bill list %s: %w", u, err)
	}
	for i := range bills {
		if bills[i].Session == "" {
			bills[i].Session = session
			bills[i].URL = BillURL(session, bills[i].Number)
		}
		if bills[i].Session != session {
			return nil, fmt.Errorf("legisinfo: bill list %s: bill %s belongs to session %s, not %s: %w",
				u, bills[i].Number, bills[i].Session, session, scraper.ErrLayoutChanged)
		}
		neutral(&bills[i])
	}
	return bills, nil
}

// Bill returns the full record of one bill (Detailed true) and the bytes of the record as
// served, which the tracker stores as a version. number may be written "C-22", "c-22" or "C22".
// A record of another bill than the one asked for is an error.
func (s *Scraper) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	if !sessionRE.MatchString(session) {
		return billwatch.Bill{}, nil, fmt.Errorf("legisinfo: session %q is not of the form 45-1", session)
	}
	num := billwatch.NormalizeBillNumber(number)
	if num == "" {
		return billwatch.Bill{}, nil, fmt.Errorf("legisinfo: %q is not a bill number", number)
	}
	u := s.c.URL(scraper.Parl, "/legisinfo/en/bill/"+session+"/"+strings.ToLower(num)+"/xml")
	page, err := s.c.Get(ctx, u)
	if err != nil {
		return billwatch.Bill{}, nil, fmt.Errorf("legisinfo: bill %s %s: %w", session, num, err)
	}
	b, err := parseRecord(page.Body)
	if err != nil {
		return billwatch.Bill{}, nil, fmt.Errorf("legisinfo: bill record %s: %w", u, err)
	}
	if b.Number != num || (b.Session != "" && b.Session != session) {
		return billwatch.Bill{}, nil, fmt.Errorf("legisinfo: bill record %s: holds %s %s, not %s %s",
			u, b.Session, b.Number, session, num)
	}
	if b.Session == "" {
		b.Session = session
		b.URL = BillURL(session, num)
	}
	neutral(&b)
	return b, page.Body, nil
}

// Site is how links to a bill's LEGISinfo page are labelled.
const Site = "LEGISinfo"

// SenateCommitteeURL is a Senate committee's page: a meeting the record lists for the Senate
// has no page of its own there.
func SenateCommitteeURL(acronym string) string {
	return "https://sencanada.ca/en/committees/" + strings.ToLower(acronym) + "/"
}

// PublicationURL is the DocumentViewer page of a publication, for people to read.
func PublicationURL(id string) string { return PublicBase + "/DocumentViewer/en/" + id }

// PhaseOf maps LEGISinfo's status wording ("At consideration in committee in the Senate") onto
// the phase the tracker decides on.
func PhaseOf(status string) billwatch.Phase {
	s := strings.ToLower(status)
	switch {
	case s == "":
		return billwatch.PhaseUnknown
	case strings.Contains(s, "consideration in committee"):
		return billwatch.PhaseCommittee
	case strings.Contains(s, "royal assent"):
		return billwatch.PhaseRoyalAssent
	case strings.Contains(s, "report stage"):
		return billwatch.PhaseReport
	case strings.Contains(s, "third reading"):
		return billwatch.PhaseThird
	case strings.Contains(s, "amendments made by"), strings.Contains(s, "consideration of amendments"):
		return billwatch.PhaseAmendments
	case strings.Contains(s, "second reading"):
		return billwatch.PhaseSecond
	case strings.Contains(s, "first reading"), strings.Contains(s, "pro forma"),
		strings.Contains(s, "outside the order of precedence"): // read a first time, waiting for the draw
		return billwatch.PhaseIntroduced
	case strings.Contains(s, "defeated"), strings.Contains(s, "not proceeded"), strings.Contains(s, "withdrawn"),
		strings.Contains(s, "died on the order paper"):
		return billwatch.PhaseEnded
	}
	return billwatch.PhaseOther
}

// neutral fills in what the tracker reads instead of LEGISinfo's wording and addresses: the
// jurisdiction, the phase, the site's name, and the pages of meetings and publications.
func neutral(b *billwatch.Bill) {
	b.Jurisdiction, b.Phase, b.Site = billwatch.Canada, PhaseOf(b.Status), Site
	for i := range b.Meetings {
		if m := &b.Meetings[i]; m.Chamber == billwatch.Senate && m.Committee != "" {
			m.URL = SenateCommitteeURL(m.Committee)
		}
	}
	for i := range b.Publications {
		b.Publications[i].Page = PublicationURL(b.Publications[i].ID)
	}
}

// BillURL is the public LEGISinfo page of a bill, as LEGISinfo writes it (lower-case number):
// "https://www.parl.ca/legisinfo/en/bill/45-1/c-22".
func BillURL(session, number string) string {
	if session == "" || number == "" {
		return ""
	}
	return PublicBase + "/legisinfo/en/bill/" + session + "/" + strings.ToLower(number)
}
