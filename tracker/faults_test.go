package tracker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
)

// noticeMeetings returns its meetings, and for each one whose notice it could not read
// (Gap set), an error naming the notice, as the commons scraper does.
type noticeMeetings struct{ meetings []billwatch.Hearing }

func (f *noticeMeetings) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	var errs []error
	for _, m := range f.meetings {
		if m.Gap != "" {
			errs = append(errs, fmt.Errorf("commons: %s meeting %d at %s: HTTP 503", committee, m.Number, m.URL))
		}
	}
	return slices.Clone(f.meetings), errors.Join(errs...)
}

// TestNoticeReadFirstTimeIsNoAmendment: the notice of a new meeting fails on the pass that
// finds it; the next pass reads it. That is not an amendment. A notice that fails after
// being read leaves its witnesses standing; a real amendment is still one.
func TestNoticeReadFirstTimeIsNoAmendment(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	plan := HearingPlan{Session: "45-1", House: []string{"SECU"}}
	m24 := meeting("SECU", 24, day(26), "Surveillance technologies")
	src := &noticeMeetings{meetings: []billwatch.Hearing{m24}}
	if s := h.tr.ScrapeHearings(ctx, src, nil, plan); s.Outcome != OK || !s.Baseline {
		t.Fatalf("baseline = %s", s.Line())
	}
	read := meeting("SECU", 25, day(27), "Bill C-22, lawful access")
	read.Room = "Room 225-A, West Block"
	read.Witnesses = []billwatch.Witness{{Name: "Jane Doe", Organization: "Canadian Civil Liberties Association"}}
	unread := meeting("SECU", 25, day(27), "Bill C-22, lawful access")
	unread.Gap = billwatch.GapNotice

	steps := []struct {
		name    string
		m       billwatch.Hearing
		outcome Outcome
		want    []string
	}{
		{"notice fails on the pass that finds the meeting", unread, Partial, []string{"hearing.scheduled SECU 45-1 meeting 25"}},
		{"notice read for the first time", read, OK, nil},
		{"notice fails again", unread, Partial, nil},
		{"unchanged", read, OK, nil},
	}
	for _, st := range steps {
		src.meetings = []billwatch.Hearing{m24, st.m}
		s := h.tr.ScrapeHearings(ctx, src, nil, plan)
		if s.Outcome != st.outcome || !slices.Equal(h.kinds(s.Alerts), st.want) {
			t.Errorf("%s: %s, alerts %v; want %s, %v", st.name, s.Line(), h.kinds(s.Alerts), st.outcome, st.want)
		}
		hs, err := h.tr.Store.Hearings()
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range hs {
			if x.Number == 25 && st.name != steps[0].name && (len(x.Witnesses) != 1 || x.Gap != "" || x.Room == "") {
				t.Errorf("%s: stored meeting 25 = %+v, want the notice's witnesses and room, no gap", st.name, x.Hearing)
			}
		}
	}
	amended := read
	amended.Witnesses = append(slices.Clone(read.Witnesses), billwatch.Witness{Name: "John Roe", Organization: "OpenMedia"})
	src.meetings = []billwatch.Hearing{m24, amended}
	s := h.tr.ScrapeHearings(ctx, src, nil, plan)
	if k := h.kinds(s.Alerts); !slices.Equal(k, []string{"hearing.changed SECU 45-1 meeting 25"}) || !strings.Contains(s.Alerts[0].Why, "witnesses added: John Roe (OpenMedia)") {
		t.Errorf("amended notice: alerts %v, want hearing.changed naming the witness added", k)
	}
}

// fakeGazette returns its items; an unread one comes with an error naming its page.
type fakeGazette struct{ items []billwatch.Regulation }

func (f *fakeGazette) Regulations(ctx context.Context, known map[string]billwatch.Regulation) ([]billwatch.Regulation, error) {
	var errs []error
	for _, r := range f.items {
		if r.Unread {
			errs = append(errs, fmt.Errorf("gazette: %s: HTTP 503", r.URL))
		}
	}
	return slices.Clone(f.items), errors.Join(errs...)
}

// TestUnreadGazettePageRaisesNoAlert: a proposal whose page answers 503 is stored from its
// index, with no alert; once the page is read, exactly one regulation.proposed, with the
// comment deadline. A later failure of the page changes nothing.
func TestUnreadGazettePageRaisesNoAlert(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	old := billwatch.Regulation{Part: "I", ID: "2026-11-14-reg1", Title: "Regulations Amending the Secure Air Travel Regulations",
		Department: "Department of Public Safety and Emergency Preparedness", Published: "2026-11-14", URL: "https://gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/reg1-eng.html"}
	src := &fakeGazette{items: []billwatch.Regulation{old}}
	if s := h.tr.ScrapeRegulations(ctx, src); s.Outcome != OK || !s.Baseline {
		t.Fatalf("baseline = %s", s.Line())
	}
	days := 30
	read := billwatch.Regulation{Part: "I", ID: "2026-11-21-reg1", Title: "Regulations Amending the Immigration and Refugee Protection Regulations (Biometrics)",
		Department: "Canada Border Services Agency", Acts: []string{"Immigration and Refugee Protection Act"}, Published: "2026-11-21",
		CommentDays: &days, URL: "https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/reg1-eng.html"}
	unread := billwatch.Regulation{Part: "I", ID: read.ID, Title: read.Title, Department: read.Department, Published: read.Published, URL: read.URL,
		Unread: true, Gap: "page not read (HTTP 503); comment period not found"}
	steps := []struct {
		name    string
		r       billwatch.Regulation
		outcome Outcome
		want    []string
	}{
		{"page answers 503", unread, Partial, nil},
		{"page answers 503 again", unread, Partial, nil},
		{"page read", read, OK, []string{"regulation.proposed Gazette 2026-11-21-reg1"}},
		{"page fails after being read", unread, Partial, nil},
		{"page read again", read, OK, nil},
	}
	for _, st := range steps {
		src.items = []billwatch.Regulation{old, st.r}
		s := h.tr.ScrapeRegulations(ctx, src)
		if s.Outcome != st.outcome || !slices.Equal(h.kinds(s.Alerts), st.want) {
			t.Errorf("%s: %s, alerts %v; want %s, %v", st.name, s.Line(), h.kinds(s.Alerts), st.outcome, st.want)
		}
		for _, a := range s.Alerts {
			if a.Kind == billwatch.KindRegulationProposed && (a.Deadline != "2026-12-21" || strings.Contains(a.Why, "corrected")) {
				t.Errorf("%s: %s why %q deadline %q; want the first notice of the proposal, by 2026-12-21", st.name, a.Kind, a.Why, a.Deadline)
			}
		}
	}
	regs, _ := h.tr.Store.Regulations()
	for _, r := range regs {
		if r.ID == read.ID && (r.Unread || r.CommentDeadline != "2026-12-21") {
			t.Errorf("stored %s = %+v, want the page as read", r.ID, r)
		}
	}
}

// TestPageFailingEveryPassMakesSourceUnhealthy: a bill record that fails on every pass (the
// pass is partial, never failed) makes the source unhealthy after UnhealthyAfter passes,
// once, and recovered once it reads again.
func TestPageFailingEveryPassMakesSourceUnhealthy(t *testing.T) {
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	c22 := h.bills.list[0]
	c22.LatestActivityAt = day(20)
	h.bills.list[0] = c22
	const page = "https://www.parl.ca/legisinfo/en/bill/45-1/c-22/xml"
	for pass := 1; pass <= 4; pass++ {
		// The error differs from pass to pass; the page is the same.
		h.bills.recErr["C-22"] = fmt.Errorf("legisinfo: fetch %s: %s", page, []string{"HTTP 503", "context deadline exceeded", "truncated body", "HTTP 502"}[pass-1])
		s := h.tr.ScrapeBills(ctx, "45-1")
		var want []string
		if pass == 3 {
			want = []string{"source.unhealthy source bills"}
		}
		if s.Outcome != Partial || !slices.Equal(h.kinds(s.Alerts), want) {
			t.Errorf("pass %d: %s, alerts %v; want partial, %v", pass, s.Line(), h.kinds(s.Alerts), want)
		}
		if pass == 3 && (len(s.Alerts) != 1 || !strings.Contains(s.Alerts[0].Why, page) || !strings.Contains(s.Alerts[0].Text, page)) {
			t.Errorf("unhealthy alert = %+v, want it to name %s", s.Alerts, page)
		}
	}
	health, _ := h.tr.Store.Health()
	if hb := health["bills"]; !hb.Unhealthy || !strings.Contains(hb.LastError, page) {
		t.Errorf("health of bills = %+v, want unhealthy naming the page", hb)
	}
	delete(h.bills.recErr, "C-22")
	s := h.tr.ScrapeBills(ctx, "45-1")
	if k := h.kinds(s.Alerts); !slices.Contains(k, "source.recovered source bills") {
		t.Errorf("record read again: alerts %v, want source.recovered", k)
	}
	// A page failing now and then (not on every pass) is no reason to alarm.
	for pass := 1; pass <= 4; pass++ {
		c22.LatestActivityAt = day(20 + pass)
		h.bills.list[0] = c22
		h.bills.recErr["C-22"] = nil
		if pass%2 == 1 {
			h.bills.recErr["C-22"] = fmt.Errorf("legisinfo: fetch %s: HTTP 503", page)
		}
		if s := h.tr.ScrapeBills(ctx, "45-1"); slices.ContainsFunc(s.Alerts, func(a billwatch.Alert) bool { return a.Kind == billwatch.KindSourceUnhealthy }) {
			t.Errorf("intermittent failure, pass %d: %v", pass, h.kinds(s.Alerts))
		}
	}
}
