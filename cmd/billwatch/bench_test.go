package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/billwatch/billwatch/fixtures"
)

// The benchmarks run billwatch in-process against the bundled fixtures on loopback, with no
// spacing between requests. CPU time is the whole process's (user + system, from getrusage),
// so it includes the fixture servers' share; the reference pays the same.

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapSampler records the largest live heap (objects, in bytes) seen every millisecond.
type heapSampler struct {
	stop, done chan struct{}
	peak       uint64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		sample := []rtmetrics.Sample{{Name: heapObjects}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			rtmetrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > s.peak {
				s.peak = v
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// peakMB stops the sampler and returns the peak in MiB.
func (s *heapSampler) peakMB() float64 {
	close(s.stop)
	<-s.done
	return float64(s.peak) / (1 << 20)
}

// measure runs the timed loop and reports CPU time per op and the peak heap.
func measure(b *testing.B, op func(i int)) {
	b.Helper()
	runtime.GC()
	heap := startHeapSampler()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		op(i)
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(heap.peakMB(), "peak-heap-MB")
}

// mustScrape runs one `scrape` of every source in-process; partial is accepted (the
// benchmarks measure cost, the tests judge outcomes).
func (e *env) mustScrape(db string, bases map[string]string, now string) {
	e.tb.Helper()
	if out, errOut, code := e.exec(db, bases, now, "scrape"); !stored(code) {
		e.tb.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
}

// BenchmarkFullPassDemo is `billwatch demo`'s work: a fresh database, a pass of snapshot 1
// (the baseline), then a pass of snapshot 2 that stores the changes and raises the alerts.
func BenchmarkFullPassDemo(b *testing.B) {
	e := newEnv(b)
	servers, err := fixtures.Server(1)
	if err != nil {
		b.Fatal(err)
	}
	defer servers.Close()
	bases := servers.Bases()
	dir, err := os.MkdirTemp(e.dir, "full")
	if err != nil {
		b.Fatal(err)
	}
	measure(b, func(i int) {
		db := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		servers.SetSnapshot(1)
		e.mustScrape(db, bases, week1)
		servers.SetSnapshot(2)
		e.mustScrape(db, bases, week2)
	})
}

// request is one HTTP request a pass made.
type request struct{ site, uri string }

// recorder is a transport that notes each request before passing it on.
type recorder struct {
	next  http.RoundTripper
	sites map[string]string // host:port → site
	mu    sync.Mutex
	reqs  []request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, request{r.sites[req.URL.Host], req.URL.RequestURI()})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// recordRequests runs one pass and returns the requests it made, robots.txt included. The
// scraper's client sends through http.DefaultTransport, which is swapped for a recorder for
// the pass, so that the pass runs against the same bases as the benchmark.
func recordRequests(b *testing.B, e *env, db string, servers *fixtures.Servers, now string) []request {
	b.Helper()
	rec := &recorder{next: http.DefaultTransport, sites: map[string]string{}}
	for site, u := range servers.Bases() {
		pu, _ := url.Parse(u)
		rec.sites[pu.Host] = site
	}
	http.DefaultTransport = rec
	defer func() { http.DefaultTransport = rec.next }()
	e.mustScrape(db, servers.Bases(), now)
	return rec.reqs
}

// unchanged prepares a database holding snapshot 2 and returns the requests of a pass that
// changes nothing.
func unchanged(b *testing.B) (*env, *fixtures.Servers, []request) {
	b.Helper()
	e := newEnv(b)
	servers, err := fixtures.Server(1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(servers.Close)
	e.mustScrape(e.db, servers.Bases(), week1)
	servers.SetSnapshot(2)
	e.mustScrape(e.db, servers.Bases(), week2)
	before, _ := os.ReadFile(e.db)
	reqs := recordRequests(b, e, e.db, servers, week2)
	if after, _ := os.ReadFile(e.db); !bytes.Equal(before, after) {
		b.Logf("note: a pass over unchanged sites wrote to the database")
	}
	return e, servers, reqs
}

// fetchAll is the reference: the same requests with plain net/http, bodies read and dropped.
func fetchAll(b *testing.B, client *http.Client, servers *fixtures.Servers, reqs []request) {
	for _, r := range reqs {
		resp, err := client.Get(servers.URL(r.site) + r.uri)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkUnchangedPass is a scheduled pass when nothing changed: the database already holds
// snapshot 2. It also reports its ratio to BenchmarkReferenceFetchOnly's work, measured in the
// same run ("x-bare-fetch", wall time).
func BenchmarkUnchangedPass(b *testing.B) {
	e, servers, reqs := unchanged(b)
	bases := servers.Bases()
	start := time.Now()
	measure(b, func(int) { e.mustScrape(e.db, bases, week2) })
	pass := time.Since(start)

	client := &http.Client{}
	start = time.Now()
	for i := 0; i < b.N; i++ {
		fetchAll(b, client, servers, reqs)
	}
	bare := time.Since(start)
	b.ReportMetric(float64(len(reqs)), "requests/op")
	b.ReportMetric(float64(pass)/float64(bare), "x-bare-fetch")
}

// BenchmarkReferenceFetchOnly fetches exactly what an unchanged pass fetches (robots.txt
// included), with plain net/http and io.ReadAll: no parsing, no store.
func BenchmarkReferenceFetchOnly(b *testing.B) {
	_, servers, reqs := unchanged(b)
	client := &http.Client{}
	robots := 0
	for _, r := range reqs {
		if r.uri == "/robots.txt" {
			robots++
		}
	}
	measure(b, func(int) {
		for _, r := range reqs {
			resp, err := client.Get(servers.URL(r.site) + r.uri)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadAll(resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(len(reqs)), "requests/op")
	b.ReportMetric(float64(robots), "robots-requests/op")
}

// rssMB reads the process's resident set from /proc/self/status.
func rssMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func heapInUseMB() float64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// BenchmarkDaemonIdle starts `billwatch run --every 1h` in-process after a baseline, waits
// for its first passes and delivery, and reports the heap in use and the RSS once it idles.
// The process also holds the benchmark harness and the fixture servers: "daemon-heap-MB" is
// the heap in use above what it was before the daemon started.
func BenchmarkDaemonIdle(b *testing.B) {
	e := newEnv(b)
	servers, err := fixtures.Server(1)
	if err != nil {
		b.Fatal(err)
	}
	defer servers.Close()
	bases := servers.Bases()
	e.mustScrape(e.db, bases, week1)
	servers.SetSnapshot(2)

	runtime.GC()
	heapBefore := heapInUseMB()
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, e.argv(e.db, bases, week2, "run", "--every", "1h"), io.Discard, &logs) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("run after cancel: %v", err)
		}
	}()
	waitFor(b, 60*time.Second, "the daemon's first passes", func() bool {
		select {
		case err := <-done:
			done <- err
			b.Fatalf("daemon stopped: %v\n%s", err, logs.String())
		default:
		}
		l := logs.String()
		for _, src := range sourceNames() {
			if !strings.Contains(l, `"msg":"pass","source":"`+src+`"`) {
				return false
			}
		}
		return strings.Contains(l, `"msg":"job done","job":"deliver"`)
	})

	var heap, rss float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		heap, rss = heapInUseMB(), rssMB()
	}
	b.StopTimer()
	b.ReportMetric(heap, "idle-heap-MB")
	b.ReportMetric(heap-heapBefore, "daemon-heap-MB")
	b.ReportMetric(rss, "rss-MB")
}
