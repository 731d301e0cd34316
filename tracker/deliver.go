package tracker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// DeliverySummary counts what one drain of the outbox did.
type DeliverySummary struct {
	Sent, Failed, Retrying, Waiting int
	// SentBy and FailedBy count per sink, for metrics.
	SentBy, FailedBy map[string]int
}

func (d *DeliverySummary) sent(sink string) {
	d.Sent++
	if d.SentBy == nil {
		d.SentBy = map[string]int{}
	}
	d.SentBy[sink]++
}

func (d *DeliverySummary) failed(sink string) {
	d.Failed++
	if d.FailedBy == nil {
		d.FailedBy = map[string]int{}
	}
	d.FailedBy[sink]++
}

// Line is the one-line summary of a drain.
func (d DeliverySummary) Line() string {
	return fmt.Sprintf("delivery: %d sent, %d failed for good, %d to retry, %d waiting", d.Sent, d.Failed, d.Retrying, d.Waiting)
}

func threadKey(sink, channel, thread string) []byte {
	return []byte(sink + "\x00" + channel + "\x00" + thread)
}

// retryDelay is the wait before attempt n+1 (n ≥ 1): 30 s doubling, at most 15 minutes.
func retryDelay(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 15*time.Minute; i++ {
		d *= 2
	}
	return min(d, 15*time.Minute)
}

// Deliver drains the outbox: every pending delivery whose time has come is sent to its sink,
// in the order the alerts were raised. Each attempt is recorded before the sink is called and
// its outcome after, each in its own short transaction, so that a crash in between is found on
// the next drain and reconciled rather than posted twice.
func (t *Tracker) Deliver(ctx context.Context) (DeliverySummary, error) {
	var sum DeliverySummary
	sinks := map[string]Sink{}
	for _, s := range t.Sinks {
		sinks[s.Name()] = s
	}
	digests := map[string]Digest{}
	for _, d := range t.Digests {
		digests[d.Sink+"\x00"+d.Channel] = d
	}
	batches := map[string][]digestItem{}
	blocked := map[string]bool{} // sink+channel with an earlier delivery waiting: keep order
	// A drain may queue alerts of its own (a sink refusing for good); they go out in the same
	// drain, in a second round over what is newer than the first.
	var after uint64
	for round := 0; round < 3; round++ {
		pending, err := t.pendingAfter(after)
		if err != nil || len(pending) == 0 {
			return sum, err
		}
		after = pending[len(pending)-1].seq
		for _, it := range pending {
			for i := range it.alert.Deliveries {
				if ctx.Err() != nil {
					return sum, ctx.Err()
				}
				d := it.alert.Deliveries[i]
				if d.State != billwatch.DeliveryPending {
					continue
				}
				sink := sinks[d.Sink]
				lane := d.Sink + "\x00" + d.Channel
				if dg, ok := digests[lane]; ok && it.alert.Severity == billwatch.Info && sink != nil {
					if _, can := sink.(DigestSink); can {
						// Held for the digest; it never holds back the lane's other alerts.
						if it.alert.Created.After(dg.due(t.now())) || t.now().Before(d.NextAttempt) {
							sum.Waiting++
						} else {
							batches[lane] = append(batches[lane], digestItem{seq: it.seq, i: i, alert: it.alert})
						}
						continue
					}
				}
				if sink == nil || blocked[lane] || t.now().Before(d.NextAttempt) {
					sum.Waiting++
					blocked[lane] = true
					continue
				}
				still, err := t.deliverOne(ctx, it.seq, it.alert, i, sink, &sum)
				if err != nil {
					return sum, err
				}
				blocked[lane] = blocked[lane] || still
			}
		}
		for lane, items := range batches {
			if err := t.deliverDigest(ctx, digests[lane], sinks[digests[lane].Sink], items, &sum); err != nil {
				return sum, err
			}
			delete(batches, lane)
		}
	}
	return sum, nil
}

// pendingItem is an alert with a delivery pending.
type pendingItem struct {
	seq   uint64
	alert billwatch.Alert
}

// pendingAfter lists the outbox's alerts raised after seq, in order.
func (t *Tracker) pendingAfter(seq uint64) ([]pendingItem, error) {
	var out []pendingItem
	err := t.Store.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bktAlerts)
		c := tx.Bucket(bktOutbox).Cursor()
		for k, _ := c.Seek(be(seq + 1)); k != nil; k, _ = c.Next() {
			var a billwatch.Alert
			if _, err := getJSON(all, k, &a); err != nil {
				return err
			}
			out = append(out, pendingItem{seq: beUint(k), alert: a})
		}
		return nil
	})
	return out, err
}

// digestItem is one delivery gathered into a digest.
type digestItem struct {
	seq   uint64
	i     int
	alert billwatch.Alert
}

// deliverDigest posts the gathered info alerts of one channel as one message. Like a single
// delivery, the attempt is recorded first and reconciled after a crash.
func (t *Tracker) deliverDigest(ctx context.Context, dg Digest, sink Sink, items []digestItem, sum *DeliverySummary) error {
	due := dg.due(t.now())
	id := "digest-" + Hash([]byte(dg.Sink + "\x00" + dg.Channel + "\x00" + due.UTC().Format(time.RFC3339)))[:16]
	var alerts []billwatch.Alert
	var started time.Time
	for _, it := range items {
		alerts = append(alerts, it.alert)
		if s := it.alert.Deliveries[it.i].Started; !s.IsZero() && (started.IsZero() || s.Before(started)) {
			started = s
		}
	}
	record := func(ref string, err error) error {
		for _, it := range items {
			if err := t.recordOutcome(it.seq, it.i, ref, err, sink.Name(), false); err != nil {
				return err
			}
		}
		return nil
	}
	if r, ok := sink.(Reconciler); ok && !started.IsZero() {
		ref, found, err := r.Posted(ctx, id, dg.Channel, started.Add(-time.Minute))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // shutdown: the digest stays started, and is asked about next time
			}
			err = fmt.Errorf("check whether digest %s was posted: %w", id, err)
			if t.now().Before(started.Add(t.confirmWithin())) {
				sum.Retrying += len(items)
				return record("", uncertain(err))
			}
			t.Log.Warn("digest unconfirmed for too long; posting it again marked as a possible duplicate",
				"sink", sink.Name(), "channel", dg.Channel, "digest", id, "since", started, "error", err)
			for i := range alerts {
				alerts[i] = markPossibleDuplicate(alerts[i], started, err)
			}
		}
		if found {
			for range items {
				sum.sent(sink.Name())
			}
			return record(ref, nil)
		}
	}
	if err := t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktAlerts)
		for _, it := range items {
			var cur billwatch.Alert
			if _, err := getJSON(b, be(it.seq), &cur); err != nil {
				return err
			}
			cur.Deliveries[it.i].Started = t.now().UTC()
			cur.Deliveries[it.i].Attempts++
			if err := putJSON(b, be(it.seq), cur); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	ref, err := sink.(DigestSink).SendDigest(ctx, id, dg.Channel, alerts)
	for range items {
		switch {
		case err == nil:
			sum.sent(sink.Name())
		case asDelivery(err).Permanent:
			sum.failed(sink.Name())
		default:
			sum.Retrying++
		}
	}
	if err != nil {
		t.Log.Warn("digest not delivered", "sink", sink.Name(), "channel", dg.Channel, "alerts", len(items), "error", err)
	}
	return record(ref, err)
}

// deliverOne makes one attempt at delivery i of an alert.
// It reports whether the delivery is still pending (to be retried), which holds back the
// later alerts of its channel.
func (t *Tracker) deliverOne(ctx context.Context, seq uint64, a billwatch.Alert, i int, sink Sink, sum *DeliverySummary) (bool, error) {
	d := a.Deliveries[i]
	var thread string
	if err := t.Store.view(func(tx *bolt.Tx) error {
		thread = string(tx.Bucket(bktThreads).Get(threadKey(d.Sink, d.Channel, a.Thread)))
		return nil
	}); err != nil {
		return false, err
	}
	// An attempt that started and never finished may have been posted: ask the sink. A
	// failure to ask is never permanent: the delivery waits and asks again, for at most the
	// hold, then posts again marked as a possible duplicate (see ConfirmWithin).
	var unsure error
	if !d.Started.IsZero() {
		since := d.Started.Add(-time.Minute)
		var ref string
		var found, asked bool
		var err error
		if tr, ok := sink.(ThreadReconciler); ok && thread != "" {
			ref, found, err = tr.PostedInThread(ctx, a.ID, d.Channel, thread, since)
			asked = true
		} else if r, ok := sink.(Reconciler); ok {
			ref, found, err = r.Posted(ctx, a.ID, d.Channel, since)
			asked = true
		}
		if asked && err != nil {
			if ctx.Err() != nil {
				return true, ctx.Err() // shutdown: the delivery stays started, and is asked about next time
			}
			err = fmt.Errorf("check whether alert %s was posted: %w", a.ID, err)
			if t.now().Before(d.Started.Add(t.confirmWithin())) {
				sum.Retrying++
				return true, t.recordOutcome(seq, i, "", uncertain(err), sink.Name(), true)
			}
			unsure = err
			t.Log.Warn("delivery unconfirmed for too long; posting it again marked as a possible duplicate",
				"sink", d.Sink, "channel", d.Channel, "alert", a.ID, "since", d.Started, "error", err)
		}
		if found {
			sum.sent(sink.Name())
			return false, t.recordOutcome(seq, i, ref, nil, sink.Name(), true)
		}
	}
	err := t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktAlerts)
		var cur billwatch.Alert
		if _, err := getJSON(b, be(seq), &cur); err != nil {
			return err
		}
		cur.Deliveries[i].Started = t.now().UTC()
		cur.Deliveries[i].Attempts++
		cur.Deliveries[i].PossibleDuplicate = cur.Deliveries[i].PossibleDuplicate || unsure != nil
		return putJSON(b, be(seq), cur)
	})
	if err != nil {
		return false, err
	}
	if unsure != nil {
		a = markPossibleDuplicate(a, d.Started, unsure)
	}
	ref, sendErr := sink.Send(ctx, a, d.Channel, thread)
	permanent := sendErr != nil && asDelivery(sendErr).Permanent
	switch {
	case sendErr == nil:
		sum.sent(sink.Name())
	case permanent:
		sum.failed(sink.Name())
		t.Log.Error("delivery failed for good", "sink", d.Sink, "channel", d.Channel, "alert", a.ID, "error", sendErr)
	default:
		sum.Retrying++
		t.Log.Warn("delivery will be retried", "sink", d.Sink, "channel", d.Channel, "alert", a.ID, "error", sendErr)
	}
	still := sendErr != nil && !permanent
	return still, t.recordOutcome(seq, i, ref, sendErr, sink.Name(), true)
}

// recordOutcome records how an attempt ended. With thread, a sent message becomes the thread
// of its alert's later messages in that channel (a digest does not).
func (t *Tracker) recordOutcome(seq uint64, i int, ref string, sendErr error, sinkName string, thread bool) error {
	return t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktAlerts)
		var a billwatch.Alert
		if _, err := getJSON(b, be(seq), &a); err != nil {
			return err
		}
		d := &a.Deliveries[i]
		now := t.now().UTC()
		d.Updated = now
		var de *DeliveryError
		if sendErr != nil {
			de = asDelivery(sendErr)
		}
		// After an attempt that may have been posted, the next one asks first.
		if de == nil || !de.MayHavePosted {
			d.Started = time.Time{}
		}
		switch {
		case sendErr == nil:
			d.State, d.TS, d.Error, d.NextAttempt = billwatch.DeliverySent, ref, "", time.Time{}
			if ref != "" && thread {
				tk := threadKey(d.Sink, d.Channel, a.Thread)
				if tx.Bucket(bktThreads).Get(tk) == nil {
					if err := tx.Bucket(bktThreads).Put(tk, []byte(ref)); err != nil {
						return err
					}
				}
			}
		case de.Permanent:
			d.State, d.Error = billwatch.DeliveryFailed, sendErr.Error()
			if err := t.queueSinkFailure(tx, sinkName, d.Channel, de); err != nil {
				return err
			}
		default:
			d.Error = sendErr.Error()
			wait := retryDelay(d.Attempts)
			if asked(de) {
				d.Attempts++ // asking counts as an attempt, so that the backoff grows
				wait = retryDelay(d.Attempts)
				// The hold ends on time, whatever the backoff says.
				if end := d.Started.Add(t.confirmWithin()); now.Add(wait).After(end) {
					wait = max(end.Sub(now), 0)
				}
				var lookup *DeliveryError
				if errors.As(de.Err, &lookup) && lookup.Permanent {
					if err := t.queueUnconfirmable(tx, sinkName, d.Channel, lookup); err != nil {
						return err
					}
				}
			}
			if de.RetryAfter > 0 {
				wait = de.RetryAfter
			}
			d.NextAttempt = now.Add(wait)
		}
		if err := putJSON(b, be(seq), a); err != nil {
			return err
		}
		done := true
		for _, d := range a.Deliveries {
			done = done && d.State != billwatch.DeliveryPending
		}
		if done {
			return tx.Bucket(bktOutbox).Delete(be(seq))
		}
		return nil
	})
}

// queueSinkFailure raises an ops alert for a sink that refuses for good, delivered by the other
// sinks only (the console at least), once per sink, channel and error a day.
func (t *Tracker) queueSinkFailure(tx *bolt.Tx, sinkName, channel string, err *DeliveryError) error {
	return t.queueSinkAlert(tx, sinkName, failureKey(channel, err), false, billwatch.Alert{
		Severity: billwatch.Urgent, Title: sinkName + " refuses billwatch's messages",
		Why:  fmt.Sprintf("%s answered an error that retrying cannot fix", sinkName),
		Text: fmt.Sprintf("Delivery to %s %s failed for good: %v. Fix the configuration, then the alerts marked failed can be read with `billwatch alerts`.", sinkName, channel, err),
	})
}

// queueUnconfirmable raises an ops alert for a sink that cannot tell whether a message went
// through (Slack without the history scope), delivered by every sink that takes it (the sink
// still posts), once per sink, failure and day.
func (t *Tracker) queueUnconfirmable(tx *bolt.Tx, sinkName, channel string, err *DeliveryError) error {
	return t.queueSinkAlert(tx, sinkName, "unconfirmable\x00"+failureKey(channel, err), true, billwatch.Alert{
		Severity: billwatch.Action, Title: sinkName + " cannot confirm billwatch's messages",
		Why: fmt.Sprintf("when %s's answer to a post is lost, billwatch cannot check whether the message went through", sinkName),
		Text: fmt.Sprintf("Checking %s %s failed for good: %v. Until this is fixed, an alert whose answer is lost is held for %s, then posted again marked as a possible duplicate.",
			sinkName, channel, err, t.confirmWithin()),
	})
}

// queueSinkAlert queues ops alert a about sink sinkName, once per key a day; toItself says
// whether the sink itself may carry it.
func (t *Tracker) queueSinkAlert(tx *bolt.Tx, sinkName, key string, toItself bool, a billwatch.Alert) error {
	a.Kind, a.Audience, a.Subject = billwatch.KindSourceUnhealthy, billwatch.Ops, SinkSubjectPrefix+sinkName
	a = t.newAlert(a, sinkName+"\x00"+key+"\x00"+t.now().Format(billwatch.DateLayout))
	t2 := *t
	if !toItself {
		t2.Sinks = nil
		for _, s := range t.Sinks {
			if s.Name() != sinkName {
				t2.Sinks = append(t2.Sinks, s)
			}
		}
	}
	_, err := t2.queue(tx, []billwatch.Alert{a})
	return err
}

// DefaultConfirmWithin is how long a delivery that may have been posted, but cannot be
// confirmed, holds back its channel before it is posted again as a possible duplicate.
const DefaultConfirmWithin = 15 * time.Minute

func (t *Tracker) confirmWithin() time.Duration {
	if t.ConfirmWithin > 0 {
		return t.ConfirmWithin
	}
	return DefaultConfirmWithin
}

// markPossibleDuplicate is alert a as posted again after an attempt at since that nobody
// could confirm: its title and text say so first, in every sink's rendition.
func markPossibleDuplicate(a billwatch.Alert, since time.Time, why error) billwatch.Alert {
	a.Title = strings.TrimSuffix("Possible duplicate — "+a.Title, " — ")
	a.Text = fmt.Sprintf("Possible duplicate: billwatch posted this alert at %s but could not confirm that it arrived (%v); it is posted again so that it is not lost.\n\n%s",
		since.In(billwatch.Eastern).Format("2006-01-02 15:04 MST"), why, a.Text)
	return a
}

// SinkSubjectPrefix starts the subject of alerts about a sink that refuses billwatch's
// messages.
const SinkSubjectPrefix = "sink "

// failureKey says which failures are the same for an ops alert: the sink's own key when it
// has one (a bad token is one failure for every channel), else the channel and the error.
func failureKey(channel string, err *DeliveryError) string {
	if err.Key != "" {
		return err.Key
	}
	return channel + "\x00" + err.Error()
}

// uncertain is a failure to ask a Reconciler whether a message was posted: nobody knows, so
// the next attempt asks again, and asking counts as an attempt so that the backoff grows. It
// is never permanent.
func uncertain(err error) *DeliveryError {
	return &DeliveryError{Err: &askFailure{err}, MayHavePosted: true}
}

func beUint(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n
}

// OutboxDepth counts the alerts with a delivery still pending.
func (s *Store) OutboxDepth() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bktOutbox).Stats().KeyN
		return nil
	})
	return n, err
}
