package gazette

import (
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch/scraper"
)

// docs keeps the entries that link one regulation's page, without the unexported location.
func docs(es []entry) []entry {
	var out []entry
	for _, e := range es {
		if e.document() {
			e.loc = location{}
			out = append(out, e)
		}
	}
	return out
}

func TestParseIndex(t *testing.T) {
	const p1 = "https://gazette.gc.ca/rp-pr/p1/2026/"
	tests := []struct {
		name, file, url string
		want            []entry
	}{
		{"Part I 2026-11-14", "1/gazette/rp-pr/p1/2026/2026-11-14/html/index-eng.html", p1 + "2026-11-14/html/index-eng.html", []entry{
			{URL: p1 + "2026-11-14/html/reg2-eng.html", Title: "Regulations Amending the Canada Grain Regulations",
				Section: "PROPOSED REGULATIONS", Department: "Canadian Grain Commission", Act: "Canada Grain Act"},
			{URL: p1 + "2026-11-14/html/reg1-eng.html", Title: "Regulations Amending the Atlantic Fishery Regulations, 1985 (Snow Crab)",
				Section: "PROPOSED REGULATIONS", Department: "Fisheries and Oceans, Dept. of", Act: "Fisheries Act"},
			{URL: p1 + "2026-11-14/html/reg3-eng.html", Title: "Regulations Amending the Royal Canadian Mounted Police Regulations, 2014 (Conduct Investigations)",
				Section: "PROPOSED REGULATIONS", Department: "Royal Canadian Mounted Police", Act: "Royal Canadian Mounted Police Act"},
		}},
		{"Part I 2026-09-12, item on another host name", "1/gazette/rp-pr/p1/2026/2026-09-12/html/index-eng.html", p1 + "2026-09-12/html/index-eng.html", []entry{
			{URL: p1 + "2026-09-12/html/reg1-eng.html", Title: "Regulations Amending the Secure Air Travel Regulations",
				Section: "PROPOSED REGULATIONS", Department: "Public Safety and Emergency Preparedness, Dept. of", Act: "Secure Air Travel Act"},
		}},
		{"Part I 2026-11-07, notices only", "1/gazette/rp-pr/p1/2026/2026-11-07/html/index-eng.html", p1 + "2026-11-07/html/index-eng.html", nil},
		{"Part II 2026-11-11, Act after <br>", "1/gazette/rp-pr/p2/2026/2026-11-11/html/index-eng.html", "https://gazette.gc.ca/rp-pr/p2/2026/2026-11-11/html/index-eng.html", []entry{
			{URL: "https://gazette.gc.ca/rp-pr/p2/2026/2026-11-11/html/sor-dors220-eng.html", Title: "Regulations Amending the Fishery (General) Regulations",
				Section: "Registration", Act: "Fisheries Act"},
			{URL: "https://gazette.gc.ca/rp-pr/p2/2026/2026-11-11/html/si-tr45-eng.html", Title: "Order Fixing December 1, 2026 as the Day on Which Certain Provisions of the Canada Grain Act Come into Force",
				Section: "Registration", Act: "Canada Grain Act"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := parseIndex(fixture(t, tt.file), tt.url)
			if err != nil {
				t.Fatalf("parseIndex(%s) error = %v", tt.name, err)
			}
			if d := cmp.Diff(tt.want, docs(es), cmp.AllowUnexported(entry{}, location{})); d != "" {
				t.Errorf("parseIndex(%s) mismatch (-want +got):\n%s", tt.name, d)
			}
		})
	}
}

// The real quarterly index has the structure of the issue indexes: <h2> sections, <h3>
// departments, <h4> Acts, and relative links into the issues.
func TestParseIndexQuarterlySample(t *testing.T) {
	b := sampletest.Read(t, "gazette-p1-2025-q2-quarterly-index-eng.html")
	es, err := parseIndex(b, "https://gazette.gc.ca/rp-pr/p1/2025/indexq2-eng.html")
	if err != nil {
		t.Fatalf("parseIndex(indexq2) error = %v", err)
	}
	const p = "https://gazette.gc.ca/rp-pr/p1/2025/2025-06-28/html/"
	want := []entry{
		{URL: p + "reg1-eng.html", Title: "Regulations Amending Certain Regulations Made Under the Canada Labour Code (Leave Related to Pregnancy Loss, Bereavement Leave and Leave for Placement of Child)",
			Section: "PROPOSED REGULATIONS", Department: "Employment and Social Development, Dept. of", Act: "Canada Labour Code"},
		{URL: p + "reg3-eng.html", Title: "Order Amending Schedule IX to the Controlled Drugs and Substances Act",
			Section: "PROPOSED REGULATIONS", Department: "Health, Dept. of", Act: "Controlled Drugs and Substances Act"},
		{URL: p + "reg2-eng.html", Title: "Regulations Amending the Precursor Control Regulations (Increased Regulatory Oversight)",
			Section: "PROPOSED REGULATIONS", Department: "Health, Dept. of", Act: "Controlled Drugs and Substances Act"},
		{URL: p + "reg4-eng.html", Title: "Order Repealing the Order Establishing Supplementary Rules Respecting the Sale of Natural Health Products Containing Ephedrine or Pseudoephedrine",
			Section: "PROPOSED REGULATIONS", Department: "Health, Dept. of", Act: "Food and Drugs Act"},
	}
	if d := cmp.Diff(want, docs(es), cmp.AllowUnexported(entry{}, location{})); d != "" {
		t.Errorf("parseIndex(indexq2) proposals (-want +got):\n%s", d)
	}
	// Notices sit under their department and Act too, and links to the issue indexes are not entries.
	found := false
	depts := map[string]bool{}
	for _, e := range es {
		depts[e.Department] = true
		if e.loc.slug == "index" {
			t.Errorf("parseIndex(indexq2) kept an issue index link %s", e.URL)
		}
		if !found && e.URL == "https://gazette.gc.ca/rp-pr/p1/2025/2025-05-10/html/notice-avis-eng.html" {
			found = true
			want := entry{URL: e.URL, Title: "Designation as fingerprint examiner [Belleville Police Service]", Section: "GOVERNMENT NOTICES",
				Department: "Public Safety and Emergency Preparedness, Dept. of", Act: "Criminal Code"}
			e.loc = location{}
			if d := cmp.Diff(want, e, cmp.AllowUnexported(entry{}, location{})); d != "" {
				t.Errorf("parseIndex(indexq2) Public Safety notice (-want +got):\n%s", d)
			}
		}
	}
	if !found {
		t.Errorf("parseIndex(indexq2) has no entry for the Public Safety notices of 2025-05-10")
	}
	for _, d := range []string{"Canada Border Services Agency", "Transport, Dept. of", "Justice, Dept. of", "Health, Dept. of"} {
		if !depts[d] {
			t.Errorf("parseIndex(indexq2) departments lack %q", d)
		}
	}
}

func TestParseIndexErrors(t *testing.T) {
	const u = "https://gazette.gc.ca/rp-pr/p2/2026/2026-12-09/html/index-eng.html"
	tests := []struct {
		name string
		in   []byte
		err  error
	}{
		{"soft 404", testdata(t, "soft404.html"), scraper.ErrNotFound},
		{"a page with no link into an issue", wrap("Canada Gazette", `<h1 id="wb-cont">Canada Gazette</h1><p>Welcome.</p>`), scraper.ErrLayoutChanged},
		{"cut short", fixture(t, "1/gazette/rp-pr/p1/2026/2026-11-14/html/index-eng.html")[:5000], ErrTruncated},
		{"JSON", []byte(`{"error": "maintenance"}`), scraper.ErrLayoutChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseIndex(tt.in, u)
			if !errors.Is(err, tt.err) {
				t.Errorf("parseIndex(%s) error = %v, want %v", tt.name, err, tt.err)
			}
		})
	}
	// A true zero: the issue says no regulation was registered.
	es, err := parseIndex(wrap("Canada Gazette, Part 2, Volume 160, Number 25", `<h1 id="wb-cont">Canada Gazette, Part&nbsp;II, Volume 160, Number&nbsp;25</h1>
<p>December 9, 2026</p><p>No regulatory text was registered for publication in this issue.</p>`), u)
	if err != nil || len(es) != 0 {
		t.Errorf("parseIndex(no regulatory text) = %v, %v; want no entries and no error", es, err)
	}
}

func TestDepartmentName(t *testing.T) {
	for in, want := range map[string]string{
		"Public Safety and Emergency Preparedness, Dept. of":      "Department of Public Safety and Emergency Preparedness",
		"Environment, Dept. of the":                               "Department of the Environment",
		"Superintendent of Financial Institutions, Office of the": "Office of the Superintendent of Financial Institutions",
		"Canada Border Services Agency":                           "Canada Border Services Agency",
	} {
		if got := departmentName(in); got != want {
			t.Errorf("departmentName(%q) = %q, want %q", in, got, want)
		}
	}
}
