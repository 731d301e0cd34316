package senate

import (
	"errors"
	"html"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/scraper"
)

// studyMarkups rebuilds the real "All Studies & Bills" page (its text) two ways: the site's
// study-item divs with witnesses as <li>, and plain paragraphs with bullets.
func studyMarkups(t *testing.T) map[string]string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(string(sampletest.Read(t, "sencanada-studiesandbills-2021-text.txt")), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	esc := html.EscapeString
	var divs, paras strings.Builder
	divs.WriteString(`<div class="cmt-site_v2-studybills-table"><div class="wrapper">`)
	inList := false
	for _, l := range lines {
		if w, ok := strings.CutPrefix(l, "• "); ok {
			if !inList {
				divs.WriteString("<ul>")
				inList = true
			}
			divs.WriteString("<li>" + esc(w) + "</li>")
			paras.WriteString("<p>• " + esc(w) + "</p>\n")
			continue
		}
		if inList {
			divs.WriteString("</ul>\n")
			inList = false
		}
		if reStudyRef.MatchString(l) {
			acr, rest, _ := strings.Cut(l, " ")
			divs.WriteString(`<div class="cmt-site_v2-studybills-table-study-item-committee"><a href="/en/committees/` + strings.ToLower(acr) + `/">` + acr + "</a> <span>" + esc(rest) + "</span></div>\n")
		} else {
			divs.WriteString(`<div class="item"><span>` + esc(l) + "</span></div>\n")
		}
		paras.WriteString("<p>" + esc(l) + "</p>\n")
	}
	if inList {
		divs.WriteString("</ul>")
	}
	divs.WriteString("</div></div>")
	return map[string]string{"divs": divs.String(), "paragraphs": "<html><body><main>" + paras.String() + "</main></body></html>"}
}

func TestParseScheduleRealStudiesPage(t *testing.T) {
	s225 := "Bill S-225, An Act to amend the Copyright Act (remuneration for journalistic works)"
	url := "https://sencanada.ca/en/committees/trcm/studiesandbills/43-2"
	h := func(d, min int, ws ...billwatch.Witness) billwatch.Hearing {
		return billwatch.Hearing{Chamber: billwatch.Senate, Committee: "TRCM", Session: "43-2", Start: et(2021, 6, d, 18, min),
			Status: billwatch.HearingHeld, Studies: []string{s225}, Bills: []string{"S-225"}, URL: url, Witnesses: ws}
	}
	want := []billwatch.Hearing{
		h(16, 31,
			billwatch.Witness{Name: "Kevin Chan", Title: "Director of Policy, Canada", Organization: "Facebook"},
			billwatch.Witness{Name: "Dr. Michael A. Geist", Title: "Canada Research Chair in Internet and E-commerce Law, Faculty of Law, Common Law Section, University of Ottawa", Organization: "As an individual"},
			billwatch.Witness{Name: "Jamie Irving", Title: "Chair", Organization: "News Media Canada"}),
		h(9, 33,
			billwatch.Witness{Name: "Erin Finlay", Title: "Partner, Stohn Hay Cafazzo Dembroski Richmond LLP", Organization: "As an individual"},
			billwatch.Witness{Name: "Edward Greenspon", Title: "President and CEO, Public Policy Forum", Organization: "As an individual"},
			billwatch.Witness{Name: "Mathew Ingram", Title: "Chief Digital Writer, Columbia Journalism Review", Organization: "As an individual"},
			billwatch.Witness{Name: "Jason J. Kee", Title: "Government Affairs and Public Policy Counsel", Organization: "Google Canada"},
			billwatch.Witness{Name: "Jean-Hugues Roy", Title: "Journalist and Professor, School of Media, Université du Québec à Montréal", Organization: "As an individual"},
			billwatch.Witness{Name: "Francis Sonier", Title: "President", Organization: "Réseau Presse"}),
		h(2, 31,
			billwatch.Witness{Name: "The Honourable Senator Claude Carignan", Title: "P.C., sponsor of the bill"}),
	}
	for name, page := range studyMarkups(t) {
		t.Run(name, func(t *testing.T) {
			got, err := parseSchedule(strings.NewReader(page), "TRCM", "43-2", true, false)
			if err != nil {
				t.Fatalf("parseSchedule(studies page as %s) error = %v", name, err)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreFields(billwatch.Hearing{}, "Checks")); d != "" {
				t.Errorf("parseSchedule(studies page as %s) mismatch (-want +got):\n%s", name, d)
			}
			// The drift counts: every meeting has its time and study; every witness but the
			// senator sponsoring the bill has an organisation.
			found, of := map[string]int{}, map[string]int{}
			for _, h := range got {
				for _, c := range h.Checks {
					of[c.Field]++
					if c.Found {
						found[c.Field]++
					}
				}
			}
			wantFound := map[string]int{"time": 3, "study": 3, "witness organisation": 9}
			wantOf := map[string]int{"time": 3, "study": 3, "witness organisation": 10}
			if !cmp.Equal(found, wantFound) || !cmp.Equal(of, wantOf) {
				t.Errorf("parseSchedule(studies page as %s) checks found %v of %v, want %v of %v", name, found, of, wantFound, wantOf)
			}
			// Another committee's page yields nothing for this one, and is no error.
			other, err := parseSchedule(strings.NewReader(page), "SECD", "43-2", true, true)
			if err != nil || len(other) != 0 {
				t.Errorf("parseSchedule(studies page as %s, SECD) = %d meetings, %v; want none", name, len(other), err)
			}
		})
	}
}

// Variants of the studies page: a meeting without witnesses, a cancelled one, a study of
// another committee between, a page with no study at all.
func TestParseStudiesVariants(t *testing.T) {
	t.Parallel()
	page := `<section><div><h3>Bill C-8, An Act respecting cyber security</h3><p>SECD 2026-10-01</p>
<p>Monday, November 2, 2026 at 11:00 AM</p>
<p>Monday, November 9, 2026 at 11:00 AM (Cancelled)</p>
<h3>Study on the Senate's rules</h3><p>RPRD 2026-09-20</p><p>Tuesday, November 3, 2026 at 9:00 AM</p><ul><li>Jane Roe, Clerk (Senate of Canada)</li></ul>
<h3>Study on foreign interference</h3><p>SECD 2026-09-01</p><div>Monday, November 16, 2026 at 11:00 AM</div><ul><li>Wen Li (As an individual)</li></ul></div></section>`
	got, err := parseSchedule(strings.NewReader(page), "SECD", "45-1", false, false)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		start, status, study string
		witnesses            int
	}
	var rows []row
	for _, h := range got {
		rows = append(rows, row{h.Start.Format("2006-01-02 15:04"), h.Status, h.Studies[0], len(h.Witnesses)})
	}
	want := []row{
		{"2026-11-02 11:00", billwatch.HearingScheduled, "Bill C-8, An Act respecting cyber security", 0},
		{"2026-11-09 11:00", billwatch.HearingCancelled, "Bill C-8, An Act respecting cyber security", 0},
		{"2026-11-16 11:00", billwatch.HearingScheduled, "Study on foreign interference", 1},
	}
	if !cmp.Equal(rows, want, cmp.AllowUnexported(row{})) {
		t.Errorf("parseSchedule(studies variants) = %+v, want %+v", rows, want)
	}
	if got[0].Bills[0] != "C-8" || got[2].Witnesses[0] != (billwatch.Witness{Name: "Wen Li", Organization: "As an individual"}) {
		t.Errorf("parseSchedule(studies variants) bills %v, witness %+v", got[0].Bills, got[2].Witnesses)
	}
	if _, err := parseSchedule(strings.NewReader(`<div><p>Nothing here.</p></div>`), "SECD", "45-1", false, false); !errors.Is(err, scraper.ErrLayoutChanged) {
		t.Errorf("parseSchedule(no study, no table) error = %v, want ErrLayoutChanged", err)
	}
}
