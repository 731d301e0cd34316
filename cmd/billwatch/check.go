package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch/tracker"
)

// checkCommand is `billwatch check`: bbolt's consistency check and the schema version of the
// database. Exit 0 sound, 1 damaged (or not a database this billwatch reads).
func checkCommand() command {
	var asJSON bool
	return command{
		name: "check", args: "[--json]",
		summary: "check the database's integrity and schema (exit 0 sound, 1 damaged)",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") },
		run: func(ctx context.Context, g *globals, args []string) error {
			path := g.dbPath()
			var r tracker.Report
			store, err := tracker.OpenReadOnly(path)
			if err == nil {
				path = store.Path()
				r, err = store.Verify()
			}
			if asJSON {
				// A script asking for JSON gets it whatever the answer, a missing file
				// included; the one-line error still goes to stderr.
				out := checkJSON{Database: path, Sound: err == nil, Size: r.Size, PageSize: r.PageSize, Pages: r.Pages, TxID: r.TxID, Schema: r.Schema, Keys: r.Keys, Notes: r.Notes, BadRecords: r.BadRecords, BadRecordCount: r.BadRecordCount}
				if out.BadRecords == nil {
					out.BadRecords = []tracker.BadRecord{}
				}
				if err != nil {
					out.Problem = oneLine(err.Error())
					out.Damaged = errors.Is(err, tracker.ErrDamaged)
				}
				if out.Notes == nil {
					out.Notes = []string{}
				}
				if out.Keys == nil {
					out.Keys = map[string]int{}
				}
				if jerr := writeJSON(g.stdout, out); jerr != nil {
					return jerr
				}
			}
			if err != nil {
				// Records that cannot be decoded inside sound pages: one summary line (the
				// error, on stderr), and the list on stdout, one record a line.
				if !asJSON && len(r.BadRecords) > 0 {
					fmt.Fprintf(g.stdout, "database %s: %d record(s) cannot be decoded:\n", store.Path(), r.BadRecordCount)
					for _, b := range r.BadRecords {
						fmt.Fprintf(g.stdout, "  bucket %s, key %s: %s\n", b.Bucket, b.Key, oneLine(b.Problem))
					}
					if more := r.BadRecordCount - len(r.BadRecords); more > 0 {
						fmt.Fprintf(g.stdout, "  and %d more\n", more)
					}
				}
				return err
			}
			if asJSON {
				return nil
			}
			fmt.Fprintf(g.stdout, "database %s is sound: %d pages of %d bytes in use (%s on disk), schema %s, last write transaction %d\n",
				r.Path, r.Pages, r.PageSize, humanBytes(r.Size), r.Schema, r.TxID)
			fmt.Fprintf(g.stdout, "  holds %s\n", holdings(r.Keys))
			for _, n := range r.Notes {
				fmt.Fprintf(g.stdout, "  note: %s\n", n)
			}
			return nil
		},
	}
}

type checkJSON struct {
	Database string         `json:"database"`
	Sound    bool           `json:"sound"`
	Damaged  bool           `json:"damaged"`
	Problem  string         `json:"problem,omitempty"`
	Size     int64          `json:"size_bytes"`
	PageSize int            `json:"page_size"`
	Pages    int64          `json:"pages"`
	TxID     uint64         `json:"txid"`
	Schema   string         `json:"schema"`
	Keys     map[string]int `json:"keys"`
	Notes    []string       `json:"notes"`
	// BadRecords are the records that cannot be decoded (the first 100 of BadRecordCount).
	BadRecords     []tracker.BadRecord `json:"bad_records"`
	BadRecordCount int                 `json:"bad_record_count"`
}

// holdings says what the database holds, in the user's words.
func holdings(keys map[string]int) string {
	names := []struct{ bucket, what string }{
		{"bills", "bills"}, {"hearings", "meetings"}, {"regulations", "Gazette items"},
		{"alerts", "alerts"}, {"outbox", "deliveries pending"}, {"versions", "stored versions"}, {"blobs", "distinct payloads"},
	}
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%d %s", keys[n.bucket], n.what))
	}
	return strings.Join(parts, ", ")
}

func humanBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
