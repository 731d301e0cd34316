package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// TestSecondWriterIsRefused: while `run` holds the database, `scrape` and `compact` are
// refused in one line naming the holder, nothing is written, and read commands go on.
func TestSecondWriterIsRefused(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	held, err := tracker.LockWriter(c.db, "run", mustTime(t, week1))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	c.servers.SetSnapshot(2)
	before, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("held by `billwatch run`, pid %d, since 2026-11-16 15:00:00 UTC", os.Getpid())
	for _, args := range [][]string{{"scrape"}, {"compact"}} {
		out, errOut, code := c.run(week2, args...)
		if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "another billwatch is writing to it") {
			t.Errorf("%s while run writes: exit %d, stderr %q; want exit 1 and one line %q\n%s", args[0], code, errOut, want, out)
		}
	}
	after, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("a refused writer changed the database")
	}
	if out, errOut, code := c.run(week2, "bills"); code != 0 || out == "" {
		t.Errorf("bills while run writes: exit %d, %q%s; want the bills", code, out, errOut)
	}
	if err := held.Release(); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := c.run(week2, "scrape"); code != 0 {
		t.Errorf("scrape once run is gone: exit %d\n%s%s", code, out, errOut)
	}
}
