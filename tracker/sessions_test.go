package tracker

import (
	"testing"

	"github.com/billwatch/billwatch"
)

// TestSessionBaseline: a session is a baseline only for a database that follows no bills. An
// earlier session imported by backfill does not count (a fresh install that backfills first
// is not flooded); one a pass followed does: its successor's relevant bills are all news.
func TestSessionBaseline(t *testing.T) {
	t.Parallel()
	c26 := readSample(t, "bill-44-1-C-26-third-reading.xml")
	c8 := readSample(t, "bill-45-1-C-8-first-reading.xml")
	run := func(t *testing.T, backfill bool) Summary {
		h := newHarness(t)
		src := &sessionBills{list: map[string][]billwatch.Bill{}, records: map[string]billwatch.Bill{}}
		h.tr.Bills = src
		src.add("44-1", "C-26", "An Act respecting cyber security, amending the Telecommunications Act", "26", day(1))
		h.texts.texts["26"] = c26
		if backfill {
			if _, err := h.tr.Backfill(t.Context(), "44-1", nil); err != nil {
				t.Fatal(err)
			}
		} else if s := h.tr.ScrapeBills(t.Context(), "44-1"); !s.Baseline {
			t.Fatalf("first pass over 44-1 = %s, want a baseline", s.Line())
		}
		src.add("45-1", "C-8", "An Act respecting cyber security, amending the Telecommunications Act", "8", day(19))
		h.texts.texts["8"] = c8
		h.now = day(20)
		return h.tr.ScrapeBills(t.Context(), "45-1")
	}
	if s := run(t, true); !s.Baseline || len(s.Alerts) != 0 {
		t.Errorf("45-1 after a backfill of 44-1 only: %s; want a baseline", s.Line())
	}
	s := run(t, false)
	if s.Baseline || len(s.Alerts) != 1 || s.Alerts[0].Kind != billwatch.KindBillIntroduced || s.Alerts[0].Subject != "45-1 C-8" {
		t.Errorf("45-1 after following 44-1: %s; want no baseline and C-8's bill.introduced", s.Line())
	}
}

// TestRecordMakesRelevant: a coalition record makes a bill relevant though its title matches
// nothing: a pass reads its record and text and says why ("coalition record"), and backfill
// imports an earlier session's bill that has an imported record.
func TestRecordMakesRelevant(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	src := &sessionBills{list: map[string][]billwatch.Bill{}, records: map[string]billwatch.Bill{}}
	h.tr.Bills = src
	src.add("44-1", "C-230", "An Act respecting the protection of journalistic sources", "230", day(1))
	src.add("45-1", "C-231", "An Act respecting the protection of journalistic sources", "231", day(2))
	h.texts.texts["230"] = readSample(t, "bill-44-1-C-26-third-reading.xml")
	h.texts.texts["231"] = readSample(t, "bill-45-1-C-8-first-reading.xml")
	for _, subject := range []string{BillSubject("44-1", "C-230"), BillSubject("45-1", "C-231")} {
		if _, err := h.tr.Store.SetRecord(subject, Edit{Position: ptr("oppose")}, "lea", t0); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := h.tr.Backfill(t.Context(), "44-1", nil)
	if err != nil || bs.Relevant != 1 || bs.Stored != 1 || bs.Texts != 1 {
		t.Errorf("backfill of 44-1 = %s, %v; want C-230, which has a record, imported with its text", bs.Line(), err)
	}
	h.tr.ScrapeBills(t.Context(), "45-1")
	b, _, err := h.tr.Store.Bill("45-1", "C-231")
	if err != nil || !b.Relevant || len(b.Reasons) != 1 || b.Reasons[0] != "coalition record" || len(b.Versions) != 1 || !b.Versions[0].Fetched {
		t.Errorf("45-1 C-231 with a record = relevant %v, reasons %q, %d versions; want relevant for its record, its text read", b.Relevant, b.Reasons, len(b.Versions))
	}
}
