// Package browser drives a headless Chromium (Debian's chromium) through chromedp, for the
// web interface's browser tests and for `make screenshots`. It is the only package that
// imports chromedp.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the browser to drive: $BILLWATCH_CHROMIUM, else chromium (Debian's
// package), chromium-browser or google-chrome on the PATH; "" when there is none.
func Chromium() string {
	if p := os.Getenv("BILLWATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// AxeScript returns axe-core's axe.min.js: $BILLWATCH_AXE_JS, else the copy `npm install
// axe-core` put in $BILLWATCH_AXE_DIR (default ~/.cache/billwatch-axe), else the error says
// how to get it.
func AxeScript() ([]byte, error) {
	path := os.Getenv("BILLWATCH_AXE_JS")
	if path == "" {
		dir := os.Getenv("BILLWATCH_AXE_DIR")
		if dir == "" {
			home, _ := os.UserHomeDir()
			dir = filepath.Join(home, ".cache", "billwatch-axe")
		}
		path = filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("axe-core not found at %s (npm install --prefix ~/.cache/billwatch-axe axe-core, or set BILLWATCH_AXE_JS): %w", path, err)
	}
	return b, nil
}

// Browser is one headless Chromium with one tab.
type Browser struct {
	ctx     context.Context
	cancels []context.CancelFunc

	mu       sync.Mutex
	console  []string // console errors, uncaught exceptions and browser log errors
	failed   []string // requests that failed or answered 4xx/5xx
	document map[network.RequestID]bool
	status   int // the status of the last main document
}

// New starts Chromium with a fresh profile in dir and a window of width × height.
func New(ctx context.Context, chromium, dir string, width, height int) (*Browser, error) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(width, height),
	}
	b := &Browser{document: map[network.RequestID]bool{}}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	b.ctx, b.cancels = bctx, []context.CancelFunc{cancelB, cancelA}
	// The first action starts the browser; events are listened to from then on.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: start %s: %w", chromium, err)
	}
	if err := chromedp.Listen(bctx, b.listen); err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: listen: %w", err)
	}
	return b, nil
}

// Close stops the browser.
func (b *Browser) Close() {
	for _, c := range b.cancels {
		c()
	}
}

func (b *Browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(fmt.Sprint(a.Value), `"`)+a.Description)
			}
			b.console = append(b.console, "console."+string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		b.console = append(b.console, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.console = append(b.console, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if e.Type == network.ResourceTypeDocument {
			b.document[e.RequestID] = true
		}
	case *network.EventResponseReceived:
		if b.document[e.RequestID] {
			b.status = int(e.Response.Status)
		}
		if e.Response.Status >= 400 {
			b.failed = append(b.failed, fmt.Sprintf("%d %s", e.Response.Status, e.Response.URL))
		}
	case *network.EventLoadingFailed:
		if !e.Canceled {
			b.failed = append(b.failed, "failed: "+e.ErrorText)
		}
	}
}

// Report is what one page visit showed beyond the page itself.
type Report struct {
	Status         int      // the main document's HTTP status
	ConsoleErrors  []string // console errors, exceptions, CSP violations
	FailedRequests []string // requests that failed or answered 4xx/5xx
}

// Visit opens url, waits for the page and its resources to load, and reports.
func (b *Browser) Visit(url string) (Report, error) {
	b.mu.Lock()
	b.console, b.failed, b.status = nil, nil, 0
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return Report{}, fmt.Errorf("browser: open %s: %w", url, err)
	}
	// Late events (a failing image, a console error at load) arrive within a moment.
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	return Report{Status: b.status, ConsoleErrors: append([]string(nil), b.console...), FailedRequests: append([]string(nil), b.failed...)}, nil
}

// Eval evaluates a JavaScript expression in the page (awaiting a promise) and returns its
// value decoded as T.
func Eval[T any](b *Browser, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Click clicks the first element matching a CSS selector, as a user would.
func (b *Browser) Click(selector string) error {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector)))
}

// Viewport sets the size of the page's viewport.
func (b *Browser) Viewport(width, height int) error {
	return chromedp.Do(b.ctx, chromedp.EmulateViewport(int64(width), int64(height)))
}

// Violation is one rule axe-core found broken on a page.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// Axe injects axe-core into the page and runs it; it returns the violations.
func (b *Browser) Axe(script []byte) ([]Violation, error) {
	if loaded, err := Eval[bool](b, string(script)+"\n;typeof axe === 'object'"); err != nil || !loaded {
		return nil, fmt.Errorf("browser: inject axe-core: %v", err)
	}
	out, err := Eval[string](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`)
	if err != nil {
		return nil, fmt.Errorf("browser: run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("browser: axe-core result: %w", err)
	}
	return vs, nil
}

// Screenshot writes a PNG of the viewport to path.
func (b *Browser) Screenshot(path string) error {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return fmt.Errorf("browser: screenshot: %w", err)
	}
	if len(png) == 0 {
		return errors.New("browser: empty screenshot")
	}
	return os.WriteFile(path, png, 0o644)
}
