package schedule

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Every test here runs inside a synctest bubble: time is fake and starts at
// 2000-01-01 00:00 UTC (1999-12-31 19:00 Eastern), and it advances only when every goroutine
// in the bubble is blocked, so hours of schedule pass in microseconds.

// recorder is a slog.Handler that keeps the records it is given.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recorder) WithGroup(string) slog.Handler            { return h }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// messages returns "message job=NAME" for each record, in order.
func (h *recorder) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.records {
		s := r.Message
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "job" {
				s += " job=" + a.Value.String()
			}
			return true
		})
		out = append(out, s)
	}
	return out
}

func (h *recorder) count(msg string) int {
	n := 0
	for _, m := range h.messages() {
		if strings.HasPrefix(m, msg) {
			n++
		}
	}
	return n
}

// starts records when each job started, as offsets from the start of the bubble.
type starts struct {
	mu    sync.Mutex
	t0    time.Time
	times map[string][]time.Duration
}

func newStarts() *starts { return &starts{t0: time.Now(), times: make(map[string][]time.Duration)} }

func (s *starts) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.times[name] = append(s.times[name], time.Since(s.t0))
}

func (s *starts) get(name string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.times[name]...)
}

// job returns a job that records its starts and then works for d (or until ctx ends).
func (s *starts) job(name string, sch Schedule, d time.Duration) Job {
	return Job{Name: name, Schedule: sch, Run: func(ctx context.Context) error {
		s.add(name)
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
}

// runFor runs jobs for d of fake time, cancels, and returns Run's error and how long after
// the start Run returned.
func runFor(t *testing.T, d time.Duration, jobs []Job, opts Options) (time.Duration, error) {
	t.Helper()
	t0 := time.Now()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, jobs, opts) }()
	time.Sleep(d)
	cancel()
	err := <-done
	return time.Since(t0), err
}

func mustParse(t *testing.T, spec string) Schedule {
	t.Helper()
	s, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunStartTimes(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name  string
		spec  string
		atRun bool
		work  time.Duration
		for_  time.Duration
		want  []time.Duration
	}{
		{"interval", "10m", false, time.Second, 35 * m, []time.Duration{10 * m, 20 * m, 30 * m}},
		{"run at start", "10m", true, time.Second, 35 * m, []time.Duration{0, 10 * m, 20 * m, 30 * m}},
		{"work does not drift the interval", "10m", false, 3 * m, 35 * m, []time.Duration{10 * m, 20 * m, 30 * m}},
		// The bubble starts at 19:00 Eastern: 08:00 is 13h later, then daily.
		{"daily", "daily 08:00", false, time.Second, 72 * time.Hour, []time.Duration{13 * time.Hour, 37 * time.Hour, 61 * time.Hour}},
		{"daily at start", "daily 08:00", true, time.Second, 24 * time.Hour, []time.Duration{0, 13 * time.Hour}},
		// Overrun: 30m of work every 10m. Started at 10m, it ends at 40m, skipping the 20m
		// and 30m ticks; the next run is planned from 40m.
		{"overrun", "10m", false, 30 * m, 100 * m, []time.Duration{10 * m, 50 * m, 90 * m}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newStarts()
				job := s.job("bills", mustParse(t, tt.spec), tt.work)
				_, err := runFor(t, tt.for_, []Job{job}, Options{Jitter: -1, RunAtStart: tt.atRun})
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run = %v, want context.Canceled", err)
				}
				if diff := cmp.Diff(tt.want, s.get("bills")); diff != "" {
					t.Errorf("%s: start times (-want +got):\n%s", tt.spec, diff)
				}
			})
		})
	}
}

func TestRunNoOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var running, most, runs atomic.Int32
		job := Job{Name: "hearings", Schedule: Every(10 * time.Minute), Run: func(ctx context.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			runs.Add(1)
			select { // 3× the interval
			case <-time.After(30 * time.Minute):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
		logs := &recorder{}
		var mu sync.Mutex
		var last Status
		opts := Options{Jitter: -1, RunAtStart: true, Logger: slog.New(logs), OnStatus: func(st Status) {
			mu.Lock()
			defer mu.Unlock()
			last = st
		}}
		runFor(t, 4*time.Hour+5*time.Minute, []Job{job}, opts)

		if got := most.Load(); got != 1 {
			t.Errorf("most concurrent runs = %d, want 1", got)
		}
		// Runs at 0, 40m, 80m, 120m, 160m, 200m, 240m (the last one cut short by shutdown).
		if got := runs.Load(); got != 7 {
			t.Errorf("runs = %d, want 7", got)
		}
		if got := logs.count("job overran its schedule"); got != 6 {
			t.Errorf("overrun log lines = %d, want 6 (one per overrun, not per missed tick): %q", got, logs.messages())
		}
		mu.Lock()
		defer mu.Unlock()
		if last.Skipped != 12 {
			t.Errorf("Status.Skipped = %d, want 12 (two ticks per overrun)", last.Skipped)
		}
	})
}

func TestRunJobsAreIndependent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStarts()
		slow := s.job("bills", Every(10*time.Minute), time.Hour)
		fast := s.job("hearings", Every(10*time.Minute), time.Second)
		runFor(t, 65*time.Minute, []Job{slow, fast}, Options{Jitter: -1})
		m := time.Minute
		want := map[string][]time.Duration{
			"bills":    {10 * m},
			"hearings": {10 * m, 20 * m, 30 * m, 40 * m, 50 * m, 60 * m},
		}
		got := map[string][]time.Duration{"bills": s.get("bills"), "hearings": s.get("hearings")}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("start times (-want +got):\n%s", diff)
		}
	})
}

func TestRunShutdown(t *testing.T) {
	tests := []struct {
		name        string
		cleanup     time.Duration // how long the job takes to return once its ctx is cancelled
		ignoreCtx   bool
		grace       time.Duration
		wantElapsed time.Duration // from the start of Run; shutdown is at 15m
		wantErr     string        // "" means context.Canceled
	}{
		{"returns when the job returns", 5 * time.Second, false, 0, 15*time.Minute + 5*time.Second, ""},
		{"job ignoring ctx reported after grace", 0, true, 10 * time.Second, 15*time.Minute + 10*time.Second,
			"schedule: regulations still running 10s after shutdown: job did not stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var sawCancel, returned atomic.Bool
				stuck := Job{Name: "regulations", Schedule: Every(10 * time.Minute), Run: func(ctx context.Context) error {
					defer returned.Store(true)
					if tt.ignoreCtx {
						time.Sleep(time.Hour)
						return nil
					}
					<-ctx.Done()
					sawCancel.Store(true)
					time.Sleep(tt.cleanup)
					return ctx.Err()
				}}
				idle := Job{Name: "bills", Schedule: Every(time.Hour), Run: func(context.Context) error { return nil }}
				var mu sync.Mutex
				var last Status
				onStatus := func(st Status) {
					mu.Lock()
					defer mu.Unlock()
					if st.Job == "regulations" {
						last = st
					}
				}
				elapsed, err := runFor(t, 15*time.Minute, []Job{stuck, idle}, Options{Jitter: -1, Grace: tt.grace, OnStatus: onStatus})

				if elapsed != tt.wantElapsed {
					t.Errorf("Run returned %s after start, want %s", elapsed, tt.wantElapsed)
				}
				if tt.wantErr == "" {
					if !errors.Is(err, context.Canceled) {
						t.Errorf("Run = %v, want context.Canceled", err)
					}
					if !sawCancel.Load() || !returned.Load() {
						t.Errorf("job saw cancel = %t, returned before Run = %t; want both", sawCancel.Load(), returned.Load())
					}
					mu.Lock()
					defer mu.Unlock()
					if last.Runs != 1 || last.Failures != 0 || !errors.Is(last.Err, context.Canceled) {
						t.Errorf("status after shutdown = %+v, want 1 run, 0 failures, Err context.Canceled", last)
					}
					return
				}
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("Run = %v, want %q", err, tt.wantErr)
				}
				if !errors.Is(err, ErrNotStopped) || errors.Is(err, context.Canceled) {
					t.Errorf("Run = %v: errors.Is(ErrNotStopped) = %t, errors.Is(context.Canceled) = %t; want true, false",
						err, errors.Is(err, ErrNotStopped), errors.Is(err, context.Canceled))
				}
				if returned.Load() {
					t.Error("stuck job had returned before Run did")
				}
				time.Sleep(time.Hour) // let the stuck job end, or the bubble reports a leak
				synctest.Wait()
			})
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var runs atomic.Int32
		job := Job{Name: "bills", Schedule: Every(time.Minute), Run: func(context.Context) error { runs.Add(1); return nil }}
		if err := Run(ctx, []Job{job}, Options{RunAtStart: true}); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		if n := runs.Load(); n != 0 {
			t.Errorf("runs = %d, want 0", n)
		}
	})
}

func TestRunRecoversPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var runs atomic.Int32
		job := Job{Name: "bills", Schedule: Every(10 * time.Minute), Run: func(context.Context) error {
			if runs.Add(1) == 1 {
				var s []int
				s[runs.Load()]++ // a real runtime panic
			}
			return nil
		}}
		bad := Job{Name: "hearings", Schedule: Every(10 * time.Minute), Run: func(context.Context) error {
			return errors.New("ourcommons: fetch meetings: 503")
		}}
		logs := &recorder{}
		var mu sync.Mutex
		final := map[string]Status{}
		opts := Options{Jitter: -1, Logger: slog.New(logs), OnStatus: func(st Status) {
			mu.Lock()
			defer mu.Unlock()
			if st.Runs == 1 && !st.Running {
				final[st.Job] = st
			}
		}}
		_, err := runFor(t, 25*time.Minute, []Job{job, bad}, opts)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		if n := runs.Load(); n != 2 {
			t.Errorf("runs after a panic = %d, want 2 (the daemon goes on)", n)
		}
		mu.Lock()
		defer mu.Unlock()
		st := final["bills"]
		if st.Failures != 1 || st.Err == nil || !strings.Contains(st.Err.Error(), "job bills panicked: runtime error: index out of range [1] with length 0") {
			t.Errorf("status after the panic = %+v, want 1 failure with the panic as error", st)
		}
		if st := final["hearings"]; st.Failures != 1 || st.Err == nil {
			t.Errorf("status after an error = %+v, want 1 failure", st)
		}
		// Both jobs run at 10m and 20m, in either order.
		want := []string{
			"job done job=bills", "job failed job=hearings", "job failed job=hearings", "job panicked job=bills",
		}
		got := logs.messages()
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("log (-want +got):\n%s", diff)
		}
	})
}

func TestRunStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		var mu sync.Mutex
		var got []Status
		fail := errors.New("legisinfo: fetch bills: 500")
		var n atomic.Int32
		job := Job{Name: "bills", Schedule: Every(10 * time.Minute), Run: func(context.Context) error {
			time.Sleep(time.Minute)
			if n.Add(1) == 1 {
				return fail
			}
			return nil
		}}
		opts := Options{Jitter: -1, OnStatus: func(st Status) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, st)
		}}
		runFor(t, 25*time.Minute, []Job{job}, opts)

		at := func(d time.Duration) time.Time { return t0.Add(d) }
		m := time.Minute
		want := []Status{
			{Job: "bills", Next: at(10 * m)},
			{Job: "bills", Running: true, Started: at(10 * m)},
			{Job: "bills", Started: at(10 * m), Ended: at(11 * m), Err: fail, Runs: 1, Failures: 1},
			{Job: "bills", Next: at(20 * m), Started: at(10 * m), Ended: at(11 * m), Err: fail, Runs: 1, Failures: 1},
			{Job: "bills", Running: true, Started: at(20 * m), Ended: at(11 * m), Err: fail, Runs: 1, Failures: 1},
			{Job: "bills", Started: at(20 * m), Ended: at(21 * m), Runs: 2, Failures: 1},
			{Job: "bills", Next: at(30 * m), Started: at(20 * m), Ended: at(21 * m), Runs: 2, Failures: 1},
		}
		mu.Lock()
		defer mu.Unlock()
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("statuses (-want +got):\n%s", diff)
		}
	})
}

func TestRunJitter(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name     string
		every    time.Duration
		jitter   time.Duration
		maxDelay time.Duration
	}{
		{"default is 10% of the interval", 10 * m, 0, m},
		{"default is capped at 2m", 3 * time.Hour, 0, 2 * m},
		{"explicit", 10 * m, 30 * time.Second, 30 * time.Second},
		{"explicit is capped at half the interval", 10 * m, 20 * m, 5 * m},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				trial := func() []time.Duration {
					s := newStarts()
					job := s.job("bills", Every(tt.every), time.Second)
					runFor(t, 20*tt.every+tt.every*3/4, []Job{job}, Options{Jitter: tt.jitter, Rand: rand.NewPCG(1, 2)})
					return s.get("bills")
				}
				first := trial()
				if len(first) != 20 {
					t.Fatalf("runs = %d, want 20", len(first))
				}
				var spread time.Duration
				for i, start := range first {
					planned := time.Duration(i+1) * tt.every // jitter never shifts the plan
					delay := start - planned
					if delay < 0 || delay > tt.maxDelay {
						t.Errorf("run %d started %s after its planned time, want within [0, %s]", i, delay, tt.maxDelay)
					}
					spread = max(spread, delay)
				}
				if spread < tt.maxDelay/4 {
					t.Errorf("largest delay %s over 20 runs, want some real jitter up to %s", spread, tt.maxDelay)
				}
				// The same seed gives the same delays.
				if diff := cmp.Diff(first, trial()); diff != "" {
					t.Errorf("same seed, different start times (-first +second):\n%s", diff)
				}
			})
		})
	}
}

func TestRunRejectsBadJobs(t *testing.T) {
	ok := func(context.Context) error { return nil }
	every := Every(time.Minute)
	tests := []struct {
		name string
		jobs []Job
		want string
	}{
		{"none", nil, "schedule: no jobs to run"},
		{"no name", []Job{{Schedule: every, Run: ok}}, "schedule: job 0 has no name"},
		{"duplicate", []Job{{Name: "bills", Schedule: every, Run: ok}, {Name: "bills", Schedule: every, Run: ok}}, `schedule: two jobs named "bills"`},
		{"no schedule", []Job{{Name: "bills", Run: ok}}, `schedule: job "bills" has no schedule`},
		{"no func", []Job{{Name: "bills", Schedule: every}}, `schedule: job "bills" has no run function`},
	}
	for _, tt := range tests {
		err := Run(t.Context(), tt.jobs, Options{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Run = %v, want %q", tt.name, err, tt.want)
		}
	}
}
