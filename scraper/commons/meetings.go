// Package commons reads the meeting lists of House of Commons committees (and of the joint
// committees, which parl.ca serves in the same markup) and the notices of their upcoming
// meetings, and turns them into billwatch.Hearing values.
//
// The list is /Committees/en/{ACR}/Meetings?parl=P&session=S: one page per committee and
// session, one div.accordion-item#meeting-item-{id} per meeting. See
// ../shared/research/sources.md §3 for the markup and its quirks.
//
// How a hearing is read:
//   - the date comes from the item's class (meeting-item-2026-11-26), which stays ISO when the
//     label says "Tomorrow"; the times from the text of .the-time ("3:30 p.m. - 5:30 p.m.
//     (EST)"), and only failing that from the <time datetime> attributes, whose end copy is
//     malformed on the real site ("21:31 : 29"). Times are Eastern wall time
//     (billwatch.Eastern), so the offset follows daylight saving by date.
//   - status: cancelled when an icon (icon-cancel) or a status label says so; held when the
//     list links evidence or minutes, or when the meeting ended before the scraper's clock;
//     scheduled otherwise. The clock is passed in, so parsing stays pure.
//   - the URL users see is the notice on the real site (https://www.ourcommons.ca/... or, for a
//     joint committee, https://www.parl.ca/...), never the configured base.
//   - the notice of a meeting still ahead is read for its witnesses, room and subject.
package commons

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// MeetingError is the problem with one meeting of a list (see scraper.MeetingError).
type MeetingError = scraper.MeetingError

// meeting is one parsed list item: the hearing plus what the scraper needs to follow it.
type meeting struct {
	billwatch.Hearing
	id        string
	noticeURL string // real public URL of the notice, "" when the list links none
}

var (
	reDigits   = lazyre.New(`\d+`)
	reItemDate = lazyre.New(`(?:^|\s)meeting-item-(\d{4})-(\d{1,2})-(\d{1,2})(?:\s|$)`)
	// A clock time as the House prints it: "6:30 p.m.", "10 a.m.", "6:30 PM", "noon".
	reMeetingPath = lazyre.New(`/meeting-(\d+)/`)
	// "Bill C-8, An Act ..." or "Subject matter of Bill S-210"; the hyphen may be any dash.
)

// parseMeetings reads a committee's meeting list. now decides which meetings are in the past
// (held) and which are ahead (scheduled); with a zero now only the page decides (evidence or
// minutes mean held). committee and session ("45-1") name the list in errors and fill the
// hearings. It returns the meetings it could read together with an errors.Join of one
// *MeetingError per meeting it could not read; a page with no meeting item at all is
// scraper.ErrLayoutChanged.
func parseMeetings(r io.Reader, committee, session string, now time.Time) ([]meeting, error) {
	return parseMeetingsAs(r, committee, session, Joint(committee), now)
}

// parseMeetingsAs is parseMeetings for a committee whose jointness the caller has found out.
func parseMeetingsAs(r io.Reader, committee, session string, isJoint bool, now time.Time) ([]meeting, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("commons: read %s %s meetings: %w", committee, session, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(scraper.DecodeBytes(b)))
	if err != nil {
		return nil, fmt.Errorf("commons: parse %s %s meetings: %w", committee, session, err)
	}
	items := doc.Find(`div.accordion-item[id^="meeting-item-"]`)
	if items.Length() == 0 {
		// Some versions drop the accordion class; the id is what the site keys on.
		items = doc.Find(`[id^="meeting-item-"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			id, _ := s.Attr("id")
			return reDigits.MatchString(strings.TrimPrefix(id, "meeting-item-"))
		})
	}
	if items.Length() == 0 {
		return nil, fmt.Errorf("commons: %s %s meetings: no meeting item (div.accordion-item#meeting-item-*): %w", committee, session, scraper.ErrLayoutChanged)
	}
	chamber := billwatch.House
	if isJoint {
		chamber = billwatch.Joint
	}
	var out []meeting
	var errs []error
	items.Each(func(_ int, item *goquery.Selection) {
		m, err := parseItem(item, chamber, committee, session, now)
		if err != nil {
			errs = append(errs, err)
			return
		}
		out = append(out, m)
	})
	if len(out) == 0 && len(errs) > 0 {
		// Every item failed: the markup has changed under us as surely as an empty page.
		errs = append(errs, fmt.Errorf("commons: %s %s meetings: no meeting could be read: %w", committee, session, scraper.ErrLayoutChanged))
	}
	return out, errors.Join(errs...)
}

func parseItem(item *goquery.Selection, chamber, committee, session string, now time.Time) (meeting, error) {
	id := strings.TrimPrefix(item.AttrOr("id", ""), "meeting-item-")
	m := meeting{id: id}
	h := &m.Hearing
	h.Chamber, h.Committee, h.Session = chamber, committee, session
	fail := func(format string, args ...any) (meeting, error) {
		return meeting{}, &MeetingError{Source: "commons", Committee: committee, Session: session, Number: h.Number, ID: id, Err: fmt.Errorf(format, args...)}
	}

	// Number: "Meeting 12"; failing that, the number in a document link.
	numText := scraper.Clean(item.Find(".meeting-number").First().Text())
	if n := reDigits.FindString(numText); n != "" {
		h.Number, _ = strconv.Atoi(n)
	}
	notice := item.Find("a.btn-meeting-notice").First()
	noticeHref := strings.TrimSpace(notice.AttrOr("href", ""))
	if h.Number == 0 {
		for _, sel := range []string{"a.btn-meeting-notice", "a.btn-meeting-evidence", "a.btn-meeting-minutes"} {
			if mm := reMeetingPath.FindStringSubmatch(item.Find(sel).AttrOr("href", "") + "/"); mm != nil {
				h.Number, _ = strconv.Atoi(mm[1])
				break
			}
		}
	}
	if h.Number <= 0 {
		return fail("no meeting number (.meeting-number %q)", numText)
	}

	// Date: the item's class carries it in ISO form, even when the label says "Tomorrow".
	y, mo, d, err := itemDate(item)
	if err != nil {
		return fail("%w", err)
	}

	// Times: the text ("6:30 p.m. - 9:35 p.m. (EDT)"); the time elements' datetime attributes
	// (with the malformed end "21:35 : 40") only when the text has none.
	start, end, ok := scraper.ClockRange(scraper.Clean(item.Find(".the-time").First().Text()))
	if !ok {
		start, end, ok = scraper.ClockRange(scraper.Clean(item.Find(`[id^="meeting-datetime-"]`).First().Text()))
	}
	if !ok {
		start, end, ok = datetimeAttrs(item)
	}
	if !ok {
		return fail("no start time on %04d-%02d-%02d (.the-time %q)", y, mo, d, scraper.Clean(item.Find(".the-time").First().Text()))
	}
	h.Start = time.Date(y, time.Month(mo), d, start/60, start%60, 0, 0, billwatch.Eastern)
	if end >= 0 {
		h.End = time.Date(y, time.Month(mo), d, end/60, end%60, 0, 0, billwatch.Eastern)
		if !h.End.After(h.Start) {
			h.End = h.End.AddDate(0, 0, 1) // a sitting past midnight
		}
	}

	// Icons: in camera, broadcast, cancelled, amended notice.
	icons := item.Find("i.hoc-icon, .meeting-date-icon i, .meeting-status-icon i, .meeting-card-attribute i")
	var televised, webcast, audio bool
	icons.Each(func(_ int, i *goquery.Selection) {
		class := " " + i.AttrOr("class", "") + " "
		title := strings.ToLower(i.AttrOr("title", ""))
		switch {
		case strings.Contains(class, " icon-lock ") || strings.Contains(title, "in camera"):
			h.InCamera = true
		case strings.Contains(class, " icon-television ") || strings.Contains(title, "televised"):
			televised = true
		case strings.Contains(class, " icon-web-video-cast ") || title == "webcast":
			webcast = true
		case strings.Contains(class, " icon-speaker ") || strings.Contains(title, "audio only"):
			audio = true
		}
		if cancelMark(class, title) {
			h.Status = billwatch.HearingCancelled
		}
	})
	switch {
	case televised:
		h.Broadcast = "televised"
	case webcast:
		h.Broadcast = "webcast"
	case audio:
		h.Broadcast = "audio"
	}
	if h.Status == "" && cancelled(item) {
		h.Status = billwatch.HearingCancelled
	}
	h.NoticeAmended = notice.HasClass("meeting-amended") || item.Find(".meeting-status-icon i.icon-warning").Length() > 0

	// Studies, and the bills they name.
	seen := map[string]bool{}
	add := func(s *goquery.Selection) {
		t := scraper.Clean(s.Text())
		if t != "" && !seen[t] {
			seen[t] = true
			h.Studies = append(h.Studies, t)
		}
	}
	item.Find("ul.meeting-card-studies-list li.meeting-card-study").Each(func(_ int, li *goquery.Selection) {
		if a := li.Find("a").First(); a.Length() > 0 {
			add(a)
		} else {
			add(li)
		}
	})
	if len(h.Studies) == 0 {
		item.Find(".studies-activities-item").Each(func(_ int, s *goquery.Selection) { add(s) })
	}
	h.Bills = scraper.BillsIn(h.Studies)
	if h.Studies == nil {
		h.Studies = []string{}
	}

	h.Room = scraper.Clean(item.Find(".meeting-location").First().Text())
	st := h.Start.In(billwatch.Eastern)
	h.Checks = append(h.Checks,
		billwatch.FieldCheck{Page: "ourcommons meeting lists", Field: "time", Found: st.Hour() != 0 || st.Minute() != 0},
		billwatch.FieldCheck{Page: "ourcommons meeting lists", Field: "study", Found: len(h.Studies) > 0})

	site := scraper.OurCommons
	if chamber == billwatch.Joint {
		site = scraper.Parl
	}
	if noticeHref != "" {
		m.noticeURL = publicURL(site, noticeHref)
		h.URL = m.noticeURL
	} else {
		h.URL = fmt.Sprintf("%s/DocumentViewer/en/%s/%s/meeting-%d/notice", scraper.DefaultBases[site], session, committee, h.Number)
	}

	if h.Status == "" {
		h.Status = billwatch.HearingScheduled
		finished := h.End
		if finished.IsZero() {
			finished = h.Start
		}
		if item.Find("a.btn-meeting-evidence, a.btn-meeting-minutes").Length() > 0 || (!now.IsZero() && !finished.After(now)) {
			h.Status = billwatch.HearingHeld
		}
	}
	return m, nil
}

// itemDate reads the meeting's date: from the item's class (meeting-item-2022-06-13), else
// from its long date label ("Monday, June 13, 2022"). A date that is not a real day is an error.
func itemDate(item *goquery.Selection) (y, m, d int, err error) {
	if mm := reItemDate.FindStringSubmatch(" " + item.AttrOr("class", "") + " "); mm != nil {
		y, _ = strconv.Atoi(mm[1])
		m, _ = strconv.Atoi(mm[2])
		d, _ = strconv.Atoi(mm[3])
		t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1900 || y > 2200 {
			return 0, 0, 0, fmt.Errorf("bad date %04d-%02d-%02d in class meeting-item-%s-%s-%s", y, m, d, mm[1], mm[2], mm[3])
		}
		return y, m, d, nil
	}
	var labels []string
	item.Find(".date-label").Each(func(_ int, s *goquery.Selection) { labels = append(labels, scraper.Clean(s.Text())) })
	for _, l := range labels {
		if t, ok := parseDateLabel(l); ok {
			return t.Year(), int(t.Month()), t.Day(), nil
		}
	}
	return 0, 0, 0, fmt.Errorf("no date (class %q, labels %q)", item.AttrOr("class", ""), labels)
}

// parseDateLabel reads "Monday, June 13, 2022" and the short "Tuesday, Apr. 13, 2010".
func parseDateLabel(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ", "); i >= 0 && !strings.ContainsAny(s[:i], "0123456789") {
		s = s[i+2:] // drop the weekday
	}
	s = strings.Replace(s, ".", "", 1)
	s = strings.Replace(s, "Sept ", "Sep ", 1)
	for _, layout := range []string{"January 2, 2006", "Jan 2, 2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// datetimeAttrs reads <time datetime="2022-06-06T18:32:26"> and repairs the end copy
// ("2022-06-06T21:31 : 29"). Only hours and minutes are kept.
func datetimeAttrs(item *goquery.Selection) (start, end int, ok bool) {
	var mins []int
	item.Find("time[datetime]").Each(func(_ int, t *goquery.Selection) {
		v := strings.ReplaceAll(t.AttrOr("datetime", ""), " ", "")
		i := strings.IndexByte(v, 'T')
		if i < 0 || len(v) < i+6 {
			return
		}
		h, err1 := strconv.Atoi(v[i+1 : i+3])
		m, err2 := strconv.Atoi(v[i+4 : i+6])
		if err1 != nil || err2 != nil || v[i+3] != ':' || h > 23 || m > 59 {
			return
		}
		mins = append(mins, h*60+m)
	})
	switch len(mins) {
	case 0:
		return 0, 0, false
	case 1:
		return mins[0], -1, true
	}
	return mins[0], mins[1], true
}

// cancelMark reports whether an icon's class or title says the meeting is cancelled
// (openparliament saw icon-cancel; the title wording is not known, so any "cancel" counts).
func cancelMark(class, title string) bool {
	return strings.Contains(class, "cancel") || strings.Contains(title, "cancel")
}

// cancelled looks beyond the icons: a class on the item or a status label saying so.
func cancelled(item *goquery.Selection) bool {
	if strings.Contains(strings.ToLower(item.AttrOr("class", "")), "cancel") {
		return true
	}
	found := false
	item.Find(".meeting-status, .meeting-card-meeting-status, .meeting-status-icon, .meeting-title-main").Each(func(_ int, s *goquery.Selection) {
		t := strings.ToLower(scraper.Clean(s.Text()))
		if strings.Contains(t, "cancelled") || strings.Contains(t, "canceled") {
			found = true
		}
	})
	return found
}

// publicURL turns a link as the list writes it (protocol-relative "//www.parl.ca/...",
// site-relative "/DocumentViewer/...", or absolute) into an https URL on the real site, never
// on a configured base, because users click it.
func publicURL(site, href string) string {
	href = strings.ReplaceAll(strings.TrimSpace(href), `\`, "/")
	base, _ := url.Parse(scraper.DefaultBases[site] + "/")
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	u = base.ResolveReference(u)
	if u.Scheme == "http" {
		u.Scheme = "https"
	}
	return u.String()
}
