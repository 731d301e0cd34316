package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// Error is a failure to talk to Slack. Its message names the channel and Slack's error code,
// never the token. The sink hands it to the tracker inside a *billwatch.DeliveryError, which
// says whether retrying can help.
type Error struct {
	// Op is what was being done: "post", "read history", "list channels".
	Op string
	// Channel is the channel concerned, as configured.
	Channel string
	// Code is Slack's error code ("channel_not_found"), "http_503", or "" for a network error.
	Code      string
	permanent bool
	// ambiguous is true when the request may have reached Slack and been acted on.
	ambiguous bool
	// wait is how long Slack asked us to wait (a rate limit), zero otherwise.
	wait  time.Duration
	msg   string
	cause error
}

// Error describes the failure with the channel and Slack's code.
func (e *Error) Error() string {
	s := "slack: " + e.Op
	if e.Channel != "" {
		s += " " + e.Channel
	}
	return s + ": " + e.msg
}

// tokenWide are the codes that concern the token, not a channel: one ops alert is enough.
var tokenWide = []string{"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "missing_scope", "not_allowed_token_type", "team_access_not_granted"}

// failureKey says which failures are the same failure: a token-wide code is one failure for
// every channel; any other is per channel.
func (e *Error) failureKey() string {
	if slices.Contains(tokenWide, e.Code) {
		return e.Code
	}
	return e.Channel + ":" + e.Code
}

// Unwrap returns the underlying cause (already free of the token), so that errors.Is finds
// context.Canceled and context.DeadlineExceeded.
func (e *Error) Unwrap() error { return e.cause }

// delivery wraps err for the tracker: permanent when retrying cannot help until someone fixes
// the token, the channel or the message; with Slack's wait on a rate limit; MayHavePosted when
// the request may have been acted on (a 5xx, a dropped connection, a timeout), so that the
// drain asks before posting again. An error that is not an *Error (none is expected) is
// retryable and may have been posted.
func delivery(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return &billwatch.DeliveryError{Err: err, MayHavePosted: true}
	}
	return &billwatch.DeliveryError{Err: err, Permanent: e.permanent, RetryAfter: e.wait,
		MayHavePosted: e.ambiguous, Key: e.failureKey()}
}

// permanentCodes are Slack error codes that retrying will not fix, with advice for people.
var permanentCodes = map[string]string{
	"invalid_auth":             "Slack rejected the bot token; check the variable named by slack.token_env",
	"not_authed":               "no bot token reached Slack; check the variable named by slack.token_env",
	"account_inactive":         "the bot token belongs to a deleted user or workspace",
	"token_revoked":            "the bot token was revoked; install the app again and update the token",
	"token_expired":            "the bot token expired; rotate it and update the variable named by slack.token_env",
	"no_permission":            "the token lacks a permission this needs",
	"missing_scope":            "the token lacks an OAuth scope (chat:write to post; channels:history, groups:history and channels:read to reconcile)",
	"not_allowed_token_type":   "this needs a bot token (xoxb-…)",
	"channel_not_found":        "the channel does not exist, or it is private and the bot was not invited",
	"not_in_channel":           "the bot is not a member of the channel; invite it with /invite",
	"is_archived":              "the channel is archived",
	"restricted_action":        "the workspace does not allow the bot to post there",
	"msg_too_long":             "the message is too long",
	"msg_blocks_too_long":      "the message blocks are too long",
	"invalid_blocks":           "Slack rejected the message blocks",
	"invalid_blocks_format":    "Slack rejected the message blocks",
	"no_text":                  "the message has no text",
	"invalid_arguments":        "Slack rejected the request's arguments",
	"invalid_metadata_format":  "Slack rejected the message metadata",
	"invalid_metadata_schema":  "Slack rejected the message metadata",
	"metadata_too_large":       "the message metadata is too large",
	"team_access_not_granted":  "the token has no access to this workspace",
	"ekm_access_denied":        "the workspace's key management denied access",
	"as_user_not_supported":    "the app cannot post as a user",
	"cannot_reply_to_message":  "the message cannot be replied to in a thread",
	"thread_reply_not_allowed": "replies are not allowed in this thread",
}

// blockCodes are the permanent codes that a text-only message may still get past.
var blockCodes = []string{"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"}

// classify turns what slack-go returned into an *Error, with the token
// redacted from every message.
func classify(op, channel, token string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op, Channel: channel}
	var (
		rl   *slack.RateLimitedError
		sc   slack.StatusCodeError
		resp slack.SlackErrorResponse
	)
	switch {
	case errors.As(err, &rl):
		e.Code, e.msg = "ratelimited", fmt.Sprintf("rate limited by Slack, retry after %s", rl.RetryAfter)
		e.wait = rl.RetryAfter
		return e
	case errors.As(err, &sc):
		e.Code = fmt.Sprintf("http_%d", sc.Code)
		e.msg = fmt.Sprintf("http %s", strings.TrimSpace(sc.Status))
		if sc.Code == http.StatusTooManyRequests { // a 429 without Retry-After
			e.msg += " without Retry-After"
			e.wait = defaultRetryAfter
			return e
		}
		// 5xx may have been processed (a gateway timing out after Slack posted); 4xx was not.
		e.ambiguous = sc.Code >= 500
		e.permanent = sc.Code >= 400 && sc.Code < 500 && sc.Code != http.StatusRequestTimeout
	case errors.As(err, &resp):
		e.Code = resp.Err
		if advice, ok := permanentCodes[resp.Err]; ok {
			e.permanent = true
			e.msg = resp.Err + ": " + advice
		} else {
			e.msg = resp.Err
		}
		if resp.Needed != "" {
			e.msg += fmt.Sprintf(" (needs %s; the token has %s)", resp.Needed, resp.Provided)
		}
		if resp.Err == "ratelimited" || resp.Err == "rate_limited" {
			e.wait = defaultRetryAfter
		}
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		e.msg = redact(err.Error(), token)
		e.cause = err
		e.ambiguous = true
		return e
	default:
		// Network errors: only a failure to connect proves nothing was sent.
		var op *net.OpError
		e.ambiguous = !(errors.As(err, &op) && op.Op == "dial")
		e.msg = redact(err.Error(), token)
	}
	if e.msg == "" {
		e.msg = redact(err.Error(), token)
	}
	e.msg = redact(e.msg, token)
	e.Code = redact(e.Code, token)
	// The cause is kept only when it cannot leak the token through its own message.
	if !strings.Contains(err.Error(), token) {
		e.cause = err
	}
	return e
}

// defaultRetryAfter is the wait when Slack rate-limits without saying for how long.
const defaultRetryAfter = 30 * time.Second

// redact removes the token (and anything shaped like a Slack token) from s.
func redact(s, token string) string {
	if token != "" {
		s = strings.ReplaceAll(s, token, "[REDACTED]")
	}
	return tokenShape.ReplaceAllString(s, "$1-[REDACTED]")
}

// isBlockError reports whether Slack refused the blocks rather than the message.
func isBlockError(err error) bool {
	var e *Error
	return errors.As(err, &e) && slices.Contains(blockCodes, e.Code)
}

// tokenShape matches Slack tokens (xoxb-…, xoxp-…, xapp-…), in case one arrives from elsewhere.
var tokenShape = lazyre.New(`\b(xox[a-z]|xapp)-[0-9A-Za-z-]+`)
