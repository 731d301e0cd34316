package slack

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/billwatch/billwatch"
	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var created = time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)

// sampleAlerts holds one realistic alert per kind.
var sampleAlerts = []billwatch.Alert{
	{
		ID: "01JDZ8K3Q4BILLINTRO", Kind: billwatch.KindBillIntroduced, Severity: billwatch.Action, Audience: billwatch.Policy,
		Subject: "45-1 C-22", Title: "An Act respecting lawful access (Lawful Access Act, 2026)",
		Why:     "new bill matching keyword: lawful access; sponsor: Minister of Public Safety",
		Text:    "Introduced and read a first time in the House of Commons on 2026-11-20. Part 1 requires electronic service providers to retain subscriber information for one year and to give it to police on demand, without a warrant, for \"basic subscriber information\".",
		Created: created,
		Links: []billwatch.Link{
			{Label: "LEGISinfo", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-22"},
			{Label: "First reading text", URL: "https://www.parl.ca/DocumentViewer/en/45-1/bill/C-22/first-reading"},
			{Label: "Details", URL: "billwatch show C-22"},
		},
		Thread: "bill 45-1 C-22",
	},
	{
		ID: "01JDZ8K3Q4BILLSTAGE", Kind: billwatch.KindBillStage, Severity: billwatch.Urgent, Audience: billwatch.Lobbying,
		Subject: "45-1 C-22", Title: "An Act respecting lawful access",
		Why:     "referred to SECU — window to request to appear is open",
		Text:    "House of Commons: second reading completed on 2026-11-21 (vote 42: yeas 170, nays 150); referred to the Standing Committee on Public Safety and National Security (SECU).",
		Created: created, Deadline: "2026-12-04",
		Links: []billwatch.Link{
			{Label: "LEGISinfo", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-22"},
			{Label: "SECU: request to appear", URL: "https://www.ourcommons.ca/Committees/en/SECU/RequestToAppear"},
		},
		Thread: "bill 45-1 C-22",
	},
	{
		ID: "01JDZ8K3Q4BILLAMEND", Kind: billwatch.KindBillAmended, Severity: billwatch.Action, Audience: billwatch.Members,
		Subject: "45-1 C-8", Title: "An Act respecting cyber security, amending the Telecommunications Act",
		Why:     "reprinted as amended by committee: 3 provisions amended, 1 added",
		Text:    "s. 15.2(1) amended: the Minister may, by order, direct a telecommunications service provider to [-intercept-] {+suspend service to+} any specified person.\ns. 15.4 added: an order made under section 15.2 is not a statutory instrument.",
		Created: created,
		Links: []billwatch.Link{
			{Label: "Amended text", URL: "https://www.parl.ca/DocumentViewer/en/45-1/bill/C-8/amended-by-committee"},
			{Label: "Diff", URL: "billwatch diff C-8 --from first-reading --to amended-by-committee"},
		},
		Thread: "bill 45-1 C-8",
	},
	{
		ID: "01JDZ8K3Q4HEARSCHED", Kind: billwatch.KindHearingScheduled, Severity: billwatch.Action, Audience: billwatch.Lobbying,
		Subject: "SECU 45-1 meeting 9", Title: "Bill C-8, An Act respecting cyber security",
		Why:     "hearing on a tracked bill (C-8); witnesses not yet named",
		Text:    "Standing Committee on Public Safety and National Security, meeting 9, room 025-B, West Block, webcast.",
		Created: created, Deadline: "2026-12-01T15:30:00-05:00",
		Links:  []billwatch.Link{{Label: "Notice", URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-9/notice"}},
		Thread: "hearing SECU 45-1 9",
	},
	{
		ID: "01JDZ8K3Q4HEARCHNGE", Kind: billwatch.KindHearingChanged, Severity: billwatch.Action, Audience: billwatch.Lobbying,
		Subject: "SECU 45-1 meeting 9", Title: "Bill C-8, An Act respecting cyber security",
		Why:     "notice amended: start moved from 15:30 to 11:00; witnesses added",
		Text:    "Witnesses: Canadian Civil Liberties Association (Brenda McPhail); Communications Security Establishment (Caroline Xavier).",
		Created: created, Deadline: "2026-12-01T11:00:00-05:00",
		Links:  []billwatch.Link{{Label: "Notice", URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-9/notice"}},
		Thread: "hearing SECU 45-1 9",
	},
	{
		ID: "01JDZ8K3Q4HEARCANCL", Kind: billwatch.KindHearingCancelled, Severity: billwatch.Info, Audience: billwatch.Lobbying,
		Subject: "NSDS 45-1 meeting 4", Title: "Study of foreign interference",
		Why:     "the Senate committee cancelled the meeting",
		Created: created, Deadline: "2026-12-02T12:00:00-05:00",
		Links:  []billwatch.Link{{Label: "Senate committee", URL: "https://sencanada.ca/en/committees/nsds/"}},
		Thread: "hearing NSDS 45-1 4",
	},
	{
		ID: "01JDZ8K3Q4HEARREMND", Kind: billwatch.KindHearingReminder, Severity: billwatch.Urgent, Audience: billwatch.Lobbying,
		Subject: "SECU 45-1 meeting 9", Title: "Bill C-8, An Act respecting cyber security",
		Why:     "tomorrow: clause-by-clause consideration of C-8",
		Created: created, Deadline: "2026-12-01T11:00:00-05:00",
		Links:  []billwatch.Link{{Label: "Notice", URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-9/notice"}},
		Thread: "hearing SECU 45-1 9",
	},
	{
		ID: "01JDZ8K3Q4REGPROPOS", Kind: billwatch.KindRegulationProposed, Severity: billwatch.Action, Audience: billwatch.Policy,
		Subject: "Gazette I 2026-06-20-reg2", Title: "Regulations Amending the Passenger Protect Regulations",
		Why:     "department: Public Safety; 30-day comment period",
		Text:    "Adds a class of persons to the list of persons who may be denied boarding; the Regulatory Impact Analysis Statement estimates 1,200 affected travellers per year & no appeal beyond the Minister.",
		Created: created, Deadline: "2026-07-20",
		Links:  []billwatch.Link{{Label: "Canada Gazette, Part I", URL: "https://gazette.gc.ca/rp-pr/p1/2026/2026-06-20/html/reg2-eng.html"}},
		Thread: "regulation I 2026-06-20-reg2",
	},
	{
		ID: "01JDZ8K3Q4REGFINAL0", Kind: billwatch.KindRegulationFinal, Severity: billwatch.Info, Audience: billwatch.Policy,
		Subject: "SOR/2026-123", Title: "Regulations Amending the Passenger Protect Regulations",
		Why:     "registered; finalises the Part I proposal of 2026-06-20",
		Text:    "In force on registration. Changes from the proposal: the appeal to the Federal Court is restored.",
		Created: created,
		Links:   []billwatch.Link{{Label: "Canada Gazette, Part II", URL: "https://gazette.gc.ca/rp-pr/p2/2026/2026-10-08/html/sor-dors123-eng.html"}},
		Thread:  "regulation I 2026-06-20-reg2",
	},
	{
		ID: "01JDZ8K3Q4DEADLINE0", Kind: billwatch.KindDeadlineReminder, Severity: billwatch.Urgent, Audience: billwatch.Policy,
		Subject: "Gazette I 2026-06-20-reg2", Title: "Regulations Amending the Passenger Protect Regulations",
		Why:     "comments close in 3 days",
		Created: created, Deadline: "2026-07-20",
		Links:  []billwatch.Link{{Label: "Canada Gazette, Part I", URL: "https://gazette.gc.ca/rp-pr/p1/2026/2026-06-20/html/reg2-eng.html"}},
		Thread: "regulation I 2026-06-20-reg2",
	},
	{
		ID: "01JDZ8K3Q4SRCUNHLTH", Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops,
		Subject: "hearings (ourcommons)", Why: "3 consecutive failures since 2026-11-22 08:00: layout changed",
		Text:    "scraper: commons: parse https://www.ourcommons.ca/Committees/en/SECU/Meetings?parl=45&session=1: layout changed: no meeting rows",
		Created: created,
		Links:   []billwatch.Link{{Label: "Status", URL: "billwatch status"}},
	},
	{
		ID: "01JDZ8K3Q4SRCRECOVR", Kind: billwatch.KindSourceRecovered, Severity: billwatch.Info, Audience: billwatch.Ops,
		Subject: "hearings (ourcommons)", Why: "fetching again after 3 failures (down 2h10m)",
		Created: created,
	},
	{
		ID: "01JDZ8K3Q4BILLPROVI", Kind: billwatch.KindBillProvision, Severity: billwatch.Action, Audience: billwatch.Policy,
		Subject: "45-1 C-30", Title: "An Act to amend the Canadian Security Intelligence Service Act",
		Why:     "touches a watched provision: Canadian Security Intelligence Service Act s. 19",
		Text:    "C-30, An Act to amend the Canadian Security Intelligence Service Act, touches Canadian Security Intelligence Service Act s. 19: s. 1 of the bill: s. 19(2)(e) added.",
		Created: created,
		Links:   []billwatch.Link{{Label: "LEGISinfo", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-30"}},
		Thread:  "bill 45-1 C-30",
	},
}

// message is what a golden file holds.
type message struct {
	Text   string          `json:"text"`
	Blocks json.RawMessage `json:"blocks"`
}

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
		t.Fatalf("%v (run go test ./notify/slack -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

// checkLimits fails when a message breaks one of Slack's limits.
func checkLimits(t *testing.T, name, text string, blocks []slack.Block) {
	t.Helper()
	if n := len(blocks); n > maxBlocks {
		t.Errorf("%s: %d blocks, want at most %d", name, n, maxBlocks)
	}
	if n := utf8.RuneCountInString(text); n > maxFallback {
		t.Errorf("%s: fallback text of %d runes, want at most %d", name, n, maxFallback)
	}
	for i, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if n := utf8.RuneCountInString(b.Text.Text); n > maxHeaderText {
				t.Errorf("%s: block %d: header of %d runes", name, i, n)
			}
		case *slack.SectionBlock:
			if err := b.Text.Validate(); err != nil {
				t.Errorf("%s: block %d: %v", name, i, err)
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n > 25 {
				t.Errorf("%s: block %d: %d elements", name, i, n)
			}
			for _, e := range b.Elements.ElementSet {
				btn := e.(*slack.ButtonBlockElement)
				if n := utf8.RuneCountInString(btn.Text.Text); n > maxButtonText {
					t.Errorf("%s: block %d: button text of %d runes", name, i, n)
				}
			}
		case *slack.ContextBlock:
			if n := len(b.ContextElements.Elements); n > 10 {
				t.Errorf("%s: block %d: %d context elements", name, i, n)
			}
			for _, e := range b.ContextElements.Elements {
				if err := e.(*slack.TextBlockObject).Validate(); err != nil {
					t.Errorf("%s: block %d: %v", name, i, err)
				}
			}
		}
	}
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	seen := map[billwatch.Kind]bool{}
	var previews strings.Builder
	for _, a := range sampleAlerts {
		seen[a.Kind] = true
		t.Run(string(a.Kind), func(t *testing.T) {
			text, blocks := Render(a)
			checkLimits(t, string(a.Kind), text, blocks)
			raw, err := json.Marshal(blocks)
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.MarshalIndent(message{Text: text, Blocks: raw}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, string(a.Kind)+".json", append(out, '\n'))
		})
		previews.WriteString(Preview(a) + "\n")
	}
	golden(t, "preview.txt", []byte(previews.String()))
	for _, k := range billwatch.Kinds {
		if !seen[k] {
			t.Errorf("no sample alert of kind %s", k)
		}
	}
}

// hostile is scraped text trying to notify everyone or disguise a link.
const hostile = "<!channel> <!here> <@U123> <!subteam^S999> <https://evil.example|Official text> &amp; *bold*"

func TestRenderEscapesHostileText(t *testing.T) {
	t.Parallel()
	a := billwatch.Alert{
		ID: "a1", Kind: billwatch.KindBillIntroduced, Severity: billwatch.Urgent, Audience: billwatch.Policy,
		Subject: "45-1 C-99 <!channel>", Title: hostile, Why: hostile, Text: hostile + "\x1b[31m red",
		Deadline: "<!here>",
		Links: []billwatch.Link{
			{Label: "<!channel> click", URL: "https://www.parl.ca/x?a=1&b=<2>|3"},
			{Label: "js", URL: "javascript:alert(1)"},
			{Label: "relative", URL: "/legisinfo"},
			{Label: "creds", URL: "https://user:pass@evil.example/"},
		},
	}
	for _, tc := range []struct {
		name    string
		mention string
	}{{"no mention", ""}, {"with mention", "<!subteam^S123>"}} {
		t.Run(tc.name, func(t *testing.T) {
			text, blocks := render(a, tc.mention)
			raw, _ := json.Marshal(blocks)
			// Decode the JSON so that what Slack would parse is compared, not \u003c escapes.
			var texts []string
			collect(t, raw, &texts)
			all := strings.Join(append(texts, text), "\n")
			for _, bad := range []string{"<!channel>", "<!here>", "<@U123>", "<!subteam^S999>", "<https://evil", "javascript:", "\x1b", "user:pass"} {
				if strings.Contains(all, bad) {
					t.Errorf("rendered message contains %q:\n%s", bad, all)
				}
			}
			for _, want := range []string{"&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://evil.example|Official text&gt;", "&amp;amp;"} {
				if !strings.Contains(all, want) {
					t.Errorf("rendered message lacks %q", want)
				}
			}
			if got := strings.Count(all, "<!subteam^S123>"); tc.mention != "" && got != 2 {
				t.Errorf("mention appears %d times, want 2 (text and summary)", got)
			}
			// The hostile link stays a button, its URL intact in JSON (no mrkdwn there).
			if !strings.Contains(string(raw), `"url":"https://www.parl.ca/x?a=1\u0026b=%3C2%3E%7C3"`) {
				t.Errorf("button URL not found in %s", raw)
			}
		})
	}
}

// collect gathers every "text" string of a Block Kit JSON document.
func collect(t *testing.T, raw []byte, out *[]string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "text" {
					*out = append(*out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
}

func TestRenderMentionOnlyUrgent(t *testing.T) {
	t.Parallel()
	for _, sev := range []billwatch.Severity{billwatch.Info, billwatch.Action, billwatch.Urgent} {
		a := sampleAlerts[0]
		a.Severity = sev
		text, _ := render(a, "<!here>")
		if got, want := strings.HasPrefix(text, "<!here> "), sev == billwatch.Urgent; got != want {
			t.Errorf("render(%s) mentions = %v, want %v", sev, got, want)
		}
	}
}

func TestRenderCutsLongText(t *testing.T) {
	t.Parallel()
	word := "surveillance & oversight "
	long := strings.Repeat(word, 200) // 5,000 runes, 6,000 once escaped
	a := billwatch.Alert{ID: "a2", Kind: billwatch.KindBillAmended, Severity: billwatch.Action,
		Subject: "45-1 C-22", Text: long}
	text, blocks := Render(a)
	checkLimits(t, "long", text, blocks)
	var body string
	for _, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok && s.BlockID == "text" {
			body = s.Text.Text
		}
	}
	kept, note, ok := strings.Cut(body, "\n… (cut: ")
	if !ok {
		t.Fatalf("text section has no cut note:\n%s", body)
	}
	if n := utf8.RuneCountInString(body); n > maxSectionText || n < maxSectionText-100 {
		t.Errorf("text section is %d runes, want close to but at most %d", n, maxSectionText)
	}
	unescaped := strings.NewReplacer("&amp;", "&").Replace(kept)
	if !strings.HasPrefix(long[len(unescaped):], " ") {
		t.Errorf("cut mid-word: kept part ends %q", kept[len(kept)-20:])
	}
	dropped := utf8.RuneCountInString(strings.TrimSpace(long)) - utf8.RuneCountInString(unescaped)
	wantNote := strings.Join([]string{itoa(dropped), " more characters; see the full diff with `billwatch diff C-22`)"}, "")
	if note != wantNote {
		t.Errorf("note = %q, want %q", note, wantNote)
	}
	if !strings.HasPrefix(long, unescaped) {
		t.Errorf("kept part is not a prefix of the text")
	}

	// A single giant word is still cut, and still says so.
	a.Text = strings.Repeat("x", 5000)
	_, blocks = Render(a)
	checkLimits(t, "giant word", "", blocks)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRenderManyLinks(t *testing.T) {
	t.Parallel()
	a := sampleAlerts[0]
	a.Links = nil
	for i := range 60 {
		a.Links = append(a.Links, billwatch.Link{Label: "Committee evidence, meeting " + itoa(i+1),
			URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-" + itoa(i+1) + "/evidence"})
	}
	text, blocks := Render(a)
	checkLimits(t, "60 links", text, blocks)
	raw, _ := json.Marshal(blocks)
	if n := strings.Count(string(raw), `"type":"button"`); n != maxButtons {
		t.Errorf("%d buttons, want %d", n, maxButtons)
	}
	for i := range 60 {
		if !strings.Contains(string(raw), "meeting-"+itoa(i+1)+"/evidence") {
			t.Errorf("link %d is missing", i+1)
		}
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		max     int
		kept    string
		dropped int
	}{
		{"short", 10, "short", 0},
		{"one two three", 9, "one two", 6},
		{"one two three", 7, "one two", 6},
		{"one two three", 8, "one two", 6},
		{"a<b c", 6, "a&lt;b", 2}, // escaped length counts
		{"a<b c", 5, "a&lt;", 3},  // no boundary: cut between runes, never inside an entity
		{"abcdefgh", 4, "abcd", 4},
		{"été déjà", 4, "été", 5},
	}
	for _, tt := range tests {
		kept, dropped := cut(tt.in, tt.max, esc)
		if kept != tt.kept || dropped != tt.dropped {
			t.Errorf("cut(%q, %d) = %q, %d; want %q, %d", tt.in, tt.max, kept, dropped, tt.kept, tt.dropped)
		}
	}
}

// TestMeetingTimeNotPublished: a meeting known by its date alone (a Senate schedule without a
// time) shows its date and that its time is not yet published, never "00:00": whether the
// alert carries the date alone, or (raised before) midnight Eastern. A comment deadline, a
// date by nature, says nothing of a time.
func TestMeetingTimeNotPublished(t *testing.T) {
	t.Parallel()
	base := billwatch.Alert{
		ID: "01JDZ8K3Q4SECDNOTIM", Kind: billwatch.KindHearingReminder, Severity: billwatch.Action, Audience: billwatch.Lobbying,
		Subject: "SECD 45-1 meeting 12", Title: "Tomorrow: SECD meeting 12 on Bill C-8",
		Why:  "the hearing is tomorrow: last chance to brief members or send a written submission",
		Text: "SECD (Senate) meeting 12, Mon 2026-11-02 (time not yet published).", Created: created,
		Links: []billwatch.Link{{Label: "notice", URL: "https://sencanada.ca/en/committees/secd/"}},
	}
	for _, deadline := range []string{"2026-11-02", "2026-11-02T00:00:00-05:00"} {
		a := base
		a.Deadline = deadline
		text, blocks := Render(a)
		raw, _ := json.Marshal(blocks)
		for name, s := range map[string]string{"text": text, "blocks": string(raw), "preview": Preview(a)} {
			if !strings.Contains(s, "Mon 2 Nov 2026, time not yet published") || strings.Contains(s, "00:00") {
				t.Errorf("deadline %s, %s: %s\nwant the date and \"time not yet published\", no 00:00", deadline, name, s)
			}
		}
	}
	for _, tt := range []struct {
		kind     billwatch.Kind
		deadline string
		want     string
	}{
		{billwatch.KindHearingScheduled, "2026-11-02T15:30:00-05:00", "Mon 2 Nov 2026, 15:30 EST"},
		{billwatch.KindRegulationProposed, "2026-12-21", "Mon 21 Dec 2026"},
		{billwatch.KindDeadlineReminder, "2026-12-21", "Mon 21 Dec 2026"},
	} {
		if got := formatDeadline(tt.kind, tt.deadline); got != tt.want {
			t.Errorf("formatDeadline(%s, %s) = %q, want %q", tt.kind, tt.deadline, got, tt.want)
		}
	}
}
