package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// runningDaemon is `billwatch run --every 200ms` in-process on a fresh env, on snapshot 1 of
// the fixture sites, after its first passes stored their baseline.
type runningDaemon struct {
	e      *env
	bases  map[string]string
	addr   string // the metrics server
	logs   *lockedBuffer
	done   chan error
	cancel context.CancelFunc
}

func startRunning(t *testing.T) *runningDaemon {
	t.Helper()
	e := newEnv(t)
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Close)
	d := &runningDaemon{e: e, bases: servers.Bases(), logs: &lockedBuffer{}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go func() {
		d.done <- run(ctx, e.argv(e.db, d.bases, week1, "run", "--every", "200ms"), io.Discard, d.logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-d.done:
		case <-time.After(20 * time.Second):
			t.Errorf("the daemon did not stop")
		}
	})
	waitFor(t, 30*time.Second, "the daemon's first passes", func() bool {
		if _, err := os.Stat(e.db); err != nil {
			return false
		}
		var rows []statusRow
		if json.Unmarshal([]byte(e.bounded(d.bases, week1, "status", "--json")), &rows) != nil || len(rows) != len(sources) {
			return false
		}
		for _, r := range rows {
			if r.LastOutcome == "" || r.LastOutcome == "failed" {
				return false
			}
		}
		return true
	})
	d.addr = logValue(d.logs.String(), "serving metrics", "addr")
	if d.addr == "" {
		t.Fatalf("no metrics address in the log:\n%s", d.logs.String())
	}
	if code, body := d.healthz(t); code != http.StatusOK {
		t.Fatalf("GET /healthz after the first passes = %d %q, want 200", code, body)
	}
	return d
}

func (d *runningDaemon) healthz(t *testing.T) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + d.addr + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(body))
}

// logCount counts the JSON log lines with msg whose key is value.
func logCount(logs, msg, key, value string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg && m[key] == value {
			n++
		}
	}
	return n
}

// immutable makes path unwritable (chattr +i as root, read-only otherwise) and returns the
// undo.
func immutable(t *testing.T, path string) func() {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return func() { os.Chmod(path, 0o644) }
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i %s failed: %v %s", path, err, out)
	}
	undo := func() { exec.Command("chattr", "-i", path).Run() }
	t.Cleanup(undo)
	return undo
}

// TestDaemonUnhealthyWhenNothingCanBeStored: when every commit fails (here the database file
// becomes unwritable under the running daemon, as on a full disk), the failures the database
// cannot store are counted in the daemon's memory: /healthz turns 503 naming the source after
// daemon.unhealthy_after passes, the source.unhealthy alert that cannot be stored is logged at
// error level once per source, and once the file can be written again a successful pass makes
// the daemon healthy again.
func TestDaemonUnhealthyWhenNothingCanBeStored(t *testing.T) {
	d := startRunning(t)
	undo := immutable(t, d.e.db)
	before := strings.Count(d.logs.String(), `"msg":"job failed","job":"bills"`)

	var body string
	waitFor(t, 30*time.Second, "/healthz to answer 503 naming bills", func() bool {
		var code int
		code, body = d.healthz(t)
		return code == http.StatusServiceUnavailable && strings.Contains(body, "bills unhealthy after ")
	})
	if m := regexp.MustCompile(`bills unhealthy after (\d+) failures`).FindStringSubmatch(body); m == nil || m[1] < "3" && len(m[1]) == 1 {
		t.Errorf("GET /healthz = %q, want bills unhealthy after 3 or more failures (daemon.unhealthy_after)", body)
	}
	resp, err := http.Get("http://" + d.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metricsText, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metricsText), `billwatch_source_healthy{source="bills"} 0`) {
		t.Errorf("/metrics while bills cannot be stored lacks billwatch_source_healthy{source=\"bills\"} 0")
	}
	// More passes fail: the alert that cannot be stored is logged once.
	waitFor(t, 30*time.Second, "more failed passes", func() bool {
		return strings.Count(d.logs.String(), `"msg":"job failed","job":"bills"`)-before >= 6
	})
	if n := logCount(d.logs.String(), "source unhealthy, and the alert cannot be stored", "source", "bills"); n != 1 {
		t.Errorf("the unstorable source.unhealthy of bills was logged %d times, want once\n%s", n, tail(d.logs.String(), 3000))
	}
	if !strings.Contains(d.logs.String(), `"level":"ERROR","msg":"source unhealthy, and the alert cannot be stored"`) {
		t.Errorf("the unstorable alert is not logged at error level:\n%s", tail(d.logs.String(), 3000))
	}

	undo()
	waitFor(t, 30*time.Second, "/healthz to answer 200 again", func() bool {
		code, _ := d.healthz(t)
		return code == http.StatusOK
	})
}

// TestDaemonUnhealthyWhenStatusCannotBeWritten: when the database can be written but the
// status file cannot, the passes count as failed; after daemon.unhealthy_after of them the
// source.unhealthy alert is stored, once, and /healthz answers 503; when the status file can
// be written again the source recovers (source.recovered), without flapping in between.
func TestDaemonUnhealthyWhenStatusCannotBeWritten(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs chattr +i (root) to make the status file unreplaceable")
	}
	d := startRunning(t)
	undo := immutable(t, d.e.db+".status.json")

	waitFor(t, 30*time.Second, "/healthz to answer 503", func() bool {
		code, _ := d.healthz(t)
		return code == http.StatusServiceUnavailable
	})
	kinds := func() map[billwatch.Kind]int {
		out := map[billwatch.Kind]int{}
		for _, a := range d.e.alerts(d.e.db) {
			if a.Subject == "source bills" {
				out[a.Kind]++
			}
		}
		return out
	}
	waitFor(t, 30*time.Second, "source.unhealthy of bills to be stored", func() bool { return kinds()[billwatch.KindSourceUnhealthy] == 1 })
	// More passes, still failing to write the status file: no recovery, no second alert.
	failed := strings.Count(d.logs.String(), `"msg":"cannot write status file","source":"bills"`)
	waitFor(t, 30*time.Second, "more passes", func() bool {
		return strings.Count(d.logs.String(), `"msg":"cannot write status file","source":"bills"`) >= failed+3
	})
	if k := kinds(); k[billwatch.KindSourceUnhealthy] != 1 || k[billwatch.KindSourceRecovered] != 0 {
		t.Errorf("alerts of source bills while its status cannot be written: %v, want one source.unhealthy", k)
	}
	if code, body := d.healthz(t); code != http.StatusServiceUnavailable || !strings.Contains(body, "bills unhealthy after ") {
		t.Errorf("GET /healthz = %d %q, want 503 naming bills", code, body)
	}

	undo()
	waitFor(t, 30*time.Second, "/healthz to answer 200 again", func() bool {
		code, _ := d.healthz(t)
		return code == http.StatusOK
	})
	waitFor(t, 30*time.Second, "source.recovered of bills", func() bool { return kinds()[billwatch.KindSourceRecovered] == 1 })
	if k := kinds(); k[billwatch.KindSourceUnhealthy] != 1 {
		t.Errorf("alerts of source bills: %v, want one source.unhealthy and one source.recovered", k)
	}
}

// TestDaemonStopsOnARecordDamagedWhileRunning: a stored bill damaged under the running daemon
// (bytes overwritten inside its value) makes the next bills pass fail to decode it; the daemon
// checks the file, finds it damaged and stops with the same one line and exit 1 as at start,
// writing nothing more to it.
func TestDaemonStopsOnARecordDamagedWhileRunning(t *testing.T) {
	d := startRunning(t)
	// Wait until the passes write nothing (the sites do not change), then damage every stored
	// bill record.
	var prev []byte
	waitFor(t, 30*time.Second, "the passes to write nothing", func() bool {
		time.Sleep(600 * time.Millisecond)
		cur := must(os.ReadFile(d.e.db))
		same := bytes.Equal(cur, prev)
		prev = cur
		return same
	})
	// In place, as a stray write would: the file is never seen cut short.
	b := must(os.ReadFile(d.e.db))
	f, err := os.OpenFile(d.e.db, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	pat := []byte(`{"bill":{`)
	n := 0
	for i := bytes.Index(b, pat); i >= 0; i = bytes.Index(b, pat) {
		copy(b[i+1:], bytes.Repeat([]byte{0x01}, 24))
		if _, err := f.WriteAt(b[i+1:i+25], int64(i+1)); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no stored bill found to damage")
	}

	select {
	case err = <-d.done:
		d.done <- err // for the cleanup
	case <-time.After(30 * time.Second):
		t.Fatalf("the daemon still runs on a damaged database:\n%s", tail(d.logs.String(), 3000))
	}
	var stderr bytes.Buffer
	code := exitCode(err, &stderr)
	line := strings.TrimSpace(stderr.String())
	if code != 1 || strings.Contains(line, "\n") || !strings.Contains(line, "database "+d.e.db+" is damaged: ") || !strings.Contains(line, "cannot be decoded") {
		t.Errorf("run on a record damaged while it ran: exit %d, %q; want exit 1 and one line saying %s is damaged", code, line, d.e.db)
	}
	if after := must(os.ReadFile(d.e.db)); !bytes.Equal(after, b) {
		t.Error("the daemon wrote to the damaged database")
	}
	// At start, the same line.
	_, errOut, code := d.e.exec(d.e.db, d.bases, week1, "run", "--every", "200ms")
	if start := strings.TrimSpace(errOut); code != 1 || strings.Contains(start, "\n") || !strings.HasPrefix(start, "billwatch: database "+d.e.db+" is damaged: ") || !strings.HasSuffix(start, suffixAfter(line, "cannot be decoded")) {
		t.Errorf("run on the damaged database: exit %d, %q; want the kind of line the running daemon stopped with, %q", code, start, line)
	}
}

// suffixAfter is what follows sep in s.
func suffixAfter(s, sep string) string {
	_, after, _ := strings.Cut(s, sep)
	return after
}
