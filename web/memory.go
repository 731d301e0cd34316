package web

import (
	"cmp"
	"net/http"
	"slices"
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
	Record   tracker.Record
	Lineage  []tracker.LineageLink
	From     string // the earlier bill whose record shows, when this one has none
	Inherit  tracker.Record
	History  []tracker.Change
	CanEdit  bool
	User     *tracker.User
	Options  []string // positions
	Priority []string
}

func (s *Server) memoryFor(r *http.Request, subject, path string) *memoryView {
	v := &memoryView{Subject: subject, Path: path, User: userOf(r), Options: tracker.Positions, Priority: tracker.Priorities}
	v.CanEdit = v.User != nil && tracker.CanWrite(v.User.Role)
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return v
	}
	v.Record, _ = store.Record(subject)
	v.History, _ = store.History(subject)
	if rest, ok := strings.CutPrefix(subject, "bill "); ok {
		session, number, _ := strings.Cut(rest, " ")
		v.Lineage, _ = store.Lineage(session, number)
		if v.Record.Empty() {
			if l, rec, ok, _ := store.Inherited(session, number); ok {
				v.From, v.Inherit = l.Key(), rec
			}
		}
	}
	return v
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

// historyPage shows an item's record with its whole history (who, when, before → after).
func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) error {
	subject, path, err := subjectOf(r)
	if err != nil {
		return err
	}
	v := s.memoryFor(r, subject, path)
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
	return &httpError{status: http.StatusBadRequest, title: "Not saved", msg: strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": ")}
}

// memoryPost changes an item's record: action set (position, priority, owner, next step),
// note, doc or carry.
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
		_, err = t.Store.SetRecord(subject, e, u.Name, now)
	case "note":
		_, err = t.Store.AddNote(subject, f.Get("text"), u.Name, now)
	case "doc":
		_, err = t.Store.AddDocument(subject, tracker.Document{Title: f.Get("title"), Date: f.Get("date"), URL: strings.TrimSpace(f.Get("url"))}, u.Name, now)
	case "carry":
		from := f.Get("from")
		session, number, _ := strings.Cut(from, " ")
		if !sessionRe.MatchString(session) || billwatch.NormalizeBillNumber(number) == "" {
			return badParam("from", "%q is not a session and bill number", from)
		}
		_, err = t.Store.CarryOver(tracker.BillSubject(session, billwatch.NormalizeBillNumber(number)), subject, u.Name, now)
	default:
		return badParam("action", "want set, note, doc or carry")
	}
	if err != nil {
		return badInput(err)
	}
	http.Redirect(w, r, path+"#memory", http.StatusSeeOther)
	return nil
}

type watchView struct {
	Config  []tracker.WatchItem
	Items   []tracker.WatchItem
	History []tracker.Change
	Kinds   []string
	CanEdit bool
	User    *tracker.User
}

// watchPage shows the watch list: the configuration file's entries, the database's, and the
// history of changes.
func (s *Server) watchPage(w http.ResponseWriter, r *http.Request) error {
	v := watchView{Kinds: tracker.WatchKinds, User: userOf(r), Config: s.opt.ConfigWatch}
	v.CanEdit = v.User != nil && tracker.CanWrite(v.User.Role)
	if store, err := tracker.OpenReadOnly(s.opt.DB); err == nil {
		v.Items, _ = store.WatchList()
		v.History, _ = store.History("watch")
		slices.Reverse(v.History)
	}
	if wantsJSON(r) {
		return writeJSON(w, r, map[string]any{"config": orEmpty(v.Config), "database": orEmpty(v.Items)})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "watch", page{Title: "Watch list", Nav: "watch", Now: s.opt.Now(), Data: v})
	return nil
}

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
	switch r.PostForm.Get("action") {
	case "add":
		_, err = t.WatchAdd(kind, value, u.Name)
	case "rm":
		_, err = t.WatchRemove(kind, value, u.Name)
	default:
		return badParam("action", "want add or rm")
	}
	if err != nil {
		return badInput(err)
	}
	http.Redirect(w, r, "/watch", http.StatusSeeOther)
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
func (s *Server) openSteps(now time.Time) []stepRow {
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return nil
	}
	recs, _ := store.Records()
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
	steps := s.openSteps(s.opt.Now())
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
