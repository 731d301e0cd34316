package tracker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// MemorySchema is the version of the memory export document this build writes and reads.
const MemorySchema = 1

// MemoryExport is the whole memory as one JSON document: `billwatch memory export`. It is the
// coalition's record outside billwatch: documented (README, "The coalition's memory"), versioned
// by Schema, and read back whole by `memory import`.
type MemoryExport struct {
	Schema  int                      `json:"schema"`
	Records []Record                 `json:"records"`
	History []Change                 `json:"history"`
	Watch   []WatchItem              `json:"watch"`
	Lineage map[string][]LineageLink `json:"lineage"`
}

// ExportMemory reads the whole memory in one consistent view. A record it cannot decode
// (memory, history, watch list or lineage) refuses the export with a DamagedError naming it:
// an export is the coalition's record, and must never be mistaken for the whole memory when
// it is not.
func (s *Store) ExportMemory() (MemoryExport, error) {
	ex := MemoryExport{Schema: MemorySchema, Records: []Record{}, History: []Change{}, Watch: []WatchItem{}, Lineage: map[string][]LineageLink{}}
	var bad []*recordError
	skip := func(bucket, k []byte, err error) {
		bad = append(bad, &recordError{bucket: bucket, key: bytes.Clone(k), err: err})
	}
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bktMemory); b != nil {
			_ = b.ForEach(func(k, v []byte) error {
				var r Record
				if err := decodeJSON(v, &r); err != nil {
					skip(bktMemory, k, err)
					return nil
				}
				ex.Records = append(ex.Records, r)
				return nil
			})
		}
		if h := history(tx, "", skip); h != nil {
			ex.History = h
		}
		if w := watchList(tx, skip); w != nil {
			ex.Watch = w
		}
		if b := tx.Bucket(bktLinks); b != nil {
			_ = b.ForEach(func(k, v []byte) error {
				var ls []LineageLink
				if err := decodeJSON(v, &ls); err != nil {
					skip(bktLinks, k, err)
					return nil
				}
				_, bill := splitStoreKey(k)
				ex.Lineage[bill] = ls
				return nil
			})
		}
		return nil
	})
	if err == nil {
		err = s.badRecordsError("a memory export", bad)
	}
	if err != nil {
		return MemoryExport{}, err
	}
	return ex, nil
}

// ReadMemoryExport decodes and checks an export document. An unknown schema version is refused
// by name before anything else is looked at.
func ReadMemoryExport(r io.Reader) (MemoryExport, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return MemoryExport{}, err
	}
	var head struct {
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return MemoryExport{}, bad("not a billwatch memory export: it is a JSON %s; want a JSON object with \"schema\" (what billwatch memory export writes)", te.Value)
		}
		return MemoryExport{}, bad("not a billwatch memory export (JSON: %v)", err)
	}
	if head.Schema == nil {
		return MemoryExport{}, bad("not a billwatch memory export: no \"schema\" key")
	}
	if s := strings.TrimSpace(string(head.Schema)); s != fmt.Sprint(MemorySchema) {
		return MemoryExport{}, bad("memory export schema %s is unknown (this billwatch reads schema %d)", s, MemorySchema)
	}
	var ex MemoryExport
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ex); err != nil {
		return MemoryExport{}, bad("memory export: %v", err)
	}
	for i, r := range ex.Records {
		if err := checkSubject(r.Subject); err != nil {
			return ex, fmt.Errorf("records[%d]: %w", i, err)
		}
		e := Edit{Position: &r.Position, Priority: &r.Priority, Owner: &r.Owner, Next: r.Next}
		if err := e.Validate(); err != nil {
			return ex, fmt.Errorf("records[%d] (%s): %w", i, r.Subject, err)
		}
		for j, d := range r.Documents {
			if err := checkDocument(d); err != nil {
				return ex, fmt.Errorf("records[%d] (%s) documents[%d]: %w", i, r.Subject, j, err)
			}
		}
		for j, n := range r.Notes {
			if err := checkText("note", n.Text, 10000); err != nil {
				return ex, fmt.Errorf("records[%d] (%s) notes[%d]: %w", i, r.Subject, j, err)
			}
		}
	}
	seen := map[uint64]bool{}
	for i, c := range ex.History {
		if c.Seq == 0 || seen[c.Seq] {
			return ex, bad("history[%d]: seq %d is missing or repeated", i, c.Seq)
		}
		seen[c.Seq] = true
		if c.Subject == "" || c.Field == "" {
			return ex, bad("history[%d]: subject and field are required", i)
		}
	}
	for i, w := range ex.Watch {
		v, err := NormalizeWatch(w.Kind, w.Value)
		if err != nil {
			return ex, fmt.Errorf("watch[%d]: %w", i, err)
		}
		ex.Watch[i].Value = v
	}
	return ex, nil
}

// ImportMemory replaces the memory with an export, in one transaction: it is written whole or
// not at all. Unless replace is set, a database that already holds a memory is refused.
// Relevance is recomputed for the imported watch list.
func (t *Tracker) ImportMemory(ex MemoryExport, replace bool) error {
	if ex.Schema != MemorySchema {
		return bad("memory export schema %d is unknown (this billwatch reads schema %d)", ex.Schema, MemorySchema)
	}
	return t.Store.update(func(tx *bolt.Tx) error {
		if !replace {
			for _, name := range [][]byte{bktMemory, bktHistory, bktWatch} {
				if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
					return bad("the database already holds a memory: import with --replace to replace it whole")
				}
			}
		}
		for _, name := range [][]byte{bktMemory, bktHistory, bktWatch, bktLinks} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		mem := tx.Bucket(bktMemory)
		for _, r := range ex.Records {
			if err := checkSubject(r.Subject); err != nil {
				return err
			}
			if err := putJSON(mem, []byte(subjectKey(r.Subject)), r); err != nil {
				return err
			}
		}
		hist := tx.Bucket(bktHistory)
		var last uint64
		for _, c := range ex.History {
			if err := putJSON(hist, historyKey(c.Subject, c.Seq), c); err != nil {
				return err
			}
			last = max(last, c.Seq)
		}
		if err := hist.SetSequence(last); err != nil {
			return err
		}
		w := tx.Bucket(bktWatch)
		for _, item := range ex.Watch {
			if err := putJSON(w, watchKey(item.Kind, item.Value), item); err != nil {
				return err
			}
		}
		links := tx.Bucket(bktLinks)
		keys := make([]string, 0, len(ex.Lineage))
		for k := range ex.Lineage {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := putJSON(links, lineageKey(k), ex.Lineage[k]); err != nil {
				return err
			}
		}
		_, _, err := recomputeRelevance(tx, t.Profile.With(watchList(tx, nil)))
		return err
	})
}
