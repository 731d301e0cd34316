package gazette

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/billwatch/billwatch/scraper"
)

// issue is one item of a Gazette feed. The feeds list issues, not regulations: an item links
// an issue's index page or, for an extra edition, straight to its one document.
type issue struct {
	URL   string // public URL of the issue index, or of the document of an extra edition
	Title string
	Date  string // YYYY-MM-DD, from the link's path: the pubDate is a fixed 14:00 UTC, not the issue date
	loc   location
}

// direct reports whether the feed links a document rather than an issue index.
func (is issue) direct() bool { return is.loc.document() }

// feedItem gathers the fields of an RSS 2.0, RSS 1.0 or Atom item: nobody has kept a real copy
// of the Gazette's feeds, so the parser reads any of the three by element names.
type feedItem struct {
	title, link, guid string
}

type feedText struct {
	Text string `xml:",chardata"`
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

// parseFeed reads a Gazette feed into its issues, newest first as listed. A body that is not a
// feed (an HTML error page, a soft 404), a feed listing no Gazette issue, and a feed cut short
// are errors.
func parseFeed(b []byte) ([]issue, error) {
	if scraper.LooksLikeHTML(b) {
		if _, err := openPage(b); errors.Is(err, scraper.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("an HTML page was served instead of the feed: %w", scraper.ErrLayoutChanged)
	}
	d := xml.NewDecoder(bytes.NewReader(scraper.DecodeBytes(b)))
	d.Entity = xml.HTMLEntity
	d.Strict = true
	// The bytes are UTF-8 once decoded, whatever the declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	var items []feedItem
	var cur *feedItem
	depth, itemDepth := 0, 0
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") {
				return nil, fmt.Errorf("feed ends before its last element: %w", ErrTruncated)
			}
			return nil, fmt.Errorf("read feed: %v: %w", err, scraper.ErrLayoutChanged)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if root == "" {
				root = t.Name.Local
			}
			switch {
			case cur == nil && (t.Name.Local == "item" || t.Name.Local == "entry"):
				cur, itemDepth = &feedItem{}, depth
			case cur != nil && depth == itemDepth+1:
				var ft feedText
				if err := d.DecodeElement(&ft, &t); err != nil {
					return nil, fmt.Errorf("read feed item: %v: %w", err, ErrTruncated)
				}
				depth--
				text := scraper.Clean(ft.Text)
				switch t.Name.Local {
				case "title":
					cur.title = text
				case "link":
					if ft.Href != "" && (ft.Rel == "" || ft.Rel == "alternate") {
						cur.link = strings.TrimSpace(ft.Href)
					} else if text != "" && cur.link == "" {
						cur.link = text
					}
				case "guid", "id":
					cur.guid = text
				}
			}
		case xml.EndElement:
			if cur != nil && depth == itemDepth {
				items = append(items, *cur)
				cur = nil
			}
			depth--
		}
	}
	if root != "rss" && root != "feed" && root != "RDF" {
		return nil, fmt.Errorf("root element <%s> is not a feed: %w", root, scraper.ErrLayoutChanged)
	}
	var out []issue
	seen := map[string]bool{}
	for _, it := range items {
		link := it.link
		if link == "" && strings.HasPrefix(it.guid, "http") {
			link = it.guid
		}
		u, ok := canonical(nil, link)
		if !ok {
			continue
		}
		loc, ok := locate(u)
		if !ok || loc.consolidated() {
			continue
		}
		if !loc.document() && loc.slug != "index" {
			continue
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, issue{URL: u, Title: it.title, Date: loc.date, loc: loc})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the feed lists %d items and no Gazette issue: %w", len(items), scraper.ErrLayoutChanged)
	}
	return out, nil
}
