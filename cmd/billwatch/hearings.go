package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/billwatch/billwatch/internal/text"
	"github.com/billwatch/billwatch/tracker"
)

func hearingsCommand() command {
	var all, asJSON bool
	return command{
		name: "hearings", args: "[--all] [--json]",
		summary: "committee meetings (upcoming relevant ones; --all: every stored one)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored meeting, past and irrelevant ones too")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			hs, err := store.Hearings()
			if err != nil {
				return err
			}
			now := g.clock()
			out := []tracker.HearingJSON{}
			for _, h := range hs {
				if all || (h.Relevant && h.Upcoming(now)) {
					out = append(out, h.JSON())
				}
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			if len(out) == 0 {
				if all {
					fmt.Fprintln(g.stdout, "no meetings stored yet: run `billwatch scrape hearings`")
				} else {
					fmt.Fprintln(g.stdout, "no upcoming meetings of watched committees or on watched bills (see --all)")
				}
				return nil
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "WHEN (EASTERN)\tCOMMITTEE\tNO.\tSTATUS\tSUBJECT\tNOTES")
			for _, h := range out {
				var notes []string
				if h.InCamera {
					notes = append(notes, "in camera")
				}
				if h.Broadcast != "" {
					notes = append(notes, h.Broadcast)
				}
				if h.NoticeAmended {
					notes = append(notes, "notice amended")
				}
				if n := len(h.Witnesses); n > 0 {
					notes = append(notes, text.Count(n, "witness", "witnesses"))
				}
				if h.Gap != "" {
					notes = append(notes, h.Gap)
				}
				if s := tracker.UnlistedNote(h.Hearing); s != "" {
					notes = append(notes, s)
				}
				subject := strings.Join(h.Studies, "; ")
				if len(h.Bills) > 0 && !strings.Contains(subject, h.Bills[0]) {
					subject = strings.TrimSuffix("Bill "+strings.Join(h.Bills, ", ")+": "+subject, ": ")
				}
				number := "—" // a Senate meeting listed without a number
				if h.Number > 0 {
					number = strconv.Itoa(h.Number)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", tracker.HearingWhen(h.Hearing), h.Committee, number, h.Status, truncate(subject, 60), strings.Join(notes, ", "))
			}
			if err := w.Flush(); err != nil {
				return err
			}
			for _, h := range out {
				if len(h.Witnesses) == 0 {
					continue
				}
				var ws []string
				for _, x := range h.Witnesses {
					ws = append(ws, strings.TrimSpace(x.Name+" "+orgSuffix(x)))
				}
				fmt.Fprintf(g.stdout, "\n%s meeting %s witnesses: %s", h.Committee, h.Label(), strings.Join(ws, "; "))
			}
			fmt.Fprintln(g.stdout)
			return nil
		},
	}
}
