package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// billJSON is a bill as `show --json` and the bill page's JSON give it: stages, meetings and
// versions are always there, [] when there are none (CONTRACT.md).
type billJSON struct {
	billwatch.Bill
	Stages   []billwatch.Stage     `json:"stages"`
	Meetings []meetingJSON         `json:"meetings"`
	Versions []tracker.VersionJSON `json:"versions"`
	// Lineage and Memory are set by show only.
	Lineage []tracker.LineageLink `json:"lineage"`
	Memory  *memoryJSON           `json:"memory,omitempty"`
	// statusShown is the status as text shows it (tracker.StoredBill.StatusShown): "died on
	// the Order Paper" for a bill of an ended session. JSON keeps LEGISinfo's.
	statusShown string
}

func billsCommand() command {
	var all, asJSON bool
	var session, owner string
	return command{
		name: "bills", args: "[--all] [--session P-S] [--owner NAME] [--json]",
		summary: "tracked bills (relevant ones; --all: every stored bill)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored bill, relevant or not")
			fs.StringVar(&session, "session", "", "only this session `P-S` (default: every session)")
			fs.StringVar(&owner, "owner", "", "only the bills whose record's owner is `NAME` (case and accents aside)")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if err := checkSession(session); err != nil {
				return err
			}
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			bills, err := store.Bills(session)
			if err != nil {
				return err
			}
			recs, err := billRecords(store)
			if err != nil {
				return err
			}
			out := []billwatch.Bill{}
			var shown []string
			for _, b := range bills {
				if owner != "" && !tracker.OwnerIs(recs[b.Session+" "+b.Number].Owner, owner) {
					continue
				}
				if all || b.Relevant {
					out = append(out, tracker.ListedBill(b.Bill))
					shown = append(shown, b.StatusShown())
				}
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			if len(out) == 0 && owner != "" {
				fmt.Fprintf(g.stdout, "no %s bill's record names %q as its owner\n", map[bool]string{true: "stored", false: "watched"}[all], owner)
				return nil
			}
			if len(out) == 0 {
				fmt.Fprintln(g.stdout, noBills(store, session, all, len(bills)))
				return nil
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "SESSION\tBILL\tTITLE\tSTATUS\tOURS\tWHY")
			for i, b := range out {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Session, b.Number, truncate(firstNonEmpty(b.ShortTitle, b.Title), 50), truncate(shown[i], 45), termSafe(truncate(ours(recs[b.Session+" "+b.Number]), 30)), strings.Join(b.Reasons, "; "))
			}
			return w.Flush()
		},
	}
}

// noBills says why `bills` lists nothing: no bills at all, none of that session (naming the
// sessions stored), or none relevant.
func noBills(store *tracker.Store, session string, all bool, n int) string {
	if session == "" {
		if n > 0 && !all {
			return fmt.Sprintf("none of the %d stored bills matches the watch profile (see --all)", n)
		}
		return "no bills stored yet: run `billwatch scrape bills`"
	}
	if n > 0 && !all {
		return fmt.Sprintf("none of the %d stored bills of session %s matches the watch profile (see --all)", n, session)
	}
	every, err := store.Bills("")
	if err != nil || len(every) == 0 {
		return "no bills stored yet: run `billwatch scrape bills`"
	}
	seen := map[string]bool{}
	var sessions []string
	for _, b := range every {
		if !seen[b.Session] {
			seen[b.Session] = true
			sessions = append(sessions, b.Session)
		}
	}
	slices.Sort(sessions)
	return fmt.Sprintf("no bills of session %s stored; the database holds session %s (try --session %s, or `billwatch scrape bills --session %s`)",
		session, strings.Join(sessions, ", "), sessions[len(sessions)-1], session)
}
