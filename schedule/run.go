package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// Job is one scheduled piece of work, such as a pass over one source.
type Job struct {
	// Name identifies the job in logs and status ("bills"); it must be unique within a Run.
	Name string
	// Schedule says when the job runs.
	Schedule Schedule
	// Run does the work. Its ctx is cancelled when the daemon shuts down; it should return
	// promptly then.
	Run func(ctx context.Context) error
}

// Status is a snapshot of one job, handed to Options.OnStatus whenever the job starts, ends,
// or plans its next run, so that the daemon can record it for `billwatch status`.
type Status struct {
	// Job is the job's name.
	Job string
	// Running is true from the start of a run to its end.
	Running bool
	// Next is when the job will next start, jitter included; zero while it runs.
	Next time.Time
	// Started is when the current or last run started; zero before the first run.
	Started time.Time
	// Ended is when the last run ended; zero before the first run has ended.
	Ended time.Time
	// Err is the last run's error (nil if it succeeded); a panic is an error here.
	Err error
	// Runs counts finished runs; Failures those that returned an error or panicked, except
	// a run that returned its ctx's error because the daemon was shutting down.
	Runs, Failures int
	// Skipped counts scheduled times that passed while a run overran.
	Skipped int
}

// Options tune Run. The zero value is usable.
type Options struct {
	// Jitter is the largest random delay added to each scheduled run, so that sources do not
	// all fire on the same second. Zero means 10% of the time to the run after, capped at
	// DefaultMaxJitter; negative means none. Jitter never exceeds half of that time.
	Jitter time.Duration
	// Rand is the jitter's random source; nil uses math/rand/v2's global source. Tests pass
	// a seeded one (rand.NewPCG(1, 2)).
	Rand rand.Source
	// RunAtStart runs every job once as soon as Run starts, before its first scheduled time,
	// so a restarted daemon does not wait hours to look.
	RunAtStart bool
	// Logger receives one line per finished run and one per overrun; nil discards.
	Logger *slog.Logger
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// OnStatus, if set, is called from the job's goroutine each time a job's Status changes.
	// It must be safe for concurrent use and quick: the job waits for it.
	OnStatus func(Status)
	// Grace is how long Run waits, after ctx ends, for running jobs to return; zero means
	// DefaultGrace.
	Grace time.Duration
}

// DefaultGrace is how long Run waits for running jobs after shutdown unless Options.Grace
// says otherwise: long enough for a pass to finish its bbolt write, short enough for systemd.
const DefaultGrace = 30 * time.Second

// DefaultMaxJitter caps the default jitter so that a "fri 14:05" job starts by 14:07.
const DefaultMaxJitter = 2 * time.Minute

// maxSleep bounds one wait, so that a wall-clock jump or a suspended machine delays a run
// by at most this much instead of by the whole interval.
const maxSleep = time.Minute

// ErrNotStopped is wrapped by the error Run returns when a job ignored shutdown for longer
// than Options.Grace. It does not wrap the context's error: a stuck job is a failure.
var ErrNotStopped = errors.New("job did not stop")

// Run runs each job at its scheduled times until ctx ends. Jobs are independent: each has
// its own goroutine, so a slow job delays no other. A job is never started while its
// previous run is still going: scheduled times that pass during a run are skipped (logged
// once per overrun) and the next run is planned from the end of the long one. A job that
// returns an error or panics is logged and counted, and runs again at its next time.
//
// When ctx ends, Run starts no more jobs; running jobs see their ctx cancelled. Run returns
// ctx.Err() once every job has returned, or, if some have not returned after Options.Grace,
// an error naming them that wraps ErrNotStopped. It returns an error at once, running
// nothing, if a job lacks a name, a schedule or a function, or if two jobs share a name.
func Run(ctx context.Context, jobs []Job, opts Options) error {
	if err := validate(jobs); err != nil {
		return err
	}
	r := newRunner(opts)
	for _, j := range jobs {
		r.active[j.Name] = true // before any goroutine can delete from it
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			defer r.exited(j.Name)
			r.loop(ctx, j)
		})
	}
	<-ctx.Done()

	stopped := make(chan struct{})
	go func() {
		wg.Wait()
		close(stopped)
	}()
	grace := time.NewTimer(r.grace)
	defer grace.Stop()
	select {
	case <-stopped:
		return ctx.Err()
	case <-grace.C:
		return fmt.Errorf("schedule: %s still running %s after shutdown: %w",
			strings.Join(r.stillActive(), ", "), r.grace, ErrNotStopped)
	}
}

func validate(jobs []Job) error {
	if len(jobs) == 0 {
		return errors.New("schedule: no jobs to run")
	}
	seen := make(map[string]bool)
	for i, j := range jobs {
		switch {
		case j.Name == "":
			return fmt.Errorf("schedule: job %d has no name", i)
		case seen[j.Name]:
			return fmt.Errorf("schedule: two jobs named %q", j.Name)
		case j.Schedule == nil:
			return fmt.Errorf("schedule: job %q has no schedule", j.Name)
		case j.Run == nil:
			return fmt.Errorf("schedule: job %q has no run function", j.Name)
		}
		seen[j.Name] = true
	}
	return nil
}

type runner struct {
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	grace  time.Duration
	mu     sync.Mutex // guards rand and active
	rand   *rand.Rand
	active map[string]bool
}

func newRunner(opts Options) *runner {
	r := &runner{opts: opts, log: opts.Logger, now: opts.Now, grace: opts.Grace, active: make(map[string]bool)}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.grace <= 0 {
		r.grace = DefaultGrace
	}
	if opts.Rand != nil {
		r.rand = rand.New(opts.Rand)
	}
	return r
}

func (r *runner) exited(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.active, name)
}

func (r *runner) stillActive() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for name := range r.active {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (r *runner) report(st Status) {
	if r.opts.OnStatus != nil {
		r.opts.OnStatus(st)
	}
}

// loop runs one job until ctx ends.
func (r *runner) loop(ctx context.Context, j Job) {
	st := Status{Job: j.Name}
	base := r.now()
	if r.opts.RunAtStart && ctx.Err() == nil {
		start, end := r.runOnce(ctx, j, &st)
		base = r.afterRun(j, &st, start, start, end)
	}
	for ctx.Err() == nil {
		planned := j.Schedule.Next(base)
		if !planned.After(base) {
			// A Schedule bug must not spin the loop nor silently stop the job.
			r.log.Error("schedule returned a time not after the previous one", "job", j.Name, "after", base, "next", planned)
			planned = base.Add(time.Minute)
		}
		st.Next = planned.Add(r.jitter(j.Schedule.Next(planned).Sub(planned)))
		r.report(st)
		if !r.sleepUntil(ctx, st.Next) {
			return
		}
		start, end := r.runOnce(ctx, j, &st)
		base = r.afterRun(j, &st, planned, start, end)
	}
}

// afterRun returns the time the next run is planned from: the planned time of the run that
// just ended, or its end if it overran one or more later planned times.
func (r *runner) afterRun(j Job, st *Status, planned, start, end time.Time) time.Time {
	missed := 0
	for t := j.Schedule.Next(planned); t.Before(end) && missed < 10000; t = j.Schedule.Next(t) {
		missed++
	}
	if missed == 0 {
		return planned
	}
	st.Skipped += missed
	r.log.Warn("job overran its schedule; skipped missed runs",
		"job", j.Name, "duration", end.Sub(start), "missed", missed)
	return end
}

// jitter draws a random delay for a run whose following run is next later.
func (r *runner) jitter(next time.Duration) time.Duration {
	limit := r.opts.Jitter
	if limit < 0 {
		return 0
	}
	if limit == 0 {
		limit = min(next/10, DefaultMaxJitter)
	}
	limit = min(limit, next/2)
	if limit <= 0 {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rand != nil {
		return time.Duration(r.rand.Int64N(int64(limit) + 1))
	}
	return time.Duration(rand.Int64N(int64(limit) + 1))
}

// sleepUntil waits until at by the clock of r.now, and reports false if ctx ended first.
func (r *runner) sleepUntil(ctx context.Context, at time.Time) bool {
	for {
		d := at.Sub(r.now())
		if d <= 0 {
			return ctx.Err() == nil
		}
		t := time.NewTimer(min(d, maxSleep))
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// runOnce runs the job once, recovering a panic, and records the outcome in st.
func (r *runner) runOnce(ctx context.Context, j Job, st *Status) (start, end time.Time) {
	start = r.now()
	st.Running, st.Started, st.Next = true, start, time.Time{}
	r.report(*st)

	stack, err := call(ctx, j)
	end = r.now()
	stopped := stack == nil && err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
	st.Running, st.Ended, st.Err = false, end, err
	st.Runs++
	if err != nil && !stopped { // a run cut short by shutdown is no failure of the source
		st.Failures++
	}
	r.report(*st)

	d := end.Sub(start)
	switch {
	case stack != nil:
		r.log.Error("job panicked", "job", j.Name, "error", err, "duration", d, "stack", string(stack))
	case stopped:
		r.log.Info("job stopped by shutdown", "job", j.Name, "duration", d)
	case err != nil:
		r.log.Error("job failed", "job", j.Name, "error", err, "duration", d)
	default:
		r.log.Info("job done", "job", j.Name, "duration", d)
	}
	return start, end
}

// call runs the job's function, turning a panic into an error and the stack that led to it.
func call(ctx context.Context, j Job) (stack []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, v)
			stack = debug.Stack()
		}
	}()
	return nil, j.Run(ctx)
}
