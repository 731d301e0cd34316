package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// newBills is a session whose watched bills, C-100 onwards, appear n at a time.
type newBills struct{ n int }

func (s *newBills) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	var out []billwatch.Bill
	for i := range s.n {
		out = append(out, billwatch.Bill{Session: session, Number: fmt.Sprintf("C-%d", 100+i), Title: fmt.Sprintf("An Act respecting lawful access (%d)", i),
			Status: "At first reading in the House of Commons", URL: fmt.Sprintf("https://www.parl.ca/legisinfo/en/bill/45-1/c-%d", 100+i)})
	}
	return out, nil
}

func (s *newBills) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	bs, _ := s.Bills(ctx, session)
	for _, b := range bs {
		if b.Number == number {
			return b, []byte("record " + number), nil
		}
	}
	return billwatch.Bill{}, nil, fmt.Errorf("no bill %s", number)
}

// alertsServer is a server on a database with n bill.introduced alerts, showing per alerts a
// page.
func alertsServer(t *testing.T, n, per int) (*Server, string, []billwatch.Alert) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "alerts.db")
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	src := &newBills{n: 1}
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return authNow }
	tr.Bills = src
	tr.ScrapeBills(t.Context(), "45-1") // the first pass is the baseline
	src.n = n + 1
	if s := tr.ScrapeBills(t.Context(), "45-1"); len(s.Alerts) != n {
		t.Fatalf("second pass: %s, %d alerts, want %d", s.Line(), len(s.Alerts), n)
	}
	alerts, err := store.Alerts(0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return authNow }})
	if err != nil {
		t.Fatal(err)
	}
	s.alertPage = per
	return s, db, alerts
}

var alertLinkRe = regexp.MustCompile(`href="(/alerts\?[^"]*before=[^"]*)" rel="next"`)

// TestAlertPages: /alerts shows a page at a time, and "Older alerts" leads through them all,
// filter kept, each alert once; the JSON pages with before and limit.
func TestAlertPages(t *testing.T) {
	t.Parallel()
	s, _, all := alertsServer(t, 7, 3)
	h := s.Handler()
	aud := all[0].Audience
	fetch := func(path, accept string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := serveReq(h, req)
		return rec.Code, rec.Body.String()
	}
	seen := map[string]int{}
	path, pages := "/alerts?audience="+string(aud), 0
	for path != "" {
		code, body := fetch(path, "")
		if code != 200 {
			t.Fatalf("GET %s = %d\n%s", path, code, body)
		}
		pages++
		for _, a := range all {
			if strings.Contains(body, `href="`+a.PagePath()+`"`) || strings.Contains(body, html.EscapeString(a.Subject)+"<") {
				seen[a.ID]++
			}
		}
		if pages > 1 && !strings.Contains(body, `href="/alerts?audience=`+string(aud)+`">Newest alerts`) {
			t.Errorf("page %d has no link to the newest alerts", pages)
		}
		path = ""
		if m := alertLinkRe.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "audience="+string(aud)) {
				t.Errorf("the older alerts' link %s drops the filter", path)
			}
		}
		if pages > 5 {
			t.Fatal("the pages do not end")
		}
	}
	if pages != 3 {
		t.Errorf("7 alerts at 3 a page took %d pages, want 3", pages)
	}
	for _, a := range all {
		if seen[a.ID] != 1 {
			t.Errorf("alert %s %s shown on %d pages, want 1", a.ID, a.Subject, seen[a.ID])
		}
	}
	// The JSON: all by default, like `alerts --json`; a page with before and limit.
	var got []billwatch.Alert
	_, body := fetch("/alerts", "application/json")
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got) != 7 {
		t.Fatalf("JSON = %d alerts, %v", len(got), err)
	}
	_, body = fetch("/alerts?before="+all[1].ID+"&limit=2", "application/json")
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got) != 2 || got[0].ID != all[2].ID || got[1].ID != all[3].ID {
		t.Errorf("JSON page after %s = %+v, %v", all[1].ID, got, err)
	}
	for _, bad := range []string{"/alerts?before=nope", "/alerts?limit=-1", "/alerts?limit=x"} {
		if code, body := fetch(bad, ""); code != 400 {
			t.Errorf("GET %s = %d, want 400\n%s", bad, code, body)
		}
	}
}

func serveReq(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req.RemoteAddr = "127.0.0.1:1234"
	h.ServeHTTP(rec, req)
	return rec
}
