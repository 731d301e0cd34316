//go:build unix

package tracker

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
)

var sink byte

// TestGuardTurnsAFaultIntoDamagedError reads a mapped page past the end of a truncated file,
// which is what bbolt does with a file cut short: SIGBUS, which would kill the process, is
// an error saying the file is damaged.
func TestGuardTurnsAFaultIntoDamagedError(t *testing.T) {
	t.Parallel()
	s := filledStore(t)
	f, err := os.Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(data)
	if err := os.Truncate(s.Path(), fi.Size()/4); err != nil {
		t.Fatal(err)
	}
	err = s.guard(func() error {
		sink = data[len(data)-1]
		return nil
	})
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(de.Problem, "cut short") {
		t.Fatalf("guard(read past the end) = %v; want a DamagedError saying the file was cut short", err)
	}
}
