// Package scraper holds what every source shares: the polite HTTP client built on colly
// (User-Agent, robots.txt, per-host spacing, body-size limit, conditional requests, ctx), byte
// decoding and text normalisation, the site base URLs, and the errors every scraper returns.
package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// Version is billwatch's version, named in every User-Agent.
var Version = "0.1.0"

// UserAgent is the header every request carries. The product token comes first so that a
// robots.txt group for "billwatch" applies.
func UserAgent() string {
	return "billwatch/" + Version + " (+https://github.com/billwatch/billwatch)"
}

// Sites and their real bases. A site's base replaces scheme and host only; paths stay those of
// the real site.
const (
	Parl       = "parl"
	OurCommons = "ourcommons"
	SenCanada  = "sencanada"
	Gazette    = "gazette"
	Justice    = "justice"
)

// DefaultBases are the real sites.
var DefaultBases = map[string]string{
	Parl:       "https://www.parl.ca",
	OurCommons: "https://www.ourcommons.ca",
	SenCanada:  "https://sencanada.ca",
	Gazette:    "https://gazette.gc.ca",
	Justice:    "https://laws-lois.justice.gc.ca",
}

// siteNames lists the sites of DefaultBases in a stable (sorted) order; the command's
// source table says which source reads which.
var siteNames = slices.Sorted(maps.Keys(DefaultBases))

// ErrLayoutChanged means a page parsed to nothing recognisable: the site was redesigned, or
// served an error page with status 200. It must make a source unhealthy, never "no items".
var ErrLayoutChanged = errors.New("page layout not recognised")

// ErrNotFound means the page does not exist (404, 410, or a soft 404 served with status 200).
var ErrNotFound = errors.New("page not found")

// ErrBlocked means robots.txt forbids billwatch to fetch the page.
var ErrBlocked = errors.New("disallowed by robots.txt")

// HTTPError is a response with an error status.
type HTTPError struct {
	URL    string
	Status int
}

// Error names the URL and the status.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Is lets errors.Is(err, ErrNotFound) hold for 404 and 410.
func (e *HTTPError) Is(target error) bool {
	return target == ErrNotFound && (e.Status == http.StatusNotFound || e.Status == http.StatusGone)
}

// Temporary reports whether trying again later may succeed (5xx, 429, 408).
func (e *HTTPError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// Options configure a Client.
type Options struct {
	// Bases maps a site name to the base URL that replaces its real scheme and host.
	Bases map[string]string
	// Delay spaces requests to one host. Zero means no spacing (local test servers).
	Delay time.Duration
	// Timeout bounds one request. Zero means 60 seconds.
	Timeout time.Duration
	// MaxBodySize is the largest body accepted, in bytes; a larger one is an error, never a
	// silent truncation. Zero means 32 MiB.
	MaxBodySize int
	// Transport, when set, replaces http.DefaultTransport.
	Transport http.RoundTripper
	// IgnoreRobots turns robots.txt off. Only `capture` of a named URL list may want it; it
	// defaults to obeying.
	IgnoreRobots bool
}

// Client fetches pages politely. It is safe for concurrent use and meant to live as long as the
// process: it remembers per-host spacing and the validators of pages it has seen.
type Client struct {
	opts  Options
	bases map[string]*url.URL

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	cache    map[string]cached // by URL: validators and last body, for conditional requests
	robots   map[string]robotsEntry
}

// robotsEntry is a site's robots.txt as last read.
type robotsEntry struct {
	data    *robotstxt.RobotsData
	fetched time.Time
}

// robotsTTL is how long a robots.txt is trusted before it is read again.
const robotsTTL = time.Hour

type cached struct {
	etag, lastModified string
	body               []byte
	header             http.Header
}

// NewClient checks the options and returns a client.
func NewClient(opts Options) (*Client, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.MaxBodySize == 0 {
		opts.MaxBodySize = 32 << 20
	}
	if opts.Delay < 0 {
		return nil, fmt.Errorf("fetch delay %v is negative", opts.Delay)
	}
	c := &Client{opts: opts, bases: map[string]*url.URL{}, limiters: map[string]*rate.Limiter{}, cache: map[string]cached{}, robots: map[string]robotsEntry{}}
	for _, site := range siteNames {
		base := DefaultBases[site]
		if b, ok := opts.Bases[site]; ok && b != "" {
			base = b
		}
		u, err := ParseBase(base)
		if err != nil {
			return nil, fmt.Errorf("base URL of %s: %w", site, err)
		}
		c.bases[site] = u
	}
	for site := range opts.Bases {
		if _, ok := DefaultBases[site]; !ok {
			return nil, fmt.Errorf("unknown site %q (want one of %s)", site, strings.Join(siteNames, ", "))
		}
	}
	return c, nil
}

// ParseBase checks a base URL: absolute http or https, a host, nothing else of weight.
func ParseBase(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", s)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return u, nil
}

// URL returns the address of pathAndQuery on a site, under the configured base.
func (c *Client) URL(site, pathAndQuery string) string {
	b := c.bases[site]
	if b == nil {
		panic("scraper: unknown site " + site)
	}
	if !strings.HasPrefix(pathAndQuery, "/") {
		pathAndQuery = "/" + pathAndQuery
	}
	return b.Scheme + "://" + b.Host + strings.TrimRight(b.Path, "/") + pathAndQuery
}

// Rebase maps an absolute link that names one of a site's real hosts to the configured base,
// so that links read from fixtures or a mirror stay on it. Other links are returned unchanged.
// hosts lists the real host names of the site (the Gazette has four).
func (c *Client) Rebase(site, link string, hosts ...string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return link
	}
	real, _ := url.Parse(DefaultBases[site])
	match := strings.EqualFold(u.Host, real.Host)
	for _, h := range hosts {
		match = match || strings.EqualFold(u.Hostname(), h)
	}
	if !match {
		return link
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return c.URL(site, p)
}

type counterKey struct{}

// Counting returns a context in which every request made through a Client is counted in n:
// the pages one pass fetched, for the metrics.
func Counting(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, counterKey{}, n), n
}

// Page is a fetched page: its bytes exactly as served.
type Page struct {
	URL     string
	Status  int
	Header  http.Header
	Body    []byte
	Fetched time.Time
	// NotModified is true when the server answered 304 to a conditional request; Body then
	// holds the bytes of the last full answer.
	NotModified bool
}

func (c *Client) limiter(host string) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.limiters[host]
	if !ok {
		if c.opts.Delay == 0 {
			l = rate.NewLimiter(rate.Inf, 1)
		} else {
			l = rate.NewLimiter(rate.Every(c.opts.Delay), 1)
		}
		c.limiters[host] = l
	}
	return l
}

// Get fetches one URL: it waits its turn for the host, obeys robots.txt, sends the validators
// of the last answer, and returns the body as served (no charset conversion). An error names
// the URL.
func (c *Client) Get(ctx context.Context, rawURL string) (*Page, error) {
	return c.GetWithHeader(ctx, rawURL, nil)
}

// GetIfChanged is Get made conditional on the validators of the copy held (etag and
// lastModified, either may be empty). unchanged is true when the server answers 304 Not
// Modified; page is then the client's own copy of the page, or nil when it holds none.
func (c *Client) GetIfChanged(ctx context.Context, rawURL, etag, lastModified string) (page *Page, unchanged bool, err error) {
	h := http.Header{}
	if etag != "" {
		h.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		h.Set("If-Modified-Since", lastModified)
	}
	page, err = c.GetWithHeader(ctx, rawURL, h)
	var he *HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotModified {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	return page, page.NotModified, nil
}

// GetWithHeader is Get with extra request headers, for the pages a site's own script asks
// for in a particular way (sencanada.ca's fragments expect X-Requested-With).
func (c *Client) GetWithHeader(ctx context.Context, rawURL string, header http.Header) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an absolute URL", rawURL)
	}
	if !c.opts.IgnoreRobots {
		if err := c.checkRobots(ctx, u); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	if err := c.limiter(u.Host).Wait(ctx); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, ctxErr(ctx, err))
	}
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	col := colly.NewCollector(
		colly.UserAgent(UserAgent()),
		colly.StdlibContext(ctx),
		colly.MaxBodySize(c.opts.MaxBodySize+1),
		colly.AllowURLRevisit(),
	)
	col.IgnoreRobotsTxt = true // checked above, with the robots.txt of each site read once an hour
	col.SetRequestTimeout(c.opts.Timeout)
	base := c.opts.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	col.WithTransport(rawCharset{base})
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	})

	c.mu.Lock()
	prev, hasPrev := c.cache[rawURL]
	c.mu.Unlock()

	var page *Page
	var fetchErr error
	col.OnRequest(func(r *colly.Request) {
		for k, vs := range header {
			for _, v := range vs {
				r.Headers.Add(k, v)
			}
		}
		if hasPrev {
			if prev.etag != "" {
				r.Headers.Set("If-None-Match", prev.etag)
			}
			if prev.lastModified != "" {
				r.Headers.Set("If-Modified-Since", prev.lastModified)
			}
		}
	})
	col.OnResponse(func(r *colly.Response) {
		page = &Page{URL: r.Request.URL.String(), Status: r.StatusCode, Header: *r.Headers, Body: r.Body, Fetched: time.Now()}
	})
	col.OnError(func(r *colly.Response, err error) {
		if r != nil && r.StatusCode == http.StatusNotModified && hasPrev {
			page = &Page{URL: rawURL, Status: http.StatusNotModified, Header: prev.header, Body: prev.body, Fetched: time.Now(), NotModified: true}
			return
		}
		if r != nil && r.StatusCode >= 300 {
			fetchErr = &HTTPError{URL: rawURL, Status: r.StatusCode}
			return
		}
		fetchErr = err
	})
	// colly reports a 304 as an error even when OnError turned it into the cached page.
	if err := col.Visit(rawURL); err != nil && fetchErr == nil && (page == nil || !page.NotModified) {
		fetchErr = err
	}
	if fetchErr != nil {
		var he *HTTPError
		if errors.As(fetchErr, &he) {
			return nil, fetchErr
		}
		return nil, fmt.Errorf("fetch %s: %w", rawURL, ctxErr(ctx, fetchErr))
	}
	if page == nil {
		return nil, fmt.Errorf("fetch %s: no response", rawURL)
	}
	if len(page.Body) > c.opts.MaxBodySize {
		return nil, fmt.Errorf("fetch %s: body larger than %d bytes", rawURL, c.opts.MaxBodySize)
	}
	if cl := page.Header.Get("Content-Length"); !page.NotModified && cl != "" && cl != fmt.Sprint(len(page.Body)) && page.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("fetch %s: truncated body (%d of %s bytes)", rawURL, len(page.Body), cl)
	}
	if !page.NotModified {
		etag, lm := page.Header.Get("ETag"), page.Header.Get("Last-Modified")
		c.mu.Lock()
		if etag != "" || lm != "" {
			c.cache[rawURL] = cached{etag: etag, lastModified: lm, body: page.Body, header: page.Header}
		} else {
			delete(c.cache, rawURL)
		}
		c.mu.Unlock()
	}
	return page, nil
}

// checkRobots obeys the site's robots.txt, read once an hour per host (a robots.txt that
// answers 5xx forbids nothing and is read again at the next request).
func (c *Client) checkRobots(ctx context.Context, u *url.URL) error {
	c.mu.Lock()
	e, ok := c.robots[u.Host]
	c.mu.Unlock()
	if !ok || time.Since(e.fetched) > robotsTTL {
		if err := c.limiter(u.Host).Wait(ctx); err != nil {
			return ctxErr(ctx, err)
		}
		data, status, err := c.fetchRobots(ctx, u)
		if err != nil {
			return fmt.Errorf("read robots.txt: %w", err)
		}
		e = robotsEntry{data: data, fetched: time.Now()}
		if status < 500 {
			c.mu.Lock()
			c.robots[u.Host] = e
			c.mu.Unlock()
		}
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.data.TestAgent(path, UserAgent()) {
		return ErrBlocked
	}
	return nil
}

func (c *Client) fetchRobots(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/robots.txt", nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", UserAgent())
	tr := c.opts.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return nil, 0, ctxErr(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, 0, err
	}
	status := resp.StatusCode
	if status >= 500 {
		// A failing robots.txt says nothing of the site's wishes; as colly does, read on
		// (politely), and ask again at the next request.
		status = http.StatusNotFound
	}
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		return nil, 0, err
	}
	return data, resp.StatusCode, nil
}

// rawCharset hides the charset of a response from colly, which would otherwise transcode the
// body (and replace the Gazette's stray Windows-1252 bytes): billwatch keeps the bytes as
// served and decodes them itself. The header as served stays in X-Billwatch-Content-Type.
type rawCharset struct{ next http.RoundTripper }

func (t rawCharset) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.Contains(strings.ToLower(ct), "charset") {
		resp.Header.Set("X-Billwatch-Content-Type", ct)
		mt, _, _ := strings.Cut(ct, ";")
		resp.Header.Set("Content-Type", strings.TrimSpace(mt))
	}
	return resp, nil
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// LooksLikeHTML reports whether a body starts like an HTML document, which is how an error page
// served in place of JSON or XML betrays itself.
func LooksLikeHTML(b []byte) bool {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	if len(b) > 512 {
		b = b[:512]
	}
	l := bytes.ToLower(b)
	return bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html"))
}
