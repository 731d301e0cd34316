package senate

import (
	"html"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/sampletest"
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
			got, err := parseSchedule(strings.NewReader(page), "TRCM", "43-2", true)
			if err != nil {
				t.Fatalf("parseSchedule(studies page as %s) error = %v", name, err)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreFields(billwatch.Hearing{}, "Checks")); d != "" {
				t.Errorf("parseSchedule(studies page as %s) mismatch (-want +got):\n%s", name, d)
			}
			for _, h := range got {
				for _, c := range h.Checks {
					if !c.Found {
						t.Errorf("parseSchedule(studies page as %s) %s: %s not found", name, h.Key(), c.Field)
					}
				}
			}
			// Another committee's page yields nothing for this one, and is no error.
			other, err := parseSchedule(strings.NewReader(page), "SECD", "43-2", true)
			if err != nil || len(other) != 0 {
				t.Errorf("parseSchedule(studies page as %s, SECD) = %d meetings, %v; want none", name, len(other), err)
			}
		})
	}
}
