package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/calendar"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/internal/text"
	"github.com/billwatch/billwatch/tracker"
)

// memoryJSON is the coalition's record on a bill as `show --json` and `memory show --json`
// give it (the same type as the web's JSON).
type memoryJSON = tracker.MemoryJSON

func toMemoryJSON(r tracker.Record) memoryJSON { return r.JSON() }

// billMemory is a bill's record, or the one it inherits through its lineage.
func billMemory(store *tracker.Store, session, number string) (memoryJSON, error) {
	return store.BillMemory(session, number)
}

// subjectFor resolves a command-line argument to a memory subject: a bill number (with
// --session, else the stored bill's or the configured session), or a Gazette item id.
func subjectFor(store *tracker.Store, arg, session, current string) (subject, label string, err error) {
	if num := billwatch.NormalizeBillNumber(arg); num != "" {
		if session == "" {
			if b, err := findBill(store, num, "", current); err == nil {
				session = b.Session
			} else {
				session = current
			}
		}
		return tracker.BillSubject(session, num), session + " " + num, nil
	}
	regs, err := store.Regulations()
	if err != nil {
		return "", "", err
	}
	for _, r := range regs {
		if r.ID == arg || r.Key() == arg || r.Registration != nil && strings.EqualFold(*r.Registration, arg) {
			return tracker.RegulationSubject(r.Key()), "Gazette " + r.Key(), nil
		}
	}
	if gazetteID.MatchString(arg) { // well formed, but not stored: exit 1, as for a bill
		return "", "", fmt.Errorf("no Gazette item %s is stored (billwatch regulations --all lists them)", arg)
	}
	return "", "", usageError("%q is neither a bill number (C-22) nor a stored Gazette item id (billwatch regulations --all)", arg)
}

// gazetteID is the form of a Gazette item's id: its issue's date, then the item
// ("2026-06-20-reg2", "2026-11-25-sor-dors231").
var gazetteID = lazyre.New(`^\d{4}-\d{2}-\d{2}[a-z0-9]*-[a-z0-9-]+$`)

// who names the person making a change from the command line: --by, else the login name.
func who(by string) string {
	if by != "" {
		return by
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "cli"
}

func inputError(err error) error {
	if errors.Is(err, tracker.ErrNotFound) || errors.Is(err, tracker.ErrExists) {
		return errors.New(err.Error()) // a well-formed request for what is not, or is already, there: exit 1
	}
	if errors.Is(err, tracker.ErrBadInput) {
		return usageError("%s", strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": "))
	}
	return err
}

// memOpts are the flags of every memory subcommand (flags and arguments mix in any order,
// so they are declared on the command's one flag set).
type memOpts struct {
	session, position, priority, owner, next, due, by string
	title, date, url, from                            string
	asJSON, replace                                   bool
	set                                               map[string]bool
}

func memoryCommand() command {
	o := &memOpts{}
	var fset *flag.FlagSet
	return command{
		name: "memory", args: "set|note|doc|retract|show|carry|export|import ...",
		summary: "the coalition's record on bills and regulations: position, owner, next step, notes, documents",
		flags: func(fs *flag.FlagSet) {
			fset = fs
			fs.StringVar(&o.session, "session", "", "session `P-S` of the bill")
			fs.StringVar(&o.position, "position", "", "set: `P`, one of oppose, amend (seek amendments), support, monitor, none")
			fs.StringVar(&o.priority, "priority", "", "set: `P`, one of high, normal, low (\"\" clears)")
			fs.StringVar(&o.owner, "owner", "", "set: who holds the file (`NAME`; \"\" clears)")
			fs.StringVar(&o.next, "next", "", "set: the next step (`TEXT`; \"\" clears it)")
			fs.StringVar(&o.due, "due", "", "set: the next step's due `DATE` (YYYY-MM-DD; alone, of the step already recorded; \"\" clears)")
			fs.StringVar(&o.title, "title", "", "doc: the document's `TITLE` (brief, letter, submission…)")
			fs.StringVar(&o.date, "date", "", "doc: its `DATE` (YYYY-MM-DD)")
			fs.StringVar(&o.url, "url", "", "doc: where it is (`URL`)")
			fs.StringVar(&o.from, "from", "", "carry: the earlier bill, `\"P-S NUMBER\"` (e.g. \"44-1 C-26\")")
			fs.StringVar(&o.by, "by", "", "who makes the change (default: $USER)")
			fs.BoolVar(&o.asJSON, "json", false, "show: JSON output")
			fs.BoolVar(&o.replace, "replace", false, "import: replace a memory the database already holds; carry: replace the bill's own position, priority and owner, and its next step when the earlier bill has one")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) == 0 {
				return usageError("memory needs a subcommand: set, note, doc, retract, show, carry, export or import")
			}
			sub := map[string]func(context.Context, *globals, *memOpts, []string) error{
				"set": memorySet, "note": memoryNote, "doc": memoryDoc, "retract": memoryRetract, "show": memoryShow,
				"carry": memoryCarry, "export": memoryExport, "import": memoryImport,
			}[args[0]]
			if sub == nil {
				return usageError("unknown memory subcommand %q (want set, note, doc, retract, show, carry, export or import)", args[0])
			}
			o.set = map[string]bool{}
			fset.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
			if err := checkSession(o.session); err != nil {
				return err
			}
			return sub(ctx, g, o, args[1:])
		},
	}
}

// writeStore checks the configuration and opens the database to write to it. Only the
// commands that build a database from the sources (scrape, run, backfill, demo) create one: a
// command that adds to it refuses a database that does not exist, or an empty file, so that a
// mistyped --db is not a new, empty database that seems to have taken the change.
func writeStore(g *globals) (*tracker.Store, *Config, error) {
	cfg, err := loadConfig(g.config)
	if err != nil {
		return nil, nil, err
	}
	store, err := tracker.OpenExisting(g.dbPath())
	return store, cfg, err
}

// storedRecord is record for a change that needs the bill or Gazette item in the database
// (set, note, doc): a record kept for a bill billwatch does not hold would show nowhere.
// Records for such bills come only from `memory import` and `memory carry --from`.
func (o *memOpts) storedRecord(g *globals, arg string) (store *tracker.Store, subject, label string, err error) {
	store, subject, label, err = o.record(g, arg)
	if err != nil {
		return nil, "", "", err
	}
	if rest, ok := strings.CutPrefix(subject, "bill "); ok {
		session, number, _ := strings.Cut(rest, " ")
		_, found, err := store.Bill(session, number)
		if err != nil {
			return nil, "", "", err
		}
		if !found {
			return nil, "", "", fmt.Errorf("bill %s of session %s is not in the database %s: nothing recorded (billwatch bills --all lists the stored ones; --session names another session)", number, session, store.Path())
		}
	}
	return store, subject, label, nil
}

// record checks --session, opens the database to write, and finds the record arg names: the
// first steps of every memory command that changes a record.
func (o *memOpts) record(g *globals, arg string) (store *tracker.Store, subject, label string, err error) {
	if err := checkSession(o.session); err != nil {
		return nil, "", "", err
	}
	store, cfg, err := writeStore(g)
	if err != nil {
		return nil, "", "", err
	}
	subject, label, err = subjectFor(store, arg, o.session, cfg.Session)
	return store, subject, label, err
}

func memorySet(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	position, priority, owner, next, due, by := o.position, o.priority, o.owner, o.next, o.due, o.by
	set := map[string]bool{}
	for _, f := range []string{"position", "priority", "owner", "next", "due"} {
		set[f] = o.set[f]
		if !set[f] {
			delete(set, f)
		}
	}
	if len(pos) != 1 {
		return usageError("memory set takes one bill, e.g. billwatch memory set C-8 --position oppose")
	}
	if len(set) == 0 {
		return usageError("memory set: nothing to set (give --position, --priority, --owner or --next)")
	}
	var e tracker.Edit
	if set["position"] {
		e.Position = &position
	}
	if set["priority"] {
		e.Priority = &priority
	}
	if set["owner"] {
		e.Owner = &owner
	}
	switch {
	case set["next"]:
		e.Next = &tracker.NextStep{Text: next, Due: due}
	case set["due"]: // the due date of the next step already recorded
		e.Due = &due
	}
	if err := e.Validate(); err != nil { // a bad value is told before the database is opened
		return inputError(err)
	}
	store, subject, label, err := o.storedRecord(g, pos[0])
	if err != nil {
		return err
	}
	r, err := store.SetRecord(subject, e, who(by), g.clock())
	if err != nil {
		return inputError(err)
	}
	if today := g.clock().In(billwatch.Eastern).Format(billwatch.DateLayout); due != "" && due < today && (set["next"] || set["due"]) {
		fmt.Fprintf(g.stderr, "warning: the due date %s is in the past (today is %s): the step is recorded as overdue and its reminder goes out at the next pass\n", due, today)
	}
	fmt.Fprintf(g.stdout, "%s: %s\n", label, firstNonEmpty(r.Line(), "no position recorded"))
	return nil
}

func memoryNote(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	by := o.by
	if len(pos) < 2 {
		return usageError("memory note takes a bill and the text, e.g. billwatch memory note C-8 \"met the minister's staff\"")
	}
	store, subject, label, err := o.storedRecord(g, pos[0])
	if err != nil {
		return err
	}
	r, err := store.AddNote(subject, strings.Join(pos[1:], " "), who(by), g.clock())
	if err != nil {
		return inputError(err)
	}
	fmt.Fprintf(g.stdout, "%s: note added (%s)\n", label, text.Count(len(r.Notes), "note", "notes"))
	return nil
}

func memoryDoc(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	by := o.by
	d := tracker.Document{Title: o.title, Date: o.date, URL: o.url}
	if len(pos) != 1 {
		return usageError("memory doc takes one bill, e.g. billwatch memory doc C-8 --title brief --date 2026-11-20 --url https://…")
	}
	if err := tracker.CheckDocument(d); err != nil {
		return inputError(err)
	}
	store, subject, label, err := o.storedRecord(g, pos[0])
	if err != nil {
		return err
	}
	r, err := store.AddDocument(subject, d, who(by), g.clock())
	if err != nil {
		return inputError(err)
	}
	fmt.Fprintf(g.stdout, "%s: document linked (%d documents)\n", label, len(r.Documents))
	return nil
}

// memoryRetract removes a note or a document from a record by its id (memory show lists the
// ids); the history keeps what was retracted, by whom, when.
func memoryRetract(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	if len(pos) != 2 {
		return usageError("memory retract takes a bill and a note or document id, e.g. billwatch memory retract C-8 n-3f2a9c0d1e (memory show lists the ids)")
	}
	store, subject, label, err := o.record(g, pos[0])
	if err != nil {
		return err
	}
	r, err := store.Retract(subject, pos[1], who(o.by), g.clock())
	if err != nil {
		return inputError(err)
	}
	what := "note"
	if strings.HasPrefix(pos[1], "d-") {
		what = "document"
	}
	fmt.Fprintf(g.stdout, "%s: %s %s retracted (%s, %s left)\n", label, what, pos[1], text.Count(len(r.Notes), "note", "notes"), text.Count(len(r.Documents), "document", "documents"))
	return nil
}

func memoryCarry(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	from, by := o.from, o.by
	if len(pos) != 1 || from == "" {
		return usageError("memory carry takes a bill and --from, e.g. billwatch memory carry C-8 --from \"44-1 C-26\"")
	}
	fs, fn, ok := strings.Cut(strings.TrimSpace(from), " ")
	if !ok || !sessionRe.MatchString(fs) || billwatch.NormalizeBillNumber(fn) == "" {
		return usageError("--from %q: want a session and bill number, e.g. \"44-1 C-26\"", from)
	}
	store, subject, label, err := o.record(g, pos[0])
	if err != nil {
		return err
	}
	fromKey := fs + " " + billwatch.NormalizeBillNumber(fn)
	res, err := store.CarryRecord(tracker.BillSubject(fs, billwatch.NormalizeBillNumber(fn)), subject, o.replace, who(by), g.clock())
	if errors.Is(err, tracker.ErrExists) {
		return fmt.Errorf("%s: nothing carried (--replace replaces its position, priority and owner with those of %s, and its next step too if %s has one)", err, fromKey, fromKey)
	}
	if err != nil {
		return inputError(err)
	}
	w := g.stdout
	if !res.Linked {
		fmt.Fprintf(w, "note: %s is not known as an earlier version of %s (billwatch show lists a bill's lineage); carried as asked\n", fromKey, label)
	}
	if !res.Changed && res.Moved == nil {
		fmt.Fprintf(w, "%s: nothing to carry over: it holds all of %s's record already: %s\n", label, fromKey, termSafe(res.Record.Summary()))
		return nil
	}
	fmt.Fprintf(w, "%s: carried over from %s: %s\n", label, fromKey, termSafe(res.Record.Summary()))
	if len(res.Replaced) > 0 {
		fmt.Fprintf(w, "replaced this bill's own %s\n", strings.Join(res.Replaced, ", "))
	}
	if n := res.Moved; n != nil {
		fmt.Fprintf(w, "next step moved here from %s (closed there): %s", fromKey, termSafe(n.Text))
		if n.Due != "" {
			fmt.Fprintf(w, ", due %s", n.Due)
		}
		fmt.Fprintln(w)
		if res.Overdue {
			again := pos[0]
			if session, number, ok := strings.Cut(strings.TrimPrefix(subject, "bill "), " "); ok && strings.HasPrefix(subject, "bill ") {
				again = number + " --session " + session
			}
			fmt.Fprintf(w, "overdue: it was due %s; give it a new date: billwatch memory set %s --due YYYY-MM-DD\n", n.Due, again)
		}
	}
	return nil
}

func memoryShow(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	session, asJSON := o.session, o.asJSON
	if len(pos) != 1 {
		return usageError("memory show takes one bill, e.g. billwatch memory show C-8")
	}
	if err := checkSession(session); err != nil {
		return err
	}
	store, cfg, err := g.readStore()
	if err != nil {
		return err
	}
	subject, label, err := subjectFor(store, pos[0], session, cfg.Session)
	if err != nil {
		return err
	}
	var m memoryJSON
	if s, n, ok := strings.Cut(strings.TrimPrefix(subject, "bill "), " "); ok && strings.HasPrefix(subject, "bill ") {
		m, err = billMemory(store, s, n)
	} else {
		var r tracker.Record
		r, err = store.Record(subject)
		m = toMemoryJSON(r)
	}
	if err != nil {
		return err
	}
	if m.History, err = store.History(subject); err != nil {
		return err
	}
	if m.History == nil {
		m.History = []tracker.Change{}
	}
	if asJSON {
		return writeJSON(g.stdout, m)
	}
	fmt.Fprintf(g.stdout, "%s\n", label)
	printMemory(g.stdout, m, m.InheritedFrom == "", subject)
	if len(m.History) > 0 {
		fmt.Fprintln(g.stdout, "\nHistory:")
		w := table(g.stdout)
		for _, c := range m.History {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s → %s\n", c.At.In(billwatch.Eastern).Format("2006-01-02 15:04"), termSafe(c.By), c.Field, termSafe(truncate(firstNonEmpty(c.Before, "—"), 40)), termSafe(afterShown(c)))
		}
		w.Flush()
	}
	return nil
}

// termSafe drops control characters (terminal escapes) from text people typed.
func termSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}

// afterShown is a history entry's after value as `memory show` prints it, shortened but for a
// carry (which names the earlier bill and who decided what there).
func afterShown(c tracker.Change) string {
	if c.Field == "carried" {
		return afterText(c)
	}
	return truncate(afterText(c), 60)
}

// afterText is a history entry's after value as `memory show` prints it: a note or document
// whose after is empty was retracted.
func afterText(c tracker.Change) string {
	if c.After == "" && c.Before != "" && (c.Field == "note" || c.Field == "document") {
		return "(retracted)"
	}
	return firstNonEmpty(c.After, "—")
}

// printMemory prints the record of subject ("bill 45-2 C-2"); ids adds each note's and
// document's id (the bill's own record, for memory retract).
func printMemory(w io.Writer, m memoryJSON, ids bool, subject string) {
	if m.InheritedFrom != "" {
		session, number, _ := strings.Cut(strings.TrimPrefix(subject, "bill "), " ")
		fmt.Fprintf(w, "No record of its own; from %s, which it reintroduces (carry it over: billwatch memory carry %s --session %s --from %q):\n", m.InheritedFrom, number, session, m.InheritedFrom)
	}
	fmt.Fprintf(w, "Position:    %s\n", tracker.PositionName(m.Position))
	if m.Priority != "" {
		fmt.Fprintf(w, "Priority:    %s\n", m.Priority)
	}
	if m.Owner != "" {
		fmt.Fprintf(w, "Owner:       %s\n", termSafe(m.Owner))
	}
	if m.Next != nil {
		fmt.Fprintf(w, "Next step:   %s", termSafe(m.Next.Text))
		if m.Next.Due != "" {
			fmt.Fprintf(w, " (due %s)", m.Next.Due)
		}
		fmt.Fprintln(w)
	}
	id := func(s string) string {
		if ids {
			return " [" + s + "]"
		}
		return ""
	}
	for _, n := range m.Notes {
		fmt.Fprintf(w, "Note:        %s — %s, %s%s\n", termSafe(n.Text), termSafe(n.By), n.At.In(billwatch.Eastern).Format("2006-01-02"), id(n.ID))
	}
	for _, d := range m.Documents {
		fmt.Fprintf(w, "Document:    %s (%s) %s%s\n", termSafe(d.Title), d.Date, termSafe(d.URL), id(d.ID))
	}
}

func memoryExport(ctx context.Context, g *globals, o *memOpts, args []string) error {
	if len(args) != 0 {
		return usageError("memory export takes no arguments (it writes JSON on stdout: billwatch memory export > memory.json)")
	}
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	ex, err := store.ExportMemory()
	if err != nil {
		return err
	}
	return writeJSON(g.stdout, ex)
}

func memoryImport(ctx context.Context, g *globals, o *memOpts, pos []string) error {
	replace := o.replace
	if len(pos) != 1 {
		return usageError("memory import takes one file, e.g. billwatch memory import memory.json")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("memory import: %w", err)
	}
	defer f.Close()
	ex, err := tracker.ReadMemoryExport(f)
	if err != nil {
		// The file's content is at fault, not the command line: exit 1, without the
		// "invalid input" tag.
		return fmt.Errorf("memory import %s: %s", pos[0], strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": "))
	}
	store, cfg, err := writeStore(g)
	if err != nil {
		return err
	}
	t := tracker.New(store, cfg.profile(), g.logger())
	t.Now = g.clock
	if err := t.ImportMemory(ex, replace); err != nil {
		return fmt.Errorf("memory import %s: %w", pos[0], err)
	}
	fmt.Fprintf(g.stdout, "imported %d records, %d history entries, %d watch-list items from %s\n", len(ex.Records), len(ex.History), len(ex.Watch), pos[0])
	return nil
}

// addMemory fills a shown bill's lineage and the coalition's record.
func addMemory(store *tracker.Store, b *billJSON) error {
	links, err := store.Lineage(b.Session, b.Number)
	if err != nil {
		return err
	}
	b.Lineage = links
	if b.Lineage == nil {
		b.Lineage = []tracker.LineageLink{}
	}
	m, err := billMemory(store, b.Session, b.Number)
	if err != nil {
		return err
	}
	b.Memory = &m
	return nil
}

func printLineageMemory(w io.Writer, b billJSON) {
	if len(b.Lineage) > 0 {
		fmt.Fprintln(w, "\nLineage:")
		for _, l := range b.Lineage {
			fmt.Fprintf(w, "  %s\n", l.Line())
		}
	}
	if b.Memory != nil && (b.Memory.Position != tracker.PositionNone || b.Memory.Owner != "" || len(b.Memory.Notes)+len(b.Memory.Documents) > 0 || b.Memory.Next != nil) {
		fmt.Fprintln(w, "\nOur record:")
		printMemory(w, *b.Memory, false, tracker.BillSubject(b.Session, b.Number))
	}
}

// nextStepEvents are the coalition's open next steps with a due date, as all-day events.
func nextStepEvents(store *tracker.Store, today string) ([]calendar.Event, error) {
	recs, err := store.Records()
	if err != nil {
		return nil, err
	}
	var out []calendar.Event
	for _, r := range recs {
		if r.Next == nil || r.Next.Due == "" || r.Next.Due < today {
			continue
		}
		d, err := time.ParseInLocation(billwatch.DateLayout, r.Next.Due, billwatch.Eastern)
		if err != nil {
			continue
		}
		what := strings.TrimPrefix(strings.TrimPrefix(r.Subject, "bill "), "regulation ")
		desc := "Next step on " + what + ": " + r.Next.Text
		if r.Owner != "" {
			desc += "\nOwner: " + r.Owner
		}
		if line := r.Line(); line != "" {
			desc += "\n" + line
		}
		out = append(out, calendar.Event{
			UID:         strings.ReplaceAll("next-"+what+"-"+tracker.Hash([]byte(r.Next.Text))[:8], " ", "-") + "@billwatch",
			Summary:     "Next step (" + what + "): " + truncate(r.Next.Text, 80),
			Description: desc,
			Start:       d,
			AllDay:      true,
		})
	}
	return out, nil
}
