package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// findBill resolves a bill number (and optional session) among stored bills: the named
// session, else the configured one, else the latest session holding it.
func findBill(store *tracker.Store, arg, session, current string) (tracker.StoredBill, error) {
	num := billwatch.NormalizeBillNumber(arg)
	if num == "" {
		return tracker.StoredBill{}, usageError("%q is not a bill number (write e.g. C-22 or S-209)", arg)
	}
	if session != "" {
		b, ok, err := store.Bill(session, num)
		if err != nil {
			return b, err
		}
		if !ok {
			return b, fmt.Errorf("bill %s of session %s is not in the database %s", num, session, store.Path())
		}
		return b, nil
	}
	if b, ok, err := store.Bill(current, num); err != nil || ok {
		return b, err
	}
	bills, err := store.Bills("")
	if err != nil {
		return tracker.StoredBill{}, err
	}
	var found *tracker.StoredBill
	for i := range bills {
		if bills[i].Number == num {
			found = &bills[i]
		}
	}
	if found == nil {
		return tracker.StoredBill{}, fmt.Errorf("bill %s is not in the database %s (is it in another session? try --session)", num, store.Path())
	}
	return *found, nil
}

func showCommand() command {
	var session string
	var asJSON bool
	return command{
		name: "show", args: "BILL [--session P-S] [--json]",
		summary: "one bill: status, stages, committee meetings, text versions",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&session, "session", "", "session `P-S` of the bill (default: the current one)")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) != 1 {
				return usageError("show takes one bill number, e.g. billwatch show C-22")
			}
			if err := checkSession(session); err != nil {
				return err
			}
			store, cfg, err := g.readStore()
			if err != nil {
				return err
			}
			b, err := findBill(store, args[0], session, cfg.Session)
			if err != nil {
				return err
			}
			out, err := showJSON(store, b)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			return printBill(g.stdout, out)
		},
	}
}

// showJSON is one bill as `show --json` gives it, and the web's bill page as JSON.
func showJSON(store *tracker.Store, b tracker.StoredBill) (billJSON, error) {
	meetings, err := billMeetings(store, b)
	if err != nil {
		return billJSON{}, err
	}
	out := billJSON{Bill: tracker.ListedBill(b.Bill), Stages: b.Stages, Meetings: meetings, Versions: b.VersionsJSON(), statusShown: b.StatusShown()}
	out.Votes, out.References = b.Votes, b.References
	if out.Stages == nil {
		out.Stages = []billwatch.Stage{}
	}
	if out.Meetings == nil {
		out.Meetings = []meetingJSON{}
	}
	return out, addMemory(store, &out)
}

func printBill(w io.Writer, b billJSON) error {
	fmt.Fprintf(w, "%s %s — %s\n", b.Session, b.Number, b.Title)
	if b.ShortTitle != "" {
		fmt.Fprintf(w, "Short title: %s\n", b.ShortTitle)
	}
	fmt.Fprintf(w, "Status:      %s\n", firstNonEmpty(b.statusShown, b.Status))
	if b.Sponsor != "" {
		fmt.Fprintf(w, "Sponsor:     %s\n", b.Sponsor)
	}
	if b.Statute != "" {
		fmt.Fprintf(w, "Statute:     %s\n", b.Statute)
	}
	if b.Relevant {
		fmt.Fprintf(w, "Watched:     %s\n", strings.Join(b.Reasons, "; "))
	} else {
		fmt.Fprintf(w, "Watched:     no (matches nothing in the watch profile)\n")
	}
	fmt.Fprintf(w, "LEGISinfo:   %s\n", b.URL)
	if len(b.Stages) > 0 {
		fmt.Fprintln(w, "\nStages:")
		t := table(w)
		for _, s := range b.Stages {
			fmt.Fprintf(t, "  %s\t%s\t%s\t%s\t%s\n", s.Chamber, s.Name, s.State, s.Committee, s.Date)
		}
		t.Flush()
	}
	if len(b.Meetings) > 0 {
		fmt.Fprintln(w, "\nCommittee meetings on the bill:")
		t := table(w)
		for _, m := range b.Meetings {
			fmt.Fprintf(t, "  %s\t%s\t%s\t%s\n", m.Committee, m.label(), m.Date, m.Status)
		}
		t.Flush()
	}
	if len(b.Versions) > 0 {
		fmt.Fprintln(w, "\nText versions (use the index, type or id with diff --from/--to):")
		t := table(w)
		for _, v := range b.Versions {
			state := "stored"
			if !v.Fetched {
				state = "not fetched"
				if v.Gap != "" {
					state += ": " + v.Gap
				}
			}
			fmt.Fprintf(t, "  %d\t%s\t%s\t%s\t%s\n", v.Index, v.Type, v.ID, v.Name, state)
		}
		t.Flush()
	}
	for _, r := range b.References {
		if strings.Contains(strings.ToLower(r.Title), "charter") {
			fmt.Fprintf(w, "\nCharter Statement: %s\n  %s\n", r.Title, r.URL)
		}
	}
	printLineageMemory(w, b)
	return nil
}
