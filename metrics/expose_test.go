package metrics

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The text format's details, as client_golang's encoder wrote them: escaping, numbers, label
// order, series order, empty families left out.
func TestFamilyWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fam  func() *family
		want string
	}{
		{"empty family writes nothing", func() *family {
			return newFamily("x_total", "Nothing yet.", typeCounter, "a")
		}, ""},
		{"unlabelled", func() *family {
			f := newFamily("x_bytes", "Some bytes.", typeGauge)
			f.with().value = 1 << 20
			return f
		}, "# HELP x_bytes Some bytes.\n# TYPE x_bytes gauge\nx_bytes 1.048576e+06\n"},
		{"help and label values escaped", func() *family {
			f := newFamily("x", "A \\ back\nslash \"quoted\".", typeGauge, "v")
			f.with("a\\b\n\"c\"").value = 2
			return f
		}, "# HELP x A \\\\ back\\nslash \"quoted\".\n# TYPE x gauge\nx{v=\"a\\\\b\\n\\\"c\\\"\"} 2\n"},
		{"special numbers", func() *family {
			f := newFamily("x", "h", typeGauge, "k")
			f.with("a").value = math.Inf(+1)
			f.with("b").value = math.Inf(-1)
			f.with("c").value = math.NaN()
			f.with("d").value = math.Copysign(0, -1)
			f.with("e").value = -1.5e-7
			f.with("f").value = 123456
			return f
		}, "# HELP x h\n# TYPE x gauge\nx{k=\"a\"} +Inf\nx{k=\"b\"} -Inf\nx{k=\"c\"} NaN\nx{k=\"d\"} 0\nx{k=\"e\"} -1.5e-07\nx{k=\"f\"} 123456\n"},
		{"labels by name, series by their values in that order", func() *family {
			f := newFamily("x", "h", typeCounter, "zone", "app")
			f.with("b", "2").value = 1
			f.with("a", "2").value = 2
			f.with("c", "1").value = 3
			return f
		}, "# HELP x h\n# TYPE x counter\nx{app=\"1\",zone=\"c\"} 3\nx{app=\"2\",zone=\"a\"} 2\nx{app=\"2\",zone=\"b\"} 1\n"},
		{"histogram: cumulative buckets, le last, bounds inclusive", func() *family {
			f := newFamily("x_seconds", "h", typeHistogram, "s")
			f.buckets = []float64{0.5, 1}
			s := f.with("a")
			for _, v := range []float64{0.5, 0.7, 1, 3} {
				f.observe(s, v)
			}
			return f
		}, "# HELP x_seconds h\n# TYPE x_seconds histogram\n" +
			"x_seconds_bucket{s=\"a\",le=\"0.5\"} 1\nx_seconds_bucket{s=\"a\",le=\"1\"} 3\nx_seconds_bucket{s=\"a\",le=\"+Inf\"} 4\n" +
			"x_seconds_sum{s=\"a\"} 5.2\nx_seconds_count{s=\"a\"} 4\n"},
		{"summary", func() *family {
			f := newFamily("x_seconds", "h", typeSummary)
			s := f.with()
			s.quantiles = []quantile{{0, 0.001}, {1, 0.002}}
			s.sum, s.count = 0.003, 2
			return f
		}, "# HELP x_seconds h\n# TYPE x_seconds summary\nx_seconds{quantile=\"0\"} 0.001\nx_seconds{quantile=\"1\"} 0.002\nx_seconds_sum 0.003\nx_seconds_count 2\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		tt.fam().write(&b)
		if got := b.String(); got != tt.want {
			t.Errorf("%s: write =\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

// fakeProc writes a procfs stand-in under a temporary directory: the files the process
// families are read from, as Linux writes them.
func fakeProc(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		// pid (comm) state ppid ... utime=250 stime=50 ... starttime=12345 vsize rss=2560
		"self/stat": "4242 (bill watch (x)) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 9 0 12345 1676283904 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		"stat":      "cpu  1 2 3 4\nbtime 1795800000\nprocesses 42\n",
		"self/limits": "Limit                     Soft Limit           Hard Limit           Units     \n" +
			"Max cpu time              unlimited            unlimited            seconds   \n" +
			"Max open files            1024                 1048576              files     \n" +
			"Max address space         unlimited            unlimited            bytes     \n",
		"self/net/netstat": "TcpExt: SyncookiesSent SyncookiesRecv\nTcpExt: 0 0\n" +
			"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets OutOctets\n" +
			"IpExt: 0 0 0 0 0 0 5000 7000\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "self/fd"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, fd := range []string{"0", "1", "2"} {
		if err := os.WriteFile(filepath.Join(dir, "self/fd", fd), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestProcessFamilies(t *testing.T) {
	t.Parallel()
	m := New(testSources)
	m.proc = fakeProc(t)
	page := float64(os.Getpagesize())
	tests := []struct {
		name string
		want float64
	}{
		{"process_cpu_seconds_total", 3},
		{"process_max_fds", 1024},
		{"process_network_receive_bytes_total", 5000},
		{"process_network_transmit_bytes_total", 7000},
		{"process_open_fds", 3},
		{"process_resident_memory_bytes", 2560 * page},
		{"process_start_time_seconds", 1795800000 + 123.45},
		{"process_virtual_memory_bytes", 1676283904},
		{"process_virtual_memory_max_bytes", math.MaxUint64},
	}
	for _, tt := range tests {
		f := newFamily(tt.name, "", typeGauge)
		if got := value(t, m, f); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := value(t, m, m.handlerErrors, causeGathering); got != 0 {
		t.Errorf("gathering errors = %v, want 0", got)
	}
}

// Without /proc (another system, a sandbox), the process's families are left out and counted
// as a gathering error; everything else is still served.
func TestProcessMissing(t *testing.T) {
	t.Parallel()
	m := New(testSources)
	m.proc = filepath.Join(t.TempDir(), "none")
	m.SetDBSize(10)
	var b bytes.Buffer
	m.write(&b)
	out := b.String()
	if strings.Contains(out, "\nprocess_") {
		t.Errorf("exposition has process families without /proc:\n%s", out)
	}
	for _, want := range []string{"\nbillwatch_db_size_bytes 10\n", "\ngo_goroutines ",
		"\npromhttp_metric_handler_errors_total{cause=\"gathering\"} 1\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition without /proc lacks %q", want)
		}
	}
}

// Every family of client_golang's Go and process collectors that billwatch served before it
// wrote the format itself is still served, under the same name and type, but
// go_gc_gogc_percent (reading it would link runtime/metrics, whose start-up every command
// paid; billwatch's daemon never changes it).
func TestRuntimeFamilies(t *testing.T) {
	t.Parallel()
	m := New(testSources)
	m.proc = fakeProc(t)
	var b bytes.Buffer
	m.write(&b)
	types := map[string]string{}
	for line := range strings.Lines(b.String()) {
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(strings.TrimSpace(rest), " ")
			types[name] = typ
		}
	}
	want := map[string]string{
		"go_gc_duration_seconds": "summary", "go_gc_gomemlimit_bytes": "gauge", "go_goroutines": "gauge",
		"go_info": "gauge", "go_memstats_alloc_bytes": "gauge", "go_memstats_alloc_bytes_total": "counter",
		"go_memstats_buck_hash_sys_bytes": "gauge", "go_memstats_frees_total": "counter",
		"go_memstats_gc_sys_bytes": "gauge", "go_memstats_heap_alloc_bytes": "gauge",
		"go_memstats_heap_idle_bytes": "gauge", "go_memstats_heap_inuse_bytes": "gauge",
		"go_memstats_heap_objects": "gauge", "go_memstats_heap_released_bytes": "gauge",
		"go_memstats_heap_sys_bytes": "gauge", "go_memstats_last_gc_time_seconds": "gauge",
		"go_memstats_mallocs_total": "counter", "go_memstats_mcache_inuse_bytes": "gauge",
		"go_memstats_mcache_sys_bytes": "gauge", "go_memstats_mspan_inuse_bytes": "gauge",
		"go_memstats_mspan_sys_bytes": "gauge", "go_memstats_next_gc_bytes": "gauge",
		"go_memstats_other_sys_bytes": "gauge", "go_memstats_stack_inuse_bytes": "gauge",
		"go_memstats_stack_sys_bytes": "gauge", "go_memstats_sys_bytes": "gauge",
		"go_sched_gomaxprocs_threads": "gauge", "go_threads": "gauge",
		"process_cpu_seconds_total": "counter", "process_max_fds": "gauge",
		"process_network_receive_bytes_total": "counter", "process_network_transmit_bytes_total": "counter",
		"process_open_fds": "gauge", "process_resident_memory_bytes": "gauge",
		"process_start_time_seconds": "gauge", "process_virtual_memory_bytes": "gauge",
		"process_virtual_memory_max_bytes": "gauge", "promhttp_metric_handler_errors_total": "counter",
	}
	for name, typ := range want {
		if types[name] != typ {
			t.Errorf("TYPE of %s = %q, want %q", name, types[name], typ)
		}
	}
	// The families come sorted by name, as client_golang wrote them.
	var names []string
	for line := range strings.Lines(b.String()) {
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			names = append(names, rest[:strings.IndexByte(rest, ' ')])
		}
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("family %s written after %s", names[i], names[i-1])
		}
	}
}

// GET /metrics is gzipped for a client that asks, as Prometheus does, and plain otherwise;
// both carry the text format's content type.
func TestHandlerGzip(t *testing.T) {
	t.Parallel()
	m := New(testSources)
	m.ObservePass("bills", ResultOK, 2*time.Second, 1, 0)
	h := m.Handler(nil)
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"identity", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Type"); got != contentType {
			t.Errorf("Accept-Encoding %q: Content-Type = %q, want %q", tt.accept, got, contentType)
		}
		body := rec.Body.Bytes()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.gzip {
			t.Errorf("Accept-Encoding %q: gzipped = %v, want %v", tt.accept, got, tt.gzip)
			continue
		}
		if tt.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("Accept-Encoding %q: %v", tt.accept, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("Accept-Encoding %q: %v", tt.accept, err)
			}
		}
		if want := "\nbillwatch_pass_duration_seconds_bucket{source=\"bills\",le=\"2.5\"} 1\n"; !bytes.Contains(body, []byte(want)) {
			t.Errorf("Accept-Encoding %q: body lacks %q", tt.accept, want)
		}
	}
}

// Updates and scrapes may run at once (the daemon's passes and Prometheus); -race checks it.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	m := New(testSources)
	h := m.Handler(nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			m.ObservePass("bills", ResultOK, time.Duration(i)*time.Millisecond, 1, 1)
			m.AlertSent("slack")
			m.SetFieldFound("bills", "list", "title", 1)
		}
	}()
	for range 20 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/metrics", nil))
	}
	<-done
	if got := value(t, m, m.passes, "bills", ResultOK); got != 200 {
		t.Errorf("passes{bills,ok} = %v, want 200", got)
	}
}
