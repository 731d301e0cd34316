//go:build unix

package tracker

import (
	"fmt"
	"os"
	"syscall"
)

// fileOwner is the owner and group of a file, where the system says.
func fileOwner(fi os.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// runAsRoot reports whether this process may give files away (chown to another user).
func runAsRoot() bool { return os.Geteuid() == 0 }

// keepOwner gives the file at path the owner and group of fi, when they differ from its own.
func keepOwner(path string, fi os.FileInfo) error {
	uid, gid, ok := fileOwner(fi)
	if !ok {
		return nil
	}
	cur, err := os.Stat(path)
	if err != nil {
		return err
	}
	if cu, cg, ok := fileOwner(cur); ok && cu == uid && cg == gid {
		return nil
	}
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("the copy cannot keep the file's owner and group (uid %d, gid %d): %w; run it as that user or as root", uid, gid, err)
	}
	return nil
}
