package tracker

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSetRecordStaleRevision: an edit made on a revision someone else has since changed is
// refused with the changes made since, and writes nothing; a note added meanwhile does not
// make the edit stale.
func TestSetRecordStaleRevision(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	subj := BillSubject("45-1", "C-14")
	h, _ := s.History(subj)
	seen := Revision(h) // editor A loads the empty form
	if seen != 0 {
		t.Fatalf("revision of an empty record = %d, want 0", seen)
	}
	// Editor B sets the record.
	if _, err := s.SetRecord(subj, Edit{Position: ptr("oppose"), Owner: ptr("sam"), Priority: ptr("high"), Next: &NextStep{Text: "call the clerk", Due: "2026-12-01"}}, "sam", t0); err != nil {
		t.Fatal(err)
	}
	// Editor A submits the form loaded earlier, with other fields empty.
	empty := ""
	_, err := s.SetRecord(subj, Edit{Position: ptr("monitor"), Owner: &empty, Priority: &empty, Next: &NextStep{}, Rev: &seen}, "lea", t0.Add(time.Minute))
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) {
		t.Fatalf("stale edit = %v, want a ConflictError", err)
	}
	if len(ce.Since) != 4 || ce.Since[0].By != "sam" || ce.Rev != 4 {
		t.Errorf("conflict = %+v, want sam's four changes and revision 4", ce)
	}
	r, _ := s.Record(subj)
	if r.Owner != "sam" || r.Priority != "high" || r.Next == nil || r.Position != "oppose" {
		t.Errorf("after a refused stale edit the record is %+v, want sam's", r)
	}
	// A note added since does not make an edit on revision 4 stale.
	if _, err := s.AddNote(subj, "met the clerk", "sam", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	rev := ce.Rev
	if r, err = s.SetRecord(subj, Edit{Position: ptr("amend"), Rev: &rev}, "lea", t0.Add(3*time.Minute)); err != nil || r.Position != "amend" || r.Owner != "sam" {
		t.Errorf("edit on the current revision = %+v, %v", r, err)
	}
	// A revision from the future (another database's form) is stale too.
	future := uint64(99)
	if _, err := s.SetRecord(subj, Edit{Position: ptr("support"), Rev: &future}, "lea", t0); !errors.Is(err, ErrConflict) {
		t.Errorf("edit on revision 99 = %v, want a conflict", err)
	}
}

// TestRetract: a note or document retracted leaves the record and the export's records; the
// history keeps who retracted what, when; export → import keeps it all.
func TestRetract(t *testing.T) {
	t.Parallel()
	a := New(MustOpen(t), DefaultProfile(), nil)
	subj := BillSubject("45-1", "C-8")
	if _, err := a.Store.AddNote(subj, "wrong bill, sorry", "lea", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddNote(subj, "met the minister's staff", "lea", t0); err != nil {
		t.Fatal(err)
	}
	r, err := a.Store.AddDocument(subj, Document{Title: "draft brief", Date: "2026-11-20", URL: "https://example.org/draft.pdf"}, "lea", t0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Notes[0].ID() == r.Notes[1].ID() || !strings.HasPrefix(r.Notes[0].ID(), "n-") || !strings.HasPrefix(r.Documents[0].ID(), "d-") || len(r.Notes[0].ID()) != 12 {
		t.Fatalf("ids %s %s %s", r.Notes[0].ID(), r.Notes[1].ID(), r.Documents[0].ID())
	}
	later := t0.Add(time.Hour)
	if _, err := a.Store.Retract(subj, r.Notes[0].ID(), "sam", later); err != nil {
		t.Fatal(err)
	}
	r, err = a.Store.Retract(subj, r.Documents[0].ID(), "sam", later)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 1 || r.Notes[0].Text != "met the minister's staff" || len(r.Documents) != 0 {
		t.Errorf("record after retracting = %+v", r)
	}
	if _, err := a.Store.Retract(subj, "n-0000000000", "sam", later); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "n-0000000000") {
		t.Errorf("retracting an unknown note = %v, want bad input naming it", err)
	}
	if _, err := a.Store.Retract(subj, "12", "sam", later); !errors.Is(err, ErrBadInput) {
		t.Errorf("retracting %q = %v, want bad input", "12", err)
	}
	h, _ := a.Store.History(subj)
	var got []string
	for _, c := range h[3:] {
		got = append(got, c.By+" "+c.At.Format(time.RFC3339)+" "+c.Field+": "+c.Before+" → "+c.After)
	}
	want := []string{"sam 2026-11-20T16:04:05Z note: wrong bill, sorry → ", "sam 2026-11-20T16:04:05Z document: draft brief (2026-11-20) https://example.org/draft.pdf → "}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("history of the retractions (-want +got):\n%s", d)
	}
	ex, err := a.Store.ExportMemory()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(ex)
	if bytes.Contains(data, []byte(`"text":"wrong bill, sorry"`)) || !bytes.Contains(data, []byte(`"before":"wrong bill, sorry"`)) {
		t.Errorf("export: the retracted note is in the records, or its retraction is not in the history:\n%s", data)
	}
	b := New(MustOpen(t), DefaultProfile(), nil)
	read, err := ReadMemoryExport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.ImportMemory(read, false); err != nil {
		t.Fatal(err)
	}
	ex2, _ := b.Store.ExportMemory()
	if d := cmp.Diff(ex, ex2); d != "" {
		t.Errorf("export → import (-exported +imported):\n%s", d)
	}
}

// TestDocumentCredentials: a document URL with a user name or password is refused, without
// repeating the password; an export that holds one (linked before) still imports.
func TestDocumentCredentials(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	for _, u := range []string{"https://user:pw@example.org/x", "https://user@example.org/x", "ftp://user:pw@example.org/x"} {
		_, err := s.AddDocument(BillSubject("45-1", "C-8"), Document{Title: "brief", Date: "2026-11-20", URL: u}, "lea", t0)
		if !errors.Is(err, ErrBadInput) || strings.Contains(err.Error(), ":pw@") {
			t.Errorf("document URL %s = %v, want bad input without the password", u, err)
		}
	}
	if r, _ := s.Record(BillSubject("45-1", "C-8")); len(r.Documents) != 0 {
		t.Errorf("a document with credentials was stored: %+v", r.Documents)
	}
	doc := `{"schema":1,"records":[{"subject":"bill 45-1 C-8","documents":[{"title":"old","date":"2023-01-01","url":"https://u:p@example.org/x"}]}],"history":[],"watch":[],"lineage":{}}`
	if _, err := ReadMemoryExport(strings.NewReader(doc)); err != nil {
		t.Errorf("an export holding a document linked with credentials before they were refused: %v", err)
	}
}
