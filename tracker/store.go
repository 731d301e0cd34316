// Package tracker is billwatch's memory and judgement: the bbolt store, a pass (observe →
// compare → events → alerts), relevance, intervention rules, reminders, source health and the
// outbox drain. It imports no scraper and no sink: it declares the interfaces it consumes.
package tracker

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the database this build reads and writes. Version 2 added
// the coalition's memory (records, history, watch list, lineage, accounts); a version 1
// database is migrated on its first write-open (the new buckets are created, nothing moves).
const SchemaVersion = 2

// Bucket names.
var (
	bktMeta        = []byte("meta")
	bktBlobs       = []byte("blobs")       // sha256 hex → gzip(payload)
	bktVersions    = []byte("versions")    // doc \x00 BE seq → version JSON
	bktBills       = []byte("bills")       // "45-1 C-22" → billState JSON
	bktHearings    = []byte("hearings")    // hearing key → hearingState JSON
	bktRegulations = []byte("regulations") // regulation key → regulationState JSON
	bktAlerts      = []byte("alerts")      // BE seq → Alert JSON
	bktAlertIDs    = []byte("alert_ids")   // alert id → BE seq
	bktOutbox      = []byte("outbox")      // BE seq → "" while a delivery is pending
	bktThreads     = []byte("threads")     // sink \x00 channel \x00 thread → ref
	bktHealth      = []byte("health")      // source → Health JSON
	allBuckets     = [][]byte{bktMeta, bktBlobs, bktVersions, bktBills, bktHearings, bktRegulations, bktAlerts, bktAlertIDs, bktOutbox, bktThreads, bktHealth,
		bktMemory, bktHistory, bktWatch, bktLineage, bktLinks, bktUsers, bktSessions, bktSignin}
)

// ErrNoDatabase means a read command was pointed at a database that does not exist yet.
var ErrNoDatabase = errors.New("no database")

// ErrBusy means another process held the database for longer than the lock timeout.
var ErrBusy = errors.New("database is busy (another billwatch holds it)")

// Store is the bbolt database. It holds a path, not an open handle: each operation opens the
// file, runs one short transaction and closes it, so that read commands work while the daemon
// runs. No transaction is ever held across the network, a diff or a Slack call.
type Store struct {
	path    string
	timeout time.Duration
}

// Open checks (and on first use creates) the database at path, migrating or refusing an unknown
// schema.
func Open(path string) (*Store, error) {
	s := &Store{path: path, timeout: 5 * time.Second}
	// An existing, current database is only read: opening it must not cost a write.
	if _, err := os.Stat(path); err == nil {
		ready := false
		err := s.view(func(tx *bolt.Tx) error {
			ready = string(tx.Bucket(bktMeta).Get([]byte("schema"))) == fmt.Sprint(SchemaVersion)
			for _, b := range allBuckets {
				ready = ready && tx.Bucket(b) != nil
			}
			return nil
		})
		if err == nil && ready {
			return s, nil
		}
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	err := s.update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bktMeta)
		v := meta.Get([]byte("schema"))
		if v == nil {
			return meta.Put([]byte("schema"), []byte(fmt.Sprint(SchemaVersion)))
		}
		if string(v) != fmt.Sprint(SchemaVersion) {
			return migrate(meta, string(v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OpenReadOnly returns a store for reading an existing database; it never creates one.
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database %s: %w (run `billwatch scrape` first)", path, ErrNoDatabase)
		}
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return &Store{path: path, timeout: 5 * time.Second}, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) open(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: s.timeout, ReadOnly: readOnly})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("database %s: %w", s.path, ErrBusy)
		}
		return nil, fmt.Errorf("database %s: %w", s.path, err)
	}
	return db, nil
}

func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	db, err := s.open(true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bktMeta) == nil {
			return fmt.Errorf("database %s: not a billwatch database", s.path)
		}
		return fn(tx)
	}); err != nil {
		return err
	}
	return nil
}

// errNothingToWrite, returned by an update function, rolls its transaction back: a pass that
// changed nothing leaves the file untouched.
var errNothingToWrite = errors.New("nothing to write")

func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	db, err := s.open(false)
	if err != nil {
		return err
	}
	if err := db.Update(fn); err != nil && !errors.Is(err, errNothingToWrite) {
		db.Close()
		if errors.Is(err, ErrBadInput) {
			return err // the user's mistake, not the file's
		}
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("database %s: close: %w", s.path, err)
	}
	return nil
}

// Check runs bbolt's consistency check and reports the first problems found.
func (s *Store) Check() error {
	return s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
			if len(errs) == 5 {
				break
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("database %s failed its integrity check: %w", s.path, errors.Join(errs...))
		}
		return nil
	})
}

// Backup writes a consistent copy of the database to path while others may use it.
func (s *Store) Backup(path string) (int64, error) {
	tmp := path + ".tmp"
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		n, err = tx.WriteTo(f)
		if err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	return n, nil
}

// Compact rewrites the database without its free pages and returns the sizes before and after.
func (s *Store) Compact() (before, after int64, err error) {
	src, err := s.open(false)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	if fi, err := os.Stat(s.path); err == nil {
		before = fi.Size()
	}
	tmp := s.path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: s.timeout})
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	if err := bolt.Compact(dst, src, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	if fi, err := os.Stat(s.path); err == nil {
		after = fi.Size()
	}
	return before, after, nil
}

// Size is the database file's size in bytes.
func (s *Store) Size() int64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Hash is the content hash billwatch stores payloads under.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// putBlob stores a payload once under its hash.
func putBlob(tx *bolt.Tx, payload []byte) (string, error) {
	h := Hash(payload)
	b := tx.Bucket(bktBlobs)
	if b.Get([]byte(h)) != nil {
		return h, nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(payload); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return h, b.Put([]byte(h), buf.Bytes())
}

func getBlob(tx *bolt.Tx, hash string) ([]byte, error) {
	v := tx.Bucket(bktBlobs).Get([]byte(hash))
	if v == nil {
		return nil, fmt.Errorf("blob %s is missing", hash)
	}
	zr, err := gzip.NewReader(bytes.NewReader(v))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", hash, err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// Version is one stored payload of one document (a bill record, a bill text, a page).
type Version struct {
	Seq     uint64    `json:"seq"`
	Hash    string    `json:"hash"`
	Size    int       `json:"size"`
	URL     string    `json:"url,omitempty"`
	Fetched time.Time `json:"fetched"`
	Label   string    `json:"label,omitempty"`
}

func versionKey(doc string, seq uint64) []byte {
	k := make([]byte, 0, len(doc)+9)
	k = append(k, doc...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// addVersion stores payload as the next version of doc unless it equals the latest one. It
// reports whether a version was added.
func addVersion(tx *bolt.Tx, doc string, payload []byte, url, label string, now time.Time) (Version, bool, error) {
	latest, ok := latestVersion(tx, doc)
	h := Hash(payload)
	if ok && latest.Hash == h {
		return latest, false, nil
	}
	if _, err := putBlob(tx, payload); err != nil {
		return Version{}, false, err
	}
	b := tx.Bucket(bktVersions)
	seq, err := b.NextSequence()
	if err != nil {
		return Version{}, false, err
	}
	v := Version{Seq: seq, Hash: h, Size: len(payload), URL: url, Fetched: now.UTC(), Label: label}
	return v, true, putJSON(b, versionKey(doc, seq), v)
}

func latestVersion(tx *bolt.Tx, doc string) (Version, bool) {
	vs := versions(tx, doc)
	if len(vs) == 0 {
		return Version{}, false
	}
	return vs[len(vs)-1], true
}

func versions(tx *bolt.Tx, doc string) []Version {
	prefix := append([]byte(doc), 0)
	c := tx.Bucket(bktVersions).Cursor()
	var out []Version
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		var ver Version
		if json.Unmarshal(v, &ver) == nil {
			out = append(out, ver)
		}
	}
	return out
}

// Versions lists the stored versions of a document, oldest first.
func (s *Store) Versions(doc string) ([]Version, error) {
	var out []Version
	err := s.view(func(tx *bolt.Tx) error {
		out = versions(tx, doc)
		return nil
	})
	return out, err
}

// Payload returns the bytes of a stored version.
func (s *Store) Payload(hash string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = getBlob(tx, hash)
		return err
	})
	return out, err
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func be(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func decodeJSON(data []byte, v any) error { return json.Unmarshal(data, v) }

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }

// sameJSON compares stored states by their encoding: what would be written is what counts.
func sameJSON(a, b any) bool {
	ja, _ := jsonBytes(a)
	jb, _ := jsonBytes(b)
	return string(ja) == string(jb)
}
