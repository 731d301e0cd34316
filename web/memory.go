package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// memoryView is the coalition's record on a bill or regulation as its page shows it, with the
// forms an editor uses to change it.
type memoryView struct {
	Subject  string // "bill 45-1 C-8"
	Path     string // the item's page
	Stored   bool   // the item is in the database (a record may be kept for one that is not)
	Record   tracker.Record
	Lineage  []tracker.LineageLink
	From     string // the earlier bill whose record shows, when this one has none
	Inherit  tracker.Record
	History  []tracker.Change
	CanEdit  bool
	User     *tracker.User
	Options  []string // positions
	Priority []string
	// Rev is the record's revision, carried by the set form: a save on an older one is refused.
	Rev uint64
	// Form is what the set form shows: the record, or what the editor submitted when the save
	// was refused.
	Form memoryForm
	// Stale says a save was refused because the record changed since the form was loaded;
	// Conflict lists those changes.
	Stale    bool
	Conflict []tracker.Change
	// CarryRefused says why a carry was refused (the item has a record of its own); CarryFrom
	// is the earlier bill ("45-1 C-8") the replace form carries from.
	CarryRefused, CarryFrom string
	// Err says the record could not be read (the page shows that rather than "none recorded").
	Err string
	// Today is the date (Eastern) a next step due before is overdue.
	Today string
}

// memoryForm is the set form's values.
type memoryForm struct {
	Position, Priority, Owner, Next, Due string
}

func formOf(r tracker.Record) memoryForm {
	f := memoryForm{Position: r.Position, Priority: r.Priority, Owner: r.Owner}
	if r.Next != nil {
		f.Next, f.Due = r.Next.Text, r.Next.Due
	}
	return f
}

// memoryFor reads an item's record, history and lineage. An error reading them is returned
// with a view that says so (the item's own page still shows; the history page does not).
func (s *Server) memoryFor(r *http.Request, subject, path string, stored bool) (*memoryView, error) {
	v := &memoryView{Subject: subject, Path: path, Stored: stored, User: userOf(r), Options: tracker.Positions, Priority: tracker.Priorities,
		Today: s.opt.Now().In(billwatch.Eastern).Format(billwatch.DateLayout)}
	v.CanEdit = stored && v.User != nil && tracker.CanWrite(v.User.Role)
	err := s.readMemory(v)
	if err != nil {
		s.opt.Log.Error("web: the coalition's record could not be read", "subject", subject, "error", err)
		v.Err = firstLine(err.Error())
		v.CanEdit = false
	}
	v.Form = formOf(v.Record)
	return v, err
}

func (s *Server) readMemory(v *memoryView) error {
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return err
	}
	if v.Record, err = store.Record(v.Subject); err != nil {
		return err
	}
	if v.History, err = store.History(v.Subject); err != nil {
		return err
	}
	v.Rev = tracker.Revision(v.History)
	if rest, ok := strings.CutPrefix(v.Subject, "bill "); ok {
		session, number, _ := strings.Cut(rest, " ")
		if v.Lineage, err = store.Lineage(session, number); err != nil {
			return err
		}
		if v.Record.Empty() {
			l, rec, ok, err := store.Inherited(session, number)
			if err != nil {
				return err
			}
			if ok {
				v.From, v.Inherit = l.Key(), rec
			}
		}
	}
	return nil
}

// subjectOf resolves the item of a memory route.
func subjectOf(r *http.Request) (subject, path string, err error) {
	if part := r.PathValue("part"); part != "" {
		id := r.PathValue("id")
		if part != "I" && part != "II" || id == "" {
			return "", "", notFound("There is no Gazette part %q.", part)
		}
		return tracker.RegulationSubject(part + " " + id), billwatch.RegulationPath(part, id), nil
	}
	session, number := r.PathValue("session"), billwatch.NormalizeBillNumber(r.PathValue("number"))
	if !sessionRe.MatchString(session) || number == "" {
		return "", "", notFound("%q %q is not a bill.", session, r.PathValue("number"))
	}
	return tracker.BillSubject(session, number), billwatch.BillPath(session, number), nil
}

// storedItem reports whether the item of a memory subject is in the database, and when it is
// not, a sentence naming it.
func storedItem(sn *snapshot, subject string) (bool, string) {
	if rest, ok := strings.CutPrefix(subject, "bill "); ok {
		session, number, _ := strings.Cut(rest, " ")
		if _, ok := sn.bill(session, number); ok {
			return true, ""
		}
		return false, fmt.Sprintf("Bill %s of session %s is not in billwatch's database (it may be in another session, or not yet scraped)", number, session)
	}
	rest := strings.TrimPrefix(subject, "regulation ")
	part, id, _ := strings.Cut(rest, " ")
	if _, ok := sn.regulation(part, id); ok {
		return true, ""
	}
	return false, fmt.Sprintf("billwatch holds no Gazette Part %s item %q", part, id)
}

// historyPage shows an item's record with its whole history (who, when, before → after). An
// item not in the database has one only when a record or history is kept for it (imported).
func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) error {
	subject, path, err := subjectOf(r)
	if err != nil {
		return err
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	stored, missing := storedItem(sn, subject)
	v, err := s.memoryFor(r, subject, path, stored)
	if err != nil {
		return err
	}
	if !stored && v.Record.Empty() && len(v.History) == 0 {
		return notFound("%s, and keeps no record on it.", missing)
	}
	if wantsJSON(r) {
		return writeJSON(w, r, map[string]any{"subject": subject, "record": v.Record, "history": orEmpty(v.History)})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "memory", page{Title: "Record and history: " + strings.TrimPrefix(strings.TrimPrefix(subject, "bill "), "regulation "), Now: s.opt.Now(), Data: v})
	return nil
}

func orEmpty[T any](x []T) []T {
	if x == nil {
		return []T{}
	}
	return x
}

func badInput(err error) error {
	return &httpError{status: http.StatusBadRequest, title: "Not saved", msg: inputMessage(err)}
}

func inputMessage(err error) string {
	return strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": ")
}

// memoryPost changes an item's record: action set (position, priority, owner, next step),
// note, doc, carry or retract (a note or document, by id). The item must be in the database.
// A set form carries the revision it was loaded at (rev): when someone else changed the record
// since, nothing is saved and the page says who changed what, with the form again (409).
func (s *Server) memoryPost(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.canWrite(w, r)
	if !ok {
		return nil
	}
	subject, path, err := subjectOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &httpError{status: http.StatusBadRequest, title: "Bad request", msg: "The form could not be read."}
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	if stored, missing := storedItem(sn, subject); !stored {
		return notFound("%s: nothing was saved.", missing)
	}
	t, err := s.writer()
	if err != nil {
		return err
	}
	f := r.PostForm
	now := s.opt.Now()
	switch f.Get("action") {
	case "set":
		pos, pri, owner := f.Get("position"), f.Get("priority"), strings.TrimSpace(f.Get("owner"))
		e := tracker.Edit{Position: &pos, Priority: &pri, Owner: &owner, Next: &tracker.NextStep{Text: strings.TrimSpace(f.Get("next")), Due: f.Get("due")}}
		if f.Has("rev") {
			rev, perr := strconv.ParseUint(f.Get("rev"), 10, 64)
			if perr != nil {
				return badField("rev", "%q is not a record revision (a whole number)", f.Get("rev"))
			}
			e.Rev = &rev
		}
		_, err = t.Store.SetRecord(subject, e, u.Name, now)
		if ce := (*tracker.ConflictError)(nil); errors.As(err, &ce) {
			return s.conflictPage(w, r, subject, path, ce, memoryForm{Position: pos, Priority: pri, Owner: owner, Next: e.Next.Text, Due: e.Next.Due})
		}
	case "note":
		_, err = t.Store.AddNote(subject, f.Get("text"), u.Name, now)
	case "doc":
		_, err = t.Store.AddDocument(subject, tracker.Document{Title: f.Get("title"), Date: f.Get("date"), URL: strings.TrimSpace(f.Get("url"))}, u.Name, now)
	case "carry":
		from := f.Get("from")
		session, number, _ := strings.Cut(from, " ")
		if !sessionRe.MatchString(session) || billwatch.NormalizeBillNumber(number) == "" {
			return badField("from", "%q is not a session and bill number", from)
		}
		key := session + " " + billwatch.NormalizeBillNumber(number)
		_, err = t.Store.CarryRecord(tracker.BillSubject(session, billwatch.NormalizeBillNumber(number)), subject, f.Get("replace") == "1", u.Name, now)
		if errors.Is(err, tracker.ErrExists) {
			return s.carryRefusedPage(w, r, subject, path, key, err)
		}
	case "retract":
		_, err = t.Store.Retract(subject, f.Get("id"), u.Name, now)
	default:
		return badField("action", "%q is not one of set, note, doc, carry or retract", f.Get("action"))
	}
	if err != nil {
		if f.Get("action") == "retract" && errors.Is(err, tracker.ErrNotFound) {
			return &httpError{status: http.StatusConflict, title: "Not on the record", msg: "That note or document is not on the record any more: it was retracted already (a second click?)."}
		}
		if errors.Is(err, tracker.ErrBadInput) {
			return badInput(err)
		}
		return err
	}
	http.Redirect(w, r, path+"#memory", http.StatusSeeOther)
	return nil
}

// conflictPage answers a set form loaded before someone else changed the record: 409, what
// changed since (who, when, before → after), the record as it is now, and the form again with
// what the editor submitted and the current revision.
func (s *Server) conflictPage(w http.ResponseWriter, r *http.Request, subject, path string, ce *tracker.ConflictError, submitted memoryForm) error {
	msg := "Not saved: " + ce.Error()
	if wantsJSON(r) {
		return &httpError{status: http.StatusConflict, title: "Not saved", msg: msg}
	}
	v, err := s.memoryFor(r, subject, path, true)
	if err != nil {
		return err
	}
	v.Stale, v.Conflict, v.Form = true, ce.Since, submitted
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusConflict, "memory", page{Title: "Not saved: the record changed since you loaded it", Now: s.opt.Now(), Data: v})
	return nil
}

// carryRefusedPage answers a carry onto an item that has a record of its own: 409, the
// record and history page saying what was not carried, with a form that replaces it.
func (s *Server) carryRefusedPage(w http.ResponseWriter, r *http.Request, subject, path, from string, refused error) error {
	if wantsJSON(r) {
		return &httpError{status: http.StatusConflict, title: "Not carried over", msg: "Not carried over: " + refused.Error() + " (replace=1 replaces it)"}
	}
	v, err := s.memoryFor(r, subject, path, true)
	if err != nil {
		return err
	}
	v.CarryRefused, v.CarryFrom = refused.Error(), from
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusConflict, "memory", page{Title: "Not carried over: " + strings.TrimPrefix(subject, "bill ") + " has a record of its own", Now: s.opt.Now(), Data: v})
	return nil
}

type watchView struct {
	Config  []tracker.WatchItem
	Items   []tracker.WatchItem
	History []tracker.Change
	Kinds   []string
	CanEdit bool
	User    *tracker.User
	// Error is why the last change was not made; Kind and Value refill the add form.
	Error, Kind, Value string
}

// watchRow is one watch-list entry in the watch page's JSON, the shape of `watch list --json`:
// source "config" (no by, no at) or "database".
type watchRow struct {
	Kind   string `json:"kind"`
	Value  string `json:"value"`
	Source string `json:"source"`
	By     string `json:"by,omitempty"`
	At     string `json:"at,omitempty"`
}

func watchRows(items []tracker.WatchItem, source string) []watchRow {
	out := []watchRow{}
	for _, it := range items {
		row := watchRow{Kind: it.Kind, Value: it.Value, Source: source}
		if source == "database" {
			row.By, row.At = it.By, it.At.UTC().Format(time.RFC3339)
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) readWatch(r *http.Request) (watchView, error) {
	v := watchView{Kinds: tracker.WatchKinds, User: userOf(r), Config: s.opt.ConfigWatch}
	v.CanEdit = v.User != nil && tracker.CanWrite(v.User.Role)
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return v, err
	}
	if v.Items, err = store.WatchList(); err != nil {
		return v, err
	}
	if v.History, err = store.History("watch"); err != nil {
		return v, err
	}
	slices.Reverse(v.History)
	return v, nil
}

// watchPage shows the watch list: the configuration file's entries, the database's, and the
// history of changes.
func (s *Server) watchPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.readWatch(r)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return writeJSON(w, r, map[string]any{"config": watchRows(v.Config, "config"), "database": watchRows(v.Items, "database")})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "watch", page{Title: "Watch list", Nav: "watch", Now: s.opt.Now(), Data: v})
	return nil
}

// watchPost adds or removes a watch-list entry. A change that is not made (a bad value, an
// entry already there or not there) answers the watch page with the reason: 400 or 409.
func (s *Server) watchPost(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.canWrite(w, r)
	if !ok {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return &httpError{status: http.StatusBadRequest, title: "Bad request", msg: "The form could not be read."}
	}
	t, err := s.writer()
	if err != nil {
		return err
	}
	kind, value := r.PostForm.Get("kind"), r.PostForm.Get("value")
	action := r.PostForm.Get("action")
	var res tracker.WatchResult
	switch action {
	case "add":
		res, err = t.WatchAdd(kind, value, u.Name)
	case "rm":
		res, err = t.WatchRemove(kind, value, u.Name)
	default:
		return badField("action", "%q is not add or rm", action)
	}
	status, msg := 0, ""
	switch {
	case errors.Is(err, tracker.ErrBadInput):
		status, msg = http.StatusBadRequest, inputMessage(err)
	case err != nil:
		return err
	case !res.Changed && action == "add":
		status, msg = http.StatusConflict, fmt.Sprintf("%s %q is already on the watch list.", res.Item.Kind, res.Item.Value)
	case !res.Changed:
		status, msg = http.StatusConflict, fmt.Sprintf("%s %q is not on the watch list.", res.Item.Kind, res.Item.Value)
	default:
		http.Redirect(w, r, "/watch", http.StatusSeeOther)
		return nil
	}
	if wantsJSON(r) {
		return &httpError{status: status, title: "Not changed", msg: msg}
	}
	v, err := s.readWatch(r)
	if err != nil {
		return err
	}
	v.Error = msg
	if action == "add" {
		v.Kind, v.Value = kind, value
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "watch", page{Title: "Watch list: not changed", Nav: "watch", Now: s.opt.Now(), Data: v})
	return nil
}

// stepRow is one open next step on the steps board.
type stepRow struct {
	What     string `json:"on"`
	Path     string `json:"path"`
	Owner    string `json:"owner"`
	Text     string `json:"text"`
	Due      string `json:"due,omitempty"`
	Position string `json:"position,omitempty"`
	Overdue  bool   `json:"overdue"`
}

// openSteps lists every open next step, overdue ones first, then by due date.
func openSteps(sn *snapshot, now time.Time) []stepRow {
	recs := sn.records
	today := now.In(billwatch.Eastern).Format(billwatch.DateLayout)
	var out []stepRow
	for _, r := range recs {
		if r.Next == nil {
			continue
		}
		row := stepRow{Owner: r.Owner, Text: r.Next.Text, Due: r.Next.Due, Position: r.Position, Overdue: r.Next.Due != "" && r.Next.Due < today}
		if rest, ok := strings.CutPrefix(r.Subject, "bill "); ok {
			session, number, _ := strings.Cut(rest, " ")
			row.What, row.Path = rest, billwatch.BillPath(session, number)
		} else if rest, ok := strings.CutPrefix(r.Subject, "regulation "); ok {
			part, id, _ := strings.Cut(rest, " ")
			row.What, row.Path = "Gazette "+rest, billwatch.RegulationPath(part, id)
		}
		if stored, _ := storedItem(sn, r.Subject); !stored {
			// A record kept for an item not in the database (imported): its history page.
			row.Path += "/history"
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b stepRow) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if (a.Due == "") != (b.Due == "") {
			if a.Due == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.Owner, b.Owner))
	})
	return out
}

func (s *Server) stepsPage(w http.ResponseWriter, r *http.Request) error {
	sn, err := s.data()
	if err != nil {
		return err
	}
	steps := openSteps(sn, s.opt.Now())
	if wantsJSON(r) {
		return writeJSON(w, r, orEmpty(steps))
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "steps", page{Title: "Next steps", Nav: "steps", Now: s.opt.Now(), Data: struct {
		Steps []stepRow
		User  *tracker.User
	}{steps, userOf(r)}})
	return nil
}

// memoryRoutes adds the sign-in, memory, watch-list and next-steps routes.
func (s *Server) memoryRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /signin", s.handle(s.signinPage))
	m.HandleFunc("POST /signin", s.handle(s.signinPost))
	m.HandleFunc("POST /signout", s.handle(s.signout))
	m.HandleFunc("GET /bills/{session}/{number}/history", s.handle(s.historyPage))
	m.HandleFunc("POST /bills/{session}/{number}/memory", s.handle(s.memoryPost))
	m.HandleFunc("GET /regulations/{part}/{id}/history", s.handle(s.historyPage))
	m.HandleFunc("POST /regulations/{part}/{id}/memory", s.handle(s.memoryPost))
	m.HandleFunc("GET /watch", s.handle(s.watchPage))
	m.HandleFunc("POST /watch", s.handle(s.watchPost))
	m.HandleFunc("GET /steps", s.handle(s.stepsPage))
}
