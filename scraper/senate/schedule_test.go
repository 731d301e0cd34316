package senate

import (
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
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/scraper"
)

var samples = sampletest.Dir

func et(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, billwatch.Eastern)
}

const (
	c8 = "Bill C-8, An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts"
	fi = "Study on the protection of Canada's democratic institutions from foreign interference"
)

const secdURL = "https://sencanada.ca/en/Committees/SECD/MeetingSchedule/"

var (
	secd11 = billwatch.Hearing{Chamber: billwatch.Senate, Committee: "SECD", Session: "45-1", Number: 11,
		Start: et(2026, 11, 2, 11, 0), InCamera: true, Status: billwatch.HearingHeld,
		Studies: []string{"Committee business (in camera)"}, Bills: []string{}, URL: secdURL,
		Room: "Room B30, Senate of Canada Building"}
	secd12 = billwatch.Hearing{Chamber: billwatch.Senate, Committee: "SECD", Session: "45-1", Number: 12,
		Start: et(2026, 11, 9, 11, 0), Status: billwatch.HearingHeld,
		Studies: []string{c8}, Bills: []string{"C-8"}, URL: secdURL, Broadcast: "televised",
		Room: "Room B30, Senate of Canada Building",
		Witnesses: []billwatch.Witness{
			{Name: "Casey Morin", Title: "Director General, National Cyber Security Directorate", Organization: "Public Safety Canada"},
			{Name: "Alexis Dubois", Title: "Senior Fellow", Organization: "Centre for International Governance Innovation"},
		}}
	secd14 = billwatch.Hearing{Chamber: billwatch.Senate, Committee: "SECD", Session: "45-1", Number: 14,
		Start: et(2026, 11, 30, 11, 0), Status: billwatch.HearingScheduled,
		Studies: []string{fi}, Bills: []string{}, URL: secdURL, Broadcast: "televised",
		Room: "Room B30, Senate of Canada Building",
		Witnesses: []billwatch.Witness{
			{Name: "Robin Chen", Title: "Deputy Director, Policy and Strategic Partnerships", Organization: "Canadian Security Intelligence Service"},
			{Name: "Samuel Okafor", Title: "Director", Organization: "Canadian Civil Liberties Association"},
			{Name: "Wen Li", Title: "Professor, University of Toronto", Organization: "As an individual"},
		}}
)

func newScraper(t *testing.T, bases map[string]string) *Scraper {
	t.Helper()
	c, err := scraper.NewClient(scraper.Options{Bases: bases, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

func TestMeetingsFixtures(t *testing.T) {
	tests := []struct {
		snapshot  int
		committee string
		want      []billwatch.Hearing
		starts    []time.Time // when want is nil: the meetings' starts and statuses expected
		statuses  []string
	}{
		{1, "SECD", []billwatch.Hearing{secd11, secd12}, nil, nil},
		{2, "SECD", []billwatch.Hearing{secd11, secd12, secd14}, nil, nil},
		{3, "SECD", []billwatch.Hearing{secd11, secd12, secd14}, nil, nil},
		// LCJC's fixture is the studies-page structure: meetings without numbers or end times.
		{1, "LCJC", nil, []time.Time{et(2026, 11, 12, 16, 15), et(2026, 11, 18, 16, 15)}, []string{billwatch.HearingHeld, billwatch.HearingScheduled}},
		{2, "LCJC", nil, []time.Time{et(2026, 11, 12, 16, 15), et(2026, 11, 18, 16, 15)}, []string{billwatch.HearingHeld, billwatch.HearingHeld}},
	}
	for _, tt := range tests {
		t.Run(tt.committee+"-"+string(rune('0'+tt.snapshot)), func(t *testing.T) {
			srv, err := fixtures.Server(tt.snapshot)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			hs, err := newScraper(t, srv.Bases()).Meetings(context.Background(), tt.committee, "45-1")
			if err != nil {
				t.Fatalf("Meetings(%s 45-1, snapshot %d) error: %v", tt.committee, tt.snapshot, err)
			}
			if tt.want != nil {
				for i := range hs {
					if hs[i].Jurisdiction != billwatch.Canada {
						t.Errorf("Meetings(%s 45-1)[%d].Jurisdiction = %q, want %q", tt.committee, i, hs[i].Jurisdiction, billwatch.Canada)
					}
					hs[i].Jurisdiction = ""
				}
				if diff := cmp.Diff(tt.want, hs, cmpopts.IgnoreFields(billwatch.Hearing{}, "Checks")); diff != "" {
					t.Errorf("Meetings(%s 45-1, snapshot %d) mismatch (-want +got):\n%s", tt.committee, tt.snapshot, diff)
				}
				return
			}
			var starts []time.Time
			var sts []string
			for _, h := range hs {
				starts, sts = append(starts, h.Start), append(sts, h.Status)
				if h.Chamber != billwatch.Senate || len(h.Bills) != 1 || h.Bills[0] != "C-9" || h.Number != 0 || len(h.Witnesses) != 1 || h.Witnesses[0].Organization == "" {
					t.Errorf("Meetings(%s 45-1, snapshot %d) meeting %d = %+v, want a Senate hearing on C-9", tt.committee, tt.snapshot, h.Number, h)
				}
			}
			if !cmp.Equal(starts, tt.starts) || !cmp.Equal(sts, tt.statuses) {
				t.Errorf("Meetings(%s 45-1, snapshot %d) = meetings %v %v, want %v %v", tt.committee, tt.snapshot, starts, sts, tt.starts, tt.statuses)
			}
		})
	}
}

func TestMeetingsOffsets(t *testing.T) {
	got := secd12.Start.Format(time.RFC3339)
	if want := "2026-11-09T11:00:00-05:00"; got != want {
		t.Errorf("secd12 start = %s, want %s", got, want)
	}
	// No number: the meeting is kept, keyed by committee, date and time.
	hs, err := parseSchedule(strings.NewReader(`<table><tr><td>Thursday, October 29, 2026 at 6:30 PM</td><td><a href="/en/committees/secd/">SECD</a></td><td>Study</td></tr></table>`), "SECD", "45-1", true, true)
	if err != nil || len(hs) != 1 || hs[0].Number != 0 || !hs[0].Start.Equal(et(2026, 10, 29, 18, 30)) || !hs[0].End.IsZero() || hs[0].Key() != "Senate SECD 45-1 2026-10-29T18:30" {
		t.Errorf("parseSchedule(row without number) = %+v, %v; want one meeting at 2026-10-29 18:30 keyed by its time", hs, err)
	}
	hs, err = parseSchedule(strings.NewReader(`<table><tr><td>Oct 29, 2026 6:30 PM - 8:30 PM, Meeting No. 3</td><td></td><td>Study</td></tr></table>`), "SECD", "45-1", true, false)
	if err != nil || len(hs) != 1 || hs[0].Start.Format(time.RFC3339) != "2026-10-29T18:30:00-04:00" {
		t.Errorf("parseSchedule(Oct 29) = %+v, %v; want a start at 2026-10-29T18:30:00-04:00", hs, err)
	}
}

func TestParseSchedule(t *testing.T) {
	soft := ""
	if b, err := os.ReadFile(filepath.Join(samples, "sencanada-content-viewer-soft404-trimmed.html")); err == nil {
		soft = string(b)
	}
	tests := []struct {
		name     string
		page     string
		past     bool
		shared   bool // the all-committees fragment
		numbers  []int
		statuses []string
		errs     []string
		is       error
	}{
		{
			name:     "cancelled upcoming row, witness forms",
			page:     `<table><thead><tr><th>Date</th></tr></thead><tr class="cancelled"><td>November 30, 2026<br>11 a.m. to noon</td><td><a href="/en/committees/secd/">SECD</a></td><td>Bill S-210</td><td><ul><li>Jane Doe, Senior Fellow, Institute</li></ul></td><td>Meeting No. 15 — CANCELLED</td></tr></table>`,
			numbers:  []int{15},
			statuses: []string{billwatch.HearingCancelled},
		},
		{
			name:     "number from a transcript link with backslashes",
			page:     `<table><tr><td>2026-11-09</td><td><a href="\en\content\sen\committee\451\secd\12ev-57640-e">Evidence</a></td><td>Study</td></tr></table>`,
			past:     true,
			numbers:  []int{12},
			statuses: []string{billwatch.HearingHeld},
		},
		{
			name:     "one bad date, the rest still counts",
			page:     `<table><tr><td>Feb 30, 2026 11:00 AM</td><td>x</td><td>Study</td><td>Meeting No. 4</td></tr><tr><td>Mar 2, 2026 11:00 AM</td><td>x</td><td>Study</td><td>Meeting No. 5</td></tr></table>`,
			past:     true,
			numbers:  []int{5},
			statuses: []string{billwatch.HearingHeld},
			errs:     []string{"senate: SECD 45-1 meeting 4", `bad date "Feb 30, 2026"`},
		},
		{name: "empty table", page: `<table><thead><tr><th>Date</th><th>Subject</th></tr></thead><tbody></tbody></table>`},
		{name: "no meetings message", page: `<div class="empty">There are no upcoming meetings.</div>`},
		{
			name:     "all committees: rows named by a link, a transcript, a cell; one naming none",
			page:     `<table><tr><td>Oct 02, 2025<br>9:00 a.m. – 11:00 a.m.</td><td>LCJC</td><td><p>Bill S-210</p></td><td>Meeting No. 7</td></tr><tr><td>Oct 02, 2025 11:45 AM</td><td><a href="/en/committees/secd/">SECD</a></td><td>Bill C-8</td><td>Meeting No. 8</td></tr><tr><td>Oct 01, 2025 6:30 PM</td><td><a href="\en\content\sen\committee\451\secd\9ev-57640-e">Evidence</a></td><td>Study</td></tr><tr><td>Oct 03, 2025 9 AM</td><td>Subject matter of Bill C-9</td><td>Meeting No. 4</td></tr><tr><td>Oct 03, 2025 10 AM</td><td>SECD</td><td>Study</td><td>Meeting No. 10</td></tr></table>`,
			past:     true,
			shared:   true,
			numbers:  []int{8, 9, 10},
			statuses: []string{billwatch.HearingHeld, billwatch.HearingHeld, billwatch.HearingHeld},
		},
		{
			name:   "all committees: no row names a committee",
			page:   `<table><tr><td>Oct 02, 2025 11:45 AM</td><td>Bill C-8</td><td>Meeting No. 8</td></tr></table>`,
			shared: true,
			is:     scraper.ErrLayoutChanged,
		},
		{name: "another committee only", page: `<table><tr><td>Nov 18, 2026</td><td><a href="/en/committees/lcjc/">LCJC</a></td><td>Bill C-9</td><td>Meeting No. 21</td></tr></table>`},
		{name: "a new layout", page: `<html><body><div class="meetings-grid"><article>SECD, 30 November</article></div></body></html>`, is: scraper.ErrLayoutChanged},
		{name: "the soft 404", page: soft, is: scraper.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.page == "" {
				t.Skipf("real sample sencanada-content-viewer-soft404-trimmed.html not found in %s", samples)
			}
			hs, err := parseSchedule(strings.NewReader(tt.page), "SECD", "45-1", tt.past, tt.shared)
			if tt.is != nil {
				if hs != nil || !errors.Is(err, tt.is) {
					t.Errorf("parseSchedule(%s) = %v, %v; want no hearings and %v", tt.name, hs, err, tt.is)
				}
				return
			}
			var nums []int
			var sts []string
			for _, h := range hs {
				nums, sts = append(nums, h.Number), append(sts, h.Status)
			}
			if !cmp.Equal(nums, tt.numbers) || !cmp.Equal(sts, tt.statuses) {
				t.Errorf("parseSchedule(%s) = meetings %v %v, want %v %v", tt.name, nums, sts, tt.numbers, tt.statuses)
			}
			if len(tt.errs) == 0 && err != nil {
				t.Errorf("parseSchedule(%s) error = %v, want none", tt.name, err)
			}
			for _, s := range tt.errs {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("parseSchedule(%s) error = %v, want it to say %q", tt.name, err, s)
				}
			}
		})
	}
}

func TestParseWitness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want billwatch.Witness
	}{
		// The real forms (sencanada-studiesandbills-2021-text.txt).
		{"Kevin Chan, Director of Policy, Canada (Facebook)", billwatch.Witness{Name: "Kevin Chan", Title: "Director of Policy, Canada", Organization: "Facebook"}},
		{"Jamie Irving, Chair (News Media Canada)", billwatch.Witness{Name: "Jamie Irving", Title: "Chair", Organization: "News Media Canada"}},
		{"Erin Finlay, Partner, Stohn Hay Cafazzo Dembroski Richmond LLP (As an Individual)", billwatch.Witness{Name: "Erin Finlay", Title: "Partner, Stohn Hay Cafazzo Dembroski Richmond LLP", Organization: "As an individual"}},
		{"Jason J. Kee, Government Affairs and Public Policy Counsel (Google Canada)", billwatch.Witness{Name: "Jason J. Kee", Title: "Government Affairs and Public Policy Counsel", Organization: "Google Canada"}},
		{"The Honourable Senator Claude Carignan, P.C., sponsor of the bill", billwatch.Witness{Name: "The Honourable Senator Claude Carignan", Title: "P.C., sponsor of the bill"}},
		{"Jane Doe (As an individual)", billwatch.Witness{Name: "Jane Doe", Organization: "As an individual"}},
		{"Ana Ruiz, Director (Policy) (Canadian Bar Association)", billwatch.Witness{Name: "Ana Ruiz", Title: "Director (Policy)", Organization: "Canadian Bar Association"}},
		// The minutes' form.
		{"Public Safety Canada: Jane Smith, Director General", billwatch.Witness{Name: "Jane Smith", Title: "Director General", Organization: "Public Safety Canada"}},
		// No organisation marked: none is taken from the title.
		{"Wen Li, University of Toronto", billwatch.Witness{Name: "Wen Li", Title: "University of Toronto"}},
		{"Wen Li", billwatch.Witness{Name: "Wen Li"}},
	}
	for _, tt := range tests {
		if got, _ := parseWitness(tt.in); got != tt.want {
			t.Errorf("parseWitness(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestMeetingsBadSource(t *testing.T) {
	soft, err := os.ReadFile(filepath.Join(samples, "sencanada-content-viewer-soft404-trimmed.html"))
	if err != nil {
		soft = []byte(`<html><head><title></title></head><body><div id="content-viewer-document" class="content-viewer-document">Sorry, the content is not available.</div></body></html>`)
	}
	good := `<table><tr><td>Nov 30, 2026 11:00 AM - 1:00 PM</td><td><a href="/en/committees/secd/">SECD</a></td><td>Study</td><td>Meeting No. 14</td></tr>`
	tests := []struct {
		name   string
		status int
		page   string
		check  func([]billwatch.Hearing, error) bool
	}{
		{"soft 404 with status 200", 200, string(soft), func(hs []billwatch.Hearing, err error) bool {
			return hs == nil && errors.Is(err, scraper.ErrNotFound)
		}},
		{"new layout", 200, `<html><body><section>Meetings coming soon</section></body></html>`, func(hs []billwatch.Hearing, err error) bool {
			return hs == nil && errors.Is(err, scraper.ErrLayoutChanged)
		}},
		{"503", 503, "busy", func(hs []billwatch.Hearing, err error) bool {
			var he *scraper.HTTPError
			return hs == nil && errors.As(err, &he) && he.Status == 503
		}},
		{"one bad date", 200, good + `<tr><td>Nov 31, 2026 11:00 AM</td><td><a href="/en/committees/secd/">SECD</a></td><td>Study</td><td>Meeting No. 15</td></tr></table>`, func(hs []billwatch.Hearing, err error) bool {
			var me *MeetingError
			return len(hs) == 1 && hs[0].Number == 14 && errors.As(err, &me) && me.Number == 15 &&
				strings.Contains(err.Error(), "TabSelected=UPCOMING") && strings.Contains(err.Error(), "meeting 15")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					w.Write([]byte("User-agent: *\nAllow: /\n"))
					return
				}
				if r.URL.Query().Get("TabSelected") == "PAST" && tt.status == 200 && strings.Contains(tt.page, "Meeting No.") {
					w.Write([]byte(`<table><thead><tr><th>Date</th></tr></thead></table>`))
					return
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.page))
			}))
			defer srv.Close()
			hs, err := newScraper(t, map[string]string{scraper.SenCanada: srv.URL}).Meetings(context.Background(), "SECD", "45-1")
			if !tt.check(hs, err) {
				t.Errorf("Meetings(SECD 45-1, %s) = %d hearings %+v, error %v", tt.name, len(hs), hs, err)
			}
		})
	}
}

func TestPath(t *testing.T) {
	s := New(nil)
	tests := []struct{ committee, tab, want string }{
		{"LCJC", "PAST", "/umbraco/surface/CommitteesAjax/GetTablePartialView?tableName=Meetings&committeeId=1011&selectedSession=45-1&TabSelected=PAST&PageSize=250&p=1&isCommitteeSpecific=true&Lang=en"},
		{"SECD", "UPCOMING", "/umbraco/surface/CommitteesAjax/GetTablePartialView?tableName=Meetings&committeeId=0&selectedSession=45-1&TabSelected=UPCOMING&PageSize=250&p=1&isCommitteeSpecific=false&Lang=en"},
	}
	for _, tt := range tests {
		if got := s.Path(tt.committee, "45-1", tt.tab); got != tt.want {
			t.Errorf("Path(%s, 45-1, %s) = %s, want %s", tt.committee, tt.tab, got, tt.want)
		}
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, p := range []string{
		"../../fixtures/snapshots/1/sencanada/umbraco/surface/CommitteesAjax/GetTablePartialView@tableName=Meetings&committeeId=0&selectedSession=45-1&TabSelected=PAST&PageSize=250&p=1&isCommitteeSpecific=false&Lang=en",
		filepath.Join(samples, "sencanada-content-viewer-soft404-trimmed.html"),
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), true, true)
		}
	}
	f.Add(`<table><tr><td>Nov 31, 2026 11 a.m.</td><td>Meeting No. 0</td></tr></table>`, false, false)
	f.Fuzz(func(t *testing.T, page string, past, shared bool) {
		hs, err := parseSchedule(strings.NewReader(page), "SECD", "45-1", past, shared)
		if len(hs) > 0 && (errors.Is(err, scraper.ErrLayoutChanged) || errors.Is(err, scraper.ErrNotFound)) {
			t.Fatalf("parseSchedule returned hearings and a page-level error %v", err)
		}
		for _, h := range hs {
			if h.Number <= 0 || h.Start.IsZero() || h.Status == "" {
				t.Fatalf("parseSchedule returned an incomplete hearing %+v", h)
			}
			if !h.End.IsZero() && !h.End.After(h.Start) {
				t.Fatalf("parseSchedule: meeting %d ends before it starts", h.Number)
			}
		}
	})
}
