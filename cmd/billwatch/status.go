package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// statusRows is `status --json`.
func statusRows(store *tracker.Store, now time.Time) ([]tracker.SourceStatus, error) {
	health, err := store.Health()
	if err != nil {
		return nil, err
	}
	runs, err := store.RunStatuses()
	if err != nil {
		return nil, err
	}
	return tracker.Statuses(sourceNames(), health, runs, now), nil
}

func statusCommand() command {
	var asJSON bool
	return command{
		name: "status", args: "[--json]",
		summary: "per source: last good fetch, its age, consecutive failures, next run",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") },
		run: func(ctx context.Context, g *globals, args []string) error {
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			now := g.clock()
			rows, err := statusRows(store, now)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, rows)
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "SOURCE\tHEALTH\tLAST GOOD FETCH\tAGE\tFAILURES\tNEXT RUN")
			for _, r := range rows {
				health := "ok"
				if !r.Healthy {
					health = "UNHEALTHY"
				}
				last, age, next := "never", "-", "-"
				if !r.LastSuccess.IsZero() {
					last = r.LastSuccess.In(billwatch.Eastern).Format("2006-01-02 15:04 MST")
					age = fetchAge(now, r.LastSuccess)
				}
				if !r.NextRun.IsZero() {
					next = r.NextRun.In(billwatch.Eastern).Format("2006-01-02 15:04 MST") + " (" + humanAge(now, r.NextRun) + ")"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", r.Source, health, last, age, r.Failures, next)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			// Errors in full, cause included, one line each: a table column would cut them.
			for _, r := range rows {
				if r.Warning != "" {
					fmt.Fprintf(g.stdout, "%s: WARNING: %s\n", r.Source, oneLine(r.Warning))
				}
				if r.LastError != "" {
					fmt.Fprintf(g.stdout, "%s: last error: %s\n", r.Source, oneLine(r.LastError))
				}
			}
			var drift []string
			for _, r := range rows {
				for _, f := range r.Fields {
					mark := ""
					if f.Drifted {
						mark = "  DROPPED"
					}
					drift = append(drift, fmt.Sprintf("  %s: %s found on %d of %d (recent level %d of %d)%s", f.Page, f.Field, f.Found, f.Of, f.LevelFound, f.LevelOf, mark))
				}
			}
			if len(drift) > 0 {
				fmt.Fprintln(g.stdout, "\nFields found in the last pass:")
				fmt.Fprintln(g.stdout, strings.Join(drift, "\n"))
			}
			return nil
		},
	}
}

// humanAge says how far t is from now, in the words of a person: "just now", "45m ago",
// "3h ago", "2 days ago", "in 25m". A time a little in the future (another machine's clock) is
// not an age of minus 517 hours.
func humanAge(now, t time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	// Sub saturates at about 292 years: count days from the seconds instead.
	if secs := now.Unix() - t.Unix(); secs > 365*86400 || secs < -365*86400 {
		days := secs / 86400
		if days < 0 {
			days = -days
		}
		s := fmt.Sprintf("%d days", days)
		if days >= 2*365 {
			s = fmt.Sprintf("%d years", days*400/146097) // 146097 days in 400 Gregorian years
		}
		if future {
			return "in " + s
		}
		return s + " ago"
	}
	d = d.Round(time.Minute)
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%dh", int(d/time.Hour))
		if m := int(d % time.Hour / time.Minute); m > 0 && d < 10*time.Hour {
			s += fmt.Sprintf(" %dm", m)
		}
	default:
		s = fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// fetchAge is the age of a fetch: a fetch dated after now cannot have an age, and says so
// rather than "in 21 days".
func fetchAge(now, t time.Time) string {
	if t.Sub(now) >= time.Minute {
		return "in the future (clock skew?)"
	}
	return humanAge(now, t)
}
