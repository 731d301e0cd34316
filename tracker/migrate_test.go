package tracker

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// movedBuckets are the buckets whose every key schema 3 prefixes with the jurisdiction.
var movedBuckets = [][]byte{bktBills, bktHearings, bktRegulations, bktVersions, bktMemory, bktHistory, bktLineage, bktLinks}

// schema2File writes, with bbolt alone, a database as billwatch wrote it at schema 2: the
// keys without a jurisdiction, every bucket holding what a season of passes leaves.
func schema2File(t *testing.T) (path string, texts map[string]string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "schema2.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 10, 3, 14, 55, 4, 0, time.UTC)
	texts = map[string]string{
		"record": `<Bill><Id>13569001</Id><NumberCode>C-8</NumberCode></Bill>`,
		"text":   `<Bill><Body><Section><Label>1</Label><Text>This Act may be cited as the Critical Cyber Systems Protection Act.</Text></Section></Body></Bill>`,
		"act":    `<Statute><Identification><Chapter>R.S.C., 1985, c. C-46</Chapter></Identification></Statute>`,
	}
	hashes := map[string]string{}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		for name, body := range texts {
			h, err := putBlob(tx, []byte(body))
			if err != nil {
				return err
			}
			hashes[name] = h
		}
		put := func(bucket []byte, key, value string) {
			if err == nil {
				err = tx.Bucket(bucket).Put([]byte(key), []byte(value))
			}
		}
		meta := tx.Bucket(bktMeta)
		put(bktMeta, "schema", "2")
		put(bktMeta, "act/C-46", `{"code":"C-46","title":"Criminal Code","url":"https://laws-lois.justice.gc.ca/eng/XML/C-46.xml","hash":"`+hashes["act"]+`","fetched":"2026-10-01T12:00:00Z","checked":"2026-10-01T12:00:00Z","versions":1}`)
		put(bktMeta, "act-index-meta", `{"code":"","url":"https://laws-lois.justice.gc.ca/eng/XML/Legis.xml","checked":"2026-10-01T12:00:00Z","versions":0}`)
		_ = meta
		// Versions: a bill record and text, a notice, a Gazette item, an Act.
		vers := tx.Bucket(bktVersions)
		for i, v := range []struct{ doc, hash, url, label string }{
			{"bill/45-1/C-8/record", hashes["record"], "https://www.parl.ca/legisinfo/en/bill/45-1/c-8", "record"},
			{"bill/45-1/C-8/text/13569583", hashes["text"], "https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_1/C-8_1.xml", "first-reading"},
			{"hearing/House of Commons SECU 45-1 9", hashes["record"], "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-9/notice", "scheduled"},
			{"regulation/I 2026-06-20-reg2", hashes["record"], "https://gazette.gc.ca/rp-pr/p1/2026/2026-06-20/html/reg2-eng.html", "item"},
			{"act/C-46", hashes["act"], "https://laws-lois.justice.gc.ca/eng/XML/C-46.xml", "consolidation"},
		} {
			if err == nil {
				err = putJSON(vers, versionKey(v.doc, uint64(i+1)), Version{Seq: uint64(i + 1), Hash: v.hash, URL: v.url, Fetched: at, Label: v.label})
			}
		}
		if err == nil {
			err = vers.SetSequence(5)
		}
		put(bktBills, "45-1 C-8", `{"bill":{"session":"45-1","number":"C-8","id":13569001,"title":"An Act respecting cyber security, amending the Telecommunications Act","short_title":"","status":"At consideration in committee in the House of Commons","sponsor":"Hon. Gary Anandasangaree","chamber":"House of Commons","relevant":true,"reasons":["keyword: cyber security"],"url":"https://www.parl.ca/legisinfo/en/bill/45-1/c-8","stages":[{"chamber":"House of Commons","name":"Consideration in committee","state":"In progress","committee":"SECU","date":"2025-10-03"}],"meetings":[{"chamber":"Senate","committee":"SECD","number":12,"date":"2026-11-30"}]},"detailed":true,"publications":[{"id":"13569583","type":"first-reading","name":"First Reading","type_id":80701}],"list_activity":"2025-10-03T14:55:04Z","record_hash":"`+hashes["record"]+`","texts":{"13569583":{"hash":"`+hashes["text"]+`","url":"https://www.parl.ca/Content/Bills/451/Government/C-8/C-8_1/C-8_1.xml","fetched":"2026-10-03T14:55:04Z"}}}`)
		put(bktBills, "44-1 C-26", `{"bill":{"session":"44-1","number":"C-26","title":"An Act respecting cyber security","short_title":"","status":"Bill not proceeded with","relevant":true,"reasons":["keyword: cyber security"],"url":"https://www.parl.ca/legisinfo/en/bill/44-1/c-26"},"detailed":false}`)
		put(bktHearings, "House of Commons SECU 45-1 9", `{"hearing":{"chamber":"House of Commons","committee":"SECU","session":"45-1","number":9,"start":"2026-12-02T15:30:00Z","in_camera":false,"notice_amended":false,"status":"scheduled","studies":["Bill C-8"],"bills":["C-8"],"url":"https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-9/notice"},"relevant":true,"reasons":["bill C-8"],"watched":true}`)
		put(bktHearings, "Senate SECD 45-1 12", `{"hearing":{"chamber":"Senate","committee":"SECD","session":"45-1","number":12,"start":"2026-11-30T05:00:00Z","in_camera":false,"notice_amended":false,"status":"scheduled","studies":[],"bills":["C-8"],"url":"https://sencanada.ca/en/committees/secd/"},"relevant":true,"reasons":["bill C-8"],"watched":true,"from_legisinfo":true}`)
		put(bktRegulations, "I 2026-06-20-reg2", `{"regulation":{"part":"I","id":"2026-06-20-reg2","title":"Regulations Amending the Critical Cyber Systems Regulations","department":"Department of Public Safety","published":"2026-06-20","comment_days":30,"comment_deadline":"2026-07-20","registration":null,"relevant":true,"reasons":["keyword: cyber security"],"url":"https://gazette.gc.ca/rp-pr/p1/2026/2026-06-20/html/reg2-eng.html"}}`)
		put(bktMemory, "bill 45-1 C-8", `{"subject":"bill 45-1 C-8","position":"amend","priority":"high","owner":"lea","notes":[{"text":"Brief sent to SECU","by":"lea","at":"2026-10-10T12:00:00Z"}],"updated":"2026-10-10T12:00:00Z"}`)
		if err == nil {
			err = putJSON(tx.Bucket(bktHistory), append(append([]byte("bill 45-1 C-8"), 0), be(1)...), Change{Seq: 1, Subject: "bill 45-1 C-8", Field: "position", After: "amend", By: "lea", At: at})
		}
		if err == nil {
			err = putJSON(tx.Bucket(bktHistory), append(append([]byte(watchSubject), 0), be(2)...), Change{Seq: 2, Subject: watchSubject, Field: "watch", After: "keyword cyber security", By: "lea", At: at})
		}
		if err == nil {
			err = tx.Bucket(bktHistory).SetSequence(2)
		}
		put(bktWatch, "keyword\x00cyber security", `{"kind":"keyword","value":"cyber security","by":"lea","at":"2026-10-03T14:55:04Z"}`)
		if err == nil {
			err = tx.Bucket(bktLineage).Put([]byte("45-1 C-8"), Signature{Bill: "45-1 C-8", Hash: hashes["text"], Provisions: 1}.encode())
		}
		put(bktLinks, "45-1 C-8", `[{"session":"44-1","number":"C-26","relation":"reintroduces","carried":14,"amended":3,"of":19}]`)
		put(bktLinks, "44-1 C-26", `[{"session":"45-1","number":"C-8","relation":"reintroduces","carried":14,"amended":3,"of":19,"later":true}]`)
		// A sent alert, its id, its Slack thread and the source's health.
		put(bktAlerts, string(be(1)), `{"id":"5e357c37ab0904df","kind":"bill.stage","severity":"action","audience":"lobbying","subject":"45-1 C-8","why":"referred to SECU","text":"C-8 was referred to SECU.","created":"2026-10-03T15:00:00Z","thread":"45-1 C-8","deliveries":[{"sink":"slack","channel":"#lobbying","state":"sent","attempts":1,"ts":"1759503600.000100"}]}`)
		put(bktAlertIDs, "5e357c37ab0904df", string(be(1)))
		if err == nil {
			err = tx.Bucket(bktAlerts).SetSequence(1)
		}
		put(bktThreads, "slack\x00#lobbying\x0045-1 C-8", "1759503600.000100")
		put(bktHealth, "bills", `{"failures":0,"unhealthy":false,"episode":0}`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return path, texts
}

// bucketKeys lists every key of every bucket, as "bucket key".
func bucketKeys(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	_ = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, _ []byte) error {
				out[string(name)] = append(out[string(name)], string(k))
				return nil
			})
		})
	})
	return out
}

// TestMigrateSchema2 opens a schema 2 database for writing: every record is then found under
// its key with the jurisdiction, and nothing is lost.
func TestMigrateSchema2(t *testing.T) {
	t.Parallel()
	path, texts := schema2File(t)
	before := bucketKeys(t, path)

	// Until a write migrates it, a read is refused, saying how to migrate; check says it is
	// sound and what the next write does.
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.Bills(""); !errors.Is(err, ErrOldSchema) || !strings.Contains(err.Error(), "schema version 2") || !strings.Contains(err.Error(), "billwatch scrape") {
		t.Errorf("Bills() on schema 2 = %v, want a refusal saying how to migrate", err)
	}
	r, err := ro.Verify()
	if err != nil || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "schema version 2: the next write migrates it to 3") }) {
		t.Errorf("Verify() on schema 2 = %v, notes %q; want sound, migrated on next write", err, r.Notes)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(schema 2) = %v, want a migration", err)
	}
	after := bucketKeys(t, path)
	if got := after["meta"]; !slices.Contains(got, "schema") {
		t.Fatalf("meta keys after migration = %q", got)
	}
	if r, err := s.Verify(); err != nil || r.Schema != "3" || len(r.Notes) != 0 {
		t.Errorf("Verify() after migration = schema %q, notes %q, %v; want schema 3, no notes", r.Schema, r.Notes, err)
	}
	// Nothing lost, nothing added: the same keys, the moved ones with "ca/" first.
	for name, keys := range before {
		want := slices.Clone(keys)
		moved := slices.ContainsFunc(movedBuckets, func(b []byte) bool { return string(b) == name })
		for i, k := range want {
			if moved || name == "meta" && (strings.HasPrefix(k, "act/") || k == "act-index-meta") {
				want[i] = "ca/" + k
			}
		}
		slices.Sort(want)
		got := slices.Clone(after[name])
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("bucket %s keys after migration = %q, want %q", name, got, want)
		}
	}

	// Everything is reachable through the store.
	b, ok, err := s.Bill("45-1", "C-8")
	if err != nil || !ok || b.Title != "An Act respecting cyber security, amending the Telecommunications Act" || b.Jurisdiction != billwatch.Canada ||
		len(b.Versions) != 1 || !b.Versions[0].Fetched || len(b.Stages) != 1 || len(b.Meetings) != 1 {
		t.Fatalf("Bill(45-1, C-8) after migration = %+v, %v, %v", b, ok, err)
	}
	if vs, err := s.BillTextVersions(b.Bill, "13569583"); err != nil || len(vs) != 1 {
		t.Errorf("text versions = %v, %v; want 1", vs, err)
	} else if body, err := s.Payload(vs[0].Hash); err != nil || string(body) != texts["text"] {
		t.Errorf("text payload = %q, %v", body, err)
	}
	if vs, err := s.Versions(billDoc(b.Bill) + "/record"); err != nil || len(vs) != 1 || vs[0].Label != "record" {
		t.Errorf("record versions = %v, %v; want 1", vs, err)
	}
	if bills, err := s.Bills(""); err != nil || len(bills) != 2 {
		t.Errorf("Bills() = %d, %v; want 2", len(bills), err)
	}
	hs, err := s.Hearings()
	if err != nil || len(hs) != 2 {
		t.Fatalf("Hearings() = %v, %v; want 2", hs, err)
	}
	for _, h := range hs {
		if h.Jurisdiction != billwatch.Canada || h.FromBillRecord != (h.Chamber == billwatch.Senate) {
			t.Errorf("hearing %s: jurisdiction %q, from the bill record %v", h.Key(), h.Jurisdiction, h.FromBillRecord)
		}
		if h.Chamber == billwatch.House {
			if vs, err := s.HearingVersions(h.Hearing); err != nil || len(vs) != 1 {
				t.Errorf("hearing versions = %v, %v; want 1", vs, err)
			}
		}
	}
	regs, err := s.Regulations()
	if err != nil || len(regs) != 1 || regs[0].Jurisdiction != billwatch.Canada {
		t.Fatalf("Regulations() = %+v, %v", regs, err)
	}
	if vs, err := s.Versions(regulationDoc(regs[0])); err != nil || len(vs) != 1 {
		t.Errorf("regulation versions = %v, %v; want 1", vs, err)
	}
	if rec, err := s.Record(BillSubject("45-1", "C-8")); err != nil || rec.Position != "amend" || len(rec.Notes) != 1 {
		t.Errorf("Record(bill 45-1 C-8) = %+v, %v", rec, err)
	}
	if hist, err := s.History(BillSubject("45-1", "C-8")); err != nil || len(hist) != 1 || hist[0].After != "amend" {
		t.Errorf("History(bill 45-1 C-8) = %+v, %v", hist, err)
	}
	if hist, err := s.History(""); err != nil || len(hist) != 2 {
		t.Errorf("History() = %d changes, %v; want 2", len(hist), err)
	}
	if w, err := s.WatchList(); err != nil || len(w) != 1 {
		t.Errorf("WatchList() = %v, %v", w, err)
	}
	if l, err := s.Lineage("45-1", "C-8"); err != nil || len(l) != 1 || l[0].Key() != "44-1 C-26" {
		t.Errorf("Lineage(45-1 C-8) = %+v, %v", l, err)
	}
	if link, rec, ok, err := s.Inherited("45-1", "C-8"); err != nil || ok {
		t.Errorf("Inherited(45-1 C-8) = %+v, %+v, %v, %v; want none (C-8 has its own record)", link, rec, ok, err)
	}
	if ix, err := s.LoadIndex(); err != nil || ix.Len() != 1 || ix.sigs[0].Bill != "45-1 C-8" {
		t.Errorf("LoadIndex() = %v, %v", ix, err)
	}
	if acts, err := s.StoredActs(); err != nil || len(acts) != 1 || acts[0].Code != "C-46" {
		t.Errorf("StoredActs() = %+v, %v", acts, err)
	}
	if vs, err := s.ActVersions("C-46"); err != nil || len(vs) != 1 {
		t.Errorf("ActVersions(C-46) = %v, %v", vs, err)
	}
	ex, err := s.ExportMemory()
	if err != nil || len(ex.Records) != 1 || len(ex.History) != 2 || len(ex.Lineage["45-1 C-8"]) != 1 {
		t.Errorf("ExportMemory() = %+v, %v; want the lineage under the bill's key, without the jurisdiction", ex, err)
	}
	alerts, err := s.Alerts(0)
	if err != nil || len(alerts) != 1 || alerts[0].ID != "5e357c37ab0904df" || alerts[0].Subject != "45-1 C-8" {
		t.Errorf("Alerts() = %+v, %v; want the sent alert, unchanged", alerts, err)
	}

	// A second write-open finds schema 3 and writes nothing.
	fi, _ := os.Stat(path)
	data, _ := os.ReadFile(path)
	if _, err := Open(path); err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(path); !bytes.Equal(data, data2) {
		t.Errorf("a second Open of a migrated file changed it (%d bytes before)", fi.Size())
	}
}

// downgrade rewrites a database as schema 2 wrote it: every key without its jurisdiction.
func downgrade(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range append(slices.Clone(movedBuckets), bktMeta) {
			b := tx.Bucket(name)
			var keys [][]byte
			_ = b.ForEach(func(k, _ []byte) error {
				if bytes.HasPrefix(k, []byte("ca/")) {
					keys = append(keys, bytes.Clone(k))
				}
				return nil
			})
			if len(keys) == 0 && !bytes.Equal(name, bktMeta) {
				continue
			}
			for _, k := range keys {
				v := bytes.Clone(b.Get(k))
				if err := b.Delete(k); err != nil {
					return err
				}
				if err := b.Put(k[len("ca/"):], v); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bktMeta).Put([]byte("schema"), []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigratedDatabaseSendsNothingAgain: alerts raised and sent at schema 2, the file
// migrated, and an unchanged pass then raises and sends nothing. Alert ids are hashed from
// the contract's subject ("45-1 C-22"), which the jurisdiction does not change.
func TestMigratedDatabaseSendsNothingAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	if s := h.tr.ScrapeBills(ctx, "45-1"); s.Outcome != OK || !s.Baseline {
		t.Fatalf("baseline = %s", s.Line())
	}
	h.now = day(23)
	c22 := h.bills.list[0]
	c22.Status, c22.Phase, c22.LatestActivityAt = "At consideration in committee in the House of Commons", billwatch.PhaseCommittee, day(20)
	rec := h.bills.records["C-22"]
	rec.Status, rec.Phase = c22.Status, c22.Phase
	rec.Stages = append(rec.Stages, billwatch.Stage{Chamber: billwatch.House, Name: "Consideration in committee", State: "In progress", Committee: "SECU"})
	rec.Publications = append(rec.Publications, billwatch.Publication{ID: "101", Type: billwatch.AmendedByCommittee, Name: "As amended by committee"})
	h.bills.records["C-22"], h.bills.list[0] = rec, c22
	h.texts.texts["101"] = "amended text"
	if s := h.tr.ScrapeBills(ctx, "45-1"); len(s.Alerts) != 2 {
		t.Fatalf("second pass = %s, want 2 alerts", s.Line())
	}
	if _, err := h.tr.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	sent := len(h.sink.sent)
	if sent != 2 {
		t.Fatalf("sent %d alerts, want 2", sent)
	}
	if _, err := h.tr.Store.AddNote(BillSubject("45-1", "C-22"), "ask to appear", "lea", h.now); err != nil {
		t.Fatal(err)
	}
	bills, _ := h.tr.Store.Bills("")
	alerts, _ := h.tr.Store.Alerts(0)

	downgrade(t, h.tr.Store.Path())
	if keys := bucketKeys(t, h.tr.Store.Path())["bills"]; !slices.Contains(keys, "45-1 C-22") {
		t.Fatalf("downgraded bills keys = %q, want schema 2's", keys)
	}
	s, err := Open(h.tr.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	h.tr.Store = s
	if keys := bucketKeys(t, s.Path())["bills"]; !slices.Contains(keys, "ca/45-1 C-22") {
		t.Fatalf("migrated bills keys = %q", keys)
	}
	h.now = day(23).Add(time.Hour) // within the week: no text is due for its weekly check
	sum := h.tr.ScrapeBills(ctx, "45-1")
	if sum.Outcome != OK || sum.Baseline || len(sum.Alerts) != 0 || sum.Changed != 0 {
		t.Errorf("unchanged pass after the migration = %s, want no change and no alert", sum.Line())
	}
	if _, err := h.tr.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if len(h.sink.sent) != sent {
		t.Errorf("sent %d alerts after the migration, want none: %v", len(h.sink.sent)-sent, h.kinds(h.sink.sent[sent:]))
	}
	bills2, _ := s.Bills("")
	alerts2, _ := s.Alerts(0)
	if fmt.Sprint(bills2) != fmt.Sprint(bills) || len(alerts2) != len(alerts) {
		t.Errorf("after the migration: %d bills, %d alerts; want the %d and %d before", len(bills2), len(alerts2), len(bills), len(alerts))
	}
	if r, err := s.Record(BillSubject("45-1", "C-22")); err != nil || len(r.Notes) != 1 {
		t.Errorf("record after the migration = %+v, %v", r, err)
	}
}
