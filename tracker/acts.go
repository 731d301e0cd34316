package tracker

import (
	"bytes"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StoredAct is what the store knows of one consolidated Act: its identity, the validators
// of its last fetch (for a conditional re-read) and when it was last checked.
type StoredAct struct {
	Code         string    `json:"code"`
	Title        string    `json:"title,omitempty"`
	Chapter      string    `json:"chapter,omitempty"`
	URL          string    `json:"url,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Checked      time.Time `json:"checked"`
	Versions     int       `json:"versions"`
}

// Acts live in the existing buckets: their payloads as versions of the document
// "act/CODE", their records in the meta bucket under the same key, so that no schema
// change is needed.
func actDoc(code string) string { return "act/" + code }

// PutAct stores a consolidated Act's XML as its next version unless it equals the latest,
// and records the fetch. It reports whether a version was added.
func (s *Store) PutAct(rec StoredAct, payload []byte, now time.Time) (Version, bool, error) {
	var v Version
	var added bool
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if payload != nil {
			v, added, err = addVersion(tx, actDoc(rec.Code), payload, rec.URL, "consolidation", now)
			if err != nil {
				return err
			}
		}
		rec.Checked = now.UTC()
		rec.Versions = len(versions(tx, actDoc(rec.Code)))
		var old StoredAct
		found, err := getJSON(tx.Bucket(bktMeta), []byte(actDoc(rec.Code)), &old)
		if err != nil {
			return err
		}
		if found && payload == nil {
			// Not modified: keep what the last full fetch learnt.
			if rec.Title == "" {
				rec.Title, rec.Chapter = old.Title, old.Chapter
			}
			if rec.ETag == "" {
				rec.ETag, rec.LastModified = old.ETag, old.LastModified
			}
		}
		return putJSON(tx.Bucket(bktMeta), []byte(actDoc(rec.Code)), rec)
	})
	return v, added, err
}

// Act returns the latest stored XML of an Act; found is false when none is stored.
func (s *Store) Act(code string) (payload []byte, rec StoredAct, found bool, err error) {
	var v Version
	err = s.view(func(tx *bolt.Tx) error {
		var ok bool
		if v, ok = latestVersion(tx, actDoc(code)); !ok {
			return nil
		}
		found = true
		if _, err := getJSON(tx.Bucket(bktMeta), []byte(actDoc(code)), &rec); err != nil {
			return err
		}
		payload, err = getBlob(tx, v.Hash)
		return err
	})
	return payload, rec, found, err
}

// ActVersions lists the stored versions of an Act, oldest first.
func (s *Store) ActVersions(code string) ([]Version, error) { return s.Versions(actDoc(code)) }

// StoredActs lists the Acts the store holds, by code.
func (s *Store) StoredActs() ([]StoredAct, error) {
	var out []StoredAct
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktMeta).Cursor()
		prefix := []byte("act/")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var rec StoredAct
			if err := decodeJSON(v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b StoredAct) int { return compareStrings(a.Code, b.Code) })
	return out, err
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

const actIndexDoc = "act-index"

// PutActIndex stores the index of Acts (Legis.xml) as its next version unless unchanged.
func (s *Store) PutActIndex(payload []byte, url string, now time.Time) (bool, error) {
	var added bool
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		_, added, err = addVersion(tx, actIndexDoc, payload, url, "index", now)
		return err
	})
	return added, err
}

// ActIndex returns the latest stored index of Acts; found is false when none is stored.
func (s *Store) ActIndex() (payload []byte, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		v, ok := latestVersion(tx, actIndexDoc)
		if !ok {
			return nil
		}
		found = true
		payload, err = getBlob(tx, v.Hash)
		return err
	})
	return payload, found, err
}
