package main

import (
	"cmp"
	"encoding/json"
	"io"
	"text/tabwriter"
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

// firstNonEmpty returns the first of its arguments that is not "".
var firstNonEmpty = cmp.Or[string]
