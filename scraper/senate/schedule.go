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
	"slices"
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
	reCommAcr = lazyre.New(`(?i)/committees?/(?:\d+/)?([a-z]{3,5})(?:/|$|\?|#)`)
	reRoom    = lazyre.New(`(?i)\broom\s+[a-z]?\d+[a-z0-9-]*(?:,\s*[^,;]*?(?:building|block))?`)
	months    = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
	reEmpty   = lazyre.New(`(?i)\bno (upcoming |past )?(meetings?|results?|records?)\b|\baucune? (réunion|résultat)`)
)

// parseSchedule reads one tab of a committee's meeting schedule (past tells which: the PAST tab
// is held, the UPCOMING tab scheduled, a cancelled row is cancelled either way). Rows that name
// another committee are skipped. So, in the all-committees fragment (shared), which mixes every
// committee's meetings, is a row that names none: no meeting is credited to the committee by
// default there, and a fragment none of whose rows names a committee is
// scraper.ErrLayoutChanged. It returns the meetings it could read with an errors.Join of one
// *MeetingError per row it could not; the site's soft 404 is scraper.ErrNotFound; a page with no
// meeting row and no recognisable empty table is scraper.ErrLayoutChanged. An empty table (no
// meeting in that tab) is no error.
func parseSchedule(r io.Reader, committee, session string, past, shared bool) ([]billwatch.Hearing, error) {
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
	rows, ours, named := 0, 0, 0
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
		acr := rowCommittee(tr, cells, shared)
		if acr != "" {
			named++
		}
		if acr != "" && acr != committee || acr == "" && shared {
			return // another committee's meeting, or one that names none, in the all-committees fragment
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
		// The studies-and-bills page: no table, one block per study with its meetings.
		if shs, found := parseStudies(doc.Selection, committee, session, past); found {
			return shs, nil
		}
		headers := strings.ToLower(scraper.Clean(doc.Find("th").Text()))
		if (doc.Find("table").Length() > 0 && strings.Contains(headers, "date")) || reEmpty.MatchString(text) {
			return nil, nil
		}
		return nil, fmt.Errorf("senate: %s %s schedule: no meeting row and no empty meeting table: %w", committee, session, scraper.ErrLayoutChanged)
	}
	if shared && named == 0 {
		// Rows that name no committee cannot be told apart: none is taken as this one's.
		return nil, fmt.Errorf("senate: %s %s schedule: %d meeting rows, none naming its committee: %w", committee, session, rows, scraper.ErrLayoutChanged)
	}
	if len(hs) == 0 && ours > 0 {
		errs = append(errs, fmt.Errorf("senate: %s %s schedule: no meeting row could be read: %w", committee, session, scraper.ErrLayoutChanged))
	}
	return hs, errors.Join(errs...)
}

// rowCommittee is the committee a row names, upper case: the first its links lead to (the
// committee's page, a transcript under it), else, in the all-committees fragment (shared), a
// cell that holds only an acronym; "" when it names none.
func rowCommittee(tr, cells *goquery.Selection, shared bool) string {
	acr := ""
	tr.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href := strings.ReplaceAll(a.AttrOr("href", ""), `\`, "/")
		if m := reCommAcr.FindStringSubmatch(href); m != nil && !strings.EqualFold(m[1], "en") {
			acr = strings.ToUpper(m[1])
			return false
		}
		return true
	})
	if acr == "" && shared {
		cells.EachWithBreak(func(_ int, td *goquery.Selection) bool {
			if t := textOf(td); reAcronym.MatchString(t) {
				acr = t
				return false
			}
			return true
		})
	}
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
	// A row without a number ("Wednesday, June 16, 2021 at 6:31 PM") is kept: the hearing is
	// then keyed by committee, date and time (billwatch.Hearing.Key).

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
			if t := textOf(p); t != "" && !slices.Contains(h.Studies, t) {
				h.Studies = append(h.Studies, t)
			}
		})
	}
	h.Bills = scraper.BillsIn(h.Studies)

	// Witnesses: the list items of the row outside the subject cell.
	cells.Each(func(i int, c *goquery.Selection) {
		if i == 2 {
			return
		}
		c.Find("li").Each(func(_ int, li *goquery.Selection) {
			w, ok := parseWitness(textOf(li))
			h.Checks = append(h.Checks, billwatch.FieldCheck{Page: checkPage, Field: "witness organisation", Found: ok && w.Organization != ""})
			if ok {
				h.Witnesses = append(h.Witnesses, w)
			}
		})
	})

	h.Checks = append(h.Checks, rowChecks(h)...)
	if !hasClock(h.Start) {
		h.Gaps = append(h.Gaps, GapTime)
	}
	if len(h.Studies) == 0 {
		h.Gaps = append(h.Gaps, GapStudy)
	}

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

// Gaps of a Senate meeting.
const (
	GapTime  = "meeting time not found"
	GapStudy = "meeting subject not found"
)

// checkPage names the Senate's pages in the drift counts.
const checkPage = "sencanada meetings"

func hasClock(t time.Time) bool {
	t = t.In(billwatch.Eastern)
	return !t.IsZero() && (t.Hour() != 0 || t.Minute() != 0)
}

// rowChecks says which of the fields every meeting should have were found: its time and what
// it is on.
func rowChecks(h billwatch.Hearing) []billwatch.FieldCheck {
	return []billwatch.FieldCheck{
		{Page: checkPage, Field: "time", Found: hasClock(h.Start)},
		{Page: checkPage, Field: "study", Found: len(h.Studies) > 0},
	}
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

// reTrailingParen is a parenthesis closing a witness line: "(Facebook)", "(As an Individual)".
var reTrailingParen = lazyre.New(`^(.*?)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$`)

// reIndividual is the Senate's and the House's "as an individual".
var reIndividual = lazyre.New(`(?i)^(as an? individuals?|à titre personnel)$`)

// parseWitness reads a witness as the Senate writes it: "Name, Title (Organisation)" ("Kevin
// Chan, Director of Policy, Canada (Facebook)"), "Name, Title (As an Individual)", "Name
// (Organisation)", "Name, Title" (no organisation: none is guessed from the title), or the
// minutes' "Organisation: Name, Title". The organisation is only ever what the page marks as
// one; a title never lands in it.
func parseWitness(s string) (billwatch.Witness, bool) {
	s = strings.TrimSpace(strings.TrimLeft(s, "•·▪◦ "))
	if s == "" {
		return billwatch.Witness{}, false
	}
	var w billwatch.Witness
	if m := reTrailingParen.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[1]) != "" {
		org := strings.TrimSpace(m[2])
		if reIndividual.MatchString(org) {
			org = "As an individual"
		}
		w.Organization = org
		s = strings.TrimSpace(m[1])
	} else if org, rest, ok := strings.Cut(s, ":"); ok && strings.TrimSpace(rest) != "" && !strings.Contains(org, ",") {
		w.Organization = strings.TrimSpace(org)
		s = strings.TrimSpace(rest)
	}
	name, title, _ := strings.Cut(s, ",")
	w.Name, w.Title = strings.TrimSpace(name), strings.TrimSpace(title)
	if w.Name == "" {
		return billwatch.Witness{}, false
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
