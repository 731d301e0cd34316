package diff

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func smallResult(t *testing.T) *Result {
	t.Helper()
	return compareFiles(t, "testdata/small-from.xml", "testdata/small-to.xml")
}

func render(t *testing.T, r *Result, format string, color bool) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, format, color); err != nil {
		t.Fatalf("Render(%s): %v", format, err)
	}
	return buf.String()
}

func TestRenderText(t *testing.T) {
	r := smallResult(t)
	plain := render(t, r, "text", false)
	for _, want := range []string{
		"Bill C-99: first-reading → amended-by-committee",
		"amended 2, added 1, removed 1, renumbered 5, unchanged 1",
		"The Minister [-shall-]{+may+}, within [-30-]{+60+} days",
		"s. 4 → s. 3 [renumbered] Warrant",
		"! shall → may: a duty becomes a discretion in s. 2(1) [duty.removed]",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("Render(small, text) lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "\x1b[") {
		t.Errorf("Render(small, text, no colour) holds ANSI escapes")
	}
	colour := render(t, r, "text", true)
	for _, want := range []string{ansiDel + "shall" + ansiReset, ansiIns + "may" + ansiReset} {
		if !strings.Contains(colour, want) {
			t.Errorf("Render(small, text, colour) lacks %q", want)
		}
	}
	if strings.Contains(colour, "[-") {
		t.Errorf("Render(small, text, colour) holds plain markers")
	}
}

func TestRenderNoChange(t *testing.T) {
	d := mustParse(t, "testdata/small-from.xml")
	r := Compare(d, d)
	for _, f := range Formats {
		out := render(t, r, f, false)
		if f != "json" && !strings.Contains(strings.ToLower(out), NoChange) {
			t.Errorf("Render(no change, %s) does not say %q:\n%s", f, NoChange, out)
		}
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(render(t, r, "json", false)), &got); err != nil {
		t.Fatal(err)
	}
	if ps, ok := got["provisions"].([]any); !ok || len(ps) != 0 {
		t.Errorf("Render(no change, json) provisions = %v, want []", got["provisions"])
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	err := Render(&bytes.Buffer{}, smallResult(t), "pdf", false)
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("Render(pdf) = %v, want an error naming the format", err)
	}
}

// TestRenderJSONContract checks the keys the contract requires, by name and type.
func TestRenderJSONContract(t *testing.T) {
	var got struct {
		From, To string
		Summary  map[string]int
		Provs    []map[string]json.RawMessage `json:"provisions"`
	}
	if err := json.Unmarshal([]byte(render(t, smallResult(t), "json", false)), &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got.Summary {
		keys = append(keys, k)
	}
	if len(got.Summary) != 5 || got.From != "first-reading" || got.To != "amended-by-committee" {
		t.Errorf("Render(json) from %q to %q summary keys %v, want first-reading, amended-by-committee and 5 counts", got.From, got.To, keys)
	}
	for _, p := range got.Provs {
		for _, k := range []string{"label", "marginal_note", "change", "from_label", "to_label", "ops", "children"} {
			if _, ok := p[k]; !ok {
				t.Errorf("Render(json) provision %s lacks key %q", p["label"], k)
			}
		}
		var ch string
		json.Unmarshal(p["change"], &ch)
		if !map[string]bool{Added: true, Removed: true, Amended: true, Renumbered: true}[ch] {
			t.Errorf("Render(json) provision %s change = %q", p["label"], ch)
		}
		var ops []Op
		if err := json.Unmarshal(p["ops"], &ops); err != nil {
			t.Errorf("Render(json) provision %s ops: %v", p["label"], err)
		}
		for _, o := range ops {
			if o.Op != OpEqual && o.Op != OpDelete && o.Op != OpInsert {
				t.Errorf("Render(json) provision %s op %q", p["label"], o.Op)
			}
		}
	}
}

func TestRenderHostileText(t *testing.T) {
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)> " onmouseover="x ]]> *bold* [link](javascript:alert(3)) ` + "`code`"
	from := []byte(`<Bill><Body><Section><MarginalNote>Note</MarginalNote><Label>1</Label><Text>Harmless text.</Text></Section></Body></Bill>`)
	to := []byte(`<Bill><Body><Section><MarginalNote>` + xmlEscape(evil) + `</MarginalNote><Label>1` + xmlEscape(`"><script>`) + `</Label><Text>` + xmlEscape(evil) + `</Text></Section></Body></Bill>`)
	r, err := CompareBytes(from, to)
	if err != nil {
		t.Fatal(err)
	}
	r.From, r.To = `<b>from</b>`, `"to"`
	html := render(t, r, "html", false)
	for _, bad := range []string{"<script", "<img", `onmouseover="x`, "<b>from"} {
		if strings.Contains(html, bad) {
			t.Errorf("Render(hostile, html) holds %q unescaped", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("Render(hostile, html) lost the hostile text instead of escaping it")
	}
	if !strings.Contains(html, "Content-Security-Policy") || !strings.Contains(html, "<style>") {
		t.Errorf("Render(html) is not a self-contained page with a CSP")
	}
	md := render(t, r, "markdown", false)
	for _, bad := range []string{"<script", "[link](", "*bold*", "`code`"} {
		if strings.Contains(md, bad) {
			t.Errorf("Render(hostile, markdown) holds %q unescaped", bad)
		}
	}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestRenderHTMLAnchors(t *testing.T) {
	html := render(t, smallResult(t), "html", false)
	for _, want := range []string{
		`id="p-2-1"`, `href="#p-2-1"`, `id="p-in-the-act-enacted-by-s-5-s-2"`,
		`<del>shall</del><ins>may</ins>`, "<h1>Bill C-99: first-reading → amended-by-committee</h1>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("Render(small, html) lacks %q", want)
		}
	}
}

func TestMarkdownMarkers(t *testing.T) {
	tests := []struct{ mark, in, want string }{
		{"~~", "old", "~~old~~"},
		{"**", " new words ", " **new words** "},
		{"**", "  ", "  "},
		{"~~", "a*b", `~~a\*b~~`},
	}
	for _, tt := range tests {
		if got := mdMark(tt.mark, tt.in); got != tt.want {
			t.Errorf("mdMark(%q, %q) = %q, want %q", tt.mark, tt.in, got, tt.want)
		}
	}
}

func TestBrief(t *testing.T) {
	r := smallResult(t)
	got := strings.Split(r.Brief(), "\n")
	want := []string{
		"committee amended 2 provisions: 2, SCHEDULE; added 1 section: 4.1; removed 1 section: 3; renumbered 5 sections: 4 → 3, 5 → 4, 6 → 5, 7 → 6, 8 → 7; in the Act enacted by s. 5: amended s. 2.",
		"Flags: shall → may: a duty becomes a discretion in s. 2(1); may → must: a discretion becomes a duty in the Act enacted by s. 5, s. 2; reasonable grounds to believe → suspect: a lower threshold in s. 3; adds an override clause (“despite any other act”) in s. 2(1); removes review, reporting or oversight wording (“review”, “parliament”) in former s. 3; and 5 more.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Brief(small) (-want +got):\n%s", diff)
	}
	// The brief ranks the flags as Highlights does (the weightiest changes of a bill.amended
	// alert with a web link): an alert lists them in the same order with or without one.
	var ranked []string
	for _, h := range r.Highlights() {
		if !slices.Contains(ranked, h.Text) {
			ranked = append(ranked, h.Text)
		}
	}
	if flags := "Flags: " + strings.Join(ranked[:5], "; ") + "; and 5 more."; got[len(got)-1] != flags {
		t.Errorf("Brief's flags:\n%s\nnot in the order of Highlights:\n%s", got[len(got)-1], flags)
	}
}
