package diff

import (
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// samples is the folder of real pages shared by the project.
var samples = sampletest.Dir

func mustParse(t testing.TB, path string) *Document {
	t.Helper()
	d, err := ParseFile(path)
	if err != nil {
		t.Fatalf("ParseFile(%s): %v", filepath.Base(path), err)
	}
	return d
}

// find returns the provision with the cite, searching the whole tree.
func find(ps []*Provision, cite string) *Provision {
	for _, p := range ps {
		if p.Cite == cite {
			return p
		}
		if f := find(p.Children, cite); f != nil {
			return f
		}
	}
	return nil
}

func walkAll(ps []*Provision, fn func(*Provision)) {
	for _, p := range ps {
		fn(p)
		walkAll(p.Children, fn)
	}
}

func TestParseSmall(t *testing.T) {
	d := mustParse(t, "testdata/small-from.xml")
	if d.Bill != "C-99" || d.Version != "first-reading" || d.Title != "Example Act" {
		t.Errorf("ParseFile(small-from) = bill %q version %q title %q, want C-99 first-reading Example Act", d.Bill, d.Version, d.Title)
	}
	var top []string
	for _, p := range d.Provisions {
		top = append(top, p.Kind+" "+p.Cite)
	}
	want := []string{"section 1", "section 2", "section 3", "section 4", "section 5", "section 6", "section 7", "section 8", "schedule SCHEDULE"}
	if diff := cmp.Diff(want, top); diff != "" {
		t.Errorf("ParseFile(small-from) top-level provisions (-want +got):\n%s", diff)
	}
	tests := []struct {
		cite, kind, note, text, heading string
	}{
		{"1", "section", "Short title", "This Act may be cited as the Example Act.", "Short Title"},
		{"2(2)", "subsection", "Annual report", "The Minister shall report annually to Parliament on the number of requests.", "PART 1 Powers"},
		{"4(b)", "paragraph", "", "the information sought is in the possession of the person named; and", "PART 1 Powers"},
		{"in the Act enacted by s. 6, s. 2", "section", "Audit", "The Commissioner may audit any disclosure made under the Example Act.", ""},
		{"in the Act enacted by s. 6, long title", "long title", "", "An Act respecting oversight", ""},
		{"in the amendment made by s. 7, s. 9", "section", "Notice", "The head of the institution shall notify the Privacy Commissioner within 60 days.", "PART 1 Powers"},
		{"SCHEDULE, item 2", "row", "", "2 | Office of the Registrar", ""},
	}
	for _, tt := range tests {
		p := find(d.Provisions, tt.cite)
		if p == nil {
			t.Errorf("ParseFile(small-from): no provision %q", tt.cite)
			continue
		}
		got := [4]string{p.Kind, p.MarginalNote, p.Text, p.Heading}
		want := [4]string{tt.kind, tt.note, tt.text, tt.heading}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseFile(small-from) %s [kind note text heading] (-want +got):\n%s", tt.cite, diff)
		}
	}
	walkAll(d.Provisions, func(p *Provision) {
		if strings.Contains(p.Text, "must never appear") || strings.Contains(p.Text, "Clause") {
			t.Errorf("ParseFile(small-from) %s holds explanatory-note text: %q", p.Cite, p.Text)
		}
		if strings.Contains(p.Text, "His Majesty") || strings.Contains(p.Text, "enactment is an example") {
			t.Errorf("ParseFile(small-from) %s holds introduction text: %q", p.Cite, p.Text)
		}
	})
}

func TestParseNormalises(t *testing.T) {
	d := mustParse(t, "testdata/small-to.xml")
	tests := []struct{ cite, text string }{
		// en space, newline and indentation, no-break space
		{"1", "This Act may be cited as the Example Act."},
		// soft hyphen
		{"2(2)", "The Minister shall report annually to Parliament on the number of requests."},
		// ligature ﬃ
		{"SCHEDULE, item 3", "3 | Office of the Commissioner"},
	}
	for _, tt := range tests {
		p := find(d.Provisions, tt.cite)
		if p == nil {
			t.Fatalf("ParseFile(small-to): no provision %q", tt.cite)
		}
		if p.Text != tt.text {
			t.Errorf("ParseFile(small-to) %s = %q, want %q", tt.cite, p.Text, tt.text)
		}
	}
	marked := map[string]bool{}
	walkAll(d.Provisions, func(p *Provision) {
		if p.Marked {
			marked[p.Cite] = true
		}
	})
	want := map[string]bool{"2(1)": true, "4.1": true, "in the Act enacted by s. 5, s. 2": true}
	if diff := cmp.Diff(want, marked); diff != "" {
		t.Errorf("ParseFile(small-to) Ins/change=ins hints (-want +got):\n%s", diff)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"  e\uFB00ect of the \uFB01rst  ", "effect of the first"},
		{"thin\u2009space\u2002en\u00A0nbsp", "thin space en nbsp"},
		{"soft\u00ADhyphen zero\u200Bwidth", "softhyphen zerowidth"},
		{"line\r\nbreak\ttab", "line break tab"},
		{"curly ’quotes’ kept", "curly ’quotes’ kept"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseBadInput(t *testing.T) {
	small, err := os.ReadFile("testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      string
		want    string // in the message
		notBill bool
	}{
		{"empty", "", "empty input", false},
		{"blank", " \n\t", "empty input", false},
		{"bom only", "\xef\xbb\xbf", "empty input", false},
		{"not xml", "%PDF-1.7 binary", "parse bill xml", false},
		{"truncated", string(small[:len(small)/2]), "parse bill xml", false},
		{"unclosed", "<Bill><Body><Section><Label>1</Label>", "truncated", false},
		{"committee evidence", `<?xml version="1.0"?><Hansard><Intervention/></Hansard>`, "root element is <Hansard>", true},
		{"html page", `<html><body><p>Page not found</p></body></html>`, "root element is <html>", true},
		{"no body", `<Bill><Identification><BillNumber>C-1</BillNumber></Identification></Bill>`, "no <Body>", true},
		{"empty body", `<Bill><Body></Body></Bill>`, "no provisions", true},
		{"two roots", `<Bill><Body><Section><Label>1</Label><Text>x</Text></Section></Body></Bill><Bill/>`, "more than one root", false},
	}
	for _, tt := range tests {
		_, err := ParseBytes([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseBytes(%s) = nil error, want one containing %q", tt.name, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "diff: ") {
			t.Errorf("ParseBytes(%s) = %q, want a message containing %q", tt.name, err, tt.want)
		}
		if got := errors.Is(err, ErrNotBill); got != tt.notBill {
			t.Errorf("ParseBytes(%s): errors.Is(err, ErrNotBill) = %v, want %v (err %v)", tt.name, got, tt.notBill, err)
		}
	}
}

func TestParseFileNamesFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "broken.xml")
	if err := os.WriteFile(p, []byte("<Bill><Body>"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ParseFile(p)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("ParseFile(broken.xml) = %v, want an error naming %s", err, p)
	}
	_, err = ParseFile(filepath.Join(dir, "missing.xml"))
	if err == nil || !strings.Contains(err.Error(), "missing.xml") {
		t.Errorf("ParseFile(missing.xml) = %v, want an error naming the file", err)
	}
}

func TestParseCommitteeEvidenceSample(t *testing.T) {
	for _, name := range []string{"committee-evidence-SRSR-44-1-053-en.xml", "committee-evidence-ETHI-44-1-033-fr.xml"} {
		_, err := ParseFile(sampletest.Path(t, name))
		if !errors.Is(err, ErrNotBill) || !strings.Contains(err.Error(), name) {
			t.Errorf("ParseFile(%s) = %v, want ErrNotBill naming the file", name, err)
		}
	}
}

func TestParseRealBills(t *testing.T) {
	tests := []struct {
		file, bill, version string
		minTop              int
		cites               []string
	}{
		{"bill-45-1-C-8-first-reading.xml", "C-8", "first-reading", 17,
			[]string{"2", "in the amendment made by s. 2, s. 15.1(1)", "in the Act enacted by s. 11, s. 9(1)", "in the Act enacted by s. 11, long title", "SCHEDULE"}},
		{"bill-45-1-C-8-as-amended-by-committee.xml", "C-8", "amended-by-committee", 18,
			[]string{"17(1)", "in the amendment made by s. 2, s. 15.01", "in the Act enacted by s. 11, s. 148"}},
		{"bill-45-1-C-8-third-reading.xml", "C-8", "passed-house", 18, []string{"17(3)"}},
		{"bill-45-1-C-8-royal-assent.xml", "C-8", "royal-assent", 18, []string{"17(3)"}},
		{"bill-44-1-C-26-third-reading.xml", "C-26", "passed-house", 10, []string{"1"}},
	}
	for _, tt := range tests {
		d := mustParse(t, sampletest.Path(t, tt.file))
		if d.Bill != tt.bill || d.Version != tt.version || len(d.Provisions) < tt.minTop {
			t.Errorf("ParseFile(%s) = bill %q version %q %d top-level, want %s %s ≥%d",
				tt.file, d.Bill, d.Version, len(d.Provisions), tt.bill, tt.version, tt.minTop)
		}
		for _, c := range tt.cites {
			if find(d.Provisions, c) == nil {
				t.Errorf("ParseFile(%s): no provision %q", tt.file, c)
			}
		}
		walkAll(d.Provisions, func(p *Provision) {
			for _, bad := range []string{"\uFB01", "\uFB00", "\u00AD", "\u2002", "\u2009", "\u00A0", "\r", "\n", "  "} {
				if strings.Contains(p.Text, bad) || strings.Contains(p.MarginalNote, bad) {
					t.Errorf("ParseFile(%s) %s text holds %q after normalisation", tt.file, p.Cite, bad)
				}
			}
			if strings.HasPrefix(p.Text, "Existing text") || strings.Contains(p.Text, "Relevant portion of") {
				t.Errorf("ParseFile(%s) %s holds explanatory-note text %q", tt.file, p.Cite, p.Text)
			}
		})
	}
}
