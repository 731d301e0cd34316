package gazette

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// Gaps: what a page did not say, reported with the item rather than guessed.
const (
	GapCommentPeriod = "comment period not found"
	GapDepartment    = "department not found"
	GapActs          = "statutory authority not found"
	GapRegistration  = "registration number not found"
)

// parseItem reads the page of one regulation: a Part I proposal (reg{N}) or a Part II
// regulation (sor-dors{N}, si-tr{N}). publicURL is the page's public URL, which gives the part,
// the issue date (Published) and the ID. hint is what the index said about the item; it fills
// the title, department and Act only where the page is silent. What the page does not say is
// left empty and named in Gap; a page that is not a regulation's page at all is an error.
func parseItem(b []byte, publicURL string, hint entry) (billwatch.Regulation, error) {
	loc, ok := locate(publicURL)
	if !ok {
		return billwatch.Regulation{}, fmt.Errorf("%s is not the address of a Gazette item", publicURL)
	}
	p, err := openPage(b)
	if err != nil {
		return billwatch.Regulation{}, err
	}
	bs := blocks(p.main)
	r := billwatch.Regulation{Part: loc.part, ID: loc.id(), Published: loc.date, URL: publicURL}
	var gaps []string

	r.Title = titleFromH1(p.h1)
	regAt := -1
	if loc.part == "II" {
		var reg string
		reg, regAt = registration(bs, p.h1)
		if reg != "" {
			r.Registration = &reg
		} else {
			gaps = append(gaps, GapRegistration)
		}
		if r.Title == "" && regAt >= 0 {
			r.Title = titleAfterRegistration(bs, regAt)
		}
	}
	recognised := r.Title != "" && (mentionsGazette(p.h1, bs) || r.Registration != nil)
	if !recognised {
		return billwatch.Regulation{}, fmt.Errorf("no regulation title on the page (h1 %q): %w", p.h1, scraper.ErrLayoutChanged)
	}

	acts, dept := labelled(bs)
	if len(acts) == 0 && loc.part == "II" {
		acts = actLines(bs, regAt)
		if len(acts) == 0 {
			acts = recitalActs(bs)
		}
	}
	if len(acts) == 0 && hint.Act != "" {
		acts = splitActs([]string{hint.Act})
	}
	r.Acts = acts
	if len(r.Acts) == 0 {
		gaps = append(gaps, GapActs)
	}

	if dept == "" && loc.part == "II" {
		dept = recitalDepartment(bs)
	}
	if dept == "" && hint.Department != "" {
		dept = departmentName(hint.Department)
	}
	r.Department = dept
	if dept == "" {
		gaps = append(gaps, GapDepartment)
	}

	if loc.part == "I" {
		if n, ok := commentDays(bs); ok {
			r.CommentDays = &n
			r.CommentDeadline = deadline(loc.date, n)
		} else {
			gaps = append(gaps, GapCommentPeriod)
		}
	} else {
		r.Prepublished = prepublished(bs)
		r.Finalises = finalises(p, publicURL, r.Prepublished)
	}
	r.Summary = summary(bs)
	r.Gap = strings.Join(gaps, "; ")
	r.Checks = itemChecks(r)
	return r, nil
}

// itemChecks says which of the fields expected of every item were found on its page: a
// proposal's department and comment period; a regulation's department and registration.
func itemChecks(r billwatch.Regulation) []billwatch.FieldCheck {
	if r.Part == "I" {
		const page = "gazette proposals"
		return []billwatch.FieldCheck{
			{Page: page, Field: "department", Found: r.Department != ""},
			{Page: page, Field: "comment period", Found: r.CommentDays != nil},
		}
	}
	const page = "gazette regulations"
	return []billwatch.FieldCheck{
		{Page: page, Field: "department", Found: r.Department != ""},
		{Page: page, Field: "registration", Found: r.Registration != nil},
	}
}

// deadline is the last day of a comment period of n days from the issue date: a calendar date
// in Eastern time, never a guess.
func deadline(published string, n int) string {
	t, err := time.ParseInLocation(billwatch.DateLayout, published, billwatch.Eastern)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(billwatch.DateLayout)
}

var (
	// "Canada Gazette, Part I, Volume 157, Number 46: Regulations Amending ..."
	h1PrefixRE = lazyre.New(`(?i)^Canada\s+Gazette,?\s+Part\s+I{1,3},?\s+(?:Volume|Vol\.)\s*\d+,?\s+(?:Number|No\.)\s*\d+\s*[:—–-]\s*`)
	// "... Regulations: SOR/2024-86"
	h1SuffixRE = lazyre.New(`\s*[:—–-]\s*(?:SOR|SI)\s*/\s*\d{4}\s*-\s*\d+\s*$`)
	// An h1 that names the issue and not the item: "Vol. 148, No. 13 — June 18, 2014".
	issueLineRE = lazyre.New(`(?i)^(?:Canada\s+Gazette\b|Vol(?:ume|\.)\s*\d+)`)
)

func titleFromH1(h1 string) string {
	t := h1PrefixRE.ReplaceAllString(h1, "")
	t = h1SuffixRE.ReplaceAllString(t, "")
	if t == h1 && issueLineRE.MatchString(t) {
		return ""
	}
	return strings.TrimSpace(t)
}

func mentionsGazette(h1 string, bs []block) bool {
	if strings.Contains(strings.ToLower(h1), "canada gazette") {
		return true
	}
	for i, b := range bs {
		if i > 40 {
			break
		}
		if strings.Contains(strings.ToLower(b.text()), "canada gazette") || labelRE.MatchString(b.lines[0]) {
			return true
		}
	}
	return false
}

var (
	registrationRE = lazyre.New(`(?i)\bRegistration\s*:?\s+(SOR|SI)\s*/\s*(\d{4})\s*-\s*(\d{1,4})\b`)
	regNumberRE    = lazyre.New(`\b(SOR|SI)\s*/\s*(\d{4})\s*-\s*(\d{1,4})\b`)
)

// registration finds "Registration SOR/2026-231" (label and number in one block or two) and
// returns the number and the index of the block holding it; failing that, the number the h1
// ends with.
func registration(bs []block, h1 string) (string, int) {
	for i, b := range bs {
		t := b.text()
		if i+1 < len(bs) && strings.EqualFold(strings.TrimSuffix(t, ":"), "Registration") {
			t += " " + bs[i+1].text()
			if m := registrationRE.FindStringSubmatch(t); m != nil {
				return regNumber(m), i + 1
			}
			continue
		}
		if m := registrationRE.FindStringSubmatch(t); m != nil {
			return regNumber(m), i
		}
	}
	if m := regNumberRE.FindStringSubmatch(h1); m != nil {
		return regNumber(m), -1
	}
	return "", -1
}

func regNumber(m []string) string {
	n, _ := strconv.Atoi(m[3])
	return strings.ToUpper(m[1]) + "/" + m[2] + "-" + strconv.Itoa(n)
}

var pcRE = lazyre.New(`^P\.\s?C\.\s`)

// titleAfterRegistration reads the title of the older Part II layout, where the h1 names the
// issue and the title follows "Registration / SOR/2014-139 May 29, 2014 / ACT".
func titleAfterRegistration(bs []block, regAt int) string {
	for _, b := range bs[regAt+1:] {
		for _, l := range b.lines {
			switch {
			case regNumberRE.MatchString(l) && len(l) < 40, isUpper(l), pcRE.MatchString(l), parseDate(l) != "":
				continue
			}
			if utf8.RuneCountInString(l) > 300 {
				return ""
			}
			return l
		}
	}
	return ""
}

// actLines reads the enabling Acts of a Part II page: the lines in capitals after the
// registration ("SECURE AIR TRAVEL ACT"), in the Acts' usual capitalisation.
func actLines(bs []block, regAt int) []string {
	if regAt < 0 {
		return nil
	}
	var acts []string
	skippedReg := false
	for _, b := range bs[regAt:] {
		for _, l := range b.lines {
			switch {
			case !skippedReg:
				if regNumberRE.MatchString(l) {
					skippedReg = true
				}
				continue
			case pcRE.MatchString(l) || strings.EqualFold(l, "Registration"):
				continue
			case isUpper(l):
				acts = append(acts, titleCase(l))
				continue
			}
			return acts
		}
	}
	return acts
}

var recitalActRE = lazyre.New(`\b(?:of|under) the ((?:[A-Z][\w'’.-]*\s+)(?:(?:[A-Z][\w'’.-]*|and|of|the|for|to|on|in|respecting)\s+)*?(?:Act|Code)(?:,\s+\d{4})?)\b`)

// recitalActs reads the Acts a Part II recital names ("... pursuant to section 32 of the
// Secure Air Travel Act, makes ...").
func recitalActs(bs []block) []string {
	b, ok := recital(bs)
	if !ok {
		return nil
	}
	var acts []string
	for _, m := range recitalActRE.FindAllStringSubmatch(b, -1) {
		acts = appendUnique(acts, m[1])
	}
	return acts
}

var (
	recommendationRE = lazyre.New(`\bon the recommendation of the (Minister (?:of|for|responsible for) [^;]+?|(?:President of the )?Treasury Board|President of the (?:King|Queen)['’]s Privy Council for Canada|Prime Minister|Leader of the Government in the House of Commons)(?:,? pursuant\b|,? under\b|, makes\b|,? hereby\b|,? and (?:of )?the (?:Minister|Treasury)\b|$)`)
	ministerMakesRE  = lazyre.New(`^The (Minister (?:of|for|responsible for) [^;]+?),? (?:pursuant to|under)\b`)
	// authorityRE is the wording that gives a regulation its legal footing.
	authorityRE = lazyre.New(`\b(?:pursuant to|under) (?:sections?|subsections?|paragraphs?|subparagraphs?|items?|the\b|[0-9])`)
)

// recitalDepartment names the department of the minister on whose recommendation a Part II
// regulation is made ("on the recommendation of the Minister of Public Safety and Emergency
// Preparedness" → "Department of Public Safety and Emergency Preparedness").
func recitalDepartment(bs []block) string {
	b, ok := recital(bs)
	if !ok {
		return ""
	}
	m := recommendationRE.FindStringSubmatch(b)
	if m == nil {
		m = ministerMakesRE.FindStringSubmatch(b)
	}
	if m == nil {
		return ""
	}
	return ministerDepartment(m[1])
}

// portfolios maps ministers' titles whose department bears another name to that name. The
// rest follow the rule "Minister of X" → "Department of X".
var portfolios = []struct{ minister, department string }{
	{"Minister of Public Safety", "Department of Public Safety and Emergency Preparedness"},
	{"Minister of Citizenship and Immigration", "Department of Citizenship and Immigration"},
	{"Minister of Immigration, Refugees and Citizenship", "Department of Citizenship and Immigration"},
	{"Minister of Innovation, Science and Industry", "Department of Industry"},
	{"Minister of Innovation, Science and Economic Development", "Department of Industry"},
	{"Minister of the Environment", "Department of the Environment"},
	{"Minister of Environment and Climate Change", "Department of the Environment"},
	{"Minister of Foreign Affairs", "Department of Foreign Affairs, Trade and Development"},
	{"Minister of International Trade", "Department of Foreign Affairs, Trade and Development"},
	{"Minister of International Development", "Department of Foreign Affairs, Trade and Development"},
	{"Minister of Public Services and Procurement", "Department of Public Works and Government Services"},
	{"Minister of Public Works and Government Services", "Department of Public Works and Government Services"},
	{"Minister of Families, Children and Social Development", "Department of Employment and Social Development"},
	{"Minister of Jobs and Families", "Department of Employment and Social Development"},
	{"Minister of Labour", "Department of Employment and Social Development"},
	{"Minister of Crown-Indigenous Relations", "Department of Crown-Indigenous Relations and Northern Affairs"},
	{"Minister of Justice", "Department of Justice"},
	{"Minister of Fisheries", "Department of Fisheries and Oceans"},
	{"Minister of National Revenue", "Canada Revenue Agency"},
	{"Minister of Health", "Department of Health"},
	{"Minister of Transport", "Department of Transport"},
	{"Minister of Finance", "Department of Finance"},
	// Office holders who recommend without being a "Minister of": the Treasury Board's
	// President for its Secretariat, and those the Privy Council Office serves.
	{"President of the Treasury Board", "Treasury Board"},
	{"Prime Minister", "Privy Council Office"},
	{"President of the King's Privy Council for Canada", "Privy Council Office"},
	{"President of the King’s Privy Council for Canada", "Privy Council Office"},
	{"President of the Queen's Privy Council for Canada", "Privy Council Office"},
	{"President of the Queen’s Privy Council for Canada", "Privy Council Office"},
	{"Leader of the Government in the House of Commons", "Privy Council Office"},
}

// ministerDepartment maps a minister's title (as a recital writes it, "Minister of Public
// Safety and Emergency Preparedness") to the department's name.
func ministerDepartment(minister string) string {
	minister = strings.TrimSpace(minister)
	for _, p := range portfolios {
		if minister == p.minister || strings.HasPrefix(minister, p.minister+" ") || strings.HasPrefix(minister, p.minister+",") {
			return p.department
		}
	}
	if rest, ok := strings.CutPrefix(minister, "Minister of "); ok {
		return "Department of " + rest
	}
	return minister
}

// recital is the paragraph that makes the regulation: it names its authority ("pursuant to"
// or "under" a provision) and says who makes it. The enacting clause ("… makes the annexed
// Regulations …") wins over an earlier "Whereas" paragraph.
func recital(bs []block) (string, bool) {
	fallback := ""
	for _, b := range bs {
		t := b.text()
		if !authorityRE.MatchString(t) {
			continue
		}
		makes := strings.Contains(t, "makes the annexed") || strings.Contains(t, "hereby makes") || strings.Contains(t, "makes the ")
		if makes && (strings.Contains(t, "Governor General in Council") || strings.Contains(t, "recommendation of") || strings.HasPrefix(t, "The Minister ") || strings.HasPrefix(t, "The Treasury Board")) {
			return t, true
		}
		if fallback == "" && (strings.Contains(t, "Governor General in Council") || strings.HasPrefix(t, "The Minister of")) {
			fallback = t
		}
	}
	return fallback, fallback != ""
}

var labelRE = lazyre.New(`(?i)^(statutory\s+authorit(?:y|ies)|sponsoring\s+(?:departments?\s+and\s+agenc(?:y|ies)|departments?|agenc(?:y|ies)|organi[sz]ations?|minist(?:ry|ries)))\b\s*:?\s*(.*)$`)

// labelled reads the labelled fields that open a Part I proposal: "Statutory authority" and
// "Sponsoring department" (or agency, or "department and agency"), each followed by its value in
// the same block after a <br> or a colon, or in the next block(s).
func labelled(bs []block) (acts []string, dept string) {
	seenActs, seenDept := false, false
	for i := 0; i < len(bs); i++ {
		m := labelRE.FindStringSubmatch(bs[i].lines[0])
		if m == nil {
			continue
		}
		var vals []string
		if m[2] != "" {
			vals = append(vals, m[2])
		}
		vals = append(vals, bs[i].lines[1:]...)
		if len(vals) == 0 {
			// The value is in the next blocks: one paragraph, or the items of one list.
			for j := i + 1; j < len(bs) && j <= i+6; j++ {
				nb := bs[j]
				if nb.heading() || labelRE.MatchString(nb.lines[0]) {
					break
				}
				vals = append(vals, nb.lines...)
				if nb.tag != "li" || j+1 >= len(bs) || bs[j+1].tag != "li" {
					break
				}
			}
		}
		if len(vals) == 0 {
			continue
		}
		if strings.HasPrefix(strings.ToLower(m[1]), "statutory") {
			if !seenActs {
				acts, seenActs = splitActs(vals), true
			}
		} else if !seenDept {
			dept, seenDept = strings.Join(vals, "; "), true
		}
		if seenActs && seenDept {
			break
		}
	}
	return acts, dept
}

var actJoinRE = lazyre.New(`((?:Act|Code|Regulations)(?:,\s*\d{4})?)(?:\s*;\s*|,\s+and\s+(?:the\s+)?|,\s+(?:the\s+)?|\s+and\s+(?:the\s+)?)([A-Z])`)

// splitActs splits "Customs Act and Immigration and Refugee Protection Act" into its Acts; the
// "and" inside a name stays because a split happens only right after "Act" or "Code".
func splitActs(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, a := range strings.Split(actJoinRE.ReplaceAllString(l, "$1\x00$2"), "\x00") {
			a = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(a), ".;,"))
			a = strings.TrimPrefix(a, "the ")
			if a != "" {
				out = appendUnique(out, a)
			}
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

func isUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4
}

var smallWords = map[string]bool{
	"and": true, "of": true, "the": true, "to": true, "for": true, "on": true, "in": true,
	"respecting": true, "a": true, "an": true, "or": true, "at": true, "by": true, "with": true,
}

// titleCase turns "IMMIGRATION AND REFUGEE PROTECTION ACT" into "Immigration and Refugee
// Protection Act", the form the Statutory authority line and the watch list use.
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && smallWords[w] {
			continue
		}
		var sb strings.Builder
		up := true
		for _, r := range w {
			if up {
				sb.WriteRune(unicode.ToUpper(r))
			} else {
				sb.WriteRune(r)
			}
			up = r == '-' || r == '–' || r == '—' || r == '/' || r == '('
		}
		words[i] = sb.String()
	}
	return strings.Join(words, " ")
}

const numberWord = `(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)`

// commentRE matches the sentence of a proposal that sets its comment period, in the forms seen
// and foreseeable: "within 30 days after the date of publication of this notice", "within
// thirty days", "within seventy-five (75) days", "no later than 60 days after the publication",
// "within 30 days of the publication of this notice", "within 15 days after this notice is
// published", "within 60 days after the day on which this notice is published". It needs "publication" or "published" so that "within 30 days after learning of
// the change" (a condition in a notice) does not match.
var commentRE = lazyre.New(`(?i)\b(?:within|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than)\s+(?:a\s+period\s+of\s+|the\s+)?(\d{1,3}|` + numberWord + `(?:[\s-]+(?:and\s+)?` + numberWord + `)*)\s*(?:\(\s*(\d{1,3})\s*\)\s*)?(?:calendar\s+)?days?\s+(?:after|following|from|of)\s+(?:the\s+)?(?:(?:date|day)\s+(?:of\s+)?(?:the\s+)?)?(?:(?:this\s+notice'?s?\s+)?publication|(?:on\s+which\s+)?this\s+notice\s+is\s+published|its\s+publication)`)

// commentDays reads the comment period of a Part I proposal. Where a page has several such
// sentences (an Act may also set a period for objections), the one about representations or
// comments wins.
func commentDays(bs []block) (int, bool) {
	first := -1
	for _, b := range bs {
		t := b.text()
		for _, ix := range commentRE.FindAllStringSubmatchIndex(t, -1) {
			m := func(i int) string {
				if ix[2*i] < 0 {
					return ""
				}
				return t[ix[2*i]:ix[2*i+1]]
			}
			n := -1
			if m(2) != "" {
				n, _ = strconv.Atoi(m(2))
			} else if d, err := strconv.Atoi(m(1)); err == nil {
				n = d
			} else {
				n = wordsToInt(m(1))
			}
			if n <= 0 || n > 365 {
				continue
			}
			if l := strings.ToLower(sentence(t, ix[0], ix[1])); strings.Contains(l, "representation") || strings.Contains(l, "comment") || strings.Contains(l, "interested persons") {
				return n, true
			}
			if first < 0 {
				first = n
			}
		}
	}
	return first, first > 0
}

// sentence is the sentence of t around t[start:end].
func sentence(t string, start, end int) string {
	from := strings.LastIndex(t[:start], ". ") + 1
	to := len(t)
	if i := strings.Index(t[end:], ". "); i >= 0 {
		to = end + i
	}
	return t[from:to]
}

var numberValues = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// wordsToInt reads "seventy-five", "thirty", "one hundred and twenty"; -1 when it cannot.
func wordsToInt(s string) int {
	total, cur := 0, 0
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '-' || unicode.IsSpace(r) })
	if len(words) == 0 {
		return -1
	}
	for _, w := range words {
		switch {
		case w == "and":
		case w == "hundred":
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		default:
			v, ok := numberValues[w]
			if !ok {
				return -1
			}
			cur += v
		}
	}
	return total + cur
}

var prepublishedRE = lazyre.New(`(?i)\b(pre-?published|published)\s+in\s+(?:the\s+)?Canada\s+Gazette\s*,?\s*Part\s+I\b\s*,?\s*(?:on\s+)?(?:the\s+)?(\d{4}-\d{2}-\d{2}|[a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]+\.?,?\s+\d{4})`)

// prepublished reads the RIAS sentence of a Part II regulation that says when its proposal was
// published in Part I ("The proposed Regulations were prepublished in the Canada Gazette, Part
// I, on September 12, 2026, followed by a 30-day comment period").
func prepublished(bs []block) string {
	var plain string
	for _, b := range bs {
		for _, m := range prepublishedRE.FindAllStringSubmatch(b.text(), -1) {
			d := parseDate(m[2])
			if d == "" {
				continue
			}
			if strings.HasPrefix(strings.ToLower(m[1]), "pre") {
				return d
			}
			if plain == "" {
				plain = d
			}
		}
	}
	return plain
}

// finalises names the Part I proposal a Part II page links to, when it links one.
func finalises(p *page, publicURL, prepub string) string {
	base, _ := url.Parse(publicURL)
	var found string
	p.main.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		u, ok := canonical(base, a.AttrOr("href", ""))
		if !ok {
			return true
		}
		l, ok := locate(u)
		if !ok || l.part != "I" || !strings.HasPrefix(l.slug, "reg") || !l.document() {
			return true
		}
		if found == "" || l.date == prepub {
			found = "I " + l.id()
		}
		return l.date != prepub
	})
	return found
}

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

var (
	mdyRE = lazyre.New(`^(?i)([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$`)
	dmyRE = lazyre.New(`^(?i)(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$`)
	isoRE = lazyre.New(`^(\d{4})-(\d{2})-(\d{2})$`)
)

// parseDate reads "September 12, 2026", "12 September 2026", "Sept. 12, 2026" or "2026-09-12"
// as YYYY-MM-DD; "" when s is not a date.
func parseDate(s string) string {
	s = strings.TrimSpace(s)
	var y, d int
	var mo time.Month
	if m := mdyRE.FindStringSubmatch(s); m != nil {
		mo = months[strings.ToLower(m[1])]
		d, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
	} else if m := dmyRE.FindStringSubmatch(s); m != nil {
		d, _ = strconv.Atoi(m[1])
		mo = months[strings.ToLower(m[2])]
		y, _ = strconv.Atoi(m[3])
	} else if m := isoRE.FindStringSubmatch(s); m != nil {
		y, _ = strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		mo = time.Month(n)
		d, _ = strconv.Atoi(m[3])
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 {
		return ""
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return ""
	}
	return t.Format(billwatch.DateLayout)
}

var issuesRE = lazyre.New(`(?i)^(?:issues?|executive summary|background)\s*:\s*(.+)$`)

// summary is the statement of the issue that opens the regulatory impact analysis, shortened.
func summary(bs []block) string {
	for i, b := range bs {
		if m := issuesRE.FindStringSubmatch(b.text()); m != nil && len(m[1]) > 20 {
			return shorten(m[1])
		}
		if t := strings.TrimSuffix(b.text(), ":"); strings.EqualFold(t, "Issues") || strings.EqualFold(t, "Issue") {
			for _, nb := range bs[i+1:] {
				if nb.heading() {
					break
				}
				return shorten(nb.text())
			}
		}
	}
	return ""
}

func shorten(s string) string {
	const max = 600
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := strings.LastIndexByte(string(r), ' ')
	if cut < max/2 {
		return string(r) + "…"
	}
	return string(r)[:cut] + "…"
}
