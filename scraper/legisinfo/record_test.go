package legisinfo

import (
	"bytes"
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

func TestParseRecordSampleC8(t *testing.T) {
	got, err := parseRecord(sampletest.Read(t, "legisinfo-bill-45-1-C-8.xml"))
	if err != nil {
		t.Fatalf("parseRecord(C-8) error: %v", err)
	}
	want := billwatch.Bill{
		Session: "45-1", Number: "C-8", ID: 13563649,
		Title:  "An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts",
		Status: "Royal assent received", Type: "House Government Bill", Sponsor: "Hon. Gary Anandasangaree",
		Chamber: billwatch.House, LatestActivity: "Royal assent on June 15, 2026 (Senate)",
		LatestActivityAt: eastern(2026, 6, 15, 10, 15, 0, 0), Statute: "S.C. 2026, c. 9",
		URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-8", Detailed: true,
		Publications: []billwatch.Publication{
			{ID: "13569583", Type: billwatch.FirstReading, Name: "First Reading", TypeID: 80701},
			{ID: "13961698", Type: billwatch.AmendedByCommittee, Name: "As amended by committee", TypeID: 80702},
			{ID: "13995712", Type: billwatch.PassedHouse, Name: "As passed by the House of Commons", TypeID: 80703},
			{ID: "14196001", Type: billwatch.RoyalAssent, Name: "Royal Assent", TypeID: 80704},
		},
	}
	ignore := cmpopts.IgnoreFields(billwatch.Bill{}, "Stages", "Meetings", "References")
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("parseRecord(C-8) mismatch (-want +got):\n%s", diff)
	}
	if len(got.Stages) != 10 {
		t.Fatalf("parseRecord(C-8) = %d stages, want 10", len(got.Stages))
	}
	stages := []billwatch.Stage{
		{Chamber: billwatch.House, Name: "Consideration in committee", ID: 60049, State: "Completed", Committee: "SECU",
			CommitteeName: "Standing Committee on Public Safety and National Security", Date: "2026-03-11",
			Events: []string{"Committee report presented with amendments"}},
		{Chamber: billwatch.Senate, Name: "Second reading", ID: 60030, State: "Completed", Committee: "SECD",
			CommitteeName: "Standing Senate Committee on National Security, Defence and Veterans Affairs", Date: "2026-04-23",
			Events: []string{"Second reading", "Referral to committee"}},
		{Chamber: billwatch.Senate, Name: "Royal assent", ID: 60050, State: "Completed", Date: "2026-06-15", Events: []string{"Royal assent"}},
	}
	for i, idx := range []int{2, 6, 9} {
		if diff := cmp.Diff(stages[i], got.Stages[idx]); diff != "" {
			t.Errorf("parseRecord(C-8) stage %d mismatch (-want +got):\n%s", idx, diff)
		}
	}
	if len(got.Meetings) != 13 {
		t.Errorf("parseRecord(C-8) = %d meetings, want 13 (10 SECU, 3 SECD)", len(got.Meetings))
	}
	for _, m := range got.Meetings {
		// The SECD node claims to be a House committee; the stage it sits under says Senate.
		if m.Committee == "SECD" && m.Chamber != billwatch.Senate || m.Committee == "SECU" && m.Chamber != billwatch.House {
			t.Errorf("parseRecord(C-8) meeting %+v has the wrong chamber", m)
		}
	}
	if m := got.Meetings[0]; m != (billwatch.Meeting{Chamber: billwatch.House, Committee: "SECU", Number: 9, Date: "2025-10-28"}) {
		t.Errorf("parseRecord(C-8) first meeting = %+v, want SECU 9 on 2025-10-28", m)
	}
	if len(got.References) != 4 || !strings.HasPrefix(got.References[3].Title, "Charter Statement - Bill C-8") ||
		got.References[3].URL != "https://www.justice.gc.ca/eng/csj-sjc/pl/charter-charte/c8_2.html" || got.References[3].Type != "Background Documents" {
		t.Errorf("parseRecord(C-8) references = %+v, want 4 ending with the Charter Statement", got.References)
	}
	if !strings.Contains(got.References[0].Title, "Blake, Cassels & Graydon") || !strings.Contains(got.References[0].Title, "“House") {
		t.Errorf("parseRecord(C-8) reference 0 title = %q, want entities decoded and curly quotes kept", got.References[0].Title)
	}
}

func TestParseRecordSampleC291JSON(t *testing.T) {
	got, err := parseRecord(sampletest.Read(t, "legisinfo-bill-44-1-C-291-details.json"))
	if err != nil {
		t.Fatalf("parseRecord(C-291 JSON) error: %v", err)
	}
	want := billwatch.Bill{
		Session: "44-1", Number: "C-291", ID: 11849645,
		Title:  "An Act to amend the Criminal Code and to make consequential amendments to other Acts (child sexual abuse and exploitation material)",
		Status: "Royal assent received", Type: "Private Member’s Bill", Sponsor: "Mel Arnold", Chamber: billwatch.House,
		LatestActivity: "Royal assent on October 10, 2024 (Senate)", LatestActivityAt: eastern(2024, 10, 10, 10, 40, 0, 0),
		Statute: "S.C. 2024, c. 23", URL: "https://www.parl.ca/legisinfo/en/bill/44-1/c-291", Detailed: true,
		Meetings: []billwatch.Meeting{
			{Chamber: billwatch.House, Committee: "JUST", Number: 42, Date: "2022-12-05"},
			{Chamber: billwatch.Senate, Committee: "LCJC", Number: 111, Date: "2024-09-18"},
		},
		Publications: []billwatch.Publication{
			{ID: "11890415", Type: billwatch.FirstReading, Name: "First Reading", TypeID: 80701},
			{ID: "12143582", Type: billwatch.AmendedByCommittee, Name: "As amended by committee", TypeID: 80702},
			{ID: "12193844", Type: billwatch.PassedHouse, Name: "As passed by the House of Commons", TypeID: 80703},
			{ID: "13331363", Type: billwatch.RoyalAssent, Name: "Royal Assent", TypeID: 80704},
		},
		Votes: []billwatch.Vote{
			{Chamber: billwatch.House, Number: 221, Subject: "2nd reading of Bill C-291, An Act to amend the Criminal Code and to make consequential amendments to other Acts (child sexual abuse material)",
				Yeas: 318, Nays: 0, Result: "Agreed To", Date: "2022-11-23"},
			{Chamber: billwatch.House, Number: 249, Subject: "3rd reading and adoption of Bill C-291, An Act to amend the Criminal Code and to make consequential amendments to other Acts (child sexual abuse and exploitation material)",
				Yeas: 323, Nays: 0, Result: "Agreed To", Date: "2023-02-01"},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(billwatch.Bill{}, "Stages", "References")); diff != "" {
		t.Errorf("parseRecord(C-291 JSON) mismatch (-want +got):\n%s", diff)
	}
	if len(got.Stages) != 10 || len(got.References) != 2 {
		t.Errorf("parseRecord(C-291 JSON) = %d stages, %d references; want 10 and 2", len(got.Stages), len(got.References))
	}
}

// TestParseRecordFixtures checks every fixture record against its line in the list of the same
// snapshot: what both say must agree, or the demo tells two stories.
func TestParseRecordFixtures(t *testing.T) {
	records := map[string][]string{"1": {"c-2", "c-8", "c-12", "c-22"}, "2": {"c-8", "c-12", "c-22", "c-30"}}
	for snap, nums := range records {
		bills, err := parseList(readFixture(t, snap, "legisinfo/en/bills/json@parlsession=45-1"))
		if err != nil {
			t.Fatal(err)
		}
		list := byNumber(bills)
		for _, n := range nums {
			got, err := parseRecord(readFixture(t, snap, "legisinfo/en/bill/45-1/"+n+"/xml"))
			if err != nil {
				t.Errorf("parseRecord(snapshot %s %s) error: %v", snap, n, err)
				continue
			}
			summary := got
			summary.Detailed, summary.Stages, summary.Meetings, summary.Publications, summary.Votes, summary.References, summary.Summary, summary.Statute =
				false, nil, nil, nil, nil, nil, "", ""
			if diff := cmp.Diff(list[got.Number], summary); diff != "" {
				t.Errorf("snapshot %s: list and record of %s disagree (-list +record):\n%s", snap, got.Number, diff)
			}
		}
	}
}

func TestParseRecordFixtureStory(t *testing.T) {
	rec := func(snap, n string) billwatch.Bill {
		b, err := parseRecord(readFixture(t, snap, "legisinfo/en/bill/45-1/"+n+"/xml"))
		if err != nil {
			t.Fatalf("parseRecord(snapshot %s %s) error: %v", snap, n, err)
		}
		return b
	}
	c8 := rec("2", "c-8")
	if c8.Statute != "S.C. 2026, c. 27" || c8.Stages[len(c8.Stages)-1].Date != "2026-11-19" ||
		c8.Publications[len(c8.Publications)-1] != (billwatch.Publication{ID: "14301877", Type: billwatch.RoyalAssent, Name: "Royal Assent", TypeID: 80704}) {
		t.Errorf("parseRecord(snapshot 2 C-8) = statute %q, stages %+v, publications %+v; want royal assent on 2026-11-19", c8.Statute, c8.Stages, c8.Publications)
	}
	for _, m := range c8.Meetings {
		if m.Committee == "SECD" && m.Chamber != billwatch.Senate {
			t.Errorf("parseRecord(snapshot 2 C-8) meeting %+v, want chamber Senate", m)
		}
	}
	c12 := rec("2", "c-12")
	committee := c12.Stages[2]
	want := billwatch.Stage{Chamber: billwatch.House, Name: "Consideration in committee", ID: 60049, State: "Completed", Committee: "SECU",
		CommitteeName: "Standing Committee on Public Safety and National Security", Date: "2026-11-18",
		Events: []string{"Committee report presented with amendments"}}
	if diff := cmp.Diff(want, committee); diff != "" {
		t.Errorf("parseRecord(snapshot 2 C-12) committee stage mismatch (-want +got):\n%s", diff)
	}
	if got := c12.Publications; len(got) != 2 || got[1].Type != billwatch.AmendedByCommittee || got[1].ID != "14298765" {
		t.Errorf("parseRecord(snapshot 2 C-12) publications = %+v, want first reading and 14298765 as amended by committee", got)
	}
	wantMeetings := []billwatch.Meeting{{Chamber: billwatch.House, Committee: "SECU", Number: 21, Date: "2026-10-29"}, {Chamber: billwatch.House, Committee: "SECU", Number: 22, Date: "2026-11-10"}}
	if diff := cmp.Diff(wantMeetings, c12.Meetings); diff != "" {
		t.Errorf("parseRecord(snapshot 2 C-12) meetings mismatch (-want +got):\n%s", diff)
	}
	c22a, c22b := rec("1", "c-22"), rec("2", "c-22")
	if c22a.Summary != "Part 1 amends the Criminal Code to create production orders for subscriber information and transmission data, and to allow a peace officer to demand basic subscriber information without a warrant. Part 2 enacts the Supporting Authorized Access to Information Act, which requires electronic service providers to maintain the capability to give access to information & to assist authorized persons." {
		t.Errorf("parseRecord(snapshot 1 C-22) summary = %q, want the HTML stripped", c22a.Summary)
	}
	if len(c22a.References) != 0 || len(c22b.References) != 1 || !strings.HasPrefix(c22b.References[0].Title, "Charter Statement - Bill C-22") {
		t.Errorf("parseRecord(C-22) references = %+v then %+v, want a Charter Statement added in snapshot 2", c22a.References, c22b.References)
	}
	if st := c22b.Stages[2]; st.Committee != "SECU" || st.State != "In progress" || st.Date != "2026-11-20" {
		t.Errorf("parseRecord(snapshot 2 C-22) committee stage = %+v, want SECU in progress since 2026-11-20", st)
	}
	if c30 := rec("2", "c-30"); c30.ShortTitle != "" || c30.Publications[0].ID != "14305532" {
		t.Errorf("parseRecord(snapshot 2 C-30) = short title %q, publications %+v; want no short title and 14305532", c30.ShortTitle, c30.Publications)
	}
}

func TestParseRecordBad(t *testing.T) {
	c8 := readFixture(t, "1", "legisinfo/en/bill/45-1/c-8/xml")
	tests := []struct {
		name string
		body []byte
	}{
		{"empty", nil},
		{"empty bills", []byte("<Bills />")},
		{"empty bills pair", []byte("<Bills>\n</Bills>")},
		{"html", []byte("<!DOCTYPE html>\n<html><body><h1>Server Error</h1></body></html>")},
		{"plain text", []byte("The service is unavailable.")},
		{"truncated", c8[:len(c8)/2]},
		{"truncated after bill", bytes.TrimSuffix(bytes.TrimSpace(c8), []byte("</Bills>"))},
		{"other root", []byte("<Error><Message>not found</Message></Error>")},
		{"no number", []byte("<Bills><Bill><Id>1</Id></Bill></Bills>")},
		{"two bills", []byte("<Bills><Bill><NumberCode>C-2</NumberCode></Bill><Bill><NumberCode>C-3</NumberCode></Bill></Bills>")},
		{"json empty array", []byte("[]")},
		{"json wrong shape", []byte(`[{"NumberCode": {"x": 1}}]`)},
	}
	for _, tt := range tests {
		b, err := parseRecord(tt.body)
		if !errors.Is(err, scraper.ErrLayoutChanged) {
			t.Errorf("parseRecord(%s) = %s, %v; want an error wrapping ErrLayoutChanged", tt.name, b.Number, err)
		}
	}
}

func TestParseRecordTolerant(t *testing.T) {
	// A bare <Bill>, a declared charset, unknown elements, no stages: still a bill.
	body := `<?xml version="1.0" encoding="windows-1252"?><Bill><Unknown><Deep/></Unknown><NumberCode> c-22 </NumberCode>
	  <ParliamentNumber>45</ParliamentNumber><SessionNumber>1</SessionNumber><ShortTitleEn>
	  </ShortTitleEn><ShortLegislativeSummaryEn>   </ShortLegislativeSummaryEn><LongTitleEn>An Act respecting lawful access</LongTitleEn></Bill>`
	got, err := parseRecord([]byte(body))
	if err != nil {
		t.Fatalf("parseRecord(tolerant) error: %v", err)
	}
	want := billwatch.Bill{Session: "45-1", Number: "C-22", Title: "An Act respecting lawful access", Chamber: billwatch.House,
		URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-22", Detailed: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parseRecord(tolerant) mismatch (-want +got):\n%s", diff)
	}
}

func TestStripHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  \n  ", ""},
		{"plain text", "plain text"},
		{"<p>One</p><p>Two&nbsp;three</p>", "One Two three"},
		{"line<br/>break<br>again", "line break again"},
		{"<em>Criminal</em> Code &amp; more", "Criminal Code & more"},
		{"an eﬀect of the Crown’s", "an effect of the Crown’s"},
	}
	for _, tt := range tests {
		if got := stripHTML(tt.in); got != tt.want {
			t.Errorf("stripHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add([]byte("<Bills/>"))
	f.Add([]byte(`[{"NumberCode": "C-2", "ParliamentNumber": 45, "SessionNumber": "1"}]`))
	f.Add([]byte(`<Bills><Bill><NumberCode>C-2</NumberCode><BillStages><HouseBillStages><State>4</State></HouseBillStages></BillStages></Bill></Bills>`))
	for _, p := range []string{"../../fixtures/snapshots/2/parl/legisinfo/en/bill/45-1/c-8/xml", "../../fixtures/snapshots/1/parl/legisinfo/en/bill/45-1/c-22/xml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		bill, err := parseRecord(b)
		if err != nil {
			return
		}
		if bill.Number == "" || billwatch.NormalizeBillNumber(bill.Number) != bill.Number || !bill.Detailed {
			t.Fatalf("parseRecord returned bill %q (detailed %v) without error", bill.Number, bill.Detailed)
		}
	})
}
