package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/billwatch/billwatch/fixtures"
)

// TestFaultMatrixDatabase runs the commands that write, and a read, on each damaged database
// of damaged_test.go: exit 1, one line naming the file and the backup to restore, no stack
// trace, not one byte written. Its table joins the fault matrix's.
func TestFaultMatrixDatabase(t *testing.T) {
	if testing.Short() || os.Getenv(wallSkewEnv) != "" {
		t.Skip("every command runs at a pinned --now: once is enough; see make faults")
	}
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("baseline scrape: exit %d\n%s%s", code, out, errOut)
	}
	good, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	c.servers.SetSnapshot(2)
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "DAMAGE\tCOMMAND\tEXIT\tONE LINE NAMING FILE AND BACKUP\tSTACK TRACE\tBYTES WRITTEN")
	rows := 0
	for _, d := range damages {
		for _, args := range [][]string{{"scrape"}, {"run", "--every", "1h"}, {"bills"}, {"check"}} {
			damaged := d.damage(t, bytes.Clone(good))
			if err := os.WriteFile(c.db, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := c.runWithin(20*time.Second, week2, args...)
			after, _ := os.ReadFile(c.db)
			written := 0
			for i := range min(len(after), len(damaged)) {
				if after[i] != damaged[i] {
					written++
				}
			}
			written += max(len(after)-len(damaged), 0)
			line := strings.TrimSpace(errOut)
			named := !strings.Contains(line, "\n") && strings.Contains(line, c.db) && strings.Contains(line, "backup")
			trace := strings.Contains(out+errOut, "goroutine ") || strings.Contains(out+errOut, "panic:")
			if code != 1 || !named || trace || written > 0 {
				t.Errorf("%s: billwatch %s: exit %d, %d bytes written, stderr %q", d.name, strings.Join(args, " "), code, written, tail(errOut, 400))
			}
			fmt.Fprintf(w, "%s\t%s\t%d\t%v\t%v\t%d\n", d.name, strings.Join(args, " "), code, named, trace, written)
			rows++
		}
	}
	w.Flush()
	faultTables.add(3, fmt.Sprintf("Damaged databases: %d rows", rows), buf.String())
}
