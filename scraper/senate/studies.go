package senate

import (
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// block is one line of a page in reading order; item is true inside a list item or after a
// bullet.
type block struct {
	text string
	item bool
}

var (
	// "TRCM 2021-05-25", "TRCM 2021-05-25 Show Briefs": a study's committee and the date of its
	// order of reference.
	reStudyRef = lazyre.New(`^([A-Z]{4,5})\s+(\d{4}-\d{2}-\d{2})\b`)
	// "Wednesday, June 16, 2021 at 6:31 PM": a meeting of the study, with no end time.
	reMeetingAt  = lazyre.New(`(?i)^(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b`)
	reBulletMark = lazyre.New(`^[•·▪◦]\s*`)
)

// parseStudies reads the Senate's "Studies & Bills" page, which lists for each study (or
// bill) its title, its committee and order-of-reference date ("TRCM 2021-05-25"), then each
// meeting on it ("Wednesday, June 16, 2021 at 6:31 PM", no number, no end time) followed by
// its witnesses as list items ("Kevin Chan, Director of Policy, Canada (Facebook)"). It reads
// the same in lists, paragraphs or divs. Only the meetings of committee are returned; found
// is false when the page has no such structure at all.
func parseStudies(sel *goquery.Selection, committee, session string, past bool) (hs []billwatch.Hearing, found bool) {
	var lines []block
	var cur strings.Builder
	depth := 0
	emit := func() {
		if t := scraper.Clean(cur.String()); t != "" {
			item := depth > 0 || reBulletMark.MatchString(t)
			lines = append(lines, block{text: strings.TrimSpace(reBulletMark.ReplaceAllString(t, "")), item: item})
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "template", "head", "nav":
				return
			}
			if separating[n.Data] {
				emit()
				if n.Data == "li" {
					depth++
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				emit()
				if n.Data == "li" {
					depth--
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range sel.Nodes {
		walk(n)
	}
	emit()

	study, studyComm := "", ""
	var h *billwatch.Hearing
	flush := func() {
		if h != nil {
			h.Checks = append(h.Checks, rowChecks(*h)...)
			hs = append(hs, *h)
			h = nil
		}
	}
	for i, l := range lines {
		if m := reStudyRef.FindStringSubmatch(l.text); m != nil && i > 0 && !lines[i-1].item {
			flush()
			found = true
			study, studyComm = lines[i-1].text, m[1]
			continue
		}
		if study == "" {
			continue
		}
		if !l.item && reMeetingAt.MatchString(l.text) && len(l.text) < 80 {
			flush()
			if !strings.EqualFold(studyComm, committee) {
				continue
			}
			day, err := parseDate(l.text)
			if err != nil {
				continue
			}
			nh := billwatch.Hearing{Chamber: billwatch.Senate, Committee: strings.ToUpper(committee), Session: session,
				Start: day, Studies: []string{study}, Bills: scraper.BillsIn([]string{study}),
				URL: "https://sencanada.ca/en/committees/" + strings.ToLower(committee) + "/studiesandbills/" + session}
			if a, _, ok := scraper.ClockRange(reDate.ReplaceAllString(l.text, " ")); ok {
				nh.Start = time.Date(day.Year(), day.Month(), day.Day(), a/60, a%60, 0, 0, billwatch.Eastern)
			} else {
				nh.Gaps = append(nh.Gaps, GapTime)
			}
			nh.Status = billwatch.HearingScheduled
			if past {
				nh.Status = billwatch.HearingHeld
			}
			low := strings.ToLower(l.text)
			if strings.Contains(low, "cancelled") || strings.Contains(low, "canceled") {
				nh.Status = billwatch.HearingCancelled
			}
			h = &nh
			continue
		}
		if h != nil && l.item {
			w, ok := parseWitness(l.text)
			h.Checks = append(h.Checks, billwatch.FieldCheck{Page: checkPage, Field: "witness organisation", Found: ok && w.Organization != ""})
			if ok {
				h.Witnesses = append(h.Witnesses, w)
			}
			continue
		}
		if !l.item {
			// Another study's title (its reference line follows), or the page's next part.
			flush()
		}
	}
	flush()
	return hs, found
}
