package main

// End-to-end tests of Slack delivery through the CLI, against fakeSlackAPI: an httptest
// stand-in for the Slack Web API that records every chat.postMessage and answers
// conversations.list, .history and .replies from what it kept, so that the sink can reconcile.

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// slackTestToken is the only token fakeSlackAPI accepts. It must appear in no output.
const slackTestToken = "xoxb-4242424242-SLACKTESTSECRET-e2e9f00d"

// slackChannelIDs are the channels the fake knows.
var slackChannelIDs = map[string]string{
	"#billwatch":            "C0POLICY01",
	"#billwatch-hearings":   "C0HEARING1",
	"#billwatch-amendments": "C0AMENDS01",
	"#billwatch-ops":        "C0OPSOPS01",
}

// slackPost is one chat.postMessage as the fake saw it.
type slackPost struct {
	Channel   string // as sent ("#billwatch")
	ChannelID string
	Text      string
	Blocks    string // JSON
	ThreadTS  string
	Metadata  string // JSON
	AlertID   string // from the metadata
	TS        string // the ts of the message kept; "" when nothing was kept
	Answer    string // what the fake answered: "ok", "http_503", "drop", Slack's error code
	Broadcast bool   // reply_broadcast: the reply is also sent to the channel
}

// slackMsg is a message "in Slack".
type slackMsg struct {
	ChannelID, TS, ThreadTS, Text string
	Metadata                      json.RawMessage
}

// slackFailure scripts the answer to one chat.postMessage.
type slackFailure struct {
	status     int    // HTTP status to answer
	retryAfter string // its Retry-After header
	code       string // {"ok":false,"error":code}
	dropAfter  bool   // keep the message, then close the connection without answering
}

type fakeSlackAPI struct {
	srv *httptest.Server

	mu          sync.Mutex
	now         time.Time // the --now of the run under way: ts are never before it
	micro       int64     // last ts issued, in microseconds
	posts       []slackPost
	msgs        []slackMsg
	script      []slackFailure    // answers to the next posts, in order
	outage      bool              // every method answers 503
	lookupsDown bool              // conversations.* answer 503
	noHistory   bool              // conversations.history and .replies answer missing_scope
	refuse      map[string]string // channel (as sent) → error code
	tokens      map[string]int    // tokens presented
}

func newFakeSlackAPI(t *testing.T) *fakeSlackAPI {
	t.Helper()
	f := &fakeSlackAPI{refuse: map[string]string{}, tokens: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/chat.postMessage", f.postMessage)
	mux.HandleFunc("/conversations.history", f.history)
	mux.HandleFunc("/conversations.replies", f.replies)
	mux.HandleFunc("/conversations.list", f.list)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		slackAnswer(w, map[string]any{"ok": false, "error": "unknown_method"})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlackAPI) setNow(now time.Time) {
	f.mu.Lock()
	f.now = now
	f.mu.Unlock()
}

func (f *fakeSlackAPI) set(fn func(f *fakeSlackAPI)) {
	f.mu.Lock()
	fn(f)
	f.mu.Unlock()
}

// nextTS issues a Slack ts: Slack's clock (the wall clock), but never before the run's --now
// (the tracker reconciles from its own clock), and strictly increasing.
func (f *fakeSlackAPI) nextTS() string {
	m := max(time.Now().UnixMicro(), f.now.UnixMicro(), f.micro+1)
	f.micro = m
	return fmt.Sprintf("%d.%06d", m/1e6, m%1e6)
}

func slackAnswer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// request reads a Web API call, form-encoded or JSON, and checks its token the way Slack
// does. It answers itself when it returns ok false.
func (f *fakeSlackAPI) request(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	args := map[string]string{}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			slackAnswer(w, map[string]any{"ok": false, "error": "invalid_json"})
			return nil, false
		}
		for k, v := range body {
			if s, ok := v.(string); ok {
				args[k] = s
			} else {
				b, _ := json.Marshal(v)
				args[k] = string(b)
			}
		}
	} else {
		if err := r.ParseForm(); err != nil {
			slackAnswer(w, map[string]any{"ok": false, "error": "invalid_form_data"})
			return nil, false
		}
		for k := range r.Form {
			args[k] = r.Form.Get(k)
		}
	}
	if args["token"] != "" {
		token = args["token"]
	}
	f.mu.Lock()
	f.tokens[token]++
	outage := f.outage
	f.mu.Unlock()
	if outage {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html>503 Service Unavailable</html>")
		return nil, false
	}
	if token != slackTestToken {
		slackAnswer(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return nil, false
	}
	return args, true
}

func (f *fakeSlackAPI) postMessage(w http.ResponseWriter, r *http.Request) {
	args, ok := f.request(w, r)
	f.mu.Lock()
	if !ok {
		answer := "invalid_auth"
		if f.outage {
			answer = "http_503"
		}
		f.posts = append(f.posts, slackPost{Channel: r.Form.Get("channel"), Answer: answer})
		f.mu.Unlock()
		return
	}
	p := slackPost{Channel: args["channel"], Text: args["text"], Blocks: args["blocks"],
		ThreadTS: args["thread_ts"], Metadata: args["metadata"], Broadcast: args["reply_broadcast"] == "true"}
	var meta struct {
		EventType    string         `json:"event_type"`
		EventPayload map[string]any `json:"event_payload"`
	}
	if json.Unmarshal([]byte(p.Metadata), &meta) == nil {
		p.AlertID, _ = meta.EventPayload["alert_id"].(string)
	}
	id, known := slackChannelIDs[p.Channel]
	if strings.HasPrefix(p.Channel, "C") {
		id, known = p.Channel, true
	}
	p.ChannelID = id
	var fail slackFailure
	if len(f.script) > 0 {
		fail, f.script = f.script[0], f.script[1:]
	}
	if code, ok := f.refuse[p.Channel]; ok && fail == (slackFailure{}) {
		fail.code = code
	}
	if !known && fail == (slackFailure{}) {
		fail.code = "channel_not_found"
	}
	if fail.status == 0 && fail.code == "" {
		p.TS = f.nextTS()
		var raw json.RawMessage
		if p.Metadata != "" {
			raw = json.RawMessage(p.Metadata)
		}
		f.msgs = append(f.msgs, slackMsg{ChannelID: id, TS: p.TS, ThreadTS: p.ThreadTS, Text: p.Text, Metadata: raw})
	}
	switch {
	case fail.dropAfter:
		p.Answer = "drop"
	case fail.status != 0:
		p.Answer = fmt.Sprintf("http_%d", fail.status)
	case fail.code != "":
		p.Answer = fail.code
	default:
		p.Answer = "ok"
	}
	f.posts = append(f.posts, p)
	f.mu.Unlock()

	switch {
	case fail.dropAfter:
		// The message is in Slack; its answer never reaches billwatch.
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	case fail.status != 0:
		if fail.retryAfter != "" {
			w.Header().Set("Retry-After", fail.retryAfter)
		}
		w.WriteHeader(fail.status)
		io.WriteString(w, "<html>slack is having a moment</html>")
	case fail.code != "":
		slackAnswer(w, map[string]any{"ok": false, "error": fail.code})
	default:
		slackAnswer(w, map[string]any{"ok": true, "channel": id, "ts": p.TS,
			"message": map[string]any{"type": "message", "ts": p.TS, "text": p.Text}})
	}
}

// lookup answers a conversations.* call; it returns false when it answered an error.
func (f *fakeSlackAPI) lookup(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	args, ok := f.request(w, r)
	if !ok {
		return nil, false
	}
	f.mu.Lock()
	down, blind := f.lookupsDown, f.noHistory
	f.mu.Unlock()
	if down {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html>503 Service Unavailable</html>")
		return nil, false
	}
	if blind && r.URL.Path != "/conversations.list" {
		slackAnswer(w, map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:history", "provided": "chat:write,channels:read"})
		return nil, false
	}
	return args, true
}

// message renders m as conversations.history does: a thread parent with its reply count.
func (f *fakeSlackAPI) message(m slackMsg) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text}
	if m.Metadata != nil {
		out["metadata"] = m.Metadata
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	n, latest := 0, ""
	for _, r := range f.msgs {
		if r.ThreadTS == m.TS {
			n, latest = n+1, r.TS
		}
	}
	if n > 0 {
		out["thread_ts"], out["reply_count"], out["latest_reply"] = m.TS, n, latest
	}
	return out
}

func slackTSBefore(a, b string) bool {
	var as, bs float64
	fmt.Sscan(a, &as)
	fmt.Sscan(b, &bs)
	return as < bs
}

func (f *fakeSlackAPI) history(w http.ResponseWriter, r *http.Request) {
	args, ok := f.lookup(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, m := range slices.Backward(f.msgs) { // newest first; replies are not listed
		if m.ChannelID == args["channel"] && m.ThreadTS == "" && !slackTSBefore(m.TS, args["oldest"]) {
			out = append(out, f.message(m))
		}
	}
	slackAnswer(w, map[string]any{"ok": true, "messages": out, "has_more": false})
}

func (f *fakeSlackAPI) replies(w http.ResponseWriter, r *http.Request) {
	args, ok := f.lookup(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, m := range f.msgs {
		if m.ChannelID == args["channel"] && (m.TS == args["ts"] || m.ThreadTS == args["ts"]) && !slackTSBefore(m.TS, args["oldest"]) {
			out = append(out, f.message(m))
		}
	}
	slackAnswer(w, map[string]any{"ok": true, "messages": out, "has_more": false})
}

func (f *fakeSlackAPI) list(w http.ResponseWriter, r *http.Request) {
	if _, ok := f.lookup(w, r); !ok {
		return
	}
	var out []map[string]any
	for name, id := range slackChannelIDs {
		out = append(out, map[string]any{"id": id, "name": strings.TrimPrefix(name, "#"), "is_channel": true})
	}
	slackAnswer(w, map[string]any{"ok": true, "channels": out, "response_metadata": map[string]any{"next_cursor": ""}})
}

func (f *fakeSlackAPI) allPosts() []slackPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.posts)
}

// kept returns the posts that left a message in Slack.
func (f *fakeSlackAPI) kept() []slackPost {
	var out []slackPost
	for _, p := range f.allPosts() {
		if p.TS != "" {
			out = append(out, p)
		}
	}
	return out
}

// slackEnv is the CLI wired to the fixtures and to the fake Slack.
type slackEnv struct {
	t    *testing.T
	c    *cli
	fake *fakeSlackAPI
	// out collects every stdout and stderr the commands wrote, to look for the token.
	out strings.Builder
}

func newSlackEnv(t *testing.T, fsys fs.FS, token string) *slackEnv {
	t.Helper()
	c := newCLI(t, fsys)
	fake := newFakeSlackAPI(t)
	c.env["SLACK_BOT_TOKEN"] = token
	c.env["BILLWATCH_SLACK_API_URL"] = fake.srv.URL + "/"
	return &slackEnv{t: t, c: c, fake: fake}
}

func (e *slackEnv) run(now string, args ...string) (string, string, int) {
	e.t.Helper()
	at, err := time.Parse(time.RFC3339, now)
	if err != nil {
		e.t.Fatal(err)
	}
	e.fake.setNow(at)
	out, errOut, code := e.c.run(now, args...)
	e.out.WriteString(out)
	e.out.WriteString(errOut)
	return out, errOut, code
}

// scrape runs `scrape` (all sources) on a snapshot and fails the test unless it exits 0.
func (e *slackEnv) scrape(snapshot int, now string, extra ...string) string {
	e.t.Helper()
	e.c.servers.SetSnapshot(snapshot)
	args := append([]string{"--log-level", "debug", "scrape"}, extra...)
	out, errOut, code := e.run(now, args...)
	if code != 0 {
		e.t.Fatalf("scrape of snapshot %d at %s: exit %d\n%s%s", snapshot, now, code, out, errOut)
	}
	return out
}

// alerts returns `alerts --json` in the order the alerts were raised (oldest first).
func (e *slackEnv) alerts(now string) []billwatch.Alert {
	e.t.Helper()
	out, errOut, code := e.run(now, "alerts", "--json")
	if code != 0 {
		e.t.Fatalf("alerts --json: exit %d: %s", code, errOut)
	}
	var alerts []billwatch.Alert
	if err := json.Unmarshal([]byte(out), &alerts); err != nil {
		e.t.Fatalf("alerts --json: %v\n%s", err, out)
	}
	slices.Reverse(alerts)
	return alerts
}

// noToken fails the test if the token appears in anything billwatch wrote.
func (e *slackEnv) noToken() {
	e.t.Helper()
	if strings.Contains(e.out.String(), slackTestToken) || strings.Contains(e.out.String(), "SLACKTESTSECRET") {
		e.t.Errorf("the bot token appears in billwatch's output")
	}
}

// wantChannels is where the default configuration sends an alert.
func wantChannels(a billwatch.Alert) []string {
	chs := []string{map[billwatch.Audience]string{
		billwatch.Policy: "#billwatch", billwatch.Lobbying: "#billwatch-hearings",
		billwatch.Members: "#billwatch-amendments", billwatch.Ops: "#billwatch-ops",
	}[a.Audience]}
	if (a.Kind == billwatch.KindRegulationProposed || a.Kind == billwatch.KindDeadlineReminder) && chs[0] != "#billwatch-hearings" {
		chs = append(chs, "#billwatch-hearings")
	}
	slices.Sort(chs)
	return chs
}

// checkDeliveredOnce checks that every alert reached exactly its channels, each once, as
// recorded both by the fake and by `alerts --json`, and that in each channel the alerts came
// in the order they were raised.
func checkDeliveredOnce(t *testing.T, alerts []billwatch.Alert, kept []slackPost) {
	t.Helper()
	byAlert := map[string][]slackPost{}
	order := map[string][]string{} // channel → alert ids as posted
	for _, p := range kept {
		if p.AlertID == "" {
			t.Errorf("message in %s without billwatch metadata: %q", p.Channel, p.Text)
			continue
		}
		byAlert[p.AlertID] = append(byAlert[p.AlertID], p)
		order[p.Channel] = append(order[p.Channel], p.AlertID)
	}
	known := map[string]bool{}
	raised := map[string][]string{} // channel → alert ids in the order raised
	for _, a := range alerts {
		known[a.ID] = true
		want := wantChannels(a)
		var got []string
		for _, p := range byAlert[a.ID] {
			got = append(got, p.Channel)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %s (%s) was posted to %v, want once to each of %v", a.Kind, a.Subject, a.Audience, got, want)
		}
		for _, ch := range want {
			raised[ch] = append(raised[ch], a.ID)
		}
		var slackDeliveries []string
		for _, d := range a.Deliveries {
			if d.Sink != "slack" {
				t.Errorf("%s %s: delivery to %s %q, want Slack only", a.Kind, a.Subject, d.Sink, d.Channel)
				continue
			}
			slackDeliveries = append(slackDeliveries, d.Channel)
			if d.State != billwatch.DeliverySent || d.TS == "" {
				t.Errorf("%s %s: delivery to %s is %s (ts %q, error %q), want sent with a ts", a.Kind, a.Subject, d.Channel, d.State, d.TS, d.Error)
				continue
			}
			found := false
			for _, p := range byAlert[a.ID] {
				found = found || (p.Channel == d.Channel && p.TS == d.TS)
			}
			if !found {
				t.Errorf("%s %s: delivery to %s records ts %s, which is not the ts of its message in Slack", a.Kind, a.Subject, d.Channel, d.TS)
			}
		}
		slices.Sort(slackDeliveries)
		if !slices.Equal(slackDeliveries, want) {
			t.Errorf("%s %s: deliveries to %v, want %v", a.Kind, a.Subject, slackDeliveries, want)
		}
	}
	for id := range byAlert {
		if !known[id] {
			t.Errorf("Slack holds a message of alert %s, which alerts --json does not list", id)
		}
	}
	for ch, ids := range raised {
		if !slices.Equal(order[ch], ids) {
			t.Errorf("%s received alerts in the order %v, want the order raised %v", ch, order[ch], ids)
		}
	}
}

// checkThreads checks that in each channel the alerts about one thing form one thread: the
// first message starts it, every later one is a reply to it.
func checkThreads(t *testing.T, alerts []billwatch.Alert, kept []slackPost) {
	t.Helper()
	threadOf := map[string]string{}
	for _, a := range alerts {
		threadOf[a.ID] = a.Thread
	}
	first := map[string]string{} // channel + thread → ts of the first message
	for _, p := range kept {
		key := p.Channel + "\x00" + threadOf[p.AlertID]
		parent, ok := first[key]
		if !ok {
			first[key] = p.TS
			if p.ThreadTS != "" {
				t.Errorf("first message about %q in %s is a reply to %s", threadOf[p.AlertID], p.Channel, p.ThreadTS)
			}
			continue
		}
		if p.ThreadTS != parent {
			t.Errorf("alert %s about %q in %s has thread_ts %q, want %q (the first message about it)", p.AlertID, threadOf[p.AlertID], p.Channel, p.ThreadTS, parent)
		}
	}
}

const (
	slackT0   = "2026-11-23T10:00:00-05:00"
	slackWeek = "2026-11-25T08:00:00-05:00"
)

func slackAt(t *testing.T, base string, d time.Duration) string {
	t.Helper()
	at, err := time.Parse(time.RFC3339, base)
	if err != nil {
		t.Fatal(err)
	}
	return at.Add(d).Format(time.RFC3339)
}

// 1. Every alert is posted once to the channel of its audience (proposals to the lobbying
// channel too), alerts about one bill or hearing thread per channel, and `alerts --json`
// shows the deliveries sent with their ts.
func TestSlackRoutingAndThreading(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.scrape(2, slackT0)
	e.scrape(3, slackWeek)
	if log := e.out.String(); !strings.Contains(log, `"level":"DEBUG"`) || !strings.Contains(log, "alert posted") {
		t.Errorf("no debug log of the posts; the check of the logs for the token is void")
	}

	alerts := e.alerts(slackWeek)
	kept := e.fake.kept()
	if len(alerts) == 0 || len(kept) == 0 {
		t.Fatalf("%d alerts, %d messages in Slack; want some", len(alerts), len(kept))
	}
	for _, p := range e.fake.allPosts() {
		if p.Answer != "ok" {
			t.Errorf("post to %s answered %s", p.Channel, p.Answer)
		}
	}
	checkDeliveredOnce(t, alerts, kept)
	checkThreads(t, alerts, kept)

	// Each audience's channel was used, and a proposal reached both.
	used := map[string]bool{}
	for _, p := range kept {
		used[p.Channel] = true
	}
	for _, ch := range []string{"#billwatch", "#billwatch-hearings", "#billwatch-amendments"} {
		if !used[ch] {
			t.Errorf("nothing was posted to %s; the fixtures raise alerts for its audience", ch)
		}
	}
	proposed := 0
	for _, a := range alerts {
		if a.Kind == billwatch.KindRegulationProposed {
			proposed++
		}
	}
	if proposed == 0 {
		t.Errorf("no regulation.proposed alert; the routing to #billwatch-hearings is untested")
	}

	// SECU meeting 25: scheduled in week 2, changed (and reminded) in week 3, one thread.
	var secu []slackPost
	ids := map[string]billwatch.Alert{}
	for _, a := range alerts {
		ids[a.ID] = a
	}
	for _, p := range kept {
		if ids[p.AlertID].Subject == "SECU 45-1 meeting 25" && p.Channel == "#billwatch-hearings" {
			secu = append(secu, p)
		}
	}
	if len(secu) < 2 {
		t.Fatalf("SECU meeting 25: %d messages in #billwatch-hearings, want the scheduled one and its update", len(secu))
	}
	if secu[0].ThreadTS != "" || ids[secu[0].AlertID].Kind != billwatch.KindHearingScheduled {
		t.Errorf("SECU 25 first message: %s, thread_ts %q; want hearing.scheduled starting the thread", ids[secu[0].AlertID].Kind, secu[0].ThreadTS)
	}
	for _, p := range secu[1:] {
		if p.ThreadTS != secu[0].TS {
			t.Errorf("SECU 25 %s: thread_ts %q, want %q", ids[p.AlertID].Kind, p.ThreadTS, secu[0].TS)
		}
	}
	// A reply that calls for action (the changed notice, the reminder) is also sent to the
	// channel, or nobody sees it under a days-old message; an info reply stays in its thread,
	// and a thread's first message is no reply.
	broadcast := map[billwatch.Kind]int{}
	for _, p := range kept {
		a := ids[p.AlertID]
		want := p.ThreadTS != "" && a.Severity != billwatch.Info
		if p.Broadcast != want {
			t.Errorf("%s %s (%s) in %s, thread_ts %q: reply_broadcast %v, want %v", a.Kind, a.Subject, a.Severity, p.Channel, p.ThreadTS, p.Broadcast, want)
		}
		if p.Broadcast {
			broadcast[a.Kind]++
		}
	}
	for _, k := range []billwatch.Kind{billwatch.KindHearingChanged, billwatch.KindHearingReminder} {
		if broadcast[k] == 0 {
			t.Errorf("no %s reply was sent to the channel (sent: %v)", k, broadcast)
		}
	}

	out, _, _ := e.run(slackWeek, "alerts", "--json")
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, a := range raw {
		ds, _ := a["deliveries"].([]any)
		for _, d := range ds {
			d := d.(map[string]any)
			if d["sink"] != "slack" || d["state"] != "sent" || d["ts"] == nil || d["channel"] == nil {
				t.Errorf("alerts --json delivery %v, want sink slack, state sent, a channel and a ts", d)
			}
		}
	}
	e.noToken()
}

// 2. A ten-minute outage: nothing is marked sent and nothing is lost; once Slack is back and
// the backoff has run out, every alert is posted once, in order.
func TestSlackOutage(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.fake.set(func(f *fakeSlackAPI) { f.outage = true })

	out := e.scrape(2, slackT0)
	if !strings.Contains(out, "to retry") {
		t.Errorf("scrape during the outage: %q, want the delivery summary line", out)
	}
	raised := e.alerts(slackT0)
	if len(raised) == 0 {
		t.Fatal("snapshot 2 raised no alerts")
	}
	// --now starts a running clock, so each drain comes a few seconds after the retry falls due.
	for _, at := range []time.Duration{65 * time.Second, 190 * time.Second, 375 * time.Second, 620 * time.Second} {
		e.scrape(2, slackAt(t, slackT0, at))
	}
	if k := e.fake.kept(); len(k) != 0 {
		t.Fatalf("Slack kept %d messages during its outage", len(k))
	}
	alerts := e.alerts(slackAt(t, slackT0, 10*time.Minute))
	if len(alerts) != len(raised) {
		t.Errorf("%d alerts after the outage, %d before", len(alerts), len(raised))
	}
	heads := map[string]bool{}
	for _, a := range alerts {
		if len(a.Deliveries) == 0 {
			t.Errorf("%s %s has no delivery", a.Kind, a.Subject)
		}
		for _, d := range a.Deliveries {
			if d.State != billwatch.DeliveryPending {
				t.Errorf("%s %s to %s: %s during the outage, want pending", a.Kind, a.Subject, d.Channel, d.State)
			}
			if !heads[d.Channel] {
				// The first alert of each channel was tried at T, T+1m, T+3m, T+6m and T+10m
				// (30 s doubling); the ones behind it wait their turn.
				heads[d.Channel] = true
				if d.Attempts != 5 || !strings.Contains(d.Error, "503") {
					t.Errorf("first alert for %s: %d attempts, error %q; want 5, naming the 503", d.Channel, d.Attempts, d.Error)
				}
			} else if d.Attempts != 0 {
				t.Errorf("%s %s to %s: %d attempts while an earlier alert waits; want 0 (order)", a.Kind, a.Subject, d.Channel, d.Attempts)
			}
		}
	}

	e.fake.set(func(f *fakeSlackAPI) { f.outage = false })
	// The fifth failure set the next attempt to T+10m+8m: nothing goes before.
	e.scrape(2, slackAt(t, slackT0, 11*time.Minute))
	if k := e.fake.kept(); len(k) != 0 {
		t.Errorf("posted %d messages at T+11m, before the backoff ran out (T+18m)", len(k))
	}
	e.scrape(2, slackAt(t, slackT0, 18*time.Minute+30*time.Second))
	e.scrape(2, slackAt(t, slackT0, 30*time.Minute)) // a later drain changes nothing
	alerts = e.alerts(slackAt(t, slackT0, 30*time.Minute))
	checkDeliveredOnce(t, alerts, e.fake.kept())
	checkThreads(t, alerts, e.fake.kept())
	e.noToken()
}

// 3a. A 429 with a long Retry-After: that channel waits as long as Slack asked, the others
// go on, and the alert is then posted once.
func TestSlackRateLimitRetryAfter(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.fake.set(func(f *fakeSlackAPI) {
		f.script = []slackFailure{{status: http.StatusTooManyRequests, retryAfter: "120"}}
	})
	e.scrape(2, slackT0)
	first := e.fake.allPosts()[0]
	alerts := e.alerts(slackT0)
	var limited billwatch.Delivery
	for _, a := range alerts {
		if a.ID == first.AlertID {
			for _, d := range a.Deliveries {
				if d.Channel == first.Channel {
					limited = d
				}
			}
		}
	}
	// --now starts a running clock: the retry falls due 2 minutes after the attempt, within
	// the few seconds the scrape took.
	wantNext, _ := time.Parse(time.RFC3339, slackAt(t, slackT0, 2*time.Minute))
	if limited.State != billwatch.DeliveryPending || limited.NextAttempt.Before(wantNext) || limited.NextAttempt.After(wantNext.Add(10*time.Second)) {
		t.Errorf("rate-limited delivery: %s, next attempt %s; want pending until %s (Retry-After)", limited.State, limited.NextAttempt, wantNext)
	}
	before := len(e.fake.kept())
	e.scrape(2, slackAt(t, slackT0, 90*time.Second))
	for _, p := range e.fake.kept()[before:] {
		if p.Channel == first.Channel {
			t.Errorf("posted to %s at T+90s, before Retry-After ran out", p.Channel)
		}
	}
	e.scrape(2, slackAt(t, slackT0, 2*time.Minute+10*time.Second))
	alerts = e.alerts(slackAt(t, slackT0, 2*time.Minute+10*time.Second))
	checkDeliveredOnce(t, alerts, e.fake.kept())
	checkThreads(t, alerts, e.fake.kept())
}

// 3b. The connection drops after Slack kept the message: billwatch finds the message instead
// of posting it again.
func TestSlackDroppedAnswerIsReconciled(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.fake.set(func(f *fakeSlackAPI) { f.script = []slackFailure{{dropAfter: true}} })
	e.scrape(2, slackT0)
	e.scrape(2, slackAt(t, slackT0, 5*time.Minute))
	e.scrape(2, slackAt(t, slackT0, 30*time.Minute))
	if p := e.fake.allPosts(); len(p) == 0 || p[0].Answer != "drop" {
		t.Fatalf("the first post was not dropped: %+v", p)
	}
	alerts := e.alerts(slackAt(t, slackT0, 30*time.Minute))
	checkDeliveredOnce(t, alerts, e.fake.kept())
	checkThreads(t, alerts, e.fake.kept())
}

// 3c. The same, but Slack's history is also unreachable at that moment, so the sink cannot
// tell whether the message went through: a later drain must look before posting again.
func TestSlackDroppedAnswerReconciledOnLaterDrain(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.fake.set(func(f *fakeSlackAPI) {
		f.script = []slackFailure{{dropAfter: true}}
		f.lookupsDown = true
	})
	e.scrape(2, slackT0)
	e.fake.set(func(f *fakeSlackAPI) { f.lookupsDown = false })
	e.scrape(2, slackAt(t, slackT0, 5*time.Minute))
	e.scrape(2, slackAt(t, slackT0, 30*time.Minute))
	alerts := e.alerts(slackAt(t, slackT0, 30*time.Minute))
	checkDeliveredOnce(t, alerts, e.fake.kept())
}

// 3d. The answer to a post is lost and the token lacks the history scope, so billwatch can
// never learn whether the message went through. The alert is held for a bounded time (the
// drain's hold), then posted again with a visible "possible duplicate" mark, and the alerts
// behind it in the channel follow; one ops alert names the missing scope.
func TestSlackLostAnswerWithoutHistoryScope(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	e.scrape(1, week1)
	e.fake.set(func(f *fakeSlackAPI) {
		f.script = []slackFailure{{dropAfter: true}}
		f.noHistory = true
	})
	var out strings.Builder
	for _, at := range []time.Duration{0, time.Minute, 5 * time.Minute, 16 * time.Minute, 30 * time.Minute} {
		out.WriteString(e.scrape(2, slackAt(t, slackT0, at)))
	}
	lost := e.fake.allPosts()[0]
	if lost.Answer != "drop" {
		t.Fatalf("the first post was not dropped: %+v", lost)
	}
	alerts := e.alerts(slackAt(t, slackT0, 30*time.Minute))
	perChannel := map[string][]slackPost{} // alert id + channel → messages kept
	for _, p := range e.fake.kept() {
		perChannel[p.AlertID+" "+p.Channel] = append(perChannel[p.AlertID+" "+p.Channel], p)
	}
	ops := 0
	for _, a := range alerts {
		if strings.HasPrefix(a.Subject, "sink ") {
			ops++
			if !strings.Contains(a.Text, "missing_scope") || !strings.Contains(a.Text, "channels:history") {
				t.Errorf("ops alert %q does not name missing_scope and channels:history", a.Text)
			}
		}
		for _, d := range a.Deliveries {
			if d.State != billwatch.DeliverySent {
				t.Errorf("%s %s to %s %s: %s after 30 minutes (%s); want sent: one lost answer must not block the channel", a.Kind, a.Subject, d.Sink, d.Channel, d.State, d.Error)
			}
			if d.Sink != "slack" {
				continue
			}
			msgs := perChannel[a.ID+" "+d.Channel]
			if a.ID == lost.AlertID && d.Channel == lost.Channel {
				if len(msgs) != 2 || strings.Contains(msgs[0].Text, "Possible duplicate") || !strings.Contains(msgs[1].Text, "Possible duplicate") || !d.PossibleDuplicate {
					t.Errorf("the alert whose answer was lost: %d messages, delivery %+v; want the first and one marked possible duplicate", len(msgs), d)
				}
				continue
			}
			if len(msgs) != 1 || d.PossibleDuplicate {
				t.Errorf("%s %s in %s: %d messages (possible duplicate %v), want 1", a.Kind, a.Subject, d.Channel, len(msgs), d.PossibleDuplicate)
			}
		}
	}
	if ops != 1 || strings.Count(out.String(), "sink slack") != 1 {
		t.Errorf("%d ops alerts, %d printed; want one about the missing history scope:\n%s", ops, strings.Count(out.String(), "sink slack"), out.String())
	}
	// Nothing was posted again before the hold ran out.
	for _, p := range e.fake.kept() {
		if strings.Contains(p.Text, "Possible duplicate") && slackTSBefore(p.TS, fmt.Sprint(mustTime(t, slackAt(t, slackT0, 15*time.Minute)).Unix())) {
			t.Errorf("reposted at %s, before the 15-minute hold ran out", p.TS)
		}
	}
	e.noToken()
}

// 4. A token Slack refuses: deliveries fail for good naming Slack's code, one ops alert goes
// to the console, and the token is in no output, not even the debug log.
func TestSlackInvalidToken(t *testing.T) {
	t.Parallel()
	const bad = "xoxb-1111111111-SLACKTESTSECRET-badbad"
	e := newSlackEnv(t, fixtures.FS(), bad)
	e.scrape(1, week1, "--no-notify")
	e.c.servers.SetSnapshot(2)
	out, errOut, code := e.run(slackT0, "--log-level", "debug", "scrape")
	if code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	var seen int
	e.fake.set(func(f *fakeSlackAPI) { seen = f.tokens[bad] })
	if seen == 0 {
		t.Fatalf("the configured token never reached the fake Slack")
	}
	if !strings.Contains(errOut, "invalid_auth") {
		t.Errorf("the log does not name invalid_auth; the check of the log for the token is void:\n%s", errOut)
	}
	// The ops alert reaches the console during the pass where Slack refused, once.
	if n := strings.Count(out, "sink slack"); n != 1 || !strings.Contains(out, "invalid_auth") {
		t.Errorf("scrape printed %d alerts about Slack refusing, want exactly one naming invalid_auth:\n%s", n, out)
	}
	alerts := e.alerts(slackT0)
	failed, ops := 0, 0
	for _, a := range alerts {
		if strings.HasPrefix(a.Subject, "sink ") {
			ops++
			continue
		}
		for _, d := range a.Deliveries {
			if d.Sink != "slack" || d.State != billwatch.DeliveryFailed || !strings.Contains(d.Error, "invalid_auth") {
				t.Errorf("%s %s: delivery %s %s %s %q; want slack failed naming invalid_auth", a.Kind, a.Subject, d.Sink, d.Channel, d.State, d.Error)
			}
			failed++
		}
	}
	if failed == 0 {
		t.Errorf("no failed delivery")
	}
	if ops != 1 {
		t.Errorf("%d ops alerts about Slack refusing in alerts --json, want 1 for one bad token", ops)
	}
	// A later pass neither retries the failed deliveries nor prints an ops alert.
	posts := len(e.fake.allPosts())
	out, _, _ = e.run(slackAt(t, slackT0, time.Hour), "--log-level", "debug", "scrape")
	if n := len(e.fake.allPosts()); n != posts {
		t.Errorf("a later pass posted %d more times", n-posts)
	}
	if n := strings.Count(out, "sink slack"); n != 0 {
		t.Errorf("a later pass printed %d alerts about Slack refusing; they belonged to the pass that failed:\n%s", n, out)
	}
	if strings.Contains(e.out.String(), bad) || strings.Contains(e.out.String(), "SLACKTESTSECRET") {
		t.Errorf("the bot token appears in billwatch's output")
	}
}

// 5. A bill title full of Slack markup reaches Slack escaped: no channel ping, no user
// mention, no disguised link.
func TestSlackHostileTitleIsEscaped(t *testing.T) {
	t.Parallel()
	const hostile = "<!channel> <@U123> <https://evil.example|click here> & more"
	base := fixtures.FS()
	read := func(name string) string {
		b, err := fs.ReadFile(base, name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	list := read("2/parl/legisinfo/en/bills/json@parlsession=45-1")
	record := read("2/parl/legisinfo/en/bill/45-1/c-30/xml")
	const orig = "An Act to amend the Canadian Security Intelligence Service Act (foreign interference)"
	if strings.Count(list, orig) != 1 || !strings.Contains(record, orig) {
		t.Fatal("fixtures: C-30's title not found")
	}
	jsonTitle, _ := json.Marshal(orig + " " + hostile)
	list = strings.Replace(list, `"`+orig+`"`, string(jsonTitle), 1)
	xmlTitle := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(orig + " " + hostile)
	record = strings.ReplaceAll(record, ">"+orig+"<", ">"+xmlTitle+"<")
	fsys := overlay(base, fstest.MapFS{
		"2/parl/legisinfo/en/bills/json@parlsession=45-1": {Data: []byte(list)},
		"2/parl/legisinfo/en/bill/45-1/c-30/xml":          {Data: []byte(record)},
	})
	e := newSlackEnv(t, fsys, slackTestToken)
	e.scrape(1, week1)
	e.scrape(2, slackT0)
	alerts := e.alerts(slackT0)
	var c30 *billwatch.Alert
	for i, a := range alerts {
		if a.Kind == billwatch.KindBillIntroduced && a.Subject == "45-1 C-30" {
			c30 = &alerts[i]
		}
	}
	if c30 == nil {
		t.Fatalf("no bill.introduced for C-30 among %d alerts", len(alerts))
	}
	if !strings.Contains(c30.Title+c30.Text, "<!channel>") {
		t.Errorf("the stored alert lost the hostile title (%q); the test proves nothing", c30.Title)
	}
	raw := []string{"<!channel>", "<@U123>", "<https://evil", "<!here", "<!everyone"}
	found := false
	for _, p := range e.fake.kept() {
		texts := []string{p.Text}
		var blocks any
		if err := json.Unmarshal([]byte(p.Blocks), &blocks); err != nil {
			t.Errorf("post to %s: blocks are not JSON: %v", p.Channel, err)
		}
		texts = append(texts, slackStrings(blocks)...)
		all := strings.Join(texts, "\n")
		for _, r := range raw {
			if strings.Contains(all, r) {
				t.Errorf("post of alert %s to %s contains raw %q:\n%s", p.AlertID, p.Channel, r, all)
			}
		}
		if p.AlertID == c30.ID {
			found = true
			for _, want := range []string{"&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://evil.example|click here&gt;", "&amp; more"} {
				if !strings.Contains(p.Text, want) {
					t.Errorf("C-30 text lacks %q:\n%s", want, p.Text)
				}
				if !strings.Contains(strings.Join(texts[1:], "\n"), want) {
					t.Errorf("C-30 blocks lack %q", want)
				}
			}
		}
	}
	if !found {
		t.Errorf("C-30's alert was not posted")
	}
}

// slackStrings returns every string in a decoded JSON value.
func slackStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, slackStrings(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, slackStrings(x)...)
		}
		return out
	}
	return nil
}

// 6. `slack test` posts once to each distinct channel and prints a line for each; a channel
// Slack refuses makes it fail, naming the channel.
func TestSlackTestCommand(t *testing.T) {
	t.Parallel()
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	out, errOut, code := e.run(slackT0, "slack", "test")
	if code != 0 {
		t.Fatalf("slack test: exit %d\n%s%s", code, out, errOut)
	}
	var chans []string
	for _, p := range e.fake.allPosts() {
		chans = append(chans, p.Channel)
	}
	slices.Sort(chans)
	want := []string{"#billwatch", "#billwatch-amendments", "#billwatch-hearings", "#billwatch-ops"}
	if !slices.Equal(chans, want) {
		t.Errorf("slack test posted to %v, want once to each of %v", chans, want)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Errorf("slack test printed %d lines, want one per channel:\n%s", len(lines), out)
	}
	for _, ch := range want {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, ch+" ") && strings.Contains(l, "ok") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("slack test output has %d ok lines for %s:\n%s", n, ch, out)
		}
	}

	e.fake.set(func(f *fakeSlackAPI) {
		f.posts = nil
		f.refuse["#billwatch-amendments"] = "channel_not_found"
	})
	out, errOut, code = e.run(slackT0, "slack", "test")
	if code == 0 {
		t.Errorf("slack test with a refused channel exited 0:\n%s", out)
	}
	if len(e.fake.allPosts()) != len(want) {
		t.Errorf("slack test posted %d times, want %d", len(e.fake.allPosts()), len(want))
	}
	var bad []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.Contains(l, "ok, ts") {
			bad = append(bad, l)
		}
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0], "#billwatch-amendments ") || !strings.Contains(bad[0], "channel_not_found") {
		t.Errorf("slack test output, want one failed line naming #billwatch-amendments and channel_not_found:\n%s", out)
	}
	if !strings.Contains(out+errOut, "#billwatch-amendments") {
		t.Errorf("slack test does not name the refused channel:\n%s%s", out, errOut)
	}

	// A token without the history scope posts, but could never tell whether a post whose
	// answer was lost went through: slack test fails and names the missing scope per channel.
	e.fake.set(func(f *fakeSlackAPI) {
		f.refuse = map[string]string{}
		f.noHistory = true
	})
	out, _, code = e.run(slackT0, "slack", "test")
	if code == 0 {
		t.Errorf("slack test without the history scope exited 0:\n%s", out)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Errorf("slack test printed %d lines, want one per channel:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !strings.Contains(l, "ok, ts") || !strings.Contains(l, "history FAILED") || !strings.Contains(l, "missing_scope") || !strings.Contains(l, "needs channels:history") {
			t.Errorf("slack test line %q, want the post ok and the history check failing, naming channels:history", l)
		}
	}
	e.noToken()
}
