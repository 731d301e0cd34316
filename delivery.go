package billwatch

import "time"

// DeliveryError is how a sink (notify/*) says that an attempt failed and what the tracker's
// outbox drain should do about it, as alertmanager's notifiers do: retry (after RetryAfter,
// or after the drain's own backoff), or give up for good. Reconcilers return it too. A sink
// makes one attempt per call and never retries; only the drain does.
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
}

// Error is the underlying error's message.
func (e *DeliveryError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error, so that errors.Is finds context.Canceled.
func (e *DeliveryError) Unwrap() error { return e.Err }
