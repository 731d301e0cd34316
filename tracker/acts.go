package tracker

import (
	"bytes"
	"context"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// StoredAct is what the store knows of one consolidated Act: its identity, the validators
// of its last fetch (for a conditional re-read) and when it was last checked.
type StoredAct struct {
	Code         string    `json:"code"`
	Title        string    `json:"title,omitempty"`
	Chapter      string    `json:"chapter,omitempty"`
	URL          string    `json:"url,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Checked      time.Time `json:"checked"`
	Versions     int       `json:"versions"`
}

// Acts live in the existing buckets: their payloads as versions of the document
// "ca/act/CODE", their records in the meta bucket under the same key. The consolidated Acts
// are Canada's (the Justice Laws site).
func actDoc(code string) string { return storeKey(billwatch.Canada, "act/"+code) }

// PutAct stores a consolidated Act's XML as its next version unless it equals the latest,
// and records the fetch. It reports whether a version was added.
func (s *Store) PutAct(rec StoredAct, payload []byte, now time.Time) (Version, bool, error) {
	var v Version
	var added bool
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if payload != nil {
			v, added, err = addVersion(tx, actDoc(rec.Code), payload, rec.URL, "consolidation", now)
			if err != nil {
				return err
			}
		}
		rec.Checked = now.UTC()
		rec.Versions = len(versions(tx, actDoc(rec.Code)))
		var old StoredAct
		found, err := getJSON(tx.Bucket(bktMeta), []byte(actDoc(rec.Code)), &old)
		if err != nil {
			return err
		}
		if found && payload == nil {
			// Not modified: keep what the last full fetch learnt.
			if rec.Title == "" {
				rec.Title, rec.Chapter = old.Title, old.Chapter
			}
			if rec.ETag == "" {
				rec.ETag, rec.LastModified = old.ETag, old.LastModified
			}
		}
		return putJSON(tx.Bucket(bktMeta), []byte(actDoc(rec.Code)), rec)
	})
	return v, added, err
}

// Act returns the latest stored XML of an Act; found is false when none is stored.
func (s *Store) Act(code string) (payload []byte, rec StoredAct, found bool, err error) {
	var v Version
	err = s.view(func(tx *bolt.Tx) error {
		var ok bool
		if v, ok = latestVersion(tx, actDoc(code)); !ok {
			return nil
		}
		found = true
		if _, err := getJSON(tx.Bucket(bktMeta), []byte(actDoc(code)), &rec); err != nil {
			return err
		}
		payload, err = getBlob(tx, v.Hash)
		return err
	})
	return payload, rec, found, err
}

// ActVersions lists the stored versions of an Act, oldest first.
func (s *Store) ActVersions(code string) ([]Version, error) { return s.Versions(actDoc(code)) }

// StoredActs lists the Acts the store holds, by code.
func (s *Store) StoredActs() ([]StoredAct, error) {
	var out []StoredAct
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktMeta).Cursor()
		prefix := []byte(actDoc(""))
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var rec StoredAct
			if err := decodeJSON(v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b StoredAct) int { return compareStrings(a.Code, b.Code) })
	return out, err
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var actIndexDoc = storeKey(billwatch.Canada, "act-index")

// PutActIndex stores the index of Acts (Legis.xml) as its next version unless unchanged.
func (s *Store) PutActIndex(payload []byte, url string, now time.Time) (bool, error) {
	var added bool
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		_, added, err = addVersion(tx, actIndexDoc, payload, url, "index", now)
		return err
	})
	return added, err
}

// ActIndex returns the latest stored index of Acts; found is false when none is stored.
func (s *Store) ActIndex() (payload []byte, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		v, ok := latestVersion(tx, actIndexDoc)
		if !ok {
			return nil
		}
		found = true
		payload, err = getBlob(tx, v.Hash)
		return err
	})
	return payload, found, err
}

// SourceActs is the source name of the consolidated Acts (Justice Laws).
const SourceActs = "acts"

// ActSource reads consolidated Acts and their index. Each fetch is conditional on the
// validators given; a NotModified answer has no body.
type ActSource interface {
	Index(ctx context.Context, etag, lastModified string) (ActFetch, error)
	Act(ctx context.Context, code, etag, lastModified string) (ActFetch, error)
}

// ActFetch is one answer of an ActSource.
type ActFetch struct {
	URL          string
	Body         []byte
	NotModified  bool
	ETag         string
	LastModified string
	// Title and Chapter identify the Act fetched (read from its XML by the source).
	Title, Chapter string
}

// ActPlan says which Acts a pass keeps and how often it re-reads them.
type ActPlan struct {
	// Codes lists the Acts to keep (those relevant bills amend, those watched). It is
	// called after the index is read, so that titles can be resolved with it.
	Codes func() ([]string, []error)
	// Every is how long a fetched Act or index stands before it is read again (default a
	// week): consolidations change a few times a year.
	Every time.Duration
}

var actIndexMeta = storeKey(billwatch.Canada, "act-index-meta")

// ScrapeActs reads the index of Acts and the Acts of the plan that are due, each
// conditionally, and stores every new consolidation as a version. Acts raise no alerts:
// what a bill does to them is told with the bill.
func (t *Tracker) ScrapeActs(ctx context.Context, src ActSource, plan ActPlan) Summary {
	start := t.now()
	sum := Summary{Source: SourceActs}
	every := plan.Every
	if every <= 0 {
		every = 7 * 24 * time.Hour
	}
	now := t.now()
	next := now.Add(every)
	indexRead := t.scrapeActIndex(ctx, src, &sum, now, every, &next)
	fetched, tried := t.scrapeActList(ctx, src, plan, &sum, now, every, &next)
	sum.Outcome = actsOutcome(len(sum.Problems), fetched, sum.Versions)
	if !indexRead && tried == 0 && len(sum.Problems) == 0 {
		sum.NotDue, sum.NextIn = true, max(next.Sub(now), 0)
	}
	t.settleOnly(&sum, start)
	return sum
}

// actDue reports whether an Act or index last checked at checked is to be read again.
func actDue(checked, now time.Time, every time.Duration) bool {
	return checked.IsZero() || now.Sub(checked) >= every
}

// actToFetch reports whether the Act whose stored record is rec (had false when none) is to
// be fetched: one never stored, or stored and due again.
func actToFetch(rec StoredAct, had bool, now time.Time, every time.Duration) bool {
	return !had || rec.Versions == 0 || actDue(rec.Checked, now, every)
}

// actsOutcome judges a pass over the Acts from its problems, the Acts fetched and the
// versions added: with problems, it is partial when anything was read, failed otherwise.
func actsOutcome(problems, fetched, versions int) Outcome {
	switch {
	case problems == 0:
		return OK
	case fetched > 0 || versions > 0:
		return Partial
	default:
		return Failed
	}
}

// scrapeActIndex reads the index of Acts when it is due, conditionally, and stores it. It
// reports whether the index was due (read, or tried); when it was not, it lowers *next to
// when it falls due.
func (t *Tracker) scrapeActIndex(ctx context.Context, src ActSource, sum *Summary, now time.Time, every time.Duration, next *time.Time) bool {
	var idx StoredAct
	if err := t.Store.view(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bktMeta), []byte(actIndexMeta), &idx)
		return err
	}); err != nil {
		sum.Problems = append(sum.Problems, err)
	}
	if !actDue(idx.Checked, now, every) {
		if due := idx.Checked.Add(every); due.Before(*next) {
			*next = due
		}
		return false
	}
	f, err := src.Index(ctx, idx.ETag, idx.LastModified)
	if err != nil {
		sum.Problems = append(sum.Problems, err)
		return true
	}
	idx = StoredAct{Code: actIndexMeta, URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, Checked: now.UTC()}
	if err := t.Store.update(func(tx *bolt.Tx) error {
		if f.Body != nil {
			_, added, err := addVersion(tx, actIndexDoc, f.Body, f.URL, "index", now)
			if err != nil {
				return err
			}
			if added {
				sum.Versions++
				sum.Changed++
			}
		}
		return putJSON(tx.Bucket(bktMeta), []byte(actIndexMeta), idx)
	}); err != nil {
		sum.Problems = append(sum.Problems, err)
	}
	return true
}

// scrapeActList reads the Acts of the plan that are due, each conditionally, stores every
// new consolidation and returns how many Acts were fetched and how many were due (tried). It
// lowers *next to when the first Act not due falls due.
func (t *Tracker) scrapeActList(ctx context.Context, src ActSource, plan ActPlan, sum *Summary, now time.Time, every time.Duration, next *time.Time) (fetched, tried int) {
	var codes []string
	if plan.Codes != nil {
		var errs []error
		codes, errs = plan.Codes()
		sum.Problems = append(sum.Problems, errs...)
	}
	stored := map[string]StoredAct{}
	if recs, err := t.Store.StoredActs(); err == nil {
		for _, r := range recs {
			stored[r.Code] = r
		}
	} else {
		sum.Problems = append(sum.Problems, err)
	}
	for _, code := range codes {
		if ctx.Err() != nil {
			sum.Problems = append(sum.Problems, ctx.Err())
			break
		}
		sum.Items++
		sum.Relevant++
		rec, had := stored[code]
		if !actToFetch(rec, had, now, every) {
			if due := rec.Checked.Add(every); due.Before(*next) {
				*next = due
			}
			continue
		}
		tried++
		f, err := src.Act(ctx, code, rec.ETag, rec.LastModified)
		if err != nil {
			sum.Problems = append(sum.Problems, err)
			continue
		}
		fetched++
		nr := StoredAct{Code: code, Title: f.Title, Chapter: f.Chapter, URL: f.URL, ETag: f.ETag, LastModified: f.LastModified}
		var body []byte
		if !f.NotModified {
			body = f.Body
		}
		_, added, err := t.Store.PutAct(nr, body, now)
		if err != nil {
			sum.Problems = append(sum.Problems, err)
			continue
		}
		if added {
			sum.Versions++
			sum.Changed++
		}
	}
	return fetched, tried
}
