package tracker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWriterLockRefusesASecondWriter(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "billwatch.db")
	since := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	first, err := LockWriter(db, "run", since)
	if err != nil {
		t.Fatalf("LockWriter: %v", err)
	}
	_, err = LockWriter(db, "scrape", since.Add(time.Hour))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second LockWriter = %v, want ErrLocked", err)
	}
	want := fmt.Sprintf("database %s: another billwatch is writing to it: held by `billwatch run`, pid %d, since 2026-11-23 15:00:00 UTC", db, os.Getpid())
	if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "\n") {
		t.Errorf("refusal = %q, want one line starting %q", msg, want)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	second, err := LockWriter(db, "scrape", since)
	if err != nil {
		t.Fatalf("LockWriter after release: %v", err)
	}
	second.Release()
}

func TestWriterLockFileCannotDriveTheTerminal(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "billwatch.db")
	held, err := LockWriter(db, "run", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	b, _ := json.Marshal(lockHolder{PID: 7, Command: "run\x1b]0;pwned\x07", Since: time.Unix(0, 0)})
	if err := os.WriteFile(db+".lock", b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LockWriter(db, "scrape", time.Unix(0, 0))
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Errorf("refusal = %q, want it without control characters", err)
	}
}

// TestStatusFileWritersDoNotCollide: two stores on one database (as two processes would be)
// update the status file at once. With one fixed temporary name, one writer renamed the
// other's half-written file away; unique names keep every update whole.
func TestStatusFileWritersDoNotCollide(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "billwatch.db")
	a, b := &Store{path: db}, &Store{path: db}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		for _, s := range []*Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.UpdateRunStatus(fmt.Sprint("source", i%3), func(st *RunStatus) { st.LastOutcome = "ok" }); err != nil {
					errs <- err
				}
				if _, err := s.RunStatuses(); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent status update: %v", err)
	}
	left, _ := filepath.Glob(db + "*.tmp")
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
