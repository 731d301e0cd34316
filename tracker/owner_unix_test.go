//go:build unix

package tracker

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRootKeepsTheServiceUsersFiles: with the database owned by the service's user (nobody,
// mode 0600), a root compaction leaves the file that user's, and a root writer's lock file
// (new, or left root's by an older billwatch) is given to that user, who can then take it.
func TestRootKeepsTheServiceUsersFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: checks that files root rewrites stay the service user's")
	}
	t.Parallel()
	const uid, gid = 65534, 65534
	s := filledStore(t)
	db := s.Path()
	if err := os.Chmod(db, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(db, uid, gid); err != nil {
		t.Fatal(err)
	}
	owner := func(path string) (int, int, os.FileMode) {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		u, g, _ := fileOwner(fi)
		return u, g, fi.Mode().Perm()
	}
	// A lock file left root's by an older billwatch is given back.
	if err := os.WriteFile(db+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	lock, err := LockWriter(db, "compact", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if u, g, m := owner(db + ".lock"); u != uid || g != gid || m != 0o600 {
		t.Errorf("lock file after a root writer: uid %d gid %d mode %o; want %d %d 600", u, g, m, uid, gid)
	}
	if _, _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	lock.Release()
	if u, g, m := owner(db); u != uid || g != gid || m != 0o600 {
		t.Errorf("database after a root compact: uid %d gid %d mode %o; want %d %d 600", u, g, m, uid, gid)
	}
	if _, err := s.Verify(); err != nil {
		t.Errorf("compacted database: %v", err)
	}

	// A new lock file, made by root, is the database owner's from the start.
	db2 := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(db2, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(db2, uid, gid); err != nil {
		t.Fatal(err)
	}
	l2, err := LockWriter(db2, "scrape", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	l2.Release()
	if u, g, _ := owner(db2 + ".lock"); u != uid || g != gid {
		t.Errorf("new lock file from a root writer: uid %d gid %d; want %d %d", u, g, uid, gid)
	}
}
