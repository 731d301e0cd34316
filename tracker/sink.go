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
// it. It is billwatch.DeliveryError, declared in the root package so that the sinks in notify
// need not import the tracker.
type DeliveryError = billwatch.DeliveryError

// askFailure is the Err of the DeliveryError the drain itself makes when it fails to ask a
// Reconciler whether a message was posted (see uncertain).
type askFailure struct{ err error }

func (e *askFailure) Error() string { return e.err.Error() }
func (e *askFailure) Unwrap() error { return e.err }

// asked reports whether de is a failure to ask a Reconciler, made by uncertain.
func asked(de *DeliveryError) bool {
	_, ok := de.Err.(*askFailure)
	return ok
}

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
