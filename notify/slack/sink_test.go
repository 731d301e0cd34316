package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
	"github.com/google/go-cmp/cmp"
)

var (
	_ tracker.Sink       = (*Sink)(nil)
	_ tracker.Reconciler = (*Sink)(nil)
)

// deliveryErr reads an error the way the tracker does: it must be a *tracker.DeliveryError.
func deliveryErr(t *testing.T, err error) *tracker.DeliveryError {
	t.Helper()
	var de *tracker.DeliveryError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *tracker.DeliveryError", err, err)
	}
	return de
}

func alert(id string, kind billwatch.Kind, sev billwatch.Severity, aud billwatch.Audience) billwatch.Alert {
	return billwatch.Alert{ID: id, Kind: kind, Severity: sev, Audience: aud, Subject: "45-1 C-22",
		Title: "An Act respecting lawful access", Why: "test", Created: created}
}

func TestChannels(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	s := newTestSink(t, f, Config{
		Channels: map[billwatch.Audience]string{billwatch.Members: "#billwatch"},
		Routes: []Route{
			{MinSeverity: billwatch.Urgent, Channel: "#urgent"},
			{Kinds: []billwatch.Kind{billwatch.KindRegulationProposed, billwatch.KindRegulationFinal}, Channel: "#gazette"},
			{Kinds: []billwatch.Kind{billwatch.KindSourceRecovered}, Channel: "#billwatch-hearings", Replace: true},
		},
	})
	tests := []struct {
		name string
		a    billwatch.Alert
		want []string
	}{
		{"policy", alert("1", billwatch.KindBillIntroduced, billwatch.Action, billwatch.Policy), []string{"#billwatch"}},
		{"lobbying", alert("2", billwatch.KindHearingScheduled, billwatch.Info, billwatch.Lobbying), []string{"#billwatch-hearings"}},
		{"members remapped", alert("3", billwatch.KindBillAmended, billwatch.Action, billwatch.Members), []string{"#billwatch"}},
		{"ops default", alert("4", billwatch.KindSourceUnhealthy, billwatch.Action, billwatch.Ops), []string{"#billwatch-ops"}},
		{"urgent adds a channel", alert("5", billwatch.KindBillStage, billwatch.Urgent, billwatch.Lobbying), []string{"#billwatch-hearings", "#urgent"}},
		{"kind route", alert("6", billwatch.KindRegulationProposed, billwatch.Action, billwatch.Policy), []string{"#billwatch", "#gazette"}},
		{"two routes", alert("7", billwatch.KindRegulationFinal, billwatch.Urgent, billwatch.Policy), []string{"#billwatch", "#urgent", "#gazette"}},
		{"replace", alert("8", billwatch.KindSourceRecovered, billwatch.Info, billwatch.Ops), []string{"#billwatch-hearings"}},
		{"unknown audience goes to policy", alert("9", billwatch.KindBillStage, billwatch.Info, "press"), []string{"#billwatch"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, s.Channels(tt.a)); diff != "" {
			t.Errorf("Channels(%s) (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want string // in the error
	}{
		{"no token", Config{}, "slack.token_env"},
		{"bad api url", Config{Token: testToken, APIURL: "ftp://slack.example/"}, "slack.api_url"},
		{"unknown audience", Config{Token: testToken, Channels: map[billwatch.Audience]string{"press": "#press"}}, "slack.channels.press"},
		{"bad channel", Config{Token: testToken, Channels: map[billwatch.Audience]string{billwatch.Policy: "billwatch"}}, "slack.channels.policy"},
		{"route channel", Config{Token: testToken, Routes: []Route{{Channel: ""}}}, "slack.routes[0].channel"},
		{"route kind", Config{Token: testToken, Routes: []Route{{Channel: "#x", Kinds: []billwatch.Kind{"bill.vetoed"}}}}, "slack.routes[0].kinds"},
		{"route severity", Config{Token: testToken, Routes: []Route{{Channel: "#x", MinSeverity: "high"}}}, "slack.routes[0].min_severity"},
		{"mention", Config{Token: testToken, Mention: "<https://evil|click>"}, "slack.mention"},
		{"timeout", Config{Token: testToken, Timeout: -time.Second}, "slack.timeout"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%s) = %v, want an error naming %s", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("New(%s) error shows the token: %v", tt.name, err)
		}
	}
	s, err := New(Config{Token: testToken, APIURL: "http://127.0.0.1:9/api", Mention: "@here"})
	if err != nil {
		t.Fatal(err)
	}
	if s.set.apiURL != "http://127.0.0.1:9/api/" || s.set.mention != "<!here>" || s.set.client.Timeout != DefaultTimeout {
		t.Errorf("New defaults: api %q, mention %q, timeout %s", s.set.apiURL, s.set.mention, s.set.client.Timeout)
	}
}

func TestConfigNeverShowsToken(t *testing.T) {
	t.Parallel()
	cfg := Config{Token: testToken, APIURL: "https://user:hunter2@slack.example/api/"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "slack", cfg)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outs := []string{buf.String(), fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%v", &cfg)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, cfg))
	}
	for _, out := range outs {
		if strings.Contains(out, "SECRET") || strings.Contains(out, "hunter2") {
			t.Errorf("a secret shows in %q", out)
		}
	}
}

// TestSend checks that Send makes one attempt and tells the drain what to do: Send never
// retries, never waits and never looks for the message itself (the drain does all three).
func TestSend(t *testing.T) {
	t.Parallel()
	a := sampleAlerts[1] // urgent bill.stage
	tests := []struct {
		name      string
		script    []reply
		channel   string
		thread    string
		wantPosts int
		wantStore int           // messages in Slack afterwards
		wantErr   string        // "" for success
		permanent bool          // of the error
		retry     time.Duration // RetryAfter of the error
		mayHave   bool          // MayHavePosted of the error
		key       string        // Key of the error
	}{
		{name: "ok", channel: "#billwatch-hearings", wantPosts: 1, wantStore: 1},
		{name: "thread", channel: "#billwatch-hearings", thread: "1700000000.000100", wantPosts: 1, wantStore: 1},
		{name: "429", script: []reply{{status: 429, retryAfter: "3"}}, channel: "#billwatch-hearings",
			wantPosts: 1, wantErr: "rate limited", retry: 3 * time.Second, key: "#billwatch-hearings:ratelimited"},
		{name: "429 long", script: []reply{{status: 429, retryAfter: "120"}}, channel: "#billwatch-hearings",
			wantPosts: 1, wantErr: "rate limited", retry: 120 * time.Second, key: "#billwatch-hearings:ratelimited"},
		{name: "429 without Retry-After", script: []reply{{status: 429}}, channel: "#billwatch-hearings",
			wantPosts: 1, wantErr: "without Retry-After", retry: defaultRetryAfter, key: "#billwatch-hearings:http_429"},
		{name: "ratelimited code", script: []reply{{code: "ratelimited"}}, channel: "#billwatch-hearings",
			wantPosts: 1, wantErr: "ratelimited", retry: defaultRetryAfter, key: "#billwatch-hearings:ratelimited"},
		{name: "5xx", script: []reply{{status: 503}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "http 503", mayHave: true, key: "#billwatch-hearings:http_503"},
		{name: "5xx but posted", script: []reply{{status: 504, store: true}}, channel: "#billwatch-hearings", wantPosts: 1, wantStore: 1,
			wantErr: "http 504", mayHave: true, key: "#billwatch-hearings:http_504"},
		{name: "connection dropped", script: []reply{{drop: true}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "EOF", mayHave: true, key: "#billwatch-hearings:"},
		{name: "empty answer", script: []reply{{empty: true}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "no message ts", mayHave: true, key: "#billwatch-hearings:no_ts"},
		{name: "internal_error", script: []reply{{code: "internal_error"}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "internal_error", key: "#billwatch-hearings:internal_error"},
		{name: "channel not found", channel: "#nowhere", wantPosts: 1,
			wantErr: "slack: post to #nowhere: channel_not_found: the channel does not exist", permanent: true, key: "#nowhere:channel_not_found"},
		{name: "not in channel", script: []reply{{code: "not_in_channel"}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "not_in_channel: the bot is not a member", permanent: true, key: "#billwatch-hearings:not_in_channel"},
		{name: "archived", script: []reply{{code: "is_archived"}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "is_archived", permanent: true, key: "#billwatch-hearings:is_archived"},
		{name: "missing scope is one failure for every channel", script: []reply{{code: "missing_scope"}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "missing_scope", permanent: true, key: "missing_scope"},
		{name: "blocks refused, text posted", script: []reply{{code: "invalid_blocks"}}, channel: "#billwatch-hearings", wantPosts: 2, wantStore: 1},
		{name: "msg_too_long", script: []reply{{code: "msg_too_long"}}, channel: "#billwatch-hearings", wantPosts: 1,
			wantErr: "msg_too_long", permanent: true, key: "#billwatch-hearings:msg_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeSlack(t, tt.script...)
			s := newTestSink(t, f, Config{Mention: "<!subteam^S123>"})
			ts, err := s.Send(t.Context(), a, tt.channel, tt.thread)
			posts := f.received()
			if f.lookups > 0 {
				t.Errorf("Send looked for the message %d times; the drain does that", f.lookups)
			}
			if len(posts) != tt.wantPosts {
				t.Errorf("Send made %d posts, want %d", len(posts), tt.wantPosts)
			}
			if len(f.msgs) != tt.wantStore {
				t.Errorf("Slack holds %d messages, want %d", len(f.msgs), tt.wantStore)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Send = %q, %v; want error %q", ts, err, tt.wantErr)
				}
				de := deliveryErr(t, err)
				got := tracker.DeliveryError{Err: de.Err, Permanent: de.Permanent, RetryAfter: de.RetryAfter, MayHavePosted: de.MayHavePosted, Key: de.Key}
				want := tracker.DeliveryError{Err: de.Err, Permanent: tt.permanent, RetryAfter: tt.retry, MayHavePosted: tt.mayHave, Key: tt.key}
				if got != want {
					t.Errorf("Send's DeliveryError = %+v, want %+v", got, want)
				}
				if strings.Contains(err.Error(), testToken) || strings.Contains(s.logs.String(), testToken) {
					t.Errorf("the token leaked")
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if ts != f.msgs[0].TS {
				t.Errorf("Send = %q, want Slack's ts %q", ts, f.msgs[0].TS)
			}
			last := posts[len(posts)-1]
			if last.Channel != tt.channel || last.ThreadTS != tt.thread {
				t.Errorf("posted to %q thread %q, want %q thread %q", last.Channel, last.ThreadTS, tt.channel, tt.thread)
			}
			var meta struct {
				EventType    string         `json:"event_type"`
				EventPayload map[string]any `json:"event_payload"`
			}
			if err := json.Unmarshal([]byte(last.Metadata), &meta); err != nil || meta.EventType != MetadataEventType || meta.EventPayload["alert_id"] != a.ID {
				t.Errorf("metadata = %s (%v)", last.Metadata, err)
			}
			if !strings.HasPrefix(last.Text, "<!subteam^S123> ") {
				t.Errorf("urgent text does not start with the mention: %q", last.Text)
			}
			if tt.name == "blocks refused, text posted" {
				if len(last.Blocks) != 0 {
					t.Errorf("retry after invalid_blocks still sent blocks")
				}
			} else if !strings.Contains(string(last.Blocks), `"block_id":"summary"`) {
				t.Errorf("blocks missing: %s", last.Blocks)
			}
		})
	}
}

// TestPostedAfterALostAnswer is the other half of a 5xx or a dropped connection: Send said
// the message may have been posted; Posted, which the drain calls next, finds it.
func TestPostedAfterALostAnswer(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t, reply{drop: true, store: true})
	s := newTestSink(t, f, Config{})
	since := time.Now().Add(-time.Minute)
	a := sampleAlerts[0]
	_, err := s.Send(t.Context(), a, "#billwatch", "")
	if de := deliveryErr(t, err); !de.MayHavePosted || de.Permanent {
		t.Fatalf("Send after a lost answer = %+v, want retryable, may have posted", de)
	}
	ref, found, err := s.Posted(t.Context(), a.ID, "#billwatch", since)
	if err != nil || !found || ref != f.msgs[0].TS {
		t.Errorf("Posted = %q, %v, %v; want the message kept, %s", ref, found, err, f.msgs[0].TS)
	}
	f.blind = true
	_, _, err = s.Posted(t.Context(), a.ID, "#billwatch", since)
	if err == nil || !strings.Contains(err.Error(), "missing_scope") {
		t.Fatalf("Posted without the history scope = %v, want missing_scope", err)
	}
	if de := deliveryErr(t, err); !de.Permanent || de.Key != "missing_scope" {
		t.Errorf("Posted without the history scope = %+v, want permanent, keyed missing_scope", de)
	}
}

func TestSendRoutesEveryChannel(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	s := newTestSink(t, f, Config{Routes: []Route{{MinSeverity: billwatch.Urgent, Channel: "#urgent"}}})
	a := sampleAlerts[9] // urgent deadline.reminder for policy
	for _, ch := range s.Channels(a) {
		if _, err := s.Send(t.Context(), a, ch, ""); err != nil {
			t.Fatalf("Send(%s): %v", ch, err)
		}
	}
	var got []string
	for _, p := range f.received() {
		got = append(got, p.Channel)
	}
	if diff := cmp.Diff([]string{"#billwatch", "#urgent"}, got); diff != "" {
		t.Errorf("posted to (-want +got):\n%s", diff)
	}
}

func TestSendEscapesHostileTitle(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	s := newTestSink(t, f, Config{})
	a := alert("hostile", billwatch.KindBillIntroduced, billwatch.Action, billwatch.Policy)
	a.Title, a.Text = hostile, hostile
	if _, err := s.Send(t.Context(), a, "#billwatch", ""); err != nil {
		t.Fatal(err)
	}
	p := f.received()[0]
	var texts []string
	collect(t, p.Blocks, &texts)
	all := p.Text + "\n" + strings.Join(texts, "\n")
	for _, bad := range []string{"<!channel>", "<@U123>", "<https://evil", "<!here>"} {
		if strings.Contains(all, bad) {
			t.Errorf("Slack received %q", bad)
		}
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	// A wrong token: Slack says invalid_auth. A server that echoes the token in its error code
	// stands for any future slack-go message that might quote the request.
	for _, tc := range []struct {
		name   string
		token  string
		script []reply
		want   string
	}{
		{"invalid token", "xoxb-999-WRONGSECRET-zzz", nil, "invalid_auth"},
		{"echoed token", testToken, []reply{{code: "oops " + testToken}, {code: "oops " + testToken}, {code: "oops " + testToken}}, "oops [REDACTED]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSlack(t, tc.script...)
			s := newTestSink(t, f, Config{Token: tc.token})
			_, err := s.Send(t.Context(), sampleAlerts[0], "#billwatch", "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Send = %v, want %s", err, tc.want)
			}
			if tc.name == "invalid token" && !deliveryErr(t, err).Permanent {
				t.Errorf("invalid_auth is not permanent")
			}
			_, _, perr := s.Posted(t.Context(), "x", "#billwatch", created)
			res := s.Test(t.Context())
			var all strings.Builder
			fmt.Fprintf(&all, "%v\n%+v\n%v\n%s\n", err, err, perr, s.logs)
			for _, r := range res {
				fmt.Fprintf(&all, "%+v %v\n", r, r.Err)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				all.WriteString(e.Error() + "\n")
			}
			if strings.Contains(all.String(), "SECRET") {
				t.Errorf("the token leaked:\n%s", all.String())
			}
		})
	}
}

func TestPosted(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	s := newTestSink(t, f, Config{})
	since := time.Now().Add(-time.Second)
	a, b := sampleAlerts[0], sampleAlerts[1]
	tsA, err := s.Send(t.Context(), a, "#billwatch", "")
	if err != nil {
		t.Fatal(err)
	}
	tsB, err := s.Send(t.Context(), b, "#billwatch", tsA) // a reply in a's thread
	if err != nil {
		t.Fatal(err)
	}
	f.noMeta = true // a message whose metadata Slack does not return: found by its text marker
	c := sampleAlerts[2]
	tsC, err := s.Send(t.Context(), c, "#billwatch-amendments", "")
	if err != nil {
		t.Fatal(err)
	}

	fresh := newTestSink(t, f, Config{}) // after a restart: no channel IDs known
	tests := []struct {
		name    string
		s       *testSink
		id, ch  string
		since   time.Time
		want    string
		wantOK  bool
		wantErr string
	}{
		{"by metadata", s, a.ID, "#billwatch", since, tsA, true, ""},
		{"after restart, by name", fresh, a.ID, "#billwatch", since, tsA, true, ""},
		{"by channel id", fresh, a.ID, "C0POLICY1", since, tsA, true, ""},
		{"thread reply", fresh, b.ID, "#billwatch", since, tsB, true, ""},
		{"by text marker", fresh, c.ID, "#billwatch-amendments", since, tsC, true, ""},
		{"other channel", fresh, a.ID, "#billwatch-ops", since, "", false, ""},
		{"not yet posted", fresh, "01NEVER", "#billwatch", since, "", false, ""},
		{"before since", fresh, a.ID, "#billwatch", time.Now().Add(time.Hour), "", false, ""},
		{"unknown channel", fresh, a.ID, "#nowhere", since, "", false, "channel_not_found"},
	}
	for _, tt := range tests {
		ref, ok, err := tt.s.Posted(t.Context(), tt.id, tt.ch, tt.since)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !deliveryErr(t, err).Permanent {
				t.Errorf("Posted(%s) error = %v, want permanent %s", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || ref != tt.want || ok != tt.wantOK {
			t.Errorf("Posted(%s) = %q, %v, %v; want %q, %v", tt.name, ref, ok, err, tt.want, tt.wantOK)
		}
	}
	ref, ok, err := fresh.PostedInThread(t.Context(), b.ID, "#billwatch", tsA, since)
	if err != nil || !ok || ref != tsB {
		t.Errorf("PostedInThread = %q, %v, %v; want %q", ref, ok, err, tsB)
	}
}

func TestSendContextCancelled(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t, reply{status: 503}, reply{status: 503})
	s := newTestSink(t, f, Config{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Send(ctx, sampleAlerts[0], "#billwatch", "")
	if err == nil || deliveryErr(t, err).Permanent || !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v, want a retryable error wrapping context.Canceled", err)
	}
}

func TestTest(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t, reply{}, reply{code: "not_in_channel"})
	s := newTestSink(t, f, Config{
		Channels: map[billwatch.Audience]string{billwatch.Members: "#billwatch", billwatch.Ops: "#nowhere"},
		Routes:   []Route{{MinSeverity: billwatch.Urgent, Channel: "#urgent"}, {Channel: "#billwatch"}},
	})
	res := s.Test(t.Context())
	type row struct {
		Channel   string
		Audiences []billwatch.Audience
		OK        bool
		Code      string
	}
	var got []row
	for _, r := range res {
		got = append(got, row{r.Channel, r.Audiences, r.OK, r.Code})
		if r.OK != (r.TS != "") || r.OK != (r.Err == nil) {
			t.Errorf("%s: OK %v with ts %q and error %v", r.Channel, r.OK, r.TS, r.Err)
		}
	}
	want := []row{
		{"#billwatch", []billwatch.Audience{billwatch.Policy, billwatch.Members}, true, ""},
		{"#billwatch-hearings", []billwatch.Audience{billwatch.Lobbying}, false, "not_in_channel"},
		{"#nowhere", []billwatch.Audience{billwatch.Ops}, false, "channel_not_found"},
		{"#urgent", nil, true, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Test (-want +got):\n%s", diff)
	}
	if n := len(f.received()); n != 4 {
		t.Errorf("Test posted %d messages, want 4 (one per distinct channel)", n)
	}
	for _, r := range res {
		if r.History != nil {
			t.Errorf("%s: history %v, want readable", r.Channel, r.History)
		}
	}
	// Without the history scope, every channel that took the message says what is missing.
	f.blind = true
	for _, r := range s.Test(t.Context()) {
		if !r.OK {
			continue
		}
		if r.History == nil || !strings.Contains(r.History.Error(), "missing_scope") || !strings.Contains(r.History.Error(), "needs channels:history") {
			t.Errorf("%s without the history scope: %v, want missing_scope naming channels:history", r.Channel, r.History)
		}
	}
}

// TestSendBroadcastsActionReplies: a reply that calls for action (a hearing reminder, a changed
// notice, a deadline reminder, a referral) is also sent to the channel, or nobody is notified
// of it under a days-old message; an info reply stays in its thread, and a first message is no
// reply.
func TestSendBroadcastsActionReplies(t *testing.T) {
	t.Parallel()
	byID := map[string]billwatch.Alert{}
	for _, a := range sampleAlerts {
		byID[a.ID] = a
	}
	tests := []struct {
		id, thread string
		want       bool
	}{
		{"01JDZ8K3Q4HEARREMND", "1700000000.000100", true},  // hearing reminder, urgent
		{"01JDZ8K3Q4HEARCHNGE", "1700000000.000100", true},  // hearing changed, action
		{"01JDZ8K3Q4DEADLINE0", "1700000000.000200", true},  // deadline reminder, urgent
		{"01JDZ8K3Q4BILLSTAGE", "1700000000.000300", true},  // referral, urgent
		{"01JDZ8K3Q4HEARCANCL", "1700000000.000400", false}, // an info cancellation stays in the thread
		{"01JDZ8K3Q4REGFINAL0", "1700000000.000200", false}, // final regulation, info
		{"01JDZ8K3Q4HEARREMND", "", false},                  // a first message is no reply
	}
	for _, tt := range tests {
		a, ok := byID[tt.id]
		if !ok {
			t.Fatalf("no sample alert %s", tt.id)
		}
		f := newFakeSlack(t)
		s := newTestSink(t, f, Config{})
		if _, err := s.Send(t.Context(), a, "#billwatch-hearings", tt.thread); err != nil {
			t.Fatalf("Send %s: %v", a.Kind, err)
		}
		posts := f.received()
		if len(posts) != 1 {
			t.Fatalf("Send %s made %d posts, want 1", a.Kind, len(posts))
		}
		if p := posts[0]; p.ThreadTS != tt.thread || p.Broadcast != tt.want {
			t.Errorf("%s (%s), thread %q: posted thread_ts %q reply_broadcast %v, want %q %v", a.Kind, a.Severity, tt.thread, p.ThreadTS, p.Broadcast, tt.thread, tt.want)
		}
	}
}
