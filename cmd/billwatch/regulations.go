package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

func regulationsCommand() command {
	var all, asJSON bool
	return command{
		name: "regulations", args: "[--all] [--json]",
		summary: "Gazette items (relevant ones; --all: all stored)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored item, relevant or not")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			regs, err := store.Regulations()
			if err != nil {
				return err
			}
			out := []billwatch.Regulation{}
			for _, r := range regs {
				if all || r.Relevant {
					if r.Reasons == nil {
						r.Reasons = []string{}
					}
					out = append(out, r)
				}
			}
			if asJSON {
				js := []tracker.RegulationJSON{}
				for _, r := range out {
					js = append(js, tracker.RegulationView(r))
				}
				return writeJSON(g.stdout, js)
			}
			if len(out) == 0 {
				fmt.Fprintln(g.stdout, "no relevant Gazette items stored (see --all)")
				return nil
			}
			now := g.clock()
			w := table(g.stdout)
			fmt.Fprintln(w, "PART\tPUBLISHED\tTITLE\tDEPARTMENT\tACT\tCOMMENTS / REGISTRATION")
			for _, r := range out {
				note := ""
				switch {
				case r.Registration != nil:
					note = *r.Registration
					if r.Finalises != "" {
						note += " (finalises " + strings.TrimPrefix(r.Finalises, "I ") + ")"
					}
				case r.CommentDeadline != "":
					note = fmt.Sprintf("%d days, by %s (%s)", *r.CommentDays, r.CommentDeadline, billwatch.DaysLeft(now, r.CommentDeadline))
				case r.Gap != "":
					note = "unknown: " + r.Gap
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Part, r.Published, truncate(r.Title, 55), truncate(r.Department, 35), truncate(strings.Join(r.Acts, "; "), 35), note)
			}
			return w.Flush()
		},
	}
}
