package scraper

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// MeetingError is the problem with one meeting of a committee's list or schedule. The
// committee scrapers join one per bad meeting into the error they return next to the good
// hearings, so that the tracker can store the good ones and report the bad ones; unwrap the
// joined error (interface{ Unwrap() []error }) and use errors.As on each part to read them.
type MeetingError struct {
	Source    string // the scraper: "commons", "senate"
	Committee string // "SECU"
	Session   string // "45-1"
	Number    int    // 0 when the number itself could not be read
	ID        string // the site's meeting id ("11747243"), "" when unknown
	Row       string // the row as printed, where the site gives no id
	URL       string // the page that was being read
	// Partial is true when the hearing was still returned, only without what this page
	// should have added (a notice that failed leaves the witnesses unknown, not empty).
	Partial bool
	Err     error
}

// Error names the committee, session, meeting and page, then the problem.
func (e *MeetingError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s %s meeting", e.Source, e.Committee, e.Session)
	if e.Number > 0 {
		fmt.Fprintf(&sb, " %d", e.Number)
	}
	if e.ID != "" {
		fmt.Fprintf(&sb, " (id %s)", e.ID)
	}
	if e.Row != "" {
		fmt.Fprintf(&sb, " (%q)", e.Row)
	}
	if e.URL != "" {
		sb.WriteString(" at " + e.URL)
	}
	return sb.String() + ": " + e.Err.Error()
}

// Unwrap gives errors.Is access to the cause.
func (e *MeetingError) Unwrap() error { return e.Err }

// WithMeetingURL names the page u in each MeetingError of err (a joined error or one) that
// names none yet, and returns err.
func WithMeetingURL(err error, u string) error {
	if err == nil {
		return nil
	}
	parts := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts = j.Unwrap()
	}
	for _, p := range parts {
		var me *MeetingError
		if errors.As(p, &me) && me.URL == "" {
			me.URL = u
		}
	}
	return err
}

// billNumber is a bill's number as a title writes it: "C-8", "S‑210" (any dash), "C-2A".
const billNumber = `([CS])\s?[-\x{2010}\x{2011}\x{2012}\x{2013}\x{2014}]\s?(\d+[A-Z]?)\b`

var (
	// reBills is "Bill" or "Bills" and the numbers listed after it: "Bill C-8", "Bills C-2
	// and C-12", "Bills C-2, C-9 and S-210".
	reBills      = lazyre.New(`(?i)\bbills?\s+` + billNumber + `(?:\s*(?:,|&|\band\b|\bet\b)\s*(?:and\s+)?` + billNumber + `)*`)
	reBillNumber = lazyre.New(`(?i)` + billNumber)
)

// BillsIn lists the bills that meeting subjects or study titles name, normalised and
// without repeats, in the order they are named: each number that follows "Bill" or "Bills",
// a list's included.
func BillsIn(titles []string) []string {
	bills := []string{}
	for _, t := range titles {
		for _, list := range reBills.FindAllString(t, -1) {
			for _, m := range reBillNumber.FindAllStringSubmatch(list, -1) {
				if n := billwatch.NormalizeBillNumber(m[1] + "-" + m[2]); n != "" && !slices.Contains(bills, n) {
					bills = append(bills, n)
				}
			}
		}
	}
	return bills
}
