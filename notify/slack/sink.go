// Package slack delivers billwatch alerts to Slack channels through chat.postMessage, as Block
// Kit messages with a plain-text fallback. It is the only package that imports slack-go.
//
// Delivery is at-least-once made exactly-once with the tracker's help: every message carries
// the alert ID in its metadata (and in its text), so Posted can tell whether an alert already
// reached a channel. Send makes one attempt and says how it failed; the tracker's drain alone
// retries, and asks Posted first when an attempt may have been acted on (a 5xx or a timeout).
// It does not import the tracker: its errors are billwatch.DeliveryError, which the drain reads.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/billwatch/billwatch"
	"github.com/slack-go/slack"
)

// MetadataEventType is the event type of the metadata every billwatch message carries.
const MetadataEventType = "billwatch_alert"

// Sink posts alerts to Slack. It implements the tracker's Sink and Reconciler. It is safe for
// concurrent use.
type Sink struct {
	set settings
	api *slack.Client
	log *slog.Logger

	mu  sync.Mutex
	ids map[string]string // channel name → ID, learned from Slack's answers

}

// New checks cfg and returns a sink. Its errors name the config key at fault, never the token.
func New(cfg Config) (*Sink, error) {
	set, err := validate(cfg)
	if err != nil {
		return nil, err
	}
	s := &Sink{
		set: set,
		log: set.logger.With("sink", "slack"),
		ids: map[string]string{},
		api: slack.New(set.token,
			slack.OptionHTTPClient(set.client),
			slack.OptionAPIURL(set.apiURL)),
	}
	return s, nil
}

// String describes the sink without its token.
func (s *Sink) String() string {
	return fmt.Sprintf("slack sink (api %s)", redactURL(s.set.apiURL))
}

// Name is the sink's name in deliveries.
func (s *Sink) Name() string { return "slack" }

// Channels returns where an alert goes: its audience's channel (policy's for an unknown
// audience, so that nothing is dropped), plus the channels of the routes it matches; a
// matching route with Replace takes the audience channel's place. Each channel appears once.
func (s *Sink) Channels(a billwatch.Alert) []string {
	var out []string
	replaced := false
	for _, r := range s.set.routes {
		if r.Replace && r.matches(a) {
			replaced = true
		}
	}
	if !replaced {
		ch, ok := s.set.channels[a.Audience]
		if !ok {
			ch = s.set.channels[billwatch.Policy]
		}
		out = append(out, ch)
	}
	for _, r := range s.set.routes {
		if r.matches(a) && !slices.Contains(out, r.Channel) {
			out = append(out, r.Channel)
		}
	}
	return out
}

// metadata is what Posted looks for.
func metadata(a billwatch.Alert) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: MetadataEventType, EventPayload: map[string]any{
		"alert_id": a.ID,
		"kind":     string(a.Kind),
	}}
}

// Send posts alert a to channel, as a reply in thread when thread is not "" (also sent to the
// channel unless it is info: see broadcast), and returns the message's ts. It makes one attempt and never retries: it returns a *billwatch.DeliveryError
// saying whether the tracker's drain should retry (after Slack's Retry-After on a rate limit),
// whether the post may have gone through (a 5xx, a dropped connection: the drain then asks
// Posted before posting again), or whether retrying cannot help. Should Slack refuse the
// blocks, the alert is posted once more as text only: another message, not a retry.
func (s *Sink) Send(ctx context.Context, a billwatch.Alert, channel, thread string) (string, error) {
	text, blocks := render(a, s.set.mention)
	base := []slack.MsgOption{
		slack.MsgOptionText(text, false), // escaped by render; the mention must stay live
		slack.MsgOptionMetadata(metadata(a)),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if thread != "" {
		base = append(base, slack.MsgOptionTS(thread))
		if broadcast(a) {
			base = append(base, slack.MsgOptionBroadcast())
		}
	}
	ts, err := s.post(ctx, channel, append(slices.Clone(base), slack.MsgOptionBlocks(blocks...)))
	if err != nil && isBlockError(err) {
		s.log.Warn("slack refused the blocks; posting the alert as text only",
			"alert", a.ID, "channel", channel, "error", err.Error())
		ts, err = s.post(ctx, channel, base)
	}
	if err != nil {
		s.log.Debug("alert not posted", "alert", a.ID, "channel", channel, "error", err.Error())
		return "", delivery(err)
	}
	s.log.Debug("alert posted", "alert", a.ID, "channel", channel, "ts", ts, "thread", thread)
	return ts, nil
}

// broadcast reports whether a reply in a thread is also sent to the channel ("Also send to
// channel"): every alert that calls for action or is urgent (a changed or cancelled hearing one
// is watching, a hearing or deadline reminder, a referral to committee, a next step due), so
// that nobody has to open a days-old thread to learn of it. Info follow-ups (a routine status
// change, a final regulation, a source recovered) stay in the thread.
func broadcast(a billwatch.Alert) bool {
	return a.Severity != billwatch.Info
}

// post sends one chat.postMessage and returns the message's ts, or an *Error.
func (s *Sink) post(ctx context.Context, channel string, opts []slack.MsgOption) (string, error) {
	chID, ts, err := s.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", classify("post to", channel, s.set.token, err)
	}
	if ts == "" {
		// {"ok":false} without an error code, or a body that is not Slack's: slack-go sees no
		// error, but there is no message to thread on or to record.
		return "", &Error{Op: "post to", Channel: channel, Code: "no_ts", ambiguous: true,
			msg: "Slack's answer has no message ts"}
	}
	s.remember(channel, chID)
	return ts, nil
}

// remember records the ID Slack gave for a channel name.
func (s *Sink) remember(channel, id string) {
	if id == "" || id == channel {
		return
	}
	s.mu.Lock()
	s.ids[channel] = id
	s.mu.Unlock()
}

// TestResult is Slack's answer to one test message.
type TestResult struct {
	// Channel is the channel as configured.
	Channel string
	// Audiences are the audiences whose alerts go to Channel (none for a route's channel).
	Audiences []billwatch.Audience
	// OK is true when Slack accepted the message; TS is then its ts.
	OK bool
	TS string
	// Code is Slack's error code when it refused ("channel_not_found"), "" otherwise.
	Code string
	// Err is the error, token-free, when OK is false.
	Err error
	// History is the failure to read the channel's history (conversations.history), nil
	// when it could be read or when the post failed. Without it, billwatch cannot tell
	// whether a post whose answer was lost went through.
	History error
}

// Test posts one test message to every configured channel, each once, then reads the
// channel's history as Posted does, and reports what Slack answered, for `billwatch slack test`.
func (s *Sink) Test(ctx context.Context) []TestResult {
	var results []TestResult
	index := map[string]int{}
	add := func(ch string, aud billwatch.Audience) {
		i, ok := index[ch]
		if !ok {
			i = len(results)
			index[ch] = i
			results = append(results, TestResult{Channel: ch})
		}
		if aud != "" {
			results[i].Audiences = append(results[i].Audiences, aud)
		}
	}
	for _, aud := range billwatch.Audiences {
		add(s.set.channels[aud], aud)
	}
	for _, r := range s.set.routes {
		add(r.Channel, "")
	}
	for i := range results {
		r := &results[i]
		text := "🧪 billwatch test message: billwatch can post here."
		if len(r.Audiences) > 0 {
			text += fmt.Sprintf(" This channel receives the %s alerts.", joinAudiences(r.Audiences))
		} else {
			text += " This channel receives alerts by routing rule."
		}
		ts, err := s.post(ctx, r.Channel, []slack.MsgOption{
			slack.MsgOptionText(text, true),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "billwatch_test", EventPayload: map[string]any{}}),
		})
		r.OK, r.TS, r.Err = err == nil, ts, err
		var e *Error
		if errors.As(err, &e) {
			r.Code = e.Code
		}
		if r.OK {
			r.History = s.readHistory(ctx, r.Channel)
		}
	}
	return results
}

// readHistory reads the newest message of channel, as Posted must be able to.
func (s *Sink) readHistory(ctx context.Context, channel string) error {
	chID, err := s.channelID(ctx, channel)
	if err != nil {
		return err
	}
	_, err = s.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: chID, Limit: 1})
	return classify("read history of", channel, s.set.token, err)
}

// joinAudiences writes "policy and lobbying".
func joinAudiences(as []billwatch.Audience) string {
	s := ""
	for i, a := range as {
		switch {
		case i == 0:
		case i == len(as)-1:
			s += " and "
		default:
			s += ", "
		}
		s += string(a)
	}
	return s
}
