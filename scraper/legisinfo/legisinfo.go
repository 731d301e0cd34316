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
	return b, page.Body, nil
}

// BillURL is the public LEGISinfo page of a bill, as LEGISinfo writes it (lower-case number):
// "https://www.parl.ca/legisinfo/en/bill/45-1/c-22".
func BillURL(session, number string) string {
	if session == "" || number == "" {
		return ""
	}
	return PublicBase + "/legisinfo/en/bill/" + session + "/" + strings.ToLower(number)
}
