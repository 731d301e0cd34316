package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/billwatch/billwatch/tracker"
)

// TestBusyDatabase: while another process holds the database (longer than the lock timeout),
// a server that has read it serves what it read; one that has not says so with a 503 page.
func TestBusyDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "billwatch.db")
	if _, err := tracker.Open(db); err != nil {
		t.Fatal(err)
	}
	get := func(s *Server) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
		return rec
	}
	read, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources})
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(read); rec.Code != 200 {
		t.Fatalf("GET /status = %d", rec.Code)
	}
	holdAsWriter(t, db)
	if rec := get(read); rec.Code != 200 {
		t.Errorf("GET /status while the database is held, after a first read = %d, want the state read before", rec.Code)
	}
	fresh, err := New(Options{DB: db, BillJSON: testBillJSON, Sources: testSources})
	if err != nil {
		t.Fatal(err)
	}
	rec := get(fresh)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Database busy") {
		t.Errorf("GET /status while the database is held, first read = %d %q\n%s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
}

// holdAsWriter holds the database file as a writer does (an exclusive flock, until the test
// ends) and makes it look changed since it was last read, so that a reader must open it again.
func holdAsWriter(t *testing.T, db string) {
	t.Helper()
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	later := fi.ModTime().Add(time.Minute) // another time than the one read: the file looks changed
	if err := os.Chtimes(db, later, later); err != nil {
		t.Fatal(err)
	}
}
