// Package billtext fetches the text of one version of a bill: it opens the publication's
// DocumentViewer page on parl.ca, follows the page's XML export link, and returns the bill XML
// exactly as served. It never builds /Content/Bills URLs itself: their folder numbers are not a
// fixed code for a stage, so only the page knows where the XML is.
package billtext

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// ErrNoXML means the DocumentViewer page offers no XML export of the text (yet): the XML of a
// new version can lag its PDF. The tracker records the gap and tries again on a later pass.
var ErrNoXML = errors.New("no XML export link on the page")

// publicBase is the real parl.ca; the URL a Text reports always names it.
const publicBase = "https://www.parl.ca"

// Text is one version of a bill as parl.ca serves it.
type Text struct {
	// URL is the public address of the XML on www.parl.ca, whatever base the client uses.
	URL string
	// Body is the XML exactly as served (UTF-8, usually one line, no charset announced).
	Body []byte
	// ETag and LastModified are the validators the server sent with the XML, if any.
	ETag         string
	LastModified string
}

// Scraper fetches bill texts through a polite client.
type Scraper struct {
	c *scraper.Client
}

// New returns a Scraper that fetches through c.
func New(c *scraper.Client) *Scraper { return &Scraper{c: c} }

var idRE = lazyre.New(`^[0-9]{1,12}$`)

// Text fetches the XML of one publication listed in a bill's LEGISinfo record. A page without
// an XML export link is an error wrapping ErrNoXML; a link that serves something other than a
// complete bill XML document wraps scraper.ErrLayoutChanged.
func (s *Scraper) Text(ctx context.Context, pub billwatch.Publication) (Text, error) {
	id := strings.TrimSpace(pub.ID)
	if !idRE.MatchString(id) {
		return Text{}, fmt.Errorf("billtext: publication id %q is not a DocumentViewer id", pub.ID)
	}
	path := "/DocumentViewer/en/" + id
	pageURL := s.c.URL(scraper.Parl, path)
	page, err := s.c.Get(ctx, pageURL)
	if err != nil {
		return Text{}, fmt.Errorf("billtext: publication %s: %w", id, err)
	}
	// A soft 404, half a page or something else than HTML is a failure, never "no XML yet".
	if err := scraper.CheckHTML(page.Body); err != nil {
		return Text{}, fmt.Errorf("billtext: %s: %w", pageURL, err)
	}
	base, href, err := exportLink(page.Body)
	if err != nil {
		return Text{}, fmt.Errorf("billtext: %s: %w", pageURL, err)
	}
	public, site, err := resolve(publicBase+path, base, href, pageURL)
	if err != nil {
		return Text{}, fmt.Errorf("billtext: %s: %w", pageURL, err)
	}
	fetch := s.c.Rebase(site, public, "parl.ca", "ourcommons.ca")
	x, err := s.c.Get(ctx, fetch)
	if err != nil {
		return Text{}, fmt.Errorf("billtext: publication %s: %w", id, err)
	}
	if err := checkBillXML(x.Body); err != nil {
		return Text{}, fmt.Errorf("billtext: %s: %w", fetch, err)
	}
	return Text{URL: public, Body: x.Body, ETag: x.Header.Get("ETag"), LastModified: x.Header.Get("Last-Modified")}, nil
}

// Recheck asks again for a text held from its public XML address (Text.URL), with one request
// straight to the XML (the DocumentViewer page is not read again) made conditional with the
// validators of the last answer: changed is false when the server answers 304 Not Modified.
// Without validators the request is plain and the caller compares the bytes.
func (s *Scraper) Recheck(ctx context.Context, publicURL, etag, lastModified string) (t Text, changed bool, err error) {
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return Text{}, false, fmt.Errorf("billtext: recheck %q: not an absolute URL", publicURL)
	}
	site := scraper.SiteOfHost(u.Hostname())
	if site != scraper.Parl && site != scraper.OurCommons {
		return Text{}, false, fmt.Errorf("billtext: recheck %s: not a parl.ca or ourcommons.ca address", publicURL)
	}
	fetch := s.c.Rebase(site, publicURL, scraper.SiteHosts[site]...)
	x, unchanged, err := s.c.GetIfChanged(ctx, fetch, etag, lastModified)
	if unchanged {
		return Text{URL: publicURL, ETag: etag, LastModified: lastModified}, false, nil
	}
	if err != nil {
		return Text{}, false, fmt.Errorf("billtext: recheck: %w", err)
	}
	if err := checkBillXML(x.Body); err != nil {
		return Text{}, false, fmt.Errorf("billtext: %s: %w", fetch, err)
	}
	return Text{URL: publicURL, Body: x.Body, ETag: x.Header.Get("ETag"), LastModified: x.Header.Get("Last-Modified")}, true, nil
}

// billXMLRE finds a link to a bill XML under /Content/Bills when the export button is missing
// or renamed ("…/C-12_E.xml"; older bills write "C-670-E.xml").
var billXMLRE = lazyre.New(`(?i)/Content/Bills/.+\.xml$`)

// exportLink reads a DocumentViewer page and returns its <base href> (may be "") and the href
// of its XML export: `a.btn-export-xml` first, else a link to a /Content/Bills/….xml file
// (English first). A page with neither wraps ErrNoXML; a page with no sign of being a
// DocumentViewer page wraps scraper.ErrLayoutChanged instead.
func exportLink(body []byte) (base, href string, err error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(scraper.DecodeBytes(body)))
	if err != nil {
		return "", "", fmt.Errorf("page is not HTML (%v): %w", err, scraper.ErrLayoutChanged)
	}
	base = strings.TrimSpace(doc.Find("base[href]").First().AttrOr("href", ""))
	doc.Find("a.btn-export-xml[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href = strings.TrimSpace(a.AttrOr("href", ""))
		return href == ""
	})
	if href != "" {
		return base, href, nil
	}
	var other string
	doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		h := strings.TrimSpace(a.AttrOr("href", ""))
		u, err := url.Parse(h)
		if err != nil || !billXMLRE.MatchString(u.Path) {
			return true
		}
		lower := strings.ToLower(u.Path)
		if strings.HasSuffix(lower, "_e.xml") || strings.HasSuffix(lower, "-e.xml") {
			href = h
			return false
		}
		if other == "" {
			other = h
		}
		return true
	})
	if href == "" {
		href = other
	}
	if href != "" {
		return base, href, nil
	}
	recognised := doc.Find(`meta[name="DocumentId"], .publication-tabs, a.btn-export-pdf, a.btn-export-html`).Length() > 0 ||
		strings.TrimSpace(doc.Find("title").First().Text()) != ""
	if !recognised {
		// Not a gap to retry quietly: the page is not what it should be.
		return base, "", fmt.Errorf("no XML export link, and nothing else of a DocumentViewer page: %w", scraper.ErrLayoutChanged)
	}
	return base, "", ErrNoXML
}

// resolve turns the export href into its public URL on www.parl.ca (or www.ourcommons.ca), and
// names the site that serves it. A relative href is read against the page's <base href>, then
// against the page's public URL; an absolute one naming the configured base (a mirror, the
// fixtures server) is mapped back to the real host. Links off Parliament's sites are refused.
func resolve(publicPage, base, href, fetchedPage string) (public, site string, err error) {
	ref, err := url.Parse(href)
	if err != nil {
		return "", "", fmt.Errorf("export link %q is not a URL: %w", href, scraper.ErrLayoutChanged)
	}
	pageU, _ := url.Parse(publicPage)
	fetchedU, _ := url.Parse(fetchedPage)
	if base != "" {
		if b, err := url.Parse(base); err == nil {
			pageU = pageU.ResolveReference(b)
		}
	}
	u := pageU.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("export link %q is not an http(s) URL: %w", href, scraper.ErrLayoutChanged)
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "www.parl.ca" || host == "parl.ca" || (fetchedU != nil && strings.EqualFold(u.Host, fetchedU.Host)):
		site, u.Host = scraper.Parl, "www.parl.ca"
	case host == "www.ourcommons.ca" || host == "ourcommons.ca":
		site, u.Host = scraper.OurCommons, "www.ourcommons.ca"
	default:
		return "", "", fmt.Errorf("export link %s leaves Parliament's sites: %w", u, scraper.ErrLayoutChanged)
	}
	u.Scheme = "https"
	u.Fragment = ""
	return u.String(), site, nil
}

// checkBillXML makes sure a body is a whole bill XML document: not an HTML error page, root
// element <Bill>, well-formed to the end (a truncated download fails here).
func checkBillXML(b []byte) error {
	b = scraper.DecodeBytes(b)
	if scraper.LooksLikeHTML(b) {
		return fmt.Errorf("got an HTML page instead of the bill XML: %w", scraper.ErrLayoutChanged)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	root, depth, closed := "", 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("bill XML is not well-formed (%v): %w", err, scraper.ErrLayoutChanged)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if closed {
				return fmt.Errorf("bill XML has content after its root element: %w", scraper.ErrLayoutChanged)
			}
			if root == "" {
				root = t.Name.Local
				if root != "Bill" {
					return fmt.Errorf("XML root element is <%s>, want <Bill>: %w", root, scraper.ErrLayoutChanged)
				}
			}
			depth++
		case xml.EndElement:
			depth--
			closed = depth == 0
		case xml.CharData:
			if (closed || root == "") && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("bill XML has text outside its root element: %w", scraper.ErrLayoutChanged)
			}
		}
	}
	if root == "" {
		return fmt.Errorf("no XML element in the body: %w", scraper.ErrLayoutChanged)
	}
	return nil
}
