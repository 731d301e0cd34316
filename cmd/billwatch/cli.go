package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/internal/text"
	"github.com/billwatch/billwatch/scraper"
)

var errHelp = errors.New("help shown")

// usageError is a mistake in the command line: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// globals are the flags every command takes, before or after its name.
type globals struct {
	config   string
	db       string
	bases    baseFlags
	logLevel string // "" means info for the daemon, error for one-shot commands
	command  string
	now      string // --now: start the clock at this time (tests, replaying fixtures)
	clock    func() time.Time
	getenv   func(string) string // the environment; os.Getenv outside tests
	stdout   io.Writer
	stderr   io.Writer
}

type baseFlags map[string]string

func (b baseFlags) String() string {
	var parts []string
	for k, v := range b {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func (b baseFlags) Set(s string) error {
	site, u, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want SITE=URL, got %q", s)
	}
	if _, known := scraper.DefaultBases[site]; !known {
		return fmt.Errorf("unknown site %q (want one of %s)", site, strings.Join(siteNames(), ", "))
	}
	if err := checkBase(u); err != nil {
		return err
	}
	b[site] = u
	return nil
}

// checkBase checks a site's base (--base-url, [sites]): an http or https URL of which only the
// scheme and host (with port) count, as the contract says: the paths requested stay those of
// the real site, so a path, query, fragment or user is refused rather than silently dropped
// or half used.
func checkBase(s string) error {
	u, err := scraper.ParseBase(s)
	if err != nil {
		return err
	}
	var extra []string
	if u.User != nil {
		extra = append(extra, "a user")
	}
	if strings.Trim(u.Path, "/") != "" {
		extra = append(extra, fmt.Sprintf("the path %q", u.Path))
	}
	if u.RawQuery != "" || u.ForceQuery {
		extra = append(extra, fmt.Sprintf("the query %q", "?"+u.RawQuery))
	}
	if u.Fragment != "" || strings.Contains(s, "#") {
		extra = append(extra, fmt.Sprintf("the fragment %q", "#"+u.Fragment))
	}
	if len(extra) > 0 {
		return fmt.Errorf("%q: only the scheme and host (with port) of a site are replaced, its paths stay the real site's: drop %s (e.g. %s://%s)", s, strings.Join(extra, ", "), u.Scheme, u.Host)
	}
	return nil
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", g.config, "TOML configuration `FILE` (default ./billwatch.toml if it exists)")
	fs.StringVar(&g.db, "db", g.db, "bbolt database `FILE` (default $BILLWATCH_DB, else ./billwatch.db)")
	fs.Var(g.bases, "base-url", "replace scheme and host of a site: `SITE=URL` (repeatable)")
	fs.StringVar(&g.logLevel, "log-level", g.logLevel, "log level: debug, info, warn, error (default: info for run, error for other commands, whose summary lines say what went wrong)")
	fs.StringVar(&g.now, "now", g.now, "start the clock at `RFC3339` (for tests and for replaying fixtures)")
}

// parseNow turns --now into the time source: the wall clock, or one that starts at --now.
func (g *globals) parseNow() error {
	g.clock = time.Now
	if g.now == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, g.now)
	if err != nil {
		return usageError("--now %q: want an RFC 3339 time, e.g. 2026-11-23T10:00:00-05:00", g.now)
	}
	// The clock starts at --now and runs, so that the daemon's schedules still come round.
	start := time.Now()
	g.clock = func() time.Time { return t.Add(time.Since(start)) }
	return nil
}

func (g *globals) logger() *slog.Logger {
	lvl := slog.LevelError
	if g.command == "run" {
		lvl = slog.LevelInfo
	}
	if g.logLevel != "" {
		_ = lvl.UnmarshalText([]byte(g.logLevel)) // checked in run
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if isTerminal(g.stderr) {
		return slog.New(slog.NewTextHandler(g.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(g.stderr, opts))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// command is one subcommand.
type command struct {
	name    string
	args    string
	summary string
	flags   func(fs *flag.FlagSet) // the command's own flags
	run     func(ctx context.Context, g *globals, args []string) error
}

// parse parses flags and positional arguments in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &exitError{code: 2, err: flagError(fs, err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

var (
	flagUnknownRe = lazyre.New(`^flag provided but not defined: -+(.*)$`)
	flagNeedsRe   = lazyre.New(`^flag needs an argument: -+(.*)$`)
	flagInvalidRe = lazyre.New(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+): (.*)$`)
)

// flagError turns the flag package's error into one line naming the flag and the value, in
// the user's words.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if m := flagUnknownRe.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("unknown flag --%s", m[1])
	}
	if m := flagNeedsRe.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("--%s needs a value", m[1])
	}
	if m := flagInvalidRe.FindStringSubmatch(msg); m != nil {
		value, name, why := m[1], m[2], m[3]
		if f := fs.Lookup(name); f != nil {
			if getter, ok := f.Value.(flag.Getter); ok {
				switch getter.Get().(type) {
				case int, int64, uint, uint64:
					why = "want a whole number"
				case float64:
					why = "want a number"
				case bool:
					why = "want true or false"
				case time.Duration:
					why = "want a duration such as 30s, 5m or 1h30m"
				}
			}
		}
		return fmt.Errorf("--%s %q: %s", name, value, why)
	}
	return err
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\n", "; ")
	return s
}

// run is the whole command line on the process's environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runEnv(ctx, args, os.Getenv, stdout, stderr)
}

// runEnv runs the command line with getenv as the environment: nothing below it reads the
// process's own, so that tests can run side by side, each with its own.
func runEnv(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	g := &globals{bases: baseFlags{}, stdout: stdout, stderr: stderr, getenv: getenv}
	top := flag.NewFlagSet("billwatch", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return nil
		}
		return usageError("%v (see billwatch help)", flagError(top, err))
	}
	rest := top.Args()
	if len(rest) == 0 {
		usage(stderr)
		return &exitError{code: 2}
	}
	name := rest[0]
	if name == "help" || name == "-h" {
		if len(rest) > 1 {
			for _, c := range commands() {
				if c.name == rest[1] {
					commandUsage(stdout, &c)
					return nil
				}
			}
			return usageError("help %q: no such command (see billwatch help)", rest[1])
		}
		usage(stdout)
		return nil
	}
	if name == "version" {
		fmt.Fprintln(stdout, "billwatch", scraper.Version)
		return nil
	}
	cmds := commands()
	var cmd *command
	for i := range cmds {
		if cmds[i].name == name {
			cmd = &cmds[i]
		}
	}
	if cmd == nil {
		return usageError("unknown command %q (see billwatch help)", name)
	}
	fs := flag.NewFlagSet("billwatch "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line below, -h by commandUsage
	g.register(fs)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	pos, err := parse(fs, rest[1:])
	if err != nil {
		if errors.Is(err, errHelp) {
			commandUsage(stdout, cmd)
			return nil
		}
		var ee *exitError
		if errors.As(err, &ee) && ee.err != nil {
			ee.err = fmt.Errorf("%w (see billwatch %s -h)", ee.err, name)
		}
		return err
	}
	if len(pos) > 0 && takesNoArgs(cmd) {
		return usageError("%s takes no arguments, got %q (see billwatch %s -h)", name, pos[0], name)
	}
	var lvl slog.Level
	if g.logLevel != "" && lvl.UnmarshalText([]byte(g.logLevel)) != nil {
		return usageError("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	if err := g.parseNow(); err != nil {
		return err
	}
	g.command = name
	if !readOnly(name) {
		armSignals(ctx)
	}
	if rawOutput[name] {
		return flagHint(name, cmd.run(ctx, g, pos))
	}
	// Scraped text is never trusted: whatever a command prints passes through a filter that
	// drops terminal controls (ESC, BEL, OSC, C1, bidi overrides), on top of their removal on
	// the way in.
	tw := text.TerminalWriter(g.stdout)
	g.stdout = tw
	err = cmd.run(ctx, g, pos)
	tw.Flush()
	return flagHint(name, err)
}

// flagHint ends a command's usage error about a flag's value (--session, --format, …) with
// where to look, as the flag package's own errors are.
func flagHint(name string, err error) error {
	var ee *exitError
	if errors.As(err, &ee) && ee.code == 2 && ee.err != nil && strings.HasPrefix(ee.err.Error(), "--") && !strings.Contains(ee.err.Error(), "see billwatch") {
		ee.err = fmt.Errorf("%w (see billwatch %s -h)", ee.err, name)
	}
	return err
}

var flagPartRe = lazyre.New(`\[--[^\]]*\]|--[a-z-]+(?: [A-Z][A-Za-z|-]*)?`)

// takesNoArgs reports whether a command's usage (its args) names flags only, so that a
// positional argument is a mistake rather than something to ignore.
func takesNoArgs(cmd *command) bool {
	return strings.TrimSpace(flagPartRe.ReplaceAllString(cmd.args, "")) == ""
}

// readOnly reports whether a command only reads and prints: it runs without signal handlers
// (see signalContext), so that an interrupt ends it at once. Every other command, and any new
// one, stops cleanly on SIGINT or SIGTERM.
func readOnly(command string) bool {
	switch command {
	case "bills", "show", "diff", "law", "diff-act", "hearings", "regulations", "alerts", "calendar", "status", "check":
		return true
	}
	return false
}

// rawOutput names the commands whose output is not filtered for the terminal: diff colours
// its output itself (its text is normalised by the diff package), calendar writes iCalendar,
// and the demo prints the fixtures' own text and a coloured diff.
var rawOutput = map[string]bool{"diff": true, "calendar": true, "demo": true}

func usage(w io.Writer) {
	fmt.Fprintf(w, "billwatch watches Canadian federal legislation on national security and civil liberties.\n\n")
	fmt.Fprintf(w, "usage: billwatch [global flags] COMMAND [ARGS]\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-12s %s\n", "version", "print billwatch's version")
	fmt.Fprintf(w, "  %-12s %s\n", "help", "this list")
	fmt.Fprintf(w, "\nglobal flags (before or after the command):\n")
	top := flag.NewFlagSet("billwatch", flag.ContinueOnError)
	(&globals{bases: baseFlags{}}).register(top)
	top.SetOutput(w)
	top.PrintDefaults()
	fmt.Fprintf(w, "\nRun `billwatch COMMAND -h` for a command's own flags.\n")
}

// commandUsage is a command's -h: its arguments and its own flags; the global flags are
// listed once, by `billwatch help`.
func commandUsage(w io.Writer, cmd *command) {
	fmt.Fprintf(w, "usage: billwatch %s %s\n\n%s\n", cmd.name, cmd.args, cmd.summary)
	own := flag.NewFlagSet("billwatch "+cmd.name, flag.ContinueOnError)
	if cmd.flags != nil {
		cmd.flags(own)
	}
	n := 0
	own.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nflags:\n")
		own.SetOutput(w)
		own.PrintDefaults()
	}
	fmt.Fprintf(w, "\nglobal flags (--config, --db, --base-url, --log-level, --now): see billwatch help\n")
}
