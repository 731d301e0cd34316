package web

import (
	"bytes"
	"container/list"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/tracker"
)

// diffModel is a diff ready for the page. It depends only on the two texts, so it is cached
// by the pair of their hashes and shared, read-only, by every request.
type diffModel struct {
	Result     *diff.Result
	Highlights []diff.Highlight
	Provs      []provView
	Renumbered int // provisions only renumbered, collapsed on the page

	// When each text was fetched, by publication id.
	Fetched map[string]time.Time

	// The flags and the provisions rendered once (per view), for repeat views of a large bill.
	once [3]sync.Once
	body [3]template.HTML
	err  [3]error
}

// rendered returns the provisions of the diff as HTML in a view ("inline" or "side").
func (m *diffModel) rendered(t *template.Template, view string) (template.HTML, error) {
	i, data := 0, any(m.Provs)
	switch view {
	case "side":
		i = 1
	case "flags":
		i, data = 2, m.Highlights
	}
	m.once[i].Do(func() {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "provs-"+view, data); err != nil {
			m.err[i] = err
			return
		}
		m.body[i] = template.HTML(buf.String()) // built by html/template: every text is escaped
	})
	return m.body[i], m.err[i]
}

// provView is one changed provision on the page.
type provView struct {
	diff.Change
	What           string // added, removed, amended or renumbered
	Cite           string
	RenumberedOnly bool
	Before, After  []diff.Op // the side-by-side columns
	Children       []provView
}

func cite(c diff.Change) string {
	sc := func(l string) string {
		if l != "" && l[0] >= '0' && l[0] <= '9' {
			return "s. " + l
		}
		return l
	}
	if c.Change == diff.Renumbered {
		return sc(c.FromLabel) + " → " + sc(c.ToLabel)
	}
	if c.Label == "" {
		return sc(c.FromLabel)
	}
	return sc(c.Label)
}

func buildProvs(cs []diff.Change, renumbered *int, depth int) []provView {
	var out []provView
	for _, c := range cs {
		p := provView{Change: c, What: c.Change, Cite: cite(c), Children: buildProvs(c.Children, renumbered, depth+1)}
		if depth > 0 {
			p.Heading = "" // the heading is the top provision's
		}
		only := c.Change == diff.Renumbered && c.FromMarginalNote == ""
		for _, o := range c.Ops {
			only = only && o.Op == diff.OpEqual
			if o.Op != diff.OpInsert {
				p.Before = append(p.Before, o)
			}
			if o.Op != diff.OpDelete {
				p.After = append(p.After, o)
			}
		}
		for _, k := range p.Children {
			only = only && k.RenumberedOnly
		}
		p.RenumberedOnly = only
		if only {
			*renumbered++
		}
		out = append(out, p)
	}
	return out
}

// diffCache keeps the latest diff models, computing each once however many ask at a time.
type diffCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *diffEntry, most recent first
	byKey map[string]*list.Element
}

type diffEntry struct {
	key   string
	done  chan struct{}
	model *diffModel
	err   error
}

func newDiffCache(max int) *diffCache {
	return &diffCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *diffCache) get(key string, compute func() (*diffModel, error)) (*diffModel, error) {
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*diffEntry)
		c.mu.Unlock()
		<-e.done
		return e.model, e.err
	}
	e := &diffEntry{key: key, done: make(chan struct{})}
	c.byKey[key] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*diffEntry).key)
	}
	c.mu.Unlock()
	e.model, e.err = compute()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if el, ok := c.byKey[key]; ok && el.Value == e {
			c.order.Remove(el)
			delete(c.byKey, key)
		}
		c.mu.Unlock()
	}
	return e.model, e.err
}

func (s *Server) diffModel(b *tracker.StoredBill, from, to tracker.StoredText) (*diffModel, error) {
	return s.diffs.get(from.Hash+":"+to.Hash, func() (*diffModel, error) {
		store, err := tracker.OpenReadOnly(s.opt.DB)
		if err != nil {
			return nil, err
		}
		// The two texts are read and parsed at once: a large bill's first view takes half
		// the time on two cores.
		type parsed struct {
			doc *diff.Document
			err error
		}
		read := func(t tracker.StoredText) parsed {
			b, err := store.Payload(t.Hash)
			if err != nil {
				return parsed{err: err}
			}
			d, err := diff.ParseBytes(b)
			if err != nil {
				return parsed{err: fmt.Errorf("version %s: %w", t.Type, err)}
			}
			return parsed{doc: d}
		}
		fromc := make(chan parsed, 1)
		go func() { fromc <- read(from) }()
		tp := read(to)
		fp := <-fromc
		if fp.err != nil {
			return nil, fp.err
		}
		if tp.err != nil {
			return nil, tp.err
		}
		fd, td := fp.doc, tp.doc
		r := diff.Compare(fd, td)
		m := &diffModel{Result: r, Highlights: r.Highlights(), Fetched: map[string]time.Time{}}
		for _, t := range []tracker.StoredText{from, to} {
			if vs, err := store.BillTextVersions(b.Bill, t.ID); err == nil {
				for _, v := range vs {
					if v.Hash == t.Hash {
						m.Fetched[t.ID] = v.Fetched
					}
				}
			}
		}
		m.Provs = buildProvs(r.Provisions, &m.Renumbered, 0)
		return m, nil
	})
}

// pickVersion resolves V the way `diff --from/--to` does: a type slug, a publication id, or
// a 1-based index.
func pickVersion(b *tracker.StoredBill, param, v string) (tracker.StoredText, error) {
	var match *tracker.StoredText
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(b.Versions) && len(v) < 4 {
		match = &b.Versions[n-1]
	}
	for i := range b.Versions {
		if x := &b.Versions[i]; match == nil && (x.ID == v || x.Type == v) {
			match = x
		}
	}
	if match == nil {
		var names []string
		for i, x := range b.Versions {
			names = append(names, fmt.Sprintf("%d %s (%s)", i+1, x.Type, x.ID))
		}
		return tracker.StoredText{}, notFound("Bill %s %s has no version %q (%s=%s). It has: %s.", b.Session, b.Number, v, param, v, strings.Join(names, ", "))
	}
	if !match.Fetched {
		return tracker.StoredText{}, notFound("The text of version %s (%s) of bill %s is not stored yet.", match.Type, match.ID, b.Number)
	}
	return *match, nil
}

// versionMeta describes one side of the diff for the page.
type versionMeta struct {
	tracker.StoredText
	Param   string // how the page's links name it
	Fetched time.Time
	Stage   string // the stage that produced it, with its date, when the record says
}

// stageFor finds the stage that produced a version: first reading, the committee's report,
// third reading in each chamber, royal assent.
func stageFor(b *tracker.StoredBill, typ string) string {
	find := func(chamber, name string) string {
		for _, st := range b.Stages {
			if (chamber == "" || st.Chamber == chamber) && strings.Contains(strings.ToLower(st.Name), name) && st.Date != "" {
				return st.Name + ", " + st.Chamber + ", " + fmtDate(st.Date)
			}
		}
		return ""
	}
	switch typ {
	case billwatch.FirstReading:
		return find("", "first reading")
	case billwatch.AmendedByCommittee:
		if s := find("", "report stage"); s != "" {
			return s
		}
		return find("", "committee")
	case billwatch.PassedHouse:
		return find(billwatch.House, "third reading")
	case billwatch.PassedSenate:
		return find(billwatch.Senate, "third reading")
	case billwatch.RoyalAssent:
		return find("", "royal assent")
	}
	return ""
}

type diffData struct {
	Bill      *tracker.StoredBill
	From, To  versionMeta
	View      string
	Model     *diffModel
	Body      template.HTML // the provisions
	Flags     template.HTML // the flags, weightiest first
	Fetched   []tracker.VersionJSON
	Inline    string // the page's address in each view
	Side      string
	JSONPath  string
	NoChange  bool
	Truncated bool
}

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	view := q.Get("view")
	if view != "" && view != "inline" && view != "side" {
		return badParam("view", "%q is not a view (want inline or side)", view)
	}
	if view == "" {
		view = "inline"
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	b, done, err := s.billFromPath(w, r, sn)
	if err != nil || done {
		return err
	}
	var fetched []tracker.StoredText
	for _, v := range b.Versions {
		if v.Fetched {
			fetched = append(fetched, v)
		}
	}
	if len(fetched) == 0 {
		return notFound("No text version of bill %s %s is stored yet.", b.Session, b.Number)
	}
	index := func(id string) int {
		for i, v := range b.Versions {
			if v.ID == id {
				return i
			}
		}
		return -1
	}
	var fv, tv tracker.StoredText
	if v := q.Get("to"); v == "" {
		tv = fetched[len(fetched)-1]
	} else if tv, err = pickVersion(b, "to", v); err != nil {
		return err
	}
	if v := q.Get("from"); v == "" {
		fv = tv
		for i := len(fetched) - 1; i >= 0; i-- {
			if fetched[i].ID != tv.ID && index(fetched[i].ID) < index(tv.ID) {
				fv = fetched[i]
				break
			}
		}
		if fv.ID == tv.ID {
			return notFound("Only one text version of bill %s %s (%s) is stored: there is nothing to compare it with yet.", b.Session, b.Number, tv.Name)
		}
	} else if fv, err = pickVersion(b, "from", v); err != nil {
		return err
	}
	m, err := s.diffModel(b, fv, tv)
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		res := *m.Result
		res.From, res.To = fv.Type, tv.Type
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&res); err != nil {
			return err
		}
		writeJSONBytes(w, r, buf.Bytes())
		return nil
	}
	js := b.VersionsJSON()
	meta := func(t tracker.StoredText) versionMeta {
		vm := versionMeta{StoredText: t, Stage: stageFor(b, t.Type)}
		for _, v := range js {
			if v.ID == t.ID {
				vm.Param = versionName(b, v)
			}
		}
		return vm
	}
	body, err := m.rendered(s.pages["diff"], view)
	if err != nil {
		return err
	}
	d := diffData{Bill: b, From: meta(fv), To: meta(tv), View: view, Model: m, Body: body, NoChange: len(m.Result.Provisions) == 0}
	d.From.Fetched, d.To.Fetched = m.Fetched[fv.ID], m.Fetched[tv.ID]
	if d.Flags, err = m.rendered(s.pages["diff"], "flags"); err != nil {
		return err
	}
	for _, v := range js {
		if v.Fetched {
			d.Fetched = append(d.Fetched, v)
		}
	}
	base := billwatch.DiffPath(b.Session, b.Number, d.From.Param, d.To.Param, "")
	d.Inline, d.Side = base, base+"&view=side"
	title := fmt.Sprintf("%s: %s → %s", b.Number, fv.Name, tv.Name)
	s.render(w, r, http.StatusOK, "diff", s.page(sn, title, "bills", d))
	return nil
}
