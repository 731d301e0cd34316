package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultAddr is where the daemon serves metrics unless configured otherwise: loopback
// only, so that nothing is exposed beyond the machine by accident.
const DefaultAddr = "127.0.0.1:9464"

// healthTimeout bounds one health check, so that a stuck check answers 503, not nothing.
const healthTimeout = 5 * time.Second

// Handler serves GET /metrics (the Prometheus text format, from m's own registry) and
// GET /healthz: 200 "ok" when health returns nil, 503 with the first line of its error
// otherwise; every other path is 404. A nil health is always healthy. The health error is
// shown to whoever can reach the port, so it must carry no secret.
func (m *Metrics) Handler(health func(ctx context.Context) error) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", m.serveMetrics)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if health != nil {
			ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
			defer cancel()
			if err := health(ctx); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintln(w, firstLine(err.Error()))
				return
			}
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// contentType is the text exposition format's, as client_golang served it.
const contentType = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"

// serveMetrics writes every family in the text format, gzipped when the client accepts it (as
// Prometheus does). A family that cannot be read (the process's, where /proc is missing) is
// left out and counted in promhttp_metric_handler_errors_total{cause="gathering"}; the
// others are served.
func (m *Metrics) serveMetrics(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	m.write(&b)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Add("Vary", "Accept-Encoding")
	var out io.Writer = w
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer func() {
			if err := zw.Close(); err != nil {
				m.add(m.handlerErrors, 1, causeEncoding)
			}
		}()
		out = zw
	} else {
		h.Set("Content-Length", strconv.Itoa(b.Len()))
	}
	if _, err := out.Write(b.Bytes()); err != nil {
		m.add(m.handlerErrors, 1, causeEncoding)
	}
}

// write appends every family in the text format to b, sorted by name.
func (m *Metrics) write(b *bytes.Buffer) {
	fams := goFamilies()
	procs, err := procFamilies(m.proc)
	fams = append(fams, procs...)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.handlerErrors.with(causeGathering).value++
	}
	fams = append(fams, m.passes, m.passDuration, m.pages, m.changes,
		m.alertsQueued, m.alertsSent, m.deliveriesFailed, m.outboxDepth,
		m.healthy, m.failures, m.lastSuccess, m.fieldFound, m.dbSize, m.handlerErrors)
	slices.SortFunc(fams, func(a, b *family) int { return strings.Compare(a.name, b.name) })
	for _, f := range fams {
		f.write(b)
	}
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (without q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return "unhealthy"
	}
	return line
}

// ServeOptions tune Serve. The zero value serves on loopback only.
type ServeOptions struct {
	// AllowNonLoopback lets Serve listen on an address other than loopback (0.0.0.0:9464,
	// :9464, a LAN address or a host name). Metrics and health text then reach whoever can
	// reach the machine, so it must be asked for explicitly.
	AllowNonLoopback bool
	// ShutdownTimeout bounds the wait for in-flight requests once ctx ends; zero means 5s.
	ShutdownTimeout time.Duration
}

// Serve serves h on addr until ctx ends, then shuts the server down gracefully and returns
// nil. It returns an error at once, naming the address, if addr is not a loopback address
// (127.0.0.0/8, ::1, localhost) and opts.AllowNonLoopback is false, or if it cannot listen.
func Serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, opts ServeOptions) error {
	ln, err := Listen(ctx, addr, opts)
	if err != nil {
		return err
	}
	return ServeListener(ctx, ln, h, logger, opts)
}

// ErrNotLoopback is why Serve and Listen refuse an address beyond this machine.
var ErrNotLoopback = errors.New("not a loopback address")

// Listen opens the listener Serve would use, so that a caller can fail at start-up, before
// anything else runs, when the address is refused (not loopback) or cannot be listened on (a
// port in use, an address not on this machine).
func Listen(ctx context.Context, addr string, opts ServeOptions) (net.Listener, error) {
	if err := checkAddr(addr, opts.AllowNonLoopback); err != nil {
		return nil, err
	}
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	return ln, nil
}

// ServeListener serves h on ln (from Listen) until ctx ends, like Serve. It closes ln.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, opts ServeOptions) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger.Info("serving metrics", "addr", ln.Addr().String())
	return serve(ctx, ln, h, logger, opts)
}

// checkAddr refuses an address that is not loopback, unless allowed.
func checkAddr(addr string, allow bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("metrics: address %q: %w", addr, err)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("metrics: refusing to serve on %q: %w (allow it explicitly to expose metrics beyond this machine)", addr, ErrNotLoopback)
}

// serve runs an HTTP server on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, opts ServeOptions) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	select {
	case err := <-done:
		// The server stopped on its own: the listener failed.
		return fmt.Errorf("metrics: serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	timeout := opts.ShutdownTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("metrics: serve on %s: %w", ln.Addr(), serr)
	}
	if err != nil {
		return fmt.Errorf("metrics: shut down server on %s: %w", ln.Addr(), err)
	}
	return nil
}
