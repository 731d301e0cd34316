package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/billwatch/billwatch/tracker"
)

// watchRow is one watch-list entry as `watch list` shows it: from the configuration file or
// the database.
type watchRow struct {
	Kind   string `json:"kind"`
	Value  string `json:"value"`
	Source string `json:"source"` // "config" or "database"
	By     string `json:"by,omitempty"`
	At     string `json:"at,omitempty"`

	builtin bool // a built-in default: the configuration file gives no list of this kind
}

func watchCommand() command {
	var asJSON bool
	var by string
	return command{
		name: "watch", args: "add|rm KIND VALUE | list [--json]",
		summary: "the watch list kept in the database (bill, keyword, committee, department, act, provision)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&asJSON, "json", false, "JSON output (list)")
			fs.StringVar(&by, "by", "", "who makes the change (default: $USER)")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) == 0 {
				return usageError("watch needs a subcommand: add KIND VALUE, rm KIND VALUE or list")
			}
			switch args[0] {
			case "list":
				if len(args) != 1 {
					return usageError("watch list takes no arguments")
				}
				return watchList(g, asJSON)
			case "add", "rm":
				if len(args) < 3 {
					return usageError("watch %s takes a kind and a value, e.g. billwatch watch %s keyword \"lawful access\" (kinds: %s)", args[0], args[0], strings.Join(tracker.WatchKinds, ", "))
				}
				kind, value := args[1], strings.Join(args[2:], " ")
				if args[0] == "add" {
					// A value no list could hold is a usage error, whatever the database.
					if _, err := tracker.NormalizeWatch(kind, value); err != nil {
						return inputError(err)
					}
				}
				store, cfg, err := writeStore(g)
				if err != nil {
					return err
				}
				t := tracker.New(store, cfg.profile(), g.logger())
				t.Now = g.clock
				var res tracker.WatchResult
				if args[0] == "add" {
					res, err = t.WatchAdd(kind, value, who(by))
				} else {
					res, err = t.WatchRemove(kind, value, who(by))
				}
				if err != nil {
					if args[0] == "rm" {
						if err := notInDatabase(cfg, kind, value); err != nil {
							return err
						}
					}
					return inputError(err)
				}
				switch {
				case !res.Changed && args[0] == "add":
					fmt.Fprintf(g.stdout, "%s %q is already on the watch list\n", res.Item.Kind, res.Item.Value)
				case !res.Changed:
					return fmt.Errorf("%s %q is not on the watch list (billwatch watch list)", kind, value)
				default:
					verb := "added to"
					if args[0] == "rm" {
						verb = "removed from"
					}
					fmt.Fprintf(g.stdout, "%s %q %s the watch list; relevance recomputed: %d bills and %d regulations changed\n", res.Item.Kind, res.Item.Value, verb, res.Bills, res.Regulations)
					if res.Item.Kind == tracker.WatchBill && args[0] == "add" && !strings.Contains(res.Item.Value, " ") {
						// Numbers are reused every session: say what a number alone follows.
						fmt.Fprintf(g.stdout, "note: a number without a session follows %s in every session, whatever bill bears it; \"45-1 %s\" follows one session's\n", res.Item.Value, res.Item.Value)
					}
				}
				return nil
			default:
				return usageError("unknown watch subcommand %q (want add, rm or list)", args[0])
			}
		},
	}
}

func watchList(g *globals, asJSON bool) error {
	cfg, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	p := cfg.profile()
	var rows []watchRow
	for _, x := range []struct {
		kind    string
		list    []string
		builtin bool
	}{{tracker.WatchBill, p.Bills, false}, {tracker.WatchKeyword, p.Keywords, cfg.Watch.Keywords == nil}, {tracker.WatchCommittee, p.Committees, cfg.Watch.Committees == nil},
		{tracker.WatchDepartment, p.Departments, cfg.Watch.Departments == nil}, {tracker.WatchAct, p.Acts, cfg.Watch.Acts == nil}, {tracker.WatchProvision, cfg.Watch.Provisions, false}} {
		for _, v := range x.list {
			rows = append(rows, watchRow{Kind: x.kind, Value: v, Source: "config", builtin: x.builtin})
		}
	}
	store, err := tracker.OpenReadOnly(g.dbPath())
	if err != nil && !errors.Is(err, tracker.ErrNoDatabase) {
		return err
	}
	if err == nil {
		store.OnSkip(g.warnSkipped)
		items, err := store.WatchList()
		if err != nil {
			return err
		}
		for _, it := range items {
			rows = append(rows, watchRow{Kind: it.Kind, Value: it.Value, Source: "database", By: it.By, At: it.At.Format("2006-01-02T15:04:05Z07:00")})
		}
	}
	order := func(k string) int { return slices.Index(tracker.WatchKinds, k) }
	slices.SortStableFunc(rows, func(a, b watchRow) int { return order(a.Kind) - order(b.Kind) })
	if asJSON {
		if rows == nil {
			rows = []watchRow{}
		}
		return writeJSON(g.stdout, rows)
	}
	w := table(g.stdout)
	fmt.Fprintln(w, "KIND\tVALUE\tFROM")
	for _, r := range rows {
		from := "config file"
		if r.builtin {
			from = "built-in default"
		}
		if r.Source == "database" {
			from = "database (" + termSafe(r.By) + ", " + r.At[:10] + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.Kind, termSafe(r.Value), from)
	}
	return w.Flush()
}

// watchedCommittees adds the committees of the database's watch list to those read.
func watchedCommittees(t *tracker.Tracker, house, sen []string) ([]string, []string) {
	items, err := t.Store.WatchList()
	if err != nil {
		return house, sen
	}
	for _, it := range items {
		if it.Kind != tracker.WatchCommittee {
			continue
		}
		if senateCommittees[it.Value] {
			if !slices.Contains(sen, it.Value) {
				sen = append(sen, it.Value)
			}
		} else if !slices.Contains(house, it.Value) {
			house = append(house, it.Value)
		}
	}
	return house, sen
}

// notInDatabase explains why a watch-list entry that is not in the database cannot be removed
// with `watch rm`: it is in the configuration file, or it is a built-in default (the file's
// list of that kind, when given, replaces the defaults). It returns nil when it is neither.
func notInDatabase(cfg *Config, kind, value string) error {
	v, err := tracker.NormalizeWatch(kind, value)
	if err != nil {
		return nil
	}
	key := map[string]string{tracker.WatchBill: "bills", tracker.WatchKeyword: "keywords", tracker.WatchCommittee: "committees",
		tracker.WatchDepartment: "departments", tracker.WatchAct: "acts", tracker.WatchProvision: "provisions"}[kind]
	var configured *[]string
	switch kind {
	case tracker.WatchBill:
		configured = &cfg.Watch.Bills
	case tracker.WatchKeyword:
		configured = cfg.Watch.Keywords
	case tracker.WatchCommittee:
		configured = cfg.Watch.Committees
	case tracker.WatchDepartment:
		configured = cfg.Watch.Departments
	case tracker.WatchAct:
		configured = cfg.Watch.Acts
	case tracker.WatchProvision:
		configured = &cfg.Watch.Provisions
	}
	has := func(list []string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.Join(strings.Fields(x), " "), v) })
	}
	if configured != nil && has(*configured) {
		return fmt.Errorf("watch %s %q comes from the configuration file %s ([watch] %s), not the database: edit the file to remove it", kind, v, cfg.source, key)
	}
	def := tracker.DefaultProfile()
	defaults := map[string][]string{tracker.WatchKeyword: def.Keywords, tracker.WatchCommittee: def.Committees,
		tracker.WatchDepartment: def.Departments, tracker.WatchAct: def.Acts}[kind]
	if configured == nil && has(defaults) {
		return fmt.Errorf("watch %s %q is a built-in default, not in the database: to drop it, write the %s to watch as [watch] %s = [...] in the configuration file (a list there replaces the built-in one; billwatch watch list shows it)", kind, v, key, key)
	}
	return nil
}
