package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/tracker"
)

// cli runs billwatch in-process against the fixture servers and returns its output and exit
// status.
type cli struct {
	t       *testing.T
	db, cfg string
	servers *fixtures.Servers
	env     map[string]string // billwatch's whole environment, so that tests run side by side
}

func newCLI(t *testing.T, fsys fs.FS) *cli {
	t.Helper()
	servers, err := fixtures.Serve(fsys, 1, siteNames()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Close)
	dir := t.TempDir()
	// The fixture servers are local: no spacing between requests.
	cfg := filepath.Join(dir, "billwatch.toml")
	if err := os.WriteFile(cfg, []byte("[fetch]\ndelay = \"0s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &cli{t: t, db: filepath.Join(dir, "billwatch.db"), cfg: cfg, servers: servers, env: map[string]string{}}
}

func (c *cli) run(now string, args ...string) (string, string, int) {
	c.t.Helper()
	all := []string{"--config", c.cfg, "--db", c.db}
	for site, u := range c.servers.Bases() {
		all = append(all, "--base-url", site+"="+u)
	}
	if now := pinned(c.t, now); now != "" {
		all = append(all, "--now", now)
	}
	var stdout, stderr bytes.Buffer
	code := exitCode(runEnv(c.t.Context(), append(all, args...), func(k string) string { return c.env[k] }, &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

func (c *cli) alerts(now string) []billwatch.Alert {
	c.t.Helper()
	if _, err := os.Stat(c.db); err != nil {
		return nil
	}
	out, errOut, code := c.run(now, "alerts", "--json")
	if code != 0 {
		c.t.Fatalf("alerts --json: exit %d: %s", code, errOut)
	}
	var alerts []billwatch.Alert
	if err := json.Unmarshal([]byte(out), &alerts); err != nil {
		c.t.Fatalf("alerts --json: %v\n%s", err, out)
	}
	// Every key CONTRACT.md requires, on every alert and delivery.
	var raw []struct {
		Deliveries []map[string]any `json:"deliveries"`
	}
	_ = json.Unmarshal([]byte(out), &raw)
	for i, a := range raw {
		for _, d := range a.Deliveries {
			for _, k := range []string{"sink", "channel", "state", "attempts"} {
				if _, ok := d[k]; !ok {
					c.t.Errorf("alerts --json: alert %s: a delivery lacks key %q: %v", alerts[i].ID, k, d)
				}
			}
		}
	}
	return alerts
}

func keys(alerts []billwatch.Alert) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, string(a.Kind)+" "+a.Subject)
	}
	slices.Sort(out)
	return out
}

// newSince returns the alerts not in before.
func newSince(before, after []billwatch.Alert) []billwatch.Alert {
	seen := map[string]bool{}
	for _, a := range before {
		seen[a.ID] = true
	}
	var out []billwatch.Alert
	for _, a := range after {
		if !seen[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

const (
	week1 = "2026-11-16T10:00:00-05:00"
	week2 = "2026-11-23T10:00:00-05:00"
	week3 = "2026-11-25T10:00:00-05:00"
)

func TestScrapeBillsEndToEnd(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	out, errOut, code := c.run(week1, "scrape", "bills")
	if code != 0 {
		t.Fatalf("baseline scrape bills: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "baseline recorded") {
		t.Errorf("baseline output = %q, want it to say the baseline was recorded", out)
	}
	if a := c.alerts(week1); len(a) != 0 {
		t.Fatalf("baseline raised %v, want no alerts", keys(a))
	}

	c.servers.SetSnapshot(2)
	out, errOut, code = c.run(week2, "scrape", "bills")
	if code != 0 {
		t.Fatalf("second scrape: exit %d\n%s%s", code, out, errOut)
	}
	got := keys(c.alerts(week2))
	want := []string{
		"bill.amended 45-1 C-12",
		"bill.introduced 45-1 C-30",
		"bill.stage 45-1 C-12",
		"bill.stage 45-1 C-22",
		"bill.stage 45-1 C-8",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("alerts after week 2 = %v, want %v", got, want)
	}
	// Printed as they would be posted, and recorded as delivered to the console.
	for _, a := range c.alerts(week2) {
		if len(a.Deliveries) != 1 || a.Deliveries[0].Sink != "console" || a.Deliveries[0].State != billwatch.DeliverySent {
			t.Errorf("alert %s deliveries = %+v, want sent to console", a.Subject, a.Deliveries)
		}
		if a.Kind == billwatch.KindBillStage && a.Subject == "45-1 C-22" && (a.Audience != billwatch.Lobbying || !strings.Contains(a.Why, "SECU")) {
			t.Errorf("C-22 referral = %s/%s, want lobbying, naming SECU", a.Audience, a.Why)
		}
		if a.Kind == billwatch.KindBillAmended && !strings.Contains(a.Text, "billwatch diff C-12") {
			t.Errorf("bill.amended text = %q, want the diff command", a.Text)
		}
	}
	if !strings.Contains(out, "C-30") {
		t.Errorf("scrape output does not show the alerts: %q", out)
	}

	// A third identical pass writes nothing.
	before, _ := os.ReadFile(c.db)
	out, errOut, code = c.run(week2, "scrape", "bills")
	after, _ := os.ReadFile(c.db)
	if code != 0 || !bytes.Equal(before, after) {
		t.Errorf("identical pass: exit %d, database changed %v\n%s%s", code, !bytes.Equal(before, after), out, errOut)
	}
	if n := len(c.alerts(week2)); n != len(want) {
		t.Errorf("identical pass left %d alerts, want %d", n, len(want))
	}

	// The read commands answer from the database.
	out, _, code = c.run(week2, "bills", "--json")
	var bills []map[string]any
	if err := json.Unmarshal([]byte(out), &bills); err != nil || code != 0 {
		t.Fatalf("bills --json: exit %d, %v", code, err)
	}
	for _, b := range bills {
		for _, k := range []string{"session", "number", "title", "short_title", "status", "relevant", "reasons", "url"} {
			if _, ok := b[k]; !ok {
				t.Errorf("bills --json: bill %v lacks key %q", b["number"], k)
			}
		}
		if b["number"] == "C-19" {
			t.Errorf("bills lists C-19 (social security agreements) as relevant: %v", b["reasons"])
		}
		// show --json has every key of the contract, an empty list included.
		out, _, _ := c.run(week2, "show", b["number"].(string), "--json")
		var shown map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &shown); err != nil {
			t.Fatalf("show %v --json: %v: %s", b["number"], err, out)
		}
		for _, k := range []string{"session", "number", "title", "status", "relevant", "reasons", "url", "stages", "meetings", "versions"} {
			if v, ok := shown[k]; !ok || string(v) == "null" {
				t.Errorf("show %v --json: key %q is %s, want it present and not null", b["number"], k, v)
			}
		}
		var stages []map[string]any
		_ = json.Unmarshal(shown["stages"], &stages)
		for _, st := range stages {
			for _, k := range []string{"chamber", "name", "state", "committee", "date"} {
				if _, ok := st[k]; !ok {
					t.Errorf("show %v --json: a stage lacks key %q: %v", b["number"], k, st)
				}
			}
		}
	}
	out, _, code = c.run(week2, "show", "c-12", "--json")
	var shown struct {
		Number   string `json:"number"`
		Stages   []map[string]any
		Versions []struct {
			ID, Type string
			Fetched  bool
		}
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil || code != 0 || shown.Number != "C-12" {
		t.Fatalf("show c-12 --json: exit %d, %v: %s", code, err, out)
	}
	if len(shown.Versions) < 2 || !shown.Versions[1].Fetched || shown.Versions[1].Type != billwatch.AmendedByCommittee {
		t.Errorf("show C-12 versions = %+v, want the committee reprint fetched", shown.Versions)
	}
	out, errOut, code = c.run(week2, "diff", "C-12", "--format", "json")
	var d struct {
		From, To string
		Summary  map[string]int
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
		t.Fatalf("diff C-12 --format json: exit %d, %v: %s", code, err, errOut)
	}
	if d.From != billwatch.FirstReading || d.To != billwatch.AmendedByCommittee || d.Summary["amended"] == 0 {
		t.Errorf("diff C-12 = %+v, want first-reading → amended-by-committee with amendments", d)
	}
}

func TestBadInputIsOneLineAndKeepsData(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if _, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	billsBefore, _, _ := c.run(week1, "bills", "--all", "--json")
	for _, tc := range []struct {
		name   string
		page   *fstest.MapFile
		status string
		kinds  []string
	}{
		// A 503: one failed pass is no alert (three in a row are).
		{name: "503", status: "503"},
		// An HTML error page served with 200 in place of the JSON list: the layout is not
		// recognised, which is reported at once, once.
		{name: "html", page: &fstest.MapFile{Data: []byte("<!DOCTYPE html><html><body>Service unavailable</body></html>")}, kinds: []string{"source.unhealthy source bills"}},
	} {
		top := fstest.MapFS{}
		if tc.page != nil {
			top["2/parl/legisinfo/en/bills/json@parlsession=45-1"] = tc.page
		} else {
			top["2/parl/legisinfo/en/bills/json@parlsession=45-1.status"] = &fstest.MapFile{Data: []byte(tc.status)}
		}
		servers, err := fixtures.Serve(overlay(fixtures.FS(), top), 2, siteNames()...)
		if err != nil {
			t.Fatal(err)
		}
		c.servers = servers
		before := c.alerts(week2)
		out, errOut, code := c.run(week2, "scrape", "bills")
		servers.Close()
		if code != 1 {
			t.Errorf("%s: scrape: exit %d, want 1\n%s%s", tc.name, code, out, errOut)
		}
		if lines := strings.Split(strings.TrimSpace(errOut), "\n"); len(lines) != 1 || !strings.Contains(errOut, "legisinfo") || !strings.Contains(errOut, "/legisinfo/en/bills/json") {
			t.Errorf("%s: stderr = %q, want one line naming the URL", tc.name, errOut)
		}
		if billsAfter, _, _ := c.run(week2, "bills", "--all", "--json"); billsAfter != billsBefore {
			t.Errorf("%s: a failed pass changed the stored bills", tc.name)
		}
		if got := keys(newSince(before, c.alerts(week2))); !slices.Equal(got, tc.kinds) {
			t.Errorf("%s: alerts = %v, want %v", tc.name, got, tc.kinds)
		}
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "C-999"}, "C-999"},
		{[]string{"show", "banana"}, "not a bill number"},
		{[]string{"diff", "C-12", "--format", "pdf"}, "pdf"},
		{[]string{"scrape", "weather"}, "unknown source"},
		{[]string{"diff", "C-2", "--from", "royal-assent"}, "royal-assent"},
		{[]string{"frobnicate"}, "unknown command"},
	} {
		_, errOut, code := c.run(week2, tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("billwatch %s: exit %d, stderr %q; want one line naming %q", strings.Join(tc.args, " "), code, errOut, tc.want)
		}
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ toml, want string }{
		{"[fetch]\ndelai = \"1s\"\n", "fetch.delai"},
		{"[fetch]\ndelay = \"soon\"\n", "fetch.delay"},
		{"session = \"45\"\n", "session"},
		{"[slack.channels]\nlawyers = \"#x\"\n", "slack.channels.lawyers"},
		{"[schedule]\nbills = \"every blue moon\"\n", "schedule.bills"},
		{"[sites]\nparl = \"ftp://x\"\n", "sites.parl"},
	} {
		p := filepath.Join(dir, "c.toml")
		os.WriteFile(p, []byte(tc.toml), 0o644)
		var out, errOut bytes.Buffer
		code := exitCode(run(t.Context(), []string{"--config", p, "--db", filepath.Join(dir, "x.db"), "bills"}, &out, &errOut), &errOut)
		if code == 0 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("config %q: exit %d, stderr %q; want an error naming %s", tc.toml, code, errOut.String(), tc.want)
		}
	}
}

// overlay serves files from top, falling back to base.
func overlay(base fs.FS, top fstest.MapFS) fs.FS { return overlayFS{base, top} }

type overlayFS struct {
	base fs.FS
	top  fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		return f, nil
	}
	return o.base.Open(name)
}

// cancelledSECU25 is snapshot 4: snapshot 3 with SECU meeting 25 marked cancelled in its list.
func cancelledSECU25(t *testing.T) fs.FS {
	t.Helper()
	const name = "3/ourcommons/Committees/en/SECU/Meetings@parl=45&session=1"
	page, err := fs.ReadFile(fixtures.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(page, []byte(`<div class="meeting-title-main">`))
	j := bytes.Index(page[i:], []byte("</div>"))
	if i < 0 || j < 0 {
		t.Fatal("fixture SECU list: meeting 25's title not found")
	}
	icon := []byte(`<span class="meeting-date-icon"><i class="hoc-icon icon-cancel" title="Cancelled"></i></span>`)
	cancelled := slices.Concat(page[:i+j], icon, page[i+j:])
	return overlay(fixtures.FS(), fstest.MapFS{
		"4/ourcommons/Committees/en/SECU/Meetings@parl=45&session=1": {Data: cancelled},
		"4/.keep": {Data: nil},
	})
}

func TestHearingLifecycleEndToEnd(t *testing.T) {
	t.Parallel()
	c := newCLI(t, cancelledSECU25(t))
	step := func(snapshot int, now string) []billwatch.Alert {
		t.Helper()
		before := c.alerts(now)
		c.servers.SetSnapshot(snapshot)
		out, errOut, code := c.run(now, "scrape")
		if code != 0 {
			t.Fatalf("scrape of snapshot %d at %s: exit %d\n%s%s", snapshot, now, code, out, errOut)
		}
		var hs []billwatch.Alert
		for _, a := range newSince(before, c.alerts(now)) {
			if a.Subject == "SECU 45-1 meeting 25" {
				hs = append(hs, a)
			}
		}
		return hs
	}
	step(1, week1)
	got := step(2, week2)
	if k := keys(got); !slices.Equal(k, []string{"hearing.scheduled SECU 45-1 meeting 25"}) {
		t.Fatalf("week 2 hearing alerts = %v", k)
	}
	if a := got[0]; a.Audience != billwatch.Lobbying || !strings.Contains(a.Text, "15:30–17:30 EST") || !strings.Contains(a.Text, "Canadian Civil Liberties Association") {
		t.Errorf("scheduled alert = %s %q, want lobbying with the Eastern time and the witnesses", a.Audience, a.Text)
	}
	// The day before at 07:59 no reminder is due yet; the notice is amended meanwhile.
	got = step(3, "2026-11-25T07:59:00-05:00")
	if k := keys(got); !slices.Equal(k, []string{"hearing.changed SECU 45-1 meeting 25"}) {
		t.Fatalf("notice amended: hearing alerts = %v", k)
	}
	if w := got[0].Why; !strings.Contains(w, "16:00–18:00") || !strings.Contains(w, "International Civil Liberties Monitoring Group") {
		t.Errorf("changed why = %q, want the new time and the added witness", w)
	}
	got = step(3, "2026-11-25T08:00:00-05:00")
	if k := keys(got); !slices.Equal(k, []string{"hearing.reminder SECU 45-1 meeting 25"}) {
		t.Fatalf("at 08:00 the day before: hearing alerts = %v, want the reminder", k)
	}
	got = step(3, "2026-11-25T12:00:00-05:00")
	if len(got) != 0 {
		t.Fatalf("a later pass repeated %v", keys(got))
	}
	got = step(4, "2026-11-25T13:00:00-05:00")
	if k := keys(got); !slices.Equal(k, []string{"hearing.cancelled SECU 45-1 meeting 25"}) {
		t.Fatalf("cancelled: hearing alerts = %v", k)
	}

	out, _, _ := c.run("2026-11-25T13:00:00-05:00", "hearings", "--json")
	var hs []map[string]any
	if err := json.Unmarshal([]byte(out), &hs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hs {
		if h["committee"] == "SECU" && h["number"] == float64(25) {
			found = true
			if h["status"] != "cancelled" || h["start"] != "2026-11-26T16:00:00-05:00" {
				t.Errorf("hearings --json SECU 25 = %v", h)
			}
		}
	}
	if !found {
		t.Errorf("hearings --json lacks SECU 25: %s", out)
	}
	out, _, code := c.run("2026-11-24T13:00:00-05:00", "calendar")
	if code != 0 || !strings.Contains(out, "BEGIN:VCALENDAR") || !strings.Contains(out, "DTSTART;TZID=America/Toronto:20261126T160000") {
		t.Errorf("calendar: exit %d\n%s", code, out)
	}
}

func TestRegulationLifecycleEndToEnd(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	step := func(snapshot int, now string) []billwatch.Alert {
		t.Helper()
		before := c.alerts(now)
		c.servers.SetSnapshot(snapshot)
		out, errOut, code := c.run(now, "scrape", "regulations")
		if code != 0 {
			t.Fatalf("scrape regulations, snapshot %d at %s: exit %d\n%s%s", snapshot, now, code, out, errOut)
		}
		return newSince(before, c.alerts(now))
	}
	if got := step(1, week1); len(got) != 0 {
		t.Fatalf("baseline raised %v", keys(got))
	}
	got := step(2, week2)
	if k := keys(got); !slices.Equal(k, []string{"regulation.proposed Gazette 2026-11-21-reg1"}) {
		t.Fatalf("week 2 alerts = %v, want one proposal", k)
	}
	if got[0].Deadline != "2026-12-21" || !strings.Contains(got[0].Why, "by 2026-12-21") {
		t.Errorf("proposal alert deadline = %q, why %q; want 2026-12-21 in both", got[0].Deadline, got[0].Why)
	}
	for _, tc := range []struct {
		now  string
		want []string
	}{
		{"2026-12-13T09:00:00-05:00", nil},
		{"2026-12-14T09:00:00-05:00", []string{"deadline.reminder Gazette 2026-11-21-reg1"}},
		{"2026-12-15T09:00:00-05:00", nil},
		{"2026-12-19T09:00:00-05:00", []string{"deadline.reminder Gazette 2026-11-21-reg1"}},
		{"2026-12-22T09:00:00-05:00", nil},
	} {
		if k := keys(step(2, tc.now)); !slices.Equal(k, tc.want) {
			t.Errorf("at %s: alerts = %v, want %v", tc.now, k, tc.want)
		}
	}
	got = step(3, "2026-12-23T09:00:00-05:00")
	if k := keys(got); !slices.Equal(k, []string{"regulation.final Gazette 2026-11-25-sor-dors231"}) {
		t.Fatalf("Part II alerts = %v", k)
	}
	if !strings.Contains(got[0].Why, "finalises the proposal of 2026-09-12") {
		t.Errorf("final why = %q, want it to name the proposal", got[0].Why)
	}
	out, _, _ := c.run(week3, "regulations", "--json")
	var regs []map[string]any
	if err := json.Unmarshal([]byte(out), &regs); err != nil {
		t.Fatal(err)
	}
	for _, r := range regs {
		for _, k := range []string{"part", "id", "title", "department", "published", "comment_days", "comment_deadline", "relevant", "reasons", "registration", "url"} {
			if _, ok := r[k]; !ok {
				t.Errorf("regulations --json: %v lacks %q", r["id"], k)
			}
		}
		if r["part"] == "II" && r["registration"] != "SOR/2026-231" {
			t.Errorf("Part II registration = %v", r["registration"])
		}
	}
}

var (
	_ tracker.TextSource       = textSource{}
	_ tracker.RegulationSource = gazetteSource{}
	_ tracker.Differ           = differ{}
)

func TestUnchangedFullPassWritesNothing(t *testing.T) {
	t.Parallel()
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("baseline scrape: exit %d\n%s%s", code, out, errOut)
	}
	c.servers.SetSnapshot(2)
	if out, errOut, code := c.run(week2, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	before, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run(week2, "scrape")
	after, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || !bytes.Equal(before, after) {
		t.Errorf("unchanged pass of every source: exit %d, database changed %v\n%s%s", code, !bytes.Equal(before, after), out, errOut)
	}
}

func TestDemo(t *testing.T) {
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Chdir(t.TempDir()) // no billwatch.toml of the developer's may leak in
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(t.Context(), []string{"demo"}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"baseline recorded",
		"New bill · 45-1 C-30",
		"referred to SECU",
		"Bill text amended · 45-1 C-12",
		"Hearing scheduled · SECU 45-1 meeting 25",
		"Hearing changed · SECU 45-1 meeting 25",
		"Hearing reminder · SECU 45-1 meeting 25",
		"Proposed regulation (Gazette Part I) · Gazette 2026-11-21-reg1",
		"Final regulation (Gazette Part II)",
		"comments close in 7 days",
		"comments close in 2 days",
		"What the committee changed in C-12",
		"[-suspect-]{+believe+}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "partial") || strings.Contains(out, "failed") {
		t.Errorf("a demo pass was not ok:\n%s", out)
	}
}
