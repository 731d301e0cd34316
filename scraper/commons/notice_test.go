package commons

import (
	"errors"
	"html"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/sampletest"
	"github.com/billwatch/billwatch/scraper"
)

func est(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, billwatch.Eastern)
}

// procLines is the real notice of PROC 44-1 meeting 106 (its text: one line per block).
func procLines(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(string(sampletest.Read(t, "ourcommons-notice-PROC-44-1-106-text.txt")), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// procWant is what the real notice says, field by field.
var procWant = notice{
	Number: 106, Start: est(2024, 2, 13, 11, 0), End: est(2024, 2, 13, 13, 0), Broadcast: "televised",
	Witnesses: []billwatch.Witness{
		{Name: "Eric Janse", Title: "Clerk of the House of Commons", Organization: "House of Commons"},
		{Name: "Michel Bédard", Title: "Law Clerk and Parliamentary Counsel, Office of the Law Clerk and Parliamentary Counsel", Organization: "House of Commons"},
		{Name: "Patrick McDonell", Title: "Sergeant-at-Arms and Corporate Security Officer", Organization: "House of Commons"},
		{Name: "Jeffrey LeBlanc", Title: "Deputy Clerk, Procedure", Organization: "House of Commons"},
		{Name: "Stéphan Aubé", Title: "Acting Deputy Clerk, Administration", Organization: "House of Commons"},
		{Name: "Jeremy LeBlanc", Title: "Clerk Assistant and Director General, International and Interparliamentary Affairs", Organization: "Parliament of Canada"},
		{Name: "Nancy Anctil", Title: "Chief of Protocol and Events Management", Organization: "Parliament of Canada"},
		{Name: "Hon. Steven MacKinnon", Title: "M.P., Leader of the Government in the House of Commons", Appearing: true},
	},
	Bills:     []string{},
	Published: "2024-02-09 15:10",
	// The real notice says nothing of its subject: that is a gap, not a guess.
	Gaps: []string{GapNoticeSubject},
}

var procOrgs = map[string]bool{"House of Commons": true, "Parliament of Canada": true}

// procMarkups rebuilds the real notice three ways: every block a <p> (with the site's chrome
// before it); headings, organisation lines and <li> people; nested divs with <br>-separated
// people and extra wrappers.
func procMarkups(t *testing.T) map[string]string {
	lines := procLines(t)
	esc := html.EscapeString
	head := `<!DOCTYPE html><html lang="en"><head><title>Notice - PROC (44-1) - No. 106 - House of Commons of Canada</title></head><body>`
	var paras, lists, divs strings.Builder
	paras.WriteString(head + `<main><div id="publicationContent">`)
	for _, l := range lines {
		paras.WriteString("<p>" + esc(l) + "</p>\n")
	}
	paras.WriteString("</div></main></body></html>")

	lists.WriteString(head + `<header><nav><ul><li><a href="/">Home</a></li><li>Committees</li></ul></nav></header><main>`)
	inList := false
	closeList := func(b *strings.Builder) {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	divs.WriteString(head + `<div class="wrapper"><section class="chrome">`)
	var people []string
	flushPeople := func() {
		if len(people) > 0 {
			divs.WriteString(`<div class="people"><span>` + strings.Join(people, "<br>") + "</span></div>\n")
			people = nil
		}
	}
	started := false
	for _, l := range lines {
		e := esc(l)
		switch {
		case l == "Notice of meeting":
			lists.WriteString(`<h1 class="publication-title">` + e + "</h1>\n")
			divs.WriteString(`</section><article><div class="notice"><div class="title"><div><strong>` + e + "</strong></div></div>\n")
			started = true
		case l == "Witnesses" || l == "Appearing":
			closeList(&lists)
			lists.WriteString(`<h3 class="WitnessesTitle">` + e + "</h3>\n")
			flushPeople()
			divs.WriteString(`<div class="group-title"><b>` + e + "</b></div>\n")
		case procOrgs[l]:
			closeList(&lists)
			lists.WriteString(`<div class="witness-organization"><strong>` + e + "</strong></div>\n")
			flushPeople()
			divs.WriteString(`<div class="org"><div>` + e + "</div></div>\n")
		case started && strings.Contains(l, ", ") && !strings.Contains(l, "Parliament,") && !strings.HasPrefix(l, "Tuesday"):
			if !inList {
				lists.WriteString(`<ul class="witness-list">` + "\n")
				inList = true
			}
			lists.WriteString("  <li>" + e + "</li>\n")
			people = append(people, e)
		default:
			closeList(&lists)
			lists.WriteString("<p>" + e + "</p>\n")
			flushPeople()
			divs.WriteString("<div><span>" + e + "</span></div>\n")
		}
	}
	closeList(&lists)
	flushPeople()
	lists.WriteString("</main></body></html>")
	divs.WriteString("</div></article></div></body></html>")
	return map[string]string{"paragraphs": paras.String(), "lists": lists.String(), "divs": divs.String()}
}

func TestParseNoticeRealSample(t *testing.T) {
	for name, page := range procMarkups(t) {
		t.Run(name, func(t *testing.T) {
			got, err := parseNotice(strings.NewReader(page))
			if err != nil {
				t.Fatalf("parseNotice(PROC 106 as %s) error: %v", name, err)
			}
			if d := cmp.Diff(procWant, got); d != "" {
				t.Errorf("parseNotice(PROC 106 as %s) mismatch (-want +got):\n%s", name, d)
			}
		})
	}
}

func TestParseNoticeVariants(t *testing.T) {
	t.Parallel()
	const head = `<html><head><title>Notice - SECU (45-1) - No. 9 - House of Commons of Canada</title></head><body>`
	tests := []struct {
		name string
		page string
		want notice
	}{
		{
			// The older description: an "Orders of the Day" heading, the room, time slots
			// inside the witness group, people as list items.
			name: "orders of the day, room, slots inside the group, list items",
			page: head + `<h1>Notice of meeting</h1><div>Standing Committee on Public Safety and National Security (SECU)</div>
<div>45th Parliament, 1st Session</div><div>Meeting 9</div><div>Tuesday, October 28, 2025, 3:30 p.m. to 5:30 p.m.</div>
<div>Room 225-A, West Block</div><div>Webcast</div><h2>Orders of the Day</h2>
<p>Bill C-8, An Act respecting cyber security, amending the Telecommunications Act</p>
<h3>Witnesses</h3><div>3:30 p.m. to 4:30 p.m.</div><div>Department of Public Safety and Emergency Preparedness</div>
<ul><li>Jane Roe, Director General, National Cyber Security</li><li>Sam Poe</li></ul>
<div>4:30 p.m. to 5:30 p.m.</div><div>As an individual</div><ul><li>Priya Raman, Associate Professor, University of Ottawa</li></ul>
<div>Clerk of the Committee</div><div>Jo Clerk (613-555-0100)</div><div>2025-10-24 4:05 p.m.</div></body></html>`,
			want: notice{
				Number: 9, Start: est(2025, 10, 28, 15, 30), End: est(2025, 10, 28, 17, 30), Broadcast: "webcast",
				Room:     "Room 225-A, West Block",
				Subjects: []string{"Bill C-8, An Act respecting cyber security, amending the Telecommunications Act"},
				Bills:    []string{"C-8"},
				Witnesses: []billwatch.Witness{
					{Name: "Jane Roe", Title: "Director General, National Cyber Security", Organization: "Department of Public Safety and Emergency Preparedness"},
					{Name: "Sam Poe", Organization: "Department of Public Safety and Emergency Preparedness"},
					{Name: "Priya Raman", Title: "Associate Professor, University of Ottawa", Organization: "As an individual"},
				},
				Published: "2025-10-24 16:05",
			},
		},
		{
			// The subject without any heading, after the slot; an amended notice; bullets;
			// a minister appearing; an organisation that sends nobody named yet.
			name: "amended, subject without heading, bullets, appearing",
			page: head + `<div class="x"><div class="y"><p>Amended Notice of meeting</p><p>Meeting 12</p>
<p>Thursday, November 26, 2026, 3:30 p.m. to 5:30 p.m.</p><p>3:30 p.m. to 4:30 p.m.</p>
<p>Bill C-22, An Act respecting lawful access</p><p>Appearing</p><p>• Hon. Alex Doe, P.C., M.P., Minister of Public Safety</p>
<p>4:30 p.m. to 5:30 p.m.</p><p>Witnesses</p><p>Centre for Israel and Jewish Affairs</p><p>Canadian Civil Liberties Association</p>
<p>• Samuel Okafor, Director, Privacy Program</p><p>Clerk of the committee</p><p>Jo Clerk</p><p>2026-11-20 11:47 a.m.</p></div></div></body></html>`,
			want: notice{
				Number: 12, Start: est(2026, 11, 26, 15, 30), End: est(2026, 11, 26, 17, 30), Amended: true,
				Subjects: []string{"Bill C-22, An Act respecting lawful access"},
				Bills:    []string{"C-22"},
				Witnesses: []billwatch.Witness{
					{Name: "Hon. Alex Doe", Title: "P.C., M.P., Minister of Public Safety", Appearing: true},
					{Organization: "Centre for Israel and Jewish Affairs"},
					{Name: "Samuel Okafor", Title: "Director, Privacy Program", Organization: "Canadian Civil Liberties Association"},
				},
				Published: "2026-11-20 11:47",
			},
		},
		{
			// The French notice.
			name: "french",
			page: `<html><head><title>Avis de convocation</title></head><body><h1>Avis de convocation</h1><p>Comité permanent de la sécurité publique et nationale (SECU)</p>
<p>45e législature, 1re session</p><p>Séance no 9</p><p>Le mardi 28 octobre 2025, de 15 h 30 à 17 h 30</p><p>Télévisée</p>
<p>Conformément à l'article 108(2) du Règlement, étude de la cybersécurité</p><p>Témoins</p><p>À titre personnel</p>
<p>Jean Tremblay, professeur, Université Laval</p><p>Comparaît</p><p>L'hon. Alex Doe, c.p., député, ministre de la Sécurité publique</p>
<p>Greffier du comité</p><p>Jo Clerk</p><p>2025-10-24 16 h 05</p></body></html>`,
			want: notice{
				Number: 9, Start: est(2025, 10, 28, 15, 30), End: est(2025, 10, 28, 17, 30), Broadcast: "televised",
				Subjects: []string{"Conformément à l'article 108(2) du Règlement, étude de la cybersécurité"},
				Bills:    []string{},
				Witnesses: []billwatch.Witness{
					{Name: "Jean Tremblay", Title: "professeur, Université Laval", Organization: "As an individual"},
					{Name: "L'hon. Alex Doe", Title: "c.p., député, ministre de la Sécurité publique", Appearing: true},
				},
				Published: "2025-10-24 16:05",
			},
		},
		{
			// Plain lines without commas: a name under "As an individual" is a person; under
			// an organisation, another organisation. "Witnesses (Amended)" is still a group;
			// "In camera" after it ends the group.
			name: "names without titles, amended group heading, in camera after",
			page: head + `<h1>Notice of meeting</h1><p>Meeting 5</p><p>Monday, November 30, 2026, 11:00 a.m. to 1:00 p.m.</p>
<p>Study of online harms</p><p>Witnesses (Amended)</p><p>As an individual</p><p>Jane Doe</p><p>Canadian Civil Liberties Association</p>
<p>Meta Platforms</p><p>Tom Poe, Head of Public Policy</p><p>In camera</p><p>Committee Business</p><p>2026-11-27 9:15 a.m.</p></body></html>`,
			want: notice{Number: 5, Start: est(2026, 11, 30, 11, 0), End: est(2026, 11, 30, 13, 0), InCamera: true,
				Subjects: []string{"Study of online harms", "Committee Business"}, Bills: []string{},
				Witnesses: []billwatch.Witness{
					{Name: "Jane Doe", Organization: "As an individual"},
					{Organization: "Canadian Civil Liberties Association"},
					{Name: "Tom Poe", Title: "Head of Public Policy", Organization: "Meta Platforms"},
				},
				Published: "2026-11-27 09:15"},
		},
		{
			// Optional parts missing: no broadcast, room, slot, witnesses or stamp.
			name: "committee business only",
			page: `<html><head><title>Notice - ETHI (45-1) - No. 3</title></head><body><h1>Notice of meeting</h1><p>Meeting 3</p>
<p>Monday, November 2, 2026, 11:00 a.m. to 1:00 p.m.</p><p>Committee Business</p></body></html>`,
			want: notice{Number: 3, Start: est(2026, 11, 2, 11, 0), End: est(2026, 11, 2, 13, 0), Subjects: []string{"Committee Business"},
				Bills: []string{}, Gaps: []string{GapNoticeStamp}},
		},
		{
			// A redesign that writes people in a form the parser does not read: the names
			// are not guessed into organisations' places without a gap; the time is missing.
			name: "witnesses unreadable, no time",
			page: head + `<h1>Notice of meeting</h1><p>Meeting 4</p><p>Study of foreign interference</p><h3>Witnesses</h3>
<p>JANSE (Eric) — Clerk</p><p>Clerk of the committee</p><p>2026-11-20 9:00 a.m.</p></body></html>`,
			want: notice{Number: 4, Subjects: []string{"Study of foreign interference"}, Bills: []string{},
				Witnesses: []billwatch.Witness{{Organization: "JANSE (Eric) — Clerk"}},
				Published: "2026-11-20 09:00", Gaps: []string{GapNoticeTime, GapNoticeWitnesses}},
		},
	}
	for _, tt := range tests {
		got, err := parseNotice(strings.NewReader(tt.page))
		if err != nil {
			t.Fatalf("parseNotice(%s) error: %v", tt.name, err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("parseNotice(%s) mismatch (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestParseNoticeNotANotice(t *testing.T) {
	t.Parallel()
	page := `<html><head><title>Error</title></head><body><p>Sorry, the page is not available.</p></body></html>`
	if _, err := parseNotice(strings.NewReader(page)); !errors.Is(err, scraper.ErrLayoutChanged) {
		t.Errorf("parseNotice(error page) error = %v, want ErrLayoutChanged", err)
	}
}

func TestPersonLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		loose       bool
		name, title string
		ok          bool
	}{
		{"Eric Janse, Clerk of the House of Commons", false, "Eric Janse", "Clerk of the House of Commons", true},
		{"Hon. Steven MacKinnon, M.P., Leader of the Government in the House of Commons", false, "Hon. Steven MacKinnon", "M.P., Leader of the Government in the House of Commons", true},
		{"Chief Superintendent Daniel Roy, Federal Policing", false, "Chief Superintendent Daniel Roy", "Federal Policing", true},
		{"Marie-Ève de la Fontaine, Lawyer", false, "Marie-Ève de la Fontaine", "Lawyer", true},
		{"House of Commons", false, "", "", false},
		{"Parliament of Canada", true, "", "", false},
		{"Office of the Law Clerk, Parliamentary Counsel", false, "", "", false},
		{"Canadian Civil Liberties Association", true, "", "", false},
		// An organisation with a comma, whose name has no word of an institution's but "Lab".
		{"Citizen Lab, Munk School of Global Affairs and Public Policy", false, "", "", false},
		{"Tech Workers Project", true, "", "", false},
		{"Sam Poe", true, "Sam Poe", "", true},
		{"Major General Jane Doe, Commander, Canadian Forces Intelligence Command", false, "Major General Jane Doe", "Commander, Canadian Forces Intelligence Command", true},
		{"Sam Poe", false, "", "", false},
		{"Bill C-8, An Act respecting cyber security", false, "", "", false},
	}
	for _, tt := range tests {
		name, title, ok := personLine(tt.in, tt.loose)
		if name != tt.name || title != tt.title || ok != tt.ok {
			t.Errorf("personLine(%q, %v) = %q, %q, %v; want %q, %q, %v", tt.in, tt.loose, name, title, ok, tt.name, tt.title, tt.ok)
		}
	}
}

func FuzzParseNotice(f *testing.F) {
	for _, p := range []string{
		"../../fixtures/snapshots/2/ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice",
		"../../fixtures/snapshots/2/ourcommons/DocumentViewer/en/45-1/JUST/meeting-33/notice",
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("<p>Witnesses</p><li>, x</li><p>noon to 1 p.m.</p>")
	f.Fuzz(func(t *testing.T, page string) {
		n, err := parseNotice(strings.NewReader(page))
		if err != nil {
			return
		}
		for _, w := range n.Witnesses {
			if w.Name == "" && w.Organization == "" {
				t.Fatalf("parseNotice returned an empty witness in %+v", n.Witnesses)
			}
		}
	})
}
