package commons

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// notice is what a notice of meeting says: when, on what, who appears, and when the notice was
// published. A field the notice does not give stays empty and is named in Gaps.
type notice struct {
	Number    int
	Start     time.Time // zero when the notice gives no date and time
	End       time.Time
	Broadcast string // "televised", "webcast", "audio"
	InCamera  bool
	Amended   bool // the heading says the notice was amended
	Witnesses []billwatch.Witness
	Room      string
	Subjects  []string // what the meeting is on ("Bill C-22, An Act respecting lawful access")
	Bills     []string
	Published string // the publication stamp the notice ends with ("2024-02-09 3:10 p.m.")
	Gaps      []string
}

// Gaps of a notice of meeting.
const (
	GapNoticeTime      = "notice: date and time not found"
	GapNoticeSubject   = "notice: subject not found"
	GapNoticeWitnesses = "notice: witnesses listed but no person's name could be read"
	GapNoticeStamp     = "notice: publication stamp not found"
)

// line is one block of text of a page, in reading order.
type line struct {
	text string
	item bool // inside an <li>, or written as a bullet ("• Jane Doe, ...")
}

var (
	reWitnessHead = lazyre.New(`(?i)^(witnesses|witness|appearing|témoins|témoin|comparaît|comparaissent)\s*(\((amended|revised|modifiée?s?|révisée?s?)\))?\s*:?$`)
	reAppearHead  = lazyre.New(`(?i)^(appearing|comparaît|comparaissent)`)
	reSubjectHead = lazyre.New(`(?i)^(orders of the day|subject matter|ordre du jour|sujet)\s*:?$`)
	reClerkHead   = lazyre.New(`(?i)^(clerk of the committee|greffi[eè]re? du comité|clerks? of the committee)\s*:?$`)
	reNoticeHead  = lazyre.New(`(?i)^((amended|revised)\s+)?(notice of meeting|avis de convocation)(\s*\((amended|revised|modifié)\))?\s*(modifié|révisé)?$`)
	reAmended     = lazyre.New(`(?i)\b(amended|revised|modifié|révisé)\b`)
	reMeetingLine = lazyre.New(`(?i)^(?:meeting|séance)\s*(?:no\.?|n[o°º]\.?|number)?\s*(\d{1,4})$`)
	reParlLine    = lazyre.New(`(?i)^\d{1,2}(?:st|nd|rd|th|e|re)\s+(?:parliament|législature)`)
	reCommLine    = lazyre.New(`\(([A-Z]{4}|[A-Z]{2,3}[0-9]?)\)$`)
	reDateLine    = lazyre.New(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\.?\s+(\d{1,2}),?\s+(\d{4})|\b(\d{1,2})(?:er)?\s+(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\s+(\d{4})`)
	reBroadcast   = lazyre.New(`(?i)^(televised|webcast|audio only|in camera|télévisée?|webdiffusion|audio seulement|à huis clos|huis clos)(\s*[,/]\s*(televised|webcast|audio only|in camera|télévisée?|webdiffusion|à huis clos|huis clos))*$`)
	reRoomLine    = lazyre.New(`(?i)^(room|pièce|salle)\b|^[^,]{0,60}\b(building|block|édifice)\b`)
	reStamp       = lazyre.New(`(?i)^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}\s*[:h]\s*\d{2}(?:\s*[ap]\.?\s*m\.?)?)$`)
	reFormat      = lazyre.New(`(?i)^(hybrid|in[- ]person|virtual|videoconference)\b.{0,30}$|^(réunion|séance) (hybride|virtuelle|en personne)`)
	reBullet      = lazyre.New(`^[•·▪◦\-–]\s*`)
	// A line that opens a new subject even inside a witness list: the wordings of the House.
	reSubjectLine = lazyre.New(`(?i)^(bills?\s+[CS]\s?-\s?\d|projet de loi\s+[CS]-\d|pursuant to\b|conformément\b|study of\b|étude\b|committee business|travaux du comité|briefing\b|séance d'information|(main|supplementary|interim) estimates|budget (principal|supplémentaire)|meeting requested\b|réunion demandée|motion\b|consideration of\b|draft report|projet de rapport|subject matter of\b|election of\b|élection\b)`)
	reIndividual  = lazyre.New(`(?i)^(as an? individuals?|à titre personnel|as individuals)$`)
)

var (
	reHourH = lazyre.New(`\b(\d{1,2})\s*h\s*(\d{2})?\b`)
	reAMPM  = lazyre.New(`(?i)\b[ap]\.?\s*m\b|\bnoon\b`)
)

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
	"septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}

// parseNotice reads a DocumentViewer notice of meeting by its structure and wording, not by
// one page's classes, so that list items, paragraphs and divs read alike:
//
//   - the notice starts at its heading ("Notice of meeting"; "Amended" marks an amended one),
//     or failing that at its "Meeting N" line; the site's chrome before it is not read;
//   - the header gives the committee, the session, "Meeting 106", the date and time
//     ("Tuesday, February 13, 2024, 11:00 a.m. to 1:00 p.m."), the broadcast ("Televised"),
//     and the room when there is one;
//   - a time slot ("11:00 a.m. to 12:00 p.m.") ends whatever came before it;
//   - "Witnesses" and "Appearing" (Témoins, Comparaît) open a group: an organisation line,
//     then its people as "Name, Title" lines (or list items, or bullets); a person without an
//     organisation above keeps an empty organisation, never a neighbour's text;
//   - what the notice says it is on (with or without an "Orders of the Day" heading) is a
//     subject: "Bill C-22, …", "Pursuant to Standing Order 108(2), study of …";
//   - "Clerk of the committee" ends the notice; the stamp after it ("2024-02-09 3:10 p.m.")
//     is kept, because it tells an amended notice from an unchanged one.
//
// A page that does not look like a notice of meeting at all is scraper.ErrLayoutChanged.
func parseNotice(r io.Reader) (notice, error) {
	var n notice
	b, err := io.ReadAll(r)
	if err != nil {
		return n, fmt.Errorf("read notice: %w", err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(scraper.DecodeBytes(b)))
	if err != nil {
		return n, fmt.Errorf("parse notice: %w", err)
	}
	root := doc.Find("body")
	if root.Length() == 0 {
		root = doc.Selection
	}
	var f flattener
	for _, node := range root.Nodes {
		f.walk(node)
	}
	f.emit()
	lines := f.lines

	// Where the notice starts: its heading, else its "Meeting N" line, else the first group.
	start := -1
	for i, l := range lines {
		if reNoticeHead.MatchString(l.text) {
			start = i
			n.Amended = reAmended.MatchString(l.text)
			break
		}
	}
	if start < 0 {
		for i, l := range lines {
			if reMeetingLine.MatchString(l.text) || reWitnessHead.MatchString(l.text) {
				start = i
				break
			}
		}
	}
	if start < 0 {
		return n, fmt.Errorf("notice: no notice of meeting heading, meeting number or witness list: %w", scraper.ErrLayoutChanged)
	}
	lines = lines[start:]

	const (
		header = iota
		body
		subjects
		group
		clerk
	)
	state := header
	appearing := false
	groups, named := 0, 0
	org := ""
	orgUsed := true
	flushOrg := func() {
		if !orgUsed && org != "" {
			n.Witnesses = append(n.Witnesses, billwatch.Witness{Organization: org, Appearing: appearing})
		}
		org, orgUsed = "", true
	}
	addPerson := func(name, title string) {
		o := org
		if reIndividual.MatchString(o) {
			o = "As an individual"
		}
		n.Witnesses = append(n.Witnesses, billwatch.Witness{Name: name, Title: title, Organization: o, Appearing: appearing})
		orgUsed = true
		named++
	}
	for _, l := range lines {
		text := l.text
		switch {
		case reNoticeHead.MatchString(text):
			continue
		case reStamp.MatchString(text):
			flushOrg()
			n.Published = normStamp(text)
			continue
		case reClerkHead.MatchString(text):
			flushOrg()
			state = clerk
			continue
		case state == clerk:
			continue // the clerk's name and telephone number
		case reWitnessHead.MatchString(text):
			flushOrg()
			state, groups = group, groups+1
			appearing = reAppearHead.MatchString(text)
			continue
		case reSubjectHead.MatchString(text):
			flushOrg()
			state = subjects
			continue
		case scraper.OnlyClockTimes(text):
			// A time slot ends the organisation above it. Real notices give the slot before
			// its group; some give it inside the group, so a group stays open.
			flushOrg()
			if state != group {
				state = body
			}
			continue
		}
		if state == header || state == body || state == subjects {
			if m := reMeetingLine.FindStringSubmatch(text); m != nil && n.Number == 0 {
				n.Number, _ = strconv.Atoi(m[1])
				continue
			}
			if n.Start.IsZero() && reDateLine.MatchString(text) && len(text) < 120 {
				n.Start, n.End = noticeTimes(text)
				continue
			}
			if reBroadcast.MatchString(text) {
				low := strings.ToLower(text)
				n.InCamera = n.InCamera || strings.Contains(low, "camera") || strings.Contains(low, "clos")
				switch {
				case strings.Contains(low, "televis") || strings.Contains(low, "télévis"):
					n.Broadcast = "televised"
				case strings.Contains(low, "webcast") || strings.Contains(low, "webdiffusion"):
					n.Broadcast = "webcast"
				case strings.Contains(low, "audio"):
					n.Broadcast = "audio"
				}
				continue
			}
			if reParlLine.MatchString(text) || reFormat.MatchString(text) || (state == header && reCommLine.MatchString(text)) {
				continue
			}
			if n.Room == "" && reRoomLine.MatchString(text) && len(text) < 120 {
				n.Room = text
				continue
			}
			n.Subjects = appendNew(n.Subjects, text)
			state = body
			continue
		}
		// In a group of witnesses.
		if reBroadcast.MatchString(text) && !l.item {
			// "In camera" after the witnesses: the next part of the meeting.
			flushOrg()
			low := strings.ToLower(text)
			n.InCamera = n.InCamera || strings.Contains(low, "camera") || strings.Contains(low, "clos")
			state = body
			continue
		}
		if reSubjectLine.MatchString(text) && !l.item {
			flushOrg()
			n.Subjects = appendNew(n.Subjects, text)
			state = body
			continue
		}
		// The minutes' form: "Department of Industry • Andre Arbour, Director General".
		if i := strings.Index(text, " • "); i > 0 && !l.item {
			flushOrg()
			org, orgUsed = strings.TrimSpace(text[:i]), false
			for _, p := range strings.Split(text[i+3:], " • ") {
				if name, title, ok := personLine(strings.TrimSpace(p), true); ok {
					addPerson(name, title)
				}
			}
			continue
		}
		bullet := l.item || reBullet.MatchString(text)
		text = strings.TrimSpace(reBullet.ReplaceAllString(text, ""))
		if text == "" {
			continue
		}
		if reIndividual.MatchString(text) {
			flushOrg()
			org, orgUsed = "As an individual", false
			continue
		}
		// A line without a comma is a person only as a list item or under "As an individual":
		// under an organisation it is more likely another organisation ("Meta Platforms").
		if name, title, ok := personLine(text, bullet || org == "As an individual"); ok {
			addPerson(name, title)
			continue
		}
		flushOrg()
		org, orgUsed = text, false
	}
	flushOrg()
	n.Bills = scraper.BillsIn(n.Subjects)
	if n.Start.IsZero() {
		n.Gaps = append(n.Gaps, GapNoticeTime)
	}
	if len(n.Subjects) == 0 {
		n.Gaps = append(n.Gaps, GapNoticeSubject)
	}
	if groups > 0 && named == 0 {
		n.Gaps = append(n.Gaps, GapNoticeWitnesses)
	}
	if n.Published == "" {
		n.Gaps = append(n.Gaps, GapNoticeStamp)
	}
	return n, nil
}

// personLine reads "Eric Janse, Clerk of the House of Commons" (name, then title) when what
// precedes the first comma is a person's name. A line without a comma is a person only when
// loose (a list item, or under an organisation line) and it reads as a name.
func personLine(s string, loose bool) (name, title string, ok bool) {
	head, rest, comma := strings.Cut(s, ",")
	head = strings.TrimSpace(head)
	if !comma {
		if loose && looksLikeName(head) {
			return head, "", true
		}
		return "", "", false
	}
	if !looksLikeName(head) {
		return "", "", false
	}
	return head, strings.TrimSpace(rest), true
}

var (
	reHonorific = lazyre.New(`^(?i:the\s+)?(?:(?i:right\s+)?(?i:hon(?:ourable|orable)?\.?)\s+|(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|M|Mme|Me|L'hon)\.?\s+|(?:Senator|Sénateur|Sénatrice|Chief|Grand Chief|National Chief|Regional Chief|Elder|Professor|Sister|Father|Commissioner|Justice|Judge|General|Lieutenant-General|Major-General|Colonel|Inspector|Superintendent|Chief Superintendent|Deputy Commissioner|Assistant Commissioner|Major General|Major-General|Brigadier General|Brigadier-General|Lieutenant General|Lieutenant-Colonel|Lieutenant Colonel|Rear-Admiral|Rear Admiral|Vice-Admiral|Vice Admiral|Admiral|Commodore|Sergeant|Staff Sergeant|Corporal|Constable|Detective|Ambassador|His Excellency|Her Excellency)\s+)+`)
	orgWords    = map[string]bool{
		"department": true, "ministry": true, "minister": true, "office": true, "association": true, "council": true,
		"canada": true, "canadian": true, "commission": true, "service": true, "services": true, "agency": true,
		"corporation": true, "inc": true, "inc.": true, "ltd": true, "ltd.": true, "llp": true, "university": true,
		"université": true, "house": true, "parliament": true, "senate": true, "committee": true, "centre": true,
		"center": true, "institute": true, "institut": true, "foundation": true, "society": true, "union": true,
		"coalition": true, "network": true, "group": true, "federation": true, "fédération": true, "bureau": true,
		"police": true, "board": true, "court": true, "government": true, "alliance": true, "chamber": true,
		"congress": true, "bank": true, "company": true, "clinic": true, "hospital": true, "forces": true,
		"authority": true, "secretariat": true, "league": true, "trust": true, "fund": true, "partners": true,
		"commons": true, "nation": true, "nations": true, "assembly": true, "tribunal": true, "library": true,
		"branch": true, "division": true, "directorate": true, "college": true, "school": true, "faculty": true,
		"laboratory": true, "lab": true, "labs": true, "project": true, "collective": true, "forum": true,
		"campaign": true, "movement": true, "observatory": true, "co-operative": true, "cooperative": true,
		"amnesty": true, "ligue": true, "program": true, "programme": true, "initiative": true, "media": true, "news": true,
		"international": true, "conseil": true, "ministère": true, "société": true, "comité": true,
		"individual": true, "personnel": true, "secretary": true, "director": true, "general": true,
		"clerk": true, "officer": true, "counsel": true, "president": true, "chair": true, "staff": true,
		"deputy": true, "assistant": true, "acting": true, "policy": true, "affairs": true, "the": true,
		"of": true, "for": true, "and": true, "on": true, "et": true, "pour": true,
	}
	particles = map[string]bool{
		"de": true, "du": true, "des": true, "la": true, "le": true, "van": true, "von": true, "der": true,
		"den": true, "da": true, "di": true, "dos": true, "bin": true, "al": true, "el": true, "ter": true,
		"st.": true, "ste": true, "ste.": true, "mc": true, "d'": true,
	}
)

// looksLikeName reports whether s reads as a person's name: after an honorific ("Hon.",
// "Dr."), two to five words, each capitalised (or a particle: "de", "van"), no digit, and no
// word that names an institution ("Department", "Association", "House").
func looksLikeName(s string) bool {
	s = strings.TrimSpace(reHonorific.ReplaceAllString(strings.TrimSpace(s), ""))
	if s == "" || strings.ContainsAny(s, "0123456789():;/&@") {
		return false
	}
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	for i, w := range words {
		lw := strings.ToLower(strings.Trim(w, ".,"))
		if orgWords[lw] {
			return false
		}
		if particles[lw] && i > 0 && i < len(words)-1 {
			continue
		}
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return true
}

// noticeTimes reads the meeting line ("Tuesday, February 13, 2024, 11:00 a.m. to 1:00 p.m.")
// as Eastern wall times. Only a date (no clock) gives a start at midnight and no end.
func noticeTimes(s string) (start, end time.Time) {
	m := reDateLine.FindStringSubmatch(s)
	if m == nil {
		return
	}
	var mo time.Month
	var d, y int
	if m[1] != "" {
		mo = months[strings.ToLower(m[1])]
		d, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
	} else {
		d, _ = strconv.Atoi(m[4])
		mo = months[strings.ToLower(m[5])]
		y, _ = strconv.Atoi(m[6])
	}
	if mo == 0 || d < 1 || d > 31 {
		return
	}
	day := time.Date(y, mo, d, 0, 0, 0, 0, billwatch.Eastern)
	if day.Day() != d {
		return
	}
	start = day
	rest := reDateLine.ReplaceAllString(s, " ")
	if hs := reHourH.FindAllStringSubmatch(rest, 2); len(hs) > 0 && !reAMPM.MatchString(rest) {
		// The French notice's 24-hour clock: "de 15 h 30 à 17 h 30".
		at := func(m []string) (int, bool) {
			h, _ := strconv.Atoi(m[1])
			mm, _ := strconv.Atoi("0" + m[2])
			return h*60 + mm, h < 24 && mm < 60
		}
		if a, ok := at(hs[0]); ok {
			start = time.Date(y, mo, d, a/60, a%60, 0, 0, billwatch.Eastern)
			if len(hs) > 1 {
				if b, ok := at(hs[1]); ok && b > a {
					end = time.Date(y, mo, d, b/60, b%60, 0, 0, billwatch.Eastern)
				}
			}
		}
		return start, end
	}
	if a, b, ok := scraper.ClockRange(rest); ok {
		start = time.Date(y, mo, d, a/60, a%60, 0, 0, billwatch.Eastern)
		if b >= 0 {
			end = time.Date(y, mo, d, b/60, b%60, 0, 0, billwatch.Eastern)
			if !end.After(start) {
				end = end.AddDate(0, 0, 1)
			}
		}
	}
	return start, end
}

// normStamp writes a publication stamp one way ("2024-02-09 15:10"), so that a change of
// spacing or of clock notation is not taken for a new notice.
func normStamp(s string) string {
	m := reStamp.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	if a, _, ok := scraper.ClockRange(m[2]); ok {
		return fmt.Sprintf("%s %02d:%02d", m[1], a/60, a%60)
	}
	hm := strings.ReplaceAll(strings.ReplaceAll(m[2], " ", ""), "h", ":")
	if h, mm, ok := strings.Cut(hm, ":"); ok {
		hh, _ := strconv.Atoi(h)
		return fmt.Sprintf("%s %02d:%s", m[1], hh, mm)
	}
	return s
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "dd": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true,
	"p": true, "pre": true, "section": true, "table": true, "td": true, "th": true, "tr": true,
	"ul": true, "caption": true, "tbody": true, "thead": true,
}

// flattener turns a page into lines, one per block element, remembering whether the text sits
// inside a list item.
type flattener struct {
	lines     []line
	cur       strings.Builder
	itemDepth int
}

func (f *flattener) emit() {
	if t := scraper.Clean(f.cur.String()); t != "" {
		f.lines = append(f.lines, line{text: t, item: f.itemDepth > 0})
	}
	f.cur.Reset()
}

func (f *flattener) walk(c *html.Node) {
	switch c.Type {
	case html.TextNode:
		f.cur.WriteString(c.Data)
		return
	case html.ElementNode:
		switch c.Data {
		case "script", "style", "noscript", "head", "title", "template":
			return
		}
		if blockTags[c.Data] {
			f.emit()
			if c.Data == "li" {
				f.itemDepth++
			}
			for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
				f.walk(ch)
			}
			f.emit()
			if c.Data == "li" {
				f.itemDepth--
			}
			return
		}
	}
	for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
		f.walk(ch)
	}
}
