package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/tracker"
)

// lawServer is a server on a database holding one bill, C-99, with one text; law returns
// the result the page shows.
func lawServer(t *testing.T, res func() *law.Result) http.Handler {
	t.Helper()
	from, err := os.ReadFile("../diff/testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "billwatch.db")
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC)
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return now }
	src := &amendedSource{from: from}
	tr.Bills, tr.Texts, tr.Differ = src, src, differ{}
	if s := tr.ScrapeBills(t.Context(), "45-1"); s.Outcome != tracker.OK {
		t.Fatal(s.Line())
	}
	srv, err := New(Options{DB: db, BillJSON: testBillJSON, Now: func() time.Time { return now }, Law: func(billXML []byte) (*law.Result, error) {
		if !strings.Contains(string(billXML), "<") {
			t.Errorf("the law reader got %q, not the bill's XML", billXML)
		}
		return res(), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

func serve(h http.Handler, path, accept string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	h.ServeHTTP(rec, req)
	return rec
}

// TestLawPageHostileTextIsInert: an Act title, an instruction and Act text that carry
// markup are shown as text, never as markup, and the page needs no script.
func TestLawPageHostileTextIsInert(t *testing.T) {
	t.Parallel()
	h := lawServer(t, func() *law.Result {
		return &law.Result{Summary: law.Summary{Instructions: 2, Applied: 1, Unapplied: 1},
			InForce: []law.InForce{{Provision: "16", Text: `The provisions of this Part come into force on a day <u>to be fixed</u> by order of the Governor in Council.`}}, Acts: []law.ActResult{{
				Code: "T-3.4", Title: `Telecommunications Act<script>alert(1)</script>`, ConsolidatedTo: "2024-06-20",
				Effects: []law.Effect{
					{BillProvision: "4", Instruction: `Section 47 of the Act is replaced by the following:<img src=x onerror=alert(2)>`, Kind: "replaced", Target: "47", Applied: true,
						Before: "The Commission shall <b>approve</b> tariffs.", After: `The Minister may <iframe src="javascript:alert(3)"> tariffs.`},
					{BillProvision: "5", Instruction: "Section 99 of the Act is repealed.", Kind: "repealed", Target: "99", Reason: `target not found: s. 99 <a href="x">`},
				},
			}}}
	})
	rec := serve(h, "/bills/45-1/C-99/law", "")
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("GET law = %d\n%s", rec.Code, body)
	}
	for _, bad := range []string{"<script>alert", "<img src=x", "<iframe", "<b>approve", `<a href="x">`, "<u>"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page carries live markup %q", bad)
		}
	}
	for _, want := range []string{
		"Telecommunications Act&lt;script&gt;alert(1)&lt;/script&gt; (T-3.4), consolidated to 2024-06-20",
		"s. 47 replaced", "applied", "Not applied: target not found: s. 99 &lt;a href=&#34;x&#34;&gt;",
		"<del>", "<ins>", "In force", "As the bill would make it",
		`href="/bills/45-1/C-99"`,
		"When it takes effect", "Bill s. 16</strong> The provisions of this Part come into force on a day &lt;u&gt;to be fixed",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") && !strings.Contains(csp, "default-src") {
		t.Errorf("CSP = %q", csp)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "onclick") {
		t.Error("the page has inline script or style")
	}
}

func TestLawPageBadInput(t *testing.T) {
	t.Parallel()
	h := lawServer(t, func() *law.Result {
		return &law.Result{Acts: []law.ActResult{{Code: "T-3.4", Title: "Telecommunications Act", Effects: []law.Effect{{Kind: "repealed", Target: "9", Applied: false, Reason: "target not found"}}}}}
	})
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/bills/45-1/C-99/law?act=%3Cscript%3E", 400, `Query parameter &#34;act&#34;`},
		{"/bills/45-1/C-99/law?act=C-46", 400, "does not amend the Act C-46"},
		{"/bills/45-1/C-99/law?version=royal-assent", 404, `has no version &#34;royal-assent&#34;`},
		{"/bills/45-1/C-404/law", 404, "Not found"},
		{"/bills/45-1/C-99/law?act=T-3.4&version=first-reading", 200, "Telecommunications Act (T-3.4)"},
		{"/bills/45-1/C-99/law?act=t-3.4", 200, "Telecommunications Act (T-3.4)"},
		{"/bills/45-1/C-99/law?version=1", 200, "Not applied: target not found"},
	} {
		rec := serve(h, c.path, "")
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("GET %s = %d, want %d with %q\n%s", c.path, rec.Code, c.status, c.want, rec.Body.String())
		}
	}
	if rec := serve(h, "/bills/45-1/C-99/law?act=xx", "application/json"); rec.Code != 400 || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
		t.Errorf("JSON bad act = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
