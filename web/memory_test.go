package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/tracker"
)

var revRe = regexp.MustCompile(`name="rev" value="(\d+)"`)

// formRev is the revision the bill page's set form carries.
func formRev(t *testing.T, page string) string {
	t.Helper()
	m := revRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the set form carries no revision")
	}
	return m[1]
}

// TestStaleSetRefused: editor A loads the form, editor B sets the record, A submits the form
// loaded earlier with other fields empty: nothing is saved, 409, the page names B's changes
// and gives the form again; A's second save, on the new revision, goes through.
func TestStaleSetRefused(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor, "sam": tracker.RoleEditor})
	a, b := client(t), client(t)
	signIn(t, a, srv, "lea")
	signIn(t, b, srv, "sam")
	_, pageA := get(t, a, srv, "/bills/45-1/C-8")
	_, pageB := get(t, b, srv, "/bills/45-1/C-8")
	revA := formRev(t, pageA)
	set := url.Values{"action": {"set"}, "position": {"oppose"}, "priority": {"high"}, "owner": {"Sam"}, "next": {"brief to SECU"}, "due": {"2026-12-04"}, "rev": {formRev(t, pageB)}}
	if resp, body := post(t, b, srv, "/bills/45-1/C-8/memory", set, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("B's save = %d\n%s", resp.StatusCode, body)
	}
	stale := url.Values{"action": {"set"}, "position": {"monitor"}, "priority": {""}, "owner": {""}, "next": {""}, "due": {""}, "rev": {revA}}
	resp, body := post(t, a, srv, "/bills/45-1/C-8/memory", stale, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("A's stale save = %d, want 409\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"Changed since you loaded the form", "sam changed the owner", "Sam", "sam changed the next step", "brief to SECU (due 2026-12-04)", `action="/bills/45-1/C-8/memory"`, `<option value="monitor" selected>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the conflict page lacks %q", want)
		}
	}
	store, _ := tracker.OpenReadOnly(db)
	r, _ := store.Record(tracker.BillSubject("45-1", "C-8"))
	if r.Position != "oppose" || r.Owner != "Sam" || r.Priority != "high" || r.Next == nil || r.Next.Due != "2026-12-04" {
		t.Errorf("after A's stale save the record is %+v, want B's", r)
	}
	newRev := formRev(t, body)
	if newRev == revA {
		t.Errorf("the conflict page's form carries the stale revision %s", revA)
	}
	stale.Set("rev", newRev)
	stale.Set("owner", "Sam")
	if resp, body := post(t, a, srv, "/bills/45-1/C-8/memory", stale, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("A's save on the current revision = %d\n%s", resp.StatusCode, body)
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "monitor" || r.Owner != "Sam" {
		t.Errorf("after A's second save the record is %+v", r)
	}
	// A malformed revision names the form field.
	stale.Set("rev", "x")
	if resp, body := post(t, a, srv, "/bills/45-1/C-8/memory", stale, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Form field &#34;rev&#34;") {
		t.Errorf("rev=x = %d\n%s", resp.StatusCode, body)
	}
}

// TestMemoryOfUnknownItems: writes for a bill or Gazette item not in the database answer 404
// and store nothing; the history of one with no record is 404; a record imported for a bill
// not stored keeps its history page, and /steps links there.
func TestMemoryOfUnknownItems(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	for path, want := range map[string]string{
		"/bills/99-9/C-1/memory":              "Bill C-1 of session 99-9",
		"/bills/45-1/C-999/memory":            "Bill C-999 of session 45-1",
		"/regulations/I/nonexistent/memory":   "Part I item &#34;nonexistent&#34;",
		"/regulations/II/2026-01-01-x/memory": "Part II item",
	} {
		for _, form := range []url.Values{
			{"action": {"set"}, "position": {"oppose"}, "next": {"x"}},
			{"action": {"note"}, "text": {"x"}},
			{"action": {"doc"}, "title": {"x"}, "date": {"2026-11-20"}, "url": {"https://example.org/x"}},
		} {
			if resp, body := post(t, c, srv, path, form, nil); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, want) || !strings.Contains(body, "nothing was saved") {
				t.Errorf("POST %s %s = %d, want 404 naming it\n%s", path, form.Get("action"), resp.StatusCode, body)
			}
		}
	}
	store, _ := tracker.Open(db)
	if recs, _ := store.Records(); len(recs) != 0 {
		t.Errorf("records stored for unknown items: %+v", recs)
	}
	for _, path := range []string{"/bills/45-1/C-999/history", "/bills/99-9/C-1/history", "/regulations/I/nonexistent/history"} {
		if resp, _ := get(t, c, srv, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
	// A record kept for a bill not stored (memory import restores such records).
	if _, err := store.SetRecord(tracker.BillSubject("44-1", "C-26"), tracker.Edit{Position: ptr("oppose"), Next: &tracker.NextStep{Text: "ask the clerk", Due: "2026-12-01"}}, "lea", authNow); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, c, srv, "/bills/44-1/C-26/history")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ask the clerk") || !strings.Contains(body, "not in the database") || strings.Contains(body, `action="/bills/44-1/C-26/memory"`) {
		t.Errorf("history of an imported record for a bill not stored = %d\n%s", resp.StatusCode, body)
	}
	if _, steps := get(t, c, srv, "/steps"); !strings.Contains(steps, `href="/bills/44-1/C-26/history"`) {
		t.Errorf("/steps does not link the imported record's next step to its history page\n%s", steps)
	}
}

func ptr(s string) *string { return &s }

// TestWatchChangesNotMade: removing what is not on the list, adding what is, or a bad kind
// answers the watch page with the reason, as the command line says it.
func TestWatchChangesNotMade(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	if resp, _ := post(t, c, srv, "/watch", url.Values{"action": {"add"}, "kind": {"keyword"}, "value": {"spyware"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("watch add = %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"action": {"rm"}, "kind": {"keyword"}, "value": {"never-there"}}, http.StatusConflict, "keyword &#34;never-there&#34; is not on the watch list"},
		{url.Values{"action": {"add"}, "kind": {"keyword"}, "value": {"spyware"}}, http.StatusConflict, "keyword &#34;spyware&#34; is already on the watch list"},
		{url.Values{"action": {"add"}, "kind": {"colour"}, "value": {"red"}}, http.StatusBadRequest, "watch kind &#34;colour&#34;"},
		{url.Values{"action": {"zap"}, "kind": {"keyword"}, "value": {"x"}}, http.StatusBadRequest, "Form field &#34;action&#34;"},
	} {
		resp, body := post(t, c, srv, "/watch", tc.form, nil)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("POST /watch %v = %d, want %d with %q\n%s", tc.form, resp.StatusCode, tc.status, tc.want, body)
		}
	}
	// The page still lists the entry, and the JSON says the same as a page.
	resp, body := post(t, c, srv, "/watch", url.Values{"action": {"rm"}, "kind": {"keyword"}, "value": {"never-there"}}, map[string]string{"Accept": "application/json"})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `keyword \"never-there\" is not on the watch list`) {
		t.Errorf("JSON rm of an absent entry = %d %s", resp.StatusCode, body)
	}
}

// TestFormFieldErrors: a bad form value is named as a form field, not a query parameter.
func TestFormFieldErrors(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	for _, form := range []url.Values{{"action": {"zzz"}}, {"action": {"carry"}, "from": {"nonsense"}}} {
		resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", form, map[string]string{"Accept": "application/json"})
		var e struct{ Error string }
		_ = json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(e.Error, "Form field ") || strings.Contains(e.Error, "Query parameter") {
			t.Errorf("POST %v = %d %q, want 400 naming the form field", form, resp.StatusCode, e.Error)
		}
	}
}

var retractRe = regexp.MustCompile(`name="action" value="retract"><input type="hidden" name="id" value="([nd]-[0-9a-f]{10})">`)

// TestRetractFromThePage: an editor retracts a note and a document from the bill page; they
// leave the record, and the history says who retracted what.
func TestRetractFromThePage(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor, "vic": tracker.RoleViewer})
	c := client(t)
	signIn(t, c, srv, "lea")
	post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"posted on the wrong bill"}}, nil)
	post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"doc"}, "title": {"Old draft"}, "date": {"2026-11-20"}, "url": {"https://example.org/draft.pdf"}}, nil)
	_, page := get(t, c, srv, "/bills/45-1/C-8")
	ids := retractRe.FindAllStringSubmatch(page, -1)
	if len(ids) != 2 {
		t.Fatalf("the bill page has %d retract forms, want 2", len(ids))
	}
	viewer := client(t)
	signIn(t, viewer, srv, "vic")
	if resp, _ := post(t, viewer, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"retract"}, "id": {ids[0][1]}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's retract = %d, want 403", resp.StatusCode)
	}
	if _, vpage := get(t, viewer, srv, "/bills/45-1/C-8"); strings.Contains(vpage, `value="retract"`) {
		t.Error("a viewer's page has retract forms")
	}
	if resp, _ := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"retract"}, "id": {ids[0][1]}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site retract = %d, want 403", resp.StatusCode)
	}
	for _, id := range ids {
		if resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"retract"}, "id": {id[1]}}, nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("retract %s = %d\n%s", id[1], resp.StatusCode, body)
		}
	}
	if resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"retract"}, "id": {ids[0][1]}}, nil); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "retracted already") {
		t.Errorf("retracting twice = %d, want 409 saying it was retracted already", resp.StatusCode)
	}
	_, page = get(t, c, srv, "/bills/45-1/C-8")
	if strings.Contains(page, "posted on the wrong bill") || strings.Contains(page, "Old draft") {
		t.Error("the bill page still shows a retracted note or document")
	}
	_, hist := get(t, c, srv, "/bills/45-1/C-8/history")
	if strings.Count(hist, "<em>retracted</em>") != 2 || !strings.Contains(hist, "posted on the wrong bill") {
		t.Errorf("the history does not keep the retractions\n%s", hist)
	}
	store, _ := tracker.OpenReadOnly(db)
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); len(r.Notes)+len(r.Documents) != 0 {
		t.Errorf("stored record after retracting = %+v", r)
	}
}

// TestDocumentWithCredentialsRefused: a document address with a user name and password is
// refused, and the password is not echoed.
func TestDocumentWithCredentialsRefused(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"doc"}, "title": {"brief"}, "date": {"2026-11-20"}, "url": {"https://user:s3cret@example.org/x"}}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "user name or password") || strings.Contains(body, "s3cret") {
		t.Errorf("document with credentials = %d\n%s", resp.StatusCode, body)
	}
	store, _ := tracker.OpenReadOnly(db)
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); len(r.Documents) != 0 {
		t.Errorf("stored: %+v", r.Documents)
	}
}

// TestWatchJSONShape: /watch's JSON gives each entry as `watch list --json` does: source
// config without by and at, source database with them.
func TestWatchJSONShape(t *testing.T) {
	t.Parallel()
	_, db := memoryServer(t, Auth{}, nil)
	store, _ := tracker.Open(db)
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return authNow }
	if _, err := tr.WatchAdd("keyword", "spyware", "lea"); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return authNow },
		ConfigWatch: []tracker.WatchItem{{Kind: "committee", Value: "SECU"}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/watch", nil)
	req.Header.Set("Accept", "application/json")
	s.Handler().ServeHTTP(rec, req)
	var got map[string][]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err, rec.Body.String())
	}
	cfg, dbItems := got["config"], got["database"]
	if len(cfg) != 1 || len(cfg[0]) != 3 || cfg[0]["source"] != "config" || cfg[0]["value"] != "SECU" {
		t.Errorf("config entries = %v, want kind, value and source \"config\" only", cfg)
	}
	if len(dbItems) != 1 || dbItems[0]["source"] != "database" || dbItems[0]["by"] != "lea" || dbItems[0]["at"] != "2026-11-20T15:00:00Z" {
		t.Errorf("database entries = %v", dbItems)
	}
}

// TestMemoryReadErrors: a database that cannot be read is an error page, never an empty
// record or watch list.
func TestMemoryReadErrors(t *testing.T) {
	t.Parallel()
	s, err := New(Options{DB: filepath.Join(t.TempDir(), "nonexistent", "x.db"), BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return authNow }})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/watch", "/bills/45-1/C-8/history", "/regulations/I/x/history"} {
		for _, accept := range []string{"text/html", "application/json"} {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Accept", accept)
			s.Handler().ServeHTTP(rec, req)
			if body := rec.Body.String(); rec.Code != http.StatusServiceUnavailable || strings.Contains(body, "No entry yet") || strings.Contains(body, `"database": []`) || strings.Contains(body, "none recorded") {
				t.Errorf("GET %s (%s) without a database = %d\n%s", path, accept, rec.Code, body)
			}
		}
	}
}

// TestBillPageRecordUnreadable: when the bill was read but its record cannot be (the database
// held by another process past the lock timeout), the bill page says so instead of "none
// recorded".
func TestBillPageRecordUnreadable(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	t.Parallel()
	_, db := memoryServer(t, Auth{}, nil)
	s, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return authNow }})
	if err != nil {
		t.Fatal(err)
	}
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bills/45-1/C-8", nil))
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "none recorded") {
		t.Fatalf("bill page = %d", rec.Code)
	}
	holdAsWriter(t, db) // and the file looks changed: the page is built again
	rec := get()
	if body := rec.Body.String(); rec.Code != http.StatusOK || strings.Contains(body, "none recorded") || !strings.Contains(body, "record on this item could not be read") {
		t.Errorf("bill page with its record unreadable = %d\n%s", rec.Code, body)
	}
}
