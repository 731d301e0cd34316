package tracker

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// Threshold is how many failed passes in a row make a source unhealthy.
func (t *Tracker) Threshold() int {
	if t.UnhealthyAfter <= 0 {
		return 3
	}
	return t.UnhealthyAfter
}

// MarkUnhealthy stores that source has failed failures passes in a row since since, the last
// with lastErr, when those failures could not be stored with their passes (a full disk, an
// unwritable status file): the source's health becomes unhealthy and its source.unhealthy
// alert is queued, in one transaction. A source already stored as unhealthy is left as it
// is. It returns the alert queued, if any; a later pass that succeeds raises source.recovered
// as usual.
func (t *Tracker) MarkUnhealthy(source string, failures int, since time.Time, lastErr string) ([]billwatch.Alert, error) {
	var queued []billwatch.Alert
	err := t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktHealth)
		var h Health
		if _, err := getJSON(b, []byte(source), &h); err != nil {
			return err
		}
		if h.Unhealthy {
			return errNothingToWrite
		}
		now := t.now().UTC().Truncate(time.Second)
		h.Failures = max(h.Failures, failures)
		h.Unhealthy = true
		h.Episode++
		h.LastError = lastErr
		h.LastFailure = now
		if h.Since.IsZero() || !since.IsZero() && since.Before(h.Since) {
			h.Since = since.UTC().Truncate(time.Second)
		}
		if h.Since.IsZero() {
			h.Since = now
		}
		why := fmt.Sprintf("%d failed passes in a row since %s, whose results could not be stored", h.Failures, h.Since.In(billwatch.Eastern).Format("2006-01-02 15:04 MST"))
		if err := putJSON(b, []byte(source), h); err != nil {
			return err
		}
		var err error
		queued, err = t.queue(tx, []billwatch.Alert{t.unhealthyAlert(source, h, why)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return queued, nil
}

// IsDecodeError reports whether err is a stored record that could not be decoded: damage
// when `billwatch check` agrees (see Store.Verify).
func IsDecodeError(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ)
}
