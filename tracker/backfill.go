package tracker

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// BackfillSummary reports a backfill of an earlier session.
type BackfillSummary struct {
	Session  string
	Listed   int // bills the session's list holds
	Relevant int // relevant ones
	Skipped  int // already complete in the store (a resumed backfill)
	Stored   int // bills stored or completed by this run
	Texts    int // texts stored
	Links    int // lineage links found
	Problems []error
}

// Line is the one-line summary `backfill` prints.
func (s BackfillSummary) Line() string {
	line := fmt.Sprintf("backfill %s: %d bills listed, %d relevant, %d already complete, %d stored with %d texts, %d lineage links",
		s.Session, s.Listed, s.Relevant, s.Skipped, s.Stored, s.Texts, s.Links)
	if n := len(s.Problems); n > 0 {
		line += fmt.Sprintf(", %d problems (first: %v)", n, firstLine(s.Problems[0]))
	}
	return line
}

// Backfill imports a session's relevant bills, their records and their texts, so that lineage
// has a past to match against. It raises no alerts. Each bill is stored in its own short
// transaction, so that an interrupted backfill keeps what it fetched and a second run resumes
// where it stopped: a bill whose record and texts are all held is not fetched again. Requests
// go through the sources, which space them by the configured delay and obey robots.txt.
func (t *Tracker) Backfill(ctx context.Context, session string, progress func(done, total int)) (BackfillSummary, error) {
	sum := BackfillSummary{Session: session}
	list, err := t.Bills.Bills(ctx, session)
	if err != nil {
		return sum, fmt.Errorf("backfill %s: %w", session, err)
	}
	sum.Listed = len(list)
	profile := t.ActiveProfile()
	ix, err := t.Reindex()
	if err != nil {
		return sum, err
	}
	past, err := t.Store.pastBills()
	if err != nil {
		return sum, err
	}
	var todo []int
	for i, lb := range list {
		if len(billReasons(profile, past, lb)) > 0 {
			todo = append(todo, i)
		}
	}
	sum.Relevant = len(todo)
	for n, i := range todo {
		if ctx.Err() != nil {
			sum.Problems = append(sum.Problems, ctx.Err())
			break
		}
		if progress != nil {
			progress(n, len(todo))
		}
		lb := list[i]
		var prev billState
		had := false
		if err := t.Store.view(func(tx *bolt.Tx) error {
			had, err = getJSON(tx.Bucket(bktBills), billKey(lb), &prev)
			return err
		}); err != nil {
			return sum, err
		}
		if had && prev.Detailed && complete(prev) {
			sum.Skipped++
			continue
		}
		st := prev
		var raw []byte
		if !had || !prev.Detailed {
			rec, payload, err := t.Bills.Bill(ctx, session, lb.Number)
			if err != nil {
				sum.Problems = append(sum.Problems, err)
				continue
			}
			raw = payload
			st = billState{Bill: mergeRecord(rec, lb), Detailed: true, Publications: rec.Publications, ListActivity: lb.LatestActivityAt, RecordHash: Hash(payload), Texts: cloneTexts(prev.Texts), Backfilled: !had || prev.Backfilled}
			st.Bill.Reasons = billReasons(profile, past, st.full())
			st.Bill.Relevant = len(st.Bill.Reasons) > 0
		}
		if st.Texts == nil {
			st.Texts = map[string]textState{}
		}
		var texts []fetchedText
		if t.Texts != nil {
			for _, p := range st.Publications {
				if ts, ok := st.Texts[p.ID]; ok && ts.Hash != "" {
					continue
				}
				url, body, err := t.Texts.Text(ctx, p)
				switch {
				case err == nil:
					texts = append(texts, fetchedText{pub: p, url: url, body: body})
				case t.IsGap != nil && t.IsGap(err):
					texts = append(texts, fetchedText{pub: p, gap: firstLine(err)})
				default:
					sum.Problems = append(sum.Problems, err)
				}
			}
		}
		var lin *billLineage
		for j := len(texts) - 1; j >= 0; j-- {
			if texts[j].body != nil {
				l, err := t.lineageOf(ix, lb.Key(), Hash(texts[j].body), texts[j].body)
				if err != nil {
					t.Log.Warn("lineage", "bill", lb.Key(), "error", err)
				}
				lin = &l
				sum.Links += len(l.links)
				break
			}
		}
		now := t.now()
		err := t.Store.update(func(tx *bolt.Tx) error {
			if raw != nil {
				if _, _, err := addVersion(tx, billDoc(st.Bill)+"/record", raw, st.Bill.URL, "record", now); err != nil {
					return err
				}
			}
			for _, ft := range texts {
				if ft.body == nil {
					ts := st.Texts[ft.pub.ID]
					ts.Gap = ft.gap
					st.Texts[ft.pub.ID] = ts
					continue
				}
				v, added, err := addVersion(tx, textDoc(st.Bill, ft.pub.ID), ft.body, ft.url, ft.pub.Type, now)
				if err != nil {
					return err
				}
				if added {
					sum.Texts++
				}
				st.Texts[ft.pub.ID] = textState{Hash: v.Hash, URL: ft.url, Fetched: v.Fetched}
			}
			if lin != nil {
				if err := storeLineage(tx, *lin); err != nil {
					return err
				}
			}
			st.Bill.Jurisdiction = lb.Jurisdiction.Or()
			return putJSON(tx.Bucket(bktBills), billKey(lb), st)
		})
		if err != nil {
			return sum, err
		}
		sum.Stored++
	}
	if progress != nil {
		progress(len(todo), len(todo))
	}
	return sum, nil
}

// complete reports whether every publication of a stored bill has its text (or a recorded
// gap: no XML was published).
func complete(st billState) bool {
	for _, p := range st.Publications {
		ts := st.Texts[p.ID]
		if ts.Hash == "" && ts.Gap == "" {
			return false
		}
	}
	return true
}
