package tracker

import (
	"context"
	"errors"
	"fmt"
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
	type item struct {
		seq   uint64
		alert billwatch.Alert
	}
	var pending []item
	err := t.Store.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bktAlerts)
		return tx.Bucket(bktOutbox).ForEach(func(k, _ []byte) error {
			var a billwatch.Alert
			if _, err := getJSON(all, k, &a); err != nil {
				return err
			}
			pending = append(pending, item{seq: beUint(k), alert: a})
			return nil
		})
	})
	if err != nil {
		return sum, err
	}
	sinks := map[string]Sink{}
	for _, s := range t.Sinks {
		sinks[s.Name()] = s
	}
	blocked := map[string]bool{} // sink+channel with an earlier delivery waiting: keep order
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
			if sink == nil || blocked[lane] || t.now().Before(d.NextAttempt) {
				sum.Waiting++
				blocked[lane] = true
				continue
			}
			if err := t.deliverOne(ctx, it.seq, it.alert, i, sink, &sum); err != nil {
				return sum, err
			}
			// Re-read the state: a delivery still pending blocks its lane.
			var a billwatch.Alert
			if err := t.Store.view(func(tx *bolt.Tx) error {
				_, err := getJSON(tx.Bucket(bktAlerts), be(it.seq), &a)
				return err
			}); err != nil {
				return sum, err
			}
			if a.Deliveries[i].State == billwatch.DeliveryPending {
				blocked[lane] = true
			}
		}
	}
	return sum, nil
}

// deliverOne makes one attempt at delivery i of an alert.
func (t *Tracker) deliverOne(ctx context.Context, seq uint64, a billwatch.Alert, i int, sink Sink, sum *DeliverySummary) error {
	d := a.Deliveries[i]
	var thread string
	if err := t.Store.view(func(tx *bolt.Tx) error {
		thread = string(tx.Bucket(bktThreads).Get(threadKey(d.Sink, d.Channel, a.Thread)))
		return nil
	}); err != nil {
		return err
	}
	// An attempt that started and never finished may have been posted: ask the sink. A
	// failure to ask is never permanent: the delivery waits and asks again.
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
			sum.Retrying++
			return t.recordOutcome(seq, i, "", fmt.Errorf("check whether alert %s was posted: %v", a.ID, err), sink.Name())
		}
		if found {
			sum.sent(sink.Name())
			return t.recordOutcome(seq, i, ref, nil, sink.Name())
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
		return putJSON(b, be(seq), cur)
	})
	if err != nil {
		return err
	}
	ref, sendErr := sink.Send(ctx, a, d.Channel, thread)
	switch {
	case sendErr == nil:
		sum.sent(sink.Name())
	case isPermanent(sendErr):
		sum.failed(sink.Name())
		t.Log.Error("delivery failed for good", "sink", d.Sink, "channel", d.Channel, "alert", a.ID, "error", sendErr)
	default:
		sum.Retrying++
		t.Log.Warn("delivery will be retried", "sink", d.Sink, "channel", d.Channel, "alert", a.ID, "error", sendErr)
	}
	return t.recordOutcome(seq, i, ref, sendErr, sink.Name())
}

func (t *Tracker) recordOutcome(seq uint64, i int, ref string, sendErr error, sinkName string) error {
	return t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktAlerts)
		var a billwatch.Alert
		if _, err := getJSON(b, be(seq), &a); err != nil {
			return err
		}
		d := &a.Deliveries[i]
		now := t.now().UTC()
		d.Updated, d.Started = now, time.Time{}
		switch {
		case sendErr == nil:
			d.State, d.TS, d.Error, d.NextAttempt = billwatch.DeliverySent, ref, "", time.Time{}
			if ref != "" {
				tk := threadKey(d.Sink, d.Channel, a.Thread)
				if tx.Bucket(bktThreads).Get(tk) == nil {
					if err := tx.Bucket(bktThreads).Put(tk, []byte(ref)); err != nil {
						return err
					}
				}
			}
		case isPermanent(sendErr):
			d.State, d.Error = billwatch.DeliveryFailed, sendErr.Error()
			if err := t.queueSinkFailure(tx, sinkName, d.Channel, sendErr); err != nil {
				return err
			}
		default:
			d.Error = sendErr.Error()
			wait := retryDelay(d.Attempts)
			var ra interface{ RetryAfter() time.Duration }
			if errors.As(sendErr, &ra) && ra.RetryAfter() > 0 {
				wait = ra.RetryAfter()
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
func (t *Tracker) queueSinkFailure(tx *bolt.Tx, sinkName, channel string, err error) error {
	a := t.newAlert(billwatch.Alert{
		Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops,
		Subject: SinkSubjectPrefix + sinkName, Title: sinkName + " refuses billwatch's messages",
		Why:  fmt.Sprintf("%s answered an error that retrying cannot fix", sinkName),
		Text: fmt.Sprintf("Delivery to %s %s failed for good: %v. Fix the configuration, then the alerts marked failed can be read with `billwatch alerts`.", sinkName, channel, err),
	}, sinkName+channel+err.Error()+t.now().Format(billwatch.DateLayout))
	saved := t.Sinks
	var others []Sink
	for _, s := range saved {
		if s.Name() != sinkName {
			others = append(others, s)
		}
	}
	t2 := *t
	t2.Sinks = others
	_, qerr := t2.queue(tx, []billwatch.Alert{a})
	return qerr
}

// SinkSubjectPrefix starts the subject of alerts about a sink that refuses billwatch's
// messages.
const SinkSubjectPrefix = "sink "

func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
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
