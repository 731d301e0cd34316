package legisinfo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

// text is a scalar value of either format. The XML gives every value as character data; the
// JSON gives strings, numbers (sometimes quoted: "Number": "42"), booleans and nulls. Reading
// all of them as text, and converting where needed, lets one model serve both and survive a
// number turning into a string.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("got an object or array where a value was expected")
	default:
		*t = text(b)
	}
	return nil
}

// clean is the value as billwatch stores text: normalised, white space folded.
func (t text) clean() string { return scraper.Clean(string(t)) }

// int returns the value as an integer, 0 when it is empty or not a number.
func (t text) int() int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(string(t)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func (t text) bool() bool { return strings.EqualFold(strings.TrimSpace(string(t)), "true") }

// naiveLayouts are the forms of LEGISinfo's offset-less date-times (precision varies:
// "2025-06-18T15:14:09.28", "2025-10-03T10:55:04").
var naiveLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"}

// recordTime reads a date-time of the bill record: naive Eastern wall-clock time. A value that
// does carry an offset is taken at its word.
func recordTime(t text) time.Time {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return time.Time{}
	}
	for _, l := range naiveLayouts {
		if v, err := time.ParseInLocation(l, s, billwatch.Eastern); err == nil {
			return v
		}
	}
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return v.In(billwatch.Eastern)
	}
	return time.Time{}
}

// listTime reads a date-time of the bill list. The list takes the record's naive Eastern
// value, treats it as UTC and labels it in Eastern time ("2025-06-18T11:14:09.28-04:00" for
// 15:14:09.28 Eastern), so the true time is the UTC wall clock read as Eastern.
func listTime(t text) time.Time {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return time.Time{}
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return recordTime(t) // no offset: already Eastern wall-clock time
	}
	u := v.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), billwatch.Eastern)
}

// date formats t as billwatch writes dates, "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(billwatch.Eastern).Format(billwatch.DateLayout)
}

// chamber maps LEGISinfo's chamber ids (1 House of Commons, 2 Senate) and names to billwatch's.
func chamber(id text, name text) string {
	switch id.int() {
	case 1:
		return billwatch.House
	case 2:
		return billwatch.Senate
	}
	n := strings.ToLower(name.clean())
	switch {
	case strings.Contains(n, "house"), strings.Contains(n, "commons"):
		return billwatch.House
	case strings.Contains(n, "senate"):
		return billwatch.Senate
	}
	return ""
}

// chamberOfNumber is the originating chamber a bill number implies: C- bills start in the
// House, S- bills in the Senate.
func chamberOfNumber(number string) string {
	switch {
	case strings.HasPrefix(number, "C-"):
		return billwatch.House
	case strings.HasPrefix(number, "S-"):
		return billwatch.Senate
	}
	return ""
}

// publicationType names a text version by its PublicationTypeId, falling back on the name for
// an id LEGISinfo may add later. 80703 serves both chambers; its name tells them apart.
func publicationType(id int, name string) string {
	n := strings.ToLower(name)
	switch id {
	case 80701:
		return billwatch.FirstReading
	case 80702:
		return billwatch.AmendedByCommittee
	case 80703:
		if strings.Contains(n, "senate") {
			return billwatch.PassedSenate
		}
		return billwatch.PassedHouse
	case 80704:
		return billwatch.RoyalAssent
	}
	switch {
	case strings.Contains(n, "first reading"):
		return billwatch.FirstReading
	case strings.Contains(n, "amended by committee"):
		return billwatch.AmendedByCommittee
	case strings.Contains(n, "passed by the senate"):
		return billwatch.PassedSenate
	case strings.Contains(n, "passed by the house"):
		return billwatch.PassedHouse
	case strings.Contains(n, "royal assent"):
		return billwatch.RoyalAssent
	}
	return ""
}

// stripHTML turns the HTML of a legislative summary into plain text: tags dropped (block tags
// and <br> become spaces), entities decoded, white space folded.
func stripHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return scraper.Clean(s)
	}
	var sb strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return scraper.Clean(sb.String())
		case html.TextToken:
			sb.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table":
				sb.WriteByte(' ')
			}
		}
	}
}

// statute cites the Act a bill became: "S.C. 2026, c. 9".
func statute(year, chapter text) string {
	y, c := year.int(), chapter.int()
	if y == 0 || c == 0 {
		return ""
	}
	return fmt.Sprintf("S.C. %d, c. %d", y, c)
}
