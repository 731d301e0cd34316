package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/tracker"
)

// differ gives the tracker amendment briefs.
type differ struct{}

func (differ) Brief(from, to []byte) (string, bool, error) {
	r, err := diff.CompareBytes(from, to)
	if err != nil {
		return "", false, err
	}
	return r.Brief(), r.Summary.Changed(), nil
}

// Amendment also gives the provision a link should open at and the weightiest flags with
// the words they changed, for bill.amended alerts that link to the web diff.
func (differ) Amendment(from, to []byte) (tracker.Amendment, error) {
	r, err := diff.CompareBytes(from, to)
	if err != nil {
		return tracker.Amendment{}, err
	}
	am := tracker.Amendment{Brief: r.Brief(), Changed: r.Summary.Changed()}
	hs := r.Highlights()
	if len(hs) > 0 {
		am.Anchor = hs[0].Anchor
	} else if len(r.Provisions) > 0 {
		am.Anchor = r.Provisions[0].Anchor
	}
	for i, h := range hs {
		if i == 3 {
			am.Top = append(am.Top, fmt.Sprintf("and %d more flags", len(hs)-3))
			break
		}
		line := h.Text
		if len(h.Words) > 0 {
			line += " — " + strings.Join(h.Words, "; ")
		}
		am.Top = append(am.Top, line)
	}
	return am, nil
}

func diffCommand() command {
	var from, to, format, session string
	var noColor bool
	return command{
		name: "diff", args: "BILL [--from V] [--to V] [--format F] | A.xml B.xml [--format F]",
		summary: "amendment diff between two text versions of a bill, clause by clause",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&from, "from", "", "older version `V`: a type (first-reading, amended-by-committee, passed-house, passed-senate, royal-assent), a publication id, or an index from show (default: the second latest)")
			fs.StringVar(&to, "to", "", "newer version `V` (default: the latest)")
			fs.StringVar(&format, "format", "text", "output `F`: text, markdown, html or json")
			fs.StringVar(&session, "session", "", "session `P-S` of the bill (default: the current one)")
			fs.BoolVar(&noColor, "no-color", false, "no colours in text output, even on a terminal")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if !validFormat(format) {
				return usageError("--format %q: want one of %s", format, strings.Join(diff.Formats, ", "))
			}
			color := format == "text" && !noColor && isTerminal(g.stdout) && g.getenv("NO_COLOR") == ""
			defer diffGC()()
			switch {
			case len(args) == 2:
				if from != "" || to != "" {
					return usageError("--from and --to name stored versions; with two files, give the files only")
				}
				for _, a := range args {
					if _, err := os.Stat(a); errors.Is(err, os.ErrNotExist) && billwatch.NormalizeBillNumber(a) != "" && !strings.HasSuffix(strings.ToLower(a), ".xml") {
						return usageError("diff %s %s: diff takes two bill XML files, or one bill number (billwatch diff %s compares its stored versions); there is no file %s", args[0], args[1], a, a)
					}
				}
				r, err := diff.CompareFiles(args[0], args[1])
				if err != nil {
					return err
				}
				if a, b := fileBillNumbers(args[0], args[1]); a != "" && b != "" && a != b {
					fmt.Fprintf(g.stderr, "billwatch: warning: %s and %s are texts of different bills (%s and %s); the diff compares them anyway\n", args[0], args[1], termSafe(a), termSafe(b))
				}
				return diff.Render(g.stdout, r, format, color)
			case len(args) == 1:
				return diffStored(g, args[0], session, from, to, format, color)
			}
			return usageError("diff takes a bill number (billwatch diff C-22) or two bill XML files")
		},
	}
}

// diffGC keeps the garbage collector out of a diff, which builds two provision trees and
// exits: almost all it allocates is live until the end, so a collection would free little.
// GOGC is off and a soft memory limit of 768 MiB is the only trigger, so a very large pair is
// still collected as it nears the limit. Against GOGC=400, which left the 1 MB pair one
// collection of 3.5 ms of CPU, peak RSS is the same. GOGC and GOMEMLIMIT in the environment
// take precedence. The returned func restores the settings (for tests, which run commands in
// one process).
func diffGC() (restore func()) {
	percent, limit := -2, int64(-1)
	// The runtime reads GOGC and GOMEMLIMIT from the process's own environment, not from the
	// one a command is given: ask the process's.
	if os.Getenv("GOGC") == "" {
		percent = debug.SetGCPercent(-1)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(768 << 20)
	}
	return func() {
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

// fileBillNumbers are the bill numbers two bill XML files give in their identification (near
// their start), "" for one that cannot be read or names none.
func fileBillNumbers(a, b string) (string, string) {
	head := make([]byte, 64<<10)
	return fileBillNumber(a, head), fileBillNumber(b, head)
}

// fileBillNumber is the bill number the bill XML file at path gives in the first len(head)
// bytes, read into head, or "".
func fileBillNumber(path string, head []byte) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	n, _ := io.ReadFull(f, head)
	m := billNumberIn(head[:n])
	if m == nil {
		return ""
	}
	return billwatch.NormalizeBillNumber(string(m))
}

// billNumberIn finds what the pattern <BillNumber>\s*([^<]{1,20}?)\s*</BillNumber> finds in
// head (its group), or nil, by a scan: compiling the pattern cost every diff of two files
// about 0.15 million instructions, a few percent of a small pair's. TestBillNumberInAsPattern
// and FuzzBillNumberIn hold it to the pattern.
func billNumberIn(head []byte) []byte {
	const open, end, space = "<BillNumber>", "</BillNumber>", "\t\n\f\r "
	for {
		i := bytes.Index(head, []byte(open))
		if i < 0 {
			return nil
		}
		head = head[i+len(open):]
		q := bytes.IndexByte(head, '<')
		if q < 0 {
			return nil
		}
		if c := head[:q]; len(c) > 0 && bytes.HasPrefix(head[q:], []byte(end)) {
			// The leading \s* takes all the space it can, the group as little as it
			// can: the text without its spaces, or, when it is all space, its last byte.
			x := bytes.TrimRight(bytes.TrimLeft(c, space), space)
			if len(x) == 0 {
				x = c[len(c)-1:]
			}
			if utf8.RuneCount(x) <= 20 {
				return x
			}
		}
		head = head[q:]
	}
}

func validFormat(f string) bool {
	for _, x := range diff.Formats {
		if x == f {
			return true
		}
	}
	return false
}

func diffStored(g *globals, bill, session, from, to, format string, color bool) error {
	if err := checkSession(session); err != nil {
		return err
	}
	store, cfg, err := g.readStore()
	if err != nil {
		return err
	}
	b, err := findBill(store, bill, session, cfg.Session)
	if err != nil {
		return err
	}
	r, err := storedDiff(store, b, from, to)
	if err != nil {
		return err
	}
	return diff.Render(g.stdout, r, format, color)
}

// storedDiff compares two stored texts of a bill.
func storedDiff(store *tracker.Store, b tracker.StoredBill, from, to string) (*diff.Result, error) {
	var fetched []tracker.StoredText
	for _, v := range b.Versions {
		if v.Fetched {
			fetched = append(fetched, v)
		}
	}
	if len(fetched) == 0 {
		return nil, fmt.Errorf("bill %s %s: no text version is stored yet", b.Session, b.Number)
	}
	var fv, tv tracker.StoredText
	var err error
	if to == "" {
		tv = fetched[len(fetched)-1]
	} else if tv, err = pickVersion(b, to); err != nil {
		return nil, err
	}
	if from == "" {
		fv = tv
		for i := len(fetched) - 1; i >= 0; i-- {
			if fetched[i].ID != tv.ID && indexOf(b, fetched[i].ID) < indexOf(b, tv.ID) {
				fv = fetched[i]
				break
			}
		}
		if fv.ID == tv.ID {
			return nil, fmt.Errorf("bill %s %s: only one text version (%s) is stored, nothing to compare it with", b.Session, b.Number, tv.Type)
		}
	} else if fv, err = pickVersion(b, from); err != nil {
		return nil, err
	}
	fb, err := store.Payload(fv.Hash)
	if err != nil {
		return nil, err
	}
	tb, err := store.Payload(tv.Hash)
	if err != nil {
		return nil, err
	}
	r, err := diff.CompareBytes(fb, tb)
	if err != nil {
		// Name the version at fault as reading it alone does.
		for _, v := range []struct {
			text []byte
			typ  string
		}{{fb, fv.Type}, {tb, tv.Type}} {
			if _, verr := diff.ParseBytes(v.text); verr != nil {
				return nil, fmt.Errorf("bill %s %s, version %s: %w", b.Session, b.Number, v.typ, verr)
			}
		}
		return nil, err
	}
	r.From, r.To = fv.Type, tv.Type
	return r, nil
}

func indexOf(b tracker.StoredBill, id string) int {
	for i, v := range b.Versions {
		if v.ID == id {
			return i
		}
	}
	return -1
}

// pickVersion resolves V: a type slug, a publication id, or a 1-based index.
func pickVersion(b tracker.StoredBill, v string) (tracker.StoredText, error) {
	var match *tracker.StoredText
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(b.Versions) && len(v) < 4 {
		match = &b.Versions[n-1]
	}
	for i := range b.Versions {
		x := &b.Versions[i]
		if match == nil && (x.ID == v || x.Type == v) {
			match = x // the first of a type: a later one is named by id or index
		}
	}
	if match == nil {
		var names []string
		for i, x := range b.Versions {
			names = append(names, fmt.Sprintf("%d %s (%s)", i+1, x.Type, x.ID))
		}
		return tracker.StoredText{}, fmt.Errorf("bill %s %s has no version %q (it has: %s)", b.Session, b.Number, v, strings.Join(names, ", "))
	}
	if !match.Fetched {
		return tracker.StoredText{}, fmt.Errorf("bill %s %s: the text of version %s (%s) is not stored yet", b.Session, b.Number, match.Type, match.ID)
	}
	return *match, nil
}

// demoDiff prints the full diff behind the demo's latest bill.amended alert.
func (a *app) demoDiff(ctx context.Context, w io.Writer, dbPath string, kept bool) error {
	alerts, err := a.tracker.Store.Alerts(0)
	if err != nil {
		return err
	}
	for _, al := range alerts {
		if al.Kind != billwatch.KindBillAmended {
			continue
		}
		session, number, _ := strings.Cut(al.Subject, " ")
		b, ok, err := a.tracker.Store.Bill(session, number)
		if err != nil || !ok {
			return err
		}
		r, err := storedDiff(a.tracker.Store, b, "", "")
		if err != nil {
			return err
		}
		cmd := fmt.Sprintf("billwatch diff %s --session %s", b.Number, b.Session)
		if kept {
			cmd = fmt.Sprintf("billwatch --db %s diff %s", dbPath, b.Number)
		}
		fmt.Fprintf(w, "\n══ What the committee changed in %s: the full diff that the bill.amended alert points to\n   (%s; add --format html for a page to circulate, --format markdown for a brief)\n\n", b.Number, cmd)
		return diff.Render(w, r, "text", isTerminal(w))
	}
	return nil
}
