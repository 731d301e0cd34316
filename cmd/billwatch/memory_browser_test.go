package main

import (
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/internal/browser"
	"github.com/billwatch/billwatch/tracker"
)

const browserPassword = "correct horse battery staple"

// waitPath waits until the browser's page is pathPrefix… and loaded.
func waitPath(t *testing.T, b *browser.Browser, pathPrefix string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		p, err := browser.Eval[string](b, `document.readyState === "complete" ? location.pathname : ""`)
		if err == nil && strings.HasPrefix(p, pathPrefix) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the browser did not reach %s", pathPrefix)
	return ""
}

func eval[T any](t *testing.T, b *browser.Browser, js string) T {
	t.Helper()
	v, err := browser.Eval[T](b, js)
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

func browserSignIn(t *testing.T, b *browser.Browser, base, name string) {
	t.Helper()
	if _, err := b.Visit(base + "/signin?next=/bills/45-1/C-8"); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, b, `document.querySelector("#s-name").value = "`+name+`"; document.querySelector("#s-password").value = "`+browserPassword+`"; true`)
	if err := b.Click("form.signin button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	waitPath(t, b, "/bills/45-1/C-8")
}

// TestBrowserMemory signs an editor in, sets a position, adds a note (with markup) and a
// document, and reads the history; a viewer sees no edit controls and a direct POST of theirs
// is refused (403; a POST without a session, 401, and a cross-site one, 403, are tested in
// package web).
func TestBrowserMemory(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	db, cfg := demoDB(t, "")
	now := mustTime(t, demoNow)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"lea": tracker.RoleEditor, "vic": tracker.RoleViewer} {
		_, token, err := store.AddUser(name, role, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.RedeemSignin(token, browserPassword, now); err != nil {
			t.Fatal(err)
		}
	}
	srv := webServer(t, db, cfg, now)

	// Not signed in: the board sends to the sign-in page.
	if _, err := b.Visit(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	waitPath(t, b, "/signin")

	browserSignIn(t, b, srv.URL, "lea")
	eval[bool](t, b, `document.querySelector("details.edit").open = true; true`)
	eval[bool](t, b, `document.querySelector("#m-position").value = "oppose"; document.querySelector("#m-owner").value = "Léa"; document.querySelector("#m-next").value = "brief to SECU"; document.querySelector("#m-due").value = "2026-12-04"; true`)
	if err := b.Click("form.memory-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitPath(t, b, "/bills/45-1/C-8")
	eval[bool](t, b, `document.querySelector("details.edit").open = true; document.querySelector("#m-note").value = "<script>alert(1)</script> met the clerk"; true`)
	if err := b.Click("form.note-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitPath(t, b, "/bills/45-1/C-8")
	eval[bool](t, b, `document.querySelector("details.edit").open = true; document.querySelector("#d-title").value = "Brief to SECU"; document.querySelector("#d-date").value = "2026-11-20"; document.querySelector("#d-url").value = "https://example.org/brief.pdf"; true`)
	if err := b.Click("form.doc-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitPath(t, b, "/bills/45-1/C-8")

	if got := eval[string](t, b, `document.querySelector(".memory .pos-oppose") ? document.querySelector(".memory .pos-oppose").textContent : ""`); got != "oppose" {
		t.Errorf("position on the bill page = %q, want oppose", got)
	}
	if got := eval[string](t, b, `document.querySelector(".memory .note").textContent`); got != "<script>alert(1)</script> met the clerk" {
		t.Errorf("note = %q, want the markup shown as text", got)
	}
	if n := eval[int](t, b, `document.querySelectorAll("main script").length`); n != 0 {
		t.Errorf("the page holds %d script elements", n)
	}
	if _, err := b.Visit(srv.URL + "/bills/45-1/C-8/history"); err != nil {
		t.Fatal(err)
	}
	hist := eval[string](t, b, `document.querySelector("table.history").innerText`)
	for _, want := range []string{"position", "oppose", "lea", "note", "document", "Brief to SECU", "next", "brief to SECU (due 2026-12-04)"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "oppose" || len(r.Notes) != 1 || len(r.Documents) != 1 || r.Owner != "Léa" {
		t.Errorf("stored record = %+v", r)
	}

	// A viewer: no edit controls, and a direct POST is refused.
	v := newBrowser(t, 1280, 900)
	browserSignIn(t, v, srv.URL, "vic")
	if n := eval[int](t, v, `document.querySelectorAll("form[action$='/memory']").length`); n != 0 {
		t.Errorf("the viewer's bill page has %d edit forms", n)
	}
	// The page's CSP forbids fetch; a form built by hand and submitted is what a forged or
	// hand-made POST looks like from the browser.
	eval[bool](t, v, `const f = document.createElement("form"); f.method = "post"; f.action = "/bills/45-1/C-8/memory";
for (const [k, val] of [["action", "note"], ["text", "sneaky"]]) { const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = val; f.appendChild(i); }
document.body.appendChild(f); f.submit(); true`)
	deadline := time.Now().Add(15 * time.Second)
	title := ""
	for time.Now().Before(deadline) && !strings.HasPrefix(title, "Read only") {
		time.Sleep(50 * time.Millisecond)
		title, _ = browser.Eval[string](v, `document.readyState === "complete" ? document.title : ""`)
	}
	if !strings.HasPrefix(title, "Read only") {
		t.Errorf("the viewer's direct POST answered a page titled %q, want the 403 Read only page", title)
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); len(r.Notes) != 1 {
		t.Errorf("a refused POST stored a note: %+v", r.Notes)
	}
}
