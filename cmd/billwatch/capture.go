package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/billwatch/billwatch/scraper"
)

func captureCommand() command {
	var dir string
	return command{
		name: "capture", args: "--to DIR URL...",
		summary: "fetch real pages politely and save them byte for byte as a fixtures snapshot (exit 0 all saved, 3 some failed, 1 none)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&dir, "to", "", "snapshot folder `DIR` to write (SITE/PATH files and CAPTURED.tsv)")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if dir == "" {
				return usageError("capture needs --to DIR")
			}
			if len(args) == 0 {
				return usageError("capture needs at least one URL")
			}
			cfg, err := loadConfig(g.config)
			if err != nil {
				return err
			}
			// --base-url (and [sites]) apply: a real URL is fetched from its site's base, so a
			// mirror can be captured under the real names.
			client, err := scraper.NewClient(scraper.Options{Bases: g.basesFor(cfg), Delay: cfg.delay, Timeout: cfg.timeout, MaxBodySize: cfg.Fetch.MaxBodyMiB << 20})
			if err != nil {
				return err
			}
			got, err := scraper.Capture(ctx, client, args, dir)
			for _, c := range got {
				fmt.Fprintf(g.stdout, "%s\t%d\t%d bytes\t%s\n", c.URL, c.Status, c.Bytes, c.File)
			}
			// Exit status: 0 every page saved, 3 some saved and some failed, 1 none saved.
			fmt.Fprintf(g.stdout, "saved %d of %d pages in %s\n", len(got), len(args), dir)
			if err != nil {
				if len(got) > 0 {
					return &exitError{code: 3, err: err}
				}
				return err
			}
			return nil
		},
	}
}
