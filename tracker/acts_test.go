package tracker

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeActs serves Acts by code; an Act asked for with its current ETag is not modified.
type fakeActs struct {
	acts  map[string]string // code → body; the ETag is the body
	calls []string
	fail  map[string]error
}

func (f *fakeActs) Index(ctx context.Context, etag, lm string) (ActFetch, error) {
	f.calls = append(f.calls, "index")
	return ActFetch{}, errors.New("index: HTTP 404")
}

func (f *fakeActs) Act(ctx context.Context, code, etag, lm string) (ActFetch, error) {
	f.calls = append(f.calls, code+" "+etag)
	if err := f.fail[code]; err != nil {
		return ActFetch{}, err
	}
	body := f.acts[code]
	if etag == body {
		return ActFetch{URL: "u/" + code, NotModified: true, ETag: etag}, nil
	}
	return ActFetch{URL: "u/" + code, Body: []byte(body), ETag: body, Title: "Act " + code, Chapter: "2000, c. 1"}, nil
}

func TestScrapeActsWeeklyAndConditional(t *testing.T) {
	t.Parallel()
	store := MustOpen(t)
	tr := New(store, Profile{}, nil)
	now := time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)
	tr.Now = func() time.Time { return now }
	src := &fakeActs{acts: map[string]string{"T-3.4": "v1", "C-23": "c1"}, fail: map[string]error{}}
	plan := ActPlan{Codes: func() ([]string, []error) { return []string{"C-23", "T-3.4"}, nil }}

	sum := tr.ScrapeActs(t.Context(), src, plan)
	if sum.Versions != 2 || sum.Outcome != Partial { // the index failed
		t.Fatalf("first pass = %+v", sum)
	}
	// Within the week nothing is asked again.
	src.calls = nil
	now = now.Add(3 * 24 * time.Hour)
	sum = tr.ScrapeActs(t.Context(), src, plan)
	if len(src.calls) != 1 || src.calls[0] != "index" || sum.Versions != 0 {
		t.Errorf("second pass asked %v, stored %d versions", src.calls, sum.Versions)
	}
	// After it, each Act is asked with its validator; one changed.
	src.calls = nil
	src.acts["C-23"] = "c2"
	now = now.Add(5 * 24 * time.Hour)
	sum = tr.ScrapeActs(t.Context(), src, plan)
	if sum.Versions != 1 || len(src.calls) != 3 || src.calls[1] != "C-23 c1" || src.calls[2] != "T-3.4 v1" {
		t.Errorf("third pass asked %v, stored %d versions", src.calls, sum.Versions)
	}
	vs, err := store.ActVersions("C-23")
	if err != nil || len(vs) != 2 {
		t.Fatalf("C-23 versions = %v, %v", vs, err)
	}
	body, rec, found, err := store.Act("T-3.4")
	if err != nil || !found || string(body) != "v1" || rec.Title != "Act T-3.4" || rec.ETag != "v1" || !rec.Checked.Equal(now) {
		t.Errorf("Act(T-3.4) = %q %+v %v %v", body, rec, found, err)
	}
	// A failed fetch keeps what is stored.
	src.fail["T-3.4"] = errors.New("HTTP 503")
	now = now.Add(8 * 24 * time.Hour)
	tr.ScrapeActs(t.Context(), src, plan)
	if body, _, _, _ := store.Act("T-3.4"); string(body) != "v1" {
		t.Errorf("after a failed fetch, T-3.4 = %q", body)
	}
	acts, err := store.StoredActs()
	if err != nil || len(acts) != 2 || acts[0].Code != "C-23" {
		t.Errorf("StoredActs = %+v, %v", acts, err)
	}
}
