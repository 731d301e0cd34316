// Package slack delivers billwatch alerts to Slack channels through chat.postMessage, as Block
// Kit messages with a plain-text fallback. It is the only package that imports slack-go.
//
// Delivery is at-least-once made exactly-once with the tracker's help: every message carries
// the alert ID in its metadata (and in its text), so Posted can tell whether an alert already
// reached a channel, and Send checks the same before retrying a request that may have been
// acted on (a 5xx or a timeout).
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/cenkalti/backoff/v5"
	"github.com/slack-go/slack"
)

// Retry policy of Send. A 429 whose Retry-After is at most maxRateLimitWait is waited out
// inside Send (at most maxRateLimitWaits times); a longer one is returned as a *RateLimitError
// so that the tracker's drain waits instead. 5xx and network errors are retried inside Send
// with exponential backoff, at most maxTries attempts within maxElapsed, then returned as a
// retryable *Error for a later drain.
const (
	maxTries          = 3
	maxElapsed        = 20 * time.Second
	maxRateLimitWait  = 10 * time.Second
	maxRateLimitWaits = 2
	// clockSkew widens the search for a message that may have been posted, since Slack's ts
	// is Slack's clock, not ours.
	clockSkew = 2 * time.Minute
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

	// Hooks for tests: how to wait, how to back off, what time it is.
	wait       func(ctx context.Context, d time.Duration) error
	newBackOff func() backoff.BackOff
	now        func() time.Time
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
		wait: sleep,
		newBackOff: func() backoff.BackOff {
			b := backoff.NewExponentialBackOff()
			b.InitialInterval = time.Second
			b.MaxInterval = 8 * time.Second
			return b
		},
		now: time.Now,
	}
	return s, nil
}

// String describes the sink without its token.
func (s *Sink) String() string {
	return fmt.Sprintf("slack sink (api %s)", redactURL(s.set.apiURL))
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
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

// Send posts alert a to channel, as a reply in thread when thread is not "". It returns the
// message's ts. On a rate limit it waits (briefly) or returns a *RateLimitError; 5xx and network
// errors are retried a few times, then returned as retryable; errors that retrying cannot fix
// are permanent. Should Slack refuse the blocks, the alert is posted again as text only.
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
	}
	start := s.now()
	ts, err := s.post(ctx, a.ID, channel, thread, start, append(slices.Clone(base), slack.MsgOptionBlocks(blocks...)))
	if err != nil && isBlockError(err) {
		s.log.Warn("slack refused the blocks; posting the alert as text only",
			"alert", a.ID, "channel", channel, "error", err.Error())
		ts, err = s.post(ctx, a.ID, channel, thread, start, base)
	}
	if err != nil {
		return "", err
	}
	s.log.Debug("alert posted", "alert", a.ID, "channel", channel, "ts", ts, "thread", thread)
	return ts, nil
}

// post sends one chat.postMessage with the retry policy above. When id is not "", a failure
// that may have been acted on is followed by a look for the message before trying again.
func (s *Sink) post(ctx context.Context, id, channel, thread string, start time.Time, opts []slack.MsgOption) (string, error) {
	for waits := 0; ; waits++ {
		attempt := 0
		ts, err := backoff.Retry(ctx, func() (string, error) {
			attempt++
			chID, ts, err := s.api.PostMessageContext(ctx, channel, opts...)
			if err == nil && ts != "" {
				s.remember(channel, chID)
				return ts, nil
			}
			if err == nil {
				// {"ok":false} without an error code, or a body that is not Slack's: slack-go
				// sees no error, but there is no message to thread on or to record.
				err = &Error{Op: "post to", Channel: channel, Code: "no_ts", ambiguous: true,
					msg: "Slack's answer has no message ts"}
			} else {
				err = classify("post to", channel, s.set.token, err)
			}
			var e *Error
			var rl *RateLimitError
			if errors.As(err, &rl) || !errors.As(err, &e) || e.permanent || ctx.Err() != nil {
				return "", backoff.Permanent(err)
			}
			if e.ambiguous && id != "" {
				ref, found, ferr := s.find(ctx, id, channel, thread, start.Add(-clockSkew))
				switch {
				case ferr != nil:
					// Unsure whether it was posted: stop, rather than risk posting twice.
					s.log.Warn("slack: cannot tell whether a failed post went through; leaving it to a later drain",
						"alert", id, "channel", channel, "error", err.Error(), "lookup_error", ferr.Error())
					return "", backoff.Permanent(err)
				case found:
					s.log.Info("slack: the failed post had gone through", "alert", id, "channel", channel, "ts", ref)
					return ref, nil
				}
			}
			s.log.Warn("slack: post failed, retrying", "alert", id, "channel", channel, "attempt", attempt, "error", err.Error())
			return "", err
		},
			backoff.WithBackOff(s.newBackOff()),
			backoff.WithMaxTries(maxTries),
			backoff.WithMaxElapsedTime(maxElapsed))
		if err == nil {
			return ts, nil
		}
		var rl *RateLimitError
		if errors.As(err, &rl) && rl.Wait <= maxRateLimitWait && waits < maxRateLimitWaits {
			s.log.Info("slack: rate limited, waiting", "alert", id, "channel", channel, "wait", rl.Wait)
			if werr := s.wait(ctx, rl.Wait); werr != nil {
				return "", classify("post to", channel, s.set.token, werr)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) { // the context ended between tries
			err = classify("post to", channel, s.set.token, err)
		}
		return "", err
	}
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
}

// Test posts one test message to every configured channel, each once, and reports what Slack
// answered, for `billwatch slack test`.
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
		ts, err := s.post(ctx, "", r.Channel, "", s.now(), []slack.MsgOption{
			slack.MsgOptionText(text, true),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "billwatch_test", EventPayload: map[string]any{}}),
		})
		r.OK, r.TS, r.Err = err == nil, ts, err
		var e *Error
		if errors.As(err, &e) {
			r.Code = e.Code
		}
	}
	return results
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
