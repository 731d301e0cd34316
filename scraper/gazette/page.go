package gazette

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch/scraper"
)

// page is an HTML page of the Gazette, decoded and checked: the site template shared by every
// page (a WET header, a <main> holding the content, a footer) is the only thing relied on.
type page struct {
	doc  *goquery.Document
	main *goquery.Selection // <main>, or <body> on a page without one
	h1   string             // the content's h1, cleaned ("" when there is none)
}

// openPage decodes the bytes as served (UTF-8 with stray Windows-1252 bytes), rejects a page
// cut short and a soft 404, and finds the content.
func openPage(b []byte) (*page, error) {
	if err := scraper.CheckHTML(b); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(scraper.DecodeBytes(b)))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", scraper.ErrLayoutChanged)
	}
	p := &page{doc: doc}
	if scraper.NotFoundText(doc.Find("title").First().Text()) || scraper.NotFoundText(doc.Find("h1").First().Text()) {
		return nil, fmt.Errorf("the site's \"page not found\" page was served with status 200: %w", scraper.ErrNotFound)
	}
	p.main = doc.Find("main").First()
	if p.main.Length() == 0 {
		p.main = doc.Find("body").First()
	}
	h1 := p.main.Find("h1").First()
	if h1.Length() == 0 {
		h1 = doc.Find("h1").First()
	}
	p.h1 = scraper.Clean(h1.Text())
	return p, nil
}

// block is one block of text of a page (a paragraph, a heading, a list item, a cell...), split
// into lines where the page has <br>. Reading pages as an ordered list of blocks lets the
// parsers find a label and the text that follows it, whatever markup carries them.
type block struct {
	tag   string
	lines []string
}

func (b block) text() string { return strings.Join(b.lines, " ") }

func (b block) heading() bool {
	return len(b.tag) == 2 && b.tag[0] == 'h' && b.tag[1] >= '1' && b.tag[1] <= '6'
}

var blockTags = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true, "table": true,
	"thead": true, "tbody": true, "tr": true, "td": true, "th": true, "caption": true,
	"section": true, "article": true, "blockquote": true, "pre": true, "figure": true,
	"figcaption": true, "details": true, "summary": true, "address": true, "hr": true,
	"form": true, "fieldset": true, "legend": true, "main": true, "body": true,
}

// skipTags hold no content: scripts, the menus, the footnotes and the template's asides.
var skipTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "head": true,
	"nav": true, "header": true, "footer": true, "aside": true, "iframe": true, "svg": true,
	"button": true, "select": true,
}

type blockWalker struct {
	out   []block
	stack []string
	lines []string
	line  strings.Builder
}

// blocks lists the blocks of text under the nodes of sel, in document order.
func blocks(sel *goquery.Selection) []block {
	w := &blockWalker{stack: []string{"div"}}
	for _, n := range sel.Nodes {
		w.walk(n)
	}
	w.flush()
	return w.out
}

func (w *blockWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.line.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipTags[n.Data] {
			return
		}
		if n.Data == "br" {
			w.flushLine()
			return
		}
		if blockTags[n.Data] {
			w.flush()
			w.stack = append(w.stack, n.Data)
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				w.walk(c)
			}
			w.flush()
			w.stack = w.stack[:len(w.stack)-1]
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func (w *blockWalker) flushLine() {
	if s := scraper.Clean(w.line.String()); s != "" {
		w.lines = append(w.lines, s)
	}
	w.line.Reset()
}

func (w *blockWalker) flush() {
	w.flushLine()
	if len(w.lines) > 0 {
		w.out = append(w.out, block{tag: w.stack[len(w.stack)-1], lines: w.lines})
	}
	w.lines = nil
}
