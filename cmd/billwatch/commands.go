package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
	"github.com/billwatch/billwatch/web"
)

func commands() []command {
	return []command{
		scrapeCommand(),
		runCommand(),
		billsCommand(),
		showCommand(),
		diffCommand(),
		lawCommand(),
		diffActCommand(),
		hearingsCommand(),
		regulationsCommand(),
		alertsCommand(),
		{name: "calendar", summary: "upcoming hearings and comment deadlines as iCalendar on stdout", run: runCalendar},
		statusCommand(),
		checkCommand(),
		{name: "backup", args: "FILE", summary: "write a consistent hot copy of the database", run: runBackup},
		{name: "compact", summary: "reclaim the database's free space", run: runCompact},
		{name: "slack", args: "test", summary: "post a test message to each configured channel", run: runSlack},
		captureCommand(),
		demoCommand(),
		watchCommand(),
		memoryCommand(),
		userCommand(),
		backfillCommand(),
		serveCommand(),
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// checkSession checks a --session value; "" (the default) is fine.
func checkSession(s string) error {
	if s != "" && !sessionRe.MatchString(s) {
		return usageError("--session %q: want PARLIAMENT-SESSION, e.g. 45-1", s)
	}
	return nil
}

// ---- scrape

func scrapeCommand() command {
	var session string
	var committees multiFlag
	var noNotify bool
	return command{
		name: "scrape", args: "[" + strings.Join(sourceNames(), "|") + "]...",
		summary: "one pass of the named sources (default all): fetch, store, alert, deliver",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&session, "session", "", "parliamentary session `P-S` (default: the configured current session)")
			fs.Var(&committees, "committee", "committee acronym `ACR` to read (repeatable; default: the watched committees)")
			fs.BoolVar(&noNotify, "no-notify", false, "queue alerts but deliver none")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			sources, err := parseSources(args)
			if err != nil {
				return err
			}
			if err := checkSession(session); err != nil {
				return err
			}
			a, err := g.wire(wireOptions{writer: "scrape"})
			if err != nil {
				return err
			}
			defer a.close()
			if session != "" {
				a.session = session
			}
			sums := a.scrape(ctx, sources, committees, g.stderr)
			for _, s := range sums {
				fmt.Fprintln(g.stdout, s.Line())
			}
			rem, err := a.reminders(ctx)
			if err != nil {
				return err
			}
			if rem.Alerts > 0 {
				fmt.Fprintln(g.stdout, rem.Line())
			}
			if !noNotify {
				d, err := a.tracker.Deliver(ctx)
				if err != nil {
					return err
				}
				if d.Sent+d.Failed+d.Retrying+d.Waiting > 0 {
					fmt.Fprintln(g.stdout, d.Line())
				}
			}
			return outcomeError(sums)
		},
	}
}

// outcomeError maps pass outcomes to the exit status: 0 all well, 3 partial, 1 nothing usable.
func outcomeError(sums []tracker.Summary) error {
	failed, partial := 0, 0
	var first error
	for _, s := range sums {
		for _, p := range s.Problems {
			if errors.Is(p, tracker.ErrDamaged) {
				return p // one line, exit 1: nothing more is read or written
			}
		}
	}
	for _, s := range sums {
		switch s.Outcome {
		case tracker.Failed:
			failed++
		case tracker.Partial:
			partial++
		}
		if first == nil && len(s.Problems) > 0 {
			first = fmt.Errorf("%s: %w", s.Source, s.Problems[0])
		}
	}
	switch {
	case failed == len(sums) && failed > 0:
		return &exitError{code: 1, err: first}
	case failed > 0 || partial > 0:
		return &exitError{code: 3, err: first}
	}
	return nil
}

func parseSources(args []string) ([]string, error) {
	if len(args) == 0 {
		return sourceNames(), nil
	}
	var out []string
	for _, a := range args {
		if _, ok := sourceNamed(a); !ok {
			return nil, usageError("unknown source %q (want %s)", a, oneOf(sourceNames()))
		}
		out = append(out, a)
	}
	return out, nil
}

type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return fmt.Errorf("empty value")
	}
	*m = append(*m, s)
	return nil
}

// scrape runs one pass of each source, in order.
func (a *app) scrape(ctx context.Context, sources []string, committees []string, progress io.Writer) []tracker.Summary {
	var sums []tracker.Summary
	for _, src := range sources {
		done := showProgress(progress, src+": reading…")
		var s tracker.Summary
		if row, ok := sourceNamed(src); ok {
			s = row.pass(ctx, a, committees)
		}
		done()
		sums = append(sums, s)
	}
	return sums
}

// showProgress prints a progress line on a terminal when the work takes more than a second,
// and clears it when done is called.
func showProgress(w io.Writer, line string) (done func()) {
	if !isTerminal(w) {
		return func() {}
	}
	var mu sync.Mutex
	shown := false
	t := time.AfterFunc(time.Second, func() {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "\r%s", line)
		shown = true
	})
	return func() {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}

// ---- bills

type billJSON struct {
	billwatch.Bill
	Stages   []billwatch.Stage `json:"stages,omitempty"`
	Meetings []meetingJSON     `json:"meetings,omitempty"`
	Versions []versionJSON     `json:"versions,omitempty"`
	// Lineage and Memory are set by show only.
	Lineage []tracker.LineageLink `json:"lineage"`
	Memory  *memoryJSON           `json:"memory,omitempty"`
}

type versionJSON struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Fetched bool   `json:"fetched"`
	URL     string `json:"url,omitempty"`
	Gap     string `json:"gap,omitempty"`
}

func listJSON(b billwatch.Bill) billwatch.Bill {
	b.Stages, b.Meetings, b.Votes, b.References = nil, nil, nil, nil
	if b.Reasons == nil {
		b.Reasons = []string{}
	}
	return b
}

func billsCommand() command {
	var all, asJSON bool
	var session string
	return command{
		name: "bills", args: "[--all] [--session P-S] [--json]",
		summary: "tracked bills (relevant ones; --all: every stored bill)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored bill, relevant or not")
			fs.StringVar(&session, "session", "", "only this session `P-S` (default: every session)")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) > 0 {
				return usageError("bills takes no arguments, got %q", args[0])
			}
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
			out := []billwatch.Bill{}
			for _, b := range bills {
				if all || b.Relevant {
					out = append(out, listJSON(b.Bill))
				}
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(g.stdout, noBills(store, session, all, len(bills)))
				return nil
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "SESSION\tBILL\tTITLE\tSTATUS\tWHY")
			for _, b := range out {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", b.Session, b.Number, truncate(firstNonEmpty(b.ShortTitle, b.Title), 50), truncate(b.Status, 45), strings.Join(b.Reasons, "; "))
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

// firstNonEmpty returns the first of its arguments that is not "".
var firstNonEmpty = cmp.Or[string]

// ---- show

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
	out := billJSON{Bill: listJSON(b.Bill), Stages: b.Stages, Meetings: meetings}
	out.Votes, out.References = b.Votes, b.References
	for i, v := range b.Versions {
		out.Versions = append(out.Versions, versionJSON{Index: i + 1, ID: v.ID, Type: v.Type, Name: v.Name, Fetched: v.Fetched, URL: v.URL, Gap: v.Gap})
	}
	if out.Stages == nil {
		out.Stages = []billwatch.Stage{}
	}
	if out.Meetings == nil {
		out.Meetings = []meetingJSON{}
	}
	if out.Versions == nil {
		out.Versions = []versionJSON{}
	}
	return out, addMemory(store, &out)
}

func printBill(w io.Writer, b billJSON) error {
	fmt.Fprintf(w, "%s %s — %s\n", b.Session, b.Number, b.Title)
	if b.ShortTitle != "" {
		fmt.Fprintf(w, "Short title: %s\n", b.ShortTitle)
	}
	fmt.Fprintf(w, "Status:      %s\n", b.Status)
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

// ---- alerts

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
			if len(args) > 0 {
				return usageError("alerts takes no arguments, got %q", args[0])
			}
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

// ---- status

// sourceStatus is one source as `status --json` gives it.
type sourceStatus struct {
	Source      string    `json:"source"`
	Healthy     bool      `json:"healthy"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	AgeSeconds  *int64    `json:"age_seconds"`
	Failures    int       `json:"consecutive_failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastRun     time.Time `json:"last_run,omitzero"`
	LastOutcome string    `json:"last_outcome,omitempty"`
	NextRun     time.Time `json:"next_run,omitzero"`
	// Fields is, per kind of page and expected field, the share found in the
	// last pass and the recent level it is compared with.
	Fields []fieldRow `json:"fields,omitempty"`
}

// statusRows is `status --json`, and the web's /status as JSON.
func statusRows(store *tracker.Store, now time.Time) ([]sourceStatus, error) {
	health, err := store.Health()
	if err != nil {
		return nil, err
	}
	runs, err := store.RunStatuses()
	if err != nil {
		return nil, err
	}
	var rows []sourceStatus
	for _, src := range sourceNames() {
		h, r := health[src], runs[src]
		x := sourceStatus{Source: src, Healthy: !h.Unhealthy, LastSuccess: r.LastSuccess, Failures: h.Failures, LastError: firstNonEmpty(h.LastError, r.LastError), LastRun: r.LastRun, LastOutcome: r.LastOutcome, NextRun: r.NextRun}
		if !r.LastSuccess.IsZero() {
			age := int64(now.Sub(r.LastSuccess).Seconds())
			x.AgeSeconds = &age
		}
		x.Fields = fieldRows(h, r)
		for _, c := range h.Coverage {
			x.Healthy = x.Healthy && !c.Drifted
		}
		rows = append(rows, x)
	}
	return rows, nil
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
					age = humanAge(now, r.LastSuccess)
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

// ---- backup, compact

func runBackup(ctx context.Context, g *globals, args []string) error {
	if len(args) != 1 {
		return usageError("backup takes one file name, e.g. billwatch backup billwatch-2026-11-24.db")
	}
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	n, err := store.Backup(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "backed up %s to %s (%d bytes)", store.Path(), args[0], n)
	if _, err := os.Stat(args[0] + ".status.json"); err == nil {
		fmt.Fprintf(g.stdout, ", with the status file %s", args[0]+".status.json")
	}
	fmt.Fprintln(g.stdout)
	return nil
}

func runCompact(ctx context.Context, g *globals, args []string) error {
	if len(args) != 0 {
		return usageError("compact takes no arguments")
	}
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	lock, err := tracker.LockWriter(store.Path(), "compact", g.clock())
	if err != nil {
		return err
	}
	defer lock.Release()
	before, after, err := store.Compact()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "compacted %s: %d → %d bytes\n", store.Path(), before, after)
	return nil
}
