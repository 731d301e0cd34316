package tracker

import (
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// ended reports whether a bill's session is over for what the store knows: a later session's
// bills are stored (sessions follow one another), or the last pass over the session followed
// found it over (overSession).
func ended(session, latest, overSession string) bool {
	return compareSessions(session, latest) < 0 || session != "" && session == overSession
}

// markEnded fills in, on stored bills, whether their session ended while they were still
// before Parliament, and the bill that reinstates them if one does. The stored status is
// left as LEGISinfo gave it: this is what the commands and pages show beside it.
func (s *Store) markEnded(tx *bolt.Tx, bills []StoredBill) {
	latest := ""
	c := tx.Bucket(bktBills).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		j, key := splitStoreKey(k)
		if j.Or() != billwatch.Canada {
			continue
		}
		if session, _, ok := strings.Cut(key, " "); ok && compareSessions(session, latest) > 0 {
			latest = session
		}
	}
	over := ""
	if runs, err := s.RunStatuses(); err == nil {
		if r := runs[SourceBills]; r.SessionOver {
			over = r.Session
		}
	}
	for i := range bills {
		b := &bills[i]
		if b.Jurisdiction.Or() != billwatch.Canada || !ended(b.Session, latest, over) || concluded(b.Bill) {
			continue
		}
		b.SessionEnded = true
		for _, l := range getLinks(tx, b.Key()) {
			if l.Reinstated && l.Later {
				b.ReinstatedAs = l.Key()
			}
		}
	}
}

// concluded reports whether a bill's course ended before its session did: royal assent,
// defeat, withdrawal.
func concluded(b billwatch.Bill) bool {
	if b.Phase == billwatch.PhaseRoyalAssent || b.Phase == billwatch.PhaseEnded {
		return true
	}
	s := strings.ToLower(b.Status)
	return slices.ContainsFunc([]string{"royal assent", "defeated", "withdrawn", "not proceeded with"}, func(w string) bool { return strings.Contains(s, w) })
}

// StatusShown is the bill's status as the commands and pages show it: LEGISinfo's, unless the
// bill's session ended with the bill still before Parliament, when it died on the Order Paper
// (or was reinstated in the next session).
func (b StoredBill) StatusShown() string {
	switch {
	case !b.SessionEnded:
		return b.Status
	case b.ReinstatedAs != "":
		return "Reinstated as " + b.ReinstatedAs + " when session " + b.Session + " ended (last status: " + b.Status + ")"
	default:
		return "Died on the Order Paper: session " + b.Session + " ended (last status: " + b.Status + ")"
	}
}
