package tracker

import (
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// The judges decide from old state and a new observation alone: no database here.

func TestJudgeRegulation(t *testing.T) {
	t.Parallel()
	days := 30
	read := billwatch.Regulation{Part: "I", ID: "2026-06-20-reg1", Title: "Border Regulations", Published: "2026-06-20", CommentDays: &days, CommentDeadline: "2026-07-20", Relevant: true, Reasons: []string{"department Public Safety"}}
	unread := read
	unread.Unread, unread.CommentDays, unread.CommentDeadline = true, nil, ""
	corrected := read
	corrected.CommentDeadline = "2026-07-25"
	irrelevant := read
	irrelevant.Relevant, irrelevant.Reasons = false, nil

	for _, c := range []struct {
		name      string
		old       *billwatch.Regulation
		r         billwatch.Regulation
		partKnown bool
		want      regulationVerdict
	}{
		{"unchanged", &read, read, true, regulationVerdict{}},
		{"new item", nil, read, true, regulationVerdict{Store: true, Alert: true}},
		{"new item on a part's baseline", nil, read, false, regulationVerdict{Store: true}},
		{"new item not relevant", nil, irrelevant, true, regulationVerdict{Store: true}},
		{"new item known from its index only", nil, unread, true, regulationVerdict{Store: true}},
		{"page read before, unread now", &read, unread, true, regulationVerdict{}},
		{"page read at last", &unread, read, true, regulationVerdict{Store: true, Alert: true}},
		{"deadline corrected", &read, corrected, true, regulationVerdict{Store: true, Alert: true, Prev: &read}},
		{"corrected on a part's baseline", &read, corrected, false, regulationVerdict{Store: true}},
	} {
		got := judgeRegulation(c.old, c.r, c.partKnown)
		if got.Store != c.want.Store || got.Alert != c.want.Alert || got.Prev != c.want.Prev {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestAnnotateRegulations(t *testing.T) {
	t.Parallel()
	days := 30
	profile := Profile{Departments: []string{"Public Safety"}}
	stored := []billwatch.Regulation{
		{Part: "I", ID: "2026-03-01-reg1", Title: "Regulations Amending the Firearms Licensing Regulations", Published: "2026-03-01", Department: "Public Safety", Relevant: true},
		{Part: "II", ID: "2026-01-01-reg9", Title: "Something Else", Published: "2026-01-01"},
	}
	items := []billwatch.Regulation{
		{Part: "I", ID: "2026-06-20-reg2", Title: "Fisheries Regulations", Department: "Fisheries and Oceans", Published: "2026-06-20", CommentDays: &days},
		{Part: "II", ID: "2026-06-24-reg3", Title: "Regulations Amending the Firearms Licensing Regulations", Department: "Finance", Published: "2026-06-24", Prepublished: "2026-03-01"},
	}
	proposals := annotateRegulations(items, stored, profile)
	if len(proposals) != 2 || proposals[0].ID != "2026-03-01-reg1" || proposals[1].ID != "2026-06-20-reg2" {
		t.Fatalf("proposals: %+v", proposals)
	}
	if items[0].CommentDeadline != "2026-07-20" || items[0].Relevant {
		t.Errorf("Part I item: deadline %q, relevant %v; want 2026-07-20, not relevant", items[0].CommentDeadline, items[0].Relevant)
	}
	if items[1].Finalises != "I 2026-03-01-reg1" || !items[1].Relevant || len(items[1].Reasons) != 1 || items[1].Reasons[0] != "finalises a watched proposal" {
		t.Errorf("Part II item: finalises %q, relevant %v, reasons %q", items[1].Finalises, items[1].Relevant, items[1].Reasons)
	}
}

func TestActToFetch(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	for _, c := range []struct {
		name string
		rec  StoredAct
		had  bool
		want bool
	}{
		{"never stored", StoredAct{}, false, true},
		{"record without a version", StoredAct{Checked: now.Add(-time.Hour)}, true, true},
		{"checked an hour ago", StoredAct{Versions: 1, Checked: now.Add(-time.Hour)}, true, false},
		{"checked just under a week ago", StoredAct{Versions: 1, Checked: now.Add(-week + time.Second)}, true, false},
		{"checked a week ago", StoredAct{Versions: 1, Checked: now.Add(-week)}, true, true},
		{"never checked", StoredAct{Versions: 1}, true, true},
	} {
		if got := actToFetch(c.rec, c.had, now, week); got != c.want {
			t.Errorf("%s: fetch %v, want %v", c.name, got, c.want)
		}
	}
}

func TestActsOutcome(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		problems, fetched, versions int
		want                        Outcome
	}{
		{0, 0, 0, OK},
		{0, 3, 1, OK},
		{1, 1, 0, Partial},
		{1, 0, 1, Partial}, // the index was stored, every Act failed
		{2, 0, 0, Failed},
	} {
		if got := actsOutcome(c.problems, c.fetched, c.versions); got != c.want {
			t.Errorf("actsOutcome(%d, %d, %d) = %v, want %v", c.problems, c.fetched, c.versions, got, c.want)
		}
	}
}

func TestJudgeHearing(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 20, 15, 30, 0, 0, time.UTC)
	sched := hearingState{Relevant: true, Watched: true, Reasons: []string{"bill: C-2"}, Hearing: billwatch.Hearing{
		Chamber: billwatch.House, Committee: "SECU", Number: 12, Start: at, Status: billwatch.HearingScheduled,
		Bills: []string{"C-2"}, Room: "West Block 025", Witnesses: []billwatch.Witness{{Name: "A. Witness"}}, NoticePublished: "2026-06-18 3:10 p.m.",
	}}
	moved := sched
	moved.Hearing.Start = at.Add(time.Hour)
	fromRecord := hearingState{FromBillRecord: true, Hearing: billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Number: 12, Start: at}}
	// The list says nothing of witnesses nor when the notice was published: the stored notice stands.
	bare := sched
	bare.Hearing.Witnesses, bare.Hearing.NoticePublished = nil, ""
	// The notice could not be read, and so the bill it names is unknown this time.
	failed := hearingState{Hearing: sched.Hearing}
	failed.Hearing.Witnesses, failed.Hearing.Bills, failed.Hearing.Room, failed.Hearing.Gap = nil, nil, "", "notice unreadable"
	gapOnly := hearingState{Relevant: true, Reasons: []string{"committee: SECU"}, Hearing: failed.Hearing}

	for _, c := range []struct {
		name      string
		old       *hearingState
		st        hearingState
		known     bool
		want      hearingVerdict
		wantState hearingState
	}{
		{"new meeting", nil, sched, true, hearingVerdict{Store: true, Alert: true}, sched},
		{"new meeting on a committee's baseline", nil, sched, false, hearingVerdict{Store: true}, sched},
		{"unchanged", &sched, sched, true, hearingVerdict{}, sched},
		{"moved", &sched, moved, true, hearingVerdict{Store: true, Alert: true, Prev: &sched}, moved},
		{"a record's date never replaces the schedule", &sched, fromRecord, true, hearingVerdict{}, fromRecord},
		{"a bare list keeps the notice", &sched, bare, true, hearingVerdict{}, sched},
		{"an unread notice keeps what was read, bill and all: nothing changed", &sched, failed, true, hearingVerdict{}, sched},
		{"a notice read at last shows it watched: news", &gapOnly, sched, true, hearingVerdict{Store: true, Alert: true}, sched},
	} {
		st, got := judgeHearing(c.old, c.st, c.known)
		if got.Store != c.want.Store || got.Alert != c.want.Alert || got.Prev != c.want.Prev {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if !sameJSON(st, c.wantState) {
			gj, _ := jsonBytes(st)
			wj, _ := jsonBytes(c.wantState)
			t.Errorf("%s: state\n %s\nwant\n %s", c.name, gj, wj)
		}
	}
}

func TestSenateOnlyHearings(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 6, 20, 0, 0, 0, 0, billwatch.Eastern)
	listed := []hearingState{{Hearing: billwatch.Hearing{Chamber: billwatch.Senate, Committee: "LCJC", Start: time.Date(2026, 6, 18, 10, 0, 0, 0, billwatch.Eastern)}}}
	fromBills := map[string]billwatch.Meeting{
		"Senate LCJC 4": {Chamber: billwatch.Senate, Committee: "LCJC", Number: 4, Date: "2026-06-18"}, // listed by date
		"Senate LCJC 5": {Chamber: billwatch.Senate, Committee: "LCJC", Number: 5, Date: "2026-06-19"},
		"Senate NSDA 2": {Chamber: billwatch.Senate, Committee: "NSDA", Number: 2, Date: "2026-06-20"},
		"Senate NSDA 3": {Chamber: billwatch.Senate, Committee: "NSDA", Number: 3, Date: "not a date"},
	}
	got := senateOnlyHearings(listed, fromBills, "45-1", today)
	status := map[string]string{}
	for _, h := range got {
		if !h.FromBillRecord || h.Hearing.Session != "45-1" {
			t.Errorf("%+v: want a LEGISinfo meeting of 45-1", h)
		}
		status[h.Hearing.Key()] = h.Hearing.Status
	}
	if len(got) != 2 || status[senateKey("LCJC", 5)] != billwatch.HearingHeld || status[senateKey("NSDA", 2)] != billwatch.HearingScheduled {
		t.Errorf("got %v", status)
	}
}

func senateKey(committee string, n int) string {
	return billwatch.Hearing{Chamber: billwatch.Senate, Committee: committee, Session: "45-1", Number: n}.Key()
}

func TestBillFromListAndRecordDue(t *testing.T) {
	t.Parallel()
	profile := Profile{Bills: []string{"C-2"}}
	t1 := time.Date(2026, 6, 18, 12, 0, 0, 0, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	listed := billwatch.Bill{Session: "45-1", Number: "C-2", Title: "Strong Borders Act", Status: "At second reading", LatestActivityAt: t1}
	other := billwatch.Bill{Session: "45-1", Number: "C-9", Title: "Fisheries Act amendments", Status: "At consideration in committee", Phase: billwatch.PhaseCommittee, LatestActivityAt: t1}

	// A bill new to the store: relevant from the watch list, its record due.
	nw := billFromList(billState{}, false, listed, profile, nil)
	if !nw.Bill.Relevant || nw.Detailed || !nw.ListActivity.Equal(t1) {
		t.Fatalf("new bill: %+v", nw)
	}
	if !recordDue(billState{}, false, nw, listed) {
		t.Error("new relevant bill: record not due")
	}
	// Read, and the activity has not moved: the record's values stand, nothing is read.
	read := nw
	read.Detailed = true
	read.Bill.Summary = "from the record"
	same := billFromList(read, true, listed, profile, nil)
	if same.Bill.Summary != "from the record" || recordDue(read, true, same, listed) {
		t.Errorf("unmoved bill: summary %q, record due %v", same.Bill.Summary, recordDue(read, true, same, listed))
	}
	// The activity moved: the list's values are merged, the record is due again.
	movedList := listed
	movedList.Status, movedList.LatestActivityAt = "At consideration in committee", t2
	moved := billFromList(read, true, movedList, profile, nil)
	if moved.Bill.Status != movedList.Status || moved.Bill.Summary != "from the record" || !recordDue(read, true, moved, movedList) {
		t.Errorf("moved bill: %+v", moved.Bill)
	}
	// An irrelevant bill in committee is read when it moves (its committee may be watched),
	// not otherwise.
	o := billFromList(billState{}, false, other, profile, nil)
	if o.Bill.Relevant || !recordDue(billState{}, false, o, other) {
		t.Errorf("bill in committee: relevant %v, record due %v", o.Bill.Relevant, recordDue(billState{}, false, o, other))
	}
	oRead := billState{Bill: other, ListActivity: t1}
	if recordDue(oRead, true, billFromList(oRead, true, other, profile, nil), other) {
		t.Error("unmoved bill in committee: record due")
	}
}

func TestBillChanged(t *testing.T) {
	t.Parallel()
	st := billState{Bill: billwatch.Bill{Session: "45-1", Number: "C-2", Title: "Strong Borders Act"}}
	retitled := st
	retitled.Bill.Title = "An Act respecting borders"
	for _, c := range []struct {
		name string
		c    billChange
		want bool
	}{
		{"new bill", billChange{new: st}, true},
		{"unchanged", billChange{old: &st, new: st}, false},
		{"retitled", billChange{old: &st, new: retitled}, true},
		{"record read, same state", billChange{old: &st, new: st, raw: []byte("<Bill/>")}, true},
		{"text checked, same state", billChange{old: &st, new: st, texts: []fetchedText{{checked: true}}}, true},
	} {
		if got := billChanged(c.c); got != c.want {
			t.Errorf("%s: changed %v, want %v", c.name, got, c.want)
		}
	}
}
