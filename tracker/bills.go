package tracker

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// billState is what the store keeps of a bill.
type billState struct {
	Bill         billwatch.Bill          `json:"bill"`
	Detailed     bool                    `json:"detailed"`
	Publications []billwatch.Publication `json:"publications,omitempty"`
	// ListActivity is the list's latest-activity time when the record was last read: the
	// record is read again only when it moves.
	ListActivity time.Time            `json:"list_activity,omitzero"`
	RecordHash   string               `json:"record_hash,omitempty"`
	Texts        map[string]textState `json:"texts,omitempty"` // by publication id
	// Phase and Site are the bill's, kept here because the bill's own JSON is public and
	// carries neither; the jurisdiction is the key's first segment.
	Phase billwatch.Phase `json:"phase,omitempty"`
	Site  string          `json:"site,omitempty"`
	// Backfilled says that `backfill` stored the bill, not a pass: it does not make the
	// database one that follows bills (see followsBills).
	Backfilled bool `json:"backfilled,omitempty"`
	// ReinstatedFrom is the bill's, kept like Phase and Site.
	ReinstatedFrom string `json:"reinstated_from,omitempty"`

	// ListSeen is the newest list activity stamp seen since the record was read, when newer
	// than ListActivity: a list entry older than both is a stale copy (stale.go).
	ListSeen time.Time `json:"list_seen,omitzero"`
}

// MarshalJSON stores the bill's phase and site beside it.
func (st billState) MarshalJSON() ([]byte, error) {
	type plain billState
	st.Phase, st.Site, st.ReinstatedFrom = st.Bill.Phase, st.Bill.Site, st.Bill.ReinstatedFrom
	return json.Marshal(plain(st))
}

// UnmarshalJSON restores the bill's phase and site.
func (st *billState) UnmarshalJSON(data []byte) error {
	type plain billState
	if err := json.Unmarshal(data, (*plain)(st)); err != nil {
		return err
	}
	st.Bill.Phase, st.Bill.Site, st.Bill.ReinstatedFrom = st.Phase, st.Site, st.ReinstatedFrom
	return nil
}

type textState struct {
	Hash    string    `json:"hash,omitempty"`
	URL     string    `json:"url,omitempty"`
	Fetched time.Time `json:"fetched,omitzero"`
	// Checked is when the held text was last fetched again and found the same.
	Checked time.Time `json:"checked,omitzero"`
	// ETag and LastModified are the server's validators for the XML, sent back with the weekly
	// check so that an unchanged text costs a 304 and no body.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	Gap          string `json:"gap,omitempty"` // why the text could not be had yet
}

func (st *billState) full() billwatch.Bill {
	b := st.Bill
	b.Detailed = st.Detailed
	b.Publications = st.Publications
	return b
}

func billDoc(b billwatch.Bill) string {
	return storeKey(b.Jurisdiction, "bill/"+b.Session+"/"+b.Number)
}

// BillTextVersions lists the stored versions of one publication's text of a bill.
func (s *Store) BillTextVersions(b billwatch.Bill, pubID string) ([]Version, error) {
	return s.Versions(textDoc(b, pubID))
}

// decodeBill reads a stored bill, its jurisdiction from its key.
func decodeBill(k, v []byte) (billState, error) {
	var st billState
	if err := decodeJSON(v, &st); err != nil {
		_, key := splitStoreKey(k)
		return st, fmt.Errorf("bill %s: %w", key, err)
	}
	st.Bill.Jurisdiction, _ = splitStoreKey(k)
	return st, nil
}

func textDoc(b billwatch.Bill, pubID string) string { return billDoc(b) + "/text/" + pubID }

// StoredBill is a bill as `show` presents it.
type StoredBill struct {
	billwatch.Bill
	Versions []StoredText
	// SessionEnded says that the bill's session ended while it was before Parliament (see
	// StatusShown); ReinstatedAs is the bill of the next session that reinstates it, if any.
	SessionEnded bool   `json:"-"`
	ReinstatedAs string `json:"-"`
}

// StoredText is one publication of a bill and whether its text is stored.
type StoredText struct {
	billwatch.Publication
	Fetched bool
	Hash    string
	URL     string
	Gap     string
}

func (st *billState) stored() StoredBill {
	sb := StoredBill{Bill: st.full()}
	for _, p := range st.Publications {
		ts := st.Texts[p.ID]
		sb.Versions = append(sb.Versions, StoredText{Publication: p, Fetched: ts.Hash != "", Hash: ts.Hash, URL: ts.URL, Gap: ts.Gap})
	}
	return sb
}

// Bills lists stored bills of a session ("" for all sessions) in session and number order.
func (s *Store) Bills(session string) ([]StoredBill, error) {
	var out []StoredBill
	err := s.view(func(tx *bolt.Tx) error {
		err := tx.Bucket(bktBills).ForEach(func(k, v []byte) error {
			st, err := decodeBill(k, v)
			if err != nil {
				s.skip(bktBills, k, err)
				return nil
			}
			if session == "" || st.Bill.Session == session {
				out = append(out, st.stored())
			}
			return nil
		})
		if err == nil {
			s.markEnded(tx, out)
		}
		return err
	})
	slices.SortFunc(out, func(a, b StoredBill) int {
		if c := strings.Compare(a.Session, b.Session); c != 0 {
			return c
		}
		return compareBillNumbers(a.Number, b.Number)
	})
	return out, err
}

// Bill returns one stored bill of Parliament, as the command line names it; found is false
// when the store does not hold it.
func (s *Store) Bill(session, number string) (StoredBill, bool, error) {
	var st billState
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		k := billKey(billwatch.Bill{Jurisdiction: billwatch.Canada, Session: session, Number: number})
		if v := tx.Bucket(bktBills).Get(k); v != nil {
			var err error
			found = true
			st, err = decodeBill(k, v)
			return err
		}
		return nil
	})
	if err != nil || !found {
		return StoredBill{}, found, err
	}
	out := []StoredBill{st.stored()}
	err = s.view(func(tx *bolt.Tx) error {
		s.markEnded(tx, out)
		return nil
	})
	return out[0], true, err
}

// compareBillNumbers orders C- before S- and numbers numerically: C-2 < C-12 < S-201.
func compareBillNumbers(a, b string) int {
	if a[:1] != b[:1] {
		return strings.Compare(a[:1], b[:1])
	}
	na, nb := 0, 0
	fmt.Sscanf(strings.TrimLeft(a[1:], "-"), "%d", &na)
	fmt.Sscanf(strings.TrimLeft(b[1:], "-"), "%d", &nb)
	if na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}

// fetchedText is a text fetched during a pass, before it is stored.
type fetchedText struct {
	pub  billwatch.Publication
	url  string
	body []byte
	gap  string
	// checked is a held text asked for again and found unchanged (304 Not Modified).
	checked bool
	v       Validators
}

// ScrapeBills runs one pass over a session's bills: list, records of relevant bills whose
// activity moved, texts of their publications not yet held; then one transaction that stores
// what changed and queues the alerts it implies. A fresh session is a baseline: stored, no
// per-bill alerts.
func (t *Tracker) ScrapeBills(ctx context.Context, session string) Summary {
	return t.ScrapeBillsFrom(ctx, BillFeed{Source: SourceBills, Bills: t.Bills, Texts: t.Texts}, session)
}

// BillFeed is one legislature's bills: the source's name (its health, its schedule), the
// site's bills and their texts (nil: none read). Parliament's is the tracker's Bills and
// Texts; another legislature is another feed, its bills keyed by the jurisdiction its
// scraper sets.
type BillFeed struct {
	Source string
	Bills  BillSource
	Texts  TextSource
}

// ScrapeBillsFrom is ScrapeBills over the bills of feed.
func (t *Tracker) ScrapeBillsFrom(ctx context.Context, feed BillFeed, session string) Summary {
	start := t.now()
	sum := Summary{Source: feed.Source}

	list, err := feed.Bills.Bills(ctx, session)
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		t.settleOnly(&sum, start)
		return sum
	}
	old, err := t.Store.billStates(session, list)
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		sum.StoreErr = err
		return sum
	}
	// A session is a baseline only for a database that follows no bills yet: on one that does,
	// a new session (after a prorogation or an election) is news, every bill of it new.
	followed, err := t.Store.followsBills(list)
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		sum.StoreErr = err
		return sum
	}
	sum.Baseline = len(old) == 0 && !followed
	past, err := t.Store.pastBills()
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		sum.StoreErr = err
		return sum
	}
	sum.Session = session
	// Only the session followed is warned about: a pass over an earlier one, asked for, is
	// over by design.
	sum.SessionOver = (t.Session == "" || session == t.Session) && len(list) > 0 && !slices.ContainsFunc(list, func(b billwatch.Bill) bool { return !b.SessionOver })
	if sum.SessionOver {
		t.Log.Warn(SessionOverWarning(session), "source", feed.Source)
	}
	profile := t.ActiveProfile()

	var changes []billChange
	for _, lb := range list {
		if ctx.Err() != nil {
			sum.Problems = append(sum.Problems, ctx.Err())
			break
		}
		sum.Items++
		prev, had := old[string(billKey(lb))]
		if why, stale := staleBill(prev, had, lb); stale {
			t.staleCopy(&sum, lb.Key(), why)
			if prev.Bill.Relevant {
				sum.Relevant++
			}
			continue // keep the stored bill as it is
		}
		c, ok := t.readBill(ctx, feed, &sum, session, lb, prev, had, profile, past)
		if !ok {
			continue // keep the stored bill as it was; the next pass retries
		}
		if c.new.Bill.Relevant {
			sum.Relevant++
		}
		if billChanged(c) {
			changes = append(changes, c)
		}
	}
	if ctx.Err() != nil {
		// Shut down in the middle: abandon the pass whole. Storing half a baseline would make
		// the other half look new on the next pass.
		t.settleOnly(&sum, start)
		return sum
	}
	if len(list) > 0 && len(sum.Problems) > 0 {
		sum.Outcome = Partial
	}
	amendments := t.billAmendments(&sum, changes)
	lawFx := t.billLawEffects(&sum, changes)
	if len(changes) == 0 && !sum.SessionOver {
		t.settleOnly(&sum, start)
		return sum
	}
	lineage := t.billLineages(changes)
	now := t.now()
	t.commit(&sum, start, func(tx *bolt.Tx) ([]billwatch.Alert, error) {
		alerts, err := t.storeBills(tx, &sum, changes, amendments, lawFx, lineage, past, now)
		if sum.SessionOver {
			alerts = append(alerts, t.sessionOverAlert(session))
		}
		return alerts, err
	})
	return sum
}

// sessionOverAlert tells the operators, once per session (its id does not change from pass to
// pass), that the session followed is over: the pass line, `status` and the web's banner say
// it too, but the coalition meets billwatch in Slack, and until the configuration names the
// new session its bills go unwatched.
func (t *Tracker) sessionOverAlert(session string) billwatch.Alert {
	return t.newAlert(billwatch.Alert{
		Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops,
		Subject: "source " + SourceBills, Title: "Session " + session + " is over: new bills are not being watched",
		Why:    SessionOverWarning(session),
		Text:   "LEGISinfo no longer lists session " + session + " as the current one (a prorogation or a dissolution ended it). billwatch still reads it, and will not see the bills of the new session until the configuration names it.",
		Thread: "source " + SourceBills,
	}, "session over "+session)
}

// billChange is one bill a pass read: its stored state (nil when new), its new state, the
// record payload to store if it was read, and the texts fetched.
type billChange struct {
	old   *billState
	new   billState
	raw   []byte // record payload to store, if read
	texts []fetchedText
}

// billAmended is an amendment found between two texts of the bill changes[idx].
type billAmended struct {
	idx  int
	from billwatch.Publication
	to   billwatch.Publication
	am   Amendment
}

// jurisdictionsOf lists the jurisdictions of the bills, Canada's when there are none.
func jurisdictionsOf(list []billwatch.Bill) []billwatch.Jurisdiction {
	var jurs []billwatch.Jurisdiction
	for _, b := range list {
		if j := b.Jurisdiction.Or(); !slices.Contains(jurs, j) {
			jurs = append(jurs, j)
		}
	}
	if len(jurs) == 0 {
		jurs = []billwatch.Jurisdiction{billwatch.Canada}
	}
	return jurs
}

// billStates reads the stored state of a session's bills in the jurisdictions of the
// listed bills, by stored key.
func (s *Store) billStates(session string, list []billwatch.Bill) (map[string]billState, error) {
	old := map[string]billState{}
	jurs := jurisdictionsOf(list)
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktBills).Cursor()
		for _, j := range jurs {
			prefix := []byte(storeKey(j, session+" "))
			for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
				st, err := decodeBill(k, v)
				if err != nil {
					return err
				}
				old[string(k)] = st
			}
		}
		return nil
	})
	return old, err
}

// followsBills reports whether the store holds a bill, of any session, of the jurisdictions of
// the listed bills that a pass stored (a backfill's bills do not count: they are the past
// imported for lineage, not bills followed).
func (s *Store) followsBills(list []billwatch.Bill) (bool, error) {
	jurs := jurisdictionsOf(list)
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktBills).Cursor()
		for _, j := range jurs {
			prefix := []byte(storeKey(j, ""))
			for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
				var st struct {
					Backfilled bool `json:"backfilled"`
				}
				if decodeJSON(v, &st) == nil && !st.Backfilled {
					found = true
					return nil
				}
			}
		}
		return nil
	})
	return found, err
}

// billFromList is a bill's state as the list shows it: what only the record tells is kept
// until the record is read again; while the activity has not moved, the record's values
// stand. It is pure.
func billFromList(prev billState, had bool, lb billwatch.Bill, profile Profile, past *pastBills) billState {
	nw := billState{Bill: lb, ListActivity: lb.LatestActivityAt}
	if had {
		nw = prev
		if !prev.Detailed || !prev.ListActivity.Equal(lb.LatestActivityAt) {
			nw.Bill = mergeList(prev.full(), lb)
		}
	}
	// What the scraper says of the bill and the stored state lacks (a state stored before
	// phases were): the phase only while the status it was read from stands.
	if nw.Bill.Phase == billwatch.PhaseUnknown && nw.Bill.Status == lb.Status {
		nw.Bill.Phase = lb.Phase
	}
	nw.Bill.Site = cmp.Or(nw.Bill.Site, lb.Site)
	nw.Bill.Jurisdiction = lb.Jurisdiction.Or()
	nw.Bill.ReinstatedFrom = lb.ReinstatedFrom
	nw.Bill.Reasons = billReasons(profile, past, nw.full())
	nw.Bill.Relevant = len(nw.Bill.Reasons) > 0
	nw.ListSeen = listSeen(prev, had, lb)
	return nw
}

// recordDue reports whether a bill's record is to be read: for relevant bills whose activity
// moved (or that were never read), and for bills in committee: the record tells which
// committee, and a watched committee makes a bill relevant whatever its title says. It is
// pure.
func recordDue(prev billState, had bool, nw billState, lb billwatch.Bill) bool {
	moved := !had || !prev.ListActivity.Equal(lb.LatestActivityAt)
	inCommittee := lb.Phase == billwatch.PhaseCommittee
	return nw.Bill.Relevant && (moved || !prev.Detailed) || inCommittee && moved
}

// billChanged reports whether what a pass read of a bill is to be stored. It is pure.
func billChanged(c billChange) bool {
	return c.old == nil || c.raw != nil || len(c.texts) > 0 || !sameJSON(*c.old, c.new)
}

// readBill reads what a pass needs of one listed bill: its record when due, and its texts.
// ok is false when the stored bill is to be kept as it was.
func (t *Tracker) readBill(ctx context.Context, feed BillFeed, sum *Summary, session string, lb billwatch.Bill, prev billState, had bool, profile Profile, past *pastBills) (c billChange, ok bool) {
	nw := billFromList(prev, had, lb, profile, past)
	// A bill with the long title of a followed bill of an earlier session may reintroduce it:
	// its record and texts are read as a relevant bill's, so that lineage can tell.
	probe := nw
	probe.Bill.Relevant = nw.Bill.Relevant || past.titleMatch(nw.Bill)
	var raw []byte
	if recordDue(prev, had, probe, lb) {
		rec, payload, err := feed.Bills.Bill(ctx, session, lb.Number)
		if err != nil {
			if nw.Bill.Relevant {
				sum.Problems = append(sum.Problems, err)
			} else {
				// Only a look for a watched committee: not worth a partial pass.
				t.Log.Debug("record of a bill in committee unreadable", "bill", lb.Key(), "error", err)
			}
			if had {
				return billChange{}, false
			}
		} else {
			raw = payload
			nw.Bill = mergeRecord(rec, lb)
			nw.Detailed = true
			nw.Publications = rec.Publications
			nw.ListActivity = lb.LatestActivityAt
			nw.RecordHash = Hash(payload)
			nw.Bill.ReinstatedFrom = lb.ReinstatedFrom
			nw.Bill.Reasons = billReasons(profile, past, nw.full())
			nw.Bill.Relevant = len(nw.Bill.Reasons) > 0
		}
	}
	nw.Texts = cloneTexts(prev.Texts)
	var texts []fetchedText
	if (nw.Bill.Relevant || probe.Bill.Relevant) && nw.Detailed && feed.Texts != nil {
		texts = t.readTexts(ctx, feed.Texts, sum, prev, had, nw)
	}
	var prevPtr *billState
	if had {
		p := prev
		prevPtr = &p
	}
	return billChange{old: prevPtr, new: nw, raw: raw, texts: texts}, true
}

// readTexts fetches the texts of a relevant bill's publications not yet held or due again.
func (t *Tracker) readTexts(ctx context.Context, src TextSource, sum *Summary, prev billState, had bool, nw billState) []fetchedText {
	var texts []fetchedText
	for _, p := range nw.Publications {
		ts, ok := nw.Texts[p.ID]
		if ok && ts.Hash != "" {
			due, weekly := t.textDue(prev, had, p, ts)
			if !due {
				continue
			}
			if rc, can := src.(TextRechecker); can && weekly && ts.URL != "" {
				body, nv, changed, err := rc.Recheck(ctx, p, ts.URL, Validators{ETag: ts.ETag, LastModified: ts.LastModified})
				switch {
				case err != nil:
					sum.Problems = append(sum.Problems, err)
				case changed:
					texts = append(texts, fetchedText{pub: p, url: ts.URL, body: body, v: nv})
				default:
					texts = append(texts, fetchedText{pub: p, url: ts.URL, checked: true, v: nv})
				}
				continue
			}
		}
		var url string
		var body []byte
		var v Validators
		var err error
		if vs, can := src.(TextRechecker); can {
			url, body, v, err = vs.TextValidated(ctx, p)
		} else {
			url, body, err = src.Text(ctx, p)
		}
		switch {
		case err == nil:
			texts = append(texts, fetchedText{pub: p, url: url, body: body, v: v})
		case t.IsGap != nil && t.IsGap(err):
			if gap := firstLine(err); !ok || ts.Hash == "" && ts.Gap != gap {
				texts = append(texts, fetchedText{pub: p, gap: gap})
			}
		default:
			sum.Problems = append(sum.Problems, err)
		}
	}
	return texts
}

// billAmendments diffs each new text of a relevant bill against its previous text, outside
// the transaction.
func (t *Tracker) billAmendments(sum *Summary, changes []billChange) []billAmended {
	var amendments []billAmended
	if sum.Baseline || t.Differ == nil {
		return nil
	}
	for i, c := range changes {
		if c.old == nil || !c.new.Bill.Relevant {
			continue
		}
		for _, ft := range c.texts {
			if ft.body == nil {
				continue
			}
			prevPub, prevBody, ok := t.previousText(c.old, c.new, ft)
			if !ok {
				continue
			}
			am, err := t.amendment(prevBody, ft.body)
			if err != nil {
				sum.Problems = append(sum.Problems, fmt.Errorf("diff %s %s → %s: %w", c.new.Bill.Key(), prevPub.Type, ft.pub.Type, err))
				continue
			}
			if am.Changed {
				amendments = append(amendments, billAmended{idx: i, from: prevPub, to: ft.pub, am: am})
			}
		}
	}
	return amendments
}

// billLawEffects tells what each new text does to the law, outside the transaction.
func (t *Tracker) billLawEffects(sum *Summary, changes []billChange) map[int]LawEffects {
	lawFx := map[int]LawEffects{}
	if sum.Baseline || t.Law == nil {
		return lawFx
	}
	for i, c := range changes {
		if !c.new.Bill.Relevant {
			continue
		}
		for _, ft := range c.texts {
			if fx, ok := t.lawFor(ft.body); ok {
				lawFx[i] = fx // the last text fetched is the latest
			}
		}
	}
	return lawFx
}

// billLineages links each bill's newest text against every stored bill text, outside the
// transaction. A failure here costs the link, never the pass.
func (t *Tracker) billLineages(changes []billChange) map[int]billLineage {
	lineage := map[int]billLineage{}
	ix, err := t.Reindex()
	if err != nil {
		t.Log.Warn("lineage index unreadable", "error", err)
		return lineage
	}
	for i, c := range changes {
		var last *fetchedText
		for j := range c.texts {
			if c.texts[j].body != nil {
				last = &c.texts[j]
			}
		}
		if last == nil {
			continue
		}
		l, err := t.lineageOf(ix, c.new.Bill.Key(), Hash(last.body), last.body)
		if err != nil {
			t.Log.Warn("lineage", "bill", c.new.Bill.Key(), "error", err)
		}
		lineage[i] = l
	}
	return lineage
}

// storeBills writes, within tx, the bills that changed, their records and texts, and
// returns their alerts.
func (t *Tracker) storeBills(tx *bolt.Tx, sum *Summary, changes []billChange, amendments []billAmended, lawFx map[int]LawEffects, lineage map[int]billLineage, past *pastBills, now time.Time) ([]billwatch.Alert, error) {
	var alerts []billwatch.Alert
	bills := tx.Bucket(bktBills)
	versionsAdded := 0
	for i, c := range changes {
		nw := c.new
		if c.raw != nil {
			if _, added, err := addVersion(tx, billDoc(nw.Bill)+"/record", c.raw, nw.Bill.URL, "record", now); err != nil {
				return nil, err
			} else if added {
				versionsAdded++
			}
		}
		added, err := storeTexts(tx, &nw, c.texts, now)
		if err != nil {
			return nil, err
		}
		versionsAdded += added
		l, hasLineage := lineage[i]
		if hasLineage {
			if err := storeLineage(tx, l); err != nil {
				return nil, err
			}
		}
		found, err := storeReinstatement(tx, past, nw.Bill, l.links)
		if err != nil {
			return nil, err
		}
		past.linkReasons(&nw.Bill, found)
		if err := putJSON(bills, billKey(nw.Bill), nw); err != nil {
			return nil, err
		}
		sum.Changed++
		if !sum.Baseline {
			if c.old != nil {
				alerts = append(alerts, t.lineageAlerts(past, nw.Bill, found)...)
			}
			for _, a := range t.billAlerts(c.old, nw) {
				if s := lineageText(found); s != "" && a.Kind == billwatch.KindBillIntroduced {
					a.Why += "; " + strings.TrimSuffix(strings.ToLower(s[:1])+s[1:], ".")
					a.Text = s + "\n" + a.Text
				}
				alerts = append(alerts, a)
			}
		}
		for _, a := range amendments {
			if a.idx == i {
				alerts = append(alerts, t.amendedAlert(nw, a.from, a.to, a.am))
			}
		}
		if fx, ok := lawFx[i]; ok {
			lawURL := ""
			if t.LawURL != nil {
				lawURL = t.LawURL(nw.Bill)
			}
			alerts = t.withLaw(alerts, nw.Bill, fx, lawURL)
		}
	}
	sum.Versions = versionsAdded
	return alerts, nil
}

// storeTexts stores, within tx, the texts fetched of a bill as versions and records in nw
// what was fetched, checked or found missing. It returns the versions added.
func storeTexts(tx *bolt.Tx, nw *billState, texts []fetchedText, now time.Time) (int, error) {
	versionsAdded := 0
	for _, ft := range texts {
		if ft.checked {
			ts := nw.Texts[ft.pub.ID]
			ts.Checked = now.UTC().Truncate(time.Second)
			ts.ETag, ts.LastModified = ft.v.ETag, ft.v.LastModified
			nw.Texts[ft.pub.ID] = ts
			continue
		}
		if ft.body == nil {
			ts := nw.Texts[ft.pub.ID]
			ts.Gap = ft.gap
			nw.Texts[ft.pub.ID] = ts
			continue
		}
		v, added, err := addVersion(tx, textDoc(nw.Bill, ft.pub.ID), ft.body, ft.url, ft.pub.Type, now)
		if err != nil {
			return 0, err
		}
		if added {
			versionsAdded++
		}
		ts := textState{Hash: v.Hash, URL: ft.url, Fetched: v.Fetched, ETag: ft.v.ETag, LastModified: ft.v.LastModified}
		if !added {
			ts.Checked = now.UTC().Truncate(time.Second)
		}
		nw.Texts[ft.pub.ID] = ts
	}
	return versionsAdded, nil
}

// TextRecheck is how often a held bill text is fetched again when nothing says it changed,
// to catch a silent republication under the same id.
const TextRecheck = 7 * 24 * time.Hour

// textDue reports whether a held text is to be fetched again: when its publication's
// metadata in the record changed (same id, another type or name), or (weekly) when it was last
// fetched or checked a week ago or more; the weekly check is a conditional request when the
// text source can make one (TextRechecker). Reading a bill's record again is no reason by
// itself: a record changes with every stage, its texts do not.
func (t *Tracker) textDue(prev billState, had bool, p billwatch.Publication, ts textState) (due, weekly bool) {
	if had {
		known := false
		for _, q := range prev.Publications {
			if q.ID == p.ID {
				known = true
				if !q.Same(p) {
					return true, false
				}
			}
		}
		if !known && len(prev.Publications) > 0 {
			return true, false
		}
	}
	last := ts.Fetched
	if ts.Checked.After(last) {
		last = ts.Checked
	}
	// An hour's slack: a pass at the same hour a week later is due, though its clock reads
	// the week less the time the earlier pass took to reach the text.
	if !last.IsZero() && t.now().Sub(last) >= TextRecheck-time.Hour {
		return true, true
	}
	return false, false
}

// previousText finds the text a newly fetched one is compared with: the same publication's
// stored text if it changed under the same id, else the latest earlier publication held.
func (t *Tracker) previousText(old *billState, nw billState, ft fetchedText) (billwatch.Publication, []byte, bool) {
	hash := ""
	pub := ft.pub
	if ts, ok := old.Texts[ft.pub.ID]; ok && ts.Hash != "" {
		if ts.Hash == Hash(ft.body) {
			return pub, nil, false
		}
		hash = ts.Hash
	} else {
		for _, p := range nw.Publications {
			if p.ID == ft.pub.ID {
				break
			}
			if ts, ok := old.Texts[p.ID]; ok && ts.Hash != "" {
				hash, pub = ts.Hash, p
			}
		}
	}
	if hash == "" {
		return pub, nil, false
	}
	body, err := t.Store.Payload(hash)
	if err != nil {
		t.Log.Warn("previous text unreadable", "bill", nw.Bill.Key(), "error", err)
		return pub, nil, false
	}
	return pub, body, true
}

func cloneTexts(m map[string]textState) map[string]textState {
	out := make(map[string]textState, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// mergeList updates a stored bill with the list's summary fields.
func mergeList(stored, list billwatch.Bill) billwatch.Bill {
	b := stored
	b.Title, b.ShortTitle, b.Status, b.Phase = list.Title, list.ShortTitle, list.Status, list.Phase
	b.Jurisdiction, b.Site = list.Jurisdiction, cmp.Or(list.Site, b.Site)
	b.Type, b.Sponsor, b.Chamber = list.Type, list.Sponsor, list.Chamber
	b.LatestActivity, b.LatestActivityAt = list.LatestActivity, list.LatestActivityAt
	if list.URL != "" {
		b.URL = list.URL
	}
	if list.ID != 0 {
		b.ID = list.ID
	}
	return b
}

// mergeRecord takes the record, filling what it lacks from the list.
func mergeRecord(rec, list billwatch.Bill) billwatch.Bill {
	if rec.Status == "" {
		rec.Status, rec.Phase = list.Status, list.Phase
	}
	rec.Jurisdiction, rec.Site = cmp.Or(rec.Jurisdiction, list.Jurisdiction), cmp.Or(rec.Site, list.Site)
	if rec.Title == "" {
		rec.Title = list.Title
	}
	if rec.Sponsor == "" {
		rec.Sponsor = list.Sponsor
	}
	if rec.LatestActivity == "" {
		rec.LatestActivity = list.LatestActivity
	}
	if rec.URL == "" {
		rec.URL = list.URL
	}
	rec.Session, rec.Number = list.Session, list.Number
	return rec
}

// billAlerts derives the alerts of one bill's change.
func (t *Tracker) billAlerts(old *billState, nw billState) []billwatch.Alert {
	b := nw.Bill
	if !b.Relevant {
		return nil
	}
	title := b.ShortTitle
	if title == "" {
		title = b.Title
	}
	links := []billwatch.Link{billLink(b)}
	if old == nil || !old.Bill.Relevant && old.Bill.Status == "" {
		text := fmt.Sprintf("%s, %s. Status: %s.", b.Number, b.Title, b.Status)
		if b.Sponsor != "" {
			text += " Sponsor: " + b.Sponsor + "."
		}
		if b.LatestActivity != "" {
			text += " Latest: " + b.LatestActivity + "."
		}
		return []billwatch.Alert{t.newAlert(billwatch.Alert{
			Kind: billwatch.KindBillIntroduced, Severity: billwatch.Action, Audience: billwatch.Policy,
			Subject: b.Key(), Title: title,
			Why:  "new bill matching " + strings.Join(b.Reasons, ", "),
			Text: text, Links: links,
		}, "")}
	}
	if old.Bill.Status == b.Status {
		return nil
	}
	if committee, name, ok := referral(old.Bill, b); ok {
		who := committee
		if name != "" {
			who = committee + " (" + name + ")"
		}
		return []billwatch.Alert{t.newAlert(billwatch.Alert{
			Kind: billwatch.KindBillStage, Severity: billwatch.Action, Audience: billwatch.Lobbying,
			Subject: b.Key(), Title: title,
			Why:   fmt.Sprintf("referred to %s — the window to ask to appear or send a brief is open", committee),
			Text:  fmt.Sprintf("%s, %s, was referred to %s. Status: %s. Ask the clerk to appear, send a brief, or brief a member now: hearings can start within days.", b.Number, title, who, b.Status),
			Links: links,
		}, "referral "+committee+" "+stageDiscriminator(b))}
	}
	return []billwatch.Alert{t.newAlert(billwatch.Alert{
		Kind: billwatch.KindBillStage, Severity: billwatch.Info, Audience: billwatch.Policy,
		Subject: b.Key(), Title: title,
		Why:   fmt.Sprintf("status changed: %s → %s", old.Bill.Status, b.Status),
		Text:  fmt.Sprintf("%s, %s: %s.", b.Number, title, firstNonEmpty(b.LatestActivity, b.Status)),
		Links: links,
	}, stageDiscriminator(b))}
}

// billLink is the link to a bill's page on its legislature's site, labelled with the site's
// name.
func billLink(b billwatch.Bill) billwatch.Link {
	return billwatch.Link{Label: cmp.Or(b.Site, "Bill page"), URL: b.URL}
}

// referral reports whether a status change is a referral to committee, and which committee.
// A bill stored before phases were known (PhaseUnknown) counts as not in committee.
func referral(old, nw billwatch.Bill) (acronym, name string, ok bool) {
	if nw.Phase != billwatch.PhaseCommittee || old.Phase == billwatch.PhaseCommittee {
		return "", "", false
	}
	for i := len(nw.Stages) - 1; i >= 0; i-- {
		st := nw.Stages[i]
		if st.Committee != "" && !strings.EqualFold(st.State, "Completed") {
			return st.Committee, st.CommitteeName, true
		}
	}
	for i := len(nw.Stages) - 1; i >= 0; i-- {
		if st := nw.Stages[i]; st.Committee != "" {
			return st.Committee, st.CommitteeName, true
		}
	}
	return "committee", "", true
}

func (t *Tracker) amendedAlert(nw billState, from, to billwatch.Publication, am Amendment) billwatch.Alert {
	b := nw.Bill
	brief := am.Brief
	title := firstNonEmpty(b.ShortTitle, b.Title)
	cmd := fmt.Sprintf("billwatch diff %s --session %s --from %s --to %s", b.Number, b.Session, from.Type, to.Type)
	if t.DiffCommand != nil {
		cmd = t.DiffCommand(b, from.Type, to.Type)
	}
	what := fmt.Sprintf("%s → %s", from.Name, to.Name)
	if from.ID == to.ID {
		what = fmt.Sprintf("the text of %s changed under the same id %s", to.Name, to.ID)
	}
	text := brief + "\nFull diff: " + cmd
	if t.PublicURL != "" {
		// The link opens the diff at the weightiest change: the message says what it is.
		text, _, _ = strings.Cut(brief, "\nFlags: ")
		if len(am.Top) > 0 {
			text += "\nWeightiest changes:\n• " + strings.Join(am.Top, "\n• ")
		}
	}
	return t.newAlert(billwatch.Alert{
		Kind: billwatch.KindBillAmended, Severity: billwatch.Action, Audience: billwatch.Members,
		Subject: b.Key(), Title: title,
		Page:  billwatch.DiffPath(b.Session, b.Number, billwatch.VersionParam(nw.Publications, from.ID, from.Type), billwatch.VersionParam(nw.Publications, to.ID, to.Type), am.Anchor),
		Why:   "new text: " + what,
		Text:  text,
		Links: textLinks(b, to),
	}, from.ID+"→"+to.ID+" "+Hash([]byte(brief))[:8])
}

// textLinks are an amended bill's links: its page, and the new text's page when the scraper
// gave one.
func textLinks(b billwatch.Bill, to billwatch.Publication) []billwatch.Link {
	links := []billwatch.Link{billLink(b)}
	if to.Page != "" {
		links = append(links, billwatch.Link{Label: to.Name + " text", URL: to.Page})
	}
	return links
}

// firstNonEmpty returns the first of its arguments that is not "".
var firstNonEmpty = cmp.Or[string]
