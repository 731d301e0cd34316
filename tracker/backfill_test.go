package tracker

import (
	"context"
	"errors"
	"testing"

	"github.com/billwatch/billwatch"
)

// flakyTexts fails the texts named in fail, once each.
type flakyTexts struct {
	texts map[string]string
	fail  map[string]bool
	calls []string
}

func (f *flakyTexts) Text(ctx context.Context, pub billwatch.Publication) (string, []byte, error) {
	f.calls = append(f.calls, pub.ID)
	if f.fail[pub.ID] {
		delete(f.fail, pub.ID)
		return "", nil, errors.New("text " + pub.ID + ": 503")
	}
	return "https://www.parl.ca/Content/" + pub.ID + ".xml", []byte(f.texts[pub.ID]), nil
}

func TestBackfillResumes(t *testing.T) {
	t.Parallel()
	c26 := readSample(t, "bill-44-1-C-26-third-reading.xml")
	h := newHarness(t)
	src := &sessionBills{list: map[string][]billwatch.Bill{}, records: map[string]billwatch.Bill{}}
	h.tr.Bills = src
	src.add("44-1", "C-26", "An Act respecting cyber security", "26", day(1))
	src.add("44-1", "C-20", "An Act respecting border security", "20", day(1))
	src.add("44-1", "C-47", "An Act to implement certain provisions of the budget", "47", day(1))
	texts := &flakyTexts{texts: map[string]string{"26": c26, "20": "<Bill/>"}, fail: map[string]bool{"20": true}}
	h.tr.Texts = texts

	sum, err := h.tr.Backfill(t.Context(), "44-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Listed != 3 || sum.Relevant != 2 || sum.Stored != 2 || sum.Texts != 1 || len(sum.Problems) != 1 {
		t.Fatalf("first backfill = %s", sum.Line())
	}
	// The second run fetches only what is missing.
	texts.calls = nil
	sum, err = h.tr.Backfill(t.Context(), "44-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 1 || sum.Stored != 1 || sum.Texts != 1 || len(sum.Problems) != 0 || len(texts.calls) != 1 || texts.calls[0] != "20" {
		t.Errorf("resumed backfill = %s, text calls %v; want C-26 skipped and only C-20's text fetched", sum.Line(), texts.calls)
	}
	if alerts, _ := h.tr.Store.Alerts(0); len(alerts) != 0 {
		t.Errorf("backfill raised %d alerts", len(alerts))
	}
	if b, ok, _ := h.tr.Store.Bill("44-1", "C-47"); ok {
		t.Errorf("backfill stored the irrelevant %s", b.Key())
	}
	ix, _ := h.tr.Store.LoadIndex()
	if ix.Len() != 2 {
		t.Errorf("candidate index holds %d texts, want 2", ix.Len())
	}
}
