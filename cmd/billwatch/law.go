package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/scraper/justice"
	"github.com/billwatch/billwatch/tracker"
)

func lawCommand() command {
	var session, version, act, format string
	var actFiles fileFlags
	var noColor bool
	return command{
		name: "law", args: "BILL [--session P-S] [--version V] [--act CODE] [--format F] | BILL.xml --act-file ACT.xml [--format F]",
		summary: "what a bill's amending instructions do to each consolidated Act it amends",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&session, "session", "", "session `P-S` of the bill (default: the current one)")
			fs.StringVar(&version, "version", "", "text version `V` of the bill: a type, a publication id or an index from show (default: the latest)")
			fs.StringVar(&act, "act", "", "only the Act with this `CODE` (e.g. T-3.4)")
			fs.Var(&actFiles, "act-file", "consolidated Act XML `FILE` from disk (repeatable; with a bill XML file)")
			fs.StringVar(&format, "format", "text", "output `F`: text, markdown, html or json")
			fs.BoolVar(&noColor, "no-color", false, "no colours in text output, even on a terminal")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			switch format {
			case "text", "markdown", "html", "json":
			default:
				return usageError("--format %q: want one of text, markdown, html, json", format)
			}
			// Codes are written in capitals (T-3.4); t-3.4 names the same Act, as on the web.
			if act != "" && !justice.ValidCode(strings.ToUpper(act)) {
				return usageError("--act %q: not an Act code (write e.g. T-3.4)", act)
			}
			act = strings.ToUpper(act)
			if len(args) != 1 {
				return usageError("law takes one bill: a number (billwatch law C-8) or a bill XML file with --act-file")
			}
			color := format == "text" && !noColor && isTerminal(g.stdout) && os.Getenv("NO_COLOR") == ""
			var res *law.Result
			var err error
			if strings.HasSuffix(strings.ToLower(args[0]), ".xml") || len(actFiles) > 0 {
				if _, err := os.Stat(args[0]); errors.Is(err, os.ErrNotExist) && !strings.HasSuffix(strings.ToLower(args[0]), ".xml") {
					return usageError("law %s: --act-file needs the bill as an XML file too (billwatch law C-8_E.xml --act-file T-3.4.xml); drop --act-file to use the stored bill %s", args[0], args[0])
				}
				if session != "" || version != "" {
					return usageError("--session and --version name stored texts; with a bill XML file, give --act-file")
				}
				res, err = lawFiles(g, args[0], actFiles)
			} else {
				res, err = lawStored(g, args[0], session, version)
			}
			if err != nil {
				return err
			}
			if act != "" && !res.Only(act) {
				return fmt.Errorf("bill %s does not amend the Act %s", res.Bill, act)
			}
			res.Annotate()
			return law.Render(g.stdout, res, format, color)
		},
	}
}

// lawFiles applies a bill XML file to the Act files given.
func lawFiles(g *globals, billPath string, actPaths []string) (*law.Result, error) {
	bb, err := os.ReadFile(billPath)
	if err != nil {
		return nil, fmt.Errorf("law: read bill: %w", err)
	}
	bill, err := law.ParseBill(bb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", billPath, err)
	}
	acts := map[string]*law.Act{}
	var entries []law.IndexEntry
	for _, p := range actPaths {
		ab, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("law: read act: %w", err)
		}
		a, err := law.ParseAct(ab)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if a.Code == "" {
			a.Code = strings.TrimSuffix(p[strings.LastIndex(p, "/")+1:], ".xml")
		}
		acts[a.Code] = a
		// The long title names the Act too; the short title, last, is the entry's title.
		if a.LongTitle != "" && a.LongTitle != a.Title {
			entries = append(entries, law.IndexEntry{Code: a.Code, Title: a.LongTitle, Chapter: a.Chapter})
		}
		entries = append(entries, law.IndexEntry{Code: a.Code, Title: a.Title, Chapter: a.Chapter})
	}
	pins, err := actPins(g)
	if err != nil {
		return nil, err
	}
	lookup := law.IndexLookup(law.NewIndex(entries, pins), func(code string) (*law.Act, error) {
		if a, ok := acts[code]; ok {
			return a, nil
		}
		return nil, fmt.Errorf("%s was not given with --act-file", code)
	})
	// The index is the Acts given: one it lacks was not given, whether or not Justice Laws has
	// it. Its code, when the database's index of Acts knows it, is still said.
	known := knownActs(g)
	res := law.Apply(bill, func(r law.ActRef) (string, *law.Act, error) {
		code, a, err := lookup(r)
		if errors.Is(err, law.ErrNotIndexed) {
			err = fmt.Errorf("%s was not given with --act-file", r)
			if known != nil {
				if c, kerr := known.Resolve(r); kerr == nil {
					code, err = c, fmt.Errorf("%s (%s) was not given with --act-file", r, c)
				}
			}
		}
		return code, a, err
	})
	if res.Session == "" {
		res.Session = xmlSession(bb)
	}
	return res, nil
}

// knownActs is the database's index of Acts (the stored Justice Laws index, the Acts
// stored, the pins), or nil when there is no database to read: law on files needs none.
func knownActs(g *globals) *law.Index {
	if _, err := os.Stat(g.dbPath()); err != nil {
		return nil
	}
	store, cfg, err := g.readStore()
	if err != nil {
		return nil
	}
	ix, err := storedActIndex(store, cfg)
	if err != nil {
		return nil
	}
	return ix
}

// actPins reads the config's [acts] pins (title → code) without opening the database.
func actPins(g *globals) (map[string]string, error) {
	cfg, err := loadConfig(g.config)
	if err != nil {
		return nil, err
	}
	return cfg.Acts, nil
}

// lawStored applies a stored text of a bill to the stored consolidated Acts.
func lawStored(g *globals, number, session, version string) (*law.Result, error) {
	if err := checkSession(session); err != nil {
		return nil, err
	}
	store, cfg, err := g.readStore()
	if err != nil {
		return nil, err
	}
	b, err := findBill(store, number, session, cfg.Session)
	if err != nil {
		return nil, err
	}
	var tv tracker.StoredText
	if version == "" {
		for _, v := range b.Versions {
			if v.Fetched {
				tv = v
			}
		}
		if tv.ID == "" {
			return nil, fmt.Errorf("bill %s %s: no text version is stored yet", b.Session, b.Number)
		}
	} else if tv, err = pickVersion(b, version); err != nil {
		return nil, err
	}
	payload, err := store.Payload(tv.Hash)
	if err != nil {
		return nil, err
	}
	res, err := storedLaw(store, cfg, payload)
	if err != nil {
		return nil, fmt.Errorf("bill %s %s, version %s: %w", b.Session, b.Number, tv.Type, err)
	}
	res.Session, res.Bill, res.Version = b.Session, b.Number, tv.Type
	return res, nil
}

// storedLaw applies a bill text to the Acts the store holds.
func storedLaw(store *tracker.Store, cfg *Config, billXML []byte) (*law.Result, error) {
	bill, err := law.ParseBill(billXML)
	if err != nil {
		return nil, err
	}
	ix, err := storedActIndex(store, cfg)
	if err != nil {
		return nil, err
	}
	return law.Apply(bill, law.IndexLookup(ix, func(code string) (*law.Act, error) {
		payload, _, found, err := store.Act(code)
		switch {
		case err != nil:
			return nil, err
		case !found:
			return nil, fmt.Errorf("%s is not fetched yet (billwatch scrape acts fetches the Acts relevant bills amend)", code)
		}
		return law.ParseAct(payload)
	})), nil
}

// storedActIndex is the index of Acts: the config's pins, the Acts stored, and the stored
// Justice Laws index.
func storedActIndex(store *tracker.Store, cfg *Config) (*law.Index, error) {
	var entries []law.IndexEntry
	stored, err := store.StoredActs()
	if err != nil {
		return nil, err
	}
	for _, a := range stored {
		entries = append(entries, law.IndexEntry{Code: a.Code, Title: a.Title, Chapter: a.Chapter})
	}
	raw, found, err := store.ActIndex()
	if err != nil {
		return nil, err
	}
	if found {
		// The scraper stored it only after it parsed; a later parser that reads less of it
		// still leaves the stored Acts and the pins.
		es, _ := justice.ParseIndex(bytes.NewReader(raw))
		for _, e := range es {
			entries = append(entries, law.IndexEntry{Code: e.Code, Title: e.Title, Chapter: e.Chapter, ConsolidatedTo: e.ConsolidatedTo, Link: e.Link})
		}
	}
	return law.NewIndex(entries, cfg.Acts), nil
}

// fileFlags is a repeatable flag of file paths, kept as typed.
type fileFlags []string

func (f *fileFlags) String() string { return strings.Join(*f, ",") }

func (f *fileFlags) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("empty file name")
	}
	*f = append(*f, s)
	return nil
}

// lawReader tells the tracker what a bill text does to the law: the Acts and provisions
// it amends (from the instructions alone: no Act text is needed), and the watched
// provisions it touches.
type lawReader struct {
	store   *tracker.Store
	cfg     *Config
	watches []law.Watch
	now     func() time.Time

	mu    sync.Mutex
	ix    *law.Index
	built time.Time
}

func newLawReader(store *tracker.Store, cfg *Config, now func() time.Time) (*lawReader, error) {
	r := &lawReader{store: store, cfg: cfg, now: now}
	for _, p := range cfg.Watch.Provisions {
		w, err := law.ParseWatch(p)
		if err != nil {
			return nil, fmt.Errorf("watch.provisions: %w", err)
		}
		r.watches = append(r.watches, w)
	}
	return r, nil
}

// index is rebuilt at most every ten minutes: Acts fetched since are then known.
func (r *lawReader) index() (*law.Index, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ix != nil && r.now().Sub(r.built) < 10*time.Minute {
		return r.ix, nil
	}
	ix, err := storedActIndex(r.store, r.cfg)
	if err != nil {
		return nil, err
	}
	r.ix, r.built = ix, r.now()
	return ix, nil
}

func (r *lawReader) Effects(billXML []byte) (tracker.LawEffects, error) {
	bill, err := law.ParseBill(billXML)
	if err != nil {
		return tracker.LawEffects{}, err
	}
	ix, err := r.index()
	if err != nil {
		return tracker.LawEffects{}, err
	}
	res := law.Apply(bill, func(ref law.ActRef) (string, *law.Act, error) {
		code, err := ix.Resolve(ref)
		if err != nil {
			return "", nil, err
		}
		return code, nil, errors.New("not loaded for alerts")
	})
	fx := tracker.LawEffects{Lines: res.Brief()}
	for _, w := range r.watched() {
		es := w.Touching(res, ix)
		if len(es) == 0 {
			continue
		}
		wp := tracker.WatchedProvision{Watch: w.Raw}
		for _, e := range es {
			wp.Effects = append(wp.Effects, "s. "+e.BillProvision+" of the bill: "+e.Brief())
		}
		fx.Watched = append(fx.Watched, wp)
	}
	return fx, nil
}

// watched is the configured provision watches and those of the database's watch list
// (`billwatch watch add provision`), read now, each once. A listed provision that does not
// read as an Act and a section still matches bill titles (the profile), not Act provisions.
func (r *lawReader) watched() []law.Watch {
	items, err := r.store.WatchList()
	if err != nil {
		return r.watches
	}
	out := r.watches
	seen := map[string]bool{}
	for _, w := range r.watches {
		seen[strings.ToLower(strings.Join(strings.Fields(w.Raw), " "))] = true
	}
	for _, it := range items {
		key := strings.ToLower(strings.Join(strings.Fields(it.Value), " "))
		if it.Kind != tracker.WatchProvision || seen[key] {
			continue
		}
		w, err := law.ParseWatch(it.Value)
		if err != nil {
			continue
		}
		seen[key] = true
		out = append(out[:len(out):len(out)], w)
	}
	return out
}

var (
	parliamentRe = lazyre.New(`(?s)<Parliament\b[^>]*>(.*?)</Parliament>`)
	parlSessRe   = lazyre.New(`<Session>\s*(\d{1,2})\s*</Session>`)
	parlNumberRe = lazyre.New(`<Number>\s*(\d{2})\s*</Number>`)
)

// xmlSession is the session a bill XML file names in its identification
// (<Parliament><Session>1</Session><Number>45</Number>) as "45-1", or "" when it names none.
func xmlSession(bill []byte) string {
	m := parliamentRe.FindSubmatch(bill)
	if m == nil {
		return ""
	}
	s, n := parlSessRe.FindSubmatch(m[1]), parlNumberRe.FindSubmatch(m[1])
	if s == nil || n == nil {
		return ""
	}
	return string(n[1]) + "-" + string(s[1])
}
