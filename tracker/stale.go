package tracker

import (
	"fmt"
	"time"

	"github.com/billwatch/billwatch"
)

// A stale copy is a page a cache, a mirror or a lagging server hands out after a newer
// version of it was read: its own publication or activity stamp is older than the one
// stored. Nothing of it is stored and it raises no alert: what is stored is newer, and the
// alert it would raise (a notice "republished" with an older stamp, a bill moving back a
// stage) would be false, and would make the genuine version, read again, look like no news.

// staleCopy notes, in the pass's summary and the log, a record passed over as a stale copy.
func (t *Tracker) staleCopy(sum *Summary, what, why string) {
	sum.Stale++
	if t.Log != nil {
		t.Log.Warn("stale copy ignored: nothing stored, no alert", "source", sum.Source, "item", what, "why", why)
	}
}

// storedListStamp is the newest activity stamp of a bill's list entry the store has seen:
// the one its record was last read at, the one last seen since, and for a bill whose record
// was never read the list's own, stored with it.
func storedListStamp(prev billState) time.Time {
	at := prev.ListActivity
	if prev.ListSeen.After(at) {
		at = prev.ListSeen
	}
	if !prev.Detailed && prev.Bill.LatestActivityAt.After(at) {
		at = prev.Bill.LatestActivityAt
	}
	return at
}

// listSeen is the ListSeen to store with a bill read from the list entry lb: the entry's
// stamp when it is newer than any the store has seen, else what was stored (so that an
// unchanged list writes nothing).
func listSeen(prev billState, had bool, lb billwatch.Bill) time.Time {
	if !had {
		return time.Time{} // ListActivity holds the stamp of a bill seen for the first time
	}
	if lb.LatestActivityAt.After(prev.ListActivity) && lb.LatestActivityAt.After(prev.ListSeen) {
		return lb.LatestActivityAt
	}
	return prev.ListSeen
}

// staleBill reports whether a list entry is a stale copy of a stored bill, and why: its
// activity stamp is older than the newest stored, or it puts the bill back a stage with no
// newer stamp. An entry whose stamp is the stored one or newer, and moves the bill forward or
// not at all, is processed as ever. It is pure.
func staleBill(prev billState, had bool, lb billwatch.Bill) (string, bool) {
	if !had {
		return "", false
	}
	seen, at := storedListStamp(prev), lb.LatestActivityAt
	if !at.IsZero() && !seen.IsZero() {
		if at.Before(seen) {
			return fmt.Sprintf("%s: list entry of activity %s, older than the %s stored (status %q, stored %q)",
				lb.Key(), stampText(at), stampText(seen), lb.Status, prev.Bill.Status), true
		}
		if at.After(seen) {
			return "", false // newer activity: whatever it says is news
		}
	}
	// A record read at this very stamp stands whatever the entry says (billFromList): only an
	// entry that would be stored is judged, so that a list lagging its records is no noise.
	merges := !prev.Detailed || !prev.ListActivity.Equal(at)
	if merges && backwards(prev.Bill.Phase, lb.Phase) {
		return fmt.Sprintf("%s: list entry puts the bill back from %q to %q with no newer activity stamp",
			lb.Key(), prev.Bill.Status, lb.Status), true
	}
	return "", false
}

// phaseRank orders the phases a bill goes through in one house; 0 for those outside the
// order (ended, other, unknown).
func phaseRank(p billwatch.Phase) int {
	switch p {
	case billwatch.PhaseIntroduced:
		return 1
	case billwatch.PhaseSecond:
		return 2
	case billwatch.PhaseCommittee:
		return 3
	case billwatch.PhaseReport:
		return 4
	case billwatch.PhaseThird:
		return 5
	case billwatch.PhaseAmendments:
		return 6
	case billwatch.PhaseRoyalAssent:
		return 7
	}
	return 0
}

// backwards reports whether a bill going from phase old to phase nw can only be going back:
// nothing follows royal assent, and a bill entering the other house starts again at first
// or second reading, so only a fall to a later phase than those is taken as backwards.
func backwards(old, nw billwatch.Phase) bool {
	o, n := phaseRank(old), phaseRank(nw)
	if o == 0 || n == 0 || n >= o {
		return false
	}
	return old == billwatch.PhaseRoyalAssent || n > phaseRank(billwatch.PhaseSecond)
}

// noticeStampLayout is the notice publication stamp as the House scraper writes it.
const noticeStampLayout = "2006-01-02 15:04"

// staleHearing reports whether a meeting read is a stale copy of the stored one, and why: its
// notice carries a publication stamp older than the stored notice's. A reading without a
// stamp (a list, a notice not read, a Senate meeting) is never taken as stale.
func staleHearing(old, read hearingState) (string, bool) {
	if old.Hearing.NoticePublished == "" || read.Hearing.NoticePublished == "" {
		return "", false
	}
	o, err1 := time.ParseInLocation(noticeStampLayout, old.Hearing.NoticePublished, billwatch.Eastern)
	n, err2 := time.ParseInLocation(noticeStampLayout, read.Hearing.NoticePublished, billwatch.Eastern)
	if err1 != nil || err2 != nil || !n.Before(o) {
		return "", false
	}
	return fmt.Sprintf("%s: notice published %s, older than the notice of %s stored", read.Hearing.Subject(), read.Hearing.NoticePublished, old.Hearing.NoticePublished), true
}

// stampText formats an activity stamp for the log.
func stampText(t time.Time) string { return t.Format("2006-01-02 15:04") }

// stageDiscriminator tells one move of a bill to a status from another: a bill can come back
// to a status it had (sent back to committee, a second exchange of amendments between the
// houses), and that later move, which has a newer activity stamp, is news again.
func stageDiscriminator(b billwatch.Bill) string {
	if b.LatestActivityAt.IsZero() {
		return b.Status
	}
	return b.Status + " @" + b.LatestActivityAt.UTC().Format(time.RFC3339)
}
