package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/billwatch/billwatch/metrics"
	"github.com/billwatch/billwatch/schedule"
	"github.com/billwatch/billwatch/scraper"
	"github.com/billwatch/billwatch/tracker"
)

func runCommand() command {
	var every durationFlag
	return command{
		name: "run", args: "[--every DURATION]",
		summary: "the daemon: scheduled scraping, alert delivery, reminders",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&every, "every", "run every source every `DURATION`, overriding the schedules (tests, demos): at least 1m, or 100ms when every site is on loopback (--base-url)")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if err := checkEvery(g, every); err != nil {
				return err
			}
			return runDaemon(ctx, g, every.d)
		},
	}
}

// durationFlag is a duration flag that keeps the value as the user typed it, for errors.
type durationFlag struct {
	d   time.Duration
	raw string
}

func (f *durationFlag) String() string {
	if f == nil {
		return ""
	}
	return f.raw
}

func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	f.d, f.raw = d, s
	return nil
}

// Get makes the flag a flag.Getter of a time.Duration, so that a bad value is explained as one.
func (f *durationFlag) Get() any { return f.d }

// The shortest --every: a real site is read at most once a minute per source (the schedules
// say 30m); fixtures and mirrors on loopback may go faster, for tests and demos, but not in a
// tight loop.
const (
	minEvery         = time.Minute
	minEveryLoopback = 100 * time.Millisecond
)

// checkEvery checks --every as given: not given is the schedules; zero, negative or more often
// than the floor is refused, quoting the value as typed.
func checkEvery(g *globals, every durationFlag) error {
	if every.raw == "" {
		return nil
	}
	switch {
	case every.d < 0:
		return usageError("--every %q: must be positive (leave --every out to follow the schedules)", every.raw)
	case every.d == 0:
		return usageError("--every %q: must be more than 0 (leave --every out to follow the schedules)", every.raw)
	}
	// The floor depends on the sites the configuration names: a bad configuration is the
	// problem to report, not --every.
	cfg, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	floor := minEvery
	if allLoopback(g, cfg) {
		floor = minEveryLoopback
	}
	switch {
	case every.d < floor && floor == minEveryLoopback:
		return usageError("--every %q: too often: at least %s, even on loopback", every.raw, roughEvery(floor))
	case every.d < floor:
		return usageError("--every %q: too often: at least %s against the real sites (%s when every site is on loopback, with --base-url or [sites])", every.raw, roughEvery(floor), roughEvery(minEveryLoopback))
	}
	return nil
}

func roughEvery(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// allLoopback reports whether every site is read from this machine (fixtures, a mirror).
func allLoopback(g *globals, cfg *Config) bool {
	bases := g.basesFor(cfg)
	for site := range scraper.DefaultBases {
		u, err := url.Parse(bases[site])
		if err != nil || bases[site] == "" {
			return false
		}
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return false
		}
	}
	return true
}

// deliverEvery is how often the daemon drains the outbox and checks reminders.
const deliverEvery = time.Minute

// runDaemon is `billwatch run`: every source on its schedule, delivery and reminders every
// minute, metrics and health on loopback; it stops cleanly on SIGINT or SIGTERM. runEvery
// (--every), when not zero, replaces every schedule.
func runDaemon(ctx context.Context, g *globals, runEvery time.Duration) error {
	a, err := g.wire(wireOptions{writer: "run"})
	if err != nil {
		return err
	}
	defer a.close()
	log := a.log
	if err := a.tracker.Store.Check(); err != nil {
		return err
	}
	// The listener opens before anything runs: a refused address or a port in use stops the
	// daemon now, with one line, not after SIGTERM.
	ln, err := metrics.Listen(ctx, a.cfg.Daemon.Listen, metrics.ServeOptions{})
	if err != nil {
		return listenError(a.cfg, "daemon.listen", a.cfg.Daemon.Listen, err)
	}
	defer ln.Close()
	m := metrics.New(sourceNames())
	// A damaged database stops the daemon: every later pass would fail the same way.
	ctx, stopAll := context.WithCancelCause(ctx)
	defer stopAll(nil)
	d := &daemon{app: a, metrics: m, fatal: stopAll}

	var jobs []schedule.Job
	for _, row := range sources {
		src := row.name
		spec := a.cfg.scheduleFor(row)
		var s schedule.Schedule
		if runEvery > 0 {
			s = schedule.Every(runEvery)
		} else if s, err = schedule.Parse(spec); err != nil {
			return fmt.Errorf("config %s: schedule.%s: %w", a.cfg.source, src, err)
		}
		jobs = append(jobs, schedule.Job{Name: src, Schedule: s, Run: d.pass(src)})
	}
	every := deliverEvery
	if runEvery > 0 && runEvery < every {
		every = runEvery
	}
	jobs = append(jobs, schedule.Job{Name: "deliver", Schedule: schedule.Every(every), Run: d.deliver})

	jitter, _ := duration("schedule.jitter", a.cfg.Schedule["jitter"], 0)
	if runEvery > 0 {
		jitter = -1
	}
	srvCtx, stopServer := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServer()
	serverDone := make(chan error, 1)
	go func() {
		serverDone <- metrics.ServeListener(srvCtx, ln, m.Handler(d.health), log, metrics.ServeOptions{})
	}()
	waitWeb, err := startWeb(srvCtx, g, a)
	if err != nil {
		return err
	}
	log.Info("billwatch running", "db", a.tracker.Store.Path(), "listen", a.cfg.Daemon.Listen, "session", a.session)
	err = schedule.Run(ctx, jobs, schedule.Options{
		Jitter:     jitter,
		RunAtStart: true,
		Logger:     log,
		Now:        a.tracker.Now,
		OnStatus: func(st schedule.Status) {
			if st.Job == "deliver" || st.Next.IsZero() {
				return
			}
			_ = a.tracker.Store.UpdateRunStatus(st.Job, func(rs *tracker.RunStatus) { rs.NextRun = st.Next.UTC() })
		},
	})
	stopServer()
	if werr := waitWeb(); werr != nil {
		log.Warn("web server", "error", werr)
	}
	if serr := <-serverDone; serr != nil && !errors.Is(serr, context.Canceled) {
		log.Warn("metrics server", "error", serr)
	}
	if cause := context.Cause(ctx); errors.Is(cause, tracker.ErrDamaged) {
		return cause // printed as the exit line
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		log.Info("billwatch stopped")
		return nil
	}
	return err
}

// listenError says, in one line, why a listener named by a config key cannot start.
func listenError(cfg *Config, key, addr string, err error) error {
	why := err.Error()
	switch {
	case errors.Is(err, metrics.ErrNotLoopback):
		why = "not a loopback address: billwatch serves this on this machine only (write e.g. \"127.0.0.1:9464\")"
	case errors.Is(err, syscall.EADDRINUSE):
		why = "the port is in use (is another billwatch running?)"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		why = "no such address on this machine"
	case errors.Is(err, syscall.EACCES):
		why = "permission denied (ports below 1024 need privileges)"
	}
	return fmt.Errorf("config %s: %s = %q: cannot listen: %s", cfg.source, key, addr, why)
}

// daemon holds what the daemon's jobs share.
type daemon struct {
	app     *app
	metrics *metrics.Metrics
	mu      sync.Mutex        // one pass writes the calendar at a time
	fatal   func(cause error) // stops the daemon with cause

	unstoredMu sync.Mutex
	unstored   map[string]*unstored // per source: failed passes the database does not know of
}

// unstored is what the daemon alone knows of a source: the failed passes in a row whose
// failure could not be stored (a full disk, an unwritable status file), on top of the
// failures its stored health counts.
type unstored struct {
	failures int
	since    time.Time
	lastErr  string
	logged   bool // the source.unhealthy alert could not be stored, and the log said so
}

// stopIfDamaged stops the daemon when err says the database is damaged, or is a stored
// record that cannot be decoded in a file the whole check finds damaged: a file changed under
// the running daemon is not written to again.
func (d *daemon) stopIfDamaged(err error) {
	if err == nil || d.fatal == nil {
		return
	}
	if !errors.Is(err, tracker.ErrDamaged) && tracker.IsDecodeError(err) {
		if _, verr := d.app.tracker.Store.Verify(); errors.Is(verr, tracker.ErrDamaged) {
			err = verr
		}
	}
	if errors.Is(err, tracker.ErrDamaged) {
		d.fatal(err)
	}
}

// damaged reports whether the daemon is stopping on a damaged database.
func (d *daemon) damaged(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), tracker.ErrDamaged)
}

// recordOutcome keeps the daemon's own count of the failed passes of src whose failure the
// database could not store, and raises source.unhealthy when that count, with the stored
// one, reaches daemon.unhealthy_after. A pass that succeeds and is stored clears it; a failed
// pass that is stored keeps it (the stored count goes on from its own).
func (d *daemon) recordOutcome(ctx context.Context, src string, s tracker.Summary) {
	if ctx.Err() != nil || d.damaged(ctx) {
		return
	}
	// Only src's own job calls this for src: the entry may be read outside the lock here, and
	// the lock is not held across the database's reads and writes (/healthz takes it).
	d.unstoredMu.Lock()
	if d.unstored == nil {
		d.unstored = map[string]*unstored{}
	}
	u := d.unstored[src]
	if s.StoreErr == nil {
		if s.Outcome != tracker.Failed {
			delete(d.unstored, src)
		}
		d.unstoredMu.Unlock()
		return
	}
	if u == nil {
		u = &unstored{since: d.app.tracker.Now()}
		d.unstored[src] = u
	}
	u.failures++
	u.lastErr = s.FirstProblem()
	if s.Outcome != tracker.Failed {
		u.lastErr = "results not stored: " + strings.SplitN(s.StoreErr.Error(), "\n", 2)[0]
	}
	mine := *u
	d.unstoredMu.Unlock()

	health, err := d.app.tracker.Store.Health()
	if err != nil {
		return
	}
	h := health[src]
	failures := h.Failures + mine.failures
	if h.Unhealthy || failures < d.app.tracker.Threshold() {
		return
	}
	since := mine.since
	if !h.Since.IsZero() && h.Since.Before(since) {
		since = h.Since
	}
	queued, err := d.app.tracker.MarkUnhealthy(src, failures, since, mine.lastErr)
	if err != nil {
		if !mine.logged {
			d.app.log.Error("source unhealthy, and the alert cannot be stored", "source", src, "failures", failures, "last_error", mine.lastErr, "error", err)
			d.unstoredMu.Lock()
			u.logged = true
			d.unstoredMu.Unlock()
		}
		return
	}
	// The database holds the count now: what it does not know starts again from nothing.
	d.unstoredMu.Lock()
	delete(d.unstored, src)
	d.unstoredMu.Unlock()
	for _, a := range queued {
		d.metrics.AlertQueued(string(a.Kind))
	}
}

// sourceHealth is src's health as the daemon knows it: the stored health, with the failed
// passes the database could not store added to its count.
func (d *daemon) sourceHealth(h tracker.Health, src string) (unhealthy bool, failures int) {
	d.unstoredMu.Lock()
	defer d.unstoredMu.Unlock()
	failures = h.Failures
	if u := d.unstored[src]; u != nil {
		failures += u.failures
	}
	return h.Unhealthy || failures >= d.app.tracker.Threshold(), failures
}

func (d *daemon) pass(src string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		counted, pages := scraper.Counting(ctx)
		s := d.app.scrape(counted, []string{src}, nil, nil)[0]
		d.metrics.ObservePass(src, s.Outcome.String(), s.Duration, int(pages.Load()), s.Changed)
		for _, a := range s.Alerts {
			d.metrics.AlertQueued(string(a.Kind))
		}
		d.app.log.Info("pass", "source", src, "outcome", s.Outcome.String(), "summary", s.Line())
		for _, p := range s.Problems {
			d.stopIfDamaged(p)
		}
		if d.damaged(ctx) {
			return context.Cause(ctx)
		}
		d.recordOutcome(ctx, src, s)
		d.refresh()
		// What the pass read (pages, bill texts, provision trees, diffs) is garbage now. Give
		// its memory back to the system at once, not minutes later when the scavenger gets
		// round to it, so that the daemon stays small between passes.
		debug.FreeOSMemory()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.Outcome == tracker.Failed {
			return errors.New(s.FirstProblem())
		}
		return nil
	}
}

func (d *daemon) deliver(ctx context.Context) error {
	rem, err := d.app.reminders(ctx)
	if err != nil {
		d.stopIfDamaged(err)
		return err
	}
	for i := 0; i < rem.Alerts; i++ {
		d.metrics.AlertQueued("reminder")
	}
	sum, err := d.app.tracker.Deliver(ctx)
	for sink, n := range sum.SentBy {
		for i := 0; i < n; i++ {
			d.metrics.AlertSent(sink)
		}
	}
	for sink, n := range sum.FailedBy {
		for i := 0; i < n; i++ {
			d.metrics.DeliveryFailed(sink)
		}
	}
	if depth, err := d.app.tracker.Store.OutboxDepth(); err == nil {
		d.metrics.SetOutboxDepth(depth)
	}
	d.stopIfDamaged(err)
	return err
}

// refresh updates the gauges and the calendar file after a pass.
func (d *daemon) refresh() {
	store := d.app.tracker.Store
	d.metrics.SetDBSize(store.Size())
	health, _ := store.Health()
	runs, _ := store.RunStatuses()
	for _, src := range sourceNames() {
		unhealthy, failures := d.sourceHealth(health[src], src)
		d.metrics.SetSourceHealth(src, !unhealthy, failures, runs[src].LastSuccess)
		for _, f := range runs[src].Fields {
			d.metrics.SetFieldFound(src, f.Page, f.Field, f.Share())
		}
	}
	if path := d.app.cfg.Daemon.Calendar; path != "" {
		d.mu.Lock()
		defer d.mu.Unlock()
		if err := writeCalendarFile(store, path, d.app.tracker.Now()); err != nil {
			d.app.log.Warn("calendar file", "file", path, "error", err)
		}
	}
}

// health is /healthz: the database opens and every source is healthy.
func (d *daemon) health(ctx context.Context) error {
	health, err := d.app.tracker.Store.Health()
	if err != nil {
		return err
	}
	var bad []string
	for _, src := range sourceNames() {
		if unhealthy, failures := d.sourceHealth(health[src], src); unhealthy {
			bad = append(bad, fmt.Sprintf("%s unhealthy after %d failures", src, failures))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}
