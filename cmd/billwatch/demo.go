package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// demoStep is one pass of the demo: a snapshot of the sites at a moment.
type demoStep struct {
	snapshot int
	at       time.Time
	title    string
}

func eastern(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, billwatch.Eastern)
}

// demoSteps is the week the fixtures tell.
var demoSteps = []demoStep{
	{1, eastern(2026, 11, 16, 10, 0), "baseline: billwatch records the session as it stands"},
	{2, eastern(2026, 11, 23, 10, 0), "a week later: a new bill, a referral, committee amendments, royal assent, a hearing, a proposed regulation"},
	{3, eastern(2026, 11, 25, 10, 0), "two days later: a hearing notice amended, a meeting cancelled, a regulation made; reminders fall due"},
	{3, eastern(2026, 12, 14, 9, 0), "December 14: nothing new on the sites; the comment-deadline reminder falls due"},
	{3, eastern(2026, 12, 19, 9, 0), "December 19: two days before the comment deadline"},
}

// clock is the demo's settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func demoCommand() command {
	passes := len(demoSteps)
	return command{
		name: "demo", args: "[--passes N]", summary: "the whole pipeline, offline, on the bundled fixtures served on loopback",
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&passes, "passes", len(demoSteps), fmt.Sprintf("run the first `N` passes only (1 to %d): the database as it stood then", len(demoSteps)))
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if passes < 1 || passes > len(demoSteps) {
				return usageError("--passes %d: want 1 to %d", passes, len(demoSteps))
			}
			return runDemo(ctx, g, demoSteps[:passes])
		},
	}
}

// runDemo runs the demo's passes (the first steps of demoSteps).
func runDemo(ctx context.Context, g *globals, steps []demoStep) error {
	servers, err := fixtures.Server(1)
	if err != nil {
		return err
	}
	defer servers.Close()

	keep := g.db != ""
	dbPath := g.db
	if !keep {
		dir, err := os.MkdirTemp("", "billwatch-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "demo.db")
	} else if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("demo: %s exists; the demo starts from a fresh database (remove it or name another with --db)", dbPath)
	}
	dg := *g
	dg.db = dbPath
	dg.bases = baseFlags(servers.Bases())
	clk := &clock{t: steps[0].at}
	a, err := dg.wire(wireOptions{now: clk.now, demo: true, writer: "demo"})
	if err != nil {
		return err
	}
	defer a.close()
	out := g.stdout
	fmt.Fprintln(out, "billwatch demo — the whole pipeline, offline, on the bundled fixtures served on loopback.")
	fmt.Fprintln(out, "Each pass reads a snapshot of parl.ca, ourcommons.ca, sencanada.ca and gazette.gc.ca as")
	fmt.Fprintln(out, "written in fixtures/, stores what changed, and prints the alerts as they would be posted.")
	if keep {
		fmt.Fprintf(out, "Database: %s (kept; explore it with billwatch --db %s bills, show, diff, hearings...)\n", dbPath, dbPath)
	} else {
		fmt.Fprintln(out, "Database: a temporary file, removed at the end (keep it with billwatch --db FILE demo).")
	}
	for i, step := range steps {
		servers.SetSnapshot(step.snapshot)
		clk.set(step.at)
		fmt.Fprintf(out, "\n══ Pass %d · %s · %s\n", i+1, step.at.Format("Mon 2006-01-02 15:04 MST"), step.title)
		sums := a.scrape(ctx, sourceNames(), nil, nil)
		for _, s := range sums {
			fmt.Fprintln(out, "  "+s.Line())
		}
		rem, err := a.reminders(ctx)
		if err != nil {
			return err
		}
		if rem.Alerts > 0 {
			fmt.Fprintln(out, "  "+rem.Line())
		}
		fmt.Fprintln(out, "── Alerts, as they would be posted:")
		fmt.Fprintln(out)
		d, err := a.tracker.Deliver(ctx)
		if err != nil {
			return err
		}
		if d.Sent == 0 {
			fmt.Fprintln(out, "  (none)")
		}
	}
	if err := a.demoDiff(ctx, out, dbPath, keep); err != nil {
		return err
	}
	// Its pages are read at the demo's time, an hour after its last pass: on the real clock
	// they would say that the sources were read in the future, or long ago.
	at := steps[len(steps)-1].at.Add(time.Hour).Format(time.RFC3339)
	if keep {
		fmt.Fprintf(out, "\n══ Browse it: billwatch --db %s --now %s serve, then open http://127.0.0.1:8080/\n", dbPath, at)
	} else {
		fmt.Fprintf(out, "\n══ Browse it: billwatch --db demo.db demo keeps the database; then billwatch --db demo.db --now %s serve, and open http://127.0.0.1:8080/\n", at)
	}
	return nil
}
