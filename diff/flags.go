package diff

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Flag marks a change that may shift power or safeguards: a duty turned into a discretion,
// a lower belief threshold, an override clause, a changed time limit, added or removed
// oversight, a new offence. Flags are hints for a human reader, found by wording alone.
type Flag struct {
	Code  string `json:"code"`  // "duty.removed", "period.changed"...
	Where string `json:"where"` // "s. 15(2)", "the Act enacted by s. 11, s. 9(1)"
	Text  string `json:"text"`  // the human sentence, with Where
}

// Flag codes.
const (
	FlagDutyAdded        = "duty.added"        // may → shall/must
	FlagDutyRemoved      = "duty.removed"      // shall/must → may
	FlagThresholdLowered = "threshold.lowered" // believe → suspect
	FlagThresholdRaised  = "threshold.raised"  // suspect → believe
	FlagOverrideAdded    = "override.added"    // despite any other Act, notwithstanding
	FlagOverrideRemoved  = "override.removed"  //
	FlagPeriodChanged    = "period.changed"    // 30 days → 60 days
	FlagPeriodAdded      = "period.added"      //
	FlagPeriodRemoved    = "period.removed"    //
	FlagOversightAdded   = "oversight.added"   // review, report, Parliament, NSIRA, Commissioner
	FlagOversightRemoved = "oversight.removed" //
	FlagSunsetAdded      = "sunset.added"      // expire, cease to have effect
	FlagSunsetRemoved    = "sunset.removed"    //
	FlagOffenceAdded     = "offence.added"     // guilty of an offence, liable, fine, imprisonment
	FlagOffenceRemoved   = "offence.removed"   //
	FlagPenaltyChanged   = "penalty.changed"   // $100,000 → $1,000,000
)

var (
	overrideTerms = []string{
		"notwithstanding", "despite any other act", "despite any other law",
		"despite any other provision", "despite any other act of parliament",
	}
	oversightTerms = []string{
		"review", "reviews", "reviewed", "report", "reports", "reported", "reporting",
		"parliament", "tabled", "table the", "oversight", "commissioner",
		"national security and intelligence review agency",
		"national security and intelligence committee of parliamentarians",
	}
	sunsetTerms = []string{
		"expire", "expires", "expiry", "cease to have effect", "ceases to have effect", "sunset",
	}
	offenceTerms = []string{
		"guilty of an offence", "liable", "fine", "fines", "imprisonment", "offence", "offences",
	}
	believeTerms = []string{
		"reasonable grounds to believe", "believes on reasonable grounds", "believe on reasonable grounds",
	}
	suspectTerms = []string{
		"reasonable grounds to suspect", "suspects on reasonable grounds", "suspect on reasonable grounds",
	}
	numberWords = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
		"thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
	}
	// The words periods count in, in the order the scan tries them (periodPattern's).
	periodNumbers    = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty-five", "sixty", "ninety"}
	periodQualifiers = []string{"business", "clear", "calendar", "sitting", "consecutive"}
	periodUnits      = []string{"hour", "day", "week", "month", "year"}
)

// flagsFor finds the flags of one provision's own text change. ops is the word diff, or nil
// for an added (old empty) or removed (new empty) provision.
func flagsFor(old, new string, ops []Op, p *Provision) []Flag {
	where := citeProse(p)
	var out []Flag
	add := func(code, format string, args ...any) {
		out = append(out, Flag{Code: code, Where: where, Text: fmt.Sprintf(format, args...) + " in " + where})
	}
	ow, nw := tallyOf(old), tallyOf(new)
	x := flagTerms()

	if old != "" && new != "" {
		var del, ins strings.Builder
		for _, o := range ops {
			switch o.Op {
			case OpDelete:
				del.WriteString(" " + o.Text)
			case OpInsert:
				ins.WriteString(" " + o.Text)
			}
		}
		dw, iw := tallyOf(del.String()), tallyOf(ins.String())
		dMay, iMay := dw.of("may"), iw.of("may")
		dDuty, iDuty := dw.of("shall")+dw.of("must"), iw.of("shall")+iw.of("must")
		switch {
		case dMay > 0 && iDuty > 0:
			add(FlagDutyAdded, "may → %s: a discretion becomes a duty", iw.firstOf("shall", "must"))
		case dDuty > 0 && iMay > 0:
			add(FlagDutyRemoved, "%s → may: a duty becomes a discretion", dw.firstOf("shall", "must"))
		}
		ob, nb := ow.sum(x.believe), nw.sum(x.believe)
		os, ns := ow.sum(x.suspect), nw.sum(x.suspect)
		switch {
		case ns > os && nb < ob:
			add(FlagThresholdLowered, "reasonable grounds to believe → suspect: a lower threshold")
		case nb > ob && ns < os:
			add(FlagThresholdRaised, "reasonable grounds to suspect → believe: a higher threshold")
		}
	}
	termFlag := func(terms []string, ids []int32, addCode, addText, remCode, remText string) {
		o, n := ow.sum(ids), nw.sum(ids)
		switch {
		case n > o:
			add(addCode, addText+" (%s)", quoteTerms(nw, ow, terms))
		case n < o:
			add(remCode, remText+" (%s)", quoteTerms(ow, nw, terms))
		}
	}
	termFlag(overrideTerms, x.override, FlagOverrideAdded, "adds an override clause", FlagOverrideRemoved, "removes an override clause")
	termFlag(sunsetTerms, x.sunset, FlagSunsetAdded, "adds a sunset or expiry", FlagSunsetRemoved, "removes a sunset or expiry")
	termFlag(oversightTerms, x.oversight, FlagOversightAdded, "adds review, reporting or oversight wording", FlagOversightRemoved, "removes review, reporting or oversight wording")
	termFlag(offenceTerms, x.offence, FlagOffenceAdded, "adds offence or penalty wording", FlagOffenceRemoved, "removes offence or penalty wording")

	// Time limits and periods.
	rem, gained := multisetDiff(periods(old), periods(new))
	for unit, olds := range byUnit(rem) {
		news := byUnit(gained)[unit]
		for k, o := range olds {
			if k < len(news) {
				add(FlagPeriodChanged, "time limit %s → %s", o.text, news[k].text)
			} else {
				add(FlagPeriodRemoved, "time limit removed: %s", o.text)
			}
		}
	}
	for unit, news := range byUnit(gained) {
		for k, n := range news {
			if k >= len(byUnit(rem)[unit]) {
				add(FlagPeriodAdded, "new time limit: %s", n.text)
			}
		}
	}
	// Penalty amounts.
	remP, gainP := multisetDiff(amounts(old), amounts(new))
	for k := 0; k < max(len(remP), len(gainP)); k++ {
		switch {
		case k < len(remP) && k < len(gainP):
			add(FlagPenaltyChanged, "penalty %s → %s", remP[k].text, gainP[k].text)
		case k < len(gainP) && old != "":
			add(FlagPenaltyChanged, "new penalty amount %s", gainP[k].text)
		case k < len(remP) && new != "":
			add(FlagPenaltyChanged, "penalty amount %s removed", remP[k].text)
		}
	}
	sortFlags(out)
	return out
}

// sortFlags keeps flags in a stable order (map iteration above is random).
func sortFlags(fs []Flag) {
	rank := func(f Flag) string { return f.Code + "\x00" + f.Text }
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && rank(fs[j]) < rank(fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// citeProse is how a flag or brief names a provision: "s. 15(2)", "SCHEDULE 1, item 3",
// "the Act enacted by s. 11, s. 9(1)".
func citeProse(p *Provision) string {
	return citeOf(p.scope, p.local)
}

func citeOf(scope, local string) string {
	if scope != "" {
		return scope + ", " + local
	}
	if local != "" && local[0] >= '0' && local[0] <= '9' {
		return "s. " + local
	}
	return local
}

// Terms are counted in a text's words: its runs of letters, digits and '-', lower-cased. A
// term is counted where its words follow one another, and, once found, again only from the
// second word after it: as often as " term " occurs in " w1 w2 … " (strings.Count), so that a
// term repeated without a word between counts once.

// flagTerms indexes every term the flags count by its first word.
var flagTerms = sync.OnceValue(func() *termIndex {
	x := &termIndex{id: map[string]int{}, byFirst: map[string][]int{}}
	for _, ts := range [][]string{{"may", "shall", "must"}, overrideTerms, oversightTerms,
		sunsetTerms, offenceTerms, believeTerms, suspectTerms} {
		for _, t := range ts {
			if _, dup := x.id[t]; dup {
				continue
			}
			ws := strings.Split(t, " ")
			x.id[t] = len(x.words)
			x.byFirst[ws[0]] = append(x.byFirst[ws[0]], len(x.words))
			x.words = append(x.words, ws)
		}
	}
	ids := func(terms []string) []int32 {
		out := make([]int32, len(terms))
		for i, t := range terms {
			out[i] = int32(x.id[t])
		}
		return out
	}
	x.override, x.oversight, x.sunset = ids(overrideTerms), ids(oversightTerms), ids(sunsetTerms)
	x.offence, x.believe, x.suspect = ids(offenceTerms), ids(believeTerms), ids(suspectTerms)
	return x
})

type termIndex struct {
	words   [][]string       // each term's words, by term number
	id      map[string]int   // term → number
	byFirst map[string][]int // first word → the terms that start with it
	// The numbers of the terms of each group, in the group's order, so that a group's
	// count takes no look-up by name (tally.sum).
	override, oversight, sunset, offence, believe, suspect []int32
}

// tally is how often each flag term occurs in one text, by term number.
type tally []int32

// tallyOf counts every flag term in text in one pass over its words.
func tallyOf(text string) tally {
	x := flagTerms()
	t := make(tally, 2*len(x.words))
	counts, next := t[:len(x.words)], t[len(x.words):] // next: where a term may be found again
	ws := termWords(strings.ToLower(fold(text)))
	for i, w := range ws {
		for _, k := range x.byFirst[w] {
			tw := x.words[k]
			if i >= int(next[k]) && len(ws)-i >= len(tw) && slices.Equal(ws[i:i+len(tw)], tw) {
				counts[k]++
				next[k] = int32(i + len(tw) + 1)
			}
		}
	}
	return counts
}

// termWords splits s into its runs of letters, digits and '-', as strings.FieldsFunc would,
// looking up a table for ASCII.
func termWords(s string) []string {
	var ws []string
	start := -1
	for i := 0; i < len(s); {
		in, size := false, 1
		if c := s[i]; c < utf8.RuneSelf {
			in = asciiTermByte[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			in = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			ws = append(ws, s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		ws = append(ws, s[start:])
	}
	return ws
}

// asciiTermByte marks the ASCII letters, digits and '-'.
var asciiTermByte = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || c == '-'
	}
	return t
}()

// of is how often term occurs.
func (t tally) of(term string) int { return int(t[flagTerms().id[term]]) }

// sum is how often the terms numbered ids occur, together, with no look-up by name.
func (t tally) sum(ids []int32) int {
	n := 0
	for _, id := range ids {
		n += int(t[id])
	}
	return n
}

// firstOf is the first of terms that occurs, else the first of terms.
func (t tally) firstOf(terms ...string) string {
	for _, term := range terms {
		if t.of(term) > 0 {
			return term
		}
	}
	return terms[0]
}

// quoteTerms lists the terms whose count grew from base to t.
func quoteTerms(t, base tally, terms []string) string {
	var qs []string
	for _, term := range terms {
		if t.of(term) > base.of(term) {
			qs = append(qs, "“"+term+"”")
		}
	}
	return strings.Join(qs, ", ")
}

type quantity struct {
	key  string // "30 day"
	unit string
	text string // as written: "30 days"
}

// periodPattern is what periods finds; the scan below does the regular expression's work
// without compiling it. It is compiled (once) only for text with one of the two characters
// that case-insensitive matching folds onto ASCII letters (ſ and the Kelvin sign), which
// normalised text never has.
const periodPattern = `(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-five|sixty|ninety)(?:\s+(?:business|clear|calendar|sitting|consecutive))?\s+(hour|day|week|month|year)s?\b`

var periodRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(periodPattern) })

// periods finds the time limits in s: "30 days", "ten business days", "Sixty Days".
func periods(s string) []quantity {
	t := fold(s)
	if strings.Contains(t, "\u017f") || strings.Contains(t, "\u212a") { // as ContainsAny, but faster
		var out []quantity
		for _, m := range periodRE().FindAllStringSubmatch(t, -1) {
			out = append(out, period(m[0], m[1], m[2]))
		}
		return out
	}
	var out []quantity
	for i := 0; i < len(t); {
		if !isWordByte(t[i]) || i > 0 && isWordByte(t[i-1]) {
			i++
			continue
		}
		end, num, unit := periodAt(t, i)
		if end < 0 {
			i++
			continue
		}
		out = append(out, period(t[i:end], num, unit))
		i = end
	}
	return out
}

func period(text, num, unit string) quantity {
	n, err := strconv.Atoi(num)
	if err != nil {
		n = numberWords[strings.ToLower(num)]
	}
	unit = strings.ToLower(unit)
	return quantity{key: strconv.Itoa(n) + " " + unit, unit: unit, text: text}
}

// isWordByte is \w, the word characters of \b: ASCII letters, digits and '_'.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// periodAt matches periodPattern at i (a word boundary) as the regular expression does:
// alternatives in order, the qualifier tried before its absence, a plural before the
// singular. It returns the end of the match (-1 for none), the number and the unit.
func periodAt(t string, i int) (end int, num, unit string) {
	try := func(j int) (int, string) {
		// (?:\s+(?:qualifier))?\s+unit s?\b
		if k := spaces(t, j); k > j {
			if q := prefixFold(t[k:], periodQualifiers); q != "" {
				if e, u := unitAt(t, k+len(q)); e >= 0 {
					return e, u
				}
			}
			return unitAt(t, j)
		}
		return -1, ""
	}
	if c := t[i]; '0' <= c && c <= '9' {
		j := i
		for j < len(t) && '0' <= t[j] && t[j] <= '9' {
			j++
		}
		if e, u := try(j); e >= 0 {
			return e, t[i:j], u
		}
		return -1, "", ""
	}
	for _, w := range periodFirst[t[i]] {
		if hasPrefixLower(t[i:], w) {
			if e, u := try(i + len(w)); e >= 0 {
				return e, t[i : i+len(w)], u
			}
		}
	}
	return -1, "", ""
}

// periodFirst lists, for each byte, the number words of a period that start with it in
// either case, in periodNumbers' order (the order the pattern tries them in).
var periodFirst = func() (f [256][]string) {
	for _, w := range periodNumbers {
		f[w[0]] = append(f[w[0]], w)
		f[w[0]-'a'+'A'] = append(f[w[0]-'a'+'A'], w)
	}
	return f
}()

// unitAt matches \s+(hour|day|week|month|year)s?\b at j.
func unitAt(t string, j int) (int, string) {
	k := spaces(t, j)
	if k == j {
		return -1, ""
	}
	u := prefixFold(t[k:], periodUnits)
	if u == "" {
		return -1, ""
	}
	e := k + len(u)
	if e < len(t) && (t[e] == 's' || t[e] == 'S') && (e+1 == len(t) || !isWordByte(t[e+1])) {
		return e + 1, t[k:e]
	}
	if e == len(t) || !isWordByte(t[e]) {
		return e, t[k:e]
	}
	return -1, ""
}

// spaces skips \s+ (ASCII white space) from j.
func spaces(t string, j int) int {
	for j < len(t) && (t[j] == ' ' || t[j] == '\t' || t[j] == '\n' || t[j] == '\f' || t[j] == '\r') {
		j++
	}
	return j
}

// prefixFold returns the first of words that s starts with, ignoring ASCII case.
func prefixFold(s string, words []string) string {
	for _, w := range words {
		if hasPrefixLower(s, w) {
			return w
		}
	}
	return ""
}

// hasPrefixLower says whether s starts with w, a lower-case ASCII word, in any case: as
// strings.EqualFold(s[:len(w)], w) does on text without ſ and the Kelvin sign (periods
// leaves those to the regular expression), the only characters outside ASCII that fold to
// an ASCII letter; but a byte at a time, stopping at the first that differs.
func hasPrefixLower(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		c := s[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}

// amounts finds the sums of money in s: "$100,000", "$ 2.50" (\$\s?\d+(?:,\d{3})*(?:\.\d+)?).
func amounts(s string) []quantity {
	var out []quantity
	for i := strings.IndexByte(s, '$'); i >= 0; {
		j := i + 1
		if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') &&
			j+1 < len(s) && isDigit(s[j+1]) {
			j++
		}
		end := digits(s, j)
		if end > j {
			for end+3 < len(s) && s[end] == ',' && isDigit(s[end+1]) && isDigit(s[end+2]) && isDigit(s[end+3]) {
				end += 4
			}
			if end+1 < len(s) && s[end] == '.' && isDigit(s[end+1]) {
				end = digits(s, end+1)
			}
			m := s[i:end]
			k := strings.NewReplacer(",", "", " ", "").Replace(m)
			out = append(out, quantity{key: k, unit: "$", text: m})
		} else {
			end = i + 1
		}
		next := strings.IndexByte(s[end:], '$')
		if next < 0 {
			break
		}
		i = end + next
	}
	return out
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(s string, j int) int {
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

// multisetDiff returns what is in a but not b, and in b but not a, in order.
func multisetDiff(a, b []quantity) (onlyA, onlyB []quantity) {
	cb := map[string]int{}
	for _, q := range b {
		cb[q.key]++
	}
	ca := map[string]int{}
	for _, q := range a {
		ca[q.key]++
	}
	for _, q := range a {
		if cb[q.key] > 0 {
			cb[q.key]--
			continue
		}
		onlyA = append(onlyA, q)
	}
	for _, q := range b {
		if ca[q.key] > 0 {
			ca[q.key]--
			continue
		}
		onlyB = append(onlyB, q)
	}
	return onlyA, onlyB
}

func byUnit(qs []quantity) map[string][]quantity {
	m := map[string][]quantity{}
	for _, q := range qs {
		m[q.unit] = append(m[q.unit], q)
	}
	return m
}
