package scraper

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestRobotsTxtIsObeyedAndReadOnce(t *testing.T) {
	var robotsHits atomic.Int32
	var status atomic.Int32
	status.Store(200)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			if s := int(status.Load()); s != 200 {
				w.WriteHeader(s)
				return
			}
			w.Write([]byte("User-agent: billwatch\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"))
			return
		}
		if ua := r.Header.Get("User-Agent"); ua != UserAgent() {
			t.Errorf("User-Agent = %q, want %q", ua, UserAgent())
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c, err := NewClient(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path    string
		blocked bool
	}{
		{"/public", false},
		{"/private/page", true},
		{"/public?x=1", false},
	} {
		_, err := c.Get(t.Context(), srv.URL+tc.path)
		if got := errors.Is(err, ErrBlocked); got != tc.blocked {
			t.Errorf("Get(%s) blocked = %v (%v), want %v", tc.path, got, err, tc.blocked)
		}
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt read %d times for three pages, want once", n)
	}

	// A robots.txt answering 503 forbids nothing, and is read again next time.
	c2, _ := NewClient(Options{})
	status.Store(503)
	before := robotsHits.Load()
	if _, err := c2.Get(t.Context(), srv.URL+"/private/page"); err != nil {
		t.Errorf("Get with robots.txt 503 = %v, want the page", err)
	}
	status.Store(200)
	if _, err := c2.Get(t.Context(), srv.URL+"/private/page"); !errors.Is(err, ErrBlocked) {
		t.Errorf("Get after robots.txt recovered = %v, want ErrBlocked", err)
	}
	if n := robotsHits.Load() - before; n != 2 {
		t.Errorf("robots.txt read %d times across a 503, want 2 (a failure is not kept)", n)
	}
}

func TestGetWithHeaderSendsIt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Header.Get("X-Requested-With")))
	}))
	defer srv.Close()
	c, _ := NewClient(Options{})
	p, err := c.GetWithHeader(t.Context(), srv.URL+"/fragment", http.Header{"X-Requested-With": {"XMLHttpRequest"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Body) != "XMLHttpRequest" {
		t.Errorf("GetWithHeader: the server received X-Requested-With %q, want XMLHttpRequest", p.Body)
	}
}

func TestCountingCountsRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	c, _ := NewClient(Options{})
	ctx, n := Counting(t.Context())
	for range 3 {
		if _, err := c.Get(ctx, srv.URL+"/page"); err != nil {
			t.Fatal(err)
		}
	}
	c.Get(t.Context(), srv.URL+"/other") // not counted: another context
	if got := n.Load(); got != 3 {
		t.Errorf("Counting counted %d requests, want 3", got)
	}
}
