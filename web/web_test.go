package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// testSources are the source names, as the command passes them in.
var testSources = []string{"bills", "hearings", "regulations", "acts"}

// testBillJSON stands in for `show --json`'s builder, which lives in cmd/billwatch.
func testBillJSON(b tracker.StoredBill) (any, error) { return tracker.ListedBill(b.Bill), nil }

func TestCountdownAndDaysLeft(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 11, 0, 0, 0, billwatch.Eastern)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{now.Add(2 * time.Hour), "today"},
		{time.Date(2026, 11, 26, 0, 30, 0, 0, billwatch.Eastern), "tomorrow"},
		{time.Date(2026, 11, 30, 11, 0, 0, 0, billwatch.Eastern), "in 5 days"},
		{time.Date(2026, 11, 24, 23, 0, 0, 0, billwatch.Eastern), "yesterday"},
		{time.Date(2026, 11, 20, 9, 0, 0, 0, billwatch.Eastern), "5 days ago"},
		{time.Date(2027, 3, 20, 9, 0, 0, 0, billwatch.Eastern), "in 115 days"}, // across the change of time
	} {
		if got := countdown(now, c.at); got != c.want {
			t.Errorf("countdown(%v) = %q, want %q", c.at, got, c.want)
		}
	}
	for deadline, want := range map[string]string{"2026-12-21": "26 days left", "2026-11-26": "1 day left", "2026-11-25": "closes today", "2026-11-24": "closed", "soon": "deadline unknown"} {
		if got := billwatch.DaysLeft(now, deadline); got != want {
			t.Errorf("daysLeft(%s) = %q, want %q", deadline, got, want)
		}
	}
}

func TestStageOf(t *testing.T) {
	t.Parallel()
	for phase, want := range map[billwatch.Phase]string{
		billwatch.PhaseIntroduced:  "first-reading",
		billwatch.PhaseSecond:      "second-reading",
		billwatch.PhaseCommittee:   "committee",
		billwatch.PhaseReport:      "report",
		billwatch.PhaseThird:       "third-reading",
		billwatch.PhaseRoyalAssent: "royal-assent",
		billwatch.PhaseAmendments:  "other",
		billwatch.PhaseEnded:       "other",
		billwatch.PhaseOther:       "other",
		billwatch.PhaseUnknown:     "other",
	} {
		if got := stageOf(phase); got != want {
			t.Errorf("stageOf(%q) = %q, want %q", phase, got, want)
		}
	}
}

func TestCheckPublicURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "https://billwatch.example.org/": "https://billwatch.example.org", "http://127.0.0.1:8080": "http://127.0.0.1:8080"} {
		if got, err := CheckPublicURL(in); err != nil || got != want {
			t.Errorf("CheckPublicURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"billwatch.example.org", "ftp://x.org", "https://x.org/?a=1", "https://u:p@x.org", "https://x.org/#top", "javascript:alert(1)"} {
		if _, err := CheckPublicURL(bad); err == nil {
			t.Errorf("CheckPublicURL(%q) accepted", bad)
		}
	}
}

func TestWantsJSON(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]bool{
		"application/json": true,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": false,
		"application/json, text/html":                                     true,
		"text/html, application/json":                                     false,
		"":                                                                false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		if got := wantsJSON(r); got != want {
			t.Errorf("wantsJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestDiffCacheComputesOnceAndEvicts(t *testing.T) {
	t.Parallel()
	c := newDiffCache(2)
	var calls atomic.Int32
	compute := func() (*diffModel, error) {
		calls.Add(1)
		time.Sleep(20 * time.Millisecond)
		return &diffModel{}, nil
	}
	var wg sync.WaitGroup
	models := make([]*diffModel, 20)
	for i := range models {
		wg.Add(1)
		go func() {
			defer wg.Done()
			models[i], _ = c.get("a:b", compute)
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("20 concurrent views computed the diff %d times, want once", n)
	}
	for _, m := range models {
		if m != models[0] {
			t.Fatal("concurrent views got different models")
		}
	}
	c.get("c:d", compute)
	c.get("e:f", compute) // evicts a:b, the least recently used
	c.get("a:b", compute)
	if n := calls.Load(); n != 4 {
		t.Errorf("computations = %d, want 4 (a:b again after eviction)", n)
	}
	// A failure is not cached.
	fail := errors.New("boom")
	if _, err := c.get("x:y", func() (*diffModel, error) { return nil, fail }); !errors.Is(err, fail) {
		t.Fatalf("get = %v", err)
	}
	if m, err := c.get("x:y", compute); err != nil || m == nil {
		t.Errorf("after a failure, get = %v, %v; want a fresh computation", m, err)
	}
}

// TestBillJSONRequired: the bill page's JSON has one builder, `show --json`'s; a server
// without it is refused at start, not served with a second shape.
func TestBillJSONRequired(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{DB: filepath.Join(t.TempDir(), "x.db"), Sources: testSources}); err == nil || !strings.Contains(err.Error(), "BillJSON") {
		t.Errorf("New without BillJSON = %v, want an error naming it", err)
	}
}

func TestNoDatabasePage(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "missing.db")
	s, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), db) || rec.Header().Get("Content-Security-Policy") != CSP {
		t.Errorf("GET / without a database = %d\n%s", rec.Code, rec.Body.String())
	}
}

func TestSiteOf(t *testing.T) {
	t.Parallel()
	for page, want := range map[string]string{
		"https://www.parl.ca/DocumentViewer/en/13569583": "parl.ca",
		"https://legislature.example/bills/5":            "legislature.example",
		"not a URL":                                      "its site",
	} {
		if got := siteOf(page); got != want {
			t.Errorf("siteOf(%q) = %q, want %q", page, got, want)
		}
	}
}
