package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// demoNow is the moment the web tests look at the demo database: the morning after the
// third pass, with SECU meeting 25 tomorrow and the comment period open.
const demoNow = "2026-11-25T11:00:00-05:00"

// demoDB runs `billwatch demo` (with demoArgs) into a fresh database (with the configuration
// text, if any) and returns the database and configuration paths.
func demoDB(t testing.TB, config string, demoArgs ...string) (db, cfgPath string) {
	t.Helper()
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Setenv("BILLWATCH_DB", "")
	dir := t.TempDir()
	db = filepath.Join(dir, "demo.db")
	cfgPath = filepath.Join(dir, "billwatch.toml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(t.Context(), append([]string{"--config", cfgPath, "--db", db, "demo"}, demoArgs...), &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, stderr.String())
	}
	return db, cfgPath
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// webServer serves the web interface on db at a pinned clock, on loopback.
func webServer(t testing.TB, db, cfgPath string, now time.Time) *httptest.Server {
	t.Helper()
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{db: db}
	h, err := webHandler(g, cfg, func() time.Time { return now }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url, accept string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// demoPages are every kind of page of the web interface on the demo database, with what
// each must show.
var demoPages = []struct {
	path string
	want []string
}{
	{"/", []string{"This week", "C-22 — Lawful Access Act, 2026", "Referred to <strong>SECU</strong>", "SECU meeting 25", "tomorrow", "Léa Martin", "26 days left", "Alerts of the last 7 days"}},
	{"/bills", []string{"C-22 — Lawful Access Act, 2026", "Watched: ", `name="committee"`, `name="stage"`}},
	{"/bills?all=1&session=45-1", []string{"All bills", "C-8"}},
	{"/bills?q=lawful+access", []string{"C-22"}},
	{"/bills?stage=committee&committee=SECU", []string{"C-22"}},
	{"/bills/45-1/C-22", []string{"Lawful Access Act, 2026", "Stages", "House of Commons", "SECU meeting 25", "Witnesses: ", "Why watched", "Alerts on this bill"}},
	{"/bills/45-1/C-12", []string{"Text versions", `action="/bills/45-1/C-12/diff"`, "Show the changes"}},
	{"/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee", []string{"What to look at first", "may → shall: a discretion becomes a duty", `href="#p-in-the-amendment-made-by-s-4-s-150.2-3"`, `id="p-in-the-amendment-made-by-s-4-s-150.2-3"`, "<del>suspect</del><ins>believe</ins>", "renumbered only", "<details", "First Reading", "As amended by committee", "https://www.parl.ca/DocumentViewer/en/"}},
	{"/bills/45-1/C-12/diff?view=side", []string{"Before", "After", `aria-current="page">Side by side`}},
	{"/bills/45-1/C-8/law", []string{"Effect on the law", "Telecommunications Act (T-3.4)", "In force", "As the bill would make it", "<ins>"}},
	{"/hearings", []string{"Upcoming", "Past", "SECU", "Cancelled", "Notice amended"}},
	{"/hearings?all=1", []string{"Every stored committee meeting"}},
	{"/hearings/45-1/SECU/25", []string{"SECU meeting 25", "Witnesses", "Léa Martin", "notice of this meeting was amended", "C-22"}},
	// A Senate meeting listed without a number has its page, by its start.
	{"/hearings/45-1/LCJC/2026-11-12T16:15", []string{"LCJC meeting of 2026-11-12 16:15", "C-9"}},
	{"/regulations", []string{"Open for comment", "26 days left", "Regulations made", "Finalises the proposal"}},
	{"/regulations/I/2026-11-21-reg1", []string{"Comments by", "Mon 21 Dec 2026", "Alerts on this item"}},
	{"/alerts", []string{"Bill text amended", "Hearing scheduled"}},
	{"/alerts?audience=members&kind=bill.amended&severity=action", []string{"45-1 C-12"}},
	{"/status", []string{"bills", "hearings", "regulations", "Healthy", "Last good fetch"}},
	{"/account", []string{"Your account", "need no key"}},
}

// siteLink is a link from a page to another of the site's own pages.
var siteLink = regexp.MustCompile(`href="(/[^"#]*)`)

// The demo's database, browsed at the time the demo names (an hour after its last pass), shows
// every source read and none stale or read in the future; so does the database of its first
// three passes at demoNow, which the screenshots show.
func TestDemoBrowsedAtItsTime(t *testing.T) {
	for _, c := range []struct {
		passes, now string
	}{{"5", "2026-12-19T10:00:00-05:00"}, {"3", demoNow}} {
		db, cfg := demoDB(t, "", "--passes", c.passes)
		srv := webServer(t, db, cfg, mustTime(t, c.now))
		if _, _, body := get(t, srv.URL+"/", ""); strings.Contains(body, "A source has gone stale") {
			t.Errorf("the board after %s passes, at %s, says a source has gone stale:\n%s", c.passes, c.now, body)
		}
	}
	var stdout, stderr bytes.Buffer
	run(t.Context(), []string{"--db", filepath.Join(t.TempDir(), "d.db"), "demo"}, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "--now 2026-12-19T10:00:00-05:00 serve") {
		t.Errorf("the demo's last line does not name the time to browse it at:\n%s", stdout.String()[max(0, stdout.Len()-300):])
	}
}

func TestWebPagesOnDemo(t *testing.T) {
	db, cfg := demoDB(t, "")
	srv := webServer(t, db, cfg, mustTime(t, demoNow))
	links := map[string]string{} // every link of the site's own, and a page it is on
	for _, p := range demoPages {
		code, h, body := get(t, srv.URL+p.path, "")
		if code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200\n%s", p.path, code, body)
			continue
		}
		for _, m := range siteLink.FindAllStringSubmatch(body, -1) {
			if l := html.UnescapeString(m[1]); links[l] == "" {
				links[l] = p.path
			}
		}
		if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", p.path, ct)
		}
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", p.path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s: headers %v", p.path, h)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("GET %s: the page has inline script or style", p.path)
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %q", p.path, w)
			}
		}
	}
	code, h, body := get(t, srv.URL+"/calendar.ics", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") || !strings.Contains(body, "BEGIN:VCALENDAR") || !strings.Contains(body, "SECU meeting 25") {
		t.Errorf("GET /calendar.ics = %d %q\n%s", code, h.Get("Content-Type"), body)
	}
	code, h, body = get(t, srv.URL+"/feed.atom?audience=members", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") || !strings.Contains(body, `<feed xmlns="http://www.w3.org/2005/Atom">`) || !strings.Contains(body, "Bill text amended: 45-1 C-12") || strings.Contains(body, "Hearing scheduled") {
		t.Errorf("GET /feed.atom?audience=members = %d %q\n%s", code, h.Get("Content-Type"), body)
	}
	if code, _, body := get(t, srv.URL+"/static/style.css", ""); code != 200 || !strings.Contains(body, "--ink") {
		t.Errorf("GET /static/style.css = %d", code)
	}
	// No page links to a page that is not there.
	for l, from := range links {
		if code, _, _ := get(t, srv.URL+l, ""); code != http.StatusOK {
			t.Errorf("GET %s (linked from %s) = %d, want 200", l, from, code)
		}
	}
}

// TestWebJSONMatchesCommands checks that each page answers Accept: application/json with the
// same JSON as the read command at that path.
func TestWebJSONMatchesCommands(t *testing.T) {
	db, cfg := demoDB(t, "[web]\npublic_url = \"https://billwatch.example.org\"\n")
	srv := webServer(t, db, cfg, mustTime(t, demoNow))
	for _, c := range []struct {
		path string
		args []string
	}{
		{"/bills", []string{"bills", "--json"}},
		{"/bills?all=1", []string{"bills", "--all", "--json"}},
		{"/bills?session=45-1", []string{"bills", "--session", "45-1", "--json"}},
		{"/bills/45-1/C-22", []string{"show", "C-22", "--json"}},
		{"/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee", []string{"diff", "C-12", "--from", "first-reading", "--to", "amended-by-committee", "--format", "json"}},
		{"/bills/45-1/C-12/diff", []string{"diff", "C-12", "--format", "json"}},
		{"/hearings", []string{"hearings", "--json"}},
		{"/hearings?all=1", []string{"hearings", "--all", "--json"}},
		{"/regulations", []string{"regulations", "--json"}},
		{"/regulations?all=1", []string{"regulations", "--all", "--json"}},
		{"/alerts", []string{"alerts", "--json"}},
		{"/status", []string{"status", "--json"}},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"--config", cfg, "--db", db, "--now", demoNow}, c.args...)
		if code := exitCode(run(t.Context(), args, &stdout, &stderr), &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr.String())
		}
		code, h, body := get(t, srv.URL+c.path, "application/json")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s (JSON) = %d %q\n%s", c.path, code, h.Get("Content-Type"), body)
			continue
		}
		var cli, webv any
		if err := json.Unmarshal(stdout.Bytes(), &cli); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if err := json.Unmarshal([]byte(body), &webv); err != nil {
			t.Fatalf("GET %s: %v", c.path, err)
		}
		if c.path == "/status" {
			// The command's clock runs from --now: its ages may be a second apart.
			cli, webv = dropKey(cli, "age_seconds"), dropKey(webv, "age_seconds")
		}
		a, _ := json.Marshal(cli)
		b, _ := json.Marshal(webv)
		if !bytes.Equal(a, b) {
			t.Errorf("GET %s (JSON) differs from billwatch %s:\n%s", c.path, strings.Join(c.args, " "), firstDiff(string(b), string(a)))
		}
	}
	// Every alert carries its page at the public address; the amended bill's opens the diff
	// at the weightiest flag, which the diff's JSON names as a provision's anchor.
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(t.Context(), []string{"--config", cfg, "--db", db, "alerts", "--json"}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatal(stderr.String())
	}
	var alerts []billwatch.Alert
	if err := json.Unmarshal(stdout.Bytes(), &alerts); err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if !strings.HasPrefix(a.URL, "https://billwatch.example.org/") {
			t.Errorf("alert %s %s: url %q, want its page at the public address", a.Kind, a.Subject, a.URL)
		}
		if a.Kind == billwatch.KindBillAmended && a.URL != "https://billwatch.example.org/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-in-the-amendment-made-by-s-4-s-150.2-3" {
			t.Errorf("bill.amended url = %q", a.URL)
		}
	}
	_, _, body := get(t, srv.URL+"/bills/45-1/C-12/diff", "application/json")
	if !strings.Contains(body, `"anchor": "p-in-the-amendment-made-by-s-4-s-150.2-3"`) {
		t.Errorf("diff JSON lacks the anchor the alert links to")
	}
}

func TestWebBadInput(t *testing.T) {
	db, cfg := demoDB(t, "")
	srv := webServer(t, db, cfg, mustTime(t, demoNow))
	for _, c := range []struct {
		path string
		code int
		want string
	}{
		{"/nothing-here", 404, "There is no page at /nothing-here"},
		{"/bills/45-1/C-999", 404, "Bill C-999 of session 45-1 is not in billwatch"},
		{"/bills/99-9/C-22", 404, "Bill C-22 of session 99-9"},
		{"/bills/forty/C-22", 404, "is not a parliamentary session"},
		{"/bills/45-1/banana", 404, "is not a bill number"},
		{"/bills/45-1/C-12/diff?from=third-reading-of-nothing", 404, "has no version"},
		{"/bills/45-1/C-12/diff?view=wide", 400, `Query parameter &#34;view&#34;`},
		{"/bills?session=2026", 400, `Query parameter &#34;session&#34;`},
		{"/bills?stage=limbo", 400, `Query parameter &#34;stage&#34;`},
		{"/bills?all=maybe", 400, `Query parameter &#34;all&#34;`},
		{"/alerts?audience=everyone", 400, `Query parameter &#34;audience&#34;`},
		{"/alerts?kind=bill.vanished", 400, `Query parameter &#34;kind&#34;`},
		{"/alerts?severity=meh", 400, `Query parameter &#34;severity&#34;`},
		{"/feed.atom?audience=x", 400, `Query parameter &#34;audience&#34;`},
		{"/hearings/45-1/SECU/999", 404, "no meeting 999 of SECU"},
		{"/hearings/45-1/SECU/x", 404, "There is no meeting"},
		{"/regulations/III/x", 404, "no Gazette part"},
		{"/regulations/I/nope", 404, "no Gazette Part I item"},
	} {
		code, h, body := get(t, srv.URL+c.path, "")
		if code != c.code || !strings.Contains(body, c.want) || !strings.Contains(body, "</html>") || h.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s = %d, want %d with a page saying %q\n%s", c.path, code, c.code, c.want, body)
		}
	}
	// JSON clients get JSON errors.
	if code, _, body := get(t, srv.URL+"/bills?session=x", "application/json"); code != 400 || !strings.Contains(body, `"error": "Query parameter \"session\"`) {
		t.Errorf("GET /bills?session=x (JSON) = %d %s", code, body)
	}
	// A bill number written differently goes to its page.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(srv.URL + "/bills/45-1/c-22")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/bills/45-1/C-22" {
		t.Errorf("GET /bills/45-1/c-22 = %d → %q, want a redirect to /bills/45-1/C-22", resp.StatusCode, resp.Header.Get("Location"))
	}
	// So is a meeting written otherwise: a committee in lower case, a number with a zero.
	for _, p := range []string{"/hearings/45-1/secu/25", "/hearings/45-1/SECU/025", "/hearings/45-1/SECU/+25"} {
		resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/hearings/45-1/SECU/25" {
			t.Errorf("GET %s = %d to %q, want 301 to /hearings/45-1/SECU/25", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// Reads only.
	resp, err = http.Post(srv.URL+"/bills", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /bills = %d, want 405", resp.StatusCode)
	}
	// No database yet: a page that says how to make one.
	missing := webServer(t, filepath.Join(t.TempDir(), "none.db"), cfg, mustTime(t, demoNow))
	for _, p := range []string{"/", "/bills", "/bills/45-1/C-22/diff", "/status", "/calendar.ics", "/feed.atom"} {
		code, _, body := get(t, missing.URL+p, "")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "does not exist yet") {
			t.Errorf("GET %s without a database = %d\n%s", p, code, body)
		}
	}
}

// hostileBills offers one relevant bill whose title is markup.
type hostileBills struct{}

const hostileTitle = `<script>document.title="pwned"</script><img src=x onerror=alert(1)> lawful access & <b>more</b>`

func (hostileBills) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	return []billwatch.Bill{{Session: session, Number: "C-99", Title: hostileTitle, ShortTitle: hostileTitle, Status: "At second reading in the House of Commons", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-99", LatestActivityAt: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}}, nil
}

func (h hostileBills) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	bs, _ := h.Bills(ctx, session)
	return bs[0], []byte("<Bill/>"), nil
}

// addHostileBill raises a bill.introduced alert for a bill with a hostile title.
func addHostileBill(t *testing.T, db string, now time.Time) {
	t.Helper()
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return now }
	tr.Bills = hostileBills{}
	if s := tr.ScrapeBills(t.Context(), "45-1"); s.Outcome != tracker.OK || len(s.Alerts) != 1 {
		t.Fatalf("hostile pass: %s", s.Line())
	}
}

func TestWebHostileTitleIsInert(t *testing.T) {
	db, cfg := demoDB(t, "")
	now := mustTime(t, demoNow)
	srv := webServer(t, db, cfg, now)
	// Pages seen before the pass are not served again after it: the cache follows the file.
	if _, _, body := get(t, srv.URL+"/bills", ""); strings.Contains(body, "C-99") {
		t.Fatal("C-99 is listed before its pass")
	}
	addHostileBill(t, db, now.Add(-time.Minute))
	for _, p := range []string{"/", "/bills", "/bills/45-1/C-99", "/alerts"} {
		code, _, body := get(t, srv.URL+p, "")
		if code != 200 {
			t.Fatalf("GET %s = %d", p, code)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<b>more") {
			t.Errorf("GET %s: the hostile title came through as markup", p)
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("GET %s: the hostile title is not shown as text", p)
		}
	}
	_, _, feed := get(t, srv.URL+"/feed.atom", "")
	if strings.Contains(feed, "<script") || !strings.Contains(feed, "&lt;script&gt;") {
		t.Errorf("feed: the hostile title is not escaped")
	}
}

func TestServeCommand(t *testing.T) {
	db, cfg := demoDB(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--config", cfg, "--db", db, "serve", "--listen", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	line := make([]byte, 200)
	n, err := pr.Read(line)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+/)`).FindStringSubmatch(string(line[:n]))
	if m == nil {
		t.Fatalf("serve printed %q, want the address", line[:n])
	}
	go io.Copy(io.Discard, pr)
	code, _, body := get(t, m[1]+"bills/45-1/C-22", "")
	if code != 200 || !strings.Contains(body, "Lawful Access Act") {
		t.Errorf("GET bill page from serve = %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	var stderr bytes.Buffer
	for _, bad := range []string{"nonsense", "8080"} {
		stderr.Reset()
		if code := exitCode(run(t.Context(), []string{"--config", cfg, "--db", db, "serve", "--listen", bad}, io.Discard, &stderr), &stderr); code != 2 || !strings.Contains(stderr.String(), `--listen "`+bad+`"`) {
			t.Errorf("serve --listen %s: exit %d %q, want a usage error", bad, code, stderr.String())
		}
	}
	// Beyond loopback without an account (or header auth): refused, saying how to fix it.
	stderr.Reset()
	if code := exitCode(run(t.Context(), []string{"--config", cfg, "--db", db, "serve", "--listen", "0.0.0.0:0"}, io.Discard, &stderr), &stderr); code != 1 || !strings.Contains(stderr.String(), "billwatch user add") {
		t.Errorf("serve --listen 0.0.0.0:0 without accounts: exit %d %q, want a refusal naming billwatch user add", code, stderr.String())
	}
}

func TestWebConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]string{
		"[web]\npublic_url = \"billwatch.example.org\"\n": "web.public_url",
		"[web]\nlisten = \"8080\"\n":                      "web.listen",
		"[web]\nauth = \"magic\"\n":                       "web.auth",
		"[web]\nauth = \"header\"\n":                      "web.trusted_proxies",
		"[web]\ncolour = \"blue\"\n":                      "web.colour",
	} {
		p := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := loadConfig(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config %q: error %v, want one naming %s", text, err, want)
		}
	}
}

// dropKey removes a key from every object of a JSON array.
func dropKey(v any, key string) any {
	if list, ok := v.([]any); ok {
		for _, x := range list {
			if m, ok := x.(map[string]any); ok {
				delete(m, key)
			}
		}
	}
	return v
}

// TestDaemonServesWeb: `run` with [web] listen serves the pages while its passes write, and
// stops them with the daemon.
func TestDaemonServesWeb(t *testing.T) {
	e := newEnv(t)
	f, err := os.OpenFile(e.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[web]\nlisten = \"127.0.0.1:0\"\n")
	f.Close()
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, e.argv(e.db, servers.Bases(), "", "run", "--every", "200ms"), &stdout, &stderr)
	}()
	var addr string
	waitFor(t, 20*time.Second, "the daemon's web interface", func() bool {
		addr = logValue(stderr.String(), "web interface", "listen")
		return addr != ""
	})
	servers.SetSnapshot(2)
	for round := 0; round < 10; round++ {
		for _, p := range []string{"/", "/bills?all=1", "/alerts", "/status", "/hearings"} {
			code, _, body := get(t, "http://"+addr+p, "")
			if code != 200 {
				t.Fatalf("GET %s while the daemon writes = %d\n%s", p, code, body)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Error("the web interface still answers after the daemon stopped")
	}
}
