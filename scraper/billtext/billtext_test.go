package billtext

import (
	"bytes"
	"context"
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/scraper"
)

func readFixture(t *testing.T, snapshot, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../fixtures/snapshots", snapshot, "parl", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newScraper(t *testing.T, bases map[string]string) *Scraper {
	t.Helper()
	c, err := scraper.NewClient(scraper.Options{Bases: bases, Delay: 0, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

func TestExportLinkSamples(t *testing.T) {
	tests := []struct {
		file, base, href string
	}{
		{"ourcommons-documentviewer-evidence-AMAD-44-1-10-trimmed.html",
			"https://www.parl.ca/Content/Committee/441/AMAD/Evidence/EV11823690/",
			"/Content/Committee/441/AMAD/Evidence/EV11823690/AMADEV10-E.XML"},
		{"ourcommons-documentviewer-evidence-JUST-40-3-11-trimmed.html",
			"https://www.ourcommons.ca/Content/Committee/403/JUST/Evidence/EV4423056/",
			"/Content/Committee/403/JUST/Evidence/EV4423056/JUSTEV11-E.XML"},
	}
	for _, tt := range tests {
		base, href, err := exportLink(sampletest.Read(t, tt.file))
		if err != nil || base != tt.base || href != tt.href {
			t.Errorf("exportLink(%s) = %q, %q, %v; want %q, %q", tt.file, base, href, err, tt.base, tt.href)
		}
	}
}

func TestExportLinkFixtures(t *testing.T) {
	tests := []struct {
		snapshot, id, href string
	}{
		{"1", "13634210", "/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"},
		{"2", "14298765", "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml"},
		{"2", "14301877", "C-8_E.xml"},
		{"1", "13569583", "/Content/Bills/451/Government/C-8/C-8_1/C-8_E.xml"},
	}
	for _, tt := range tests {
		_, href, err := exportLink(readFixture(t, tt.snapshot, "DocumentViewer/en/"+tt.id))
		if err != nil || href != tt.href {
			t.Errorf("exportLink(snapshot %s %s) = %q, %v; want %q", tt.snapshot, tt.id, href, err, tt.href)
		}
	}
}

func TestExportLinkHTML(t *testing.T) {
	tests := []struct {
		name, page, href string
		noXML, layout    bool
	}{
		{name: "button", page: `<html><head><title>Bill C-2</title></head><body><a class="btn btn-export-xml" href="/Content/Bills/451/Government/C-2/C-2_1/C-2_E.xml">XML</a></body></html>`,
			href: "/Content/Bills/451/Government/C-2/C-2_1/C-2_E.xml"},
		{name: "empty button then real one", page: `<title>x</title><a class="btn-export-xml" href="">XML</a><a class="btn-export-xml visible-xs" href="/a/C-2_E.xml">XML</a>`,
			href: "/a/C-2_E.xml"},
		{name: "plain link, English first", page: `<title>x</title><a href="/Content/Bills/451/Private/C-201/C-201_1/C-201_F.xml">fr</a><a href="/Content/Bills/451/Private/C-201/C-201_1/C-201_E.xml">en</a>`,
			href: "/Content/Bills/451/Private/C-201/C-201_1/C-201_E.xml"},
		{name: "old naming", page: `<title>x</title><a href="/Content/Bills/412/Private/C-670/C-670_1/C-670-E.xml">XML</a>`,
			href: "/Content/Bills/412/Private/C-670/C-670_1/C-670-E.xml"},
		{name: "pdf only", page: `<html><head><meta name="DocumentId" content="1"><title>Bill</title></head><body><ul class="publication-tabs"><li class="nav-tab"><a href="#">First Reading</a></li></ul><a class="btn btn-export-pdf" href="/Content/Bills/451/Government/C-34/C-34_1/C-34_1.PDF">PDF</a></body></html>`,
			noXML: true},
		{name: "blank page", page: `<html><head></head><body></body></html>`, layout: true},
		{name: "empty body", page: ``, layout: true},
	}
	for _, tt := range tests {
		_, href, err := exportLink([]byte(tt.page))
		if href != tt.href || errors.Is(err, ErrNoXML) != tt.noXML || errors.Is(err, scraper.ErrLayoutChanged) != tt.layout {
			t.Errorf("exportLink(%s) = %q, %v; want %q (ErrNoXML %v, ErrLayoutChanged %v)", tt.name, href, err, tt.href, tt.noXML, tt.layout)
		}
	}
}

func TestResolve(t *testing.T) {
	const page = "https://www.parl.ca/DocumentViewer/en/14301877"
	const fetched = "http://127.0.0.1:4321/DocumentViewer/en/14301877"
	tests := []struct {
		name, base, href, public, site string
		bad                            bool
	}{
		{name: "root-relative", href: "/Content/Bills/451/Government/C-8/C-8_4/C-8_E.xml",
			public: "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_4/C-8_E.xml", site: scraper.Parl},
		{name: "relative to base", base: "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_4/", href: "C-8_E.xml",
			public: "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_4/C-8_E.xml", site: scraper.Parl},
		{name: "absolute www.parl.ca", href: "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml",
			public: "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml", site: scraper.Parl},
		{name: "absolute parl.ca over http", href: "http://parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml",
			public: "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml", site: scraper.Parl},
		{name: "absolute configured base", href: "http://127.0.0.1:4321/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml",
			public: "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml", site: scraper.Parl},
		{name: "base on ourcommons", base: "https://www.ourcommons.ca/Content/Committee/403/JUST/Evidence/EV4423056/", href: "/Content/Committee/403/JUST/Evidence/EV4423056/JUSTEV11-E.XML",
			public: "https://www.ourcommons.ca/Content/Committee/403/JUST/Evidence/EV4423056/JUSTEV11-E.XML", site: scraper.OurCommons},
		{name: "elsewhere", href: "https://example.com/C-8_E.xml", bad: true},
		{name: "javascript", href: "javascript:void(0)", bad: true},
	}
	for _, tt := range tests {
		public, site, err := resolve(page, tt.base, tt.href, fetched)
		if tt.bad {
			if err == nil {
				t.Errorf("resolve(%s) = %q, want an error", tt.name, public)
			}
			continue
		}
		if err != nil || public != tt.public || site != tt.site {
			t.Errorf("resolve(%s) = %q, %q, %v; want %q, %q", tt.name, public, site, err, tt.public, tt.site)
		}
	}
}

func TestCheckBillXML(t *testing.T) {
	for _, name := range []string{"bill-45-1-C-8-first-reading.xml", "bill-45-1-C-8-as-amended-by-committee.xml", "bill-45-1-C-8-third-reading.xml",
		"bill-45-1-C-8-royal-assent.xml", "bill-44-1-C-26-third-reading.xml"} {
		if err := checkBillXML(sampletest.Read(t, name)); err != nil {
			t.Errorf("checkBillXML(%s) = %v, want nil", name, err)
		}
	}
	good := readFixture(t, "1", "Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml")
	bad := map[string][]byte{
		"empty":         nil,
		"html":          []byte("<!DOCTYPE html><html><body>Page not found</body></html>"),
		"truncated":     good[:len(good)/2],
		"unclosed":      bytes.TrimSuffix(good, []byte("</Bill>")),
		"other root":    []byte(`<?xml version="1.0"?><Hansard><Title>Evidence</Title></Hansard>`),
		"plain text":    []byte("File not found."),
		"two roots":     []byte("<Bill></Bill><Bill></Bill>"),
		"trailing junk": append(append([]byte{}, good...), []byte("<div>")...),
	}
	for name, b := range bad {
		if err := checkBillXML(b); !errors.Is(err, scraper.ErrLayoutChanged) {
			t.Errorf("checkBillXML(%s) = %v, want an error wrapping ErrLayoutChanged", name, err)
		}
	}
}

func TestTextFixtures(t *testing.T) {
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	defer servers.Close()
	s := newScraper(t, servers.Bases())
	tests := []struct {
		snapshot int
		pub      billwatch.Publication
		url      string
		fixture  string // the file served, under snapshots/N/parl
	}{
		{1, billwatch.Publication{ID: "13507742", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-2/C-2_1/C-2_E.xml", "1/parl/Content/Bills/451/Government/C-2/C-2_1/C-2_E.xml"},
		{1, billwatch.Publication{ID: "13569583", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_1/C-8_E.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_1/C-8_E.xml"},
		{1, billwatch.Publication{ID: "13961698", Type: billwatch.AmendedByCommittee}, "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_2/C-8_E.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_2/C-8_E.xml"},
		{1, billwatch.Publication{ID: "13995712", Type: billwatch.PassedHouse}, "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_3/C-8_E.xml", "1/parl/Content/Bills/451/Government/C-8/C-8_3/C-8_E.xml"},
		{1, billwatch.Publication{ID: "13634210", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml", "1/parl/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"},
		{1, billwatch.Publication{ID: "14101230", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-22/C-22_1/C-22_E.xml", "1/parl/Content/Bills/451/Government/C-22/C-22_1/C-22_E.xml"},
		{2, billwatch.Publication{ID: "13634210", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml", "1/parl/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"},
		{2, billwatch.Publication{ID: "14298765", Type: billwatch.AmendedByCommittee}, "https://www.parl.ca/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml", "2/parl/Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml"},
		{2, billwatch.Publication{ID: "14301877", Type: billwatch.RoyalAssent}, "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_4/C-8_E.xml", "2/parl/Content/Bills/451/Government/C-8/C-8_4/C-8_E.xml"},
		{2, billwatch.Publication{ID: "14305532", Type: billwatch.FirstReading}, "https://www.parl.ca/Content/Bills/451/Government/C-30/C-30_1/C-30_E.xml", "2/parl/Content/Bills/451/Government/C-30/C-30_1/C-30_E.xml"},
	}
	for _, tt := range tests {
		servers.SetSnapshot(tt.snapshot)
		got, err := s.Text(context.Background(), tt.pub)
		if err != nil {
			t.Errorf("Text(snapshot %d, %s) error: %v", tt.snapshot, tt.pub.ID, err)
			continue
		}
		want := Text{URL: tt.url, Body: readFixture(t, strings.SplitN(tt.fixture, "/", 2)[0], strings.SplitN(tt.fixture, "/parl/", 2)[1])}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Text(snapshot %d, %s) mismatch (-want +got):\n%s", tt.snapshot, tt.pub.ID, diff)
		}
	}
}

func TestTextBad(t *testing.T) {
	good := readFixture(t, "1", "Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml")
	page := string(readFixture(t, "1", "DocumentViewer/en/13634210"))
	noLink := strings.Replace(page, `class="btn btn-export-xml hidden-xs" href="/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"`, `class="btn btn-export-html"`, 1)
	const xmlPath = "/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"
	tests := []struct {
		name             string
		pageStatus       int
		page             string
		xmlStatus        int
		xml              []byte
		noXML, layout    bool
		missing          bool
		wantURLInMessage string
	}{
		{name: "page 404", pageStatus: 404, page: "Not Found", missing: true, wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "page 503", pageStatus: 503, page: "busy", wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "no xml link", pageStatus: 200, page: noLink, noXML: true, wantURLInMessage: "/DocumentViewer/en/13634210"},
		// Faults that passed for "no XML yet" (a gap, exit 0): none of them is ErrNoXML.
		{name: "page soft 404", pageStatus: 200, page: `<!DOCTYPE html><html><head><title>Page not found - Parliament of Canada</title></head><body><h1>Page not found</h1></body></html>`, missing: true, wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "page cut in half", pageStatus: 200, page: noLink[:len(noLink)/2], wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "page empty", pageStatus: 200, page: "", layout: true, wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "page is a PDF", pageStatus: 200, page: "%PDF-1.7\n1 0 obj", layout: true, wantURLInMessage: "/DocumentViewer/en/13634210"},
		{name: "xml 404", pageStatus: 200, page: page, xmlStatus: 404, xml: []byte("Not Found"), missing: true, wantURLInMessage: xmlPath},
		{name: "xml is html", pageStatus: 200, page: page, xmlStatus: 200, xml: []byte("<!DOCTYPE html><html><body>Error</body></html>"), layout: true, wantURLInMessage: xmlPath},
		{name: "xml truncated", pageStatus: 200, page: page, xmlStatus: 200, xml: good[:len(good)-100], layout: true, wantURLInMessage: xmlPath},
		{name: "xml not a bill", pageStatus: 200, page: page, xmlStatus: 200, xml: []byte("<Hansard/>"), layout: true, wantURLInMessage: xmlPath},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/DocumentViewer/en/13634210":
				w.WriteHeader(tt.pageStatus)
				_, _ = w.Write([]byte(tt.page))
			case xmlPath:
				w.WriteHeader(tt.xmlStatus)
				_, _ = w.Write(tt.xml)
			default:
				http.NotFound(w, r)
			}
		}))
		s := newScraper(t, map[string]string{scraper.Parl: srv.URL})
		got, err := s.Text(context.Background(), billwatch.Publication{ID: "13634210"})
		srv.Close()
		if err == nil {
			t.Errorf("Text(%s) = %s, want an error", tt.name, got.URL)
			continue
		}
		if errors.Is(err, ErrNoXML) != tt.noXML || errors.Is(err, scraper.ErrLayoutChanged) != tt.layout || errors.Is(err, scraper.ErrNotFound) != tt.missing {
			t.Errorf("Text(%s) error %q: ErrNoXML %v, ErrLayoutChanged %v, ErrNotFound %v; want %v, %v, %v", tt.name, err,
				errors.Is(err, ErrNoXML), errors.Is(err, scraper.ErrLayoutChanged), errors.Is(err, scraper.ErrNotFound), tt.noXML, tt.layout, tt.missing)
		}
		if !strings.Contains(err.Error(), tt.wantURLInMessage) {
			t.Errorf("Text(%s) error %q does not name %s", tt.name, err, tt.wantURLInMessage)
		}
	}
	s := newScraper(t, nil)
	if _, err := s.Text(context.Background(), billwatch.Publication{ID: "../etc"}); err == nil {
		t.Error("Text(../etc) succeeded, want an error for a malformed id")
	}
}

// TestC12Story checks what the C-12 committee reprint changes, as the diff must find it.
func TestC12Story(t *testing.T) {
	first := string(readFixture(t, "1", "Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"))
	amended := string(readFixture(t, "2", "Content/Bills/451/Government/C-12/C-12_2/C-12_E.xml"))
	checks := []struct {
		what          string
		inFirst, inAm bool
		text          string
	}{
		{"committee markup", false, true, "<Ins>"},
		{"added section", false, true, `<Section change="ins"><MarginalNote>Parliamentary review</MarginalNote>`},
		{"deleted section", true, false, "<MarginalNote>Orders not statutory instruments</MarginalNote>"},
		{"suspect", true, false, "reasonable grounds to suspect that it was obtained by fraud"},
		{"believe", false, true, "reasonable grounds to <Ins>believe</Ins> that it was obtained by fraud"},
		{"time limit", false, true, "within <Ins>60</Ins> days"},
		{"may to shall", false, true, "The Minister <Ins>shall</Ins> publish"},
		{"ligature", false, true, "eﬀect"},
		{"report stage", false, true, `<Stages stage="report-house">`},
	}
	for _, c := range checks {
		if strings.Contains(first, c.text) != c.inFirst || strings.Contains(amended, c.text) != c.inAm {
			t.Errorf("C-12 %s: %q in first reading %v, in reprint %v; want %v, %v", c.what, c.text,
				strings.Contains(first, c.text), strings.Contains(amended, c.text), c.inFirst, c.inAm)
		}
	}
	if scraper.Clean("have eﬀect only") != scraper.Clean("have effect only") {
		t.Error("scraper.Clean does not fold the reprint's ligatures")
	}
}

// The weekly check of a held text: one request for the XML, conditional on its ETag; a 304
// says unchanged without a body, a new version comes back whole with its new validators.
func TestRecheckConditional(t *testing.T) {
	good := readFixture(t, "1", "Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml")
	const xmlPath = "/Content/Bills/451/Government/C-12/C-12_1/C-12_E.xml"
	etag := `"v1"`
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		got = append(got, r.URL.Path+" "+r.Header.Get("If-None-Match"))
		if r.URL.Path != xmlPath {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		_, _ = w.Write(good)
	}))
	defer srv.Close()
	s := newScraper(t, map[string]string{scraper.Parl: srv.URL})
	public := "https://www.parl.ca" + xmlPath

	txt, changed, err := s.Recheck(context.Background(), public, `"v1"`, "")
	if err != nil || changed || txt.Body != nil || txt.ETag != `"v1"` {
		t.Errorf("Recheck(unchanged) = %d bytes, changed %v, etag %q, %v; want unchanged, no body", len(txt.Body), changed, txt.ETag, err)
	}
	etag = `"v2"`
	txt, changed, err = s.Recheck(context.Background(), public, `"v1"`, "")
	if err != nil || !changed || !bytes.Equal(txt.Body, good) || txt.ETag != `"v2"` || txt.URL != public {
		t.Errorf("Recheck(changed) = %d bytes, changed %v, etag %q, url %s, %v; want the new text and its etag", len(txt.Body), changed, txt.ETag, txt.URL, err)
	}
	want := []string{xmlPath + ` "v1"`, xmlPath + ` "v1"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests = %q, want %q (the XML only, conditional)", got, want)
	}
	if _, _, err := s.Recheck(context.Background(), "https://example.org/x.xml", "", ""); err == nil {
		t.Error("Recheck(example.org) = nil error, want one")
	}
}
