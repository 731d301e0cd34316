// Package web is billwatch's web interface: server-rendered pages from html/template, the
// same data as the read commands' --json at the same paths, an iCalendar feed and an Atom
// feed of alerts. It reads the store the way the read commands do (short read-only
// transactions, never a held handle), so it keeps working while the daemon writes, and it
// writes nothing. Every scraped string goes through html/template's escaping; responses carry
// a strict Content-Security-Policy; the pages need no JavaScript.
package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/tracker"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure a Server.
type Options struct {
	// DB is the database file. It need not exist yet: pages then say how to create it.
	DB string
	// Sources are the names of the sources, in pass order, for the status page and the
	// banner of failing or stale sources (the command's source table).
	Sources []string
	// Now is the clock (countdowns, "upcoming", stale sources); nil means time.Now.
	Now func() time.Time
	// Log receives server errors; nil discards them.
	Log *slog.Logger
	// PublicURL is the address people reach billwatch at ([web] public_url), for absolute
	// links in feeds and in alerts' JSON; empty means the address of each request.
	PublicURL string
	// BillJSON builds a bill as `show --json` gives it, for the bill page's JSON: one builder
	// for both. Required.
	BillJSON func(b tracker.StoredBill) (any, error)
	// Calendar writes the iCalendar feed of `billwatch calendar`; nil serves none.
	Calendar func(w io.Writer, now time.Time) error
	// Law applies a bill XML text to the stored consolidated Acts, as `billwatch law` does,
	// for the law page; nil serves the page as unavailable.
	Law func(billXML []byte) (*law.Result, error)
	// CacheDiffs is how many diff results are kept in memory (default 16).
	CacheDiffs int
	// Auth says who may read and write ([web] auth).
	Auth Auth
	// Writer opens the tracker through which the memory and the watch list are written; nil
	// makes the server read-only.
	Writer func() (*tracker.Tracker, error)
	// ConfigWatch is the configuration file's watch profile, shown on the watch-list page.
	ConfigWatch []tracker.WatchItem
}

// Server serves the web interface. It is safe for concurrent use.
type Server struct {
	opt   Options
	pages map[string]*template.Template
	mux   *http.ServeMux
	// guarded is mux behind the access layer (auth.go).
	guarded http.Handler

	mu     sync.Mutex
	snap   *snapshot
	loadMu sync.Mutex

	diffs   *diffCache
	cache   pageCache
	limit   *limiter
	hashing chan struct{} // the slots in which passwords are checked (hashSlots)
	// hashWait is how long a sign-in waits for a slot before it answers 503.
	hashWait time.Duration
	warming  atomic.Bool // a goroutine is preparing recent diffs
	// alertPage is how many alerts a page of /alerts shows; 0 means alertsShown (tests
	// set fewer).
	alertPage int
}

// New returns a server for the options.
func New(opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.CacheDiffs <= 0 {
		opt.CacheDiffs = 16
	}
	if opt.BillJSON == nil {
		return nil, errors.New("web: no BillJSON: the bill page's JSON is built by `show --json`'s builder")
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	s := &Server{opt: opt, diffs: newDiffCache(opt.CacheDiffs), limit: newLimiter(),
		hashing: make(chan struct{}, hashSlots), hashWait: 3 * time.Second}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// CheckPublicURL checks a [web] public_url value: an absolute http or https URL without query
// or fragment. It returns the URL without its trailing slash.
func CheckPublicURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q: want an absolute http or https address such as \"https://billwatch.example.org\"", s)
	}
	return strings.TrimRight(s, "/"), nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.handle(s.board))
	m.HandleFunc("GET /bills", s.handle(s.billList))
	m.HandleFunc("GET /bills/{session}/{number}", s.handle(s.billPage))
	m.HandleFunc("GET /bills/{session}/{number}/diff", s.handle(s.diffPage))
	m.HandleFunc("GET /bills/{session}/{number}/law", s.handle(s.lawPage))
	m.HandleFunc("GET /hearings", s.handle(s.hearingList))
	m.HandleFunc("GET /hearings/{session}/{committee}/{number}", s.handle(s.hearingPage))
	m.HandleFunc("GET /regulations", s.handle(s.regulationList))
	m.HandleFunc("GET /regulations/{part}/{id}", s.handle(s.regulationPage))
	m.HandleFunc("GET /alerts", s.handle(s.alertList))
	m.HandleFunc("GET /status", s.handle(s.statusPage))
	m.HandleFunc("GET /calendar.ics", s.handle(s.calendar))
	m.HandleFunc("GET /feed.atom", s.handle(s.feed))
	m.HandleFunc("GET /account", s.handle(s.accountPage))
	m.HandleFunc("POST /account/feeds", s.handle(s.feedKeyPost))
	s.memoryRoutes(m)
	m.Handle("GET /static/", s.staticFiles())
	s.mux = m
	s.guarded = s.guard(s.fallback(m))
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// CSP is the Content-Security-Policy of every response: no script at all, styles and images
// from billwatch itself only, forms posting only to billwatch, no framing.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler returns the web interface's handler, with its security headers and a recovery that
// turns a panic into a 500 page.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opt.Log.Error("web: panic", "path", r.URL.Path, "error", fmt.Sprint(v))
				s.writeError(w, r, &httpError{status: http.StatusInternalServerError, title: "Something went wrong", msg: "billwatch could not build this page. The error is in the server's log."})
			}
		}()
		s.guarded.ServeHTTP(w, r)
	})
}

// httpError is a page-level failure with the status it answers.
type httpError struct {
	status int
	title  string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func notFound(format string, args ...any) error {
	return &httpError{status: http.StatusNotFound, title: "Not found", msg: fmt.Sprintf(format, args...)}
}

func badParam(name, format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, title: "Bad request", msg: fmt.Sprintf("Query parameter %q: ", name) + fmt.Sprintf(format, args...)}
}

// badField is a 400 naming a form field (badParam names a query parameter).
func badField(name, format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, title: "Bad request", msg: fmt.Sprintf("Form field %q: ", name) + fmt.Sprintf(format, args...)}
}

// handle adapts a page function: an error becomes a proper page (or JSON) with its status.
// Every response says it varies with Accept: the page, or its error, is JSON when asked.
func (s *Server) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	cached := s.cached(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept")
		cached(w, r)
	}
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, tracker.ErrNoDatabase):
		he = &httpError{status: http.StatusServiceUnavailable, title: "No database yet", msg: fmt.Sprintf("The database %s does not exist yet. Run `billwatch scrape` (or `billwatch --db %s demo`) to create it, then reload this page.", s.opt.DB, s.opt.DB)}
	case errors.Is(err, tracker.ErrBusy):
		w.Header().Set("Retry-After", "5")
		he = &httpError{status: http.StatusServiceUnavailable, title: "Database busy", msg: "Another billwatch process is holding the database for longer than usual. Reload in a few seconds."}
	default:
		s.opt.Log.Error("web: page failed", "path", r.URL.Path, "error", err)
		he = &httpError{status: http.StatusInternalServerError, title: "Something went wrong", msg: "billwatch could not read what this page needs: " + firstLine(err.Error())}
	}
	w.Header().Set("Vary", "Accept")
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(he.status)
		writeJSONBody(w, map[string]string{"error": he.msg})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, he.status, "error", page{Title: he.title, Data: he})
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	if !strings.Contains(accept, "application/json") {
		return false
	}
	j := strings.Index(accept, "application/json")
	h := strings.Index(accept, "text/html")
	return h < 0 || j < h
}

// base is the absolute address of the site, for feeds and alert URLs.
func (s *Server) base(r *http.Request) string {
	if s.opt.PublicURL != "" {
		return s.opt.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
