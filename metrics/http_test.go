package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestHandlerMetrics(t *testing.T) {
	m := New(testSources)
	m.ObservePass("bills", ResultOK, time.Second, 3, 1)
	m.AlertQueued("bill.introduced")
	m.AlertSent("slack")
	m.DeliveryFailed("slack")
	m.SetOutboxDepth(2)
	m.SetSourceHealth("bills", true, 0, time.Now())
	m.SetDBSize(4096)
	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()

	code, body := get(t, srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200", code)
	}
	for _, name := range []string{
		`billwatch_passes_total{result="ok",source="bills"} 1`,
		`billwatch_pass_duration_seconds_bucket{source="bills",le="1"} 1`,
		`billwatch_pages_fetched_total{source="bills"} 3`,
		`billwatch_changes_total{source="bills"} 1`,
		`billwatch_alerts_queued_total{kind="bill.introduced"} 1`,
		`billwatch_alerts_sent_total{sink="slack"} 1`,
		`billwatch_deliveries_failed_total{sink="slack"} 1`,
		`billwatch_outbox_depth 2`,
		`billwatch_source_healthy{source="bills"} 1`,
		`billwatch_source_consecutive_failures{source="bills"} 0`,
		`billwatch_last_success_timestamp_seconds{source="bills"}`,
		`billwatch_db_size_bytes 4096`,
		"go_goroutines ",
		"process_start_time_seconds ",
	} {
		if !strings.Contains(body, name) {
			t.Errorf("GET /metrics lacks %q", name)
		}
	}
}

func TestHandlerHealthAndPaths(t *testing.T) {
	var healthErr error
	m := New(testSources)
	srv := httptest.NewServer(m.Handler(func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("health check has no deadline")
		}
		return healthErr
	}))
	defer srv.Close()

	tests := []struct {
		name     string
		path     string
		health   error
		wantCode int
		wantBody string // exact, for /healthz
	}{
		{"healthy", "/healthz", nil, 200, "ok\n"},
		{"unhealthy", "/healthz", fmt.Errorf("tracker: source bills: %w", errors.New("3 failed passes since 2026-06-01T10:00:00-04:00")),
			503, "tracker: source bills: 3 failed passes since 2026-06-01T10:00:00-04:00\n"},
		{"multi-line error shows its first line", "/healthz", errors.New("tracker: bills unhealthy\ndetail: layout changed"),
			503, "tracker: bills unhealthy\n"},
		{"root", "/", nil, 404, ""},
		{"elsewhere", "/debug/pprof/", nil, 404, ""},
		{"metrics with a suffix", "/metrics/x", nil, 404, ""},
	}
	for _, tt := range tests {
		healthErr = tt.health
		code, body := get(t, srv.URL+tt.path)
		if code != tt.wantCode {
			t.Errorf("%s: GET %s = %d, want %d", tt.name, tt.path, code, tt.wantCode)
		}
		if tt.wantBody != "" && body != tt.wantBody {
			t.Errorf("%s: GET %s body = %q, want %q", tt.name, tt.path, body, tt.wantBody)
		}
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		{"0.0.0.0:9464", `metrics: refusing to serve on "0.0.0.0:9464": not a loopback address`},
		{":9464", `metrics: refusing to serve on ":9464": not a loopback address`},
		{"[::]:9464", `metrics: refusing to serve on "[::]:9464": not a loopback address`},
		{"192.168.1.10:9464", `metrics: refusing to serve on "192.168.1.10:9464": not a loopback address`},
		{"metrics.example.org:9464", `metrics: refusing to serve on "metrics.example.org:9464": not a loopback address`},
		{"127.0.0.1", `metrics: address "127.0.0.1": address 127.0.0.1: missing port in address`},
	}
	for _, tt := range tests {
		err := Serve(t.Context(), tt.addr, http.NotFoundHandler(), nil, ServeOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Serve(%q) = %v, want an error starting %q", tt.addr, err, tt.want)
		}
	}
	// Allowed explicitly, a non-loopback address passes the check (nothing listens here).
	if err := checkAddr("0.0.0.0:9464", true); err != nil {
		t.Errorf("checkAddr(0.0.0.0:9464, allowed) = %v, want nil", err)
	}
	for _, addr := range []string{"127.0.0.1:9464", "127.0.0.2:9464", "[::1]:9464", "localhost:9464"} {
		if err := checkAddr(addr, false); err != nil {
			t.Errorf("checkAddr(%q) = %v, want nil", addr, err)
		}
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	// Find a free loopback port, then serve on it through the public entry point.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	m := New(testSources)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, addr, m.Handler(nil), slog.New(slog.DiscardHandler), ServeOptions{})
	}()

	// Wait until it answers (bounded: 100 tries, 2 s).
	var code int
	for range 100 {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			code = resp.StatusCode
			resp.Body.Close()
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Serve(%s) returned early: %v", addr, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if code != http.StatusOK {
		t.Fatalf("GET /healthz on %s = %d, want 200", addr, code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10s of cancel")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("server on %s still answers after shutdown", addr)
	}
}

func TestServeListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	err = Serve(t.Context(), addr, http.NotFoundHandler(), nil, ServeOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "metrics: listen on "+addr+": ") {
		t.Errorf("Serve on a taken port = %v, want an error naming %s", err, addr)
	}
}
