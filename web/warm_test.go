package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/tracker"
)

// amendedSource is one watched bill that gains a committee reprint between two passes.
type amendedSource struct {
	reprint  bool
	from, to []byte
}

func (s *amendedSource) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	at := time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)
	if s.reprint {
		at = at.AddDate(0, 0, 7)
	}
	return []billwatch.Bill{{Session: session, Number: "C-99", Title: "An Act respecting lawful access", Status: "At report stage in the House of Commons", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-99", LatestActivityAt: at}}, nil
}

func (s *amendedSource) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	bs, _ := s.Bills(ctx, session)
	b := bs[0]
	b.Publications = []billwatch.Publication{{ID: "1", Type: billwatch.FirstReading, Name: "First Reading"}}
	if s.reprint {
		b.Publications = append(b.Publications, billwatch.Publication{ID: "2", Type: billwatch.AmendedByCommittee, Name: "As amended by committee"})
	}
	return b, []byte("<Bill/>" + b.LatestActivityAt.String()), nil
}

func (s *amendedSource) Text(ctx context.Context, p billwatch.Publication) (string, []byte, error) {
	if p.ID == "1" {
		return "https://example.org/1.xml", s.from, nil
	}
	return "https://example.org/2.xml", s.to, nil
}

// differ is the diff package as the tracker's Differ, with the anchors of AmendmentDiffer.
type differ struct{}

func (differ) Brief(a, b []byte) (string, bool, error) {
	r, err := diff.CompareBytes(a, b)
	if err != nil {
		return "", false, err
	}
	return r.Brief(), r.Summary.Changed(), nil
}

func (differ) Amendment(a, b []byte) (tracker.Amendment, error) {
	r, err := diff.CompareBytes(a, b)
	if err != nil {
		return tracker.Amendment{}, err
	}
	am := tracker.Amendment{Brief: r.Brief(), Changed: r.Summary.Changed()}
	if hs := r.Highlights(); len(hs) > 0 {
		am.Anchor = hs[0].Anchor
	}
	return am, nil
}

// TestRecentAmendmentDiffIsPrepared: once the server reads a database where a bill.amended
// alert is recent, the diff it links to is built before anyone opens it.
func TestRecentAmendmentDiffIsPrepared(t *testing.T) {
	t.Parallel()
	from, err := os.ReadFile("../diff/testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}
	to, err := os.ReadFile("../diff/testdata/small-to.xml")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "billwatch.db")
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	src := &amendedSource{from: from, to: to}
	now := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC)
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return now }
	tr.Bills, tr.Texts, tr.Differ = src, src, differ{}
	if s := tr.ScrapeBills(t.Context(), "45-1"); s.Outcome != tracker.OK {
		t.Fatal(s.Line())
	}
	src.reprint, now = true, now.AddDate(0, 0, 7)
	s := tr.ScrapeBills(t.Context(), "45-1")
	if len(s.Alerts) != 1 || s.Alerts[0].Kind != billwatch.KindBillAmended || !strings.Contains(s.Alerts[0].PagePath(), "/bills/45-1/C-99/diff?from=first-reading&to=amended-by-committee#p-") {
		t.Fatalf("second pass: %s %+v", s.Line(), s.Alerts)
	}

	srv, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return now.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != 200 {
		t.Fatalf("GET / = %d", rec.Code)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		srv.diffs.mu.Lock()
		n := len(srv.diffs.byKey)
		srv.diffs.mu.Unlock()
		if n == 1 && !srv.warming.Load() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the diff of the recent bill.amended alert was not prepared (%d cached)", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	page, _, _ := strings.Cut(s.Alerts[0].PagePath(), "#")
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page, nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "shall → may: a duty becomes a discretion") {
		t.Errorf("GET %s = %d", page, rec.Code)
	}
}
