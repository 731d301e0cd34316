package web

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

var authNow = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

type oneBill struct{}

func (oneBill) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	return []billwatch.Bill{{Session: "45-1", Number: "C-8", Title: "An Act respecting cyber security", Status: "At second reading in the House of Commons", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-8"}}, nil
}

func (oneBill) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	b, _ := oneBill{}.Bills(ctx, session)
	return b[0], []byte("record"), nil
}

// memoryServer is a web server on a database holding one bill, with the given accounts
// (name → role), each with the password "correct horse battery staple".
func memoryServer(t *testing.T, auth Auth, users map[string]string) (*httptest.Server, string) {
	t.Helper()
	_, srv, db := memoryServerOf(t, auth, users)
	return srv, db
}

// memoryServerOf is memoryServer with the Server itself.
func memoryServerOf(t *testing.T, auth Auth, users map[string]string) (*Server, *httptest.Server, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "web.db")
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return authNow }
	tr.Bills = oneBill{}
	if s := tr.ScrapeBills(t.Context(), "45-1"); s.Outcome != tracker.OK {
		t.Fatal(s.Line())
	}
	for name, role := range users {
		_, token, err := store.AddUser(name, role, authNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.RedeemSignin(token, "correct horse battery staple", authNow); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources, Now: func() time.Time { return authNow }, Auth: auth,
		Writer: func() (*tracker.Tracker, error) { return tr, nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv, db
}

// client is a browser-like client: cookies kept, redirects not followed.
func client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func post(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func get(t *testing.T, c *http.Client, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func signIn(t *testing.T, c *http.Client, srv *httptest.Server, name string) {
	t.Helper()
	resp, body := post(t, c, srv, "/signin", url.Values{"name": {name}, "password": {"correct horse battery staple"}, "next": {"/bills/45-1/C-8"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/bills/45-1/C-8" {
		t.Fatalf("sign in as %s: %d %s\n%s", name, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == SessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over http", cookie)
	}
}

func TestWritesNeedAnEditor(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor, "vic": tracker.RoleViewer})
	set := url.Values{"action": {"set"}, "position": {"oppose"}, "priority": {"high"}, "owner": {"Léa"}, "next": {"brief to SECU"}, "due": {"2026-11-18"}}

	// Nobody signed in: reads go to the sign-in page, a write answers 401.
	anon := client(t)
	if resp, _ := get(t, anon, srv, "/bills/45-1/C-8"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("anonymous read with accounts = %d %s, want a redirect to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := post(t, anon, srv, "/bills/45-1/C-8/memory", set, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous write = %d, want 401", resp.StatusCode)
	}

	// A viewer reads, sees no edit controls, and is refused a write.
	viewer := client(t)
	signIn(t, viewer, srv, "vic")
	if _, body := get(t, viewer, srv, "/bills/45-1/C-8"); strings.Contains(body, `action="/bills/45-1/C-8/memory"`) || !strings.Contains(body, "read only") {
		t.Errorf("a viewer's bill page has edit controls or lacks the read-only notice")
	}
	if resp, _ := post(t, viewer, srv, "/bills/45-1/C-8/memory", set, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer write = %d, want 403", resp.StatusCode)
	}

	// An editor sets the position, adds a note with markup and a document, and sees the history.
	editor := client(t)
	signIn(t, editor, srv, "lea")
	if resp, body := post(t, editor, srv, "/bills/45-1/C-8/memory", set, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor set = %d\n%s", resp.StatusCode, body)
	}
	post(t, editor, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {`<script>alert("x")</script><b>bold</b>`}}, nil)
	post(t, editor, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"doc"}, "title": {"Brief to SECU"}, "date": {"2026-11-20"}, "url": {"https://example.org/brief.pdf"}}, nil)
	if resp, body := post(t, editor, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"doc"}, "title": {"x"}, "date": {"2026-11-20"}, "url": {"javascript:alert(1)"}}, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "document URL") {
		t.Errorf("javascript: document URL = %d, want 400 naming the URL", resp.StatusCode)
	}
	_, page := get(t, editor, srv, "/bills/45-1/C-8")
	for _, want := range []string{"oppose", "Léa", "brief to SECU", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;", `href="https://example.org/brief.pdf"`, `action="/bills/45-1/C-8/memory"`} {
		if !strings.Contains(page, want) {
			t.Errorf("editor's bill page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("the note's markup reached the page as markup")
	}
	_, hist := get(t, editor, srv, "/bills/45-1/C-8/history")
	for _, want := range []string{"position", "oppose", "lea", "document", "Brief to SECU"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history page lacks %q", want)
		}
	}
	_, steps := get(t, editor, srv, "/steps")
	if !strings.Contains(steps, "brief to SECU") || !strings.Contains(steps, "overdue") {
		t.Errorf("steps board lacks the overdue next step")
	}
	if _, board := get(t, editor, srv, "/"); !strings.Contains(board, "Our next steps") || !strings.Contains(board, "brief to SECU") || !strings.Contains(board, ">overdue<") {
		t.Errorf("the action board lacks the owner's overdue next step")
	}
	store, _ := tracker.OpenReadOnly(db)
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "oppose" || len(r.Notes) != 1 || len(r.Documents) != 1 {
		t.Errorf("stored record = %+v", r)
	}

	// A forged cross-site POST with the editor's cookie is refused.
	for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "", "Origin": "https://evil.example"}} {
		if resp, _ := post(t, editor, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"forged"}}, hdr); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %v = %d, want 403", hdr, resp.StatusCode)
		}
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); len(r.Notes) != 1 {
		t.Errorf("a forged note was stored")
	}

	// The watch list, edited in the browser.
	if resp, _ := post(t, editor, srv, "/watch", url.Values{"action": {"add"}, "kind": {"keyword"}, "value": {"spyware"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("watch add = %d", resp.StatusCode)
	}
	if _, body := get(t, editor, srv, "/watch"); !strings.Contains(body, "spyware") {
		t.Errorf("watch page lacks the added keyword")
	}
	if resp, _ := post(t, viewer, srv, "/watch", url.Values{"action": {"add"}, "kind": {"keyword"}, "value": {"x"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer watch add = %d, want 403", resp.StatusCode)
	}
}

func TestSigninRateLimited(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	codes := []int{}
	for range 6 {
		resp, _ := post(t, c, srv, "/signin", url.Values{"name": {"lea"}, "password": {"wrong guess number"}}, nil)
		codes = append(codes, resp.StatusCode)
	}
	if fmt.Sprint(codes) != "[401 401 401 401 401 429]" {
		t.Errorf("six wrong passwords answered %v, want five 401 then 429", codes)
	}
	if resp, _ := post(t, c, srv, "/signin", url.Values{"name": {"lea"}, "password": {"correct horse battery staple"}}, nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password while limited = %d, want 429", resp.StatusCode)
	}
}

// Attempts sent together are counted before any password is checked: no more pass than the
// limit, and no more than hashSlots passwords are hashed at once.
func TestSigninParallelAttemptsBounded(t *testing.T) {
	t.Parallel()
	_, srv, _ := memoryServerOf(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			name := "lea"
			if i%2 == 1 {
				name = fmt.Sprintf("nobody%d", i)
			}
			resp, _ := post(t, client(t), srv, "/signin", url.Values{"name": {name}, "password": {"wrong guess number"}}, nil)
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	// From one address: 20 attempts in all, and 5 of them for lea.
	if codes[http.StatusUnauthorized] > maxPerAddr || codes[http.StatusUnauthorized]+codes[http.StatusServiceUnavailable] > maxPerAddr || codes[http.StatusTooManyRequests] < 30-maxPerAddr {
		t.Errorf("30 parallel wrong sign-ins answered %v, want at most %d checked and the rest 429", codes, maxPerAddr)
	}

	// With every slot taken, an attempt waits hashWait, then answers 503 and is not counted.
	s, srv, _ := memoryServerOf(t, Auth{}, nil)
	s.hashWait = 10 * time.Millisecond
	for range hashSlots {
		s.hashing <- struct{}{}
	}
	resp, body := post(t, client(t), srv, "/signin", url.Values{"name": {"sam"}, "password": {"x"}}, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "try again in a few seconds") {
		t.Errorf("sign-in with every slot taken = %d %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for range hashSlots {
		<-s.hashing
	}
}

// Behind a trusted proxy each client is limited by its own address, and a name's lockout is
// that name's.
func TestSigninLimitPerClientAndName(t *testing.T) {
	t.Parallel()
	loop := netip.MustParsePrefix("127.0.0.1/32")
	srv, _ := memoryServer(t, Auth{TrustedProxies: []netip.Prefix{loop}}, map[string]string{"lea": tracker.RoleEditor, "sam": tracker.RoleEditor})
	from := func(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr + ", 127.0.0.1"} }
	for range maxPerAddrName {
		post(t, client(t), srv, "/signin", url.Values{"name": {"lea"}, "password": {"wrong guess number"}}, from("203.0.113.7"))
	}
	if resp, _ := post(t, client(t), srv, "/signin", url.Values{"name": {"lea"}, "password": {"correct horse battery staple"}}, from("203.0.113.7")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("lea from the guessing address = %d, want 429", resp.StatusCode)
	}
	if resp, _ := post(t, client(t), srv, "/signin", url.Values{"name": {"sam"}, "password": {"correct horse battery staple"}}, from("203.0.113.7")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sam from the same address = %d, want 303: one name's lockout is not another's", resp.StatusCode)
	}
	if resp, _ := post(t, client(t), srv, "/signin", url.Values{"name": {"lea"}, "password": {"correct horse battery staple"}}, from("198.51.100.2")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("lea from another client behind the proxy = %d, want 303", resp.StatusCode)
	}
}

// Bogus sign-in links count against the address that sends them, not against every link.
func TestBogusLinksSpendNoOneElses(t *testing.T) {
	t.Parallel()
	loop := netip.MustParsePrefix("127.0.0.1/32")
	srv, db := memoryServer(t, Auth{TrustedProxies: []netip.Prefix{loop}}, nil)
	store, _ := tracker.Open(db)
	_, token, err := store.AddUser("nina", tracker.RoleEditor, authNow)
	if err != nil {
		t.Fatal(err)
	}
	from := func(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }
	for i := range maxPerAddr {
		post(t, client(t), srv, "/signin", url.Values{"token": {fmt.Sprint("bogus", i)}, "password": {"whatever whatever 1"}}, from("203.0.113.9"))
	}
	if resp, _ := post(t, client(t), srv, "/signin", url.Values{"token": {"bogus"}, "password": {"whatever whatever 1"}}, from("203.0.113.9")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the bogus links' address after %d tries = %d, want 429", maxPerAddr, resp.StatusCode)
	}
	if resp, _ := post(t, client(t), srv, "/signin", url.Values{"token": {token}, "password": {"a long enough passphrase"}}, from("198.51.100.4")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("nina's own link from her address = %d, want 303", resp.StatusCode)
	}
}

func TestAttemptKeysIPv6(t *testing.T) {
	t.Parallel()
	a := attemptKeys(netip.MustParseAddr("2001:db8:1:2::1"), "lea")
	b := attemptKeys(netip.MustParseAddr("2001:db8:1:2:ffff::9"), "lea")
	if !maps.Equal(a, b) {
		t.Errorf("two addresses of one /64 count apart: %v and %v", a, b)
	}
}

// A page made for a signed-in user is private to them: no shared cache keeps it.
func TestSignedInPagesArePrivate(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	for _, path := range []string{"/bills/45-1/C-8", "/bills", "/calendar.ics", "/feed.atom"} {
		if resp, _ := get(t, c, srv, path); !slices.Contains([]string{"private, no-cache", "no-store"}, resp.Header.Get("Cache-Control")) {
			t.Errorf("GET %s signed in: Cache-Control %q, want private, no-cache (or no-store)", path, resp.Header.Get("Cache-Control"))
		}
	}
	open, _ := memoryServer(t, Auth{}, nil)
	if resp, _ := get(t, client(t), open, "/bills/45-1/C-8"); resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /bills/45-1/C-8 with no account: Cache-Control %q, want no-cache", resp.Header.Get("Cache-Control"))
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/bills/45-1/C-8":             "/bills/45-1/C-8",
		"/bills?q=a%20b#top":          "/bills?q=a%20b#top",
		"":                            "/",
		"bills":                       "/",
		"//evil.example/":             "/",
		"/\\evil.example/":            "/",
		"/\t/evil.example/":           "/",
		"/\n/evil.example/":           "/",
		"/\r\n/evil.example/":         "/",
		" //evil.example/":            "/",
		"/ /evil.example/":            "/",
		"/\u00a0/evil.example/":       "/",
		"https://evil.example/":       "/",
		"javascript:alert(1)":         "/",
		"/\x7f/evil.example/":         "/",
		"/bills/45-1/C-8/diff?from=1": "/bills/45-1/C-8/diff?from=1",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSigninLink(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	store, _ := tracker.Open(db)
	_, token, err := store.AddUser("sam", tracker.RoleViewer, authNow)
	if err != nil {
		t.Fatal(err)
	}
	c := client(t)
	if _, body := get(t, c, srv, "/signin?token="+token); !strings.Contains(body, "Set your password") || !strings.Contains(body, "The account: <strong>sam</strong>") || !strings.Contains(body, `autocomplete="username"`) {
		t.Errorf("sign-in link page lacks the password form, or does not name the account")
	}
	if resp, body := post(t, c, srv, "/signin", url.Values{"token": {token}, "password": {"short"}}, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "too short") {
		t.Errorf("weak password = %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv, "/signin", url.Values{"token": {token}, "password": {"a long enough passphrase"}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("set password = %d", resp.StatusCode)
	}
	if resp, body := post(t, client(t), srv, "/signin", url.Values{"token": {token}, "password": {"a long enough passphrase"}}, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already used") {
		t.Errorf("reused link = %d", resp.StatusCode)
	}
	// A used or unknown link says so at once, without the password form.
	for _, tok := range []string{token, "not-a-token"} {
		if resp, body := get(t, client(t), srv, "/signin?token="+tok); resp.StatusCode != http.StatusGone || strings.Contains(body, "Set your password") || !strings.Contains(body, "sign-in link") {
			t.Errorf("GET /signin?token=%s = %d, want 410 saying the link no longer works, without the password form", tok, resp.StatusCode)
		}
	}
}

func TestOpenReadsWithoutAccounts(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, nil)
	c := client(t)
	if resp, _ := get(t, c, srv, "/bills/45-1/C-8"); resp.StatusCode != http.StatusOK {
		t.Errorf("read without accounts = %d, want 200", resp.StatusCode)
	}
	if resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"x"}}, nil); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "billwatch user add") {
		t.Errorf("write without accounts = %d, want 401 saying how an account is made", resp.StatusCode)
	}
	if _, body := get(t, c, srv, "/signin"); !strings.Contains(body, "No account exists yet") {
		t.Errorf("the sign-in page without accounts does not say that none exists")
	}
}

func TestHeaderAuth(t *testing.T) {
	t.Parallel()
	loop := netip.MustParsePrefix("127.0.0.1/32")
	srv, _ := memoryServer(t, Auth{Mode: AuthHeader, Header: "X-Forwarded-User", TrustedProxies: []netip.Prefix{loop}}, map[string]string{"vic": tracker.RoleViewer})
	c := client(t)
	if resp, _ := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"from sso"}}, map[string]string{"X-Forwarded-User": "Lea"}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("header user write = %d, want 303", resp.StatusCode)
	}
	if resp, _ := post(t, c, srv, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"x"}}, map[string]string{"X-Forwarded-User": "vic"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("header viewer write = %d, want 403", resp.StatusCode)
	}
	if resp, _ := get(t, c, srv, "/bills/45-1/C-8"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("read without the header under header auth = %d, want a redirect to sign in", resp.StatusCode)
	}
	// From an untrusted address the header means nothing.
	srv2, _ := memoryServer(t, Auth{Mode: AuthHeader, Header: "X-Forwarded-User", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}}, nil)
	if resp, _ := post(t, c, srv2, "/bills/45-1/C-8/memory", url.Values{"action": {"note"}, "text": {"x"}}, map[string]string{"X-Forwarded-User": "lea"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("header from an untrusted address = %d, want 401", resp.StatusCode)
	}
}
