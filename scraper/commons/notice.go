package commons

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// notice is what a notice of meeting adds to the list: who appears, where, and on what.
type notice struct {
	Witnesses []billwatch.Witness
	Room      string
	Subjects  []string // the orders of the day ("Bill C-22, An Act respecting lawful access")
	Bills     []string
}

// line is one block of text of a page, in reading order.
type line struct {
	text string
	item bool // inside an <li>, or written as a bullet ("• Jane Doe, ...")
}

var (
	reWitnessHead = lazyre.New(`(?i)^(witnesses|appearing|témoins|comparaît|comparaissent)\s*:?$`)
	reSubjectHead = lazyre.New(`(?i)^(orders of the day|subject matter|ordre du jour)\s*:?$`)
	reStopHead    = lazyre.New(`(?i)^(clerk of the committee|greffi[eè]re? du comité|notice of meeting$|avis de convocation$)`)
	reRoomLine    = lazyre.New(`(?i)^(room|pièce|salle)\b`)
	reBullet      = lazyre.New(`^[•·▪◦]\s*`)
)

// parseNotice reads a DocumentViewer notice of meeting. No real notice page was available
// when this was written, so it reads the text in order rather than trusting selectors: the
// lines after a "Witnesses" (or "Appearing") heading are organisations, each followed by the
// people (list items, or lines starting with a bullet) who appear for it; the lines after
// "Orders of the day" are the subjects; a line starting "Room" is the room. Time slots
// ("3:30 p.m. to 4:30 p.m.") between groups are skipped. A page that does not look like a
// committee document at all is scraper.ErrLayoutChanged.
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
	title := strings.ToLower(scraper.Clean(doc.Find("title").First().Text()))
	recognised := strings.Contains(title, "notice") || strings.Contains(title, "avis")
	for _, l := range lines {
		t := strings.ToLower(l.text)
		if strings.HasPrefix(t, "notice of meeting") || strings.HasPrefix(t, "avis de convocation") || reWitnessHead.MatchString(l.text) {
			recognised = true
		}
	}
	if !recognised {
		return n, fmt.Errorf("notice: no notice of meeting heading or witness list: %w", scraper.ErrLayoutChanged)
	}

	const (
		none = iota
		subjects
		witnesses
	)
	state := none
	org := ""
	orgUsed := true
	flushOrg := func() {
		if !orgUsed && org != "" {
			n.Witnesses = append(n.Witnesses, billwatch.Witness{Organization: org})
		}
		org, orgUsed = "", true
	}
	for _, l := range lines {
		text := l.text
		switch {
		case reWitnessHead.MatchString(text):
			flushOrg()
			state = witnesses
			continue
		case reSubjectHead.MatchString(text):
			flushOrg()
			state = subjects
			continue
		case reStopHead.MatchString(text):
			flushOrg()
			state = none
			continue
		case reRoomLine.MatchString(text) && n.Room == "":
			n.Room = text
			continue
		}
		switch state {
		case subjects:
			if scraper.OnlyClockTimes(text) {
				continue
			}
			n.Subjects = append(n.Subjects, text)
		case witnesses:
			if scraper.OnlyClockTimes(text) {
				continue
			}
			bullet := l.item || reBullet.MatchString(text)
			text = strings.TrimSpace(reBullet.ReplaceAllString(text, ""))
			if text == "" {
				continue
			}
			if !bullet {
				flushOrg()
				org, orgUsed = text, false
				continue
			}
			name := text
			if i := strings.Index(text, ","); i > 0 {
				name = strings.TrimSpace(text[:i])
			}
			n.Witnesses = append(n.Witnesses, billwatch.Witness{Name: name, Organization: org})
			orgUsed = true
		}
	}
	flushOrg()
	n.Bills = billsIn(n.Subjects)
	return n, nil
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
