// Package justice reads Justice Laws (laws-lois.justice.gc.ca): the index of consolidated
// Acts (/eng/XML/Legis.xml) and each Act's XML (/eng/XML/{code}.xml).
package justice

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// Site is the site name of Justice Laws for --base-url and [sites].
const Site = scraper.Justice

// IndexPath is the index of all consolidated Acts and regulations.
const IndexPath = "/eng/XML/Legis.xml"

// ActPath is where an Act's consolidated XML is served.
func ActPath(code string) string { return "/eng/XML/" + code + ".xml" }

// codeRE is a consolidated Act's code: "T-3.4", "C-46", "A-0.6", "N-22.5".
var codeRE = lazyre.New(`^[A-Z]{1,2}-\d+(?:\.\d+)*[A-Z]?$`)

// ValidCode reports whether s is an Act code as Justice Laws writes it.
func ValidCode(s string) bool { return codeRE.MatchString(s) }

// IndexEntry is one Act of the index.
type IndexEntry struct {
	Code           string
	Title          string
	Chapter        string // when the index gives one ("R.S.C., 1985, c. C-46")
	ConsolidatedTo string
	Link           string
}

// ParseIndex reads the index of Acts leniently: no real copy of Legis.xml is at hand, so any
// element named Act (in any case) with a code and a title is an entry; regulations, French
// entries and entries without a code are left out. An index with no Act is
// scraper.ErrLayoutChanged.
func ParseIndex(r io.Reader) ([]IndexEntry, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) { return in, nil }
	var out []IndexEntry
	seen := map[string]bool{}
	var cur map[string]string
	var field string
	var text strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) > 0 {
				break // keep what was read before the damage
			}
			return nil, fmt.Errorf("justice: parse index: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch {
			case cur == nil && (name == "act" || name == "statute"):
				cur, depth = map[string]string{}, 0
				for _, a := range t.Attr {
					cur[strings.ToLower(a.Name.Local)] = a.Value
				}
			case cur != nil:
				depth++
				field = name
				text.Reset()
			}
		case xml.CharData:
			if cur != nil && field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			if cur == nil {
				continue
			}
			if depth == 0 && (name == "act" || name == "statute") {
				if e, ok := entryOf(cur); ok && !seen[e.Code] {
					seen[e.Code] = true
					out = append(out, e)
				}
				cur = nil
				continue
			}
			if field != "" {
				if _, dup := cur[field]; !dup {
					cur[field] = strings.Join(strings.Fields(text.String()), " ")
				}
				field = ""
			}
			depth--
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("justice: index lists no Act: %w", scraper.ErrLayoutChanged)
	}
	return out, nil
}

func entryOf(m map[string]string) (IndexEntry, bool) {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := strings.TrimSpace(m[k]); v != "" {
				return v
			}
		}
		return ""
	}
	if l := strings.ToLower(first("language", "lang", "xml:lang")); l != "" && !strings.HasPrefix(l, "en") {
		return IndexEntry{}, false
	}
	e := IndexEntry{
		Title:          first("title", "shorttitle", "longtitle", "name"),
		ConsolidatedTo: first("currenttodate", "consolidatedto", "current-date", "date"),
		Link:           first("linktoxml", "xml", "link"),
	}
	for _, v := range []string{first("uniqueid"), first("consolidatednumber"), first("code"), first("officialnumber"), first("id")} {
		if ValidCode(v) {
			e.Code = v
			break
		}
	}
	if e.Code == "" && e.Link != "" {
		base := e.Link[strings.LastIndex(e.Link, "/")+1:]
		if c := strings.TrimSuffix(base, ".xml"); ValidCode(c) {
			e.Code = c
		}
	}
	if n := first("officialnumber", "chapter"); strings.Contains(n, "c.") {
		e.Chapter = n
	}
	if e.Code == "" || e.Title == "" {
		return IndexEntry{}, false
	}
	return e, true
}

// Scraper fetches from Justice Laws.
type Scraper struct {
	c *scraper.Client
}

// New returns a scraper on a client.
func New(c *scraper.Client) *Scraper { return &Scraper{c: c} }

// Fetched is one fetch of an Act or of the index.
type Fetched struct {
	URL          string
	Body         []byte // nil when NotModified
	NotModified  bool
	ETag         string
	LastModified string
	Fetched      time.Time
}

// Index fetches the index of Acts, conditionally on the validators given.
func (s *Scraper) Index(ctx context.Context, etag, lastModified string) (Fetched, error) {
	return s.get(ctx, s.c.URL(Site, IndexPath), etag, lastModified)
}

// Act fetches one Act's consolidated XML, conditionally on the validators given. A page
// that is not an Act is scraper.ErrLayoutChanged.
func (s *Scraper) Act(ctx context.Context, code, etag, lastModified string) (Fetched, error) {
	if !ValidCode(code) {
		return Fetched{}, fmt.Errorf("justice: %q is not an Act code (write e.g. T-3.4)", code)
	}
	f, err := s.get(ctx, s.c.URL(Site, ActPath(code)), etag, lastModified)
	if err != nil || f.NotModified {
		return f, err
	}
	head := f.Body
	if len(head) > 4096 {
		head = head[:4096]
	}
	if !bytes.Contains(head, []byte("<Statute")) {
		return Fetched{}, fmt.Errorf("justice: %s is not a consolidated Act: %w", f.URL, scraper.ErrLayoutChanged)
	}
	return f, nil
}

func (s *Scraper) get(ctx context.Context, u, etag, lastModified string) (Fetched, error) {
	p, unchanged, err := s.c.GetIfChanged(ctx, u, etag, lastModified)
	if unchanged && p == nil {
		return Fetched{URL: u, NotModified: true, ETag: etag, LastModified: lastModified, Fetched: time.Now()}, nil
	}
	if err != nil {
		return Fetched{}, fmt.Errorf("justice: %w", err)
	}
	f := Fetched{URL: u, Fetched: p.Fetched, NotModified: p.NotModified}
	if p.Header != nil {
		f.ETag, f.LastModified = p.Header.Get("ETag"), p.Header.Get("Last-Modified")
	}
	if f.ETag == "" && f.LastModified == "" {
		f.ETag, f.LastModified = etag, lastModified
	}
	if !p.NotModified {
		f.Body = p.Body
	}
	return f, nil
}
