//go:build !unix

package tracker

import "os"

// fileOwner is the owner and group of a file: this system has none billwatch can keep.
func fileOwner(os.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

// runAsRoot reports whether this process may give files away: never here.
func runAsRoot() bool { return false }

// keepOwner has nothing to keep on this system.
func keepOwner(string, os.FileInfo) error { return nil }
