package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/billwatch/billwatch/tracker"
)

func scrapeCommand() command {
	var session string
	var committees multiFlag
	var noNotify bool
	return command{
		name: "scrape", args: "[" + strings.Join(sourceNames(), "|") + "]...",
		summary: "one pass of the named sources (default all): fetch, store, alert, deliver",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&session, "session", "", "parliamentary session `P-S` (default: the configured current session)")
			fs.Var(&committees, "committee", "committee acronym `ACR` to read (repeatable; default: the watched committees)")
			fs.BoolVar(&noNotify, "no-notify", false, "queue alerts but deliver none")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			sources, err := parseSources(args)
			if err != nil {
				return err
			}
			if err := checkSession(session); err != nil {
				return err
			}
			a, err := g.wire(wireOptions{writer: "scrape"})
			if err != nil {
				return err
			}
			defer a.close()
			if session != "" {
				a.session = session
			}
			sums := a.scrape(ctx, sources, committees, g.stderr)
			apart, failure := outcome(sums)
			for i, s := range sums {
				// The problem the error line reports is not repeated in the summary line.
				s.FirstShownApart = i == apart
				fmt.Fprintln(g.stdout, s.Line())
			}
			rem, err := a.reminders(ctx)
			if err != nil {
				return err
			}
			if rem.Alerts > 0 {
				fmt.Fprintln(g.stdout, rem.Line())
			}
			if !noNotify {
				d, err := a.tracker.Deliver(ctx)
				if err != nil {
					return err
				}
				if d.Sent+d.Failed+d.Retrying+d.Waiting > 0 {
					fmt.Fprintln(g.stdout, d.Line())
				}
			}
			return failure
		},
	}
}

// outcome maps pass outcomes to the exit status: 0 all well, 3 partial, 1 nothing usable. A
// source that had nothing due read nothing: it neither succeeds nor fails, so a pass whose
// every source that read anything failed is "nothing usable", not "partial". It also returns
// the index of the source whose first problem the error reports (-1 when none).
func outcome(sums []tracker.Summary) (int, error) {
	failed, partial, ran := 0, 0, 0
	var first error
	firstAt := -1
	for i, s := range sums {
		for j, p := range s.Problems {
			if errors.Is(p, tracker.ErrDamaged) {
				at := -1
				if j == 0 {
					at = i
				}
				return at, p // one line, exit 1: nothing more is read or written
			}
		}
	}
	for i, s := range sums {
		if s.NotDue {
			continue
		}
		ran++
		switch s.Outcome {
		case tracker.Failed:
			failed++
		case tracker.Partial:
			partial++
		}
		if first == nil && len(s.Problems) > 0 {
			first, firstAt = fmt.Errorf("%s: %w", s.Source, s.Problems[0]), i
		}
	}
	switch {
	case failed == ran && failed > 0:
		return firstAt, &exitError{code: 1, err: first}
	case failed > 0 || partial > 0:
		return firstAt, &exitError{code: 3, err: first}
	}
	return -1, nil
}

func parseSources(args []string) ([]string, error) {
	if len(args) == 0 {
		return sourceNames(), nil
	}
	var out []string
	for _, a := range args {
		if _, ok := sourceNamed(a); !ok {
			return nil, usageError("unknown source %q (want %s)", a, oneOf(sourceNames()))
		}
		if slices.Contains(out, a) {
			continue // named twice: one pass
		}
		out = append(out, a)
	}
	return out, nil
}

type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return fmt.Errorf("empty value")
	}
	*m = append(*m, s)
	return nil
}

// scrape runs one pass of each source, in order.
func (a *app) scrape(ctx context.Context, sources []string, committees []string, progress io.Writer) []tracker.Summary {
	var sums []tracker.Summary
	for _, src := range sources {
		done := showProgress(progress, src+": reading…")
		var s tracker.Summary
		if row, ok := sourceNamed(src); ok {
			s = row.pass(ctx, a, committees)
		}
		done()
		sums = append(sums, s)
	}
	return sums
}

// showProgress prints a progress line on a terminal when the work takes more than a second,
// and clears it when done is called.
func showProgress(w io.Writer, line string) (done func()) {
	if !isTerminal(w) {
		return func() {}
	}
	var mu sync.Mutex
	shown := false
	t := time.AfterFunc(time.Second, func() {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "\r%s", line)
		shown = true
	})
	return func() {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}
