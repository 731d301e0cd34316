package tracker

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

func TestStaleBill(t *testing.T) {
	t.Parallel()
	stored := func(status string, phase billwatch.Phase, listed, seen time.Time, detailed bool) billState {
		b := bill("C-22", "An Act respecting lawful access", status, listed)
		b.Phase = phase
		return billState{Bill: b, Detailed: detailed, ListActivity: listed, ListSeen: seen}
	}
	entry := func(status string, phase billwatch.Phase, at time.Time) billwatch.Bill {
		b := bill("C-22", "An Act respecting lawful access", status, at)
		b.Phase = phase
		return b
	}
	const second, committee, report, assent = "At second reading in the House of Commons", "At consideration in committee in the House of Commons", "At report stage in the House of Commons", "Royal assent received"
	senateSecond := "At second reading in the Senate"
	for _, tc := range []struct {
		name  string
		prev  billState
		had   bool
		entry billwatch.Bill
		stale bool
	}{
		{"new bill", billState{}, false, entry(second, billwatch.PhaseSecond, day(1)), false},
		{"older stamp", stored(committee, billwatch.PhaseCommittee, day(20), time.Time{}, true), true, entry(second, billwatch.PhaseSecond, day(13)), true},
		{"older than a stamp seen since the record", stored(committee, billwatch.PhaseCommittee, day(10), day(20), true), true, entry(committee, billwatch.PhaseCommittee, day(15)), true},
		{"older than the list stamp of a bill never detailed", func() billState {
			s := stored(committee, billwatch.PhaseCommittee, day(10), time.Time{}, false)
			s.Bill.LatestActivityAt = day(20)
			return s
		}(), true, entry(committee, billwatch.PhaseCommittee, day(15)), true},
		{"same stamp, same status", stored(committee, billwatch.PhaseCommittee, day(20), time.Time{}, true), true, entry(committee, billwatch.PhaseCommittee, day(20)), false},
		{"same stamp as the record read, behind it (the record stands)", stored(report, billwatch.PhaseReport, day(20), time.Time{}, true), true, entry(committee, billwatch.PhaseCommittee, day(20)), false},
		{"newer stamp, moving back (sent back to committee)", stored(report, billwatch.PhaseReport, day(20), time.Time{}, true), true, entry(committee, billwatch.PhaseCommittee, day(21)), false},
		{"same stamp, moving back", stored(report, billwatch.PhaseReport, day(20), time.Time{}, false), true, entry(committee, billwatch.PhaseCommittee, day(20)), true},
		{"no stamp, moving back from royal assent", stored(assent, billwatch.PhaseRoyalAssent, time.Time{}, time.Time{}, false), true, entry(second, billwatch.PhaseSecond, time.Time{}), true},
		{"no stamp, to second reading in the other house", stored(report, billwatch.PhaseReport, time.Time{}, time.Time{}, false), true, entry(senateSecond, billwatch.PhaseSecond, time.Time{}), false},
		{"same stamp, forward", stored(committee, billwatch.PhaseCommittee, day(20), time.Time{}, false), true, entry(report, billwatch.PhaseReport, day(20)), false},
	} {
		why, stale := staleBill(tc.prev, tc.had, tc.entry)
		if stale != tc.stale || stale && !strings.Contains(why, "C-22") {
			t.Errorf("%s: staleBill = %v %q, want %v", tc.name, stale, why, tc.stale)
		}
	}
}

func TestStaleHearing(t *testing.T) {
	t.Parallel()
	at := func(stamp string) hearingState {
		return hearingState{Hearing: billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: 25, NoticePublished: stamp}}
	}
	for _, tc := range []struct {
		stored, read string
		stale        bool
	}{
		{"2026-11-24 16:12", "2026-11-20 11:47", true},
		{"2026-11-20 11:47", "2026-11-24 16:12", false},
		{"2026-11-24 16:12", "2026-11-24 16:12", false},
		{"2026-11-24 16:12", "", false},                     // a list, or a notice not read
		{"", "2026-11-20 11:47", false},                     // the first notice read
		{"2024-02-09 3:10 p.m.", "2024-02-01 10:00", false}, // a stamp the store holds in another form: no judgement
	} {
		if _, stale := staleHearing(at(tc.stored), at(tc.read)); stale != tc.stale {
			t.Errorf("stored %q, read %q: stale = %v, want %v", tc.stored, tc.read, stale, tc.stale)
		}
	}
}

// TestBillBackToAnEarlierStatusIsNews: a bill at report stage is sent back to committee, then
// reported again. Each move has a newer activity stamp and is alerted, the second report
// stage too: its alert is not taken for the first one's.
func TestBillBackToAnEarlierStatusIsNews(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	if s := h.tr.ScrapeBills(ctx, "45-1"); !s.Baseline {
		t.Fatalf("baseline = %s", s.Line())
	}
	move := func(d int, status string, phase billwatch.Phase) []string {
		t.Helper()
		h.now = day(d + 1)
		c22 := h.bills.list[0]
		c22.Status, c22.Phase, c22.LatestActivityAt = status, phase, day(d)
		h.bills.list[0] = c22
		rec := h.bills.records["C-22"]
		rec.Status, rec.Phase, rec.LatestActivityAt = status, phase, day(d)
		rec.Stages = []billwatch.Stage{{Chamber: billwatch.House, Name: "Consideration in committee", State: "In progress", Committee: "SECU"}}
		h.bills.records["C-22"] = rec
		s := h.tr.ScrapeBills(ctx, "45-1")
		if s.Outcome != OK || s.Stale != 0 {
			t.Fatalf("day %d: %s", d, s.Line())
		}
		return h.kinds(s.Alerts)
	}
	want := []string{"bill.stage 45-1 C-22"}
	for i, m := range []struct {
		day    int
		status string
		phase  billwatch.Phase
	}{
		{12, "At consideration in committee in the House of Commons", billwatch.PhaseCommittee},
		{16, "At report stage in the House of Commons", billwatch.PhaseReport},
		{18, "At consideration in committee in the House of Commons", billwatch.PhaseCommittee},
		{22, "At report stage in the House of Commons", billwatch.PhaseReport},
	} {
		if got := move(m.day, m.status, m.phase); !slices.Equal(got, want) {
			t.Errorf("move %d (%s on day %d): alerts %v, want %v", i+1, m.status, m.day, got, want)
		}
	}
	// The same list again is no news, and a stale copy of an earlier one is passed over.
	if got := move(22, "At report stage in the House of Commons", billwatch.PhaseReport); len(got) != 0 {
		t.Errorf("the same list again: alerts %v", got)
	}
	h.bills.list[0].Status, h.bills.list[0].Phase, h.bills.list[0].LatestActivityAt = "At consideration in committee in the House of Commons", billwatch.PhaseCommittee, day(18)
	s := h.tr.ScrapeBills(ctx, "45-1")
	if len(s.Alerts) != 0 || s.Stale != 1 || !strings.Contains(s.Line(), "1 stale copies ignored") {
		t.Errorf("stale list: %s", s.Line())
	}
	if b, _, _ := h.tr.Store.Bill("45-1", "C-22"); b.Status != "At report stage in the House of Commons" {
		t.Errorf("after the stale list, C-22 is %q", b.Status)
	}
}

// erringHearings lists its meetings with an error: a schedule read in part.
type erringHearings struct{ fakeHearings }

func (f *erringHearings) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	hs, _ := f.fakeHearings.Meetings(ctx, committee, session)
	return hs, errors.New("senate: SECD past meetings: 503")
}

// TestUnnumberedMeetingsPairedOnlyWhenUnambiguous: two unnumbered meetings of a committee on
// one study vanish and two appear: which moved where cannot be told, so neither is a move
// (two scheduled alerts, two meetings no longer listed); a meeting on another study is not
// taken for a moved one; and a schedule read with an error unlists nothing.
func TestUnnumberedMeetingsPairedOnlyWhenUnambiguous(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	meeting := func(day, hour int, study string) billwatch.Hearing {
		return billwatch.Hearing{Chamber: billwatch.Senate, Committee: "SECD", Session: "45-1",
			Start: time.Date(2026, 12, day, hour, 0, 0, 0, billwatch.Eastern), Status: billwatch.HearingScheduled,
			Studies: []string{study}, Bills: []string{}}
	}
	const fi, other = "Study on foreign interference", "Study on veterans"
	plan := HearingPlan{Session: "45-1", Senate: []string{"SECD"}}
	h.now = day(20)
	senate := &fakeHearings{hs: []billwatch.Hearing{meeting(1, 11, fi), meeting(2, 11, fi), meeting(3, 11, other)}}
	if s := h.tr.ScrapeHearings(t.Context(), nil, senate, plan); s.Outcome != OK || !s.Baseline {
		t.Fatalf("baseline: %s", s.Line())
	}
	// Read in part: the three are missing, nothing is judged.
	partial := &erringHearings{fakeHearings{hs: []billwatch.Hearing{meeting(9, 11, other)}}}
	h.tr.ScrapeHearings(t.Context(), nil, partial, plan)
	hs, _ := h.tr.Store.Hearings()
	for _, m := range hs {
		if m.Unlisted != "" {
			t.Errorf("after a read in part, %s is unlisted %q", m.Key(), m.Unlisted)
		}
	}
	// Whole: both foreign interference meetings gone, two others on it appear; the veterans
	// meeting is gone with nothing on its study in its place.
	senate.hs = []billwatch.Hearing{meeting(4, 11, fi), meeting(5, 11, fi), meeting(9, 11, other)}
	s := h.tr.ScrapeHearings(t.Context(), nil, senate, plan)
	var kinds []string
	for _, a := range s.Alerts {
		kinds = append(kinds, string(a.Kind)+" "+a.Subject)
	}
	slices.Sort(kinds)
	want := []string{"hearing.scheduled SECD 45-1 meeting of 2026-12-04 11:00", "hearing.scheduled SECD 45-1 meeting of 2026-12-05 11:00"}
	if !slices.Equal(kinds, want) {
		t.Errorf("alerts = %v, want %v (%s)", kinds, want, s.Line())
	}
	hs, _ = h.tr.Store.Hearings()
	unlisted := map[string]string{}
	for _, m := range hs {
		if m.Unlisted != "" {
			unlisted[m.Key()] = UnlistedNote(m.Hearing)
		}
	}
	if len(unlisted) != 3 || unlisted["Senate SECD 45-1 2026-12-03T11:00"] != "no longer listed since 2026-11-20" {
		t.Errorf("unlisted = %v, want the three meetings of December 1, 2 and 3, none moved", unlisted)
	}
}
