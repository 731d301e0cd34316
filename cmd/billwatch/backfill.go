package main

import (
	"context"
	"flag"
	"fmt"
)

func backfillCommand() command {
	var session string
	return command{
		name: "backfill", args: "--session P-S",
		summary: "import an earlier session's relevant bills and texts, for lineage (resumable, polite)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&session, "session", "", "the session `P-S` to import, e.g. 44-1")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if session == "" {
				return usageError("backfill needs --session, e.g. billwatch backfill --session 44-1")
			}
			if err := checkSession(session); err != nil {
				return err
			}
			a, err := g.wire(wireOptions{writer: "backfill"})
			if err != nil {
				return err
			}
			defer a.close()
			var done func()
			progress := func(n, total int) {
				if done != nil {
					done()
				}
				done = showProgress(g.stderr, fmt.Sprintf("backfill %s: %d of %d relevant bills…", session, n, total))
			}
			sum, err := a.tracker.Backfill(ctx, session, progress)
			if done != nil {
				done()
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stdout, sum.Line())
			if len(sum.Problems) > 0 {
				return &exitError{code: 3, err: fmt.Errorf("backfill %s: %w (run it again to resume)", session, sum.Problems[0])}
			}
			return nil
		},
	}
}
