package tracker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// fakeHearings serves one committee's meetings, with the checks their notices produced.
type fakeHearings struct{ hs []billwatch.Hearing }

func (f *fakeHearings) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	var out []billwatch.Hearing
	for _, h := range f.hs {
		if h.Committee == committee {
			out = append(out, h)
		}
	}
	return out, nil
}

// sixNotices is a week of SECU meetings, each with a notice whose witnesses parsed or not.
func sixNotices(witnesses bool) []billwatch.Hearing {
	var hs []billwatch.Hearing
	for i := 1; i <= 6; i++ {
		h := billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: 30 + i,
			Start: time.Date(2026, 12, i, 15, 30, 0, 0, billwatch.Eastern), Status: billwatch.HearingScheduled,
			Studies: []string{"Study of foreign interference"}, Bills: []string{}}
		h.Checks = []billwatch.FieldCheck{
			{Page: "ourcommons notices", Field: "time", Found: true},
			{Page: "ourcommons notices", Field: "study", Found: true},
			{Page: "ourcommons notices", Field: "witnesses", Found: witnesses},
		}
		if witnesses {
			h.Witnesses = []billwatch.Witness{{Name: "Jane Roe", Organization: "Canadian Civil Liberties Association"}}
		}
		hs = append(hs, h)
	}
	return hs
}

func TestDriftUnhealthyAndRecovered(t *testing.T) {
	h := newHarness(t)
	src := &fakeHearings{hs: sixNotices(true)}
	plan := HearingPlan{Session: "45-1", House: []string{"SECU"}}
	pass := func() Summary {
		sum := h.tr.ScrapeHearings(context.Background(), src, nil, plan)
		h.now = h.now.Add(time.Hour)
		return sum
	}
	driftAlerts := func(sum Summary) []billwatch.Alert {
		var out []billwatch.Alert
		for _, a := range sum.Alerts {
			if a.Kind == billwatch.KindSourceUnhealthy || a.Kind == billwatch.KindSourceRecovered {
				out = append(out, a)
			}
		}
		return out
	}

	if sum := pass(); len(driftAlerts(sum)) != 0 {
		t.Fatalf("first pass raised %v", h.kinds(sum.Alerts))
	}
	// An unchanged pass writes nothing: the levels are stored only when they change.
	if sum := pass(); sum.Wrote || len(sum.Alerts) != 0 {
		t.Errorf("unchanged pass: wrote %v, alerts %v; want no write, no alert", sum.Wrote, h.kinds(sum.Alerts))
	}

	// The notice is redesigned: the witnesses stop parsing on every notice.
	src.hs = sixNotices(false)
	sum := pass()
	got := driftAlerts(sum)
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceUnhealthy || got[0].Audience != billwatch.Ops {
		t.Fatalf("redesigned notices: drift alerts %v, want one source.unhealthy to ops", h.kinds(got))
	}
	if want := "ourcommons notices: witnesses found on 0 of 6 notices, was 6 of 6"; got[0].Why != want {
		t.Errorf("source.unhealthy why = %q, want %q", got[0].Why, want)
	}
	health, err := h.tr.Store.Health()
	if err != nil {
		t.Fatal(err)
	}
	c := health[SourceHearings].Coverage["ourcommons notices witnesses"]
	if !c.Drifted || c.LevelFound != 6 || c.LevelOf != 6 {
		t.Errorf("stored coverage = %+v, want drifted, level 6 of 6", c)
	}
	if tc := health[SourceHearings].Coverage["ourcommons notices time"]; tc.Drifted || tc.LevelFound != 6 {
		t.Errorf("stored coverage of time = %+v, want level 6 of 6, not drifted", tc)
	}
	runs, err := h.tr.Store.RunStatuses()
	if err != nil {
		t.Fatal(err)
	}
	if fs := runs[SourceHearings].Fields; len(fs) != 3 || fs[2] != (FieldShare{Page: "ourcommons notices", Field: "witnesses", Found: 0, Of: 6}) {
		t.Errorf("status file fields = %+v, want witnesses 0 of 6 last", fs)
	}
	// Still broken: no second alert.
	if sum := pass(); len(driftAlerts(sum)) != 0 {
		t.Errorf("still broken: drift alerts %v, want none", h.kinds(driftAlerts(sum)))
	}

	// The parser is fixed (or the site reverts): the witnesses parse again.
	src.hs = sixNotices(true)
	got = driftAlerts(pass())
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceRecovered || !strings.Contains(got[0].Why, "witnesses found on 6 of 6 notices") {
		t.Fatalf("fixed notices: drift alerts %+v, want one source.recovered", got)
	}
	// A second drop is a new episode, alerted again.
	src.hs = sixNotices(false)
	if got := driftAlerts(pass()); len(got) != 1 || got[0].Kind != billwatch.KindSourceUnhealthy {
		t.Errorf("second drop: drift alerts %v, want a new source.unhealthy", h.kinds(got))
	}
}

func TestCountChecks(t *testing.T) {
	t.Parallel()
	got := countChecks([]billwatch.FieldCheck{
		{Page: "b", Field: "x", Found: true}, {Page: "a", Field: "y"}, {Page: "b", Field: "x"}, {Page: "a", Field: "y", Found: true},
	})
	want := []FieldShare{{Page: "a", Field: "y", Found: 1, Of: 2}, {Page: "b", Field: "x", Found: 1, Of: 2}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("countChecks = %+v, want %+v", got, want)
	}
}

// A held text is fetched again when its publication's metadata changes in the record, not
// merely because the record was read again.
func TestHeldTextRefetchedOnlyWhenDue(t *testing.T) {
	h := newHarness(t)
	h.week1()
	h.tr.ScrapeBills(context.Background(), "45-1")
	if h.texts.calls != 1 {
		t.Fatalf("baseline text fetches = %d, want 1", h.texts.calls)
	}
	move := func(d int, pubName string) {
		h.now = h.now.Add(24 * time.Hour)
		c22 := h.bills.list[0]
		c22.LatestActivityAt = day(d)
		h.bills.list[0] = c22
		rec := h.bills.records["C-22"]
		rec.LatestActivityAt = day(d)
		rec.Publications = []billwatch.Publication{{ID: "100", Type: billwatch.FirstReading, Name: pubName}}
		h.bills.records["C-22"] = rec
		h.tr.ScrapeBills(context.Background(), "45-1")
	}
	move(17, "First Reading")
	if h.texts.calls != 1 {
		t.Errorf("record re-read, publication unchanged: text fetches = %d, want 1", h.texts.calls)
	}
	move(18, "First Reading (reprinted)")
	if h.texts.calls != 2 {
		t.Errorf("publication renamed: text fetches = %d, want 2", h.texts.calls)
	}
}

// A Senate schedule without meeting numbers is matched with the bill records by committee and
// date: the meeting is linked to the bill, and no date-only copy is added from the record.
func TestUnnumberedSenateMeetingLinkedByDate(t *testing.T) {
	h := newHarness(t)
	h.week1()
	rec := h.bills.records["C-22"]
	rec.Meetings = []billwatch.Meeting{{Chamber: billwatch.Senate, Committee: "LCJC", Number: 7, Date: "2026-12-02"}}
	h.bills.records["C-22"] = rec
	h.tr.ScrapeBills(context.Background(), "45-1")
	senate := &fakeHearings{hs: []billwatch.Hearing{{Chamber: billwatch.Senate, Committee: "LCJC", Session: "45-1",
		Start: time.Date(2026, 12, 2, 16, 15, 0, 0, billwatch.Eastern), Status: billwatch.HearingScheduled,
		Studies: []string{"Study of the subject matter"}, Bills: []string{}}}}
	h.tr.ScrapeHearings(context.Background(), nil, senate, HearingPlan{Session: "45-1", Senate: []string{"LCJC"}})
	hs, err := h.tr.Store.Hearings()
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].Number != 0 || len(hs[0].Bills) != 1 || hs[0].Bills[0] != "C-22" || hs[0].FromBillRecord {
		t.Fatalf("stored hearings = %+v, want the schedule's unnumbered LCJC meeting, linked to C-22, and no copy from the record", hs)
	}
	if hs[0].Key() != "Senate LCJC 45-1 2026-12-02T16:15" {
		t.Errorf("key = %q", hs[0].Key())
	}
	// Its reminder names it by its start, and links to its page.
	h.now = time.Date(2026, 12, 1, 9, 0, 0, 0, billwatch.Eastern)
	if _, err := h.tr.Reminders(context.Background(), DefaultReminders); err != nil {
		t.Fatal(err)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	found := false
	for _, a := range alerts {
		if a.Kind != billwatch.KindHearingReminder {
			continue
		}
		found = true
		if !strings.Contains(a.Title, "LCJC meeting of 2026-12-02 16:15") || a.PagePath() != "/hearings/45-1/LCJC/2026-12-02T16:15" {
			t.Errorf("reminder %q links to %s, want it named and linked by its start", a.Title, a.PagePath())
		}
	}
	if !found {
		t.Errorf("no reminder the day before the meeting; alerts: %v", alerts)
	}
}

// rechecker is a text source that answers the weekly check conditionally.
type rechecker struct {
	*fakeTexts
	etag     string
	rechecks []string // "id etag-sent"
}

func (r *rechecker) TextValidated(ctx context.Context, pub billwatch.Publication) (string, []byte, Validators, error) {
	u, b, err := r.Text(ctx, pub)
	return u, b, Validators{ETag: r.etag}, err
}

func (r *rechecker) Recheck(ctx context.Context, pub billwatch.Publication, url string, v Validators) ([]byte, Validators, bool, error) {
	r.rechecks = append(r.rechecks, pub.ID+" "+v.ETag)
	if v.ETag == r.etag {
		return nil, v, false, nil
	}
	return []byte(r.texts[pub.ID]), Validators{ETag: r.etag}, true, nil
}

// A week after a text was fetched it is asked for again with its ETag: unchanged costs nothing
// more; a silent republication under the same id is stored and compared.
func TestWeeklyConditionalRecheck(t *testing.T) {
	h := newHarness(t)
	rc := &rechecker{fakeTexts: h.texts, etag: `"a"`}
	h.tr.Texts = rc
	h.week1()
	h.tr.ScrapeBills(context.Background(), "45-1")
	h.now = h.now.Add(6 * 24 * time.Hour)
	h.tr.ScrapeBills(context.Background(), "45-1")
	if len(rc.rechecks) != 0 || h.texts.calls != 1 {
		t.Fatalf("six days on: rechecks %v, fetches %d; want none", rc.rechecks, h.texts.calls)
	}
	h.now = h.now.Add(24 * time.Hour)
	sum := h.tr.ScrapeBills(context.Background(), "45-1")
	if len(rc.rechecks) != 1 || rc.rechecks[0] != `100 "a"` || h.texts.calls != 1 || sum.Versions != 0 || len(sum.Alerts) != 0 {
		t.Fatalf("a week on: rechecks %v, fetches %d, versions %d, alerts %v; want one conditional check, nothing new", rc.rechecks, h.texts.calls, sum.Versions, h.kinds(sum.Alerts))
	}
	h.now = h.now.Add(24 * time.Hour)
	if h.tr.ScrapeBills(context.Background(), "45-1"); len(rc.rechecks) != 1 {
		t.Errorf("the day after: rechecks %v, want still one", rc.rechecks)
	}
	// Republished silently a week later.
	h.now = h.now.Add(7 * 24 * time.Hour)
	rc.etag = `"b"`
	h.texts.texts["100"] = "first reading text, corrected"
	sum = h.tr.ScrapeBills(context.Background(), "45-1")
	if len(rc.rechecks) != 2 || sum.Versions != 1 {
		t.Errorf("republished: rechecks %v, versions %d; want a second check and the new version stored", rc.rechecks, sum.Versions)
	}
}
