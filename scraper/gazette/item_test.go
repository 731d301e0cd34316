package gazette

import (
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

const (
	p1URL = "https://gazette.gc.ca/rp-pr/p1/2026/"
	p2URL = "https://gazette.gc.ca/rp-pr/p2/2026/"
)

// fixtureRegs are the regulations of the bundled fixtures, as parseItem reads their pages.
var fixtureRegs = map[string]billwatch.Regulation{
	"I 2026-09-12-reg1": {
		Part: "I", ID: "2026-09-12-reg1", Title: "Regulations Amending the Secure Air Travel Regulations",
		Department: "Department of Public Safety and Emergency Preparedness", Acts: []string{"Secure Air Travel Act"},
		Published: "2026-09-12", CommentDays: ptr(30), CommentDeadline: "2026-10-12",
		URL: p1URL + "2026-09-12/html/reg1-eng.html",
		// The page's stray Windows-1252 byte 0x92 is a right single quotation mark.
		Summary: "The Passenger Protect Program’s listing process relies on identity information that air carriers collect at booking; the amendments would require air carriers to disclose additional passenger information to the Minister and would extend the period for which it may be retained.",
	},
	"I 2026-11-14-reg1": {
		Part: "I", ID: "2026-11-14-reg1", Title: "Regulations Amending the Atlantic Fishery Regulations, 1985 (Snow Crab)",
		Department: "Department of Fisheries and Oceans", Acts: []string{"Fisheries Act"},
		Published: "2026-11-14", CommentDays: ptr(30), CommentDeadline: "2026-12-14",
		URL: p1URL + "2026-11-14/html/reg1-eng.html", Summary: "Snow crab trap limits in Crab Fishing Area 12 no longer reflect the state of the stock.",
	},
	"I 2026-11-14-reg2": {
		Part: "I", ID: "2026-11-14-reg2", Title: "Regulations Amending the Canada Grain Regulations",
		Department: "Canadian Grain Commission", Acts: []string{"Canada Grain Act"},
		Published: "2026-11-14", CommentDays: ptr(30), CommentDeadline: "2026-12-14",
		URL: p1URL + "2026-11-14/html/reg2-eng.html", Summary: "Grain grade names in Schedule 3 use terms the industry has abandoned.",
	},
	"I 2026-11-14-reg3": {
		Part: "I", ID: "2026-11-14-reg3", Title: "Regulations Amending the Royal Canadian Mounted Police Regulations, 2014 (Conduct Investigations)",
		Department: "Royal Canadian Mounted Police", Acts: []string{"Royal Canadian Mounted Police Act"},
		Published: "2026-11-14", URL: p1URL + "2026-11-14/html/reg3-eng.html",
		Summary: "The Regulations do not let the Commissioner share the record of a conduct investigation with other police services.",
		Gap:     GapCommentPeriod,
	},
	"I 2026-11-21-reg1": {
		Part: "I", ID: "2026-11-21-reg1", Title: "Regulations Amending the Immigration and Refugee Protection Regulations (Biometrics and Information Sharing)",
		Department: "Department of Citizenship and Immigration; Canada Border Services Agency", Acts: []string{"Immigration and Refugee Protection Act"},
		Published: "2026-11-21", CommentDays: ptr(30), CommentDeadline: "2026-12-21",
		URL:     p1URL + "2026-11-21/html/reg1-eng.html",
		Summary: "The Regulations limit the collection of biometric information to some categories of applicants and do not allow the systematic sharing of that information with the United States beyond immigration purposes.",
	},
	"I 2026-11-21-reg2": {
		Part: "I", ID: "2026-11-21-reg2", Title: "Regulations Amending the Food and Drug Regulations (Nutrition Symbols for Beverages)",
		Department: "Department of Health", Acts: []string{"Food and Drugs Act"},
		Published: "2026-11-21", CommentDays: ptr(75), CommentDeadline: "2027-02-04",
		URL: p1URL + "2026-11-21/html/reg2-eng.html", Summary: "Beverages high in added sugars are exempt from the front-of-package nutrition symbol.",
	},
	"II 2026-11-11-sor-dors220": {
		Part: "II", ID: "2026-11-11-sor-dors220", Title: "Regulations Amending the Fishery (General) Regulations",
		Department: "Department of Fisheries and Oceans", Acts: []string{"Fisheries Act"}, Published: "2026-11-11",
		Registration: ptr("SOR/2026-220"), URL: p2URL + "2026-11-11/html/sor-dors220-eng.html",
		Summary: "Licence conditions cannot currently require electronic logbooks in all fisheries.", Prepublished: "2026-06-06",
	},
	"II 2026-11-11-si-tr45": {
		Part: "II", ID: "2026-11-11-si-tr45", Title: "Order Fixing December 1, 2026 as the Day on Which Certain Provisions of the Canada Grain Act Come into Force",
		Department: "Department of Agriculture and Agri-Food", Acts: []string{"Canada Grain Act"}, Published: "2026-11-11",
		Registration: ptr("SI/2026-45"), URL: p2URL + "2026-11-11/html/si-tr45-eng.html",
		Summary: "The Order fixes the day on which the provisions on grain sampling come into force.",
	},
	"II 2026-10-30-x3-sor-dors215": {
		Part: "II", ID: "2026-10-30-x3-sor-dors215", Title: "Regulations Amending the Special Economic Measures (Venezuela) Regulations",
		Department: "Department of Foreign Affairs, Trade and Development", Acts: []string{"Special Economic Measures Act"}, Published: "2026-10-30",
		Registration: ptr("SOR/2026-215"), URL: p2URL + "2026-10-30-x3/html/sor-dors215-eng.html",
		Summary: "Canada adds eight individuals to the schedule of the Regulations.",
	},
	"II 2026-11-25-sor-dors231": {
		Part: "II", ID: "2026-11-25-sor-dors231", Title: "Regulations Amending the Secure Air Travel Regulations",
		Department: "Department of Public Safety and Emergency Preparedness", Acts: []string{"Secure Air Travel Act"}, Published: "2026-11-25",
		Registration: ptr("SOR/2026-231"), URL: p2URL + "2026-11-25/html/sor-dors231-eng.html",
		Summary:      "The Passenger Protect Program’s listing process relies on identity information that air carriers collect at booking; the amendments require air carriers to disclose additional passenger information to the Minister.",
		Prepublished: "2026-09-12",
	},
	"II 2026-11-25-sor-dors232": {
		Part: "II", ID: "2026-11-25-sor-dors232", Title: "Regulations Amending the Canada Small Business Financing Regulations",
		Department: "Department of Industry", Acts: []string{"Canada Small Business Financing Act"}, Published: "2026-11-25",
		Registration: ptr("SOR/2026-232"), URL: p2URL + "2026-11-25/html/sor-dors232-eng.html",
		Summary: "The maximum loan amount for equipment has not changed since 2022.", Prepublished: "2026-07-04",
	},
}

var fixtureFiles = map[string]string{
	"I 2026-09-12-reg1":            "1/gazette/rp-pr/p1/2026/2026-09-12/html/reg1-eng.html",
	"I 2026-11-14-reg1":            "1/gazette/rp-pr/p1/2026/2026-11-14/html/reg1-eng.html",
	"I 2026-11-14-reg2":            "1/gazette/rp-pr/p1/2026/2026-11-14/html/reg2-eng.html",
	"I 2026-11-14-reg3":            "1/gazette/rp-pr/p1/2026/2026-11-14/html/reg3-eng.html",
	"I 2026-11-21-reg1":            "2/gazette/rp-pr/p1/2026/2026-11-21/html/reg1-eng.html",
	"I 2026-11-21-reg2":            "2/gazette/rp-pr/p1/2026/2026-11-21/html/reg2-eng.html",
	"II 2026-11-11-sor-dors220":    "1/gazette/rp-pr/p2/2026/2026-11-11/html/sor-dors220-eng.html",
	"II 2026-11-11-si-tr45":        "1/gazette/rp-pr/p2/2026/2026-11-11/html/si-tr45-eng.html",
	"II 2026-10-30-x3-sor-dors215": "1/gazette/rp-pr/p2/2026/2026-10-30-x3/html/sor-dors215-eng.html",
	"II 2026-11-25-sor-dors231":    "3/gazette/rp-pr/p2/2026/2026-11-25/html/sor-dors231-eng.html",
	"II 2026-11-25-sor-dors232":    "3/gazette/rp-pr/p2/2026/2026-11-25/html/sor-dors232-eng.html",
}

func TestParseItemFixtures(t *testing.T) {
	for key, file := range fixtureFiles {
		t.Run(key, func(t *testing.T) {
			want := fixtureRegs[key]
			got, err := parseItem(fixture(t, file), want.URL, entry{})
			if err != nil {
				t.Fatalf("parseItem(%s) error = %v", want.ID, err)
			}
			if d := cmp.Diff(want, got, ignoreChecks); d != "" {
				t.Errorf("parseItem(%s) mismatch (-want +got):\n%s", want.ID, d)
			}
		})
	}
}

// proposal is a Part I proposal page in the site's template, with the given labels and closing
// notice.
func proposal(labels, notice string) []byte {
	return wrap("Canada Gazette, Part 1, Volume 160, Number 48: Regulations Amending the Canadian Aviation Security Regulations, 2012",
		`<h1 id="wb-cont" property="name">Canada Gazette, Part&nbsp;I, Volume 160, Number&nbsp;48: Regulations Amending the Canadian Aviation Security Regulations, 2012</h1>
<p>November&nbsp;28,&nbsp;2026</p>
`+labels+`
<h2>REGULATORY IMPACT ANALYSIS STATEMENT</h2>
<p>(This statement is not part of the Regulations.)</p>
<div class="well"><p><strong>Issues:</strong> Screening of non-passengers at airports does not cover vehicles.</p></div>
<h2>PROPOSED REGULATORY TEXT</h2>
<p>`+notice+`</p>`)
}

const stdLabels = `<p><strong>Statutory authority</strong><br>Aeronautics Act</p><p><strong>Sponsoring department</strong><br>Department of Transport</p>`

func TestParseItemCommentPeriod(t *testing.T) {
	const u = p1URL + "2026-11-28/html/reg4-eng.html"
	tests := []struct {
		name, notice string
		days         *int
		deadline     string
		gap          string
	}{
		{"digits", "Interested persons may make representations concerning the proposed Regulations within 30 days after the date of publication of this notice.", ptr(30), "2026-12-28", ""},
		{"digits with a no-break space", "Interested persons may make representations concerning the proposed Regulations within 30&nbsp;days after the date of publication of this notice.", ptr(30), "2026-12-28", ""},
		{"words", "Interested persons may make representations concerning the proposed Regulations within thirty days after the date of publication of this notice.", ptr(30), "2026-12-28", ""},
		{"hyphenated words", "Interested persons may make representations with respect to the proposed Regulations within seventy-five days after the date of publication of this notice.", ptr(75), "2027-02-11", ""},
		{"words and digits", "Interested persons may make representations concerning the proposed Regulations within sixty (60) days after the date of publication of this notice.", ptr(60), "2027-01-27", ""},
		{"75 days", "Interested persons, including members of the World Trade Organization, may make representations within 75 days after the date of publication of this notice.", ptr(75), "2027-02-11", ""},
		{"15 days", "Comments on the proposed Order may be made within 15 days after the date of publication of this notice.", ptr(15), "2026-12-13", ""},
		{"90 days", "Interested persons may make representations within 90 days after the date of publication of this notice.", ptr(90), "2027-02-26", ""},
		{"no later than", "Any person may file comments no later than 60 days after the date of publication of this notice.", ptr(60), "2027-01-27", ""},
		{"of publication", "Interested persons may make representations within 30 days of the publication of this notice.", ptr(30), "2026-12-28", ""},
		{"day of publication", "Interested persons may make representations within 45 days after the day of publication of this notice.", ptr(45), "2027-01-12", ""},
		{"notice is published", "Representations may be made within 30 days after this notice is published.", ptr(30), "2026-12-28", ""},
		{"day on which the notice is published", "Interested persons may make representations concerning the proposed Regulations within 60 days after the day on which this notice is published.", ptr(60), "2027-01-27", ""},
		{"following publication", "Interested persons may make representations within 30 days following publication of this notice.", ptr(30), "2026-12-28", ""},
		{"sentence split by markup", "Interested persons may make representations concerning the proposed <cite>Regulations</cite> within <span>30</span> days after the date of publication of this notice.", ptr(30), "2026-12-28", ""},
		{"no period given", "Interested persons may make representations concerning the proposed Regulations. All such representations must cite the Canada Gazette, Part I, and the date of publication of this notice.", nil, "", GapCommentPeriod},
		{"a period that is not about publication", "The notifier must update the records within 30 days after learning of the change.", nil, "", GapCommentPeriod},
		{"an absurd period", "Interested persons may make representations within 900 days after the date of publication of this notice.", nil, "", GapCommentPeriod},
		{"objection period comes first", "Any person may file a notice of objection within 60 days after publication of this notice. Interested persons may make representations within 30 days after the date of publication of this notice.", ptr(30), "2026-12-28", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseItem(proposal(stdLabels, tt.notice), u, entry{})
			if err != nil {
				t.Fatalf("parseItem(%s) error = %v", tt.name, err)
			}
			if !cmp.Equal(r.CommentDays, tt.days) || r.CommentDeadline != tt.deadline || r.Gap != tt.gap {
				t.Errorf("parseItem(%s) = comment_days %v, deadline %q, gap %q; want %v, %q, %q",
					tt.name, deref(r.CommentDays), r.CommentDeadline, r.Gap, deref(tt.days), tt.deadline, tt.gap)
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestParseItemLabels(t *testing.T) {
	const u = p1URL + "2026-11-28/html/reg4-eng.html"
	const notice = "Interested persons may make representations within 30 days after the date of publication of this notice."
	tests := []struct {
		name, labels string
		dept         string
		acts         []string
		gap          string
	}{
		{"paragraphs with <br>", stdLabels, "Department of Transport", []string{"Aeronautics Act"}, ""},
		{"headings", `<h2>Statutory authority</h2><p>Aeronautics Act</p><h2>Sponsoring department</h2><p>Department of Transport</p>`,
			"Department of Transport", []string{"Aeronautics Act"}, ""},
		{"colons on one line", `<p>Statutory authorities: Aeronautics Act and Secure Air Travel Act</p><p>Sponsoring agency: Canadian Air Transport Security Authority</p>`,
			"Canadian Air Transport Security Authority", []string{"Aeronautics Act", "Secure Air Travel Act"}, ""},
		{"definition list, Acts listed", `<dl><dt>Statutory authorities</dt><dd><ul><li>Criminal Code</li><li>Canadian Security Intelligence Service Act</li></ul></dd><dt>Sponsoring department</dt><dd>Department of Public Safety and Emergency Preparedness</dd></dl>`,
			"Department of Public Safety and Emergency Preparedness", []string{"Criminal Code", "Canadian Security Intelligence Service Act"}, ""},
		{"Acts joined by commas", `<p><strong>Statutory authorities</strong><br>Customs Act, Immigration and Refugee Protection Act and Canadian Environmental Protection Act, 1999</p><p><strong>Sponsoring agency</strong><br>Canada Border Services Agency</p>`,
			"Canada Border Services Agency", []string{"Customs Act", "Immigration and Refugee Protection Act", "Canadian Environmental Protection Act, 1999"}, ""},
		{"department and agency", `<p><strong>Statutory authority</strong><br>Immigration and Refugee Protection Act</p><p><strong>Sponsoring department and agency</strong><br>Department of Citizenship and Immigration<br>Canada Border Services Agency</p>`,
			"Department of Citizenship and Immigration; Canada Border Services Agency", []string{"Immigration and Refugee Protection Act"}, ""},
		{"no labels", ``, "", nil, GapActs + "; " + GapDepartment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseItem(proposal(tt.labels, notice), u, entry{})
			if err != nil {
				t.Fatalf("parseItem(%s) error = %v", tt.name, err)
			}
			if r.Department != tt.dept || !cmp.Equal(r.Acts, tt.acts) || r.Gap != tt.gap {
				t.Errorf("parseItem(%s) = department %q, acts %q, gap %q; want %q, %q, %q", tt.name, r.Department, r.Acts, r.Gap, tt.dept, tt.acts, tt.gap)
			}
			if r.Summary != "Screening of non-passengers at airports does not cover vehicles." {
				t.Errorf("parseItem(%s) summary = %q", tt.name, r.Summary)
			}
		})
	}
	// Where the page is silent, the index fills in, named as the pages name it.
	r, err := parseItem(proposal("", notice), u, entry{Department: "Transport, Dept. of", Act: "Aeronautics Act"})
	if err != nil || r.Department != "Department of Transport" || !cmp.Equal(r.Acts, []string{"Aeronautics Act"}) || r.Gap != "" {
		t.Errorf("parseItem(labels from the index) = %q, %q, gap %q, %v", r.Department, r.Acts, r.Gap, err)
	}
}

func TestParseItemPartIILayouts(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		url  string
		want billwatch.Regulation
	}{
		{"current layout", fixture(t, fixtureFiles["II 2026-11-25-sor-dors231"]), fixtureRegs["II 2026-11-25-sor-dors231"].URL, fixtureRegs["II 2026-11-25-sor-dors231"]},
		{"2014 layout: the h1 names the issue, the title follows the Act", testdata(t, "part2-2014-layout.html"),
			"https://gazette.gc.ca/rp-pr/p2/2014/2014-06-18/html/sor-dors139-eng.html", billwatch.Regulation{
				Part: "II", ID: "2014-06-18-sor-dors139", Title: "Regulations Amending the Immigration and Refugee Protection Regulations",
				Department: "Department of Citizenship and Immigration", Acts: []string{"Immigration and Refugee Protection Act"},
				Published: "2014-06-18", Registration: ptr("SOR/2014-139"),
				URL:     "https://gazette.gc.ca/rp-pr/p2/2014/2014-06-18/html/sor-dors139-eng.html",
				Summary: "Foreign nationals applying from abroad may provide fraudulent identity documents.", Prepublished: "2014-02-15",
			}},
		{"2014 layout without h1, label and number in two blocks, Act only in the recital", wrap("Canada Gazette", `<p>Vol. 148, No. 25 — December 3, 2014</p>
<p>Registration</p><p>SI/2014-99 November 21, 2014</p>
<p><strong>Order Designating the Minister of Public Safety as Minister for the Purposes of the Act</strong></p>
<p>P.C. 2014-1276 November 20, 2014</p>
<p>His Excellency the Governor General in Council, on the recommendation of the Prime Minister, pursuant to section 2 of the Public Servants Disclosure Protection Act, makes the annexed Order.</p>`),
			"https://gazetteducanada.gc.ca/rp-pr/p2/2014/2014-12-03/html/si-tr99-eng.html", billwatch.Regulation{
				Part: "II", ID: "2014-12-03-si-tr99", Title: "Order Designating the Minister of Public Safety as Minister for the Purposes of the Act",
				Department: "Privy Council Office", Acts: []string{"Public Servants Disclosure Protection Act"}, Published: "2014-12-03", Registration: ptr("SI/2014-99"),
				URL: "https://gazetteducanada.gc.ca/rp-pr/p2/2014/2014-12-03/html/si-tr99-eng.html",
			}},
		{"registration only in the h1, a link to the proposal", wrap("x", `<h1 id="wb-cont">Regulations Amending the Canadian Aviation Security Regulations, 2012: SOR/2026-240</h1>
<p>Canada Gazette, Part II, Volume 160, Number 25</p>
<p>The Minister of Transport, pursuant to section 4.71 of the Aeronautics Act, makes the annexed Regulations.</p>
<p>The proposed Regulations were pre-published in the Canada Gazette, Part I, on <a href="https://canadagazette.gc.ca/rp-pr/p1/2026/2026-06-20/html/reg2-eng.html">June 20, 2026</a>.</p>`),
			p2URL + "2026-12-09/html/sor-dors240-eng.html", billwatch.Regulation{
				Part: "II", ID: "2026-12-09-sor-dors240", Title: "Regulations Amending the Canadian Aviation Security Regulations, 2012",
				Department: "Department of Transport", Acts: []string{"Aeronautics Act"}, Published: "2026-12-09",
				Registration: ptr("SOR/2026-240"), URL: p2URL + "2026-12-09/html/sor-dors240-eng.html",
				Prepublished: "2026-06-20", Finalises: "I 2026-06-20-reg2",
			}},
		{"no registration number", wrap("x", `<h1 id="wb-cont">Regulations Amending the Passport Order</h1><p>Canada Gazette, Part II, Volume 160, Number 25</p>`),
			p2URL + "2026-12-09/html/sor-dors241-eng.html", billwatch.Regulation{
				Part: "II", ID: "2026-12-09-sor-dors241", Title: "Regulations Amending the Passport Order", Published: "2026-12-09",
				URL: p2URL + "2026-12-09/html/sor-dors241-eng.html", Gap: GapRegistration + "; " + GapActs + "; " + GapDepartment,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseItem(tt.in, tt.url, entry{})
			if err != nil {
				t.Fatalf("parseItem(%s) error = %v", tt.want.ID, err)
			}
			if d := cmp.Diff(tt.want, got, ignoreChecks); d != "" {
				t.Errorf("parseItem(%s) mismatch (-want +got):\n%s", tt.want.ID, d)
			}
		})
	}
}

func TestParseItemErrors(t *testing.T) {
	const u = p1URL + "2026-11-14/html/reg1-eng.html"
	full := fixture(t, fixtureFiles["I 2026-11-14-reg1"])
	tests := []struct {
		name string
		in   []byte
		url  string
		err  error
	}{
		{"soft 404", testdata(t, "soft404.html"), u, scraper.ErrNotFound},
		{"truncated", full[:len(full)/2], u, ErrTruncated},
		{"empty", nil, u, scraper.ErrLayoutChanged},
		{"redesigned: no title, no Gazette", wrap("Canada.ca", `<p>Content moved.</p>`), u, scraper.ErrLayoutChanged},
		{"an h1 alone is not a regulation", wrap("Maintenance", `<h1>Scheduled maintenance</h1><p>Back soon.</p>`), u, scraper.ErrLayoutChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseItem(tt.in, tt.url, entry{})
			if !errors.Is(err, tt.err) {
				t.Errorf("parseItem(%s) error = %v, want %v", tt.name, err, tt.err)
			}
		})
	}
	if _, err := parseItem(full, "https://gazette.gc.ca/rss/p1-eng.xml", entry{}); err == nil {
		t.Errorf("parseItem(not an item URL) error = nil")
	}
}

// The real Part I notice page is the site's template: declared UTF-8 with stray Windows-1252
// bytes, a WET header and footer around <main>, CRLF and LF mixed.
func TestSampleTemplate(t *testing.T) {
	b := sampletest.Read(t, "gazette-p1-2025-06-21-notice-avis-eng.html")
	p, err := openPage(b)
	if err != nil {
		t.Fatalf("openPage(notice-avis sample) error = %v", err)
	}
	if want := "Canada Gazette, Part I, Volume 159, Number 25: GOVERNMENT NOTICES"; p.h1 != want {
		t.Errorf("openPage(notice-avis sample) h1 = %q, want %q", p.h1, want)
	}
	if got := titleFromH1(p.h1); got != "GOVERNMENT NOTICES" {
		t.Errorf("titleFromH1(%q) = %q", p.h1, got)
	}
	bs := blocks(p.main)
	var text []string
	for _, b := range bs {
		text = append(text, b.text())
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"DEPARTMENT OF JUSTICE", "Jacqueline Gonçalves", "SUPREME COURT ACT"} {
		if !strings.Contains(all, want) {
			t.Errorf("blocks(notice-avis sample) lack %q", want)
		}
	}
	for _, unwanted := range []string{"Skip to main content", "Language selection", "Contact us", "\ufffd", "Return to footnote"} {
		if strings.Contains(all, unwanted) {
			t.Errorf("blocks(notice-avis sample) hold %q from outside the content", unwanted)
		}
	}
	// Its conditions "within 30 days after learning of the change" are not a comment period.
	if n, ok := commentDays(bs); ok {
		t.Errorf("commentDays(notice-avis sample) = %d, want none", n)
	}
	if !strings.Contains(scraper.Decode(b), "Boîte à outils de l'expérience Web") {
		t.Errorf("Decode(notice-avis sample) does not read the Windows-1252 bytes of the WET comment")
	}
}

func TestSmallParsers(t *testing.T) {
	for in, want := range map[string]int{"thirty": 30, "seventy-five": 75, "seventy five": 75, "fifteen": 15, "ninety": 90, "one hundred and twenty": 120, "sixty": 60, "thirty-blue": -1} {
		if got := wordsToInt(in); got != want {
			t.Errorf("wordsToInt(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]string{"September 12, 2026": "2026-09-12", "12 September 2026": "2026-09-12", "Sept. 12, 2026": "2026-09-12",
		"2026-09-12": "2026-09-12", "February 30, 2026": "", "Smarch 3, 2026": "", "June 6 2026": "2026-06-06"} {
		if got := parseDate(in); got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"IMMIGRATION AND REFUGEE PROTECTION ACT": "Immigration and Refugee Protection Act",
		"CANADIAN ENVIRONMENTAL PROTECTION ACT, 1999": "Canadian Environmental Protection Act, 1999", "CRIMINAL CODE": "Criminal Code",
		"CANADA–UNITED STATES–MEXICO AGREEMENT IMPLEMENTATION ACT": "Canada–United States–Mexico Agreement Implementation Act"} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"2026-12-31": "2027-01-30", "2026-11-21": "2026-12-21", "2028-02-01": "2028-03-02"} {
		if got := deadline(in, 30); got != want {
			t.Errorf("deadline(%s, 30) = %s, want %s", in, got, want)
		}
	}
}
