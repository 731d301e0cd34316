package legisinfo

import (
	"encoding/json"
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

// samples is where the real payloads live, outside the repository.

func readFixture(tb testing.TB, snapshot, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("../../fixtures/snapshots", snapshot, "parl", path))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func eastern(y int, m time.Month, d, h, min, s, ns int) time.Time {
	return time.Date(y, m, d, h, min, s, ns, billwatch.Eastern)
}

func byNumber(bills []billwatch.Bill) map[string]billwatch.Bill {
	m := map[string]billwatch.Bill{}
	for _, b := range bills {
		m[b.Number] = b
	}
	return m
}

func TestParseListSample(t *testing.T) {
	bills, err := parseList(sampletest.Read(t, "legisinfo-bills-44-1.json"))
	if err != nil {
		t.Fatalf("parseList(44-1) error: %v", err)
	}
	if len(bills) != 412 {
		t.Fatalf("parseList(44-1) = %d bills, want 412", len(bills))
	}
	got := byNumber(bills)
	if len(got) != 412 {
		t.Errorf("parseList(44-1) = %d distinct numbers, want 412", len(got))
	}
	tests := []billwatch.Bill{
		{
			Session: "44-1", Number: "S-1", ID: 11473483, Title: "An Act relating to railways",
			Status: "Introduced as pro forma bill", Type: "Senate Public Bill", Sponsor: "Sen. Yuen Pau Woo",
			Chamber:        billwatch.Senate,
			LatestActivity: "Introduction and first reading on November 23, 2021 (Senate)",
			// "2021-11-22T19:00:00-05:00" is 2021-11-23 00:00 read as UTC: midnight Eastern.
			LatestActivityAt: eastern(2021, 11, 23, 0, 0, 0, 0),
			URL:              "https://www.parl.ca/legisinfo/en/bill/44-1/s-1",
			// 44-1 ended with the prorogation of January 6, 2025: the list says so.
			SessionOver: true,
		},
		{
			Session: "44-1", Number: "C-291", ID: 11849645,
			Title:  "An Act to amend the Criminal Code and to make consequential amendments to other Acts (child sexual abuse and exploitation material)",
			Status: "Royal assent received", Type: "Private Member’s Bill", Sponsor: "Mel Arnold",
			Chamber:          billwatch.House,
			LatestActivity:   "Royal assent on October 10, 2024 (Senate)",
			LatestActivityAt: eastern(2024, 10, 10, 10, 40, 0, 0),
			URL:              "https://www.parl.ca/legisinfo/en/bill/44-1/c-291",
			SessionOver:      true,
		},
		{
			Session: "44-1", Number: "C-26", ID: 11862853,
			Title:  "An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts",
			Status: "At consideration in the House of Commons of amendments made by the Senate", Type: "House Government Bill",
			Sponsor: "Hon. Dominic LeBlanc", Chamber: billwatch.House,
			LatestActivity:   "Message sent to the House of Commons on December 5, 2024 (Senate)",
			LatestActivityAt: eastern(2024, 12, 5, 10, 10, 0, 0),
			URL:              "https://www.parl.ca/legisinfo/en/bill/44-1/c-26",
			SessionOver:      true,
		},
	}
	for _, want := range tests {
		if diff := cmp.Diff(want, got[want.Number]); diff != "" {
			t.Errorf("parseList(44-1) %s mismatch (-want +got):\n%s", want.Number, diff)
		}
	}
	for _, b := range bills {
		if b.Title == "" || b.Status == "" || b.Chamber == "" || b.LatestActivityAt.IsZero() || b.Session != "44-1" {
			t.Errorf("parseList(44-1) %s = %+v, want title, status, chamber, session and activity time", b.Number, b)
		}
		if b.Detailed || b.Stages != nil {
			t.Errorf("parseList(44-1) %s is detailed, want a summary", b.Number)
		}
	}
}

func TestParseListFixtures(t *testing.T) {
	tests := []struct {
		snapshot string
		count    int
		want     []billwatch.Bill
	}{
		{"1", 12, []billwatch.Bill{
			{Session: "45-1", Number: "C-22", ID: 14089020, Title: "An Act respecting lawful access", ShortTitle: "Lawful Access Act, 2026",
				Status: "At second reading in the House of Commons", Type: "House Government Bill", Sponsor: "Hon. Gary Anandasangaree",
				Chamber: billwatch.House, LatestActivity: "Debate at second reading on November 13, 2026 (House of Commons)",
				LatestActivityAt: eastern(2026, 11, 13, 11, 2, 0, 0), URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-22"},
			{Session: "45-1", Number: "S-209", ID: 13481377, Title: "An Act to restrict young persons’ online access to pornographic material",
				ShortTitle: "Protecting Young Persons from Exposure to Pornography Act",
				Status:     "At second reading in the Senate", Type: "Senate Public Bill", Sponsor: "Sen. Julie Miville-Dechêne",
				Chamber: billwatch.Senate, LatestActivity: "Introduction and first reading on May 29, 2025 (Senate)",
				// Listed as "2025-05-28T20:00:00-04:00": the previous day, as LEGISinfo writes it.
				LatestActivityAt: eastern(2025, 5, 29, 0, 0, 0, 0), URL: "https://www.parl.ca/legisinfo/en/bill/45-1/s-209"},
			{Session: "45-1", Number: "C-201", ID: 13500117, Title: "An Act to amend the Income Tax Act (volunteer firefighters and search and rescue volunteers)",
				Status: "Outside the Order of Precedence", Type: "Private Member’s Bill", Sponsor: "Dan Albas", Chamber: billwatch.House,
				LatestActivity:   "Introduction and first reading on June 3, 2025 (House of Commons)",
				LatestActivityAt: eastern(2025, 6, 3, 10, 22, 14, 417e6), URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-201"},
		}},
		{"2", 13, []billwatch.Bill{
			{Session: "45-1", Number: "C-30", ID: 14312456, Title: "An Act to amend the Canadian Security Intelligence Service Act (foreign interference)",
				Status: "At second reading in the House of Commons", Type: "House Government Bill", Sponsor: "Hon. Gary Anandasangaree",
				Chamber: billwatch.House, LatestActivity: "Introduction and first reading on November 19, 2026 (House of Commons)",
				LatestActivityAt: eastern(2026, 11, 19, 10, 21, 44, 90e6), URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-30"},
			{Session: "45-1", Number: "C-8", ID: 13563649,
				Title:  "An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts",
				Status: "Royal assent received", Type: "House Government Bill", Sponsor: "Hon. Gary Anandasangaree", Chamber: billwatch.House,
				LatestActivity: "Royal assent on November 19, 2026 (Senate)", LatestActivityAt: eastern(2026, 11, 19, 16, 30, 0, 0),
				URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-8"},
		}},
	}
	for _, tt := range tests {
		bills, err := parseList(readFixture(t, tt.snapshot, "legisinfo/en/bills/json@parlsession=45-1"))
		if err != nil {
			t.Fatalf("parseList(snapshot %s) error: %v", tt.snapshot, err)
		}
		if len(bills) != tt.count {
			t.Errorf("parseList(snapshot %s) = %d bills, want %d", tt.snapshot, len(bills), tt.count)
		}
		got := byNumber(bills)
		for _, want := range tt.want {
			if diff := cmp.Diff(want, got[want.Number]); diff != "" {
				t.Errorf("parseList(snapshot %s) %s mismatch (-want +got):\n%s", tt.snapshot, want.Number, diff)
			}
		}
	}
}

// TestFixtureStory checks the story the two list snapshots tell: the bills that changed carry
// a new LatestActivityDateTime, the others the same one.
func TestFixtureStory(t *testing.T) {
	one, err := parseList(readFixture(t, "1", "legisinfo/en/bills/json@parlsession=45-1"))
	if err != nil {
		t.Fatal(err)
	}
	two, err := parseList(readFixture(t, "2", "legisinfo/en/bills/json@parlsession=45-1"))
	if err != nil {
		t.Fatal(err)
	}
	before, after := byNumber(one), byNumber(two)
	changed := map[string]bool{"C-8": true, "C-12": true, "C-22": true}
	for num, b := range after {
		a, ok := before[num]
		switch {
		case num == "C-30":
			if ok {
				t.Errorf("snapshot 1 lists C-30, want it new in snapshot 2")
			}
		case !ok:
			t.Errorf("snapshot 2 lists %s, which snapshot 1 lacks", num)
		case changed[num] && (a.LatestActivityAt.Equal(b.LatestActivityAt) || a.Status == b.Status):
			t.Errorf("%s: activity %v → %v, status %q → %q; want both changed", num, a.LatestActivityAt, b.LatestActivityAt, a.Status, b.Status)
		case !changed[num] && !cmp.Equal(a, b):
			t.Errorf("%s changed between snapshots, want it unchanged:\n%s", num, cmp.Diff(a, b))
		}
	}
}

func TestParseListBad(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"empty body", ""},
		{"empty list", "[]"},
		{"whitespace list", " [ ] \n"},
		{"html error page", "<!DOCTYPE html><html><head><title>Error</title></head><body>Service unavailable</body></html>"},
		{"object", `{"Message": "An error has occurred."}`},
		{"truncated", `[{"BillNumberFormatted": "C-2", "LongTitleEn": "An Act`},
		{"not json", "Bad Request"},
		{"list of numbers", "[1, 2, 3]"},
		{"no bill numbers", `[{"BillNumberFormatted": ""}, {"LongTitleEn": "An Act"}]`},
		{"xml", "<Bills><Bill/></Bills>"},
	}
	for _, tt := range tests {
		bills, err := parseList([]byte(tt.body))
		if !errors.Is(err, scraper.ErrLayoutChanged) {
			t.Errorf("parseList(%s) = %d bills, %v; want an error wrapping ErrLayoutChanged", tt.name, len(bills), err)
		}
	}
}

func TestParseListTolerant(t *testing.T) {
	// Unknown keys, missing keys, quoted numbers and an unexpected key order are all fine.
	body := `[{"NewKey": {"x": [1]}, "BillNumberFormatted": "c22", "LongTitleEn": " An Act\nrespecting lawful access ",
	  "ParliamentNumber": "45", "SessionNumber": 1, "BillId": "14089020", "LatestActivityDateTime": "2026-11-13T06:02:00-05:00"}]`
	bills, err := parseList([]byte(body))
	if err != nil {
		t.Fatalf("parseList(tolerant) error: %v", err)
	}
	want := []billwatch.Bill{{Session: "45-1", Number: "C-22", ID: 14089020, Title: "An Act respecting lawful access",
		Chamber: billwatch.House, LatestActivityAt: eastern(2026, 11, 13, 11, 2, 0, 0), URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-22"}}
	if diff := cmp.Diff(want, bills); diff != "" {
		t.Errorf("parseList(tolerant) mismatch (-want +got):\n%s", diff)
	}
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"BillNumberFormatted": "C-2", "LatestActivityDateTime": "2021-11-22T19:00:00-05:00"}]`))
	f.Add([]byte(`[{"BillNumberFormatted": "S-1", "ParlSessionCode": "44-1", "OriginatingChamberId": 2, "BillId": 1.5}]`))
	if b, err := os.ReadFile("../../fixtures/snapshots/1/parl/legisinfo/en/bills/json@parlsession=45-1"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		bills, err := parseList(b)
		if err != nil {
			if len(bills) != 0 {
				t.Fatalf("parseList returned %d bills with error %v", len(bills), err)
			}
			return
		}
		if len(bills) == 0 {
			t.Fatal("parseList returned no bills and no error")
		}
		for _, bill := range bills {
			if billwatch.NormalizeBillNumber(bill.Number) != bill.Number {
				t.Fatalf("parseList returned bill number %q", bill.Number)
			}
		}
	})
}

func BenchmarkParseList(b *testing.B) {
	body := sampletest.Read(b, "legisinfo-bills-44-1.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseList(body); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseListSessionAndReinstatement: the real 44-1 list says on every bill that its session
// is over; an entry of an ongoing session that reinstates a bill of the previous one (the real
// entry of C-26, moved to 45-1 with the list's reinstatement keys set) names the bill it
// reinstates, and one without the former number kept its own.
func TestParseListSessionAndReinstatement(t *testing.T) {
	t.Parallel()
	var items []map[string]any
	if err := json.Unmarshal(sampletest.Read(t, "legisinfo-bills-44-1.json"), &items); err != nil {
		t.Fatal(err)
	}
	var entry map[string]any
	for _, it := range items {
		if it["BillNumberFormatted"] == "C-26" {
			entry = it
		}
	}
	if entry == nil {
		t.Fatal("no C-26 in the 44-1 sample")
	}
	entry["ParlSessionCode"], entry["ParliamentNumber"], entry["SessionNumber"] = "45-1", 45, 1
	entry["IsFromCurrentSession"] = true
	entry["BillNumberFormatted"] = "C-8"
	entry["DidReinstateFromPreviousSession"] = true
	entry["ReinstatedFromBillNumberCode"] = "C-26"
	kept := map[string]any{}
	for k, v := range entry {
		kept[k] = v
	}
	kept["BillNumberFormatted"], kept["ReinstatedFromBillNumberCode"] = "C-9", nil
	plain := map[string]any{}
	for k, v := range entry {
		plain[k] = v
	}
	plain["BillNumberFormatted"], plain["DidReinstateFromPreviousSession"] = "C-10", false
	b, err := json.Marshal([]map[string]any{entry, kept, plain})
	if err != nil {
		t.Fatal(err)
	}
	bills, err := parseList(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		num, from string
	}{{"C-8", "C-26"}, {"C-9", "C-9"}, {"C-10", ""}}
	for i, w := range want {
		if bills[i].Number != w.num || bills[i].ReinstatedFrom != w.from || bills[i].SessionOver {
			t.Errorf("bill %d = %s reinstated from %q, session over %v; want %s from %q, not over", i, bills[i].Number, bills[i].ReinstatedFrom, bills[i].SessionOver, w.num, w.from)
		}
	}
	old, err := parseList(sampletest.Read(t, "legisinfo-bills-44-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range old {
		if !b.SessionOver {
			t.Fatalf("44-1 %s: SessionOver false, want true (IsFromCurrentSession is false)", b.Number)
		}
	}
}
