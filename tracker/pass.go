package tracker

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// commit ends a pass: in one transaction, write stores the pass's versions and state and
// returns the alerts they raise, then settle records the source's health and queues the
// alerts; finish then records the run. A nil write stores nothing but health. Either all
// of it is written or none: a failed write leaves the pass Failed with no alert.
func (t *Tracker) commit(sum *Summary, start time.Time, write func(tx *bolt.Tx) ([]billwatch.Alert, error)) {
	err := t.Store.update(func(tx *bolt.Tx) error {
		var alerts []billwatch.Alert
		if write != nil {
			var err error
			if alerts, err = write(tx); err != nil {
				return err
			}
		}
		return t.settle(tx, sum, alerts)
	})
	t.finish(sum, start, err)
}
