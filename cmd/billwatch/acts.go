package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/scraper/justice"
	"github.com/billwatch/billwatch/tracker"
)

// actSource adapts the Justice Laws scraper to the tracker: an Act fetched is parsed once
// to check it is one and to learn its title and chapter.
type actSource struct{ s *justice.Scraper }

func (a actSource) Index(ctx context.Context, etag, lastModified string) (tracker.ActFetch, error) {
	f, err := a.s.Index(ctx, etag, lastModified)
	if err != nil {
		return tracker.ActFetch{}, err
	}
	if f.Body != nil {
		if _, err := justice.ParseIndex(strings.NewReader(string(f.Body))); err != nil {
			return tracker.ActFetch{}, fmt.Errorf("%s: %w", f.URL, err)
		}
	}
	return tracker.ActFetch{URL: f.URL, Body: f.Body, NotModified: f.NotModified, ETag: f.ETag, LastModified: f.LastModified}, nil
}

func (a actSource) Act(ctx context.Context, code, etag, lastModified string) (tracker.ActFetch, error) {
	f, err := a.s.Act(ctx, code, etag, lastModified)
	if err != nil {
		return tracker.ActFetch{}, err
	}
	out := tracker.ActFetch{URL: f.URL, Body: f.Body, NotModified: f.NotModified, ETag: f.ETag, LastModified: f.LastModified}
	if f.Body != nil {
		act, err := law.ParseAct(f.Body)
		if err != nil {
			return tracker.ActFetch{}, fmt.Errorf("%s: %w", f.URL, err)
		}
		out.Title, out.Chapter = act.Title, act.Chapter
	}
	return out, nil
}

// scrapeActs runs a pass of the Justice Laws source: the Acts that relevant bills amend and
// the watched ones, each re-read weekly and conditionally.
func (a *app) scrapeActs(ctx context.Context) tracker.Summary {
	store := a.tracker.Store
	return a.tracker.ScrapeActs(ctx, actSource{justice.New(a.client)}, tracker.ActPlan{
		Codes: func() ([]string, []error) { return actsToKeep(store, a.cfg, a.tracker.Profile.Acts) },
	})
}

// actsToKeep resolves the Acts relevant bills amend (from their latest stored text), the
// watched Acts and the Acts of watched provisions to codes. A name the index cannot
// resolve is skipped: a bill amending an Act not consolidated (one it enacts itself) is
// normal, and `law` names the reason on each effect.
func actsToKeep(store *tracker.Store, cfg *Config, watchedActs []string) ([]string, []error) {
	ix, err := storedActIndex(store, cfg)
	if err != nil {
		return nil, []error{err}
	}
	codes := map[string]bool{}
	var problems []error
	for _, c := range cfg.Acts {
		codes[c] = true
	}
	bills, err := store.Bills(cfg.Session)
	if err != nil {
		return nil, []error{err}
	}
	for _, b := range bills {
		if !b.Relevant {
			continue
		}
		var latest tracker.StoredText
		for _, v := range b.Versions {
			if v.Fetched {
				latest = v
			}
		}
		if latest.Hash == "" {
			continue
		}
		payload, err := store.Payload(latest.Hash)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		bill, err := law.ParseBill(payload)
		if err != nil {
			continue // not every text is readable as amendments; the diff reports bad XML
		}
		for _, ins := range bill.Instructions {
			if c, err := ix.Resolve(ins.Act); err == nil {
				codes[c] = true
			}
		}
	}
	resolveWatched := func(name string) {
		if justice.ValidCode(name) {
			codes[name] = true
			return
		}
		// Watched Acts are also Gazette keywords ("CSIS Act"): a name the index does not
		// know is no failure of the source.
		if c, err := ix.Resolve(law.ActRef{Title: name}); err == nil {
			codes[c] = true
		}
	}
	for _, t := range watchedActs {
		resolveWatched(t)
	}
	for _, p := range cfg.Watch.Provisions {
		if w, err := law.ParseWatch(p); err == nil {
			resolveWatched(w.Act)
		}
	}
	out := make([]string, 0, len(codes))
	for c := range codes {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, problems
}

func diffActCommand() command {
	var from, to, format string
	return command{
		name: "diff-act", args: "CODE [--from N] [--to N] [--format F]",
		summary: "what changed between two stored consolidations of an Act",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&from, "from", "", "older stored version `N` (1 is the first; default: the second latest)")
			fs.StringVar(&to, "to", "", "newer stored version `N` (default: the latest)")
			fs.StringVar(&format, "format", "text", "output `F`: text, markdown, html or json")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			switch format {
			case "text", "markdown", "html", "json":
			default:
				return usageError("--format %q: want one of text, markdown, html, json", format)
			}
			if len(args) != 1 || !justice.ValidCode(args[0]) {
				return usageError("diff-act takes one Act code (billwatch diff-act C-23)")
			}
			code := args[0]
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			vs, err := store.ActVersions(code)
			if err != nil {
				return err
			}
			if len(vs) == 0 {
				return fmt.Errorf("Act %s is not stored (billwatch scrape acts fetches the Acts bills amend and the watched ones)", code)
			}
			pick := func(s string, def int) (tracker.Version, error) {
				if s == "" {
					if def < 0 {
						return tracker.Version{}, fmt.Errorf("Act %s: only one consolidation (%s) is stored, nothing to compare it with", code, vs[0].Fetched.Format(time.DateOnly))
					}
					return vs[def], nil
				}
				n, err := strconv.Atoi(s)
				if err != nil {
					return tracker.Version{}, usageError("version %q of %s: want a number from 1 to %d", s, code, len(vs))
				}
				if n < 1 || n > len(vs) {
					// Well formed, but no such version: not found, like diff --from 99.
					return tracker.Version{}, fmt.Errorf("Act %s has no version %d (it has 1 to %d)", code, n, len(vs))
				}
				return vs[n-1], nil
			}
			tv, err := pick(to, len(vs)-1)
			if err != nil {
				return err
			}
			fv, err := pick(from, len(vs)-2)
			if err != nil {
				return err
			}
			read := func(v tracker.Version) (*law.Act, error) {
				b, err := store.Payload(v.Hash)
				if err != nil {
					return nil, err
				}
				a, err := law.ParseAct(b)
				if err != nil {
					return nil, fmt.Errorf("Act %s, version fetched %s: %w", code, v.Fetched.Format(time.RFC3339), err)
				}
				return a, nil
			}
			fa, err := read(fv)
			if err != nil {
				return err
			}
			ta, err := read(tv)
			if err != nil {
				return err
			}
			res := law.CompareActs(fa, ta)
			res.Annotate()
			if format == "json" {
				return actDiffJSON(g.stdout, res, fa, ta, fv, tv)
			}
			return law.Render(g.stdout, res, format, format == "text" && isTerminal(g.stdout))
		},
	}
}

// actDiffJSON writes diff-act's JSON: law's shape (kept for whoever reads it already: "bill"
// is empty, as no bill is involved, "version" both dates, "summary.instructions" the sections
// changed, each effect's "change" says "changed", "added" or "gone"), with
// keys that say what they mean: "act", "title", "from" and "to" (each consolidation's date and
// when billwatch fetched it) and "sections_changed".
func actDiffJSON(w io.Writer, res *law.Result, fa, ta *law.Act, fv, tv tracker.Version) error {
	var buf bytes.Buffer
	if err := law.Render(&buf, res, "json", false); err != nil {
		return err
	}
	var out map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		return err
	}
	side := func(a *law.Act, v tracker.Version) map[string]any {
		return map[string]any{"consolidated_to": a.ConsolidatedTo, "fetched": v.Fetched.UTC().Format(time.RFC3339)}
	}
	out["act"] = ta.Code
	if ta.Code == "" {
		out["act"] = fa.Code
	}
	out["title"] = ta.Title
	out["from"] = side(fa, fv)
	out["to"] = side(ta, tv)
	out["sections_changed"] = res.Summary.Instructions
	return writeJSON(w, out)
}
