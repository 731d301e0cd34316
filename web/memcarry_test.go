package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

var selectedRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)

// TestSetFormNoPositionSelected: on a bill without a record, the position and priority selects
// of the set form have their empty option selected (none other), so a browser submits no
// position; a save of the owner alone stores no position.
func TestSetFormNoPositionSelected(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	c := client(t)
	signIn(t, c, srv, "lea")
	_, page := get(t, c, srv, "/bills/45-1/C-8")
	form := page[strings.Index(page, `class="memory-form"`):]
	form = form[:strings.Index(form, "</form>")]
	var sel []string
	for _, m := range selectedRe.FindAllStringSubmatch(form, -1) {
		sel = append(sel, m[1])
	}
	if len(sel) != 2 || sel[0] != "" || sel[1] != "" {
		t.Errorf("selected options of the set form = %q, want the empty position and priority", sel)
	}
	set := url.Values{"action": {"set"}, "position": {""}, "priority": {""}, "owner": {"Léa"}, "next": {""}, "due": {""}, "rev": {formRev(t, page)}}
	if resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", set, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", resp.StatusCode, body)
	}
	store, _ := tracker.OpenReadOnly(db)
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "" || r.Owner != "Léa" {
		t.Errorf("record = %+v, want owner Léa and no position", r)
	}
}

// TestCarryRefusedOnThePage: the carry button on a bill that has a record of its own answers
// 409, a page naming both records with a form that replaces it, and saves nothing; that form
// replaces it; the history links the earlier bill's history and says who decided there.
func TestCarryRefusedOnThePage(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, map[string]string{"lea": tracker.RoleEditor})
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	june := time.Date(2026, 6, 21, 14, 0, 0, 0, time.UTC)
	if _, err := store.SetRecord(tracker.BillSubject("44-1", "C-26"), tracker.Edit{Position: ptr("oppose"), Owner: ptr("amira")}, "amira", june); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetRecord(tracker.BillSubject("45-1", "C-8"), tracker.Edit{Position: ptr("monitor"), Owner: ptr("<b>newbie</b>")}, "newbie", june.AddDate(0, 3, 0)); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	signIn(t, c, srv, "lea")
	carry := url.Values{"action": {"carry"}, "from": {"44-1 C-26"}}
	resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", carry, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("carry onto a bill with its own record = %d, want 409\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"Not carried over", "bill 45-1 C-8 has a record of its own (Our position: monitor · owner: &lt;b&gt;newbie&lt;/b&gt;)", "the record of bill 44-1 C-26 (Our position: oppose · owner: amira) was not carried over", `name="replace" value="1"`, `name="from" value="44-1 C-26"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refusal page lacks %q", want)
		}
	}
	if strings.Contains(body, "<b>newbie") {
		t.Error("the refusal page shows the owner's markup as markup")
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "monitor" {
		t.Errorf("a refused carry changed the record: %+v", r)
	}
	carry.Set("replace", "1")
	if resp, body := post(t, c, srv, "/bills/45-1/C-8/memory", carry, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("carry with replace = %d\n%s", resp.StatusCode, body)
	}
	if r, _ := store.Record(tracker.BillSubject("45-1", "C-8")); r.Position != "oppose" || r.Owner != "amira" {
		t.Errorf("after the replace the record is %+v", r)
	}
	_, hist := get(t, c, srv, "/bills/45-1/C-8/history")
	if want := `from <a href="/bills/44-1/C-26/history">bill 44-1 C-26</a>; decided there: position by amira on 2026-06-21, owner by amira on 2026-06-21`; !strings.Contains(hist, want) {
		t.Errorf("the history lacks %q", want)
	}
}

// TestNextStepReminderOnPages: a next step's reminder is labelled "Next step due" on /alerts
// and the board and links the bill's page; the bill page marks its overdue step "overdue".
func TestNextStepReminderOnPages(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetRecord(tracker.BillSubject("45-1", "C-8"), tracker.Edit{Position: ptr("oppose"), Owner: ptr("lea"), Next: &tracker.NextStep{Text: "brief to SECU", Due: "2026-11-18"}}, "lea", authNow.AddDate(0, 0, -10)); err != nil {
		t.Fatal(err)
	}
	tr := tracker.New(store, tracker.DefaultProfile(), nil)
	tr.Now = func() time.Time { return authNow }
	if n, err := tr.NextStepReminders(t.Context()); err != nil || n != 1 {
		t.Fatalf("reminders = %d, %v", n, err)
	}
	c := client(t)
	for _, path := range []string{"/alerts", "/"} {
		_, body := get(t, c, srv, path)
		for _, want := range []string{`<span class="kind">Next step due</span>`, `<a href="/bills/45-1/C-8">45-1 C-8 — Next step: brief to SECU</a>`, "our next step on 45-1 C-8 was due on 2026-11-18: overdue (lea)"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		if strings.Contains(body, "Comment deadline</span>") {
			t.Errorf("%s labels the next step's reminder a comment deadline", path)
		}
	}
	_, body := get(t, c, srv, "/bills/45-1/C-8")
	if !strings.Contains(body, `<span class="badge bad">overdue</span></dd>`) {
		t.Errorf("the bill page shows no overdue badge on its next step:\n%s", body[strings.Index(body, "Next step"):][:300])
	}
}

// TestAlertLabel: a Gazette comment deadline's reminder is a "Comment deadline" on the pages,
// a next step's a "Next step due"; the kind itself (the filter's choice) names both.
func TestAlertLabel(t *testing.T) {
	t.Parallel()
	deadline := billwatch.Alert{Kind: billwatch.KindDeadlineReminder, Subject: "Gazette 2026-11-21-p1-1", Title: "Regulations Amending the Passenger Protect Regulations", Why: "comments close tomorrow, 2026-12-20"}
	step := billwatch.Alert{Kind: billwatch.KindDeadlineReminder, Subject: "45-1 C-8", Title: "Next step: brief to SECU", Why: "our next step on 45-1 C-8 is due tomorrow (lea)"}
	for _, c := range []struct {
		a    billwatch.Alert
		want string
	}{{deadline, "Comment deadline"}, {step, "Next step due"}} {
		if got := alertLabel(c.a); got != c.want {
			t.Errorf("alertLabel(%q) = %q, want %q", c.a.Title, got, c.want)
		}
	}
	if got := kindLabel(billwatch.KindDeadlineReminder); !strings.Contains(got, "Comment deadline") || !strings.Contains(got, "next step") {
		t.Errorf("kindLabel(deadline.reminder) = %q, want it to name both", got)
	}
}

// TestStepsNamePositions: /steps and the board say a position as people say it ("seek
// amendments"), as the bill pages do, not the stored value ("amend").
func TestStepsNamePositions(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetRecord(tracker.BillSubject("45-1", "C-8"), tracker.Edit{Position: ptr("amend"), Owner: ptr("lea"), Next: &tracker.NextStep{Text: "brief to SECU", Due: "2026-12-18"}}, "lea", authNow); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	for _, path := range []string{"/steps", "/"} {
		_, body := get(t, c, srv, path)
		if !strings.Contains(body, "seek amendments") || strings.Contains(body, "<td>amend</td>") || strings.Contains(body, " · amend</p>") {
			t.Errorf("%s does not say the position as people say it (seek amendments)", path)
		}
	}
}
