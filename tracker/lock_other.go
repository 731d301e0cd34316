//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package tracker

import "os"

// tryLock cannot lock on this system: bbolt's own file lock is the only guard between
// writers there.
func tryLock(f *os.File) (bool, error) { return true, nil }

func unlock(f *os.File) error { return nil }
