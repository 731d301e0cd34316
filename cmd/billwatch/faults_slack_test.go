package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// slackFaultRow is one line of the Slack table.
type slackFaultRow struct {
	fault      string
	alerts     int // alerts raised by the pass of snapshot 2
	deliveries int // deliveries they call for
	attempts   int // chat.postMessage calls
	kept       int // messages Slack kept
	maxPerDel  int // messages kept for one delivery (alert and channel): 1 or less
	sent       int
	failed     int
	pending    int
	opsConsole int // alerts about Slack refusing billwatch printed on the console
}

// TestFaultMatrixSlack delivers the alerts of snapshot 2 through Slack faults: every alert is
// posted to each of its channels at most once, and once each where Slack comes back; a token
// Slack refuses fails every delivery for good with one ops alert on the console.
func TestFaultMatrixSlack(t *testing.T) {
	if testing.Short() || os.Getenv(wallSkewEnv) != "" {
		t.Skip("every command runs at a pinned --now: once is enough; see make faults")
	}
	var rows []slackFaultRow
	var notes []string
	for _, tc := range []struct {
		name   string
		token  string
		fault  func(e *slackEnv)                                  // set before the pass of snapshot 2
		mend   func(e *slackEnv)                                  // after the drains during the fault
		during []time.Duration                                    // drains during the fault, after T0
		after  []time.Duration                                    // drains once mended
		check  func(*slackEnv, []billwatch.Alert, *slackFaultRow) // extra checks; nil: delivered once each
		// leftOut, when set, says why the row is not run yet.
		leftOut string
	}{
		{name: "429 (Retry-After 120 s)", fault: func(e *slackEnv) {
			e.fake.set(func(f *fakeSlackAPI) {
				f.script = []slackFailure{{status: http.StatusTooManyRequests, retryAfter: "120"}}
			})
		}, during: []time.Duration{90 * time.Second}, after: []time.Duration{2*time.Minute + 10*time.Second}},
		{name: "5xx (503, 502, 500)", fault: func(e *slackEnv) {
			e.fake.set(func(f *fakeSlackAPI) {
				f.script = []slackFailure{{status: 503}, {status: 502}, {status: 500}}
			})
		}, after: []time.Duration{65 * time.Second, 190 * time.Second, 375 * time.Second, 20 * time.Minute}},
		{name: "outage (every method 503 for 10 min)", fault: func(e *slackEnv) {
			e.fake.set(func(f *fakeSlackAPI) { f.outage = true })
		}, during: []time.Duration{65 * time.Second, 190 * time.Second, 375 * time.Second, 620 * time.Second},
			mend:  func(e *slackEnv) { e.fake.set(func(f *fakeSlackAPI) { f.outage = false }) },
			after: []time.Duration{18*time.Minute + 30*time.Second, 30 * time.Minute}},
		{name: "lost answer, history readable", fault: func(e *slackEnv) {
			e.fake.set(func(f *fakeSlackAPI) { f.script = []slackFailure{{dropAfter: true}} })
		}, after: []time.Duration{5 * time.Minute, 30 * time.Minute}},
		{name: "lost answer, no history scope", fault: func(e *slackEnv) {
			e.fake.set(func(f *fakeSlackAPI) { f.script = []slackFailure{{dropAfter: true}} })
			t.Setenv("BILLWATCH_SLACK_API_URL", noHistoryScope(t, e.fake.srv.URL))
		}, after: []time.Duration{5 * time.Minute, 30 * time.Minute, 2 * time.Hour},
			leftOut: "issue 10 item 5 (a lost answer without the history scope blocks its channel) is not fixed on this branch",
			check: func(e *slackEnv, alerts []billwatch.Alert, r *slackFaultRow) {
				// The lost one is either posted again with a "possible duplicate" mark or given
				// up with an ops alert; nothing stays pending, nothing behind it is blocked.
				if r.pending != 0 || r.sent < r.deliveries-1 || r.maxPerDel > 2 {
					t.Errorf("lost answer without history: %+v; want nothing pending, every other delivery sent", *r)
				}
			}},
		{name: "invalid_auth", token: "xoxb-1111111111-SLACKTESTSECRET-badbad", after: []time.Duration{time.Hour},
			check: func(e *slackEnv, alerts []billwatch.Alert, r *slackFaultRow) {
				if r.kept != 0 || r.pending != 0 || r.failed != r.deliveries || r.opsConsole != 1 {
					t.Errorf("invalid_auth: %+v; want every delivery failed for good, nothing posted, one ops alert on the console", *r)
				}
			}},
	} {
		if tc.leftOut != "" {
			notes = append(notes, fmt.Sprintf("left out: %s: %s", tc.name, tc.leftOut))
			continue
		}
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = slackTestToken
			}
			e := newSlackEnv(t, fixtures.FS(), token)
			e.c.servers.SetSnapshot(1)
			if out, errOut, code := e.run(week1, "scrape", "--no-notify"); code != 0 {
				t.Fatalf("baseline: exit %d\n%s%s", code, out, errOut)
			}
			if tc.fault != nil {
				tc.fault(e)
			}
			e.c.servers.SetSnapshot(2)
			var console strings.Builder
			drain := func(d time.Duration) {
				out, errOut, code := e.run(slackAt(t, slackT0, d), "scrape")
				console.WriteString(out)
				if code != 0 {
					t.Fatalf("scrape at T0+%v: exit %d\n%s%s", d, code, out, errOut)
				}
			}
			drain(0)
			for _, d := range tc.during {
				drain(d)
			}
			if tc.mend != nil {
				tc.mend(e)
			}
			for _, d := range tc.after {
				drain(d)
			}
			alerts := e.alerts(slackAt(t, slackT0, time.Hour))
			r := slackFaultRow{fault: tc.name, attempts: len(e.fake.allPosts()), kept: len(e.fake.kept())}
			per := map[string]int{}
			for _, p := range e.fake.kept() {
				per[p.AlertID+" "+p.Channel]++
			}
			for _, n := range per {
				r.maxPerDel = max(r.maxPerDel, n)
			}
			for _, a := range alerts {
				if strings.HasPrefix(a.Subject, "sink ") {
					continue
				}
				r.alerts++
				for _, d := range a.Deliveries {
					r.deliveries++
					switch d.State {
					case billwatch.DeliverySent:
						r.sent++
					case billwatch.DeliveryFailed:
						r.failed++
					default:
						r.pending++
					}
				}
			}
			r.opsConsole = strings.Count(console.String(), "sink slack")
			if tc.check != nil {
				tc.check(e, alerts, &r)
			} else {
				var items []billwatch.Alert
				for _, a := range alerts {
					if !strings.HasPrefix(a.Subject, "sink ") {
						items = append(items, a)
					}
				}
				checkDeliveredOnce(t, items, e.fake.kept())
				if r.maxPerDel != 1 || r.sent != r.deliveries {
					t.Errorf("%+v: want every delivery sent, one message each", r)
				}
			}
			e.noToken()
			rows = append(rows, r)
		})
	}
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SLACK FAULT\tALERTS\tDELIVERIES\tPOSTS TRIED\tMESSAGES KEPT\tMAX PER DELIVERY\tSENT\tFAILED\tPENDING\tOPS ALERTS ON CONSOLE")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", r.fault, r.alerts, r.deliveries, r.attempts, r.kept, r.maxPerDel, r.sent, r.failed, r.pending, r.opsConsole)
	}
	w.Flush()
	for _, n := range notes {
		fmt.Fprintln(&buf, n)
	}
	faultTables.add(2, fmt.Sprintf("Slack faults: %d rows", len(rows)), buf.String())
}

// noHistoryScope answers missing_scope to conversations.history and .replies, and passes
// every other call to the fake Slack: a bot token without the history scopes.
func noHistoryScope(t *testing.T, backend string) string {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the dropped answer is the fault, not news
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/conversations.history") || strings.HasPrefix(r.URL.Path, "/conversations.replies") {
			slackAnswer(w, map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:history", "provided": "chat:write"})
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}
