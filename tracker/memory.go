package tracker

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/text"
)

// Positions the coalition takes on a bill or a regulation.
const (
	PositionOppose  = "oppose"
	PositionAmend   = "amend" // seek amendments
	PositionSupport = "support"
	PositionMonitor = "monitor"
	PositionNone    = "none"
)

// Positions lists the valid positions.
var Positions = []string{PositionOppose, PositionAmend, PositionSupport, PositionMonitor, PositionNone}

// Priorities lists the valid priorities.
var Priorities = []string{"high", "normal", "low"}

// ErrBadInput marks a value a user gave that billwatch refuses; the message names it.
var ErrBadInput = errors.New("invalid input")

// Record is the coalition's memory of one bill or regulation: its position, priority, owner,
// next step, notes and documents. Subject is stable across sessions: "bill 45-1 C-8" or
// "regulation I 2026-06-20-reg2".
type Record struct {
	Subject   string     `json:"subject"`
	Position  string     `json:"position,omitempty"`
	Priority  string     `json:"priority,omitempty"`
	Owner     string     `json:"owner,omitempty"`
	Next      *NextStep  `json:"next,omitempty"`
	Notes     []Note     `json:"notes,omitempty"`
	Documents []Document `json:"documents,omitempty"`
	Updated   time.Time  `json:"updated,omitzero"`
}

// NextStep is what is to be done next, by when (a calendar date).
type NextStep struct {
	Text string `json:"text"`
	Due  string `json:"due,omitempty"` // YYYY-MM-DD
}

// Note is a free-text note; it is stored and shown as text, never as markup.
type Note struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// Document links one of the coalition's documents (brief, letter, submission).
type Document struct {
	Title string    `json:"title"`
	Date  string    `json:"date"` // YYYY-MM-DD
	URL   string    `json:"url"`
	By    string    `json:"by,omitempty"`
	At    time.Time `json:"at,omitzero"`
}

// Empty reports whether the record holds nothing.
func (r Record) Empty() bool {
	return (r.Position == "" || r.Position == PositionNone) && r.Priority == "" && r.Owner == "" && r.Next == nil && len(r.Notes) == 0 && len(r.Documents) == 0
}

// Line is the record in one line, as alerts carry it:
// "Our position: oppose · owner: Léa · brief of 2023-03-01".
func (r Record) Line() string {
	var parts []string
	if r.Position != "" && r.Position != PositionNone {
		parts = append(parts, "Our position: "+PositionName(r.Position))
	}
	if r.Priority != "" {
		parts = append(parts, "priority: "+r.Priority)
	}
	if r.Owner != "" {
		parts = append(parts, "owner: "+r.Owner)
	}
	if n := len(r.Documents); n > 0 {
		d := r.Documents[n-1]
		parts = append(parts, d.Title+" of "+d.Date)
	}
	if r.Next != nil {
		s := "next: " + r.Next.Text
		if r.Next.Due != "" {
			s += " (due " + r.Next.Due + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " · ")
}

// PositionName is a position as people say it.
func PositionName(p string) string {
	if p == PositionAmend {
		return "seek amendments"
	}
	return p
}

// Change is one entry of the append-only history: who changed what, when, before → after.
type Change struct {
	Seq     uint64    `json:"seq"`
	Subject string    `json:"subject"`
	Field   string    `json:"field"` // position, priority, owner, next, note, document, watch, carried
	Before  string    `json:"before"`
	After   string    `json:"after"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// BillSubject is the memory subject of a bill.
func BillSubject(session, number string) string { return "bill " + session + " " + number }

// RegulationSubject is the memory subject of a Gazette item (its Key, "I 2026-06-20-reg2").
func RegulationSubject(key string) string { return "regulation " + key }

// Edit is a change to a record's scalar fields; nil fields are left alone. An empty string
// clears a field.
type Edit struct {
	Position *string
	Priority *string
	Owner    *string
	Next     *NextStep // Text "" clears the next step
	// Due, without Next, sets ("" clears) the due date of the next step already recorded;
	// the edit is refused (ErrNotFound) when the record has none.
	Due *string
	// Rev, when set, is the record's revision the editor saw (Revision of its history): the
	// edit is refused with a *ConflictError when the position, priority, owner or next step
	// changed since, so that two editors never silently undo each other's changes.
	Rev *uint64
}

// ErrNotFound means that a well-formed request named something that does not exist (a user, a
// record to carry over): the command line exits 1 for it, keeping 2 for a malformed request.
// Such an error also matches ErrBadInput, so that the web interface answers it as a mistake.
var ErrNotFound = errors.New("not found")

// ErrExists means that a well-formed request would make something that exists already (an
// account): like ErrNotFound, the command line exits 1 for it, and it matches ErrBadInput.
var ErrExists = errors.New("exists already")

// wellFormedError is a request that is well formed but cannot be done on what is stored: it
// is its kind (ErrNotFound, ErrExists) and ErrBadInput.
type wellFormedError struct {
	kind error
	msg  string
}

func (e *wellFormedError) Error() string { return e.msg }

func (e *wellFormedError) Is(target error) bool { return target == e.kind || target == ErrBadInput }

func notFound(format string, args ...any) error {
	return &wellFormedError{kind: ErrNotFound, msg: fmt.Sprintf(format, args...)}
}

func exists(format string, args ...any) error {
	return &wellFormedError{kind: ErrExists, msg: fmt.Sprintf(format, args...)}
}

// Revision is a record's revision as its history gives it: the sequence number of its last
// change, 0 when it has none.
func Revision(h []Change) uint64 {
	if len(h) == 0 {
		return 0
	}
	return h[len(h)-1].Seq
}

// ErrConflict marks an edit refused because the record changed since the editor read it.
var ErrConflict = errors.New("the record changed since it was read")

// ConflictError is an edit refused because someone else changed the record's position,
// priority, owner or next step since the revision the editor saw. Since lists those changes.
type ConflictError struct {
	Subject string
	Rev     uint64   // the record's revision now
	Since   []Change // the changes after the editor's revision
}

func (e *ConflictError) Error() string {
	var who []string
	for _, c := range e.Since {
		who = append(who, c.By+" changed "+c.Field)
	}
	return fmt.Sprintf("%s: %v (%s)", e.Subject, ErrConflict, strings.Join(who, ", "))
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// scalarFields are the fields of a record that an Edit sets.
var scalarFields = []string{"position", "priority", "owner", "next"}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadInput, fmt.Sprintf(format, args...))
}

func checkDate(what, s string) error {
	if _, err := time.Parse(billwatch.DateLayout, s); err != nil {
		return bad("%s %q: want a date YYYY-MM-DD", what, s)
	}
	return nil
}

func checkText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return bad("%s is not valid UTF-8", what)
	}
	if strings.TrimSpace(s) == "" {
		return bad("%s is empty", what)
	}
	if utf8.RuneCountInString(s) > max {
		return bad("%s is longer than %d characters", what, max)
	}
	return nil
}

func checkSubject(s string) error {
	kind, rest, _ := strings.Cut(s, " ")
	if (kind != "bill" && kind != "regulation") || strings.TrimSpace(rest) == "" {
		return bad("subject %q: want \"bill SESSION NUMBER\" or \"regulation PART ID\"", s)
	}
	return nil
}

// Validate checks an edit before anything is written.
func (e Edit) Validate() error {
	if e.Position != nil && *e.Position != "" && !slices.Contains(Positions, *e.Position) {
		return bad("position %q: want one of %s", *e.Position, strings.Join(Positions, ", "))
	}
	if e.Priority != nil && *e.Priority != "" && !slices.Contains(Priorities, *e.Priority) {
		return bad("priority %q: want high, normal or low", *e.Priority)
	}
	if e.Owner != nil && *e.Owner != "" {
		if err := checkText("owner", *e.Owner, 100); err != nil {
			return err
		}
	}
	if e.Next != nil && e.Next.Text != "" {
		if err := checkText("next step", e.Next.Text, 500); err != nil {
			return err
		}
		if e.Next.Due != "" {
			if err := checkDate("due date", e.Next.Due); err != nil {
				return err
			}
		}
	}
	if e.Next != nil && e.Next.Text == "" && e.Next.Due != "" {
		return bad("a due date needs a next step (--next \"TEXT\")")
	}
	if e.Due != nil {
		if e.Next != nil {
			return bad("a due date is given either with its next step or alone, not both")
		}
		if *e.Due != "" {
			if err := checkDate("due date", *e.Due); err != nil {
				return err
			}
		}
	}
	return nil
}

func nextString(n *NextStep) string {
	if n == nil {
		return ""
	}
	if n.Due == "" {
		return n.Text
	}
	return n.Text + " (due " + n.Due + ")"
}

func getRecord(tx *bolt.Tx, subject string) (Record, error) {
	r := Record{Subject: subject}
	b := tx.Bucket(bktMemory)
	if b == nil {
		return r, nil
	}
	k := []byte(subjectKey(subject))
	if v := b.Get(k); v != nil {
		if err := decodeJSON(v, &r); err != nil {
			return Record{Subject: subject}, &recordError{bucket: bktMemory, key: k, err: err}
		}
	}
	return r, nil
}

func historyKey(subject string, seq uint64) []byte {
	k := append([]byte(subjectKey(subject)), 0)
	return append(k, be(seq)...)
}

// appendHistory writes one change; the history is never rewritten.
func appendHistory(tx *bolt.Tx, c Change) error {
	b := tx.Bucket(bktHistory)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	c.Seq = seq
	c.At = c.At.UTC()
	return putJSON(b, historyKey(c.Subject, seq), c)
}

// editRecord applies fn to a subject's record and writes it with its history, in one
// transaction. fn returns the changes it made (without seq, by and at).
func (s *Store) editRecord(subject, by string, now time.Time, fn func(r *Record) ([]Change, error)) (Record, error) {
	return s.editRecordTx(subject, by, now, func(_ *bolt.Tx, r *Record) ([]Change, error) { return fn(r) })
}

// editRecordTx is editRecord with the transaction at hand, for checks that read more than
// the record.
func (s *Store) editRecordTx(subject, by string, now time.Time, fn func(tx *bolt.Tx, r *Record) ([]Change, error)) (Record, error) {
	if err := checkSubject(subject); err != nil {
		return Record{}, err
	}
	var out Record
	err := s.update(func(tx *bolt.Tx) error {
		r, err := getRecord(tx, subject)
		if err != nil {
			return err
		}
		changes, err := fn(tx, &r)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			out = r
			return errNothingToWrite
		}
		r.Updated = now.UTC()
		for _, c := range changes {
			c.Subject, c.By, c.At = subject, by, now
			if err := appendHistory(tx, c); err != nil {
				return err
			}
		}
		out = r
		return putJSON(tx.Bucket(bktMemory), []byte(subjectKey(subject)), r)
	})
	return out, err
}

// SetRecord applies an edit to a subject's record; each field that changes is one history
// entry (who, when, before → after). An edit that changes nothing writes nothing.
func (s *Store) SetRecord(subject string, e Edit, by string, now time.Time) (Record, error) {
	if err := e.Validate(); err != nil {
		return Record{}, err
	}
	return s.editRecordTx(subject, by, now, func(tx *bolt.Tx, r *Record) ([]Change, error) {
		if e.Rev != nil {
			h := history(tx, subject, nil)
			var since []Change
			for _, c := range h {
				if c.Seq > *e.Rev && slices.Contains(scalarFields, c.Field) {
					since = append(since, c)
				}
			}
			if len(since) > 0 || *e.Rev > Revision(h) {
				return nil, &ConflictError{Subject: subject, Rev: Revision(h), Since: since}
			}
		}
		var cs []Change
		set := func(field string, p *string, v *string) {
			if v != nil && *p != *v {
				cs = append(cs, Change{Field: field, Before: *p, After: *v})
				*p = *v
			}
		}
		set("position", &r.Position, e.Position)
		set("priority", &r.Priority, e.Priority)
		set("owner", &r.Owner, e.Owner)
		next := e.Next
		if e.Due != nil {
			if r.Next == nil {
				return nil, notFound("%s has no next step to give a due date to: give the step too (--next \"TEXT\")", subject)
			}
			next = &NextStep{Text: r.Next.Text, Due: *e.Due}
		}
		if next != nil {
			var nw *NextStep
			if next.Text != "" {
				n := *next
				nw = &n
			}
			if before, after := nextString(r.Next), nextString(nw); before != after {
				cs = append(cs, Change{Field: "next", Before: before, After: after})
				r.Next = nw
			}
		}
		return cs, nil
	})
}

// AddNote appends a note to a subject's record.
func (s *Store) AddNote(subject, text, by string, now time.Time) (Record, error) {
	text = strings.TrimSpace(text)
	if err := checkText("note", text, 10000); err != nil {
		return Record{}, err
	}
	return s.editRecord(subject, by, now, func(r *Record) ([]Change, error) {
		r.Notes = append(r.Notes, Note{Text: text, By: by, At: now.UTC()})
		return []Change{{Field: "note", After: text}}, nil
	})
}

// CheckDocument validates a new document link: a title, a date and an http(s) URL without a
// user name or password in it (the link is shown to every reader).
func CheckDocument(d Document) error {
	if err := checkDocument(d); err != nil {
		return err
	}
	if u, err := url.Parse(d.URL); err == nil && u.User != nil {
		return bad("document URL %q carries a user name or password: link the document without them (people sign in where it is kept)", u.Redacted())
	}
	return nil
}

// checkDocument validates a stored document link: a title, a date and an http(s) URL. A
// restored export keeps what was linked before credentials were refused.
func checkDocument(d Document) error {
	if err := checkText("document title", d.Title, 300); err != nil {
		return err
	}
	if err := checkDate("document date", d.Date); err != nil {
		return err
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := d.URL
		if err == nil {
			shown = u.Redacted()
		}
		return bad("document URL %q: want an http or https address", shown)
	}
	return nil
}

// AddDocument links a document to a subject's record.
func (s *Store) AddDocument(subject string, d Document, by string, now time.Time) (Record, error) {
	d.Title = strings.TrimSpace(d.Title)
	if err := CheckDocument(d); err != nil {
		return Record{}, err
	}
	d.By, d.At = by, now.UTC()
	return s.editRecord(subject, by, now, func(r *Record) ([]Change, error) {
		r.Documents = append(r.Documents, d)
		return []Change{{Field: "document", After: documentString(d)}}, nil
	})
}

// ID names a note within its record, for retracting it: "n-" and ten hex digits of a hash of
// who wrote it, when, and its text. It needs no stored key, so older records have one too.
func (n Note) ID() string {
	return "n-" + Hash([]byte(n.By + "\x00" + n.At.UTC().Format(time.RFC3339Nano) + "\x00" + n.Text))[:10]
}

// ID names a document link within its record, like Note.ID: "d-" and ten hex digits.
func (d Document) ID() string {
	return "d-" + Hash([]byte(d.By + "\x00" + d.At.UTC().Format(time.RFC3339Nano) + "\x00" + d.Title + "\x00" + d.Date + "\x00" + d.URL))[:10]
}

// Retract removes a note or a document (by its ID) from a subject's record. The history keeps
// the fact: field "note" or "document", before the text retracted, after empty.
func (s *Store) Retract(subject, id, by string, now time.Time) (Record, error) {
	id = strings.TrimSpace(id)
	if !strings.HasPrefix(id, "n-") && !strings.HasPrefix(id, "d-") {
		return Record{}, bad("%q is not a note or document id (they read like n-3f2a9c0d1e or d-…; billwatch memory show lists them)", id)
	}
	return s.editRecord(subject, by, now, func(r *Record) ([]Change, error) {
		if i := slices.IndexFunc(r.Notes, func(n Note) bool { return n.ID() == id }); i >= 0 {
			n := r.Notes[i]
			r.Notes = slices.Delete(r.Notes, i, i+1)
			return []Change{{Field: "note", Before: n.Text}}, nil
		}
		if i := slices.IndexFunc(r.Documents, func(d Document) bool { return d.ID() == id }); i >= 0 {
			d := r.Documents[i]
			r.Documents = slices.Delete(r.Documents, i, i+1)
			return []Change{{Field: "document", Before: documentString(d)}}, nil
		}
		return nil, notFound("%s has no note or document %s (retracted already? billwatch memory show lists them)", subject, id)
	})
}

func documentString(d Document) string { return d.Title + " (" + d.Date + ") " + d.URL }

// CarryOver is CarryRecord without replacing: it copies an earlier bill's record onto a bill
// that has none of its own.
func (s *Store) CarryOver(from, to, by string, now time.Time) (Record, error) {
	res, err := s.CarryRecord(from, to, false, by, now)
	return res.Record, err
}

// CarryResult is what CarryRecord did.
type CarryResult struct {
	// Record is the target's record after the carry.
	Record Record
	// Linked says the lineage knows the source as an earlier version of the target (or a
	// bill of the same session substantially similar to it).
	Linked bool
	// Moved is the next step that moved from the source's record to the target's (nil when the
	// source had none); Overdue says it was due before today (Eastern).
	Moved   *NextStep
	Overdue bool
	// Replaced lists the target's own fields (position, priority, owner, next) that the source's
	// replaced.
	Replaced []string
	// Changed says the target's record changed (false: it held all of the source's already).
	Changed bool
}

// Summary is a record in a few words, for messages that name it: its Line, else its notes and
// documents counted, else "nothing".
func (r Record) Summary() string {
	if l := r.Line(); l != "" {
		return l
	}
	if n := len(r.Notes) + len(r.Documents); n > 0 {
		return text.Count(len(r.Notes), "note", "notes") + ", " + text.Count(len(r.Documents), "document", "documents")
	}
	return "nothing"
}

// CarryRecord carries one subject's record (an earlier bill's) over to another (the bill that
// reintroduces it), in one transaction:
//   - the target must have no record of its own, else the carry is refused (ErrExists) unless
//     replace: then its position, priority and owner become the source's (empty ones too),
//     and its next step too when the source has one;
//   - the position, priority and owner are copied; notes and documents the target lacks are
//     added (each keeps who wrote it and when);
//   - the next step moves with the file: the target gets it (with its due date, even past: the
//     result says so) and the source's is closed, its history saying where it went, so that one
//     step is listed, reminded and owned once;
//   - the target's history gets an entry per field, then "carried" naming the source and who
//     decided its position, priority, owner and next step there, and when.
//
// A source the lineage does not link to the target is carried all the same (the user named
// it); the result says so (Linked false).
func (s *Store) CarryRecord(from, to string, replace bool, by string, now time.Time) (CarryResult, error) {
	var res CarryResult
	if err := checkSubject(from); err != nil {
		return res, err
	}
	if from == to {
		return res, bad("cannot carry %s over onto itself: --from names the earlier bill it reintroduces", from)
	}
	today := now.In(billwatch.Eastern).Format(billwatch.DateLayout)
	rec, err := s.editRecordTx(to, by, now, func(tx *bolt.Tx, r *Record) ([]Change, error) {
		res = CarryResult{Linked: linkedEarlier(tx, from, to)}
		src, err := getRecord(tx, from)
		if err != nil {
			return nil, err
		}
		if src.Empty() {
			return nil, notFound("%s has no record to carry over", from)
		}
		if !r.Empty() && !replace {
			return nil, exists("%s has a record of its own (%s): the record of %s (%s) was not carried over onto it", to, r.Summary(), from, src.Summary())
		}
		var cs []Change
		put := func(field string, p *string, v string) {
			if *p == PositionNone && field == "position" && v == "" {
				return
			}
			if *p != v && (v != "" || replace) {
				if *p != "" && (field != "position" || *p != PositionNone) {
					res.Replaced = append(res.Replaced, field)
				}
				cs = append(cs, Change{Field: field, Before: *p, After: v})
				*p = v
			}
		}
		put("position", &r.Position, src.Position)
		put("priority", &r.Priority, src.Priority)
		put("owner", &r.Owner, src.Owner)
		if src.Next != nil {
			n := *src.Next
			if before, after := nextString(r.Next), nextString(&n); before != after {
				if r.Next != nil {
					res.Replaced = append(res.Replaced, "next")
				}
				cs = append(cs, Change{Field: "next", Before: before, After: after})
			}
			r.Next = &n
			res.Moved, res.Overdue = &n, n.Due != "" && n.Due < today
		}
		for _, n := range src.Notes {
			if !slices.ContainsFunc(r.Notes, func(x Note) bool { return x.Text == n.Text }) {
				r.Notes = append(r.Notes, n)
				cs = append(cs, Change{Field: "note", After: n.Text})
			}
		}
		for _, d := range src.Documents {
			if !slices.ContainsFunc(r.Documents, func(x Document) bool { return x.URL == d.URL }) {
				r.Documents = append(r.Documents, d)
				cs = append(cs, Change{Field: "document", After: documentString(d)})
			}
		}
		if len(cs) == 0 && src.Next == nil {
			return nil, nil
		}
		res.Changed = len(cs) > 0
		cs = append(cs, Change{Field: "carried", After: "from " + from + deciders(history(tx, from, nil), src)})
		if src.Next != nil {
			// The step moves with the file: the earlier record's is closed, saying where it went.
			moved := []Change{
				{Field: "next", Before: nextString(src.Next), After: ""},
				{Field: "carried", After: "to " + to + " (the next step moved with the file)"},
			}
			src.Next, src.Updated = nil, now.UTC()
			for _, c := range moved {
				c.Subject, c.By, c.At = from, by, now
				if err := appendHistory(tx, c); err != nil {
					return nil, err
				}
			}
			if err := putJSON(tx.Bucket(bktMemory), []byte(subjectKey(from)), src); err != nil {
				return nil, err
			}
		}
		return cs, nil
	})
	res.Record = rec
	return res, err
}

// linkedEarlier reports whether the lineage links bill subject from to bill subject to as an
// earlier version of it (or a bill of the same session substantially similar to it).
func linkedEarlier(tx *bolt.Tx, from, to string) bool {
	f, okf := strings.CutPrefix(from, "bill ")
	t, okt := strings.CutPrefix(to, "bill ")
	if !okf || !okt {
		return false
	}
	return slices.ContainsFunc(getLinks(tx, t), func(l LineageLink) bool { return l.Key() == f && !l.Later })
}

// deciders says who decided a record's position, priority, owner and next step, and when, as
// its history tells (the last change that gave each its value): "; decided there: position
// by lea on 2026-03-02, owner by sam on 2026-03-05". Empty when the history tells none.
func deciders(h []Change, r Record) string {
	var parts []string
	for _, f := range []struct{ field, name, value string }{
		{"position", "position", r.Position}, {"priority", "priority", r.Priority},
		{"owner", "owner", r.Owner}, {"next", "next step", nextString(r.Next)},
	} {
		if f.value == "" {
			continue
		}
		for i := len(h) - 1; i >= 0; i-- {
			if c := h[i]; c.Field == f.field && c.After == f.value {
				parts = append(parts, f.name+" by "+c.By+" on "+c.At.In(billwatch.Eastern).Format(billwatch.DateLayout))
				break
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; decided there: " + strings.Join(parts, ", ")
}

// Record returns a subject's record (empty when none was kept).
func (s *Store) Record(subject string) (Record, error) {
	var r Record
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = getRecord(tx, subject)
		return err
	})
	return r, err
}

// Records lists every record, in subject order.
func (s *Store) Records() ([]Record, error) {
	var out []Record
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktMemory)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r Record
			if err := decodeJSON(v, &r); err != nil {
				s.skip(bktMemory, k, err)
				return nil
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// History lists a subject's changes, oldest first; subject "" lists every change in the
// order they were made.
func (s *Store) History(subject string) ([]Change, error) {
	var out []Change
	err := s.view(func(tx *bolt.Tx) error {
		out = history(tx, subject, s.skip)
		return nil
	})
	return out, err
}

// A change that cannot be decoded is left out and given to skip (when not nil).
func history(tx *bolt.Tx, subject string, skip func(bucket, k []byte, err error)) []Change {
	b := tx.Bucket(bktHistory)
	if b == nil {
		return nil
	}
	var out []Change
	c := b.Cursor()
	var prefix []byte
	if subject != "" {
		prefix = append([]byte(subjectKey(subject)), 0)
	}
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var ch Change
		if err := decodeJSON(v, &ch); err != nil {
			if skip != nil {
				skip(bktHistory, k, err)
			}
			continue
		}
		out = append(out, ch)
	}
	if subject == "" {
		slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	return out
}

// MemoryJSON is a record as `show --json`, `memory show --json` and the web's JSON give it:
// every key present, position "none" when none was taken.
type MemoryJSON struct {
	Position  string         `json:"position"`
	Priority  string         `json:"priority"`
	Owner     string         `json:"owner"`
	Next      *NextStep      `json:"next"`
	Notes     []NoteJSON     `json:"notes"`
	Documents []DocumentJSON `json:"documents"`
	Updated   time.Time      `json:"updated,omitzero"`
	// InheritedFrom names the earlier bill of the lineage whose record this is, when the bill
	// has none of its own ("44-1 C-26").
	InheritedFrom string   `json:"inherited_from,omitempty"`
	History       []Change `json:"history,omitempty"`
}

// NoteJSON is a note with its ID, the handle `memory retract` takes.
type NoteJSON struct {
	Note
	ID string `json:"id"`
}

// DocumentJSON is a document link with its ID, like NoteJSON.
type DocumentJSON struct {
	Document
	ID string `json:"id"`
}

// JSON is the record as MemoryJSON.
func (r Record) JSON() MemoryJSON {
	m := MemoryJSON{Position: firstNonEmpty(r.Position, PositionNone), Priority: r.Priority, Owner: r.Owner, Next: r.Next,
		Notes: []NoteJSON{}, Documents: []DocumentJSON{}, Updated: r.Updated}
	for _, n := range r.Notes {
		m.Notes = append(m.Notes, NoteJSON{Note: n, ID: n.ID()})
	}
	for _, d := range r.Documents {
		m.Documents = append(m.Documents, DocumentJSON{Document: d, ID: d.ID()})
	}
	return m
}

// BillMemory is a bill's record, or the one it inherits from the nearest earlier bill of its
// lineage when it has none of its own.
func (s *Store) BillMemory(session, number string) (MemoryJSON, error) {
	r, err := s.Record(BillSubject(session, number))
	if err != nil {
		return MemoryJSON{}, err
	}
	if r.Empty() {
		link, rec, ok, err := s.Inherited(session, number)
		if err != nil {
			return MemoryJSON{}, err
		}
		if ok {
			m := rec.JSON()
			m.InheritedFrom = link.Key()
			return m, nil
		}
	}
	return r.JSON(), nil
}
