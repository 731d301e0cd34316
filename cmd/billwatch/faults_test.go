package main

// The fault matrix: every source, every fault a site can serve, after a good baseline. Run it
// alone with `make faults`, which prints the table of figures at the end.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// faultTarget is one page of a source that the matrix breaks.
type faultTarget struct {
	source string // the source scraped
	name   string // what the page is
	site   string
	uri    string // request URI on the site
	// subject is the stored object the page feeds, which a fault may leave stored from the
	// list alone (a hearing without its notice, a Gazette item without its page); "" when
	// the fault must leave everything as the baseline had it or as the good pass makes it.
	subject []string
	exit    int // the exit status of a pass with the fault
}

var faultTargets = []faultTarget{
	{source: "bills", name: "bill list", site: "parl", uri: "/legisinfo/en/bills/json?parlsession=45-1", exit: 1},
	{source: "bills", name: "bill record (C-30)", site: "parl", uri: "/legisinfo/en/bill/45-1/c-30/xml", subject: []string{"bill 45-1 C-30", "show C-30"}, exit: 3},
	{source: "bills", name: "text page (C-12 reprint)", site: "parl", uri: "/DocumentViewer/en/14298765", subject: []string{"show C-12"}, exit: 3},
	{source: "hearings", name: "meeting list (SECU)", site: "ourcommons", uri: "/Committees/en/SECU/Meetings?parl=45&session=1", exit: 3},
	{source: "hearings", name: "Senate schedule (SECD, past)", site: "sencanada", uri: "/umbraco/surface/CommitteesAjax/GetTablePartialView?tableName=Meetings&committeeId=1011&selectedSession=45-1&TabSelected=PAST&PageSize=250&p=1&isCommitteeSpecific=true&Lang=en", exit: 3},
	{source: "hearings", name: "notice (SECU 25)", site: "ourcommons", uri: "/DocumentViewer/en/45-1/SECU/meeting-25/notice", subject: []string{"hearing House of Commons SECU 45-1 25"}, exit: 3},
	{source: "regulations", name: "Part I feed", site: "gazette", uri: "/rss/p1-eng.xml", exit: 3},
	{source: "regulations", name: "issue index (Part I 11-21)", site: "gazette", uri: "/rp-pr/p1/2026/2026-11-21/html/index-eng.html", exit: 3},
	{source: "regulations", name: "item page (Part I reg1)", site: "gazette", uri: "/rp-pr/p1/2026/2026-11-21/html/reg1-eng.html", subject: []string{"regulation I 2026-11-21-reg1"}, exit: 3},
}

// A soft 404: the site's "page not found" page served with status 200.
const soft404Page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error 404 - Page not found</title></head>
<body><main><h1>We couldn't find that Web page (Error 404)</h1>
<p>We're sorry you ended up here. Sometimes a page gets moved or deleted.</p></main></body></html>
`

// siteFault answers the broken page; good is the page as the good site serves it.
type siteFault func(w http.ResponseWriter, r *http.Request, good []byte, goodType string, stop <-chan struct{})

var siteFaults = []struct {
	name  string
	fault siteFault
}{
	{"503", func(w http.ResponseWriter, r *http.Request, _ []byte, _ string, _ <-chan struct{}) {
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	}},
	{"hang", func(w http.ResponseWriter, r *http.Request, _ []byte, _ string, stop <-chan struct{}) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}},
	{"cut short", func(w http.ResponseWriter, r *http.Request, good []byte, ct string, _ <-chan struct{}) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", ct, len(good))
		buf.Write(good[:len(good)/2])
		buf.Flush()
	}},
	{"half page", func(w http.ResponseWriter, r *http.Request, good []byte, ct string, _ <-chan struct{}) {
		// Cut in half with a Content-Length that matches: only the content can tell.
		half := good[:len(good)/2]
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", fmt.Sprint(len(half)))
		w.Write(half)
	}},
	{"soft 404", func(w http.ResponseWriter, r *http.Request, _ []byte, _ string, _ <-chan struct{}) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, soft404Page)
	}},
	{"empty", func(w http.ResponseWriter, r *http.Request, _ []byte, ct string, _ <-chan struct{}) {
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", "0")
	}},
	{"wrong type", func(w http.ResponseWriter, r *http.Request, _ []byte, _ string, _ <-chan struct{}) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	}},
	{"oversize", func(w http.ResponseWriter, r *http.Request, good []byte, ct string, _ <-chan struct{}) {
		// fetch.max_body_mib is 1 in the matrix: the page and 1 MiB of padding.
		w.Header().Set("Content-Type", ct)
		w.Write(good)
		w.Write(bytes.Repeat([]byte(" "), 1<<20))
	}},
	{"redirect loop", func(w http.ResponseWriter, r *http.Request, _ []byte, _ string, _ <-chan struct{}) {
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	}},
}

// faultConfig: local servers, a timeout long enough for a loaded machine, a small body limit
// for the oversize fault, and two failed passes make a source unhealthy.
const faultConfig = "[fetch]\ndelay = \"0s\"\ntimeout = \"2s\"\nmax_body_mib = 1\n\n[daemon]\nlisten = \"127.0.0.1:0\"\nunhealthy_after = 2\n"

// faultRow is one line of the table.
type faultRow struct {
	target, fault string
	exits         [3]int // two passes with the fault, then one on the good site
	namesURL      bool   // the error line of the first pass names the page
	falseAlerts   int    // item alerts raised that the good site does not raise
	unhealthyAt   int    // the pass that raised source.unhealthy (0: none)
	health        int    // source.unhealthy and source.recovered alerts in all
	strayState    int    // stored objects left in a state neither the baseline's nor the good pass's
	sameState     bool   // after recovery, the stored state is byte-identical to the good run's
	sameAlerts    bool   // after recovery, the alerts are exactly the good run's (plus health)
}

// stateOf is what the read commands show of a database, one entry per stored object.
func stateOf(e *env, db string) map[string]string {
	e.tb.Helper()
	out := map[string]string{}
	key := map[string]func(m map[string]any) string{
		"bills": func(m map[string]any) string { return fmt.Sprintf("bill %v %v", m["session"], m["number"]) },
		"hearings": func(m map[string]any) string {
			return fmt.Sprintf("hearing %v %v %v %v", m["chamber"], m["committee"], m["session"], m["number"])
		},
		"regulations": func(m map[string]any) string { return fmt.Sprintf("regulation %v %v", m["part"], m["id"]) },
	}
	for _, what := range []string{"bills", "hearings", "regulations"} {
		s, errOut, code := e.exec(db, nil, "", what, "--all", "--json")
		if code != 0 {
			e.tb.Fatalf("%s --all --json: exit %d: %s", what, code, errOut)
		}
		var items []map[string]any
		if err := json.Unmarshal([]byte(s), &items); err != nil {
			e.tb.Fatalf("%s --all --json: %v", what, err)
		}
		for _, m := range items {
			b, _ := json.Marshal(m)
			out[key[what](m)] = string(b)
		}
	}
	for _, bill := range []string{"C-8", "C-12", "C-22", "C-30"} {
		if s, _, code := e.exec(db, nil, "", "show", bill, "--json"); code == 0 {
			out["show "+bill] = s
		}
	}
	return out
}

func alertIDs(alerts []billwatch.Alert) map[string]string {
	m := map[string]string{}
	for _, a := range alerts {
		m[a.ID] = string(a.Kind) + " " + a.Subject + " (" + a.Why + ")"
	}
	return m
}

func healthAlert(k billwatch.Kind) bool {
	return k == billwatch.KindSourceUnhealthy || k == billwatch.KindSourceRecovered
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// TestFaultMatrix breaks one page of one source at a time, with each fault, on the pass that
// reads snapshot 2 after a baseline of snapshot 1, twice, then serves the good site again. Each
// fault must: exit with the right status and one error line naming the page; raise no alert
// the good site does not raise (source.unhealthy aside, once, after unhealthy_after = 2 failed
// passes of the page, or at once for a page that no longer parses); leave every stored object
// as the baseline had it or as the good pass makes it; and after the good pass, leave the
// database showing byte for byte what a run without the fault shows, with exactly its alerts
// (and source.recovered).
func TestFaultMatrix(t *testing.T) {
	if os.Getenv(wallSkewEnv) != "" {
		t.Skip("every command of the matrix runs at a pinned --now: once is enough")
	}
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Setenv("BILLWATCH_DB", "")
	t.Setenv("BILLWATCH_SLACK_API_URL", "")
	good, err := fixtures.Server(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(good.Close)
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "billwatch.toml")
	if err := os.WriteFile(cfg, []byte(faultConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	top := &env{tb: t, dir: dir, cfg: cfg}

	// One baseline per source, and the good run from it.
	type start struct {
		db        string // the baseline
		baseState map[string]string
		refState  map[string]string
		refAlerts map[string]string // id → kind subject, raised by the good pass
		before    map[string]string // alerts of the baseline
	}
	starts := map[string]*start{}
	good2, err := fixtures.Server(2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(good2.Close)
	for _, src := range []string{"bills", "hearings", "regulations"} {
		s := &start{db: filepath.Join(dir, src+"-baseline.db")}
		if out, errOut, code := top.exec(s.db, good.Bases(), week1, "scrape"); code != 0 {
			t.Fatalf("baseline: exit %d\n%s%s", code, out, errOut)
		}
		if src == "hearings" {
			// Hearings link to the bills of the same snapshot.
			if out, errOut, code := top.exec(s.db, good2.Bases(), week2, "scrape", "bills"); code != 0 {
				t.Fatalf("bills of snapshot 2: exit %d\n%s%s", code, out, errOut)
			}
		}
		s.baseState = stateOf(top, s.db)
		s.before = alertIDs(top.alerts(s.db))
		ref := filepath.Join(dir, src+"-reference.db")
		copyFile(t, s.db, ref)
		if out, errOut, code := top.exec(ref, good2.Bases(), week2, "scrape", src); code != 0 {
			t.Fatalf("good pass of %s on snapshot 2: exit %d\n%s%s", src, code, out, errOut)
		}
		s.refState = stateOf(top, ref)
		s.refAlerts = alertIDs(top.alerts(ref))
		for id := range s.before {
			delete(s.refAlerts, id)
		}
		starts[src] = s
	}

	var mu sync.Mutex
	var rows []faultRow
	t.Run("sources", func(t *testing.T) {
		for _, tg := range faultTargets {
			for _, f := range siteFaults {
				t.Run(strings.ReplaceAll(tg.name+"/"+f.name, " ", "_"), func(t *testing.T) {
					t.Parallel()
					s := starts[tg.source]
					e := &env{tb: t, dir: t.TempDir(), cfg: cfg}
					e.db = filepath.Join(e.dir, "billwatch.db")
					copyFile(t, s.db, e.db)
					bases := good2.Bases()
					backend := bases[tg.site]
					bases[tg.site] = faultSite(t, backend, tg.uri, func(w http.ResponseWriter, r *http.Request) {
						resp, err := http.Get(backend + tg.uri)
						if err != nil {
							http.Error(w, err.Error(), http.StatusBadGateway)
							return
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						f.fault(w, r, body, resp.Header.Get("Content-Type"), stop)
					})
					row := faultRow{target: tg.source + ": " + tg.name, fault: f.name}
					path, _, _ := strings.Cut(tg.uri, "?")
					for pass := 1; pass <= 2; pass++ {
						out, errOut, code := e.exec(e.db, bases, week2, "scrape", tg.source)
						row.exits[pass-1] = code
						if code != tg.exit {
							t.Errorf("pass %d: exit %d, want %d\n%s%s", pass, code, tg.exit, out, errOut)
						}
						var lines []string
						for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
							if l != "" && !strings.HasPrefix(l, "{") {
								lines = append(lines, l)
							}
						}
						named := len(lines) == 1 && strings.HasPrefix(lines[0], "billwatch: ") && strings.Contains(lines[0], path)
						if pass == 1 {
							row.namesURL = named
						}
						if !named {
							t.Errorf("pass %d: stderr = %q, want one line naming %s", pass, errOut, path)
						}
						now := alertIDs(e.alerts(e.db))
						for id, ks := range now {
							if _, ok := s.before[id]; ok {
								continue
							}
							kind := billwatch.Kind(strings.Fields(ks)[0])
							if kind == billwatch.KindSourceUnhealthy && row.unhealthyAt == 0 {
								row.unhealthyAt = pass
							}
							if _, ok := s.refAlerts[id]; !ok && !healthAlert(kind) {
								row.falseAlerts++
								t.Errorf("pass %d raised %s, which the good site does not raise", pass, ks)
							}
						}
						st := stateOf(e, e.db)
						for k := range mapsUnion(st, s.baseState) {
							v, ok := st[k]
							b, okb := s.baseState[k]
							r, okr := s.refState[k]
							if (ok == okb && v == b) || (ok == okr && v == r) || slices.Contains(tg.subject, k) {
								continue
							}
							row.strayState++
							t.Errorf("pass %d left %s neither as the baseline nor as the good pass has it:\n%s", pass, k, firstDiff(v, r))
						}
						if pass == 1 && row.falseAlerts > 0 {
							break
						}
					}
					if row.unhealthyAt == 0 {
						t.Errorf("two failed passes of %s raised no source.unhealthy", tg.uri)
					}
					out, errOut, code := e.exec(e.db, good2.Bases(), week2, "scrape", tg.source)
					row.exits[2] = code
					if code != 0 {
						t.Errorf("good site again: exit %d\n%s%s", code, out, errOut)
					}
					st := stateOf(e, e.db)
					row.sameState = maps.Equal(st, s.refState)
					for k := range mapsUnion(st, s.refState) {
						if st[k] != s.refState[k] {
							t.Errorf("after recovery, %s differs from the good run's:\n%s", k, firstDiff(st[k], s.refState[k]))
						}
					}
					got := alertIDs(e.alerts(e.db))
					var extra, missing []string
					for id, ks := range got {
						if _, ok := s.before[id]; ok {
							continue
						}
						if healthAlert(billwatch.Kind(strings.Fields(ks)[0])) {
							row.health++
							continue
						}
						if _, ok := s.refAlerts[id]; !ok {
							extra = append(extra, ks)
						}
					}
					for id, ks := range s.refAlerts {
						if _, ok := got[id]; !ok {
							missing = append(missing, ks)
						}
					}
					row.sameAlerts = len(extra) == 0 && len(missing) == 0
					if !row.sameAlerts {
						t.Errorf("after recovery: alerts the good run lacks %v; alerts of the good run missing %v", extra, missing)
					}
					if row.health != 2 {
						t.Errorf("%d source health alerts, want source.unhealthy then source.recovered, once each", row.health)
					}
					mu.Lock()
					rows = append(rows, row)
					mu.Unlock()
				})
			}
		}
	})
	slices.SortFunc(rows, func(a, b faultRow) int {
		return strings.Compare(a.target+"\x00"+a.fault, b.target+"\x00"+b.fault)
	})
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PAGE\tFAULT\tEXIT (2 FAULTY, 1 GOOD)\tERROR NAMES URL\tFALSE ALERTS\tUNHEALTHY AT PASS\tHEALTH ALERTS\tSTRAY STATE\tSTATE = GOOD RUN\tALERTS = GOOD RUN")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%d %d %d\t%v\t%d\t%d\t%d\t%d\t%v\t%v\n", r.target, r.fault, r.exits[0], r.exits[1], r.exits[2], r.namesURL, r.falseAlerts, r.unhealthyAt, r.health, r.strayState, r.sameState, r.sameAlerts)
	}
	w.Flush()
	faultTables.add(1, "Source faults: "+fmt.Sprint(len(rows))+" rows", buf.String())
}

func mapsUnion(a, b map[string]string) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// faultTables gathers the matrix's tables, printed at the end of the run (see TestMain):
// t.Log is not shown without -v.
var faultTables tables

type tables struct {
	mu   sync.Mutex
	list map[int]string
}

// add keeps the table of rank n (source faults 1, Slack 2, databases 3).
func (ts *tables) add(n int, title, body string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.list == nil {
		ts.list = map[int]string{}
	}
	ts.list[n] = "== " + title + "\n" + body
}

// print writes the tables to w, in rank order.
func (ts *tables) print(w io.Writer) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, n := range slices.Sorted(maps.Keys(ts.list)) {
		fmt.Fprintln(w, ts.list[n])
	}
}
