// Package senate reads the meeting schedule of Senate committees from sencanada.ca and turns it
// into billwatch.Hearing values.
//
// The schedule page on sencanada.ca is drawn by JavaScript from an HTML fragment,
// /umbraco/surface/CommitteesAjax/GetTablePartialView (sources.md §4): a table with one <tr>
// per meeting whose first cell holds the date, whose links name the committee
// (/committees/{acr}/), and whose third cell holds the subject; the rows also list the
// witnesses. No raw copy of that fragment was available when this was written, so the parser
// reads it leniently, by what the cells say rather than by exact selectors; check it against
// a capture (`billwatch capture`) when one exists.
package senate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// MeetingError is the problem with one row of a schedule (see scraper.MeetingError).
type MeetingError = scraper.MeetingError

var (
	// Dates as the Senate writes them: "Nov 09, 2026", "Nov. 9, 2026", "November 9, 2026",
	// "2026-11-09".
	reDate    = lazyre.New(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	reNumber  = lazyre.New(`(?i)\bmeeting\s*(?:no\.?|number|n°|#)?\s*(\d+)\b`)
	reDocNum  = lazyre.New(`(?i)/(\d{1,3})(?:ev|mn|nt|ag)-`)
	reCommAcr = lazyre.New(`(?i)/committees/([a-z]{3,5})(?:/|$|\?|#)`)
	reRoom    = lazyre.New(`(?i)\broom\s+[a-z]?\d+[a-z0-9-]*(?:,\s*[^,;]*?(?:building|block))?`)
	reBill    = lazyre.New(`(?i)\bbills?\s+([CS])\s?[-\x{2010}\x{2011}\x{2012}\x{2013}\x{2014}]\s?(\d+[A-Z]?)\b`)
	months    = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
	reEmpty   = lazyre.New(`(?i)\bno (upcoming |past )?(meetings?|results?|records?)\b|\baucune? (réunion|résultat)`)
)

// parseSchedule reads one tab of a committee's meeting schedule (past tells which: the PAST tab
// is held, the UPCOMING tab scheduled, a cancelled row is cancelled either way). Rows that name
// another committee are skipped (the all-committees fragment mixes them). It returns the
// meetings it could read with an errors.Join of one *MeetingError per row it could not; the
// site's soft 404 is scraper.ErrNotFound; a page with no meeting row and no recognisable empty
// table is scraper.ErrLayoutChanged. An empty table (no meeting in that tab) is no error.
func parseSchedule(r io.Reader, committee, session string, past bool) ([]billwatch.Hearing, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("senate: read %s %s schedule: %w", committee, session, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(scraper.DecodeBytes(b)))
	if err != nil {
		return nil, fmt.Errorf("senate: parse %s %s schedule: %w", committee, session, err)
	}
	text := scraper.Clean(doc.Text())
	if doc.Find("#content-viewer-document, .content-viewer-document").Length() > 0 || strings.Contains(text, "Sorry, the content is not available") {
		return nil, fmt.Errorf("senate: %s %s schedule: the site's soft 404: %w", committee, session, scraper.ErrNotFound)
	}
	var hs []billwatch.Hearing
	var errs []error
	rows, ours := 0, 0
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.ChildrenFiltered("td")
		if cells.Length() < 2 {
			return // a header or spacer row
		}
		dateCell := textOf(cells.First())
		if rowText := textOf(tr); !reDate.MatchString(rowText) && !reNumber.MatchString(rowText) {
			return // not a meeting row
		}
		rows++
		if acr := rowCommittee(tr); acr != "" && !strings.EqualFold(acr, committee) {
			return // another committee's meeting, in the all-committees fragment
		}
		ours++
		h, err := parseRow(tr, cells, committee, session, past)
		if err != nil {
			errs = append(errs, &MeetingError{Source: "senate", Committee: committee, Session: session, Number: h.Number, Row: dateCell, Err: err})
			return
		}
		hs = append(hs, h)
	})
	if rows == 0 {
		headers := strings.ToLower(scraper.Clean(doc.Find("th").Text()))
		if (doc.Find("table").Length() > 0 && strings.Contains(headers, "date")) || reEmpty.MatchString(text) {
			return nil, nil
		}
		return nil, fmt.Errorf("senate: %s %s schedule: no meeting row and no empty meeting table: %w", committee, session, scraper.ErrLayoutChanged)
	}
	if len(hs) == 0 && ours > 0 {
		errs = append(errs, fmt.Errorf("senate: %s %s schedule: no meeting row could be read: %w", committee, session, scraper.ErrLayoutChanged))
	}
	return hs, errors.Join(errs...)
}

// rowCommittee is the committee a row links to, "" when it links to none.
func rowCommittee(tr *goquery.Selection) string {
	acr := ""
	tr.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href := strings.ReplaceAll(a.AttrOr("href", ""), `\`, "/")
		if m := reCommAcr.FindStringSubmatch(href); m != nil && !strings.EqualFold(m[1], "en") {
			acr = strings.ToUpper(m[1])
			return false
		}
		return true
	})
	return acr
}

func parseRow(tr, cells *goquery.Selection, committee, session string, past bool) (billwatch.Hearing, error) {
	h := billwatch.Hearing{Chamber: billwatch.Senate, Committee: committee, Session: session,
		URL: fmt.Sprintf("%s/en/Committees/%s/MeetingSchedule/", scraper.DefaultBases[scraper.SenCanada], committee)}
	rowText := textOf(tr)

	// Number: "Meeting No. 12", else the number in an evidence or minutes link.
	if m := reNumber.FindStringSubmatch(rowText); m != nil {
		h.Number, _ = strconv.Atoi(m[1])
	}
	if h.Number == 0 {
		tr.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
			if m := reDocNum.FindStringSubmatch(strings.ReplaceAll(a.AttrOr("href", ""), `\`, "/")); m != nil {
				h.Number, _ = strconv.Atoi(m[1])
				return false
			}
			return true
		})
	}
	if h.Number <= 0 {
		return h, errors.New("no meeting number")
	}

	// Date and times: from the first cell that has a date, else anywhere in the row.
	when := ""
	cells.EachWithBreak(func(_ int, c *goquery.Selection) bool {
		if t := textOf(c); reDate.MatchString(t) {
			when = t
			return false
		}
		return true
	})
	if when == "" {
		when = rowText
	}
	day, err := parseDate(when)
	if err != nil {
		return h, err
	}
	h.Start = day
	if start, end, ok := scraper.ClockRange(reDate.ReplaceAllString(when, " ")); ok {
		h.Start = time.Date(day.Year(), day.Month(), day.Day(), start/60, start%60, 0, 0, billwatch.Eastern)
		if end >= 0 {
			h.End = time.Date(day.Year(), day.Month(), day.Day(), end/60, end%60, 0, 0, billwatch.Eastern)
			if !h.End.After(h.Start) {
				h.End = h.End.AddDate(0, 0, 1)
			}
		}
	}

	lower := strings.ToLower(rowText)
	h.InCamera = strings.Contains(lower, "in camera")
	switch {
	case strings.Contains(lower, "televised"):
		h.Broadcast = "televised"
	case strings.Contains(lower, "webcast"):
		h.Broadcast = "webcast"
	case strings.Contains(lower, "audio"):
		h.Broadcast = "audio"
	}
	h.Room = reRoom.FindString(rowText)

	// Subjects: the third cell (the notes' "cell 2 holds the topic"), one per list item or
	// paragraph when it has several.
	h.Studies = []string{}
	if cells.Length() > 2 {
		topic := cells.Eq(2)
		parts := topic.Find("li, p")
		if parts.Length() == 0 {
			parts = topic
		}
		parts.Each(func(_ int, p *goquery.Selection) {
			if t := textOf(p); t != "" && !contains(h.Studies, t) {
				h.Studies = append(h.Studies, t)
			}
		})
	}
	h.Bills = billsIn(h.Studies)

	// Witnesses: the list items of the row outside the subject cell.
	cells.Each(func(i int, c *goquery.Selection) {
		if i == 2 {
			return
		}
		c.Find("li").Each(func(_ int, li *goquery.Selection) {
			if w, ok := parseWitness(textOf(li)); ok {
				h.Witnesses = append(h.Witnesses, w)
			}
		})
	})

	cancelled := strings.Contains(lower, "cancelled") || strings.Contains(lower, "canceled") ||
		strings.Contains(strings.ToLower(tr.AttrOr("class", "")), "cancel")
	switch {
	case cancelled:
		h.Status = billwatch.HearingCancelled
	case past:
		h.Status = billwatch.HearingHeld
	default:
		h.Status = billwatch.HearingScheduled
	}
	return h, nil
}

// separating lists the elements whose edges separate words: table cells, line breaks, blocks.
var separating = map[string]bool{
	"br": true, "td": true, "th": true, "tr": true, "li": true, "p": true, "div": true, "ul": true,
	"ol": true, "dd": true, "dt": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "section": true, "article": true, "table": true,
}

// textOf is the cleaned text of a selection, with a space wherever a cell, a line break or a
// block ends, so that "Nov 09, 2026<br>11:00 AM" does not read "202611:00".
func textOf(s *goquery.Selection) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "template":
				return
			}
			if separating[n.Data] {
				sb.WriteByte(' ')
				defer sb.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range s.Nodes {
		walk(n)
	}
	return scraper.Clean(sb.String())
}

// parseWitness reads "Public Safety Canada: Jane Smith, Director General" (the minutes' form),
// or "Jane Smith, Director General, Public Safety Canada" (the studies page's form: the name
// first, the organisation last).
func parseWitness(s string) (billwatch.Witness, bool) {
	if s == "" {
		return billwatch.Witness{}, false
	}
	if org, rest, ok := strings.Cut(s, ":"); ok && strings.TrimSpace(rest) != "" {
		name, _, _ := strings.Cut(rest, ",")
		return billwatch.Witness{Name: strings.TrimSpace(name), Organization: strings.TrimSpace(org)}, true
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	w := billwatch.Witness{Name: parts[0]}
	switch {
	case len(parts) >= 3:
		w.Organization = parts[len(parts)-1]
	case len(parts) == 2:
		w.Organization = parts[1]
	}
	return w, true
}

// parseDate finds the first date in s, as midnight Eastern.
func parseDate(s string) (time.Time, error) {
	m := reDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("no date in %q", s)
	}
	var y, d int
	var mo time.Month
	if m[1] != "" {
		mo = months[strings.ToLower(m[1])]
		d, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
	} else {
		y, _ = strconv.Atoi(m[4])
		n, _ := strconv.Atoi(m[5])
		mo = time.Month(n)
		d, _ = strconv.Atoi(m[6])
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, billwatch.Eastern)
	if t.Year() != y || t.Month() != mo || t.Day() != d || mo == 0 || y < 1900 || y > 2200 {
		return time.Time{}, fmt.Errorf("bad date %q", m[0])
	}
	return t, nil
}

// billsIn lists the bills that subjects name, normalised and without repeats.
func billsIn(titles []string) []string {
	bills := []string{}
	for _, t := range titles {
		for _, m := range reBill.FindAllStringSubmatch(t, -1) {
			if n := billwatch.NormalizeBillNumber(m[1] + "-" + m[2]); n != "" && !contains(bills, n) {
				bills = append(bills, n)
			}
		}
	}
	return bills
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
