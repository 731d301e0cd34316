package justice

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/scraper"
)

func TestParseIndexLenient(t *testing.T) {
	t.Parallel()
	in := `<?xml version="1.0" encoding="UTF-8"?>
<ActsRegsList><Acts>
  <Act><UniqueId>T-3.4</UniqueId><OfficialNumber>T-3.4</OfficialNumber><Language>eng</Language>
    <LinkToXML>https://laws-lois.justice.gc.ca/eng/XML/T-3.4.xml</LinkToXML><Title>Telecommunications Act</Title><CurrentToDate>2024-06-20</CurrentToDate></Act>
  <Act><UniqueId>T-3.4</UniqueId><Language>fra</Language><Title>Loi sur les télécommunications</Title></Act>
  <act><officialnumber>R.S.C., 1985, c. C-23</officialnumber><linktoxml>/eng/XML/C-23.xml</linktoxml><title>Canadian Security Intelligence Service Act</title></act>
  <Act><UniqueId>nonsense</UniqueId><Title>No code</Title></Act>
  <Act><UniqueId>C-46</UniqueId><Title> Criminal
     Code </Title><Extra><Nested>x</Nested></Extra></Act>
</Acts><Regulations><Regulation><UniqueId>SOR-2002-227</UniqueId><Title>Regs</Title></Regulation></Regulations></ActsRegsList>`
	got, err := ParseIndex(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []IndexEntry{
		{Code: "T-3.4", Title: "Telecommunications Act", ConsolidatedTo: "2024-06-20", Link: "https://laws-lois.justice.gc.ca/eng/XML/T-3.4.xml"},
		{Code: "C-23", Title: "Canadian Security Intelligence Service Act", Chapter: "R.S.C., 1985, c. C-23", Link: "/eng/XML/C-23.xml"},
		{Code: "C-46", Title: "Criminal Code"},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseIndex = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ParseIndex entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Damage after some entries keeps them; nothing at all is a layout change.
	if got, err := ParseIndex(strings.NewReader(in[:strings.Index(in, "<act>")] + "<Act><Title>")); err != nil || len(got) != 1 {
		t.Errorf("ParseIndex(truncated) = %v, %v; want the first entry", got, err)
	}
	for _, bad := range []string{"", "<html><body>Maintenance</body></html>", "<ActsRegsList><Acts/></ActsRegsList>"} {
		if _, err := ParseIndex(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseIndex(%q) = nil error", bad)
		} else if bad != "" && !errors.Is(err, scraper.ErrLayoutChanged) {
			t.Errorf("ParseIndex(%q) = %v, want ErrLayoutChanged", bad, err)
		}
	}
}

func newScraper(t *testing.T, h http.HandlerFunc) *Scraper {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := scraper.NewClient(scraper.Options{Bases: map[string]string{Site: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

func TestActConditionalAndChecked(t *testing.T) {
	t.Parallel()
	var paths []string
	s := newScraper(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		paths = append(paths, r.URL.Path)
		switch r.URL.Path {
		case "/eng/XML/T-3.4.xml":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Write([]byte(`<?xml version="1.0"?><Statute><Body/></Statute>`))
		case "/eng/XML/C-23.xml":
			w.Write([]byte(`<!DOCTYPE html><html><body>Page not found</body></html>`))
		default:
			http.NotFound(w, r)
		}
	})
	ctx := t.Context()
	f, err := s.Act(ctx, "T-3.4", "", "")
	if err != nil || f.NotModified || f.ETag != `"v1"` || !strings.Contains(string(f.Body), "<Statute>") {
		t.Fatalf("Act(T-3.4) = %+v, %v", f, err)
	}
	f, err = s.Act(ctx, "T-3.4", `"v1"`, "")
	if err != nil || !f.NotModified || f.Body != nil || f.ETag != `"v1"` {
		t.Errorf("Act(T-3.4) with its ETag = %+v, %v; want not modified", f, err)
	}
	if _, err := s.Act(ctx, "C-23", "", ""); !errors.Is(err, scraper.ErrLayoutChanged) {
		t.Errorf("Act(C-23) serving an HTML page = %v, want ErrLayoutChanged", err)
	}
	if _, err := s.Act(ctx, "X-1", "", ""); !errors.Is(err, scraper.ErrNotFound) {
		t.Errorf("Act(X-1) = %v, want ErrNotFound", err)
	}
	if _, err := s.Act(ctx, "../etc/passwd", "", ""); err == nil || !strings.Contains(err.Error(), "not an Act code") {
		t.Errorf("Act(../etc/passwd) = %v", err)
	}
	if _, err := s.Index(ctx, "", ""); !errors.Is(err, scraper.ErrNotFound) {
		t.Errorf("Index on a site without one = %v, want ErrNotFound", err)
	}
	for _, p := range paths {
		if strings.Contains(p, "passwd") {
			t.Errorf("requested %s", p)
		}
	}
}
