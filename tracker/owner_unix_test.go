//go:build unix

package tracker

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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

// TestMain lets a test run this binary again as another user: with BILLWATCH_TEST_LOCK set, it
// takes the writer lock of that database and exits 0, or prints why not and exits 1.
func TestMain(m *testing.M) {
	if db := os.Getenv("BILLWATCH_TEST_LOCK"); db != "" {
		l, err := LockWriter(db, "run", time.Unix(0, 0))
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestServiceUserLocksAfterRoot: after a root compact, the service's user (nobody) takes the
// writer lock; a lock file left root's by an older billwatch is refused with a line that says
// how to give it back.
func TestServiceUserLocksAfterRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: runs a writer as the service's user after root")
	}
	t.Parallel()
	const uid, gid = 65534, 65534
	dir, err := os.MkdirTemp("", "billwatch-owner")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	src := filledStore(t)
	db := filepath.Join(dir, "b.db")
	b, err := os.ReadFile(src.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(db, uid, gid); err != nil {
		t.Fatal(err)
	}
	// The test binary, copied where the service's user can run it.
	bin := filepath.Join(dir, "tracker.test")
	if exe, err := os.ReadFile(os.Args[0]); err != nil {
		t.Skipf("the test binary cannot be run again: %v", err)
	} else if err := os.WriteFile(bin, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	asNobody := func() (string, error) {
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), "BILLWATCH_TEST_LOCK="+db)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := asNobody(); err != nil && strings.Contains(err.Error(), "fork/exec") {
		t.Skipf("the test binary cannot be run as uid %d: %v %s", uid, err, out)
	}

	// An older billwatch's root-owned lock file: refused, saying how to give it back.
	os.Remove(db + ".lock") // the probe's
	if err := os.WriteFile(db+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := asNobody(); err == nil || !strings.Contains(out, "permission denied") || !strings.Contains(out, "the lock file belongs to uid 0") || !strings.Contains(out, "chown --reference="+db) {
		t.Errorf("nobody locking a root-owned lock file: %v, %q; want a refusal saying how to give it back", err, out)
	}

	s := &Store{path: db, timeout: 5 * time.Second}
	lock, err := LockWriter(db, "compact", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	lock.Release()
	if out, err := asNobody(); err != nil {
		t.Errorf("nobody taking the writer lock after a root compact: %v: %s", err, out)
	}
}
