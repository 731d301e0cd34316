package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// TestMain lets the test binary stand in for billwatch: with BILLWATCH_TEST_MAIN=1 it is the
// real main (signals included), so that a test can run the daemon as a process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("BILLWATCH_TEST_MAIN") == "1" {
		main()
		os.Exit(0) // not reached: main exits
	}
	code := m.Run()
	faultTables.print(os.Stdout)
	os.Exit(code)
}

// wallSkewEnv, when set to a duration, moves the clock of every command the harness runs
// without a pinned --now that far from the wall clock. TestSuiteHoldsYearsAhead runs the
// package's tests so, five years ahead: a test that leaves a dated decision to the wall clock
// then fails today, not the day its fixtures' dates go by.
const wallSkewEnv = "BILLWATCH_TEST_WALL_SKEW"

// pinned returns the --now to run a command with: now itself, or when it is empty and the
// suite runs under a skewed clock, the wall clock moved by the skew.
func pinned(tb testing.TB, now string) string {
	skew := os.Getenv(wallSkewEnv)
	if now != "" || skew == "" {
		return now
	}
	d, err := time.ParseDuration(skew)
	if err != nil {
		tb.Fatalf("%s=%q: %v", wallSkewEnv, skew, err)
	}
	return time.Now().Add(d).Format(time.RFC3339)
}

// TestSuiteHoldsYearsAhead is the guard against tests that read the wall clock for a dated
// decision: it runs every other test of the package again with the unpinned clock five years
// ahead. Tests that pin their clock (--now) are unaffected; one that lets the date decide what
// counts as upcoming, due or held fails here.
func TestSuiteHoldsYearsAhead(t *testing.T) {
	if os.Getenv(wallSkewEnv) != "" {
		t.Skip("this run is the one under the skewed clock")
	}
	if testing.Short() {
		t.Skip("runs the package's tests again")
	}
	// It runs beside the other tests: much of their time is waiting. The fault matrix (make
	// faults) pins its clocks too, and the browser tests never run a command through pinned:
	// they are left out for time.
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.count=1", "-test.short=false", "-test.skip", "^(TestSuiteHoldsYearsAhead|TestFaultMatrix.*|TestBrowser.*|TestScreenshots)$")
	cmd.Env = append(os.Environ(), wallSkewEnv+"=43830h") // five years
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("with the unpinned clock five years ahead, the tests fail (a test decides by today's date: pin its clock with --now): %v\n%s", err, out)
	}
}

// readBound is the contract's bound on a read command while the daemon runs.
const readBound = 2 * time.Second

// env is one database and configuration, driven in-process or as a subprocess.
type env struct {
	tb      testing.TB
	dir     string
	db, cfg string
}

// newEnv writes a configuration for local servers: no spacing, a short timeout, metrics on a
// free loopback port.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	tb.Setenv("SLACK_BOT_TOKEN", "")
	tb.Setenv("BILLWATCH_DB", "")
	tb.Setenv("BILLWATCH_SLACK_API_URL", "")
	dir := tb.TempDir()
	e := &env{tb: tb, dir: dir, db: filepath.Join(dir, "billwatch.db"), cfg: filepath.Join(dir, "billwatch.toml")}
	cfg := "[fetch]\ndelay = \"0s\"\ntimeout = \"300ms\"\n\n[daemon]\nlisten = \"127.0.0.1:0\"\n"
	if err := os.WriteFile(e.cfg, []byte(cfg), 0o644); err != nil {
		tb.Fatal(err)
	}
	return e
}

// argv builds a command line against db and the given site bases.
func (e *env) argv(db string, bases map[string]string, now string, args ...string) []string {
	all := []string{"--config", e.cfg, "--db", db}
	for _, site := range siteNames() {
		if u, ok := bases[site]; ok {
			all = append(all, "--base-url", site+"="+u)
		}
	}
	if now := pinned(e.tb, now); now != "" {
		all = append(all, "--now", now)
	}
	return append(all, args...)
}

// exec runs billwatch in-process and returns its output and exit status.
func (e *env) exec(db string, bases map[string]string, now string, args ...string) (string, string, int) {
	e.tb.Helper()
	var stdout, stderr bytes.Buffer
	code := exitCode(run(context.Background(), e.argv(db, bases, now, args...), &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

// bounded runs a read command in-process and fails if it has not answered within readBound.
func (e *env) bounded(bases map[string]string, now string, args ...string) string {
	e.tb.Helper()
	type result struct {
		out, errOut string
		code        int
	}
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code := exitCode(run(context.Background(), e.argv(e.db, bases, now, args...), &stdout, &stderr), &stderr)
		done <- result{stdout.String(), stderr.String(), code}
	}()
	timer := time.NewTimer(readBound)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.code != 0 {
			e.tb.Fatalf("billwatch %s while the daemon runs: exit %d: %s", strings.Join(args, " "), r.code, r.errOut)
		}
		return r.out
	case <-timer.C:
		e.tb.Fatalf("billwatch %s while the daemon runs: no answer within %v", strings.Join(args, " "), readBound)
	}
	return ""
}

func (e *env) alerts(db string) []billwatch.Alert {
	e.tb.Helper()
	out, errOut, code := e.exec(db, nil, "", "alerts", "--json")
	if code != 0 {
		e.tb.Fatalf("alerts --json: exit %d: %s", code, errOut)
	}
	var alerts []billwatch.Alert
	if err := json.Unmarshal([]byte(out), &alerts); err != nil {
		e.tb.Fatalf("alerts --json: %v\n%s", err, out)
	}
	return alerts
}

// statusRow is one source of `status --json`.
type statusRow struct {
	Source      string    `json:"source"`
	Healthy     bool      `json:"healthy"`
	Failures    int       `json:"consecutive_failures"`
	LastRun     time.Time `json:"last_run"`
	LastOutcome string    `json:"last_outcome"`
	LastError   string    `json:"last_error"`
}

// stored reports whether a scrape stored what it read: exit 0, or 3 (partial), so that a page
// the fixtures lack elsewhere does not fail the tests here, which look at other things.
func stored(code int) bool { return code == 0 || code == 3 }

// alertKeys lists (kind, subject) of each alert, sorted.
func alertKeys(alerts []billwatch.Alert) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, string(a.Kind)+" "+a.Subject)
	}
	slices.Sort(out)
	return out
}

// alertsAfter returns the alerts whose id is not in before.
func alertsAfter(before, after []billwatch.Alert) []billwatch.Alert {
	seen := map[string]bool{}
	for _, a := range before {
		seen[a.ID] = true
	}
	var out []billwatch.Alert
	for _, a := range after {
		if !seen[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

// pending lists the alerts with a delivery still pending, as "kind subject".
func pending(alerts []billwatch.Alert) []string {
	var out []string
	for _, a := range alerts {
		for _, d := range a.Deliveries {
			if d.State == billwatch.DeliveryPending {
				out = append(out, string(a.Kind)+" "+a.Subject)
			}
		}
	}
	return out
}

// lockedBuffer is a buffer safe to write from the daemon's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// logValue finds the first JSON log line with msg and returns its key.
func logValue(logs, msg, key string) string {
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			s, _ := m[key].(string)
			return s
		}
	}
	return ""
}

// waitFor polls cond every 20 ms until it holds; it fails after limit (a guard against a
// hang, not a measurement).
func waitFor(tb testing.TB, limit time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting for %s after %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDaemonServesReadsWhileRunning runs `billwatch run --every 200ms` in-process and reads
// the same database meanwhile: every read answers within the contract's two seconds, the
// metrics server listens on the port the system chose, and cancelling the context stops the
// daemon cleanly.
func TestDaemonServesReadsWhileRunning(t *testing.T) {
	e := newEnv(t)
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Close)
	bases := servers.Bases()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, e.argv(e.db, bases, week1, "run", "--every", "200ms"), &stdout, &stderr) }()
	stopped := false
	defer func() {
		if !stopped {
			cancel()
			<-done
		}
	}()

	// The first passes record the baseline of snapshot 1.
	passesDone := func() bool {
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("daemon stopped early: %v\n%s", err, stderr.String())
		default:
		}
		if _, err := os.Stat(e.db); err != nil {
			return false
		}
		var rows []statusRow
		if json.Unmarshal([]byte(e.bounded(bases, week1, "status", "--json")), &rows) != nil || len(rows) != len(sources) {
			return false
		}
		for _, r := range rows {
			if r.LastOutcome == "" || r.LastOutcome == "failed" {
				return false
			}
		}
		return true
	}
	waitFor(t, 20*time.Second, "the daemon's first passes", passesDone)

	// Port 0: the metrics server listens where the system put it, and answers.
	addr := logValue(stderr.String(), "serving metrics", "addr")
	if addr == "" || strings.HasSuffix(addr, ":0") {
		t.Fatalf("daemon logged metrics address %q, want the port chosen for listen = \"127.0.0.1:0\"\n%s", addr, stderr.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz on %s: %v", addr, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", resp.StatusCode, body)
	}

	// Now the sites change: the daemon writes while the reads go on.
	servers.SetSnapshot(2)
	reads := 0
	sawC30 := false
	for round := 0; round < 200 && (round < 8 || !sawC30); round++ {
		for _, args := range [][]string{
			{"bills", "--json"}, {"alerts", "--json"}, {"hearings", "--json"}, {"status", "--json"},
			{"bills", "--all", "--json"}, {"regulations", "--all", "--json"}, {"show", "C-12", "--json"},
		} {
			out := e.bounded(bases, week1, args...)
			reads++
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("billwatch %s: not JSON (%v): %q", strings.Join(args, " "), err, out)
			}
			if args[0] == "alerts" && strings.Contains(out, `"45-1 C-30"`) {
				sawC30 = true
			}
		}
	}
	if !sawC30 {
		t.Errorf("after %d reads the daemon had not raised bill.introduced 45-1 C-30 from snapshot 2", reads)
	}
	t.Logf("%d reads answered while the daemon ran", reads)

	cancel()
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Errorf("run after cancel = %v, want nil (a clean stop)", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("run did not return after its context was cancelled\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "billwatch stopped") {
		t.Errorf("daemon log lacks \"billwatch stopped\":\n%s", stderr.String())
	}
	if err := mustStore(t, e.db).Check(); err != nil {
		t.Error(err)
	}
}

func mustStore(tb testing.TB, path string) *tracker.Store {
	tb.Helper()
	s, err := tracker.OpenReadOnly(path)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// slowSites puts a proxy in front of each fixture site that waits before answering, so that a
// pass takes long enough to be killed in its middle.
type slowSites struct {
	latency atomic.Int64 // base latency in ns; 0: none
	n       atomic.Int64
	bases   map[string]string
}

func newSlowSites(tb testing.TB, servers *fixtures.Servers) *slowSites {
	s := &slowSites{bases: map[string]string{}}
	for site, u := range servers.Bases() {
		target, err := url.Parse(u)
		if err != nil {
			tb.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(target)
		proxy.ErrorLog = nil
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if l := s.latency.Load(); l > 0 {
				// 1×, 1.5×, 2× or 2.5× the base latency, in turn.
				d := time.Duration(l) + time.Duration(l)*time.Duration(s.n.Add(1)%4)/2
				select {
				case <-time.After(d):
				case <-r.Context().Done():
					return
				}
			}
			proxy.ServeHTTP(w, r)
		}))
		tb.Cleanup(srv.Close)
		s.bases[site] = srv.URL
	}
	return s
}

// startDaemon starts the test binary as `billwatch run` on the env's database, its clock
// starting at now.
func (e *env) startDaemon(t *testing.T, bases map[string]string, now time.Time, stdout, stderr io.Writer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], e.argv(e.db, bases, now.Format(time.RFC3339), append([]string{"run"}, args...)...)...)
	cmd.Env = append(os.Environ(), "BILLWATCH_TEST_MAIN=1", "SLACK_BOT_TOKEN=", "BILLWATCH_DB=", "BILLWATCH_SLACK_API_URL=")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// storedState is what the read commands show of a database, for comparisons.
func (e *env) storedState(db string) map[string]string {
	e.tb.Helper()
	out := map[string]string{}
	for _, what := range []string{"bills", "hearings", "regulations"} {
		s, errOut, code := e.exec(db, nil, week2, what, "--all", "--json")
		if code != 0 {
			e.tb.Fatalf("%s --all --json: exit %d: %s", what, code, errOut)
		}
		out[what] = s
	}
	return out
}

// TestDaemonSurvivesKill9 kills `billwatch run` with SIGKILL at varied moments of its passes
// over snapshot 2, restarting it each time, then lets a last one finish and stops it with
// SIGTERM. The database must pass bbolt's check after every kill and end up holding exactly
// the alerts an uninterrupted `scrape` raises, each once, all delivered.
func TestDaemonSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts billwatch processes")
	}
	e := newEnv(t)
	servers, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Close)
	slow := newSlowSites(t, servers)
	bases := slow.bases

	// The reference: the same two snapshots scraped in-process, without interruption, on a
	// separate database; the baseline of snapshot 1 in-process on the database under test.
	ref := filepath.Join(e.dir, "reference.db")
	for _, db := range []string{ref, e.db} {
		if out, errOut, code := e.exec(db, bases, week1, "scrape"); !stored(code) {
			t.Fatalf("baseline scrape: exit %d\n%s%s", code, out, errOut)
		}
	}
	servers.SetSnapshot(2)
	if out, errOut, code := e.exec(ref, bases, week2, "scrape"); !stored(code) {
		t.Fatalf("reference scrape of snapshot 2: exit %d\n%s%s", code, out, errOut)
	}
	want := alertKeys(e.alerts(ref))
	for _, k := range []string{"bill.amended 45-1 C-12", "bill.introduced 45-1 C-30", "bill.stage 45-1 C-12", "bill.stage 45-1 C-22", "bill.stage 45-1 C-8", "hearing.scheduled SECU 45-1 meeting 25", "regulation.proposed Gazette 2026-11-21-reg1"} {
		if !slices.Contains(want, k) {
			t.Fatalf("reference alerts %v lack %q", want, k)
		}
	}
	wantState := e.storedState(ref)

	// Passes now take a while: 6–15 ms per request, most of a second for the bills.
	slow.latency.Store(int64(6 * time.Millisecond))
	var logs lockedBuffer
	kills := []time.Duration{40, 400, 900, 150, 1100, 250, 700, 1300, 550, 1200}
	start, err := time.Parse(time.RFC3339, week2)
	if err != nil {
		t.Fatal(err)
	}
	for i, after := range kills {
		after *= time.Millisecond
		fmt.Fprintf(&logs, "--- process %d, killed after %v\n", i, after)
		// Each process's clock starts a minute after the last one's, as time would go by.
		cmd := e.startDaemon(t, bases, start.Add(time.Duration(i)*time.Minute), io.Discard, &logs, "--every", "100ms")
		time.Sleep(after)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if err := mustStore(t, e.db).Check(); err != nil {
			t.Fatalf("after kill %d (%v into the process): %v", i, after, err)
		}
		alerts := e.alerts(e.db)
		if d := duplicates(alerts); len(d) > 0 {
			t.Fatalf("after kill %d: duplicate alerts %v", i, d)
		}
		for _, k := range alertKeys(alerts) {
			if !slices.Contains(want, k) {
				t.Fatalf("after kill %d: alert %q, which an uninterrupted pass does not raise", i, k)
			}
		}
		t.Logf("kill %2d after %4v: %d alerts stored, %d deliveries pending", i, after, len(alerts), len(pending(alerts)))
	}
	t.Logf("after %d kills: %d of %d alerts raised, %d deliveries pending", len(kills), len(e.alerts(e.db)), len(want), len(pending(e.alerts(e.db))))

	// A last process runs until every source has passed and the outbox is empty.
	var last lockedBuffer
	cmd := e.startDaemon(t, bases, start.Add(time.Duration(len(kills))*time.Minute), io.Discard, &last, "--every", "100ms")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			<-exited
		}
	}()
	waitFor(t, 30*time.Second, "a complete pass of the last process", func() bool {
		select {
		case err := <-exited:
			killed = true
			t.Fatalf("last process exited on its own: %v\n%s", err, last.String())
		default:
		}
		logs := last.String()
		for _, src := range sourceNames() {
			if !strings.Contains(logs, `"msg":"pass","source":"`+src+`","outcome":"ok"`) && !strings.Contains(logs, `"msg":"pass","source":"`+src+`","outcome":"partial"`) {
				return false
			}
		}
		alerts := e.alerts(e.db)
		return slices.Equal(alertKeys(alerts), want) && len(pending(alerts)) == 0
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		killed = true
		if err != nil {
			t.Errorf("billwatch run after SIGTERM: %v, want exit status 0\n%s", err, tail(last.String(), 3000))
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("billwatch run did not stop on SIGTERM")
	}

	if err := mustStore(t, e.db).Check(); err != nil {
		t.Fatal(err)
	}
	alerts := e.alerts(e.db)
	if got := alertKeys(alerts); !slices.Equal(got, want) {
		t.Errorf("alerts after %d kills = %v\nwant (as an uninterrupted scrape) %v", len(kills), got, want)
	}
	if d := duplicates(alerts); len(d) > 0 {
		t.Errorf("duplicate alerts: %v", d)
	}
	if p := pending(alerts); len(p) > 0 {
		t.Errorf("deliveries left pending: %v", p)
	}
	for _, a := range alerts {
		if len(a.Deliveries) != 1 || a.Deliveries[0].Sink != "console" || a.Deliveries[0].State != billwatch.DeliverySent {
			t.Errorf("alert %s %s deliveries = %+v, want one, sent to the console", a.Kind, a.Subject, a.Deliveries)
		}
	}
	got := e.storedState(e.db)
	for _, what := range []string{"bills", "hearings", "regulations"} {
		if got[what] != wantState[what] {
			t.Errorf("%s --all --json after the kills differs from the uninterrupted reference:\n%s", what, firstDiff(got[what], wantState[what]))
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("daemon logs (tail):\n%s\n--- last process\n%s", tail(logs.String(), 3000), tail(last.String(), 3000))
	}
}

// duplicates reports alerts stored twice: the same id, or the same kind, subject and why.
func duplicates(alerts []billwatch.Alert) []string {
	ids, events := map[string]int{}, map[string]int{}
	var out []string
	for _, a := range alerts {
		ids[a.ID]++
		events[string(a.Kind)+" "+a.Subject+" "+a.Why]++
	}
	for id, n := range ids {
		if n > 1 {
			out = append(out, fmt.Sprintf("id %s ×%d", id, n))
		}
	}
	for ev, n := range events {
		if n > 1 {
			out = append(out, fmt.Sprintf("%q ×%d", ev, n))
		}
	}
	slices.Sort(out)
	return out
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// firstDiff shows the first line where two texts differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got  %s\n         want %s", i+1, gl, wl)
		}
	}
	return "(same)"
}

// faultSite answers one path of a site with a fault and passes every other request to the
// fixture server.
func faultSite(tb testing.TB, backend, path string, fault http.HandlerFunc) string {
	tb.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		tb.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RequestURI() == path {
			fault(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

const billList = "/legisinfo/en/bills/json?parlsession=45-1"

// TestSourceFaults drives `scrape` against broken sites after a good baseline: each fault
// fails the pass with the right exit status and one line naming the URL, changes nothing
// stored, raises no item alert, makes the source unhealthy once (after three failed passes,
// or at once for a layout change) and, once the site is good again, recovered once.
func TestSourceFaults(t *testing.T) {
	good, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(good.Close)
	list, err := fs.ReadFile(fixtures.FS(), "1/parl/legisinfo/en/bills/json@parlsession=45-1")
	if err != nil {
		t.Fatal(err)
	}
	// A content fault: snapshot 1 with one file replaced, served by the fixture server.
	content := func(name, data string) map[string]string {
		s, err := fixtures.Serve(overlay(fixtures.FS(), fstest.MapFS{"1/parl/" + name: {Data: []byte(data)}}), 1, siteNames()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s.Bases()
	}
	// A network fault on the bill list, in front of the good server.
	network := func(fault http.HandlerFunc) map[string]string {
		b := good.Bases()
		b["parl"] = faultSite(t, b["parl"], billList, fault)
		return b
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) }) // runs before the servers close: the hung handlers return

	for _, tc := range []struct {
		name    string
		bases   map[string]string
		args    []string // the scrape command
		code    int
		url     string // what stderr must name
		mention string // and what else it must say
		layout  bool   // unhealthy at once
	}{
		{
			name: "503",
			bases: network(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			}),
			args: []string{"scrape", "bills"}, code: 1, url: billList, mention: "503",
		},
		{
			// The other sources are fine: the pass is partial.
			name: "no answer",
			bases: network(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-stop:
				}
			}),
			args: []string{"scrape"}, code: 3, url: billList, mention: "",
		},
		{
			name: "truncated body",
			bases: network(func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(list)+4096)
				buf.Write(list[:len(list)/2])
				buf.Flush()
			}),
			args: []string{"scrape", "bills"}, code: 1, url: billList,
		},
		{
			name:  "empty list",
			bases: content("legisinfo/en/bills/json@parlsession=45-1", "[]"),
			args:  []string{"scrape", "bills"}, code: 1, url: billList, mention: "no bills", layout: true,
		},
		{
			name:  "robots.txt disallows all",
			bases: content("robots.txt", "User-agent: *\nDisallow: /\n"),
			args:  []string{"scrape", "bills"}, code: 1, url: billList, mention: "robots.txt",
		},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			e := newEnv(t)
			if out, errOut, code := e.exec(e.db, good.Bases(), week1, "scrape"); !stored(code) {
				t.Fatalf("baseline: exit %d\n%s%s", code, out, errOut)
			}
			before := e.storedState(e.db)
			baseline := e.alerts(e.db)
			for pass := 1; pass <= 3; pass++ {
				out, errOut, code := e.exec(e.db, tc.bases, week1, tc.args...)
				if code != tc.code {
					t.Errorf("pass %d: %s: exit %d, want %d\n%s%s", pass, strings.Join(tc.args, " "), code, tc.code, out, errOut)
				}
				// Log records (JSON lines) aside, the error is one line.
				var lines []string
				for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
					if !strings.HasPrefix(l, "{") {
						lines = append(lines, l)
					}
				}
				if len(lines) != 1 || !strings.HasPrefix(lines[0], "billwatch: ") || !strings.Contains(lines[0], tc.url) || !strings.Contains(lines[0], tc.mention) {
					t.Errorf("pass %d: stderr = %q, want one line naming %s (and %q)", pass, errOut, tc.url, tc.mention)
				}
				if pass == 1 && len(lines) > 0 {
					t.Logf("stderr: %s", lines[0])
				}
				if after := e.storedState(e.db); !maps.Equal(before, after) {
					for k := range before {
						if before[k] != after[k] {
							t.Errorf("pass %d changed the stored %s:\n%s", pass, k, firstDiff(after[k], before[k]))
						}
					}
				}
				var want []string
				if pass == 3 || tc.layout {
					want = []string{"source.unhealthy source bills"}
				}
				if got := alertKeys(alertsAfter(baseline, e.alerts(e.db))); !slices.Equal(got, want) {
					t.Errorf("pass %d: alerts since the baseline = %v, want %v", pass, got, want)
				}
			}
			var rows []statusRow
			out, _, _ := e.exec(e.db, nil, week1, "status", "--json")
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Source == "bills" && (r.Healthy || r.Failures != 3 || !strings.Contains(r.LastError, tc.url)) {
					t.Errorf("status of bills = %+v, want unhealthy after 3 failures, naming %s", r, tc.url)
				}
			}

			before3 := e.alerts(e.db)
			if out, errOut, code := e.exec(e.db, good.Bases(), week1, tc.args...); !stored(code) {
				t.Fatalf("good site again: exit %d\n%s%s", code, out, errOut)
			}
			if got := alertKeys(alertsAfter(before3, e.alerts(e.db))); !slices.Equal(got, []string{"source.recovered source bills"}) {
				t.Errorf("good site again: new alerts = %v, want one source.recovered", got)
			}
			if p := pending(e.alerts(e.db)); len(p) > 0 {
				t.Errorf("deliveries pending: %v", p)
			}
		})
	}
}
