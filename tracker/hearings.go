package tracker

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// HearingSource reads one committee's meetings of a session. It may return meetings together
// with an error: the meetings were read, some pages or meetings were not.
type HearingSource interface {
	Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error)
}

type hearingState struct {
	Hearing  billwatch.Hearing `json:"hearing"`
	Relevant bool              `json:"relevant"`
	Reasons  []string          `json:"reasons,omitempty"`
	// Watched is true for a meeting on a relevant bill or a watched study: those raise action
	// alerts. A meeting that is relevant only because its committee is watched raises info
	// alerts, which go to the digest.
	Watched bool `json:"watched,omitempty"`
	// FromBillRecord is true while the meeting is known only from a bill's record (date
	// only). The key is the one databases have always held.
	FromBillRecord bool `json:"from_legisinfo,omitempty"`
}

// StoredHearing is a hearing with why it matters.
type StoredHearing struct {
	billwatch.Hearing
	Relevant bool
	Watched  bool
	Reasons  []string
	// FromBillRecord is true while the meeting is known only from a bill's record.
	FromBillRecord bool
}

// Hearings lists stored hearings by start time.
func (s *Store) Hearings() ([]StoredHearing, error) {
	var out []StoredHearing
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktHearings).ForEach(func(k, v []byte) error {
			var st hearingState
			j, _ := splitStoreKey(k)
			if err := decodeJSON(v, &st); err != nil {
				s.skip(bktHearings, k, err)
				return nil
			}
			st.Hearing.Jurisdiction = j
			out = append(out, StoredHearing{Hearing: st.Hearing, Relevant: st.Relevant, Watched: st.Watched, Reasons: st.Reasons, FromBillRecord: st.FromBillRecord})
			return nil
		})
	})
	slices.SortFunc(out, func(a, b StoredHearing) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Key(), b.Key())
	})
	return out, err
}

// HearingPlan says which committees a hearings pass reads.
type HearingPlan struct {
	Session string
	House   []string // House and joint committees
	Senate  []string
}

// ScrapeHearings reads the meeting lists of the planned committees and of the committees
// studying relevant bills, links meetings to bills, stores what changed and raises
// hearing.scheduled, hearing.changed and hearing.cancelled alerts for the lobbying audience.
// Meetings that vanish from a list are never reported cancelled: only a page that says so
// cancels a meeting.
func (t *Tracker) ScrapeHearings(ctx context.Context, house, senate HearingSource, plan HearingPlan) Summary {
	start := t.now()
	sum := Summary{Source: SourceHearings}

	bills, err := t.Store.Bills(plan.Session)
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		return sum
	}
	links := hearingLinksOf(bills)
	got, pages, ok, whole := readHearings(ctx, &sum, plan.Session, []hearingRead{
		{house, append(slices.Clone(plan.House), links.extraHouse...)},
		{senate, append(slices.Clone(plan.Senate), links.extraSenate...)},
	})
	got = append(got, senateOnlyHearings(got, links.senateFromBills, plan.Session, startOfDay(t.now()))...)

	sum.Items = len(got)
	var checks []billwatch.FieldCheck
	for _, h := range got {
		checks = append(checks, h.Hearing.Checks...)
	}
	sum.Coverage = countChecks(checks)
	if pages > 0 && ok == 0 {
		sum.Outcome = Failed
	} else if len(sum.Problems) > 0 {
		sum.Outcome = Partial
	}
	sum.Relevant = linkHearings(got, links, t.ActiveProfile())

	if sum.Outcome == Failed {
		t.settleOnly(&sum, start)
		return sum
	}
	now := t.now()
	t.commit(&sum, start, func(tx *bolt.Tx) ([]billwatch.Alert, error) {
		return t.storeHearings(tx, &sum, got, whole, now)
	})
	return sum
}

// hearingLinks is what the stored bills tell a hearings pass: which bills are relevant,
// which meetings they name, and which committees study them.
type hearingLinks struct {
	relevantBills   map[string]bool
	billMeetings    map[string][]string // "Chamber ACR number" and "Chamber ACR on date" → bills
	senateFromBills map[string]billwatch.Meeting
	extraHouse      []string
	extraSenate     []string
}

// hearingLinksOf reads the relevant bills' meetings and committee stages.
func hearingLinksOf(bills []StoredBill) hearingLinks {
	l := hearingLinks{relevantBills: map[string]bool{}, billMeetings: map[string][]string{}, senateFromBills: map[string]billwatch.Meeting{}, extraHouse: []string{}, extraSenate: []string{}}
	for _, b := range bills {
		if !b.Relevant {
			continue
		}
		l.relevantBills[b.Number] = true
		for _, m := range b.Meetings {
			chamber := m.Chamber
			if chamber == "" {
				chamber = billwatch.House
			}
			k := fmt.Sprintf("%s %s %d", chamber, m.Committee, m.Number)
			l.billMeetings[k] = append(l.billMeetings[k], b.Number)
			if kd := fmt.Sprintf("%s %s on %s", chamber, m.Committee, m.Date); m.Date != "" {
				l.billMeetings[kd] = append(l.billMeetings[kd], b.Number)
			}
			if chamber == billwatch.Senate {
				l.senateFromBills[k] = m
				l.extraSenate = append(l.extraSenate, m.Committee)
			}
		}
		for _, st := range b.Stages {
			if st.Committee != "" && !strings.EqualFold(st.State, "Completed") {
				if st.Chamber == billwatch.Senate {
					l.extraSenate = append(l.extraSenate, st.Committee)
				} else {
					l.extraHouse = append(l.extraHouse, st.Committee)
				}
			}
		}
	}
	return l
}

// hearingRead is one chamber's source and the committees to read from it.
type hearingRead struct {
	src        HearingSource
	committees []string
}

// readHearings reads the meeting lists of each chamber's committees, in order. It returns
// the meetings read, the pages asked for, the pages that gave something, and the committees
// ("Senate SECD") whose schedule was read whole: without error and not empty.
func readHearings(ctx context.Context, sum *Summary, session string, reads []hearingRead) (got []hearingState, pages, ok int, whole map[string]bool) {
	whole = map[string]bool{}
	for _, r := range reads {
		if r.src == nil {
			continue
		}
		for _, c := range uniqueUpper(r.committees) {
			if ctx.Err() != nil {
				sum.Problems = append(sum.Problems, ctx.Err())
				break
			}
			hs, err := r.src.Meetings(ctx, c, session)
			pages++
			if err != nil {
				sum.Problems = append(sum.Problems, err)
			}
			if err == nil || len(hs) > 0 {
				ok++
			}
			for _, h := range hs {
				got = append(got, hearingState{Hearing: h})
				if err == nil {
					whole[committeeOf(h)] = true
				}
			}
		}
	}
	return got, pages, ok, whole
}

// senateOnlyHearings returns the Senate meetings known only from bill records, when the
// schedule did not list them. A schedule that gives no meeting numbers (the Senate's studies
// page) is matched with the records by committee and date. A meeting before today was held.
func senateOnlyHearings(got []hearingState, senateFromBills map[string]billwatch.Meeting, session string, today time.Time) []hearingState {
	have := map[string]bool{}
	for _, h := range got {
		have[fmt.Sprintf("%s %s %d", h.Hearing.Chamber, h.Hearing.Committee, h.Hearing.Number)] = true
		if h.Hearing.Number == 0 {
			have[byDate(h.Hearing)] = true
		}
	}
	var out []hearingState
	for k, m := range senateFromBills {
		if have[k] || have[fmt.Sprintf("%s %s on %s", billwatch.Senate, m.Committee, m.Date)] {
			continue
		}
		d, err := time.ParseInLocation(billwatch.DateLayout, m.Date, billwatch.Eastern)
		if err != nil {
			continue
		}
		status := billwatch.HearingHeld
		if !d.Before(today) {
			status = billwatch.HearingScheduled
		}
		out = append(out, hearingState{FromBillRecord: true, Hearing: billwatch.Hearing{
			Chamber: billwatch.Senate, Committee: m.Committee, Session: session, Number: m.Number,
			Start: d, Status: status, Studies: []string{}, Bills: []string{}, URL: m.URL,
		}})
	}
	return out
}

// linkHearings links meetings to the bills that name them and judges their relevance. It
// returns how many are relevant.
func linkHearings(got []hearingState, links hearingLinks, profile Profile) int {
	relevant := 0
	for i := range got {
		h := &got[i].Hearing
		k := fmt.Sprintf("%s %s %d", h.Chamber, h.Committee, h.Number)
		if h.Number == 0 {
			k = byDate(*h)
		}
		for _, n := range links.billMeetings[k] {
			if !slices.Contains(h.Bills, n) {
				h.Bills = append(h.Bills, n)
			}
		}
		var reasons []string
		for _, n := range h.Bills {
			if links.relevantBills[n] {
				reasons = append(reasons, "bill: "+n)
			}
		}
		for _, kw := range profile.MatchText(h.Studies...) {
			reasons = append(reasons, "keyword: "+kw)
		}
		got[i].Watched = len(reasons) > 0
		if profile.WatchesCommittee(h.Committee) {
			reasons = append(reasons, "committee: "+h.Committee)
		}
		got[i].Reasons = reasons
		got[i].Relevant = len(reasons) > 0
		if got[i].Relevant {
			relevant++
		}
	}
	return relevant
}

// hearingVerdict is what judging one meeting read against its stored state decides.
type hearingVerdict struct {
	Store bool // the meeting changed: store a version and its state
	Alert bool // the change is news: raise its alerts
	// Prev is the meeting as stored, nil when it is new or news as if new.
	Prev *hearingState
}

// judgeHearing decides what one meeting read means, given its stored state (nil when none)
// and whether its committee has a baseline. It returns the state to store: the meeting
// read, completed with what the stored notice said and this reading did not. It is pure.
func judgeHearing(old *hearingState, st hearingState, committeeKnown bool) (hearingState, hearingVerdict) {
	had := old != nil
	if had && !old.FromBillRecord && st.FromBillRecord {
		return st, hearingVerdict{} // never replace a schedule's meeting with a record's date-only one
	}
	if had {
		// A list without witnesses does not erase the notice's witnesses.
		if len(st.Hearing.Witnesses) == 0 && len(old.Hearing.Witnesses) > 0 && st.Hearing.Start.Equal(old.Hearing.Start) {
			st.Hearing.Witnesses = old.Hearing.Witnesses
		}
		if st.Hearing.NoticePublished == "" {
			st.Hearing.NoticePublished = old.Hearing.NoticePublished
		}
		// Nor does a reading without a page (a bill record stored before it gave one)
		// erase the meeting's page.
		if st.Hearing.URL == "" {
			st.Hearing.URL = old.Hearing.URL
		}
		// A notice that could not be read this time leaves what the last reading said
		// standing.
		if st.Hearing.Gap != "" {
			keepNotice(&st.Hearing, old.Hearing)
			// And why it mattered: the bills it named.
			st.Watched = st.Watched || old.Watched
			st.Relevant = st.Relevant || old.Relevant
			for _, r := range old.Reasons {
				if !slices.Contains(st.Reasons, r) {
					st.Reasons = append(st.Reasons, r)
				}
			}
		}
		if sameJSON(*old, st) {
			return st, hearingVerdict{}
		}
	}
	v := hearingVerdict{Store: true}
	if committeeKnown && (st.Relevant || had && old.Relevant) {
		v.Alert = true
		v.Prev = old
		// A meeting that only its notice, read at last, shows to be watched is news:
		// scheduled, not changed.
		if had && old.Hearing.Gap != "" && !old.Watched && st.Watched {
			v.Prev = nil
		}
	}
	return st, v
}

// storeHearings writes, within tx, the meetings that changed and returns their alerts. whole
// names the committees whose schedule was read whole (see unlisted).
func (t *Tracker) storeHearings(tx *bolt.Tx, sum *Summary, got []hearingState, whole map[string]bool, now time.Time) ([]billwatch.Alert, error) {
	b := tx.Bucket(bktHearings)
	// Each committee has its own baseline: the first time its meetings are read, they are
	// stored without alerts, so that a committee whose page failed on the first pass, or a
	// committee newly watched, does not flood.
	known := map[string]bool{}
	if err := b.ForEach(func(_, v []byte) error {
		var st hearingState
		if err := decodeJSON(v, &st); err != nil {
			return err
		}
		known[st.Hearing.Chamber+" "+st.Hearing.Committee] = true
		return nil
	}); err != nil {
		return nil, err
	}
	sum.Baseline = len(known) == 0
	moves, gone, err := unlisted(b, got, whole, now)
	if err != nil {
		return nil, err
	}
	var alerts []billwatch.Alert
	for _, read := range got {
		key := hearingKey(read.Hearing)
		var old hearingState
		had, err := getJSON(b, key, &old)
		if err != nil {
			return nil, err
		}
		var prev *hearingState
		moved, isMove := moves[string(key)]
		if isMove {
			prev = &moved // the meeting it replaces, judged as its earlier reading
		}
		if had {
			prev = &old
			if why, stale := staleHearing(old, read); stale {
				t.staleCopy(sum, read.Hearing.Subject(), why)
				continue // keep the newer notice stored
			}
		}
		st, v := judgeHearing(prev, read, known[read.Hearing.Chamber+" "+read.Hearing.Committee])
		if !v.Store {
			continue
		}
		payload, _ := jsonBytes(st.Hearing)
		if _, added, err := addVersion(tx, hearingDoc(read.Hearing), payload, st.Hearing.URL, st.Hearing.Status, now); err != nil {
			return nil, err
		} else if added {
			sum.Versions++
		}
		if err := putJSON(b, key, st); err != nil {
			return nil, err
		}
		sum.Changed++
		if v.Alert {
			for _, a := range t.hearingAlerts(v.Prev, st, now) {
				if isMove {
					a.Thread = moved.Hearing.Subject() // under the alerts of the meeting it replaces
				}
				alerts = append(alerts, a)
			}
		}
		if isMove {
			gone = append(gone, movedTo(moved, st.Hearing.Start))
		}
	}
	for _, st := range gone {
		if err := t.storeUnlisted(tx, sum, st, now); err != nil {
			return nil, err
		}
	}
	return alerts, nil
}

// byDate keys a meeting by chamber, committee and Eastern date, for schedules without numbers.
func byDate(h billwatch.Hearing) string {
	return fmt.Sprintf("%s %s on %s", h.Chamber, h.Committee, h.Start.In(billwatch.Eastern).Format(billwatch.DateLayout))
}

func uniqueUpper(list []string) []string {
	var out []string
	for _, s := range list {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(billwatch.Eastern).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, billwatch.Eastern)
}

// HearingTimeKnown reports whether a hearing's start time was published: a meeting known by
// its date alone starts at midnight Eastern and has no end (the calendar makes it an all-day
// event).
func HearingTimeKnown(h billwatch.Hearing) bool {
	s := h.Start.In(billwatch.Eastern)
	return s.Hour() != 0 || s.Minute() != 0 || !h.End.IsZero()
}

// hearingDeadline is the Deadline of an alert about a hearing: its start (RFC 3339), or its
// date alone (YYYY-MM-DD) when the time was not published, so that no sink shows "00:00".
func hearingDeadline(h billwatch.Hearing) string {
	if !HearingTimeKnown(h) {
		return h.Start.In(billwatch.Eastern).Format(billwatch.DateLayout)
	}
	return h.Start.Format(time.RFC3339)
}

// hearingClock is a hearing's Eastern start time ("15:30"), "" when it was not published.
func hearingClock(h billwatch.Hearing) string {
	if !HearingTimeKnown(h) {
		return ""
	}
	return h.Start.In(billwatch.Eastern).Format("15:04")
}

// HearingWhen formats a hearing's time for people: "Thu 2026-11-26 15:30–17:30 EST".
func HearingWhen(h billwatch.Hearing) string {
	s := h.Start.In(billwatch.Eastern)
	if !HearingTimeKnown(h) {
		return s.Format("Mon 2006-01-02") + " (time not yet published)"
	}
	out := s.Format("Mon 2006-01-02 15:04")
	if !h.End.IsZero() {
		out += "–" + h.End.In(billwatch.Eastern).Format("15:04")
	}
	return out + " " + s.Format("MST")
}

// hearingWhy is the real reason a hearing matters, from its reasons: the watched bill, the
// keyword its study matched, or failing both the watched committee.
func hearingWhy(st hearingState) string {
	var strong, committee []string
	for _, r := range st.Reasons {
		if strings.HasPrefix(r, "committee: ") {
			committee = append(committee, r)
		} else {
			strong = append(strong, r)
		}
	}
	if len(strong) > 0 {
		return strings.Join(strong, ", ")
	}
	if len(committee) > 0 {
		return "watched " + strings.Join(committee, ", ") + " (no watched bill or keyword)"
	}
	return "no watched bill, keyword or committee"
}

func hearingTopic(h billwatch.Hearing) string {
	if len(h.Bills) > 0 {
		return "Bill " + strings.Join(h.Bills, ", ")
	}
	if len(h.Studies) > 0 {
		return h.Studies[0]
	}
	return "business of the committee"
}

func witnessNames(ws []billwatch.Witness) []string {
	var out []string
	for _, w := range ws {
		s := w.Name
		switch {
		case w.Organization != "" && w.Organization != w.Name:
			if s != "" {
				s += " (" + w.Organization + ")"
			} else {
				s = w.Organization
			}
		case w.Appearing && w.Title != "" && s != "":
			s += " (" + w.Title + ")"
		}
		if w.Appearing && s != "" {
			s += ", appearing"
		}
		out = append(out, s)
	}
	return out
}

// hearingAlerts derives the alerts of one hearing's change.
func (t *Tracker) hearingAlerts(old *hearingState, st hearingState, now time.Time) []billwatch.Alert {
	h := st.Hearing
	future := h.Start.After(now) || (!HearingTimeKnown(h) && !startOfDay(h.Start).Before(startOfDay(now)))
	links := []billwatch.Link{{Label: "notice", URL: h.URL}}
	thread := h.Subject()
	base := billwatch.Alert{Audience: billwatch.Lobbying, Subject: thread, Title: fmt.Sprintf("%s meeting %s: %s", h.Committee, h.Label(), hearingTopic(h)), Links: links, Deadline: hearingDeadline(h)}
	// A meeting on a watched bill or a study matching the profile calls for action; any
	// other meeting of a watched committee is still announced, for the digest.
	severity := billwatch.Info
	if st.Watched {
		severity = billwatch.Action
	}
	why := hearingWhy(st)
	describe := func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s) meeting %s, %s", h.Committee, h.Chamber, h.Label(), HearingWhen(h))
		if h.Room != "" {
			fmt.Fprintf(&b, ", %s", h.Room)
		}
		if h.InCamera {
			b.WriteString(", in camera")
		}
		if h.Broadcast != "" {
			fmt.Fprintf(&b, ", %s", h.Broadcast)
		}
		b.WriteString(".")
		if len(h.Studies) > 0 {
			fmt.Fprintf(&b, "\nStudy: %s", strings.Join(h.Studies, "; "))
		}
		if ws := witnessNames(h.Witnesses); len(ws) > 0 {
			fmt.Fprintf(&b, "\nWitnesses: %s", strings.Join(ws, "; "))
		}
		return b.String()
	}
	if h.Status == billwatch.HearingCancelled {
		if old != nil && old.Hearing.Status == billwatch.HearingCancelled {
			return nil
		}
		if old == nil && !future {
			return nil
		}
		a := base
		a.Kind, a.Severity = billwatch.KindHearingCancelled, severity
		a.Why = "the committee cancelled the meeting; it matched " + why
		a.Text = "Cancelled: " + describe()
		return []billwatch.Alert{t.newAlert(a, "cancelled "+h.Start.UTC().Format(time.RFC3339))}
	}
	if !future {
		return nil
	}
	if old == nil || old.Hearing.Status == billwatch.HearingCancelled && h.Status == billwatch.HearingScheduled {
		a := base
		a.Kind, a.Severity = billwatch.KindHearingScheduled, severity
		if st.Watched {
			a.Why = fmt.Sprintf("a hearing on %s is scheduled (%s): ask to appear or send a brief now", hearingTopic(h), why)
		} else {
			a.Why = fmt.Sprintf("a meeting of a watched committee, for the record: %s", why)
		}
		a.Text = describe()
		return []billwatch.Alert{t.newAlert(a, "scheduled "+h.Start.UTC().Format(time.RFC3339))}
	}
	before := old.Hearing
	if before.Gap != "" {
		// The notice was never read: what it tells now is news to billwatch, not an
		// amendment. Only what the list said can have changed.
		keepNotice(&before, h)
		before.Gap = ""
	}
	changes := hearingChanges(before, h)
	if len(changes) == 0 {
		return nil
	}
	a := base
	a.Kind, a.Severity = billwatch.KindHearingChanged, severity
	a.Why = "the notice was amended: " + strings.Join(changes, "; ")
	a.Text = describe()
	payload, _ := jsonBytes(h)
	return []billwatch.Alert{t.newAlert(a, "changed "+Hash(payload)[:12])}
}

// keepNotice fills in h, whose notice was not read, with what notice n told: the witnesses,
// and the room, subjects and bills where the list gives none. h keeps its Gap only if n had
// one too.
func keepNotice(h *billwatch.Hearing, n billwatch.Hearing) {
	h.Witnesses = n.Witnesses
	if h.Room == "" {
		h.Room = n.Room
	}
	if len(h.Studies) == 0 {
		h.Studies = n.Studies
	}
	for _, b := range n.Bills {
		if !slices.Contains(h.Bills, b) {
			h.Bills = append(h.Bills, b)
		}
	}
	h.Gap = n.Gap
}

// hearingChanges lists what people care about that changed in a meeting notice.
func hearingChanges(old, nw billwatch.Hearing) []string {
	var out []string
	if !old.Start.Equal(nw.Start) || !old.End.Equal(nw.End) {
		out = append(out, fmt.Sprintf("time %s → %s", HearingWhen(old), HearingWhen(nw)))
	}
	if old.Room != nw.Room && nw.Room != "" {
		out = append(out, fmt.Sprintf("room %s → %s", firstNonEmpty(old.Room, "none"), nw.Room))
	}
	if old.InCamera != nw.InCamera {
		out = append(out, fmt.Sprintf("in camera: %v → %v", old.InCamera, nw.InCamera))
	}
	ow, nwn := witnessNames(old.Witnesses), witnessNames(nw.Witnesses)
	var added, removed []string
	for _, w := range nwn {
		if !slices.Contains(ow, w) {
			added = append(added, w)
		}
	}
	for _, w := range ow {
		if !slices.Contains(nwn, w) {
			removed = append(removed, w)
		}
	}
	if len(added) > 0 {
		out = append(out, "witnesses added: "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		out = append(out, "witnesses removed: "+strings.Join(removed, ", "))
	}
	if !slices.Equal(old.Studies, nw.Studies) && len(nw.Studies) > 0 {
		out = append(out, "subject: "+strings.Join(nw.Studies, "; "))
	}
	if old.NoticePublished != "" && nw.NoticePublished != "" && old.NoticePublished != nw.NoticePublished {
		// The stamp at the foot of the notice: a new one is a republished (amended) notice,
		// even when nothing billwatch compares has changed.
		out = append(out, fmt.Sprintf("notice republished %s (was %s)", nw.NoticePublished, old.NoticePublished))
	}
	if len(out) == 0 && !old.NoticeAmended && nw.NoticeAmended {
		out = append(out, "see the amended notice")
	}
	return out
}

// HearingVersions lists the stored readings of a meeting, oldest first.
func (s *Store) HearingVersions(h billwatch.Hearing) ([]Version, error) {
	return s.Versions(hearingDoc(h))
}
