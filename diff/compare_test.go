package diff

import (
	"bytes"
	"flag"
	"github.com/billwatch/billwatch/internal/sampletest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test ./diff -update)", name, err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("output differs from %s (-want +got; go test ./diff -update rewrites it):\n%s", path, diff)
	}
}

// findChange returns the change with the label (or from label), searching the whole tree.
func findChange(cs []Change, label string) *Change {
	for i := range cs {
		if cs[i].Label == label || cs[i].FromLabel == label {
			return &cs[i]
		}
		if f := findChange(cs[i].Children, label); f != nil {
			return f
		}
	}
	return nil
}

func opsText(ops []Op, op string) string {
	var parts []string
	for _, o := range ops {
		if o.Op == op {
			parts = append(parts, strings.TrimSpace(o.Text))
		}
	}
	return strings.Join(parts, " | ")
}

func compareFiles(t *testing.T, a, b string) *Result {
	t.Helper()
	r, err := CompareFiles(a, b)
	if err != nil {
		t.Fatalf("CompareFiles(%s, %s): %v", filepath.Base(a), filepath.Base(b), err)
	}
	return r
}

func TestCompareSmall(t *testing.T) {
	r := compareFiles(t, "testdata/small-from.xml", "testdata/small-to.xml")
	want := Summary{Added: 1, Removed: 1, Amended: 2, Renumbered: 5, Unchanged: 1}
	if diff := cmp.Diff(want, r.Summary); diff != "" {
		t.Errorf("Compare(small from→to) summary (-want +got):\n%s", diff)
	}
	tests := []struct {
		label, change, from, to, deleted, inserted string
	}{
		{"2", Amended, "2", "2", "", ""},
		{"2(1)", Amended, "2(1)", "2(1)", "shall | 30", "may | 60 | and despite any other Act"},
		{"3", Removed, "3", "", "Within five years after this section comes into force, a comprehensive review of this Act must be undertaken by a committee of Parliament.", ""},
		{"4", Renumbered, "4", "3", "believe", "suspect"},
		{"4(b)", Removed, "4(b)", "", "the information sought is in the possession of the person named; and", ""},
		{"3(b)", Renumbered, "4(c)", "3(b)", "", ""},
		{"5", Renumbered, "5", "4", "", ""},
		{"4.1", Added, "", "4.1", "", "Part 1 ceases to have effect five years after the day on which this Act receives royal assent."},
		{"in the Act enacted by s. 5, s. 2", Amended, "in the Act enacted by s. 6, s. 2", "in the Act enacted by s. 5, s. 2", "may", "must"},
		{"SCHEDULE, item 3", Added, "", "SCHEDULE, item 3", "", "3 | Office of the Commissioner"},
	}
	for _, tt := range tests {
		c := findChange(r.Provisions, tt.label)
		if c == nil {
			t.Errorf("Compare(small from→to): no change %q", tt.label)
			continue
		}
		got := [5]string{c.Change, c.FromLabel, c.ToLabel, opsText(c.Ops, OpDelete), opsText(c.Ops, OpInsert)}
		want := [5]string{tt.change, tt.from, tt.to, tt.deleted, tt.inserted}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Compare(small from→to) %s [change from to deleted inserted] (-want +got):\n%s", tt.label, diff)
		}
	}
	if c := findChange(r.Provisions, "1"); c != nil {
		t.Errorf("Compare(small from→to) reports s. 1 as %s; its only differences are spaces and an Ins hint", c.Change)
	}
	var codes []string
	for _, f := range r.Flags {
		codes = append(codes, f.Code+" @ "+f.Where)
	}
	wantCodes := []string{
		"duty.removed @ s. 2(1)", "override.added @ s. 2(1)", "period.changed @ s. 2(1)",
		"oversight.removed @ former s. 3", "period.removed @ former s. 3",
		"threshold.lowered @ s. 3",
		"period.added @ s. 4.1", "sunset.added @ s. 4.1",
		"duty.added @ the Act enacted by s. 5, s. 2",
		"oversight.added @ SCHEDULE, item 3",
	}
	if diff := cmp.Diff(wantCodes, codes); diff != "" {
		t.Errorf("Compare(small from→to) flags (-want +got):\n%s", diff)
	}
}

func TestRenumberedNotRewritten(t *testing.T) {
	// 11 is deleted; 12..20 become 11..19 with their cross-references updated.
	mk := func(labels []int, deleted int) []byte {
		var sb strings.Builder
		sb.WriteString("<Bill><Body>")
		n := labels[0]
		for _, l := range labels {
			if l == deleted {
				continue
			}
			sb.WriteString("<Section><MarginalNote>Note " + itoa(l) + "</MarginalNote><Label>" + itoa(n) + "</Label><Text>")
			sb.WriteString("Provision number " + itoa(l) + " says that the registrar of the " + itoa(l) + "th office keeps a register of every application made under section " + itoa(n) + " and must publish it.")
			sb.WriteString("</Text></Section>")
			n++
		}
		sb.WriteString("</Body></Bill>")
		return []byte(sb.String())
	}
	labels := []int{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	a, b := mk(labels, -1), mk(labels, 11)
	r, err := CompareBytes(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Removed: 1, Renumbered: 9, Unchanged: 1}
	if diff := cmp.Diff(want, r.Summary); diff != "" {
		t.Errorf("Compare(11 deleted, 12..20 → 11..19) summary (-want +got):\n%s", diff)
	}
	for _, c := range r.Provisions {
		if c.ToLabel == "12" && (c.Change != Renumbered || c.FromLabel != "13") {
			t.Errorf("Compare(11 deleted) new 12 = %s from %s, want renumbered from 13", c.Change, c.FromLabel)
		}
	}
	if got, want := r.Brief(), "removed 1 section: 11; renumbered 9 sections: 12 → 11, 13 → 12"; !strings.HasPrefix(got, want) {
		t.Errorf("Brief(11 deleted) = %q, want prefix %q", got, want)
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestCompareC8Committee(t *testing.T) {
	r := compareFiles(t, sampletest.Path(t, "bill-45-1-C-8-first-reading.xml"), sampletest.Path(t, "bill-45-1-C-8-as-amended-by-committee.xml"))
	want := Summary{Added: 1, Amended: 2, Unchanged: 15}
	if diff := cmp.Diff(want, r.Summary); diff != "" {
		t.Errorf("Compare(C-8 first→committee) summary (-want +got):\n%s", diff)
	}
	tests := []struct {
		label, change, inserted, deleted string
	}{
		{"17", Added, "", ""},
		{"17(1)", Added, "Within five years after the day on which this Act receives royal assent, the Minister must complete a review of the provisions enacted or amended by this Act.", ""},
		{"in the amendment made by s. 2, s. 15.01", Added, "For greater certainty, in sections 15.1, 15.2, 15.5 and 15.7, interference with or manipulation, disruption or degradation of a telecommunications system include actions of a technical nature that impede the operation of the telecommunications system but do not include the effect of lawful expression, persuasion or political debate.", ""},
		{"in the amendment made by s. 2, s. 15.1(1)", Amended, "and that it is reasonable in relation to the gravity of that threat,", ""},
		{"in the amendment made by s. 2, s. 15.1(2)", Amended, "necessary and", ""},
		{"in the amendment made by s. 2, s. 15.2(2.1)", Added, "Despite subsection (2), the Minister must not order the decoding of an encrypted private communication, as defined in section 183 of the Criminal Code.", ""},
		{"in the amendment made by s. 2, s. 15.4", Amended, "reasonable to provide in relation to the gravity of the threat and necessary", "relevant"},
		{"in the Act enacted by s. 11, s. 91(a)", Amended, "500,000", "1,000,000"},
		{"in the Act enacted by s. 11, s. 135(2)", Amended, "must, to the extent possible, | and standards | or recognized industry standards development organizations", "may seek to"},
		{"in the Act enacted by s. 11, s. 148", Added, "Nothing in this Act may be construed as affecting solicitor-client privilege or, in Quebec, the professional secrecy of advocates and notaries.", ""},
	}
	for _, tt := range tests {
		c := findChange(r.Provisions, tt.label)
		if c == nil {
			t.Errorf("Compare(C-8 first→committee): no change %q", tt.label)
			continue
		}
		got := [3]string{c.Change, opsText(c.Ops, OpInsert), opsText(c.Ops, OpDelete)}
		want := [3]string{tt.change, tt.inserted, tt.deleted}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Compare(C-8 first→committee) %s [change inserted deleted] (-want +got):\n%s", tt.label, diff)
		}
	}
	// No noise: nothing from explanatory notes, and no change that is only ligatures,
	// spacing or a page break.
	var check func(cs []Change)
	check = func(cs []Change) {
		for _, c := range cs {
			del, ins := opsText(c.Ops, OpDelete), opsText(c.Ops, OpInsert)
			if c.Change == Amended && del != "" && ins != "" && strings.ReplaceAll(del, " ", "") == strings.ReplaceAll(ins, " ", "") {
				t.Errorf("Compare(C-8 first→committee) %s: spurious change %q → %q", c.Label, del, ins)
			}
			for _, o := range c.Ops {
				if strings.Contains(o.Text, "Existing text") || strings.ContainsAny(o.Text, "\uFB00\uFB01\u00AD\u2002") {
					t.Errorf("Compare(C-8 first→committee) %s: noise in %s op %q", c.Label, o.Op, o.Text)
				}
			}
			check(c.Children)
		}
	}
	check(r.Provisions)
	for _, label := range []string{"1", "3", "4", "12", "16", "SCHEDULE"} {
		if c := findChange(r.Provisions, label); c != nil {
			t.Errorf("Compare(C-8 first→committee) reports %s as %s; the committee did not change it", label, c.Change)
		}
	}
	codes := map[string]bool{}
	for _, f := range r.Flags {
		codes[f.Code+" @ "+f.Where] = true
	}
	for _, want := range []string{
		"duty.added @ the Act enacted by s. 11, s. 135(2)",
		"penalty.changed @ the Act enacted by s. 11, s. 91(a)",
		"oversight.added @ s. 17(1)",
		"period.added @ s. 17(1)",
	} {
		if !codes[want] {
			t.Errorf("Compare(C-8 first→committee) flags lack %s; have %v", want, codes)
		}
	}
	brief := r.Brief()
	for _, want := range []string{"committee amended 2 sections: 2, 11; added 1 section: 17", "in the Act enacted by s. 11: amended s. 2, s. 20, s. 91, s. 135", "may → must"} {
		if !strings.Contains(brief, want) {
			t.Errorf("Brief(C-8 first→committee) = %q, want it to contain %q", brief, want)
		}
	}
}

func TestCompareC8NoChangeAfterCommittee(t *testing.T) {
	pairs := [][2]string{
		{"bill-45-1-C-8-third-reading.xml", "bill-45-1-C-8-royal-assent.xml"},
		{"bill-45-1-C-8-as-amended-by-committee.xml", "bill-45-1-C-8-third-reading.xml"},
	}
	for _, p := range pairs {
		r := compareFiles(t, sampletest.Path(t, p[0]), sampletest.Path(t, p[1]))
		if r.Summary.Changed() || len(r.Provisions) != 0 || len(r.Flags) != 0 {
			t.Errorf("Compare(%s→%s) = %+v with %d changes, want no change to law text", p[0], p[1], r.Summary, len(r.Provisions))
		}
		if got := r.Brief(); got != NoChange {
			t.Errorf("Brief(%s→%s) = %q, want %q", p[0], p[1], got, NoChange)
		}
	}
}

func TestCompareSelf(t *testing.T) {
	files := []string{"testdata/small-from.xml", "testdata/small-to.xml"}
	if _, err := os.Stat(samples); err == nil {
		matches, _ := filepath.Glob(filepath.Join(samples, "bill-*.xml"))
		files = append(files, matches...)
	}
	for _, f := range files {
		d := mustParse(t, f)
		d2 := mustParse(t, f)
		r := Compare(d, d2)
		if r.Summary.Changed() || len(r.Provisions) != 0 || r.Summary.Unchanged != len(d.Provisions) {
			t.Errorf("Compare(%s, itself) = %+v, want all %d unchanged", filepath.Base(f), r.Summary, len(d.Provisions))
		}
	}
}

func TestCompareBytesNamesSide(t *testing.T) {
	good, err := os.ReadFile("testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompareBytes(good, []byte("<Hansard/>")); err == nil || !strings.Contains(err.Error(), "to version") {
		t.Errorf("CompareBytes(good, hansard) = %v, want an error about the to version", err)
	}
	if _, err := CompareBytes(nil, good); err == nil || !strings.Contains(err.Error(), "from version") {
		t.Errorf("CompareBytes(empty, good) = %v, want an error about the from version", err)
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct {
		a, b string
		want []Op
	}{
		{"The Minister shall act.", "The Minister may act.",
			[]Op{{OpEqual, "The Minister "}, {OpDelete, "shall"}, {OpInsert, "may"}, {OpEqual, " act."}}},
		{"within 30 days", "within 60 days",
			[]Op{{OpEqual, "within "}, {OpDelete, "30"}, {OpInsert, "60"}, {OpEqual, " days"}}},
		{"a fine of $1,000,000", "a fine of $500,000",
			[]Op{{OpEqual, "a fine of $"}, {OpDelete, "1,000,000"}, {OpInsert, "500,000"}}},
		{"the Minister’s order", "the Minister's order", []Op{{OpEqual, "the Minister's order"}}},
		{"", "new text", []Op{{OpInsert, "new text"}}},
		{"old text", "", []Op{{OpDelete, "old text"}}},
	}
	for _, tt := range tests {
		got := wordDiff(tt.a, tt.b)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("wordDiff(%q, %q) (-want +got):\n%s", tt.a, tt.b, diff)
		}
		var a, b strings.Builder
		for _, o := range got {
			if o.Op != OpInsert {
				a.WriteString(o.Text)
			}
			if o.Op != OpDelete {
				b.WriteString(o.Text)
			}
		}
		if fold(a.String()) != fold(tt.a) || b.String() != tt.b {
			t.Errorf("wordDiff(%q, %q) does not round-trip: %q, %q", tt.a, tt.b, a.String(), b.String())
		}
	}
}

func TestFlags(t *testing.T) {
	p := &Provision{local: "31"}
	tests := []struct {
		old, new string
		want     []string
	}{
		{"The Minister may disclose it.", "The Minister shall disclose it.", []string{"duty.added"}},
		{"The Minister must disclose it.", "The Minister may disclose it.", []string{"duty.removed"}},
		{"if there are reasonable grounds to believe that", "if there are reasonable grounds to suspect that", []string{"threshold.lowered"}},
		{"The order is valid.", "Despite any other Act, the order is valid.", []string{"override.added"}},
		{"Notwithstanding section 4, the order is valid.", "The order is valid.", []string{"override.removed"}},
		{"within 30 days after", "within 60 days after", []string{"period.changed"}},
		{"within five years", "within 5 years", nil},
		{"The order expires after one year.", "The order remains in force.", []string{"period.removed", "sunset.removed"}},
		{"The Minister acts.", "The Minister acts and reports to Parliament.", []string{"oversight.added"}},
		{"A person who does it commits a wrong.", "A person who does it is guilty of an offence and liable to imprisonment.", []string{"offence.added"}},
		{"a fine of not more than $10,000", "a fine of not more than $100,000", []string{"penalty.changed"}},
		{"The Minister may act.", "The Minister may act promptly.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range flagsFor(tt.old, tt.new, wordDiff(tt.old, tt.new), p) {
			got = append(got, f.Code)
			if !strings.HasSuffix(f.Text, " in s. 31") {
				t.Errorf("flagsFor(%q → %q) text %q does not end with its place", tt.old, tt.new, f.Text)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("flagsFor(%q → %q) (-want +got):\n%s", tt.old, tt.new, diff)
		}
	}
}

func TestGolden(t *testing.T) {
	type gold struct {
		name, from, to string
	}
	cases := []gold{{"small", "testdata/small-from.xml", "testdata/small-to.xml"}}
	if _, err := os.Stat(samples); err == nil {
		cases = append(cases, gold{"c8-committee",
			filepath.Join(samples, "bill-45-1-C-8-first-reading.xml"),
			filepath.Join(samples, "bill-45-1-C-8-as-amended-by-committee.xml")})
	} else {
		t.Logf("real samples absent (%v): golden c8-committee not checked", err)
	}
	for _, c := range cases {
		r := compareFiles(t, c.from, c.to)
		for _, f := range []struct{ format, ext string }{{"json", "json"}, {"markdown", "md"}} {
			var buf bytes.Buffer
			if err := Render(&buf, r, f.format, false); err != nil {
				t.Fatalf("Render(%s, %s): %v", c.name, f.format, err)
			}
			golden(t, c.name+"."+f.ext, buf.Bytes())
		}
	}
}
