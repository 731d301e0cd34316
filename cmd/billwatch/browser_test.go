package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/browser"
)

// The browser tests drive Debian's chromium through chromedp against `serve` on the demo
// database. They skip with a message where chromium is absent; CI installs it (.ci/run).

var screenshots = flag.String("screenshots", "", "write screenshots of the web interface into `DIR` (make screenshots)")

func newBrowser(t *testing.T, width, height int) *browser.Browser {
	t.Helper()
	chromium := browser.Chromium()
	if chromium == "" {
		t.Skip("chromium not found (apt-get install chromium, or set BILLWATCH_CHROMIUM): browser tests skipped")
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	b, err := browser.New(ctx, chromium, t.TempDir(), width, height)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(); cancel() })
	return b
}

// browserPaths are the pages the browser visits: every kind of page, the hostile bill's too.
func browserPaths() []string {
	var ps []string
	for _, p := range demoPages {
		ps = append(ps, p.path)
	}
	return append(ps, "/bills/45-1/C-99", "/nothing-here")
}

func TestBrowserPages(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	db, cfg := demoDB(t, "")
	now := mustTime(t, demoNow)
	addHostileBill(t, db, now.Add(-time.Minute))
	srv := webServer(t, db, cfg, now)
	axe, axeErr := browser.AxeScript()
	if axeErr != nil {
		t.Logf("accessibility checks skipped: %v", axeErr)
	}
	for _, p := range browserPaths() {
		rep, err := b.Visit(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		want := 200
		if p == "/nothing-here" {
			want = 404
		}
		if rep.Status != want {
			t.Errorf("%s: status %d, want %d", p, rep.Status, want)
		}
		console := rep.ConsoleErrors
		if want == 404 && len(console) == 1 && strings.Contains(console[0], "status of 404") && strings.HasSuffix(console[0], srv.URL+p) {
			console = nil // the browser's note of the page's own status
		}
		if len(console) > 0 {
			t.Errorf("%s: console errors: %q", p, console)
		}
		failed := rep.FailedRequests
		if want == 404 && len(failed) == 1 && strings.HasPrefix(failed[0], "404 ") {
			failed = nil // the page itself
		}
		if len(failed) > 0 {
			t.Errorf("%s: failed requests: %q", p, failed)
		}
		if axe != nil {
			vs, err := b.Axe(axe)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, v := range vs {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s: accessibility (%s) %s: %s at %v", p, v.Impact, v.ID, v.Help, v.Nodes)
				}
			}
		}
	}

	// The hostile title is text: no element came out of it, the script did not run.
	if _, err := b.Visit(srv.URL + "/bills/45-1/C-99"); err != nil {
		t.Fatal(err)
	}
	type hostile struct {
		H1     string `json:"h1"`
		Title  string `json:"title"`
		Images int    `json:"images"`
		Bold   int    `json:"bold"`
	}
	h, err := browser.Eval[hostile](b, `({h1: document.querySelector("h1").textContent, title: document.title, images: document.querySelectorAll("main img").length, bold: document.querySelectorAll("main b").length})`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.H1, `<script>document.title="pwned"</script>`) || !strings.Contains(h.H1, "<img src=x onerror=alert(1)>") || h.Images != 0 || h.Bold != 0 || strings.Contains(h.Title, "pwned") && !strings.Contains(h.Title, "<script>") {
		t.Errorf("hostile title not inert: %+v", h)
	}

	// The C-12 diff shows its flags; following one scrolls its provision into view.
	if _, err := b.Visit(srv.URL + "/bills/45-1/C-12/diff"); err != nil {
		t.Fatal(err)
	}
	flags, err := browser.Eval[[]string](b, `Array.from(document.querySelectorAll("section.flags li > a")).map(a => a.textContent)`)
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) < 3 || !strings.Contains(flags[0], "may → shall") {
		t.Fatalf("C-12 diff flags = %q, want may → shall first", flags)
	}
	if err := b.Click("section.flags li:nth-child(2) > a"); err != nil {
		t.Fatal(err)
	}
	checkAnchorInView(t, b, "p-in-the-amendment-made-by-s-3-s-11.3-1")

	// At 400 px wide nothing scrolls sideways.
	if err := b.Viewport(400, 800); err != nil {
		t.Fatal(err)
	}
	for _, p := range browserPaths() {
		if _, err := b.Visit(srv.URL + p); err != nil {
			t.Fatal(err)
		}
		w, err := browser.Eval[int](b, `document.documentElement.scrollWidth`)
		if err != nil {
			t.Fatal(err)
		}
		if w > 400 {
			t.Errorf("%s at 400 px: scrollWidth %d", p, w)
		}
	}
}

// checkAnchorInView checks that the page's fragment is the anchor and that its element is
// the target, in the viewport.
func checkAnchorInView(t *testing.T, b *browser.Browser, anchor string) {
	t.Helper()
	type view struct {
		Hash   string  `json:"hash"`
		Found  bool    `json:"found"`
		Target bool    `json:"target"`
		Top    float64 `json:"top"`
		Height float64 `json:"height"`
	}
	js := fmt.Sprintf(`new Promise(r => setTimeout(r, 200)).then(() => { const e = document.getElementById(%q); const r = e ? e.getBoundingClientRect() : {top: -1}; return {hash: decodeURIComponent(location.hash), found: !!e, target: !!e && e.matches(":target"), top: r.top, height: window.innerHeight}; })`, anchor)
	v, err := browser.Eval[view](b, js)
	if err != nil {
		t.Fatal(err)
	}
	if v.Hash != "#"+anchor || !v.Found || !v.Target || v.Top < 0 || v.Top >= v.Height {
		t.Errorf("after following the link to %s: %+v, want the provision the target, in view", anchor, v)
	}
}

// TestBrowserAlertLinkEndToEnd: a scrape with public_url raises bill.amended with a link;
// opened in the browser, it lands on the diff with the anchored provision in view.
func TestBrowserAlertLinkEndToEnd(t *testing.T) {
	b := newBrowser(t, 390, 844) // a phone
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	db, cfgPath := demoDB(t, "[web]\npublic_url = \""+base+"\"\n")
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(t.Context(), []string{"--config", cfgPath, "--db", db, "alerts", "--json"}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatal(stderr.String())
	}
	var alerts []billwatch.Alert
	if err := json.Unmarshal(stdout.Bytes(), &alerts); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, a := range alerts {
		if a.Kind == billwatch.KindBillAmended {
			link = a.URL
		}
	}
	if !strings.HasPrefix(link, base+"/bills/45-1/C-12/diff?") || !strings.Contains(link, "#p-") {
		t.Fatalf("bill.amended url = %q, want the diff on %s with an anchor", link, base)
	}
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	now := mustTime(t, demoNow)
	h, err := webHandler(&globals{db: db}, cfg, func() time.Time { return now }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	rep, err := b.Visit(link)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != 200 || len(rep.ConsoleErrors)+len(rep.FailedRequests) > 0 {
		t.Errorf("opening the alert's link: %+v", rep)
	}
	_, anchor, _ := strings.Cut(link, "#")
	checkAnchorInView(t, b, anchor)
}

// TestScreenshots writes the README's screenshots when -screenshots DIR is given
// (make screenshots): the action board, the C-12 diff wide and on a phone, the bills, a bill,
// what C-8 does to the law, and the hearings.
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("no -screenshots DIR given")
	}
	dir, err := filepath.Abs(*screenshots)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The database as it stood at demoNow, after the third pass.
	db, cfg := demoDB(t, "", "--passes", "3")
	srv := webServer(t, db, cfg, mustTime(t, demoNow))
	for _, s := range []struct {
		file, path    string
		width, height int
	}{
		{"web-board.png", "/", 1280, 1000},
		{"web-diff.png", "/bills/45-1/C-12/diff", 1280, 1000},
		{"web-diff-phone.png", "/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-in-the-amendment-made-by-s-4-s-150.2-3", 390, 844},
		{"web-bills.png", "/bills", 1280, 900},
		{"web-bill.png", "/bills/45-1/C-12", 1280, 1100},
		{"web-law.png", "/bills/45-1/C-8/law", 1280, 1000},
		{"web-hearings.png", "/hearings", 1280, 900},
	} {
		b := newBrowser(t, s.width, s.height)
		if _, err := b.Visit(srv.URL + s.path); err != nil {
			t.Fatal(err)
		}
		if err := b.Screenshot(filepath.Join(dir, s.file)); err != nil {
			t.Fatal(err)
		}
		b.Close()
		t.Logf("wrote %s", filepath.Join(dir, s.file))
	}
}
