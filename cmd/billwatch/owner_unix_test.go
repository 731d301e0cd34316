//go:build unix

package main

import (
	"os"
	"syscall"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// TestRootCommandsLeaveTheServiceUsersDatabase: the database belongs to the service's user
// (nobody, mode 0600). `compact` and `scrape` run as root leave the file and its lock file
// that user's, so that the service can take the writer lock afterwards.
func TestRootCommandsLeaveTheServiceUsersDatabase(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: checks that files root rewrites stay the service user's")
	}
	t.Parallel()
	const uid, gid = 65534, 65534
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	for _, p := range []string{c.db, c.db + ".lock"} {
		if err := os.Chmod(p, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	check := func(after string) {
		t.Helper()
		for _, p := range []string{c.db, c.db + ".lock"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			st := fi.Sys().(*syscall.Stat_t)
			if int(st.Uid) != uid || int(st.Gid) != gid || fi.Mode().Perm() != 0o600 {
				t.Errorf("after %s: %s is uid %d gid %d mode %o; want %d %d 600", after, p, st.Uid, st.Gid, fi.Mode().Perm(), uid, gid)
			}
		}
	}
	c.ok("compact")
	check("a root compact")
	// A lock file an older billwatch left root's is given back by the next root writer.
	if err := os.Chown(c.db+".lock", 0, 0); err != nil {
		t.Fatal(err)
	}
	c.ok("scrape", "--no-notify")
	check("a root scrape")
	c.ok("check")
}
