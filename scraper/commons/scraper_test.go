package commons

import (
	"context"
	"errors"
	"fmt"
	"github.com/billwatch/billwatch/internal/sampletest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/scraper"
)

// snapshotClock is the story's clock: when each fixtures snapshot was "captured".
var snapshotClock = map[int]time.Time{
	1: et(2026, 11, 16, 10, 0), // Monday
	2: et(2026, 11, 23, 10, 0), // Monday
	3: et(2026, 11, 25, 10, 0), // Wednesday
}

func newScraper(t *testing.T, bases map[string]string, now time.Time) *Scraper {
	t.Helper()
	c, err := scraper.NewClient(scraper.Options{Bases: bases, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := New(c)
	s.Now = func() time.Time { return now }
	return s
}

func TestMeetingsFixtures(t *testing.T) {
	const c12 = "Bill C-12, An Act respecting certain measures relating to the security of Canada's borders and the integrity of the Canadian immigration system and respecting other related security measures"
	const c22 = "Bill C-22, An Act respecting lawful access"
	const frt = "Use of Facial Recognition Technology by Federal Law Enforcement"
	secu := func(n int, start, end time.Time, status string, f func(*billwatch.Hearing)) billwatch.Hearing {
		h := billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: n,
			Start: start, End: end, Status: status, Bills: []string{},
			URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-" + itoa(n) + "/notice"}
		f(&h)
		return h
	}
	m21 := secu(21, et(2026, 10, 29, 15, 30), et(2026, 10, 29, 17, 30), billwatch.HearingHeld, func(h *billwatch.Hearing) {
		h.Studies, h.Bills, h.Broadcast, h.Room = []string{c12}, []string{"C-12"}, "televised", "Room 225-A, West Block"
	})
	m22 := secu(22, et(2026, 11, 10, 15, 30), et(2026, 11, 10, 17, 30), billwatch.HearingHeld, func(h *billwatch.Hearing) {
		h.Studies, h.Bills, h.Broadcast, h.Room = []string{c12}, []string{"C-12"}, "webcast", "Room 225-A, West Block"
	})
	m23 := secu(23, et(2026, 11, 12, 15, 30), et(2026, 11, 12, 17, 30), billwatch.HearingHeld, func(h *billwatch.Hearing) {
		h.Studies, h.InCamera = []string{"Committee Business"}, true
	})
	checks := []billwatch.FieldCheck{
		{Page: "ourcommons notices", Field: "time", Found: true},
		{Page: "ourcommons notices", Field: "study", Found: true},
		{Page: "ourcommons notices", Field: "witnesses", Found: true},
	}
	m24 := func(status string, w []billwatch.Witness) billwatch.Hearing {
		return secu(24, et(2026, 11, 19, 15, 30), et(2026, 11, 19, 17, 30), status, func(h *billwatch.Hearing) {
			h.Studies, h.Broadcast, h.Room, h.Witnesses = []string{frt}, "webcast", "Room 415, Wellington Building, 197 Sparks Street", w
			if w != nil {
				h.NoticePublished, h.Checks = "2026-11-13 14:05", checks
			}
		})
	}
	w24 := []billwatch.Witness{
		{Name: "Morgan Leblanc", Title: "Director General, Technical Operations", Organization: "Royal Canadian Mounted Police"},
		{Name: "Priya Raman", Title: "Associate Professor, Faculty of Law, University of Ottawa", Organization: "As an individual"},
		{Name: "Samuel Okafor", Title: "Director, Privacy, Technology and Surveillance Program", Organization: "Canadian Civil Liberties Association"},
	}
	w25 := []billwatch.Witness{
		{Name: "Hon. Alex Doe", Title: "P.C., M.P., Minister of Public Safety", Appearing: true},
		{Name: "Jordan Tremblay", Title: "Deputy Commissioner, Policy and Promotion Sector", Organization: "Office of the Privacy Commissioner of Canada"},
		{Name: "Amélie Gagnon", Title: "Senior Legal Counsel", Organization: "Office of the Privacy Commissioner of Canada"},
		{Name: "Samuel Okafor", Title: "Director, Privacy, Technology and Surveillance Program", Organization: "Canadian Civil Liberties Association"},
		{Name: "Chief Superintendent Daniel Roy", Title: "Director General, Lawful Access and Technical Investigative Services", Organization: "Royal Canadian Mounted Police"},
	}
	w25b := append(w25[:3:3], append([]billwatch.Witness{{Name: "Léa Martin", Title: "National Coordinator", Organization: "International Civil Liberties Monitoring Group"}}, w25[3:]...)...)
	m25 := secu(25, et(2026, 11, 26, 15, 30), et(2026, 11, 26, 17, 30), billwatch.HearingScheduled, func(h *billwatch.Hearing) {
		h.Studies, h.Bills, h.Broadcast, h.Room, h.Witnesses = []string{c22}, []string{"C-22"}, "televised", "Room 225-A, West Block", w25
		h.NoticePublished, h.Checks = "2026-11-20 11:47", checks
	})
	m25b := secu(25, et(2026, 11, 26, 16, 0), et(2026, 11, 26, 18, 0), billwatch.HearingScheduled, func(h *billwatch.Hearing) {
		h.Studies, h.Bills, h.Broadcast, h.Room, h.Witnesses, h.NoticeAmended = []string{c22}, []string{"C-22"}, "televised", "Room 225-A, West Block", w25b, true
		h.NoticePublished, h.Checks = "2026-11-24 16:12", checks
	})

	tests := []struct {
		snapshot  int
		committee string
		want      []billwatch.Hearing
		check     func(t *testing.T, hs []billwatch.Hearing)
	}{
		{1, "SECU", []billwatch.Hearing{m21, m22, m23, m24(billwatch.HearingScheduled, w24)}, nil},
		{2, "SECU", []billwatch.Hearing{m21, m22, m23, m24(billwatch.HearingHeld, nil), m25}, nil},
		{3, "SECU", []billwatch.Hearing{m21, m22, m23, m24(billwatch.HearingHeld, nil), m25b}, nil},
		{1, "NDDN", nil, func(t *testing.T, hs []billwatch.Hearing) {
			if len(hs) != 2 || hs[1].Broadcast != "audio" || hs[1].Number != 12 {
				t.Errorf("Meetings(NDDN 45-1, snapshot 1) = %+v, want meeting 12 audio only", hs)
			}
		}},
		{1, "ETHI", nil, func(t *testing.T, hs []billwatch.Hearing) {
			if len(hs) != 2 || !hs[0].InCamera {
				t.Errorf("Meetings(ETHI 45-1, snapshot 1) = %+v, want 2 meetings, the first in camera", hs)
			}
		}},
		{1, "CIMM", nil, func(t *testing.T, hs []billwatch.Hearing) {
			if len(hs) != 1 || hs[0].Status != billwatch.HearingHeld {
				t.Errorf("Meetings(CIMM 45-1, snapshot 1) = %+v, want one held meeting", hs)
			}
		}},
		{2, "JUST", nil, func(t *testing.T, hs []billwatch.Hearing) {
			last := hs[len(hs)-1]
			if len(hs) != 4 || last.Number != 33 || last.Status != billwatch.HearingScheduled || len(last.Witnesses) != 3 {
				t.Errorf("Meetings(JUST 45-1, snapshot 2) = %+v, want meeting 33 scheduled with 3 witnesses", hs)
			}
		}},
		{3, "JUST", nil, func(t *testing.T, hs []billwatch.Hearing) {
			last := hs[len(hs)-1]
			if len(hs) != 4 || last.Number != 33 || last.Status != billwatch.HearingCancelled || last.Witnesses != nil {
				t.Errorf("Meetings(JUST 45-1, snapshot 3) = %+v, want meeting 33 cancelled, its notice not read", hs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.committee+"-"+itoa(tt.snapshot), func(t *testing.T) {
			srv, err := fixtures.Server(tt.snapshot)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			s := newScraper(t, srv.Bases(), snapshotClock[tt.snapshot])
			hs, err := s.Meetings(context.Background(), tt.committee, "45-1")
			if err != nil {
				t.Fatalf("Meetings(%s 45-1, snapshot %d) error: %v", tt.committee, tt.snapshot, err)
			}
			if tt.want != nil {
				for i := range hs {
					if hs[i].Jurisdiction != billwatch.Canada {
						t.Errorf("Meetings(SECU 45-1)[%d].Jurisdiction = %q, want %q", i, hs[i].Jurisdiction, billwatch.Canada)
					}
					hs[i].Jurisdiction = ""
				}
				if diff := cmp.Diff(tt.want, hs, ignoreListChecks); diff != "" {
					t.Errorf("Meetings(%s 45-1, snapshot %d) mismatch (-want +got):\n%s", tt.committee, tt.snapshot, diff)
				}
			}
			if tt.check != nil {
				tt.check(t, hs)
			}
			for _, h := range hs {
				if h.Status == billwatch.HearingHeld && h.Witnesses == nil {
					continue
				}
				if !strings.HasPrefix(h.URL, "https://www.ourcommons.ca/") {
					t.Errorf("Meetings(%s 45-1, snapshot %d) meeting %d URL %s is not on the real site", tt.committee, tt.snapshot, h.Number, h.URL)
				}
			}
			// A notice is read only for a meeting still ahead.
			if hits := srv.Hits(scraper.OurCommons, "/DocumentViewer/en/45-1/SECU/meeting-24/notice"); tt.committee == "SECU" && tt.snapshot > 1 && hits > 0 {
				t.Errorf("Meetings(SECU 45-1, snapshot %d) read the notice of past meeting 24", tt.snapshot)
			}
		})
	}
}

func TestMeetingsOffsets(t *testing.T) {
	srv, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs, err := newScraper(t, srv.Bases(), snapshotClock[1]).Meetings(context.Background(), "secu", "45-1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, h := range hs {
		got[h.Number] = h.Start.Format(time.RFC3339)
	}
	want := map[int]string{21: "2026-10-29T15:30:00-04:00", 22: "2026-11-10T15:30:00-05:00", 23: "2026-11-12T15:30:00-05:00", 24: "2026-11-19T15:30:00-05:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Meetings(SECU 45-1) start times (-want +got):\n%s", diff)
	}
}

func TestMeetingsJoint(t *testing.T) {
	page := sampletest.Read(t, "ourcommons-committee-meetings-AMAD-44-1-trimmed.html")
	commons := httptest.NewServer(http.NotFoundHandler())
	defer commons.Close()
	var asked []string
	parl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.RequestURI())
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nAllow: /\n"))
		case "/Committees/en/AMAD/Meetings", "/Committees/en/ZZJT/Meetings":
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer parl.Close()
	s := newScraper(t, map[string]string{scraper.OurCommons: commons.URL, scraper.Parl: parl.URL}, et(2026, 11, 16, 10, 0))
	for _, acr := range []string{"AMAD", "ZZJT"} {
		hs, err := s.Meetings(context.Background(), acr, "44-1")
		if err != nil {
			t.Fatalf("Meetings(%s 44-1) error: %v", acr, err)
		}
		if len(hs) != 3 || hs[0].Chamber != billwatch.Joint || hs[0].Number != 10 {
			t.Errorf("Meetings(%s 44-1) = %d hearings, first %+v; want 3 joint hearings from meeting 10", acr, len(hs), hs[0])
		}
	}
	if want := "/Committees/en/AMAD/Meetings?parl=44&session=1"; !strings.Contains(strings.Join(asked, " "), want) {
		t.Errorf("Meetings(AMAD 44-1) asked parl.ca for %q, want %s", asked, want)
	}
}

func TestMeetingsBadSource(t *testing.T) {
	good := item("1", "2026-11-26", "25", "3:30 p.m. - 5:30 p.m.", "", "")
	softPage := ""
	if b, err := os.ReadFile(filepath.Join(samples, "sencanada-content-viewer-soft404-trimmed.html")); err == nil {
		softPage = string(b)
	}
	tests := []struct {
		name   string
		status int
		page   string
		check  func(hs []billwatch.Hearing, err error) string
	}{
		{"new layout", 200, `<html><body><main class="meetings-v3"><article>Meeting 25</article></main></body></html>`,
			func(hs []billwatch.Hearing, err error) string {
				if hs != nil || !errors.Is(err, scraper.ErrLayoutChanged) {
					return "want no hearings and ErrLayoutChanged"
				}
				return ""
			}},
		{"an error page served with status 200", 200, softPage,
			func(hs []billwatch.Hearing, err error) string {
				if softPage == "" {
					return ""
				}
				if hs != nil || !errors.Is(err, scraper.ErrLayoutChanged) {
					return "want no hearings and ErrLayoutChanged"
				}
				return ""
			}},
		{"503", 503, "busy",
			func(hs []billwatch.Hearing, err error) string {
				var he *scraper.HTTPError
				if hs != nil || !errors.As(err, &he) || he.Status != 503 || !he.Temporary() {
					return "want no hearings and a temporary *scraper.HTTPError 503"
				}
				return ""
			}},
		{"404 here and on parl.ca", 404, "",
			func(hs []billwatch.Hearing, err error) string {
				if hs != nil || !errors.Is(err, scraper.ErrNotFound) {
					return "want no hearings and ErrNotFound"
				}
				return ""
			}},
		{"one meeting with a bad date", 200, "<html><body>" + good + item("2", "2026-11-31", "26", "3:30 p.m. - 5:30 p.m.", "", "") + "</body></html>",
			func(hs []billwatch.Hearing, err error) string {
				var me *MeetingError
				if len(hs) != 1 || hs[0].Number != 25 || !errors.As(err, &me) || me.ID != "2" || !strings.Contains(err.Error(), "SECU 45-1 meeting 26 (id 2)") || !strings.Contains(err.Error(), "/Committees/en/SECU/Meetings?parl=45&session=1") {
					return "want meeting 25 and an error naming meeting 26 and the list's URL"
				}
				return ""
			}},
		{"a notice that fails", 200, "<html><body>" + strings.Replace(good, `</ul>`, `</ul><a class="btn btn-default btn-meeting-notice " href="//www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-25/notice">Notice</a>`, 1) + "</body></html>",
			func(hs []billwatch.Hearing, err error) string {
				var me *MeetingError
				if len(hs) != 1 || !errors.As(err, &me) || !me.Partial || me.Number != 25 || !errors.Is(err, scraper.ErrNotFound) {
					return "want meeting 25 and a partial MeetingError wrapping ErrNotFound"
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					w.Write([]byte("User-agent: *\nAllow: /\n"))
					return
				}
				if !strings.HasPrefix(r.URL.Path, "/Committees/") {
					http.NotFound(w, r)
					return
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.page))
			}))
			defer srv.Close()
			s := newScraper(t, map[string]string{scraper.OurCommons: srv.URL, scraper.Parl: srv.URL}, et(2026, 11, 16, 10, 0))
			hs, err := s.Meetings(context.Background(), "SECU", "45-1")
			if msg := tt.check(hs, err); msg != "" {
				t.Errorf("Meetings(SECU 45-1, %s) = %d hearings, error %v; %s", tt.name, len(hs), err, msg)
			}
			if err != nil && err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
				t.Errorf("Meetings(SECU 45-1, %s) error %q does not start in lower case", tt.name, err)
			}
		})
	}
}

func TestMeetingsArguments(t *testing.T) {
	s := newScraper(t, nil, time.Time{})
	for _, args := range [][2]string{{"SECU", "45"}, {"SECU/../x", "45-1"}, {"", "45-1"}} {
		if _, err := s.Meetings(context.Background(), args[0], args[1]); err == nil {
			t.Errorf("Meetings(%q, %q) error = nil, want one", args[0], args[1])
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// ignoreListChecks leaves out the meeting list's own drift checks (TestListChecks checks them),
// keeping the notice's.
var ignoreListChecks = cmp.Transformer("noListChecks", func(h billwatch.Hearing) billwatch.Hearing {
	var keep []billwatch.FieldCheck
	for _, c := range h.Checks {
		if c.Page != "ourcommons meeting lists" {
			keep = append(keep, c)
		}
	}
	h.Checks = keep
	return h
})

func TestListChecks(t *testing.T) {
	srv, err := fixtures.Server(2)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs, err := newScraper(t, srv.Bases(), snapshotClock[2]).Meetings(context.Background(), "SECU", "45-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		var got []string
		for _, c := range h.Checks {
			if c.Page == "ourcommons meeting lists" {
				got = append(got, fmt.Sprintf("%s=%v", c.Field, c.Found))
			}
		}
		want := []string{"time=true", "study=true"}
		if !slices.Equal(got, want) {
			t.Errorf("SECU meeting %d list checks = %v, want %v", h.Number, got, want)
		}
	}
}

// TestMeetingsHalfPages: half a meeting list (its Content-Length matching, so that only the
// content tells) is an error and no hearings, never the first half of the meetings; a notice
// cut in half, or the site's "page not found" page in its place, leaves the hearing with
// GapNotice and a partial MeetingError, never a notice without its witnesses.
func TestMeetingsHalfPages(t *testing.T) {
	t.Parallel()
	list := "<!DOCTYPE html><html><body>" +
		strings.Replace(item("1", "2026-11-26", "25", "3:30 p.m. - 5:30 p.m.", "", ""), `</ul>`, `</ul><a class="btn btn-default btn-meeting-notice " href="//www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-25/notice">Notice</a>`, 1) +
		item("2", "2026-11-27", "26", "3:30 p.m. - 5:30 p.m.", "", "") + "</body></html>"
	notice := `<!DOCTYPE html><html><head><title>Notice of meeting</title></head><body><h2>Notice of meeting</h2><p>Witnesses</p><p>Canadian Civil Liberties Association</p><ul><li>Jane Doe, Director</li></ul><p>Clerk of the committee</p></body></html>`
	soft404 := `<!DOCTYPE html><html><head><title>Error 404 - Page not found</title></head><body><h1>We couldn't find that Web page (Error 404)</h1></body></html>`
	for _, tc := range []struct {
		name, list, notice string
		wantErr            error
		wantHearings       int
		wantGap            bool
	}{
		{"whole", list, notice, nil, 2, false},
		{"half a list", list[:len(list)*2/3], notice, scraper.ErrTruncated, 0, false},
		{"a soft 404 for the list", soft404, notice, scraper.ErrNotFound, 0, false},
		{"half a notice", list, notice[:len(notice)/2], scraper.ErrTruncated, 2, true},
		{"a soft 404 for the notice", list, soft404, scraper.ErrNotFound, 2, true},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := ""
			switch {
			case r.URL.Path == "/robots.txt":
				body = "User-agent: *\nAllow: /\n"
			case strings.HasPrefix(r.URL.Path, "/Committees/"):
				body = tc.list
			case strings.HasPrefix(r.URL.Path, "/DocumentViewer/"):
				body = tc.notice
			default:
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write([]byte(body))
		}))
		s := newScraper(t, map[string]string{scraper.OurCommons: srv.URL, scraper.Parl: srv.URL}, et(2026, 11, 16, 10, 0))
		hs, err := s.Meetings(context.Background(), "SECU", "45-1")
		srv.Close()
		if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) || len(hs) != tc.wantHearings {
			t.Errorf("Meetings(%s) = %d hearings, %v; want %d, %v", tc.name, len(hs), err, tc.wantHearings, tc.wantErr)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), "/SECU/") {
			t.Errorf("Meetings(%s) error %q names no page", tc.name, err)
		}
		for _, h := range hs {
			if h.Number != 25 {
				continue
			}
			if gap := h.Gap == billwatch.GapNotice; gap != tc.wantGap || !gap && len(h.Witnesses) == 0 || gap && len(h.Witnesses) > 0 {
				t.Errorf("Meetings(%s): meeting 25 gap %q, %d witnesses; want gap %v", tc.name, h.Gap, len(h.Witnesses), tc.wantGap)
			}
		}
	}
}
