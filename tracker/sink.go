package tracker

import (
	"context"
	"errors"
	"time"

	"github.com/billwatch/billwatch"
)

// Sink delivers alerts somewhere people read them: the console, Slack. The tracker drains its
// outbox into every sink; a sink never sees the store.
//
// A sink makes one attempt per call and never retries: the drain alone retries, with its
// backoff, in order per channel. A sink says how an attempt failed by returning a
// *DeliveryError; any other error is retried with the drain's backoff.
type Sink interface {
	// Name is the sink's name as `alerts` shows it: "console", "slack".
	Name() string
	// Channels returns where an alert goes; none means the sink does not take it.
	Channels(a billwatch.Alert) []string
	// Send posts one alert to one channel. thread is the reference of the first message
	// posted for the alert's Thread in that channel ("" for the first one); the returned
	// reference (Slack's ts) is stored with the delivery and becomes the thread for the next.
	Send(ctx context.Context, a billwatch.Alert, channel, thread string) (ref string, err error)
}

// DeliveryError is how a sink says that an attempt failed and what the drain should do about
// it, as alertmanager's notifiers do: retry (after RetryAfter, or after the drain's own
// backoff), or give up for good. Reconcilers return it too.
type DeliveryError struct {
	// Err is what went wrong, free of secrets.
	Err error
	// Permanent means that retrying cannot help until someone fixes the configuration (a bad
	// token, an unknown channel, a missing scope): the delivery is marked failed and an ops
	// alert raised.
	Permanent bool
	// RetryAfter is how long the service asked billwatch to wait (a rate limit); zero leaves
	// the wait to the drain's backoff.
	RetryAfter time.Duration
	// MayHavePosted means the request may have reached the service and been acted on (a 5xx,
	// a dropped connection): before sending again the drain asks a Reconciler whether it was.
	MayHavePosted bool
	// Key says which failures are one failure for the ops alert (a bad token is one failure
	// for every channel); "" means the channel and the message.
	Key string

	asked bool // a failure to ask a Reconciler, set by the drain itself
}

// Error is the underlying error's message.
func (e *DeliveryError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error, so that errors.Is finds context.Canceled.
func (e *DeliveryError) Unwrap() error { return e.Err }

// asDelivery reads err as the drain does: a *DeliveryError as it is, anything else as a
// retryable failure.
func asDelivery(err error) *DeliveryError {
	var de *DeliveryError
	if errors.As(err, &de) {
		return de
	}
	return &DeliveryError{Err: err}
}

// Reconciler is a sink that can tell whether an alert was already posted. After a crash between
// posting and recording the post, the drain asks it before posting again, so that nothing is
// posted twice.
type Reconciler interface {
	// Posted looks for a message of alert id in channel, posted at or after since. It returns
	// the message's reference when found.
	Posted(ctx context.Context, id, channel string, since time.Time) (ref string, found bool, err error)
}

// ThreadReconciler is a Reconciler that can look inside a thread, where replies posted to a
// thread are found (a channel's history lists only thread parents).
type ThreadReconciler interface {
	PostedInThread(ctx context.Context, id, channel, thread string, since time.Time) (ref string, found bool, err error)
}

// DigestSink is a sink that can post several info alerts as one message: a channel's daily
// digest. id identifies the digest as an alert id does, for reconciliation.
type DigestSink interface {
	SendDigest(ctx context.Context, id, channel string, alerts []billwatch.Alert) (ref string, err error)
}

// Digest gathers the info alerts of one sink's channel into one message a day, at Hour:Minute
// Eastern. Action and urgent alerts are never held back.
type Digest struct {
	Sink, Channel string
	Hour, Minute  int
}

// due is the latest digest time at or before now.
func (d Digest) due(now time.Time) time.Time {
	e := now.In(billwatch.Eastern)
	t := time.Date(e.Year(), e.Month(), e.Day(), d.Hour, d.Minute, 0, 0, billwatch.Eastern)
	if t.After(now) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}
