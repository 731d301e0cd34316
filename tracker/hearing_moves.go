package tracker

import (
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// A meeting the site lists without a number (the Senate's) is keyed by its date and time, so
// a meeting moved to another time reads as a new meeting while the old one is simply no
// longer listed. When a committee's schedule is read whole (both its tabs, without error),
// a stored meeting without a number, still to come, that the schedule no longer lists is
// unlisted: not reminded, marked as no longer listed. If a new meeting without a number of
// the same committee (on the same study, when both name one) appears in the same pass, and
// the pairing is unambiguous, the old one moved: the new one raises one hearing.changed
// alert (time old → new) instead of hearing.scheduled, and the old one is no longer upcoming.
// A schedule read in part, or not at all, judges nothing: a meeting it does not show may
// still be on the pages it could not read.

// committeeOf names a meeting's committee within its chamber: "Senate SECD".
func committeeOf(h billwatch.Hearing) string { return h.Chamber + " " + h.Committee }

// unlisted finds, within the stored hearings b, the meetings without a number still to come
// at now that the wholly read schedules of their committees (whole) no longer list. It returns
// the moves (stored meeting by the stored key of the meeting read that replaces it) and the
// meetings simply gone from their schedule. Meetings already found unlisted are not found
// again, nor paired.
func unlisted(b *bolt.Bucket, got []hearingState, whole map[string]bool, now time.Time) (map[string]hearingState, []hearingState, error) {
	listed := map[string]bool{}
	for _, g := range got {
		listed[string(hearingKey(g.Hearing))] = true
	}
	vanished := map[string][]hearingState{} // by committee
	if err := b.ForEach(func(k, v []byte) error {
		var st hearingState
		if err := decodeJSON(v, &st); err != nil {
			return err
		}
		st.Hearing.Jurisdiction, _ = splitStoreKey(k)
		if listed[string(k)] || !unlistable(st, whole, now) || st.Hearing.Unlisted != "" {
			return nil
		}
		c := committeeOf(st.Hearing)
		vanished[c] = append(vanished[c], st)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	appeared := map[string][]hearingState{}
	for _, g := range got {
		if k := hearingKey(g.Hearing); unlistable(g, whole, now) && b.Get(k) == nil {
			c := committeeOf(g.Hearing)
			appeared[c] = append(appeared[c], g)
		}
	}
	moves := map[string]hearingState{}
	var gone []hearingState
	for c, olds := range vanished {
		news := appeared[c]
		for _, o := range olds {
			var match []hearingState
			for _, n := range news {
				if sameStudy(o.Hearing, n.Hearing) {
					match = append(match, n)
				}
			}
			// Moved only when nothing else could be meant: one new meeting for this one, and
			// no other vanished meeting for that new one.
			if len(match) == 1 && matchesOne(olds, match[0].Hearing) {
				moves[string(hearingKey(match[0].Hearing))] = o
				continue
			}
			gone = append(gone, o)
		}
	}
	slices.SortFunc(gone, func(a, b hearingState) int { return strings.Compare(a.Hearing.Key(), b.Hearing.Key()) })
	return moves, gone, nil
}

// unlistable reports whether a meeting is one the rules above judge: listed without a number
// on a schedule read whole, scheduled, still to come at now.
func unlistable(st hearingState, whole map[string]bool, now time.Time) bool {
	h := st.Hearing
	return h.Number == 0 && !st.FromBillRecord && h.Status == billwatch.HearingScheduled &&
		h.Start.After(now) && whole[committeeOf(h)]
}

// sameStudy reports whether two meetings can be the same: on the same study, or one of them
// names none.
func sameStudy(a, b billwatch.Hearing) bool {
	if len(a.Studies) == 0 || len(b.Studies) == 0 {
		return true
	}
	for _, s := range a.Studies {
		if slices.Contains(b.Studies, s) {
			return true
		}
	}
	return false
}

// matchesOne reports whether exactly one of the vanished meetings olds can be n.
func matchesOne(olds []hearingState, n billwatch.Hearing) bool {
	count := 0
	for _, o := range olds {
		if sameStudy(o.Hearing, n) {
			count++
		}
	}
	return count == 1
}

// movedTo is st marked as moved to the meeting starting at start.
func movedTo(st hearingState, start time.Time) hearingState {
	st.Hearing.MovedTo = start
	return st
}

// storeUnlisted writes, within tx, a stored meeting as no longer listed (moved, when MovedTo
// is set), as of now's Eastern date.
func (t *Tracker) storeUnlisted(tx *bolt.Tx, sum *Summary, st hearingState, now time.Time) error {
	if st.Hearing.Unlisted == "" {
		st.Hearing.Unlisted = now.In(billwatch.Eastern).Format(billwatch.DateLayout)
	}
	payload, _ := jsonBytes(st.Hearing)
	if _, added, err := addVersion(tx, hearingDoc(st.Hearing), payload, st.Hearing.URL, st.Hearing.Status, now); err != nil {
		return err
	} else if added {
		sum.Versions++
	}
	if err := putJSON(tx.Bucket(bktHearings), hearingKey(st.Hearing), st); err != nil {
		return err
	}
	sum.Changed++
	if t.Log != nil {
		what := "no longer listed on its committee's schedule"
		if !st.Hearing.MovedTo.IsZero() {
			what = "moved to " + st.Hearing.MovedTo.In(billwatch.Eastern).Format("2006-01-02 15:04")
		}
		t.Log.Info("meeting "+what, "meeting", st.Hearing.Subject())
	}
	return nil
}

// UnlistedNote says, for people, what became of a meeting no longer on its committee's
// schedule: "moved to Tue 2026-12-01 18:30", "no longer listed since 2026-11-29"; "" for a
// meeting still listed.
func UnlistedNote(h billwatch.Hearing) string {
	switch {
	case !h.MovedTo.IsZero():
		return "moved to " + h.MovedTo.In(billwatch.Eastern).Format("Mon 2006-01-02 15:04")
	case h.Unlisted != "":
		return "no longer listed since " + h.Unlisted
	}
	return ""
}
