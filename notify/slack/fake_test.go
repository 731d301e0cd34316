package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "xoxb-1234567890-SECRETSECRET-abcdef"

// fakeChannels are the channels the fake Slack knows, by name and ID.
var fakeChannels = map[string]string{
	"#billwatch":            "C0POLICY1",
	"#billwatch-hearings":   "C0HEARING",
	"#billwatch-amendments": "C0AMENDS1",
	"#billwatch-ops":        "C0OPSOPS1",
	"#urgent":               "C0URGENT1",
	"#gazette":              "C0GAZETTE",
}

// received is one chat.postMessage request as the fake Slack saw it.
type received struct {
	Channel  string
	Text     string
	ThreadTS string
	Blocks   json.RawMessage
	Metadata string
	// Broadcast is reply_broadcast: the reply is also sent to the channel.
	Broadcast bool
}

// stored is a message "in Slack".
type stored struct {
	ChannelID string
	TS        string
	ThreadTS  string
	Text      string
	Metadata  json.RawMessage
}

// reply scripts the answer to one chat.postMessage call.
type reply struct {
	status     int    // HTTP status; 0 means 200
	retryAfter string // Retry-After header
	code       string // Slack error code for {"ok":false}
	store      bool   // keep the message even though the answer is an error (a lost answer)
	drop       bool   // close the connection without answering
	empty      bool   // answer {"ok":false} with no error code
}

// fakeSlack is a Web API stand-in that records every chat.postMessage and answers
// conversations.history, conversations.replies and conversations.list from what it kept.
type fakeSlack struct {
	srv *httptest.Server

	mu      sync.Mutex
	script  []reply
	posts   []received
	msgs    []stored
	lookups int  // history + replies calls
	noMeta  bool // return messages without their metadata
	blind   bool // history and replies fail with missing_scope
	micro   int64
}

func newFakeSlack(t *testing.T, script ...reply) *fakeSlack {
	t.Helper()
	f := &fakeSlack{script: script, micro: time.Now().UnixMicro()}
	mux := http.NewServeMux()
	mux.HandleFunc("/chat.postMessage", f.postMessage)
	mux.HandleFunc("/conversations.history", f.history)
	mux.HandleFunc("/conversations.replies", f.replies)
	mux.HandleFunc("/conversations.list", f.list)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) url() string { return f.srv.URL + "/" }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// authed checks the token the way Slack does; it writes the error itself.
func authed(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_form_data"})
		return nil, false
	}
	tok := r.PostForm.Get("token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	if tok != testToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return nil, false
	}
	return r.PostForm, true
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	form, ok := authed(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rec := received{Channel: form.Get("channel"), Text: form.Get("text"), ThreadTS: form.Get("thread_ts"),
		Blocks: json.RawMessage(form.Get("blocks")), Metadata: form.Get("metadata"),
		Broadcast: form.Get("reply_broadcast") == "true"}
	f.posts = append(f.posts, rec)
	var rep reply
	if len(f.script) > 0 {
		rep, f.script = f.script[0], f.script[1:]
	}
	id, known := fakeChannels[rec.Channel]
	if strings.HasPrefix(rec.Channel, "C") {
		id, known = rec.Channel, true
	}
	if rep.status == 0 && rep.code == "" && !rep.drop && !rep.empty && !known {
		rep.code = "channel_not_found"
	}
	var ts string
	if rep.store || (rep.status == 0 && rep.code == "" && !rep.drop && !rep.empty) {
		f.micro++
		ts = fmt.Sprintf("%d.%06d", f.micro/1e6, f.micro%1e6)
		meta := json.RawMessage(rec.Metadata)
		if f.noMeta || len(meta) == 0 {
			meta = nil
		}
		f.msgs = append(f.msgs, stored{ChannelID: id, TS: ts, ThreadTS: rec.ThreadTS, Text: rec.Text, Metadata: meta})
	}
	switch {
	case rep.drop:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case rep.empty:
		writeJSON(w, map[string]any{"ok": false})
	case rep.status != 0:
		if rep.retryAfter != "" {
			w.Header().Set("Retry-After", rep.retryAfter)
		}
		w.WriteHeader(rep.status)
		fmt.Fprintln(w, "<html>slack is having a moment</html>")
	case rep.code != "":
		writeJSON(w, map[string]any{"ok": false, "error": rep.code})
	default:
		writeJSON(w, map[string]any{"ok": true, "channel": id, "ts": ts, "message": map[string]any{"ts": ts, "text": rec.Text}})
	}
}

// message renders a stored message as conversations.history does.
func (f *fakeSlack) message(m stored) map[string]any {
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

func (f *fakeSlack) history(w http.ResponseWriter, r *http.Request) {
	form, ok := authed(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	if f.blind {
		writeJSON(w, map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:history", "provided": "chat:write"})
		return
	}
	ch, oldest := form.Get("channel"), form.Get("oldest")
	var out []map[string]any
	for _, m := range slices.Backward(f.msgs) { // newest first
		if m.ChannelID == ch && m.ThreadTS == "" && !tsBefore(m.TS, oldest) {
			out = append(out, f.message(m))
		}
	}
	writeJSON(w, map[string]any{"ok": true, "messages": out, "has_more": false})
}

func (f *fakeSlack) replies(w http.ResponseWriter, r *http.Request) {
	form, ok := authed(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	if f.blind {
		writeJSON(w, map[string]any{"ok": false, "error": "missing_scope", "needed": "channels:history", "provided": "chat:write"})
		return
	}
	ch, parent, oldest := form.Get("channel"), form.Get("ts"), form.Get("oldest")
	var out []map[string]any
	for _, m := range f.msgs {
		if m.ChannelID == ch && (m.TS == parent || m.ThreadTS == parent) && !tsBefore(m.TS, oldest) {
			out = append(out, f.message(m))
		}
	}
	writeJSON(w, map[string]any{"ok": true, "messages": out, "has_more": false})
}

func (f *fakeSlack) list(w http.ResponseWriter, r *http.Request) {
	if _, ok := authed(w, r); !ok {
		return
	}
	var out []map[string]any
	for name, id := range fakeChannels {
		out = append(out, map[string]any{"id": id, "name": strings.TrimPrefix(name, "#"), "is_channel": true})
	}
	writeJSON(w, map[string]any{"ok": true, "channels": out, "response_metadata": map[string]any{"next_cursor": ""}})
}

func (f *fakeSlack) received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.posts)
}

// testSink is a sink on the fake, with a captured log.
type testSink struct {
	*Sink
	logs *bytes.Buffer
}

func newTestSink(t *testing.T, f *fakeSlack, cfg Config) *testSink {
	t.Helper()
	ts := &testSink{logs: &bytes.Buffer{}}
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	cfg.APIURL = f.url()
	cfg.HTTPClient = f.srv.Client()
	cfg.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: ts.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts.Sink = s
	return ts
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
