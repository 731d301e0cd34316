package tracker

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

func ptr(s string) *string { return &s }

var t0 = time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)

func TestRecordHistory(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	subj := BillSubject("45-1", "C-8")
	if _, err := s.SetRecord(subj, Edit{Position: ptr("oppose"), Owner: ptr("Léa"), Next: &NextStep{Text: "brief to SECU", Due: "2026-12-04"}}, "lea", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRecord(subj, Edit{Position: ptr("amend")}, "sam", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The same value again writes nothing.
	if _, err := s.SetRecord(subj, Edit{Position: ptr("amend")}, "sam", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(subj, "<script>alert(1)</script> met the minister's staff", "lea", t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, err := s.AddDocument(subj, Document{Title: "brief", Date: "2023-03-01", URL: "https://example.org/brief.pdf"}, "lea", t0.Add(4*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Line(), "Our position: seek amendments · owner: Léa · brief of 2023-03-01 · next: brief to SECU (due 2026-12-04)"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	h, err := s.History(subj)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range h {
		got = append(got, c.By+" "+c.Field+": "+c.Before+" → "+c.After)
	}
	want := []string{
		"lea position:  → oppose", "lea owner:  → Léa", "lea next:  → brief to SECU (due 2026-12-04)",
		"sam position: oppose → amend",
		"lea note:  → <script>alert(1)</script> met the minister's staff",
		"lea document:  → brief (2023-03-01) https://example.org/brief.pdf",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("history (-want +got):\n%s", d)
	}
}

func TestRecordBadInput(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	subj := BillSubject("45-1", "C-8")
	for _, tc := range []struct {
		name string
		do   func() error
		want string
	}{
		{"position", func() error { _, err := s.SetRecord(subj, Edit{Position: ptr("hate")}, "x", t0); return err }, `position "hate"`},
		{"priority", func() error { _, err := s.SetRecord(subj, Edit{Priority: ptr("urgent")}, "x", t0); return err }, `priority "urgent"`},
		{"due", func() error {
			_, err := s.SetRecord(subj, Edit{Next: &NextStep{Text: "x", Due: "4 Dec"}}, "x", t0)
			return err
		}, `due date "4 Dec"`},
		{"url", func() error {
			_, err := s.AddDocument(subj, Document{Title: "b", Date: "2023-03-01", URL: "javascript:alert(1)"}, "x", t0)
			return err
		}, `document URL "javascript:alert(1)"`},
		{"note", func() error { _, err := s.AddNote(subj, "  ", "x", t0); return err }, "note is empty"},
		{"subject", func() error { _, err := s.AddNote("C-8", "x", "x", t0); return err }, `subject "C-8"`},
	} {
		err := tc.do()
		if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrBadInput naming %s", tc.name, err, tc.want)
		}
	}
	if recs, _ := s.Records(); len(recs) != 0 {
		t.Errorf("bad input stored %d records", len(recs))
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	v1 := [][]byte{bktMeta, bktBlobs, bktVersions, bktBills, bktHearings, bktRegulations, bktAlerts, bktAlertIDs, bktOutbox, bktThreads, bktHealth}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range v1 {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bktBills).Put([]byte("45-1 C-8"), []byte(`{"bill":{"session":"45-1","number":"C-8","title":"An Act respecting cyber security","relevant":true,"reasons":["keyword: cyber security"]}}`)); err != nil {
			return err
		}
		return tx.Bucket(bktMeta).Put([]byte("schema"), []byte("1"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	// A read-only view of the old file is refused, saying how to migrate it: its keys are
	// not the ones this build reads.
	ro, _ := OpenReadOnly(path)
	if recs, err := ro.Records(); !errors.Is(err, ErrOldSchema) || !strings.Contains(err.Error(), "schema version 1") || !strings.Contains(err.Error(), "billwatch scrape") {
		t.Fatalf("Records() on schema 1 = %v, %v; want a refusal saying how to migrate", recs, err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(schema 1) = %v, want a migration", err)
	}
	if _, err := s.AddNote(BillSubject("45-1", "C-8"), "kept", "lea", t0); err != nil {
		t.Fatal(err)
	}
	if b, ok, err := s.Bill("45-1", "C-8"); err != nil || !ok || b.Title != "An Act respecting cyber security" {
		t.Errorf("bill after migration = %+v, %v, %v", b.Bill, ok, err)
	}
	_ = s.view(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bktMeta).Get([]byte("schema"))); v != "3" {
			t.Errorf("schema after migration = %s, want 3", v)
		}
		return nil
	})
}

func TestWatchListRecomputesRelevance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	h.tr.ScrapeBills(t.Context(), "45-1")
	res, err := h.tr.WatchAdd("bill", "c-4", "lea")
	if err != nil || !res.Changed || res.Bills != 1 || res.Item.Value != "C-4" {
		t.Fatalf("WatchAdd(bill c-4) = %+v, %v; want C-4 added, 1 bill made relevant", res, err)
	}
	b, _, _ := h.tr.Store.Bill("45-1", "C-4")
	if !b.Relevant || !strings.Contains(strings.Join(b.Reasons, ","), "watch list") {
		t.Errorf("C-4 after watch add: relevant %v %v", b.Relevant, b.Reasons)
	}
	if res, _ := h.tr.WatchAdd("bill", "C-4", "lea"); res.Changed {
		t.Errorf("adding C-4 twice changed the list")
	}
	if _, err := h.tr.WatchAdd("colour", "blue", "lea"); !errors.Is(err, ErrBadInput) {
		t.Errorf("WatchAdd(colour) = %v, want ErrBadInput", err)
	}
	if _, err := h.tr.WatchRemove("keyword", "surveillance", "lea"); err == nil || !strings.Contains(err.Error(), "configuration file") {
		t.Errorf("removing a configured keyword = %v, want an error naming the configuration file", err)
	}
	if res, err := h.tr.WatchRemove("bill", "C-4", "sam"); err != nil || !res.Changed || res.Bills != 1 {
		t.Errorf("WatchRemove(C-4) = %+v, %v", res, err)
	}
	b, _, _ = h.tr.Store.Bill("45-1", "C-4")
	if b.Relevant {
		t.Errorf("C-4 still relevant after watch rm: %v", b.Reasons)
	}
	hist, _ := h.tr.Store.History("watch")
	if len(hist) != 2 || hist[0].After != "C-4" || hist[1].Before != "C-4" || hist[1].By != "sam" {
		t.Errorf("watch history = %+v", hist)
	}
	// The next pass uses the database's watch list without a restart.
	if _, err := h.tr.WatchAdd("keyword", "budget", "lea"); err != nil {
		t.Fatal(err)
	}
	h.now = day(24)
	h.tr.ScrapeBills(t.Context(), "45-1")
	b, _, _ = h.tr.Store.Bill("45-1", "C-4")
	if !b.Relevant {
		t.Errorf("C-4 not relevant after keyword budget was added and a pass ran")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	a := New(MustOpen(t), DefaultProfile(), nil)
	a.Now = func() time.Time { return t0 }
	subj := BillSubject("44-1", "C-26")
	must := func(_ Record, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.Store.SetRecord(subj, Edit{Position: ptr("oppose"), Priority: ptr("high"), Owner: ptr("Léa"), Next: &NextStep{Text: "brief", Due: "2026-12-04"}}, "lea", t0))
	must(a.Store.AddNote(subj, "a <b>note</b>", "lea", t0))
	must(a.Store.AddDocument(subj, Document{Title: "brief", Date: "2023-03-01", URL: "https://example.org/b"}, "lea", t0))
	must(a.Store.AddNote(RegulationSubject("I 2026-06-20-reg2"), "comment filed", "sam", t0))
	if _, err := a.WatchAdd("department", "Public Services and Procurement", "lea"); err != nil {
		t.Fatal(err)
	}
	ex, err := a.Store.ExportMemory()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(ex)

	b := New(MustOpen(t), DefaultProfile(), nil)
	read, err := ReadMemoryExport(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.ImportMemory(read, false); err != nil {
		t.Fatal(err)
	}
	ex2, err := b.Store.ExportMemory()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ex, ex2); d != "" {
		t.Errorf("memory after export → import (-exported +imported):\n%s", d)
	}
	// A second import into a database holding a memory is refused, and changes nothing.
	if err := b.ImportMemory(read, false); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Errorf("import over a memory = %v, want a refusal naming --replace", err)
	}
	// The history continues after the imported one.
	must(b.Store.AddNote(subj, "after import", "lea", t0))
	h, _ := b.Store.History("")
	if n := len(h); n < 2 || h[n-1].Seq <= h[n-2].Seq {
		t.Errorf("history after import: %+v", h)
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ doc, want string }{
		{`{"schema": 7, "records": []}`, "schema 7 is unknown"},
		{`{"schema": "v2"}`, `schema "v2" is unknown`},
		{`{"records": []}`, `no "schema"`},
		{`not json`, "not a billwatch memory export"},
		{`{"schema": 1, "records": [{"subject": "bill 45-1 C-8", "position": "hate"}]}`, `records[0] (bill 45-1 C-8): invalid input: position "hate"`},
		{`{"schema": 1, "records": [], "surprise": 1}`, `unknown field "surprise"`},
	} {
		_, err := ReadMemoryExport(strings.NewReader(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadMemoryExport(%s) = %v, want an error containing %q", tc.doc, err, tc.want)
		}
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	tr := New(MustOpen(t), DefaultProfile(), nil)
	if _, err := tr.Store.AddNote(BillSubject("45-1", "C-8"), "before", "lea", t0); err != nil {
		t.Fatal(err)
	}
	before, _ := tr.Store.ExportMemory()
	// A record whose subject cannot be a bbolt key fails half-way through the writes.
	ex := MemoryExport{Schema: MemorySchema, Records: []Record{{Subject: "bill 45-1 C-2", Position: "oppose"}, {Subject: ""}}}
	if err := tr.ImportMemory(ex, true); err == nil {
		t.Fatal("import of a record with an empty key succeeded")
	}
	after, _ := tr.Store.ExportMemory()
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("a failed import changed the memory (-before +after):\n%s", d)
	}
}

func TestNextStepReminder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	subj := BillSubject("45-1", "C-8")
	if _, err := h.tr.Store.SetRecord(subj, Edit{Position: ptr("oppose"), Owner: ptr("Léa"), Next: &NextStep{Text: "brief to SECU", Due: "2026-12-04"}}, "lea", t0); err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)
	if n, err := h.tr.NextStepReminders(t.Context()); err != nil || n != 0 {
		t.Fatalf("reminders three days early = %d, %v", n, err)
	}
	h.now = time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	if n, err := h.tr.NextStepReminders(t.Context()); err != nil || n != 1 {
		t.Fatalf("reminders the day before = %d, %v; want 1", n, err)
	}
	if n, _ := h.tr.NextStepReminders(t.Context()); n != 0 {
		t.Errorf("the reminder was queued twice")
	}
	alerts, _ := h.tr.Store.Alerts(0)
	a := alerts[0]
	if a.Severity != "urgent" || !strings.Contains(a.Text, "Our position: oppose · owner: Léa") || !strings.Contains(a.Text, "brief to SECU — due 2026-12-04") {
		t.Errorf("reminder = %s %q", a.Severity, a.Text)
	}
}
