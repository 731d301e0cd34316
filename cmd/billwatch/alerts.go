package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/web"
)

func alertsCommand() command {
	var asJSON bool
	var limit int
	return command{
		name: "alerts", args: "[--json] [--limit N]",
		summary: "alerts raised, newest first, with their delivery state",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&asJSON, "json", false, "JSON output")
			fs.IntVar(&limit, "limit", 0, "at most `N` alerts (0: all)")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if limit < 0 {
				return usageError("--limit %d: must be 0 or more", limit)
			}
			store, cfg, err := g.readStore()
			if err != nil {
				return err
			}
			alerts, err := store.Alerts(limit)
			if err != nil {
				return err
			}
			if asJSON {
				if alerts == nil {
					alerts = []billwatch.Alert{}
				}
				for i := range alerts {
					alerts[i] = web.AlertJSON(alerts[i], cfg.Web.PublicURL)
				}
				return writeJSON(g.stdout, alerts)
			}
			if len(alerts) == 0 {
				fmt.Fprintln(g.stdout, "no alerts yet")
				return nil
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "CREATED\tKIND\tSEVERITY\tAUDIENCE\tSUBJECT\tWHY\tDELIVERY")
			for _, a := range alerts {
				var ds []string
				for _, d := range a.Deliveries {
					s := d.Sink
					if d.Channel != "" {
						s += " " + d.Channel
					}
					s += ": " + d.State
					if d.Error != "" && d.State != billwatch.DeliverySent {
						s += " (" + truncate(d.Error, 60) + ")"
					}
					ds = append(ds, s)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Created.In(billwatch.Eastern).Format("2006-01-02 15:04"), a.Kind, a.Severity, a.Audience, a.Subject, truncate(a.Why, 60), strings.Join(ds, ", "))
			}
			return w.Flush()
		},
	}
}
