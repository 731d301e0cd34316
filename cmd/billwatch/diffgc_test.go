package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestDiffGCOffAndRestored: a diff runs with the collector off under the 768 MiB soft limit,
// and the settings before come back when it ends (commands share one process in tests). Not
// parallel: it reads the process's collector settings, which the parallel tests' diffs change
// while they run, and a test that is not parallel runs before any that is.
func TestDiffGCOffAndRestored(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set in the environment, and wins over diff's own settings")
	}
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	limit := func() int64 { return debug.SetMemoryLimit(-1) } // a negative limit only reads it
	wantPercent, wantLimit := percent(), limit()
	restore := diffGC()
	if p := percent(); p >= 0 {
		t.Errorf("during a diff GOGC is %d, want the collector off", p)
	}
	if l := limit(); l != 768<<20 {
		t.Errorf("during a diff the memory limit is %d bytes, want 768 MiB", l)
	}
	restore()
	if p, l := percent(), limit(); p != wantPercent || l != wantLimit {
		t.Errorf("after a diff GOGC is %d and the limit %d, want %d and %d as before", p, l, wantPercent, wantLimit)
	}
}
