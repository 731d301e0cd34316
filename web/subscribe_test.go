package web

import (
	"bytes"
	"html"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/billwatch/billwatch/tracker"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var keyRe = regexp.MustCompile(`/feed\.atom\?key=([A-Za-z0-9_-]{40,})"`)

// makeLinks signs in as name, makes subscription links at /account and returns the key.
func makeLinks(t *testing.T, post func(path string) (*http.Response, string)) string {
	t.Helper()
	resp, body := post("/account/feeds")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST /account/feeds = %d, Cache-Control %q\n%s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	m := keyRe.FindStringSubmatch(html.UnescapeString(body))
	if m == nil {
		t.Fatalf("no feed link with a key on the page:\n%s", body)
	}
	for _, want := range []string{"/calendar.ics?key=" + m[1], "/feed.atom?key=" + m[1] + "&audience=members", "cannot show them again", "Subscribe from web", "so that the links name its public https address"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the links page lacks %q", want)
		}
	}
	return m[1]
}

func TestSubscriptionLinks(t *testing.T) {
	t.Parallel()
	s, srv, db := memoryServerOf(t, Auth{}, map[string]string{"lea": tracker.RoleViewer, "ed": tracker.RoleEditor})
	var logs syncBuffer
	s.opt.Log = slog.New(slog.NewTextHandler(&logs, nil))
	anon := client(t)
	// Feed readers cannot sign in: without a key, the feed still needs one. An application
	// is told so (401), not sent a sign-in page it would take for the calendar; a browser
	// goes to sign in.
	for _, path := range []string{"/feed.atom", "/calendar.ics"} {
		if resp, body := get(t, anon, srv, path); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "private link") {
			t.Errorf("%s from an application without key or session = %d, want 401 naming the private link", path, resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		resp, err := anon.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s from a browser without key or session = %d, want 303 to sign in", path, resp.StatusCode)
		}
	}
	if resp, _ := post(t, anon, srv, "/account/feeds", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("making links without a session = %d, want 401", resp.StatusCode)
	}
	c := client(t)
	signIn(t, c, srv, "lea")
	if _, body := get(t, c, srv, "/account"); !strings.Contains(body, "You have no subscription links yet") || !strings.Contains(body, `action="/account/feeds"`) {
		t.Errorf("/account before any link:\n%s", body)
	}
	// The form is protected like every other: a cross-site POST is refused.
	if resp, _ := post(t, c, srv, "/account/feeds", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /account/feeds = %d, want 403", resp.StatusCode)
	}
	key := makeLinks(t, func(p string) (*http.Response, string) { return post(t, c, srv, p, nil, nil) })

	// The key reads the feed, with its filter, as lea: no cookie.
	resp, body := get(t, anon, srv, "/feed.atom?key="+key+"&audience=members")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed with key = %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp.Header.Get("Referrer-Policy") == "" {
		t.Error("the feed has no Referrer-Policy")
	}
	if !strings.Contains(body, "<id>"+srv.URL+"/feed.atom?audience=members</id>") {
		t.Errorf("the feed's id is not its address without the key:\n%s", body)
	}
	// The key opens only the calendar and the feed.
	for _, p := range []string{"/bills/45-1/C-8?key=" + key, "/alerts?key=" + key, "/account?key=" + key} {
		if resp, _ := get(t, anon, srv, p); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("GET %s = %d, want 303 to sign in: a key opens no page", strings.Replace(p, key, "KEY", 1), resp.StatusCode)
		}
	}
	if resp, _ := post(t, anon, srv, "/bills/45-1/C-8/memory?key="+key, url.Values{"action": {"note"}, "text": {"x"}}, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a write with a key = %d, want 401", resp.StatusCode)
	}
	// A wrong key answers 401 (a calendar application shows it), not a sign-in page.
	if resp, body := get(t, anon, srv, "/feed.atom?key=nonsense"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "/account") {
		t.Errorf("feed with a wrong key = %d, want 401 saying where to get a new link", resp.StatusCode)
	}
	// The page now says when the links were made, and renewing revokes the old key.
	if _, body := get(t, c, srv, "/account"); !strings.Contains(body, "You made your links on") || strings.Contains(body, key) {
		t.Errorf("/account after making links: want their date and no key\n%s", body)
	}
	key2 := makeLinks(t, func(p string) (*http.Response, string) { return post(t, c, srv, p, nil, nil) })
	if resp, _ := get(t, anon, srv, "/feed.atom?key="+key); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("renewed key = %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, anon, srv, "/feed.atom?key="+key2); resp.StatusCode != http.StatusOK {
		t.Errorf("new key = %d, want 200", resp.StatusCode)
	}
	// A removed user's key stops working.
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RemoveUser("lea"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, anon, srv, "/feed.atom?key="+key2); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("removed user's key = %d, want 401", resp.StatusCode)
	}
	if strings.Contains(logs.String(), key) || strings.Contains(logs.String(), key2) {
		t.Errorf("a key is in the server's log:\n%s", logs.String())
	}
}

func TestSubscriptionLinksHeaderAuth(t *testing.T) {
	t.Parallel()
	loop := netip.MustParsePrefix("127.0.0.1/32")
	srv, db := memoryServer(t, Auth{Mode: AuthHeader, Header: "X-Forwarded-User", TrustedProxies: []netip.Prefix{loop}}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.AddUser("vic", tracker.RoleViewer, authNow); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	hdr := func(name string) func(p string) (*http.Response, string) {
		return func(p string) (*http.Response, string) {
			return post(t, c, srv, p, nil, map[string]string{"X-Forwarded-User": name})
		}
	}
	key := makeLinks(t, hdr("vic"))
	if resp, _ := get(t, c, srv, "/feed.atom?key="+key); resp.StatusCode != http.StatusOK {
		t.Errorf("header auth: feed with key = %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(t, c, srv, "/feed.atom?key=nonsense"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("header auth: feed with a wrong key = %d, want 401", resp.StatusCode)
	}
	// A header-named user without an account has no key to make.
	if resp, body := hdr("nobody")("/account/feeds"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "billwatch user add nobody --role viewer") {
		t.Errorf("links for a user without an account = %d\n%s", resp.StatusCode, body)
	}
}

func TestSubscriptionOpenWithoutAccounts(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, nil)
	c := client(t)
	if resp, _ := get(t, c, srv, "/feed.atom"); resp.StatusCode != http.StatusOK {
		t.Errorf("feed without accounts = %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(t, c, srv, "/feed.atom?key=anything"); resp.StatusCode != http.StatusOK {
		t.Errorf("feed with a stray key without accounts = %d, want 200", resp.StatusCode)
	}
	if _, body := get(t, c, srv, "/account"); !strings.Contains(body, "need no key") {
		t.Errorf("/account without accounts does not say the feeds are open:\n%s", body)
	}
}

// The calendar link is offered as webcal:// too when the site is https (Apple Calendar
// subscribes to it); an http site has no such link.
func TestLinksWebcal(t *testing.T) {
	t.Parallel()
	l := Links("https://billwatch.example.org", "k/1")
	if l.Calendar != "https://billwatch.example.org/calendar.ics?key=k%2F1" || string(l.Webcal) != "webcal://billwatch.example.org/calendar.ics?key=k%2F1" {
		t.Errorf("Links(https) = %q, %q", l.Calendar, l.Webcal)
	}
	if l := Links("http://127.0.0.1:8080", "k"); l.Webcal != "" {
		t.Errorf("Links(http) webcal = %q, want none", l.Webcal)
	}
}
