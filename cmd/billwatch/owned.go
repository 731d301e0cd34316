package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/billwatch/billwatch/tracker"
)

// printOwned tells, after an account is removed, which records still name the person as
// owner (owners are free text: the records are not changed), with their open next steps, so
// that an administrator can reassign them.
func printOwned(w io.Writer, store *tracker.Store, name string) error {
	owned, err := store.OwnedBy(name)
	if err != nil {
		return err
	}
	if len(owned) == 0 {
		fmt.Fprintf(w, "%s owns no record\n", name)
		return nil
	}
	steps := 0
	for _, r := range owned {
		if r.Next != nil {
			steps++
		}
	}
	records := "records"
	if len(owned) == 1 {
		records = "record"
	}
	fmt.Fprintf(w, "%s is still the owner of %d %s, %d with an open next step; reassign them with billwatch memory set BILL --session P-S --owner NAME (billwatch bills --all --owner %s lists the bills):\n",
		name, len(owned), records, steps, name)
	tw := table(w)
	for _, r := range owned {
		next := ""
		if r.Next != nil {
			next = "next step: " + termSafe(truncate(r.Next.Text, 60))
			if r.Next.Due != "" {
				next += " (due " + r.Next.Due + ")"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", tracker.SubjectLabel(r.Subject), tracker.PositionName(firstNonEmpty(r.Position, tracker.PositionNone)), strings.TrimSpace(next))
	}
	return tw.Flush()
}

// billRecords are the coalition's records on bills, by bill ("45-1 C-8").
func billRecords(store *tracker.Store) (map[string]tracker.Record, error) {
	recs, err := store.Records()
	if err != nil {
		return nil, err
	}
	out := map[string]tracker.Record{}
	for _, r := range recs {
		if key, ok := strings.CutPrefix(r.Subject, "bill "); ok {
			out[key] = r
		}
	}
	return out, nil
}

// ours is a bill's record in a table cell: its position and owner ("oppose · lea"), "" when
// it has neither.
func ours(r tracker.Record) string {
	var parts []string
	if r.Position != "" && r.Position != tracker.PositionNone {
		parts = append(parts, tracker.PositionName(r.Position))
	}
	if r.Owner != "" {
		parts = append(parts, r.Owner)
	}
	return strings.Join(parts, " · ")
}
