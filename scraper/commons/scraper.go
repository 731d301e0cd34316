package commons

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// joint lists the joint committees of the Senate and the House that billwatch may watch. They
// are served on parl.ca, not ourcommons.ca (which answers 404 for them), and their hearings
// carry the chamber billwatch.Joint. openparliament and parl-monitor keep the same short list;
// the House's committee list marks them, but reading it for every pass would cost a request
// for a fact that changes once a Parliament. A joint committee missing here still works: when
// ourcommons.ca answers 404, Meetings tries parl.ca.
var joint = map[string]bool{
	"AMAD": true, // Special Joint Committee on Medical Assistance in Dying
	"BILI": true, // Standing Joint Committee on the Library of Parliament
	"DEDC": true, // Special Joint Committee on the Declaration of Emergency
	"REGS": true, // Standing Joint Committee for the Scrutiny of Regulations
}

// Joint reports whether a committee acronym names a known joint committee, whose pages live on
// parl.ca.
func Joint(committee string) bool { return joint[strings.ToUpper(committee)] }

var (
	reAcronym = lazyre.New(`^[A-Z][A-Z0-9]{1,7}$`)
	reSession = lazyre.New(`^(\d{1,3})-(\d{1,2})$`)
)

// Scraper reads House of Commons and joint committee meeting lists and their notices.
type Scraper struct {
	c *scraper.Client
	// Now tells which meetings are already over (held) and which are ahead (scheduled, and
	// worth reading the notice of). Nil means time.Now; the demo sets the fixtures' clock.
	Now func() time.Time
}

// New returns a Scraper that fetches through c.
func New(c *scraper.Client) *Scraper { return &Scraper{c: c} }

// Meetings reads the meetings of one committee in one session ("45-1"), and for each meeting
// still ahead whose notice the list links, the notice (witnesses, room, subject).
//
// It returns every meeting it could read, sorted by number, together with an error that
// joins one *MeetingError per meeting it could not read (or whose notice it could not read:
// that hearing is still returned, with Partial set on its error). A caller stores the
// hearings even when the error is not nil. A list that cannot be fetched, or that holds no
// recognisable meeting, returns no hearings and an error wrapping the cause
// (scraper.ErrLayoutChanged, scraper.ErrNotFound, *scraper.HTTPError).
func (s *Scraper) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	committee = strings.ToUpper(strings.TrimSpace(committee))
	if !reAcronym.MatchString(committee) {
		return nil, fmt.Errorf("commons: %q is not a committee acronym", committee)
	}
	ps := reSession.FindStringSubmatch(strings.TrimSpace(session))
	if ps == nil {
		return nil, fmt.Errorf("commons: %q is not a session (want P-S, like 45-1)", session)
	}
	session = ps[0]
	path := fmt.Sprintf("/Committees/en/%s/Meetings?parl=%s&session=%s", committee, ps[1], ps[2])

	isJoint := Joint(committee)
	site := scraper.OurCommons
	if isJoint {
		site = scraper.Parl
	}
	pageURL := s.c.URL(site, path)
	page, err := s.getPage(ctx, pageURL)
	if err != nil && !isJoint && errors.Is(err, scraper.ErrNotFound) {
		// A joint committee we do not know of: ourcommons.ca 404s, parl.ca serves it.
		site, isJoint = scraper.Parl, true
		pageURL = s.c.URL(site, path)
		var err2 error
		if page, err2 = s.getPage(ctx, pageURL); err2 != nil {
			return nil, fmt.Errorf("commons: %s %s meetings: %w", committee, session, err)
		}
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("commons: %s %s meetings: %w", committee, session, err)
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	ms, perr := parseMeetingsAs(bytes.NewReader(page.Body), committee, session, isJoint, now)
	if len(ms) == 0 {
		return nil, fmt.Errorf("commons: %s: %w", pageURL, perr)
	}
	errs := []error{scraper.WithMeetingURL(perr, pageURL)}
	for i := range ms {
		m := &ms[i]
		if m.Status != billwatch.HearingScheduled || m.noticeURL == "" {
			continue
		}
		finish := m.End
		if finish.IsZero() {
			finish = m.Start
		}
		if !finish.After(now) {
			continue
		}
		if err := s.readNotice(ctx, m); err != nil {
			m.Gap = billwatch.GapNotice
			errs = append(errs, &MeetingError{Source: "commons", Committee: committee, Session: session, Number: m.Number, ID: m.id, URL: m.noticeURL, Partial: true, Err: err})
		}
	}
	slices.SortStableFunc(ms, func(a, b meeting) int { return a.Number - b.Number })
	hs := make([]billwatch.Hearing, len(ms))
	for i, m := range ms {
		hs[i] = m.Hearing
		hs[i].Jurisdiction = billwatch.Canada
	}
	return hs, errors.Join(errs...)
}

// getPage fetches a whole HTML page: a soft 404, a page cut short (even with a Content-Length
// that matches) or something that is not HTML is an error naming the URL, never half a list
// or a notice without its witnesses.
func (s *Scraper) getPage(ctx context.Context, u string) (*scraper.Page, error) {
	page, err := s.c.Get(ctx, u)
	if err != nil {
		return nil, err
	}
	if err := scraper.CheckHTML(page.Body); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return page, nil
}

// readNotice fetches and applies a meeting's notice.
func (s *Scraper) readNotice(ctx context.Context, m *meeting) error {
	u, err := url.Parse(m.noticeURL)
	if err != nil {
		return fmt.Errorf("notice link: %w", err)
	}
	var fetch string
	switch host := strings.ToLower(u.Hostname()); host {
	case "www.ourcommons.ca", "ourcommons.ca", "www.noscommunes.ca", "noscommunes.ca":
		fetch = s.c.Rebase(scraper.OurCommons, m.noticeURL, host)
	case "www.parl.ca", "parl.ca", "www.parl.gc.ca", "parl.gc.ca":
		fetch = s.c.Rebase(scraper.Parl, m.noticeURL, host)
	default:
		return fmt.Errorf("notice on unexpected host %q, not fetched", host)
	}
	page, err := s.getPage(ctx, fetch)
	if err != nil {
		return err
	}
	n, err := parseNotice(bytes.NewReader(page.Body))
	if err != nil {
		m.Checks = append(m.Checks, noticeChecks(nil)...)
		return err
	}
	applyNotice(m, n)
	return nil
}

// noticeChecks says which of the fields expected of every notice were found: its time, what
// it is on, and who appears. A notice that could not be read at all found none.
func noticeChecks(n *notice) []billwatch.FieldCheck {
	const page = "ourcommons notices"
	if n == nil {
		return []billwatch.FieldCheck{{Page: page, Field: "time"}, {Page: page, Field: "study"}, {Page: page, Field: "witnesses"}}
	}
	named := false
	for _, w := range n.Witnesses {
		named = named || w.Name != ""
	}
	return []billwatch.FieldCheck{
		{Page: page, Field: "time", Found: !n.Start.IsZero()},
		{Page: page, Field: "study", Found: len(n.Subjects) > 0},
		{Page: page, Field: "witnesses", Found: named},
	}
}

// applyNotice adds what a notice says to the meeting the list gave: the notice is the later
// and fuller word on witnesses, subject, room and time; the list's own values stay where the
// notice is silent.
func applyNotice(m *meeting, n notice) {
	m.Witnesses = n.Witnesses
	if n.Room != "" {
		m.Room = n.Room
	}
	if len(m.Studies) == 0 && len(n.Subjects) > 0 {
		m.Studies = n.Subjects
	}
	for _, b := range n.Bills {
		if !slices.Contains(m.Bills, b) {
			m.Bills = append(m.Bills, b)
		}
	}
	if !n.Start.IsZero() && n.Start.Hour()+n.Start.Minute() > 0 {
		m.Start = n.Start
		if !n.End.IsZero() {
			m.End = n.End
		}
	}
	if m.Broadcast == "" {
		m.Broadcast = n.Broadcast
	}
	m.InCamera = m.InCamera || n.InCamera
	m.NoticeAmended = m.NoticeAmended || n.Amended
	m.NoticePublished = n.Published
	m.Gaps = append(m.Gaps, n.Gaps...)
	m.Checks = append(m.Checks, noticeChecks(&n)...)
}
