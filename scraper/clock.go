package scraper

import (
	"strconv"
	"strings"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// reClock matches a clock time as the committee sites write it: "3:30 p.m.", "11 a.m.", "9h30 am",
// "noon", "midnight".
var reClock = lazyre.New(`(?i)\b(\d{1,2})(?:[:h](\d{2}))?\s*([ap])\.?\s*m\b\.?|\bnoon\b|\bmidnight\b`)

// ClockRange finds the first two clock times in s, as minutes after midnight; end is -1 when
// there is only one.
func ClockRange(s string) (start, end int, ok bool) {
	ms := reClock.FindAllStringSubmatch(s, 2)
	if len(ms) == 0 {
		return 0, 0, false
	}
	start, ok = clock(ms[0])
	if !ok {
		return 0, 0, false
	}
	end = -1
	if len(ms) > 1 {
		if e, ok := clock(ms[1]); ok {
			end = e
		}
	}
	return start, end, true
}

func clock(m []string) (int, bool) {
	switch strings.ToLower(m[0]) {
	case "noon":
		return 12 * 60, true
	case "midnight":
		return 0, true
	}
	h, _ := strconv.Atoi(m[1])
	mins := 0
	if m[2] != "" {
		mins, _ = strconv.Atoi(m[2])
	}
	if h < 1 || h > 12 || mins > 59 {
		return 0, false
	}
	h %= 12
	if strings.EqualFold(m[3], "p") {
		h += 12
	}
	return h*60 + mins, true
}

// OnlyClockTimes reports whether a line is only a time slot ("3:30 p.m. to 4:30 p.m.").
func OnlyClockTimes(s string) bool {
	if !reClock.MatchString(s) {
		return false
	}
	rest := reClock.ReplaceAllString(s, " ")
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return r == ' ' || r == '-' || r == '\u2013' || r == '\u2014' || r == '(' || r == ')' || r == ','
	}) {
		switch strings.ToLower(w) {
		case "to", "from", "and", "à", "de", "et", "edt", "est":
		default:
			return false
		}
	}
	return true
}
