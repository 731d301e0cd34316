package tracker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrLocked means that another billwatch process is writing to the database.
var ErrLocked = errors.New("another billwatch is writing to it")

// WriterLock is the lock every writing command (`run`, `scrape`, `backfill`, `compact`,
// `demo`) holds for as long as it may write. A pass reads its state in one transaction and
// writes it in another; two writers interleaving would let stored state go backwards, so a
// second writer is refused, while read commands go on reading. The lock is a file beside the database (PATH.lock) held
// with flock: the kernel releases it when its process ends, even after kill -9, and the file
// says who holds it.
//
// The lock file belongs to the database's owner: the service's user must be able to open it
// after anyone else took the lock. A writer running as root gives the lock file (new or left
// by an earlier root run) the database file's owner and group; it stays mode 0600.
type WriterLock struct {
	f    *os.File
	path string
}

// lockHolder is what the lock file says about its holder.
type lockHolder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

// LockWriter takes the writer lock of the database at dbPath for command (as the refusal
// names it: "scrape", "run"), from since. It never waits: when another process holds the lock,
// it returns an error wrapping ErrLocked that says in one line who holds it.
func LockWriter(dbPath, command string, since time.Time) (*WriterLock, error) {
	if fi, err := os.Stat(dbPath); err == nil && fi.IsDir() {
		return nil, (&Store{path: dbPath}).inspect() // says so, and leaves no lock file beside it
	}
	path := lockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if fi, serr := os.Stat(path); errors.Is(err, os.ErrPermission) && serr == nil {
			if uid, _, ok := fileOwner(fi); ok && uid != os.Geteuid() {
				return nil, fmt.Errorf("database %s: writer lock: %w (the lock file belongs to uid %d: give it to the database's owner, `chown --reference=%s %s`)", dbPath, err, uid, dbPath, path)
			}
		}
		return nil, fmt.Errorf("database %s: writer lock: %w", dbPath, err)
	}
	if runAsRoot() {
		if fi, err := os.Stat(dbPath); err == nil {
			if err := keepOwner(path, fi); err != nil {
				f.Close()
				return nil, fmt.Errorf("database %s: writer lock %s: %w", dbPath, path, err)
			}
		}
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("database %s: writer lock %s: %w", dbPath, path, err)
	}
	if !held {
		f.Close()
		return nil, fmt.Errorf("database %s: %w: %s (lock file %s)", dbPath, ErrLocked, describeHolder(path), path)
	}
	info, _ := json.Marshal(lockHolder{PID: os.Getpid(), Command: command, Since: since.UTC().Truncate(time.Second)})
	err = f.Truncate(0)
	if err == nil {
		_, err = f.WriteAt(append(info, '\n'), 0)
	}
	if err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("database %s: writer lock %s: %w", dbPath, path, err)
	}
	return &WriterLock{f: f, path: path}, nil
}

// lockPath is the lock file of the database at dbPath: beside the file itself, so that
// writers reaching one database through a symbolic link and by its own name take one lock.
func lockPath(dbPath string) string {
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	}
	return dbPath + ".lock"
}

// describeHolder reads who holds the lock: `billwatch run`, pid 4242, since 2026-11-23 10:00:00 UTC.
func describeHolder(path string) string {
	b, err := os.ReadFile(path)
	var h lockHolder
	if err != nil || json.Unmarshal(b, &h) != nil || h.PID == 0 {
		return "held by a process that has not said who it is yet"
	}
	return fmt.Sprintf("held by `billwatch %s`, pid %d, since %s", strings.Map(printable, h.Command), h.PID, h.Since.UTC().Format("2006-01-02 15:04:05 MST"))
}

// printable drops control characters from what a file says, before it reaches a terminal.
func printable(r rune) rune {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return -1
	}
	return r
}

// Release gives the lock up. The lock file stays: removing it would let a third process lock
// a new file while a second still waits on the old one.
func (l *WriterLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
