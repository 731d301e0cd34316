package main

import (
	"testing"
	"time"

	"github.com/billwatch/billwatch/tracker"
)

// TestBrowserSetOwnerOnlyKeepsNoPosition: on a bill without a record, the position select of
// "Change the record" shows no position selected, and an editor who fills only the owner saves
// the owner and no position (the browser used to submit the first option, "oppose").
func TestBrowserSetOwnerOnlyKeepsNoPosition(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	db, cfg := demoDB(t, "")
	now := mustTime(t, demoNow)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := store.AddUser("lea", tracker.RoleEditor, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.RedeemSignin(token, browserPassword, now); err != nil {
		t.Fatal(err)
	}
	srv := webServer(t, db, cfg, now)
	browserSignIn(t, b, srv.URL, "lea")
	eval[bool](t, b, `document.querySelector("details.edit").open = true; true`)
	if got := eval[string](t, b, `document.querySelector("#m-position").value`); got != "" {
		t.Errorf("position select on a bill without a record = %q, want \"\" (none recorded)", got)
	}
	if got := eval[string](t, b, `document.querySelector("#m-priority").value`); got != "" {
		t.Errorf("priority select on a bill without a record = %q, want \"\"", got)
	}
	eval[bool](t, b, `document.querySelector("#m-owner").value = "Léa"; true`)
	if err := b.Click("form.memory-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitPath(t, b, "/bills/45-1/C-8")
	r, err := store.Record(tracker.BillSubject("45-1", "C-8"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Owner != "Léa" || r.Position != "" || r.Priority != "" || r.Next != nil {
		t.Errorf("after saving only the owner the record is %+v, want owner Léa and nothing else", r)
	}
	// The page, reloaded, still shows no position selected, and the owner.
	eval[bool](t, b, `document.querySelector("details.edit").open = true; true`)
	if got := eval[string](t, b, `document.querySelector("#m-position").value + "|" + document.querySelector("#m-owner").value`); got != "|Léa" {
		t.Errorf("form after the save = %q, want \"|Léa\"", got)
	}
}
