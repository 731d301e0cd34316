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
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout of the database this build reads and writes. Version 2 added
// the coalition's memory (records, history, watch list, lineage, accounts); version 3 names
// the jurisdiction first in every key of what a legislature publishes (keys.go). An older
// database is migrated on its first write-open, in one transaction (schema.go); until then a
// read is refused with a message saying so, never answered from keys this build does not
// use.
const SchemaVersion = 3

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
//
// A damaged file is never written, nor read as if it were sound: the first access of a Store,
// and the first after another process wrote the file, verifies the whole file (see Check), and
// every access turns what a damaged file does to bbolt (a fault, an assertion) into a
// DamagedError.
type Store struct {
	path    string
	timeout time.Duration

	statusMu sync.Mutex // serialises this process's updates of the status file
	// statusFailed holds the sources whose last status write failed (guarded by statusMu):
	// such a source, once unhealthy, does not recover before its status is written again.
	statusFailed map[string]bool

	mu      sync.Mutex
	sound   *stamp // the file as this store last verified or wrote it
	records *stamp // the file as this store last found every record of decodable, or wrote it

	onSkip func(BadRecord) // see OnSkip
}

// stamp identifies one state of the file: which file, after which transaction.
type stamp struct {
	file os.FileInfo
	txid uint64
}

// same reports whether st is the file as it was when old was taken: the same file, the same
// last transaction, and not written since (its time and size: a stray write under a running
// process, which leaves the transaction id alone, must be verified again before a write).
func (st stamp) same(old *stamp) bool {
	return old != nil && old.file != nil && st.file != nil && os.SameFile(old.file, st.file) && old.txid == st.txid &&
		old.file.ModTime().Equal(st.file.ModTime()) && old.file.Size() == st.file.Size()
}

// Open checks (and on first use creates) the database at path, migrating or refusing an unknown
// schema.
func Open(path string) (*Store, error) {
	s := &Store{path: path, timeout: 5 * time.Second}
	if err := s.inspect(); err != nil {
		return nil, err
	}
	if err := writable(path); err != nil {
		return nil, err
	}
	// An existing, current database is only read: opening it must not cost a write.
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		ready := false
		err := s.viewAny(func(tx *bolt.Tx) error {
			ready = string(tx.Bucket(bktMeta).Get([]byte("schema"))) == fmt.Sprint(SchemaVersion)
			for _, b := range allBuckets {
				ready = ready && tx.Bucket(b) != nil
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if ready {
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
			return migrate(tx, string(v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OpenReadOnly returns a store for reading an existing database; it never creates one. An
// empty file is no database either: a read-only handle cannot initialise it, and a command
// that writes through a store opened here (compact) must not.
func OpenReadOnly(path string) (*Store, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database %s: %w (run `billwatch scrape` first)", path, ErrNoDatabase)
		}
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	s := &Store{path: path, timeout: 5 * time.Second}
	if fi.IsDir() {
		return nil, s.inspect()
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("database %s is empty: %w (run `billwatch scrape` first)", path, ErrNoDatabase)
	}
	return s, nil
}

// OpenExisting opens a database that must already exist, to write to it: a command that adds
// to what the sources built (the watch list, the memory, accounts) never creates a database,
// nor the directories of a mistyped path, nor takes over an empty file. The error wraps
// ErrNoDatabase and says how a database is made.
func OpenExisting(path string) (*Store, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, noDatabase(fmt.Sprintf("database %s does not exist: `billwatch scrape` (or `run`) creates it; --db or BILLWATCH_DB names another", path))
	case err != nil:
		return nil, fmt.Errorf("database %s: %w", path, err)
	case fi.IsDir():
		return nil, (&Store{path: path}).inspect()
	case fi.Size() == 0:
		return nil, noDatabase(fmt.Sprintf("database %s is an empty file, not a database: `billwatch scrape` (or `run`) builds one; --db or BILLWATCH_DB names another", path))
	}
	return Open(path)
}

// noDatabaseError is an error that says in its own words that there is no database; it
// matches ErrNoDatabase.
type noDatabaseError string

func noDatabase(msg string) error              { return noDatabaseError(msg) }
func (e noDatabaseError) Error() string        { return string(e) }
func (e noDatabaseError) Is(target error) bool { return target == ErrNoDatabase }

// writable checks that this process may write the database file at path, if it exists, so
// that a command finds out before its network pass rather than after.
func writable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("database %s cannot be written (%w): give this user write permission on it, or point --db at another", path, err)
	}
	return f.Close()
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func (s *Store) open(readOnly bool) (*bolt.DB, error) {
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: s.timeout, ReadOnly: readOnly})
	if err != nil {
		return nil, s.openError(err)
	}
	return db, nil
}

// withDB opens the file, makes sure that it is sound, runs fn and closes the file, all under
// guard.
func (s *Store) withDB(readOnly bool, fn func(db *bolt.DB) error) error {
	if err := s.inspect(); err != nil {
		return err
	}
	if fi, err := os.Stat(s.path); err == nil && fi.Size() == 0 && readOnly {
		// bbolt would initialise it, which a read-only handle cannot.
		return fmt.Errorf("database %s is empty: %w (run `billwatch scrape` first)", s.path, ErrNoDatabase)
	}
	if fi, err := os.Stat(s.path); err == nil && fi.Size() > 0 && !readOnly && !s.known() {
		// A read-write open reads the freelist at once, inside bbolt.Open, where a panic
		// would leave the file locked: verify the file read-only first.
		if err := s.withDB(true, func(*bolt.DB) error { return nil }); err != nil {
			return err
		}
	}
	var db *bolt.DB
	err := s.guard(func() error {
		var err error
		if db, err = s.open(readOnly); err != nil {
			return err
		}
		if err := s.ensureSound(db); err != nil {
			return err
		}
		if !readOnly {
			if err := s.ensureRecords(db); err != nil {
				return err
			}
		}
		return fn(db)
	})
	if db != nil {
		if cerr := closeDB(db); cerr != nil && err == nil {
			err = fmt.Errorf("database %s: close: %w", s.path, cerr)
		}
	}
	return err
}

// closeDB closes db, giving up after a while: after bbolt panicked inside a write
// transaction its locks may be left held, and the process is better off leaking the handle
// than hanging.
func closeDB(db *bolt.DB) error {
	done := make(chan error, 1)
	go func() { done <- db.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return errors.New("timed out")
	}
}

// ensureSound verifies the whole file before this store first reads or writes it, and again
// whenever another process (or a compaction) changed it since: what a store shows or writes
// comes from a sound file. It costs about a millisecond per megabyte, once.
func (s *Store) ensureSound(db *bolt.DB) error {
	st, err := s.stamp(db)
	if err != nil {
		return err
	}
	s.mu.Lock()
	ok := st.same(s.sound)
	s.mu.Unlock()
	if ok {
		return nil
	}
	problems, err := s.verify(db)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return s.damaged("%s", strings.Join(problems, "; "))
	}
	s.remember(st)
	return nil
}

// ensureRecords decodes every record before this store first writes the file, and again
// whenever another process changed it since: a record that cannot be decoded is damage, and a
// damaged file is not written (a pass that could not read what it stored would take an item
// for new and alert again, or write over what a restore needs). Reads skip such a record.
func (s *Store) ensureRecords(db *bolt.DB) error {
	st, err := s.stamp(db)
	if err != nil {
		return err
	}
	s.mu.Lock()
	ok := st.same(s.records)
	s.mu.Unlock()
	if ok {
		return nil
	}
	var bad []BadRecord
	var n int
	current := true
	if err := db.View(func(tx *bolt.Tx) error {
		// An older schema's records are read by its migration, inside the write.
		if meta := tx.Bucket(bktMeta); meta == nil || string(meta.Get([]byte("schema"))) != fmt.Sprint(SchemaVersion) {
			current = false
			return nil
		}
		bad, n = badRecords(tx)
		return nil
	}); err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	if n > 0 {
		return s.damaged("%s", recordsProblem(bad, n))
	}
	if !current {
		return nil
	}
	s.mu.Lock()
	s.records = &st
	s.mu.Unlock()
	return nil
}

// known reports whether this store has verified or written the file, as far as it knows.
func (s *Store) known() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sound != nil && s.sound.file != nil
}

func (s *Store) stamp(db *bolt.DB) (stamp, error) {
	var st stamp
	err := db.View(func(tx *bolt.Tx) error {
		st.txid = uint64(tx.ID())
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("database %s: %w", s.path, err)
	}
	if st.file, err = os.Stat(s.path); err != nil {
		return st, fmt.Errorf("database %s: %w", s.path, err)
	}
	return st, nil
}

func (s *Store) remember(st stamp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sound = &st
}

// ErrOldSchema means a read found a database of an earlier schema, which only a write
// migrates.
var ErrOldSchema = errors.New("older schema")

// view runs fn in a read transaction of a database of the current schema.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return s.viewAny(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bktMeta).Get([]byte("schema"))); v != fmt.Sprint(SchemaVersion) {
			if n, err := strconv.Atoi(v); err == nil && n >= 1 && n < SchemaVersion {
				return fmt.Errorf("database %s has schema version %s (%w): run `billwatch scrape` or `billwatch run` once to migrate it to %d", s.path, v, ErrOldSchema, SchemaVersion)
			}
			return fmt.Errorf("database %s has schema version %q; this billwatch reads version %d", s.path, v, SchemaVersion)
		}
		err := fn(tx)
		if re := (*recordError)(nil); errors.As(err, &re) {
			return s.damaged("%s; `billwatch check` lists every damaged record", re)
		}
		return err
	})
}

// viewAny runs fn in a read transaction of a billwatch database of any schema.
func (s *Store) viewAny(fn func(tx *bolt.Tx) error) error {
	return s.withDB(true, func(db *bolt.DB) error {
		return db.View(func(tx *bolt.Tx) error {
			if tx.Bucket(bktMeta) == nil {
				return fmt.Errorf("database %s: not a billwatch database", s.path)
			}
			return fn(tx)
		})
	})
}

// errNothingToWrite, returned by an update function, rolls its transaction back: a pass that
// changed nothing leaves the file untouched.
var errNothingToWrite = errors.New("nothing to write")

func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	return s.withDB(false, func(db *bolt.DB) error {
		if err := db.Update(fn); err != nil && !errors.Is(err, errNothingToWrite) {
			if errors.Is(err, ErrDamaged) || errors.Is(err, ErrBadInput) {
				return err // the file's verdict, or the user's mistake: already says what is wrong
			}
			return fmt.Errorf("database %s: %w", s.path, err)
		}
		// What this store wrote to a sound file is sound: the next write need not verify it.
		st, err := s.stamp(db)
		if err != nil {
			return err
		}
		s.remember(st)
		s.mu.Lock()
		s.records = &st
		s.mu.Unlock()
		return nil
	})
}

// Report is what Check found: the file's shape and what it holds.
type Report struct {
	Path     string
	Size     int64
	PageSize int
	Pages    int64  // pages in use (the high-water mark)
	TxID     uint64 // the last committed write transaction
	Schema   string
	Keys     map[string]int // entries per bucket
	Notes    []string       // oddities that are not damage
	// BadRecords are the records that cannot be decoded (at most 100; BadRecordCount counts
	// them all): damage inside sound pages.
	BadRecords     []BadRecord
	BadRecordCount int
}

// Check verifies the whole database (see Verify).
func (s *Store) Check() error {
	_, err := s.Verify()
	return err
}

// Verify checks the whole database: its meta pages and size, every page reachable from the
// root (inside the file, of the right type, referenced once), bbolt's own consistency check,
// and the schema. A damaged file gives a DamagedError; a sound one of another schema an error
// saying so. The report says what the file holds.
func (s *Store) Verify() (Report, error) {
	r := Report{Path: s.path, Keys: map[string]int{}}
	fi, err := os.Stat(s.path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return r, fmt.Errorf("database %s: %w", s.path, ErrNoDatabase)
		}
		return r, fmt.Errorf("database %s: %w", s.path, err)
	}
	r.Size = fi.Size()
	s.remember(stamp{}) // forget what was verified before: Check always reads the whole file
	err = s.withDB(true, func(db *bolt.DB) error {
		return db.View(func(tx *bolt.Tx) error {
			r.TxID, r.PageSize, r.Size = uint64(tx.ID()), tx.DB().Info().PageSize, tx.Size()
			r.Pages = r.Size / int64(r.PageSize)
			meta := tx.Bucket(bktMeta)
			if meta == nil {
				return fmt.Errorf("database %s is a bbolt file but not a billwatch database (no meta bucket)", s.path)
			}
			r.Schema = string(meta.Get([]byte("schema")))
			if r.Schema == "1" {
				r.Notes = append(r.Notes, fmt.Sprintf("schema version 1: the next write migrates it to %d (adds the coalition's memory, names the jurisdiction in every key); reads are refused until then", SchemaVersion))
			} else if r.Schema == "2" {
				r.Notes = append(r.Notes, fmt.Sprintf("schema version 2: the next write migrates it to %d (names the jurisdiction in every key); reads are refused until then", SchemaVersion))
			} else if r.Schema != fmt.Sprint(SchemaVersion) {
				return fmt.Errorf("database %s has schema version %q; this billwatch reads version %d", s.path, r.Schema, SchemaVersion)
			}
			var missing []string
			for _, name := range allBuckets {
				b := tx.Bucket(name)
				if b == nil {
					missing = append(missing, string(name))
					continue
				}
				r.Keys[string(name)] = b.Stats().KeyN
			}
			if len(missing) > 0 {
				r.Notes = append(r.Notes, fmt.Sprintf("buckets %s are missing; the next write creates them", strings.Join(missing, ", ")))
			}
			if r.Schema == fmt.Sprint(SchemaVersion) {
				r.BadRecords, r.BadRecordCount = badRecords(tx)
			}
			return nil
		})
	})
	if err != nil {
		return r, err
	}
	if r.BadRecordCount > 0 {
		return r, s.damaged("%s", recordsProblem(r.BadRecords, r.BadRecordCount))
	}
	if fi, err := os.Stat(s.path); err == nil {
		r.Size = fi.Size()
	}
	if f, err := os.Open(s.path); err == nil {
		if _, bad, _ := readMetas(f, r.Size); bad != nil {
			r.Notes = append(r.Notes, bad.Error()+" (a crash during a write leaves this; bbolt uses the other one and the next write repairs it)")
		}
		f.Close()
	}
	return r, nil
}

// Backup writes a consistent copy of the database to path while others may use it, after
// checking it (a damaged file is not backed up over a good copy), with the status file beside
// it (path.status.json). A path that is a symbolic link is written through: the copy replaces
// the file the link points to, and the link stays (see BackupTarget). A path that is the
// database itself, its status file or its lock file, or a directory, is refused before
// anything is written; on any failure the temporary file is removed.
func (s *Store) Backup(path string) (int64, error) {
	target, err := s.BackupTarget(path)
	if err != nil {
		return 0, err
	}
	tmp := target + ".tmp"
	var n int64
	err = s.withDB(true, func(db *bolt.DB) error {
		return db.View(func(tx *bolt.Tx) error {
			// A file holding records that cannot be decoded is damaged: not backed up over a
			// good copy either.
			if bad, n := badRecords(tx); n > 0 {
				return s.damaged("%s", recordsProblem(bad, n))
			}
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
	})
	if err != nil {
		os.Remove(tmp)
		if errors.Is(err, ErrDamaged) {
			return 0, err
		}
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := copyStatus(s.statusPath(), target+".status.json"); err != nil {
		return n, fmt.Errorf("backup to %s: status file: %w", path, err)
	}
	return n, nil
}

// BackupTarget is the file Backup(path) writes: path, or the file it links to. It refuses a
// directory, a link to nothing, and any path whose copy (or its status file, or their
// temporary files) would land on the database, its status file or its lock file, comparing
// the files themselves, not their names.
func (s *Store) BackupTarget(path string) (string, error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			return "", fmt.Errorf("backup to %s: it is a symbolic link to a file that cannot be reached (%w): give a file name", path, unwrapPath(err))
		}
		target = resolved
	}
	if fi, err := os.Stat(target); err == nil && fi.IsDir() {
		return "", fmt.Errorf("backup to %s: it is a directory: give a file name, e.g. %s", path, filepath.Join(path, "billwatch-backup.db"))
	}
	protected := []struct{ path, what string }{
		{s.path, "the database itself"},
		{s.statusPath(), "the database's status file"},
		{s.path + ".lock", "the database's writer lock file"},
		{lockPath(s.path), "the database's writer lock file"},
	}
	for _, w := range []string{target, target + ".tmp", target + ".status.json", target + ".status.json.tmp"} {
		for _, p := range protected {
			if sameFile(w, p.path) {
				return "", fmt.Errorf("backup to %s: that is %s (%s): give the copy another name", path, p.what, p.path)
			}
		}
	}
	return target, nil
}

// sameFile reports whether a and b name the same file: the same file on disk when both
// exist, else the same path once the links of their directories are resolved.
func sameFile(a, b string) bool {
	fa, erra := os.Stat(a)
	fb, errb := os.Stat(b)
	if erra == nil && errb == nil {
		return os.SameFile(fa, fb)
	}
	return resolvedPath(a) == resolvedPath(b)
}

// resolvedPath is path made absolute, its links resolved as far as they exist.
func resolvedPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		path = r
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		path = filepath.Join(dir, filepath.Base(path))
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// unwrapPath drops the operation and path an *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// copyStatus copies the status file, if there is one, atomically.
func copyStatus(from, to string) error {
	b, err := os.ReadFile(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	tmp := to + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, to); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Compact rewrites the database without its free pages and returns the sizes before and after.
// A damaged file is not compacted: the copy would carry the damage, or lose what it hides.
//
// A database reached through a symbolic link is compacted where it lies: the copy replaces
// the file the link points to, and the link stays a link (replacing the link with the copy
// would leave the real file stale, and the next command through the link writing elsewhere).
// The copy keeps the file's permissions, owner and group: a root compaction of a database
// the service's user owns must leave it that user's. A copy that cannot keep them (another
// user's file, compacted by someone who is not root) is not put in place.
func (s *Store) Compact() (before, after int64, err error) {
	real, err := filepath.EvalSymlinks(s.path)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	before = fi.Size()
	tmp := real + ".compact"
	err = s.withDB(false, func(src *bolt.DB) error {
		os.Remove(tmp)
		dst, err := bolt.Open(tmp, fi.Mode().Perm(), &bolt.Options{Timeout: s.timeout})
		if err != nil {
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil { // bbolt's mode passes through the umask
			dst.Close()
			os.Remove(tmp)
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		if err := keepOwner(tmp, fi); err != nil {
			dst.Close()
			os.Remove(tmp)
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		if err := bolt.Compact(dst, src, 64<<20); err != nil {
			dst.Close()
			os.Remove(tmp)
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		if err := dst.Close(); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		// The rename happens while src still holds the lock on the old file.
		if err := os.Rename(tmp, real); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("compact %s: %w", s.path, err)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
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
