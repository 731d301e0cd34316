package calendar

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// prop is one parsed content line: NAME;PARAMS:VALUE, the value unescaped.
type prop struct {
	Name   string
	Params string
	Value  string
}

// component is a parsed BEGIN/END block.
type component struct {
	Kind  string
	Props []prop
	Subs  []*component
}

func (c *component) get(name string) (prop, bool) {
	for _, p := range c.Props {
		if p.Name == name {
			return p, true
		}
	}
	return prop{}, false
}

// unfold checks the physical lines (CRLF, at most 75 octets, valid UTF-8) and joins the
// folded ones.
func unfold(t *testing.T, b []byte) []string {
	t.Helper()
	s := string(b)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("output does not end with CRLF")
	}
	phys := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var logical []string
	for i, l := range phys {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(logical) == 0 {
				t.Fatalf("line %d continues nothing", i+1)
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	return logical
}

func unescape(t *testing.T, v string) string {
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			if v[i] == ';' || v[i] == ',' {
				t.Errorf("unescaped %q in value %q", v[i], v)
			}
			sb.WriteByte(v[i])
			continue
		}
		i++
		if i == len(v) {
			t.Errorf("value %q ends in a backslash", v)
			break
		}
		switch v[i] {
		case 'n', 'N':
			sb.WriteByte('\n')
		case '\\', ';', ',':
			sb.WriteByte(v[i])
		default:
			t.Errorf("bad escape \\%c in %q", v[i], v)
		}
	}
	return sb.String()
}

func parse(t *testing.T, b []byte) *component {
	t.Helper()
	root := &component{Kind: "ROOT"}
	stack := []*component{root}
	for _, l := range unfold(t, b) {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		params := ""
		if i := strings.IndexByte(name, ';'); i >= 0 {
			name, params = name[:i], name[i+1:]
		}
		switch name {
		case "BEGIN":
			c := &component{Kind: value}
			top := stack[len(stack)-1]
			top.Subs = append(top.Subs, c)
			stack = append(stack, c)
			continue
		case "END":
			if top := stack[len(stack)-1]; top.Kind != value || len(stack) == 1 {
				t.Fatalf("END:%s closes %s", value, top.Kind)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if name == "SUMMARY" || name == "DESCRIPTION" || name == "LOCATION" || name == "X-WR-CALNAME" || name == "UID" {
			value = unescape(t, value)
		}
		top := stack[len(stack)-1]
		top.Props = append(top.Props, prop{name, params, value})
	}
	if len(stack) != 1 || len(root.Subs) != 1 || root.Subs[0].Kind != "VCALENDAR" {
		t.Fatalf("output is not one VCALENDAR")
	}
	return root.Subs[0]
}

func torontoZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var stamp = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

func TestWrite(t *testing.T) {
	t.Parallel()
	tor := torontoZone(t)
	hostile := "C-22; \"lawful access\", part 1\\2\r\nline two\nline three\ttab\x07bell"
	long := strings.Repeat("Témoins : Commissariat à la protection de la vie privée du Canada — é ", 6)
	events := []Event{
		{UID: "SECU-45-1-21@billwatch", Summary: "SECU meeting 21: Bill C-12", Location: "Room 225-A, West Block",
			URL:   "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-21/notice",
			Start: time.Date(2026, 10, 29, 15, 30, 0, 0, tor), End: time.Date(2026, 10, 29, 17, 30, 0, 0, tor)},
		{UID: "SECU-45-1-25@billwatch", Summary: hostile, Description: long, Sequence: 2,
			Start: time.Date(2026, 11, 5, 20, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 5, 22, 0, 0, 0, time.UTC),
			Updated: time.Date(2026, 11, 24, 21, 12, 0, 0, time.UTC)},
		{UID: "JUST-45-1-33@billwatch", Summary: "JUST meeting 33", Status: "CANCELLED", Sequence: 1,
			Start: time.Date(2026, 11, 26, 11, 0, 0, 0, tor)},
		{UID: "I 2026-06-20-reg2@billwatch", Summary: "Comment deadline: Regulations Amending the Immigration and Refugee Protection Regulations",
			AllDay: true, Start: time.Date(2026, 7, 20, 0, 0, 0, 0, tor)},
		{UID: "deadline-span@billwatch", Summary: "Two days", AllDay: true,
			Start: time.Date(2026, 12, 31, 0, 0, 0, 0, tor), End: time.Date(2027, 1, 1, 0, 0, 0, 0, tor)},
	}
	var buf bytes.Buffer
	if err := WriteAt(&buf, "billwatch: hearings, deadlines; Canada", stamp, events); err != nil {
		t.Fatalf("Write error: %v", err)
	}
	if bytes.Contains(bytes.ReplaceAll(buf.Bytes(), []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("Write output has a bare LF")
	}
	cal := parse(t, buf.Bytes())

	head := map[string]string{}
	for _, p := range cal.Props {
		head[p.Name] = p.Value
	}
	wantHead := map[string]string{"PRODID": ProdID, "VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"X-WR-CALNAME": "billwatch: hearings, deadlines; Canada", "X-WR-TIMEZONE": "America/Toronto"}
	if diff := cmp.Diff(wantHead, head); diff != "" {
		t.Errorf("Write calendar properties (-want +got):\n%s", diff)
	}

	var tz *component
	var got []map[string]string
	for _, c := range cal.Subs {
		switch c.Kind {
		case "VTIMEZONE":
			tz = c
		case "VEVENT":
			m := map[string]string{}
			for _, p := range c.Props {
				key := p.Name
				if p.Params != "" {
					key += ";" + p.Params
				}
				m[key] = p.Value
			}
			got = append(got, m)
		}
	}
	if tz == nil {
		t.Fatal("Write output has no VTIMEZONE")
	}
	if id, _ := tz.get("TZID"); id.Value != "America/Toronto" || len(tz.Subs) != 2 {
		t.Errorf("VTIMEZONE = %+v, want TZID America/Toronto with DAYLIGHT and STANDARD", tz)
	}

	want := []map[string]string{
		{"UID": "SECU-45-1-21@billwatch", "DTSTAMP": "20261123T150000Z",
			"DTSTART;TZID=America/Toronto": "20261029T153000", "DTEND;TZID=America/Toronto": "20261029T173000",
			"SUMMARY": "SECU meeting 21: Bill C-12", "LOCATION": "Room 225-A, West Block",
			"URL": "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-21/notice", "STATUS": "CONFIRMED", "SEQUENCE": "0"},
		{"UID": "SECU-45-1-25@billwatch", "DTSTAMP": "20261124T211200Z", "LAST-MODIFIED": "20261124T211200Z",
			// 20:00 UTC on 5 November is 15:00 EST (after the change); on 29 October it would be 16:00 EDT.
			"DTSTART;TZID=America/Toronto": "20261105T150000", "DTEND;TZID=America/Toronto": "20261105T170000",
			"SUMMARY": "C-22; \"lawful access\", part 1\\2\nline two\nline three tabbell", "DESCRIPTION": long,
			"STATUS": "CONFIRMED", "SEQUENCE": "2"},
		{"UID": "JUST-45-1-33@billwatch", "DTSTAMP": "20261123T150000Z",
			"DTSTART;TZID=America/Toronto": "20261126T110000", "SUMMARY": "JUST meeting 33", "STATUS": "CANCELLED", "SEQUENCE": "1"},
		{"UID": "I 2026-06-20-reg2@billwatch", "DTSTAMP": "20261123T150000Z",
			"DTSTART;VALUE=DATE": "20260720", "DTEND;VALUE=DATE": "20260721", "TRANSP": "TRANSPARENT",
			"SUMMARY": "Comment deadline: Regulations Amending the Immigration and Refugee Protection Regulations", "STATUS": "CONFIRMED", "SEQUENCE": "0"},
		{"UID": "deadline-span@billwatch", "DTSTAMP": "20261123T150000Z",
			"DTSTART;VALUE=DATE": "20261231", "DTEND;VALUE=DATE": "20270102", "TRANSP": "TRANSPARENT",
			"SUMMARY": "Two days", "STATUS": "CONFIRMED", "SEQUENCE": "0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Write events (-want +got):\n%s", diff)
	}

	// Read the times back through the VTIMEZONE's offsets: both sides of the change.
	for _, tt := range []struct {
		local string
		want  string
	}{
		{"20261029T153000", "2026-10-29T15:30:00-04:00"},
		{"20261105T150000", "2026-11-05T15:00:00-05:00"},
	} {
		tm, err := time.ParseInLocation("20060102T150405", tt.local, tor)
		if err != nil || tm.Format(time.RFC3339) != tt.want {
			t.Errorf("DTSTART %s read in America/Toronto = %s, want %s", tt.local, tm.Format(time.RFC3339), tt.want)
		}
		if off := tzOffset(t, tz, tm); off != tt.want[len(tt.want)-6:] {
			t.Errorf("VTIMEZONE offset for %s = %s, want %s", tt.local, off, tt.want[len(tt.want)-6:])
		}
	}
	if !strings.Contains(buf.String(), "\r\n ") {
		t.Errorf("the long description was not folded")
	}
}

// tzOffset applies the VTIMEZONE's two yearly rules (second Sunday of March, first Sunday of
// November, at 2:00) to a local time, as a client would.
func tzOffset(t *testing.T, tz *component, local time.Time) string {
	t.Helper()
	nth := func(y int, m time.Month, n int) time.Time {
		d := time.Date(y, m, 1, 2, 0, 0, 0, time.UTC)
		for d.Weekday() != time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		return d.AddDate(0, 0, 7*(n-1))
	}
	var daylight, standard *component
	for _, s := range tz.Subs {
		switch s.Kind {
		case "DAYLIGHT":
			daylight = s
		case "STANDARD":
			standard = s
		}
	}
	if r, _ := daylight.get("RRULE"); r.Value != "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" {
		t.Fatalf("DAYLIGHT RRULE = %q", r.Value)
	}
	if r, _ := standard.get("RRULE"); r.Value != "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" {
		t.Fatalf("STANDARD RRULE = %q", r.Value)
	}
	l := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), 0, 0, time.UTC)
	c := standard
	if !l.Before(nth(l.Year(), time.March, 2)) && l.Before(nth(l.Year(), time.November, 1)) {
		c = daylight
	}
	to, _ := c.get("TZOFFSETTO")
	return to.Value[:3] + ":" + to.Value[3:]
}

func TestWriteFolding(t *testing.T) {
	t.Parallel()
	cw := func(s string) string {
		var buf bytes.Buffer
		w := &contentWriter{w: bufioWriter(&buf)}
		w.line(s)
		w.w.Flush()
		return buf.String()
	}
	tests := []struct{ in string }{
		{strings.Repeat("a", 75)},
		{strings.Repeat("a", 76)},
		{strings.Repeat("é", 100)},           // two-octet sequences across every boundary
		{"X:" + strings.Repeat("🇨🇦", 40)},    // four-octet sequences
		{strings.Repeat("a", 74) + "€€€€€€"}, // a three-octet sequence at octet 75
	}
	for _, tt := range tests {
		out := cw(tt.in)
		for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("fold(%d octets) line %d = %d octets %q", len(tt.in), i+1, len(l), l)
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != tt.in {
			t.Errorf("unfold(fold(%q)) = %q", tt.in, got)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    Event
	}{
		{"no UID", Event{Start: time.Now()}},
		{"no start", Event{UID: "x"}},
		{"end before start", Event{UID: "x", Start: time.Now(), End: time.Now().Add(-time.Hour)}},
		{"bad status", Event{UID: "x", Start: time.Now(), Status: "MAYBE"}},
	}
	for _, tt := range tests {
		if err := Write(&bytes.Buffer{}, "x", []Event{tt.e}); err == nil || !strings.HasPrefix(err.Error(), "calendar: event 1") {
			t.Errorf("Write(%s) error = %v, want one naming event 1", tt.name, err)
		}
	}
	if err := Write(failWriter{}, "x", nil); err == nil {
		t.Errorf("Write(to a failing writer) error = nil, want one")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func ExampleWriteAt() {
	tor, _ := time.LoadLocation("America/Toronto")
	var buf bytes.Buffer
	_ = WriteAt(&buf, "billwatch", time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), []Event{{UID: "SECU-45-1-25@billwatch", Summary: "SECU meeting 25: Bill C-22",
		Start: time.Date(2026, 11, 26, 16, 0, 0, 0, tor), End: time.Date(2026, 11, 26, 18, 0, 0, 0, tor), Sequence: 1}})
	s := buf.String()
	i := strings.Index(s, "BEGIN:VEVENT")
	fmt.Print(strings.ReplaceAll(s[i:], "\r\n", "\n"))
	// Output:
	// BEGIN:VEVENT
	// UID:SECU-45-1-25@billwatch
	// DTSTAMP:20261123T150000Z
	// DTSTART;TZID=America/Toronto:20261126T160000
	// DTEND;TZID=America/Toronto:20261126T180000
	// SUMMARY:SECU meeting 25: Bill C-22
	// STATUS:CONFIRMED
	// SEQUENCE:1
	// END:VEVENT
	// END:VCALENDAR
}

func bufioWriter(w *bytes.Buffer) *bufio.Writer { return bufio.NewWriter(w) }

func FuzzWrite(f *testing.F) {
	f.Add("C-22; \"lawful access\", part 1\\2\r\nline", "Room 225-A, West Block", strings.Repeat("é€🇨🇦", 30))
	f.Fuzz(func(t *testing.T, summary, location, description string) {
		e := Event{UID: "u@billwatch", Summary: summary, Location: location, Description: description,
			Start: time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC)}
		var buf bytes.Buffer
		if err := Write(&buf, summary, []Event{e}); err != nil {
			t.Fatal(err)
		}
		cal := parse(t, buf.Bytes())
		var ev *component
		for _, c := range cal.Subs {
			if c.Kind == "VEVENT" {
				ev = c
			}
		}
		if ev == nil {
			t.Fatal("no VEVENT")
		}
		if p, _ := ev.get("SUMMARY"); p.Value != strings.ReplaceAll(unescape(t, escape(summary)), "\r", "") {
			t.Fatalf("SUMMARY = %q, want the escaped %q read back", p.Value, summary)
		}
	})
}
