package tracker

import (
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// linkBills records that bill later reintroduces bill earlier ("45-1 C-8", "44-1 C-26").
func linkBills(t *testing.T, s *Store, later, earlier string) {
	t.Helper()
	session, number, _ := strings.Cut(earlier, " ")
	if err := s.update(func(tx *bolt.Tx) error {
		return putLinks(tx, later, []LineageLink{{Session: session, Number: number, Relation: Reintroduction, Carried: 14, Amended: 3, Of: 19}})
	}); err != nil {
		t.Fatal(err)
	}
}

// earlierRecord is 45-1 C-8's record as lea set it in June 2026: oppose, owner lea, a next
// step due 2026-06-30, a note and a brief.
func earlierRecord(t *testing.T, s *Store) string {
	t.Helper()
	from := BillSubject("45-1", "C-8")
	june := time.Date(2026, 6, 21, 14, 0, 0, 0, time.UTC)
	if _, err := s.SetRecord(from, Edit{Position: ptr("oppose"), Priority: ptr("high"), Owner: ptr("lea"), Next: &NextStep{Text: "brief to SECU", Due: "2026-06-30"}}, "lea", june); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(from, "Section 15.2 orders are secret; we oppose unless judicial oversight", "lea", june); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(from, Document{Title: "Brief to SECU", Date: "2026-06-15", URL: "https://example.org/brief.pdf"}, "lea", june); err != nil {
		t.Fatal(err)
	}
	return from
}

// TestCarryRefusesOwnRecord: carrying onto a bill that has its own record is refused (ErrExists,
// one message naming both records) and writes nothing; with replace, its position and owner
// become the earlier bill's, and the result names what was replaced.
func TestCarryRefusesOwnRecord(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	from := BillSubject("45-1", "S-210")
	if _, err := s.SetRecord(from, Edit{Position: ptr("support"), Owner: ptr("amira")}, "amira", now.AddDate(0, -5, 0)); err != nil {
		t.Fatal(err)
	}
	to := BillSubject("45-2", "C-9")
	if _, err := s.SetRecord(to, Edit{Position: ptr("oppose"), Owner: ptr("newbie")}, "newbie", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	before, _ := s.History(to)
	_, err := s.CarryRecord(from, to, false, "newbie", now)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("carry onto a bill with its own record = %v, want ErrExists", err)
	}
	for _, want := range []string{"bill 45-2 C-9 has a record of its own (Our position: oppose · owner: newbie)", "bill 45-1 S-210 (Our position: support · owner: amira) was not carried"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	if after, _ := s.History(to); len(after) != len(before) {
		t.Errorf("a refused carry wrote %d history entries", len(after)-len(before))
	}
	if r, _ := s.Record(to); r.Position != "oppose" || r.Owner != "newbie" {
		t.Errorf("after a refused carry the record is %+v", r)
	}
	res, err := s.CarryRecord(from, to, true, "newbie", now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Record.Position != "support" || res.Record.Owner != "amira" || strings.Join(res.Replaced, ",") != "position,owner" || !res.Changed || res.Linked {
		t.Errorf("carry with replace = %+v", res)
	}
}

// TestCarryMovesNextStep: the next step moves with the file: the later bill gets it (flagged
// overdue when its date has passed), the earlier record's is closed with a history entry naming
// where it went, so the open steps list it once; the carry entry names who decided what on the
// earlier bill; a source the lineage links is Linked, another is not.
func TestCarryMovesNextStep(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	from := earlierRecord(t, s)
	linkBills(t, s, "45-2 C-2", "45-1 C-8")
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	to := BillSubject("45-2", "C-2")
	res, err := s.CarryRecord(from, to, false, "newbie", now)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Linked || res.Moved == nil || res.Moved.Due != "2026-06-30" || !res.Overdue || len(res.Replaced) != 0 {
		t.Errorf("carry = %+v (moved %+v), want linked, the step moved and overdue", res, res.Moved)
	}
	if r := res.Record; r.Position != "oppose" || r.Owner != "lea" || r.Next == nil || r.Next.Text != "brief to SECU" || len(r.Notes) != 1 || r.Notes[0].By != "lea" || len(r.Documents) != 1 {
		t.Errorf("carried record = %+v", r)
	}
	src, _ := s.Record(from)
	if src.Next != nil || src.Position != "oppose" {
		t.Errorf("the earlier record after the carry = %+v, want its step closed and the rest kept", src)
	}
	recs, _ := s.Records()
	steps := 0
	for _, r := range recs {
		if r.Next != nil {
			steps++
		}
	}
	if steps != 1 {
		t.Errorf("%d open next steps after the carry, want 1", steps)
	}
	hs, _ := s.History(from)
	if n := len(hs); n < 2 || hs[n-2].Field != "next" || hs[n-2].Before != "brief to SECU (due 2026-06-30)" || hs[n-2].After != "" ||
		hs[n-1].Field != "carried" || !strings.HasPrefix(hs[n-1].After, "to bill 45-2 C-2") || hs[n-1].By != "newbie" {
		t.Errorf("the earlier record's history ends %+v", hs[max(0, len(hs)-2):])
	}
	ht, _ := s.History(to)
	last := ht[len(ht)-1]
	if want := "from bill 45-1 C-8; decided there: position by lea on 2026-06-21, priority by lea on 2026-06-21, owner by lea on 2026-06-21, next step by lea on 2026-06-21"; last.Field != "carried" || last.After != want {
		t.Errorf("carry entry = %q, want %q", last.After, want)
	}
	// A bill the lineage does not link: carried, but not Linked.
	res, err = s.CarryRecord(from, BillSubject("45-2", "C-241"), false, "newbie", now)
	if err != nil || res.Linked || res.Moved != nil || res.Record.Position != "oppose" {
		t.Errorf("carry to an unlinked bill = %+v, %v", res, err)
	}
}

// TestNextStepReminderWording: an overdue next step's reminder says "was due on …: overdue"
// (not "is due overdue since …"), links the bill's page, and is known as a next step's
// reminder; a comment deadline's reminder is not.
func TestNextStepReminderWording(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.tr.Store.SetRecord(BillSubject("45-1", "C-8"), Edit{Position: ptr("oppose"), Owner: ptr("lea"), Next: &NextStep{Text: "brief to SECU", Due: "2026-06-30"}}, "lea", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := h.tr.Store.SetRecord(BillSubject("45-1", "C-2"), Edit{Next: &NextStep{Text: "call the clerk", Due: "2026-12-03"}}, "sam", t0); err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	if n, err := h.tr.NextStepReminders(t.Context()); err != nil || n != 2 {
		t.Fatalf("reminders = %d, %v; want 2", n, err)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	whys := map[string]string{}
	for _, a := range alerts {
		whys[a.Subject] = a.Why
		if !IsNextStepReminder(a) || a.PagePath() != "/bills/"+strings.ReplaceAll(a.Subject, " ", "/") {
			t.Errorf("reminder %s: next step %v, page %q", a.Subject, IsNextStepReminder(a), a.PagePath())
		}
	}
	if got, want := whys["45-1 C-8"], "our next step on 45-1 C-8 was due on 2026-06-30: overdue (lea)"; got != want {
		t.Errorf("overdue why = %q, want %q", got, want)
	}
	if got, want := whys["45-1 C-2"], "our next step on 45-1 C-2 is due today (no owner)"; got != want {
		t.Errorf("today's why = %q, want %q", got, want)
	}
	if IsNextStepReminder(billwatch.Alert{Kind: billwatch.KindDeadlineReminder, Subject: "Gazette 2026-06-20-reg2", Title: "Next step: a regulation so titled", Why: "comments close in 2 days, on 2026-07-20"}) {
		t.Error("a comment deadline's reminder taken for a next step's")
	}
}
