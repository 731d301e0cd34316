// Package gazette reads the Canada Gazette: the Part I and Part II feeds (which list issues),
// each issue's index page, then each regulation's own page, into billwatch.Regulation values.
// Part I carries proposals open for comment for a fixed number of days; Part II carries the
// regulations as registered. Parsing is pure (parseFeed, parseIndex, parseItem) and relies on
// the pages' stable text and the site template, not on brittle selectors; the Scraper only
// fetches.
package gazette

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

// ErrTruncated means a page or feed ended before its end (no closing </html>, an XML element
// left open): scraper.ErrTruncated, which every scraper shares.
var ErrTruncated = scraper.ErrTruncated

// Feeds are the public URLs of the two feeds read, Part I first.
var Feeds = []struct{ Part, URL string }{
	{"I", PublicBase + "/rss/p1-eng.xml"},
	{"II", PublicBase + "/rss/p2-eng.xml"},
}

// DefaultWindow is how far back before the newest issue of a feed a pass reads when it is given
// no since: long enough for the longest comment period (90 days) and for a Part II regulation to
// find the proposal it finalises, short enough to keep a first pass to a few hundred requests
// (the feeds reach back to 2019).
const DefaultWindow = 120 * 24 * time.Hour

// Scraper reads the Gazette through a polite client. It holds no state between passes.
type Scraper struct {
	c *scraper.Client
	// Window replaces DefaultWindow when positive.
	Window time.Duration
}

// New returns a Scraper that fetches through c (which decides the base URL, the politeness and
// the conditional requests).
func New(c *scraper.Client) *Scraper { return &Scraper{c: c} }

// Regulations reads both feeds, the index of every issue published on or after since (an
// Eastern calendar date), and the page of every regulation those indexes list: Part I proposals
// (reg{N}) and Part II regulations (sor-dors{N}, si-tr{N}); an extra edition that the feed links
// straight to its document is read as that one item. A zero since reads the issues of the last
// Window (DefaultWindow) before each feed's newest issue.
//
// skip, when not nil, is asked for each item's public URL before its page is fetched; an item
// it returns true for is neither fetched nor returned. The tracker passes the URLs it holds
// complete (without Gap) to save the requests; it must not skip an item it holds with a Gap,
// so that a page that failed once is read again.
//
// The contract on errors: Regulations returns every item it could read and, joined into one
// error, one error per page that failed (each naming the public URL, wrapping *scraper.HTTPError,
// scraper.ErrNotFound, scraper.ErrLayoutChanged or ErrTruncated). A nil error means the pass was
// complete. An error with items means a partial pass: store the items, mark the source partial.
// An item listed by an index whose own page failed is still returned, built from what the index
// said (title, department, Act), with Gap saying the page was not read, so that a relevant
// proposal is never dropped because of one bad page. A failed feed or issue index loses only
// the issues or items behind it. The context's cancellation stops the pass at once.
func (s *Scraper) Regulations(ctx context.Context, since time.Time, skip func(url string) bool) ([]billwatch.Regulation, error) {
	var regs []billwatch.Regulation
	var errs []error
	seen := map[string]bool{}
	for _, f := range Feeds {
		issues, err := s.feed(ctx, f.URL)
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		cutoff := s.cutoff(since, issues)
		for _, is := range issues {
			if ctx.Err() != nil {
				break
			}
			if is.Date < cutoff {
				continue
			}
			var entries []entry
			if is.direct() {
				entries = []entry{{URL: is.URL, Title: is.Title, loc: is.loc}}
			} else {
				entries, err = s.index(ctx, is.URL)
				if err != nil {
					errs = append(errs, err)
					continue
				}
			}
			for _, e := range entries {
				if !e.document() || seen[e.URL] {
					continue
				}
				seen[e.URL] = true
				if skip != nil && skip(e.URL) {
					continue
				}
				r, err := s.item(ctx, e)
				if err != nil {
					errs = append(errs, err)
					if ctx.Err() != nil {
						break
					}
					r = fromIndex(e, err)
				}
				r.Jurisdiction = billwatch.Canada
				regs = append(regs, r)
			}
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("gazette: %w", err))
			break
		}
	}
	return regs, errors.Join(errs...)
}

// cutoff is the first issue date read: since's Eastern date, or the newest issue's date less
// the window.
func (s *Scraper) cutoff(since time.Time, issues []issue) string {
	if !since.IsZero() {
		return since.In(billwatch.Eastern).Format(billwatch.DateLayout)
	}
	newest := ""
	for _, is := range issues {
		if is.Date > newest {
			newest = is.Date
		}
	}
	t, err := time.ParseInLocation(billwatch.DateLayout, newest, billwatch.Eastern)
	if err != nil {
		return ""
	}
	w := s.Window
	if w <= 0 {
		w = DefaultWindow
	}
	return t.Add(-w).Format(billwatch.DateLayout)
}

func (s *Scraper) feed(ctx context.Context, public string) ([]issue, error) {
	b, err := s.get(ctx, public)
	if err != nil {
		return nil, err
	}
	issues, err := parseFeed(b)
	if err != nil {
		return nil, fmt.Errorf("gazette: feed %s: %w", public, err)
	}
	return issues, nil
}

func (s *Scraper) index(ctx context.Context, public string) ([]entry, error) {
	b, err := s.get(ctx, public)
	if err != nil {
		return nil, err
	}
	entries, err := parseIndex(b, public)
	if err != nil {
		return nil, fmt.Errorf("gazette: issue index %s: %w", public, err)
	}
	return entries, nil
}

func (s *Scraper) item(ctx context.Context, e entry) (billwatch.Regulation, error) {
	b, err := s.get(ctx, e.URL)
	if err != nil {
		return billwatch.Regulation{}, err
	}
	r, err := parseItem(b, e.URL, e)
	if err != nil {
		return billwatch.Regulation{}, fmt.Errorf("gazette: item %s: %w", e.URL, err)
	}
	return r, nil
}

// get fetches a public URL through the configured base. Its error names the public URL.
func (s *Scraper) get(ctx context.Context, public string) ([]byte, error) {
	u := s.c.Rebase(scraper.Gazette, public, Hosts...)
	p, err := s.c.Get(ctx, u)
	if err != nil {
		if strings.Contains(err.Error(), public) {
			return nil, fmt.Errorf("gazette: %w", err)
		}
		return nil, fmt.Errorf("gazette: %s: %w", public, err)
	}
	return p.Body, nil
}

// fromIndex is the item an index lists when its own page could not be read: what the index
// said, and a Gap saying why the rest is missing.
func fromIndex(e entry, err error) billwatch.Regulation {
	r := billwatch.Regulation{
		Part: e.loc.part, ID: e.loc.id(), Title: e.Title, Published: e.loc.date, URL: e.URL,
		Department: departmentName(e.Department),
	}
	if e.Act != "" {
		r.Acts = splitActs([]string{e.Act})
	}
	r.Unread = true
	r.Gap = "page not read (" + reason(err) + ")"
	if r.Part == "I" {
		r.Gap += "; " + GapCommentPeriod
	}
	return r
}

func reason(err error) string {
	var he *scraper.HTTPError
	switch {
	case errors.As(err, &he):
		return fmt.Sprintf("HTTP %d", he.Status)
	case errors.Is(err, scraper.ErrNotFound):
		return "page not found"
	case errors.Is(err, ErrTruncated):
		return "page truncated"
	case errors.Is(err, scraper.ErrLayoutChanged):
		return "layout not recognised"
	case errors.Is(err, scraper.ErrBlocked):
		return "disallowed by robots.txt"
	}
	return "fetch failed"
}
