package gazette

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// entry is one link of an index page (an issue's index, a quarterly index) to a page inside an
// issue, with the headings it sits under: the section (<h2>: "PROPOSED REGULATIONS"), the
// department (<h3>) and the Act (<h4>, or the line after the title's <br> in Part II indexes).
type entry struct {
	URL        string // public URL, without fragment
	Title      string
	Section    string
	Department string
	Act        string
	loc        location
}

// document reports whether the entry links one regulation's own page.
func (e entry) document() bool { return e.loc.document() }

var (
	noRegulationsRE = lazyre.New(`(?i)no regulatory texts? (?:was|were) registered|no (?:proposed )?regulations? (?:was|were) published`)
	datePrefixRE    = lazyre.New(`^\d{4}-\d{2}-\d{2}\s*:\s*`)
)

// parseIndex reads the links of an index page to pages inside issues, in page order, with the
// headings above each. pageURL is the page's public URL, against which relative links resolve.
// An index is recognised by its h1 and its links into issues, or by the sentence saying no
// regulation was registered (a true zero); anything else is an error.
func parseIndex(b []byte, pageURL string) ([]entry, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("index URL %q: %w", pageURL, err)
	}
	p, err := openPage(b)
	if err != nil {
		return nil, err
	}
	var out []entry
	seen := map[string]bool{}
	var section, dept, act string
	links := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type != html.ElementNode {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			return
		}
		if skipTags[n.Data] {
			return
		}
		switch n.Data {
		case "h2":
			section, dept, act = nodeText(n), "", ""
			return
		case "h3":
			dept, act = nodeText(n), ""
			return
		case "h4":
			act = nodeText(n)
			return
		case "p":
			// The 2012 quarterly index gives the Act as a paragraph holding only a <cite>
			// ("<p><cite>Special Import Measures Act</cite> </p>"), where 2014 has an <h4>.
			if a, ok := actParagraph(n); ok && section != "" {
				act = a
				return
			}
		case "a":
			href := attr(n, "href")
			u, ok := canonical(base, href)
			if !ok {
				return
			}
			loc, ok := locate(u)
			if !ok {
				return
			}
			links++
			if loc.slug == "index" || loc.consolidated() {
				return
			}
			lines := lineTexts(n)
			if len(lines) == 0 {
				return
			}
			e := entry{URL: u, Section: section, Department: dept, Act: act, loc: loc}
			e.Title = uninvert(datePrefixRE.ReplaceAllString(lines[0], ""))
			if e.Act == "" && len(lines) > 1 {
				e.Act = lines[1]
			} else if e.Act == "" && n.Parent != nil && n.Parent.Data == "li" {
				// Part II indexes give the enabling Act after the title's <br>.
				if pl := lineTexts(n.Parent); len(pl) > 1 && pl[0] == lines[0] {
					e.Act = pl[1]
				}
			}
			// A shared section page holds many notices, one anchor each: an entry per notice.
			key := u
			if i := strings.IndexByte(href, '#'); i >= 0 && !loc.document() {
				key += href[i:]
			}
			if seen[key] {
				return
			}
			seen[key] = true
			out = append(out, e)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range p.main.Nodes {
		walk(n)
	}
	if links == 0 {
		if noRegulationsRE.MatchString(scraper.Clean(p.main.Text())) {
			return nil, nil
		}
		return nil, fmt.Errorf("index page with no link into an issue: %w", scraper.ErrLayoutChanged)
	}
	if p.h1 == "" {
		return nil, fmt.Errorf("index page without a title: %w", scraper.ErrLayoutChanged)
	}
	return out, nil
}

// actParagraph reports whether a paragraph is an Act heading of the 2012 quarterly index,
// which gives the Act as a paragraph of its own where 2014 has an <h4>: usually a <cite>
// ("<p><cite>Special Import Measures Act</cite> </p>", "<p><cite>Bank Act</cite> ,
// Cooperative Credit Associations Act, <cite>Insurance Companies Act</cite> and …</p>"),
// sometimes plain text ("<p>Personal Information Protection and Electronic Documents Act</p>").
// Such a paragraph holds no link, is not a sentence, and opens with a citation or ends with
// the name of an enactment.
func actParagraph(p *html.Node) (string, bool) {
	if goquery.NewDocumentFromNode(p).Find("a").Length() > 0 {
		return "", false
	}
	t := strings.ReplaceAll(nodeText(p), " ,", ",")
	if t == "" || len(t) > 300 || strings.HasSuffix(t, ".") {
		return "", false
	}
	var first *html.Node
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" {
			continue
		}
		first = c
		break
	}
	if first != nil && first.Type == html.ElementNode && first.Data == "cite" {
		return t, true
	}
	return t, enactmentRE.MatchString(t)
}

var enactmentRE = lazyre.New(`\b(?:Act|Code|Regulations|Rules|Order|Plan)(?:,\s*\d{4})?\)?$`)

// invertedTitleRE is a Part II index title written inverted around an em dash, the amended
// instrument first: "Canadian Turkey Marketing Quota Regulations, 1990 — Regulations Amending the".
var invertedTitleRE = lazyre.New(`^(.+?)\s+[—–]\s+((?:Regulations|Order|By-law|Rules|Proclamation)\b.*\s(?:the|of|to))$`)

// uninvert puts an inverted title back in reading order ("Regulations Amending the Canadian
// Turkey Marketing Quota Regulations, 1990"). A title whose second half is not a dangling
// "… Amending the" is left as the page wrote it.
func uninvert(t string) string {
	if m := invertedTitleRE.FindStringSubmatch(t); m != nil {
		return m[2] + " " + m[1]
	}
	return t
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText is the cleaned text of a node, without the words the template hides from sight
// ("Topic(s) beginning with the letter").
func nodeText(n *html.Node) string {
	sel := goquery.NewDocumentFromNode(n).Selection
	sel.Find(".wb-inv").Remove()
	return scraper.Clean(sel.Text())
}

// lineTexts is the cleaned text of a node split at its <br>s.
func lineTexts(n *html.Node) []string {
	var lines []string
	for _, b := range blocks(goquery.NewDocumentFromNode(n).Selection) {
		lines = append(lines, b.lines...)
	}
	return lines
}

// departmentName turns an index heading into the name the item pages use:
// "Public Safety and Emergency Preparedness, Dept. of" → "Department of Public Safety and
// Emergency Preparedness"; "Superintendent of Financial Institutions, Office of the" → "Office
// of the Superintendent of Financial Institutions".
func departmentName(h string) string {
	m := invertedRE.FindStringSubmatch(h)
	if m == nil {
		return h
	}
	head := m[2]
	if strings.HasPrefix(head, "Dept") {
		head = "Department"
	}
	return head + " " + m[3] + " " + m[1]
}

var invertedRE = lazyre.New(`^(.+?),\s+(Dept\.?|Department|Office|Ministry)\s+(of(?:\s+the)?)$`)
