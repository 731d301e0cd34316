package gazette

import (
	"html"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/sampletest"
)

// sampleBlocks reads a text extraction of a real page: one block a line, blank lines between.
func sampleBlocks(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(string(sampletest.Read(t, name)), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// The real SOR/2024-86 (its text, rebuilt as markup two ways): the Act in capitals, the
// enacting recital with "under" and "on the recommendation of the Minister of …".
func TestParseItemRealPartIISample(t *testing.T) {
	blocks := sampleBlocks(t, "gazette-p2-2024-05-22-sor-dors86-text.txt")
	esc := html.EscapeString
	// Markup 1: an <h1>, then one <p> per block.
	var paras strings.Builder
	paras.WriteString(`<h1 id="wb-cont">` + esc(blocks[0]) + "</h1>\n")
	for _, b := range blocks[1:] {
		paras.WriteString("<p>" + esc(b) + "</p>\n")
	}
	// Markup 2: divs and extra wrappers; the label and the number in one block split by <br>;
	// the recitals in a section of their own; the footnote references as links.
	var divs strings.Builder
	divs.WriteString(`<div class="title-wrap"><header class="doc"><h1 id="wb-cont" property="name">` + esc(blocks[0]) + "</h1></header></div>\n<div class=\"doc-body\"><section>\n")
	for i := 1; i < len(blocks); i++ {
		b := blocks[i]
		switch {
		case b == "Registration" && i+1 < len(blocks):
			divs.WriteString(`<div class="registration"><strong>Registration</strong><br>` + esc(blocks[i+1]) + "</div>\n")
			i++
		case strings.HasPrefix(b, "Whereas") || strings.HasPrefix(b, "Therefore"):
			b = strings.ReplaceAll(esc(b), "footnote a", `<sup><a href="#footnote-a"><span class="wb-inv">footnote </span>a</a></sup>`)
			divs.WriteString(`<div class="recital"><span>` + b + "</span></div>\n")
		default:
			divs.WriteString("<div>" + esc(b) + "</div>\n")
		}
	}
	divs.WriteString("</section></div>")

	const u = "https://gazette.gc.ca/rp-pr/p2/2024/2024-05-22/html/sor-dors86-eng.html"
	want := billwatch.Regulation{
		Part: "II", ID: "2024-05-22-sor-dors86", Title: "Regulations Amending the Immigration and Refugee Protection Regulations",
		Department: "Department of Public Safety and Emergency Preparedness", Acts: []string{"Immigration and Refugee Protection Act"},
		Published: "2024-05-22", Registration: ptr("SOR/2024-86"), URL: u,
	}
	for name, page := range map[string]string{"paragraphs": paras.String(), "divs": divs.String()} {
		got, err := parseItem(wrap("SOR/2024-86", page), u, entry{})
		if err != nil {
			t.Fatalf("parseItem(SOR/2024-86 as %s) error = %v", name, err)
		}
		got.Summary = "" // the sample is cut before any summary; not part of this check
		if d := cmp.Diff(want, got, ignoreChecks); d != "" {
			t.Errorf("parseItem(SOR/2024-86 as %s) mismatch (-want +got):\n%s", name, d)
		}
	}
}

func TestRecitalDepartment(t *testing.T) {
	t.Parallel()
	tests := []struct{ recital, want string }{
		{"Therefore, Her Excellency the Governor General in Council, on the recommendation of the Minister of Public Safety and Emergency Preparedness, makes the annexed Regulations under subsection 5(1) of the Immigration and Refugee Protection Act.", "Department of Public Safety and Emergency Preparedness"},
		{"His Excellency the Governor General in Council, on the recommendation of the Minister of Citizenship and Immigration, pursuant to subsection 5(1) of the Immigration and Refugee Protection Act, makes the annexed Regulations.", "Department of Citizenship and Immigration"},
		{"Her Excellency the Governor General in Council, on the recommendation of the Minister of Innovation, Science and Industry, under section 3 of the Telecommunications Act, makes the annexed Order.", "Department of Industry"},
		{"Her Excellency the Governor General in Council, on the recommendation of the Treasury Board, pursuant to section 7 of the Financial Administration Act, makes the annexed Regulations.", "Treasury Board"},
		{"The Minister of Transport, under section 4.71 of the Aeronautics Act, makes the annexed Regulations.", "Department of Transport"},
		// Office holders who are not a "Minister of": their department, never their title.
		{"Her Excellency the Governor General in Council, on the recommendation of the President of the Treasury Board, pursuant to section 7 of the Financial Administration Act, makes the annexed Regulations.", "Treasury Board"},
		{"His Excellency the Governor General in Council, on the recommendation of the Prime Minister, pursuant to section 2 of the Public Servants Disclosure Protection Act, makes the annexed Order.", "Privy Council Office"},
		{"His Excellency the Governor General in Council, on the recommendation of the President of the King’s Privy Council for Canada, pursuant to section 4 of the Canada Elections Act, makes the annexed Order.", "Privy Council Office"},
		{"His Excellency the Governor General in Council, on the recommendation of the Leader of the Government in the House of Commons, under section 3 of the Parliament of Canada Act, makes the annexed Order.", "Privy Council Office"},
		// A title not known is not a department: none is named.
		{"His Excellency the Governor General in Council, on the recommendation of the Chief Electoral Officer, pursuant to section 2 of the Canada Elections Act, makes the annexed Order.", ""},
		// "Whereas" alone does not make anything: no enacting clause, no department.
		{"Whereas, pursuant to subsection 5(2) of the Immigration and Refugee Protection Act, the Minister of Public Safety and Emergency Preparedness has caused a copy of the proposed Regulations to be laid before each House of Parliament;", ""},
	}
	for _, tt := range tests {
		got := recitalDepartment(blocks(wrapDoc("<p>" + tt.recital + "</p>")))
		if got != tt.want {
			t.Errorf("recitalDepartment(%.60q…) = %q, want %q", tt.recital, got, tt.want)
		}
	}
}

// wrapDoc parses a fragment as a whole document's body.
func wrapDoc(fragment string) *goquery.Selection {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<html><body>" + fragment + "</body></html>"))
	if err != nil {
		panic(err)
	}
	return doc.Find("body")
}

// Both layouts of the real Part I quarterly index: 2012 gives the Act as a paragraph (a
// <cite>, several, or plain text), 2014 as an <h4>. Each entry keeps its section, department
// and Act.
func TestParseIndexQuarterlyLayouts(t *testing.T) {
	t.Parallel()
	type want struct{ url, title, dept, act string }
	tests := []struct {
		year   string
		count  int
		checks []want
	}{
		{"2012", 369, []want{
			{"2012/2012-03-10/html/reg1-eng.html", "Regulations Amending the Immigration and Refugee Protection Regulations", "Citizenship and Immigration, Dept. of", "Immigration and Refugee Protection Act"},
			{"2012/2012-03-10/html/reg2-eng.html", "Regulations Amending the Credit Business Practices (Banks, Authorized Foreign Banks, Trust and Loan Companies, Retail Associations, Canadian Insurance Companies and Foreign Insurance Companies) Regulations", "Finance, Dept. of", "Bank Act, Cooperative Credit Associations Act, Insurance Companies Act and Trust and Loan Companies Act"},
			{"2012/2012-03-24/html/reg4-eng.html", "Personal Health Information Custodians in Newfoundland and Labrador Exemption Order", "Industry, Dept. of", "Personal Information Protection and Electronic Documents Act"},
			{"2012/2012-01-28/html/reg1-eng.html", "Order Amending the Approved Screening Devices Order", "Justice, Dept. of", "Criminal Code"},
			{"2012/2012-03-10/html/reg7-eng.html", "Regulations Amending the Transportation of Dangerous Goods Regulations (Amendment 11)", "Transport, Dept. of", "Transportation of Dangerous Goods Act, 1992"},
		}},
		{"2014", 336, []want{
			{"2014/2014-02-15/html/reg2-eng.html", "Regulations Amending the Immigration and Refugee Protection Regulations", "Canada Border Services Agency", "Immigration and Refugee Protection Act"},
			{"2014/2014-02-15/html/reg9-eng.html", "Regulations Amending the Royal Canadian Mounted Police Regulations, 1988", "Public Safety and Emergency Preparedness, Dept. of", "Royal Canadian Mounted Police Act"},
			{"2014/2014-03-01/html/reg1-eng.html", "Statement Limiting the Right to Equitable Remuneration of Certain Rome Convention or WPPT Countries", "Industry, Dept. of", "Copyright Act"},
		}},
	}
	for _, tt := range tests {
		b := sampletest.Read(t, "gazette-p1-"+tt.year+"-q1-index-eng.html")
		es, err := parseIndex(b, "https://gazette.gc.ca/rp-pr/p1/"+tt.year+"/indexq1-eng.html")
		if err != nil {
			t.Fatalf("parseIndex(%s q1) error = %v", tt.year, err)
		}
		if len(es) != tt.count {
			t.Errorf("parseIndex(%s q1) = %d entries, want %d", tt.year, len(es), tt.count)
		}
		byURL := map[string]entry{}
		proposals, withAct := 0, 0
		for _, e := range es {
			byURL[e.URL] = e
			if e.Section == "PROPOSED REGULATIONS" {
				proposals++
				if e.Act != "" {
					withAct++
				}
			}
		}
		if proposals == 0 || withAct != proposals {
			t.Errorf("parseIndex(%s q1): %d of %d proposals have an Act, want all", tt.year, withAct, proposals)
		}
		for _, w := range tt.checks {
			u := "https://gazette.gc.ca/rp-pr/p1/" + w.url
			e, ok := byURL[u]
			if !ok {
				t.Errorf("parseIndex(%s q1) has no entry %s", tt.year, u)
				continue
			}
			if e.Title != w.title || e.Department != w.dept || e.Act != w.act || e.Section != "PROPOSED REGULATIONS" {
				t.Errorf("parseIndex(%s q1) %s = title %q, dept %q, act %q, section %q;\nwant %q, %q, %q, PROPOSED REGULATIONS", tt.year, w.url, e.Title, e.Department, e.Act, e.Section, w.title, w.dept, w.act)
			}
		}
	}
}

// The Part II issue index variant a third party's test shows: the Act inside the link after a
// <br>, the title inverted around an em dash, the registration date as dd/mm/yy.
func TestParseIndexPartIIVariant(t *testing.T) {
	t.Parallel()
	page := wrap("Canada Gazette, Part II", `<h1 id="wb-cont" property="name">Canada Gazette, Part&nbsp;II, Volume 154, Number&nbsp;11</h1>
<p>May&nbsp;27,&nbsp;2020</p>
<h2>Registration</h2>
<table class="table"><tbody>
<tr><td><a href="sor-dors96-eng.html">Amnesty Period&nbsp;—&nbsp;Order Amending Certain Orders<br>
            Criminal Code</a></td><td>SOR/2020-96</td><td>01/05/20</td></tr>
<tr><td><a href="sor-dors97-eng.html">Canadian Turkey Marketing Quota Regulations, 1990&nbsp;—&nbsp;Regulations Amending the<br>Farm Products Agencies Act</a></td><td>SOR/2020-97</td><td>04/05/20</td></tr>
<tr><td><a href="sor-dors98-eng.html">Ship Fuel Charge Remission Order</a></td><td>SOR/2020-98</td><td>05/05/20</td></tr>
</tbody></table>`)
	es, err := parseIndex(page, "https://gazette.gc.ca/rp-pr/p2/2020/2020-05-27/html/index-eng.html")
	if err != nil {
		t.Fatalf("parseIndex(Part II variant) error = %v", err)
	}
	const p = "https://gazette.gc.ca/rp-pr/p2/2020/2020-05-27/html/"
	want := []struct{ url, title, act string }{
		{p + "sor-dors96-eng.html", "Amnesty Period — Order Amending Certain Orders", "Criminal Code"},
		{p + "sor-dors97-eng.html", "Regulations Amending the Canadian Turkey Marketing Quota Regulations, 1990", "Farm Products Agencies Act"},
		{p + "sor-dors98-eng.html", "Ship Fuel Charge Remission Order", ""},
	}
	if len(es) != len(want) {
		t.Fatalf("parseIndex(Part II variant) = %d entries, want %d: %+v", len(es), len(want), es)
	}
	for i, w := range want {
		e := es[i]
		if e.URL != w.url || e.Title != w.title || e.Act != w.act || e.Section != "Registration" {
			t.Errorf("parseIndex(Part II variant)[%d] = %q %q act %q section %q, want %q %q act %q", i, e.URL, e.Title, e.Act, e.Section, w.url, w.title, w.act)
		}
	}
}

func TestItemChecks(t *testing.T) {
	t.Parallel()
	days := 30
	reg := "SOR/2026-1"
	tests := []struct {
		r    billwatch.Regulation
		want []billwatch.FieldCheck
	}{
		{billwatch.Regulation{Part: "I", Department: "Department of Transport", CommentDays: &days}, []billwatch.FieldCheck{
			{Page: "gazette proposals", Field: "department", Found: true}, {Page: "gazette proposals", Field: "comment period", Found: true}}},
		{billwatch.Regulation{Part: "I"}, []billwatch.FieldCheck{
			{Page: "gazette proposals", Field: "department"}, {Page: "gazette proposals", Field: "comment period"}}},
		{billwatch.Regulation{Part: "II", Registration: &reg}, []billwatch.FieldCheck{
			{Page: "gazette regulations", Field: "department"}, {Page: "gazette regulations", Field: "registration", Found: true}}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, itemChecks(tt.r)); d != "" {
			t.Errorf("itemChecks(%+v) (-want +got):\n%s", tt.r, d)
		}
	}
}
