package legisinfo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/scraper"
)

func newScraper(t *testing.T, bases map[string]string) *Scraper {
	t.Helper()
	c, err := scraper.NewClient(scraper.Options{Bases: bases, Delay: 0, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

func TestScraperFixtures(t *testing.T) {
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	defer servers.Close()
	s := newScraper(t, servers.Bases())
	ctx := context.Background()

	tests := []struct {
		snapshot int
		bills    int
		records  map[string]string // number → status
	}{
		{1, 12, map[string]string{
			"C-2":  "At second reading in the House of Commons",
			"C-8":  "At third reading in the Senate",
			"C-12": "At consideration in committee in the House of Commons",
			"C-22": "At second reading in the House of Commons",
		}},
		{2, 13, map[string]string{
			"C-2":  "At second reading in the House of Commons", // served from snapshot 1
			"C-8":  "Royal assent received",
			"C-12": "At report stage in the House of Commons",
			"C-22": "At consideration in committee in the House of Commons",
			"C-30": "At second reading in the House of Commons",
		}},
	}
	for _, tt := range tests {
		servers.SetSnapshot(tt.snapshot)
		bills, err := s.Bills(ctx, "45-1")
		if err != nil {
			t.Fatalf("Bills(45-1) in snapshot %d error: %v", tt.snapshot, err)
		}
		if len(bills) != tt.bills {
			t.Errorf("Bills(45-1) in snapshot %d = %d bills, want %d", tt.snapshot, len(bills), tt.bills)
		}
		for num, status := range tt.records {
			b, raw, err := s.Bill(ctx, "45-1", strings.ToLower(num))
			if err != nil {
				t.Errorf("Bill(45-1, %s) in snapshot %d error: %v", num, tt.snapshot, err)
				continue
			}
			if b.Number != num || b.Session != "45-1" || b.Status != status || !b.Detailed || len(raw) == 0 {
				t.Errorf("Bill(45-1, %s) in snapshot %d = %s %s %q (detailed %v, %d bytes), want status %q",
					num, tt.snapshot, b.Session, b.Number, b.Status, b.Detailed, len(raw), status)
			}
			if want := "https://www.parl.ca/legisinfo/en/bill/45-1/" + strings.ToLower(num); b.URL != want {
				t.Errorf("Bill(45-1, %s).URL = %q, want %q", num, b.URL, want)
			}
		}
	}
	if n := servers.Hits("parl", "/legisinfo/en/bill/45-1/c-8/xml"); n != 2 {
		t.Errorf("C-8 record fetched %d times, want 2", n)
	}
}

func TestScraperBad(t *testing.T) {
	c8 := readFixture(t, "1", "legisinfo/en/bill/45-1/c-8/xml")
	list := readFixture(t, "1", "legisinfo/en/bills/json@parlsession=45-1")
	tests := []struct {
		name    string
		list    bool // ask for the list (else the C-8 record)
		status  int
		body    string
		layout  bool // the error wraps ErrLayoutChanged
		missing bool // the error wraps ErrNotFound
	}{
		{name: "list 503", list: true, status: 503, body: "Service Unavailable"},
		{name: "list 404", list: true, status: 404, body: "Not Found", missing: true},
		{name: "list html", list: true, status: 200, body: "<!DOCTYPE html><html><body>Maintenance</body></html>", layout: true},
		{name: "list empty", list: true, status: 200, body: "[]", layout: true},
		{name: "list truncated", list: true, status: 200, body: string(list[:len(list)/3]), layout: true},
		{name: "list other session", list: true, status: 200, body: `[{"BillNumberFormatted": "C-2", "ParlSessionCode": "44-1"}]`, layout: true},
		{name: "record 503", status: 503, body: "Service Unavailable"},
		{name: "record 404", status: 404, body: "Not Found", missing: true},
		{name: "record not xml", status: 200, body: "Bill not found", layout: true},
		{name: "record html", status: 200, body: "<html><head><title>Error</title></head></html>", layout: true},
		{name: "record empty bills", status: 200, body: "<Bills />", layout: true},
		{name: "record truncated", status: 200, body: string(c8[:len(c8)-40]), layout: true},
		{name: "record of another bill", status: 200, body: strings.Replace(string(c8), "<NumberCode>C-8</NumberCode>", "<NumberCode>C-9</NumberCode>", 1)},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/robots.txt" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		}))
		s := newScraper(t, map[string]string{scraper.Parl: srv.URL})
		var err error
		var url string
		if tt.list {
			var bills []billwatch.Bill
			bills, err = s.Bills(context.Background(), "45-1")
			url = srv.URL + "/legisinfo/en/bills/json?parlsession=45-1"
			if err == nil {
				t.Errorf("Bills(%s) = %d bills, want an error", tt.name, len(bills))
			}
		} else {
			var b billwatch.Bill
			b, _, err = s.Bill(context.Background(), "45-1", "C-8")
			url = srv.URL + "/legisinfo/en/bill/45-1/c-8/xml"
			if err == nil {
				t.Errorf("Bill(%s) = %s, want an error", tt.name, b.Number)
			}
		}
		srv.Close()
		if err == nil {
			continue
		}
		if !strings.Contains(err.Error(), url) {
			t.Errorf("%s: error %q does not name %s", tt.name, err, url)
		}
		if errors.Is(err, scraper.ErrLayoutChanged) != tt.layout {
			t.Errorf("%s: error %q wraps ErrLayoutChanged = %v, want %v", tt.name, err, !tt.layout, tt.layout)
		}
		if errors.Is(err, scraper.ErrNotFound) != tt.missing {
			t.Errorf("%s: error %q wraps ErrNotFound = %v, want %v", tt.name, err, !tt.missing, tt.missing)
		}
		if err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
			t.Errorf("%s: error %q does not start in lower case", tt.name, err)
		}
	}
}

func TestScraperArguments(t *testing.T) {
	s := newScraper(t, map[string]string{scraper.Parl: "http://127.0.0.1:1"})
	if _, err := s.Bills(context.Background(), "45"); err == nil {
		t.Error("Bills(45) succeeded, want an error for a malformed session")
	}
	if _, _, err := s.Bill(context.Background(), "45-1", "X-1"); err == nil {
		t.Error("Bill(45-1, X-1) succeeded, want an error for a malformed number")
	}
}
