package web

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// pageCache keeps the pages built for one state of the database: a page depends only on
// that state, its address and the minute (countdowns, "3 h ago"), so fifty readers of the
// board cost one rendering a minute. It empties itself when the database changes.
type pageCache struct {
	mu    sync.Mutex
	state string
	pages map[string]*cachedPage
}

// cachedPage is one page, or the promise of one while a request builds it: the requests
// for the same page meanwhile wait for it rather than build it again.
type cachedPage struct {
	done   chan struct{}
	ok     bool // built, with status 200
	header http.Header
	body   []byte
}

// maxCachedPages bounds the cache; past it, it starts again.
const maxCachedPages = 512

// claim returns the page for key in this state; build is true when the caller must build it
// and then call finish.
func (c *pageCache) claim(state, key string) (p *cachedPage, build bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != state || len(c.pages) >= maxCachedPages {
		c.state, c.pages = state, map[string]*cachedPage{}
	}
	if p, ok := c.pages[key]; ok {
		return p, false
	}
	p = &cachedPage{done: make(chan struct{})}
	c.pages[key] = p
	return p, true
}

// finish publishes a built page; one that did not answer 200 is forgotten.
func (c *pageCache) finish(state, key string, p *cachedPage) {
	if !p.ok {
		c.mu.Lock()
		if c.state == state && c.pages[key] == p {
			delete(c.pages, key)
		}
		c.mu.Unlock()
	}
	close(p.done)
}

// bufferedWriter keeps a response in memory, to be cached and sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// replay writes what was written to b to w: its header, status and body.
func (b *bufferedWriter) replay(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}

// cached serves GET requests from the page cache, and fills it with the pages that answer 200.
func (s *Server) cached(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || userOf(r) != nil {
			// A signed-in user's page carries their controls: built for them alone.
			fn(w, r)
			return
		}
		state, err := s.stateKey()
		if err != nil {
			fn(w, r)
			return
		}
		key := r.URL.RequestURI() + "\x00" + r.Header.Get("Accept") + "\x00" + r.Host + "\x00" + s.opt.Now().Truncate(time.Minute).Format(time.RFC3339)
		p, build := s.cache.claim(state, key)
		if !build {
			select {
			case <-p.done:
			case <-r.Context().Done():
				return
			}
			if p.ok {
				for k, v := range p.header {
					w.Header()[k] = v
				}
				w.WriteHeader(http.StatusOK)
				w.Write(p.body)
				return
			}
			fn(w, r) // the build failed: this request tries for itself
			return
		}
		buf := &bufferedWriter{header: http.Header{}}
		for k, v := range w.Header() {
			buf.header[k] = v
		}
		func() {
			defer s.cache.finish(state, key, p) // even when fn panics
			fn(buf, r)
			if buf.status == 0 || buf.status == http.StatusOK {
				p.ok, p.header, p.body = true, buf.header.Clone(), buf.body.Bytes()
			}
		}()
		buf.replay(w)
	}
}
