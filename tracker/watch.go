package tracker

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/law"
)

// Watch-list kinds, as `billwatch watch add KIND VALUE` takes them.
const (
	WatchBill       = "bill"
	WatchKeyword    = "keyword"
	WatchCommittee  = "committee"
	WatchDepartment = "department"
	WatchAct        = "act"
	WatchProvision  = "provision"
)

// WatchKinds lists the watch-list kinds.
var WatchKinds = []string{WatchBill, WatchKeyword, WatchCommittee, WatchDepartment, WatchAct, WatchProvision}

// WatchItem is one entry of the watch list kept in the database, added to the configured
// profile.
type WatchItem struct {
	Kind  string    `json:"kind"`
	Value string    `json:"value"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
}

// watchSubject is the history subject of watch-list changes.
const watchSubject = "watch"

// NormalizeWatch checks a kind and value and returns the value as stored: bill numbers
// normalised ("c-22" → "C-22", "45-1 c-22" → "45-1 C-22"), committee acronyms upper-cased.
func NormalizeWatch(kind, value string) (string, error) {
	if !slices.Contains(WatchKinds, kind) {
		return "", bad("watch kind %q: want one of %s", kind, strings.Join(WatchKinds, ", "))
	}
	v, err := WatchValue(kind, value)
	if err != nil {
		return "", bad("watch %s: %v", kind, err)
	}
	return v, nil
}

// maxCommittee is the longest committee acronym accepted: Parliament's are four letters
// (SECU, LCJC, REGS), with room for a new one.
const maxCommittee = 6

// WatchValue is the one check of a watch-list value of a known kind, used by `watch add` and
// by the configuration's [watch] lists alike. It returns the value as stored, or an error
// that quotes the value and says what was wanted, for a caller to prefix with its key.
func WatchValue(kind, value string) (string, error) {
	value = strings.Join(strings.Fields(value), " ")
	if value == "" {
		return "", errors.New("the value is empty")
	}
	if len(value) > 200 {
		return "", errors.New("the value is longer than 200 characters")
	}
	switch kind {
	case WatchBill:
		session, num, ok := strings.Cut(value, " ")
		if !ok {
			session, num = "", value
		}
		n := billwatch.NormalizeBillNumber(num)
		if n == "" || session != "" && !validSession(session) {
			return "", fmt.Errorf("%q: want a bill number (C-22) or a session and number (45-1 C-22)", value)
		}
		if session != "" {
			return session + " " + n, nil
		}
		return n, nil
	case WatchCommittee:
		v := strings.ToUpper(value)
		ok := len(v) >= 2 && len(v) <= maxCommittee && v[0] >= 'A' && v[0] <= 'Z'
		for _, r := range v {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
				ok = false
			}
		}
		if !ok {
			return "", fmt.Errorf("%q: want a committee acronym of 2 to %d letters, such as SECU", value, maxCommittee)
		}
		return v, nil
	case WatchProvision:
		if _, err := law.ParseWatch(value); err != nil {
			return "", err
		}
	}
	return value, nil
}

func validSession(s string) bool {
	return len(s) == 4 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-' && s[3] >= '1' && s[3] <= '9'
}

func watchKey(kind, value string) []byte {
	return []byte(kind + "\x00" + strings.ToLower(value))
}

// watchList reads the watch list; an entry that cannot be decoded is left out and given to
// skip (when not nil).
func watchList(tx *bolt.Tx, skip func(bucket, k []byte, err error)) []WatchItem {
	b := tx.Bucket(bktWatch)
	if b == nil {
		return nil
	}
	var out []WatchItem
	_ = b.ForEach(func(k, v []byte) error {
		var w WatchItem
		if err := decodeJSON(v, &w); err != nil {
			if skip != nil {
				skip(bktWatch, k, err)
			}
			return nil
		}
		out = append(out, w)
		return nil
	})
	return out
}

// WatchList lists the watch list kept in the database, by kind then value.
func (s *Store) WatchList() ([]WatchItem, error) {
	var out []WatchItem
	err := s.view(func(tx *bolt.Tx) error {
		out = watchList(tx, s.skip)
		return nil
	})
	return out, err
}

// With returns the profile with the database's watch list added to it.
func (p Profile) With(items []WatchItem) Profile {
	q := Profile{
		Keywords: slices.Clone(p.Keywords), Exclude: slices.Clone(p.Exclude), Committees: slices.Clone(p.Committees),
		Bills: slices.Clone(p.Bills), Departments: slices.Clone(p.Departments), Acts: slices.Clone(p.Acts),
		Provisions: slices.Clone(p.Provisions),
	}
	add := func(dst *[]string, v string) {
		if !containsFold(*dst, v) {
			*dst = append(*dst, v)
		}
	}
	for _, w := range items {
		switch w.Kind {
		case WatchBill:
			add(&q.Bills, w.Value)
		case WatchKeyword:
			add(&q.Keywords, w.Value)
		case WatchCommittee:
			add(&q.Committees, w.Value)
		case WatchDepartment:
			add(&q.Departments, w.Value)
		case WatchAct:
			add(&q.Acts, w.Value)
		case WatchProvision:
			add(&q.Provisions, w.Value)
		}
	}
	q.compile()
	return q
}

// ActiveProfile is the configured profile plus the watch list in the database, read now: the
// daemon picks up a change on its next pass, without a restart.
func (t *Tracker) ActiveProfile() Profile {
	items, err := t.Store.WatchList()
	if err != nil {
		t.Log.Warn("watch list unreadable; using the configured profile", "error", err)
		return t.Profile
	}
	if len(items) == 0 {
		return t.Profile
	}
	return t.Profile.With(items)
}

// WatchResult says what a watch-list change did.
type WatchResult struct {
	Item    WatchItem
	Changed bool // false when the item was already there (add) or absent (rm)
	// Bills and Regulations count the stored items whose relevance the change flipped.
	Bills, Regulations int
}

// WatchAdd adds an item to the watch list, records it in the history and recomputes the
// relevance of every stored bill and regulation, in one transaction.
func (t *Tracker) WatchAdd(kind, value, by string) (WatchResult, error) {
	return t.watchEdit(kind, value, by, true)
}

// WatchRemove removes an item from the watch list, like WatchAdd. Items of the configuration
// file are not in the database: removing one is an error that says to edit the file.
func (t *Tracker) WatchRemove(kind, value, by string) (WatchResult, error) {
	return t.watchEdit(kind, value, by, false)
}

func (t *Tracker) watchEdit(kind, value, by string, add bool) (WatchResult, error) {
	v, err := NormalizeWatch(kind, value)
	if err != nil {
		return WatchResult{}, err
	}
	now := t.now().UTC()
	res := WatchResult{Item: WatchItem{Kind: kind, Value: v, By: by, At: now}}
	err = t.Store.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktWatch)
		key := watchKey(kind, v)
		var old WatchItem
		had, err := getJSON(b, key, &old)
		if err != nil {
			return err
		}
		if add == had {
			if had {
				res.Item = old
			}
			if !add && t.inConfig(kind, v) {
				return bad("watch %s %q comes from the configuration file, not the database: edit [watch] in the file", kind, v)
			}
			return errNothingToWrite
		}
		res.Changed = true
		ch := Change{Subject: watchSubject, Field: kind, By: by, At: now}
		if add {
			ch.After = v
			if err := putJSON(b, key, res.Item); err != nil {
				return err
			}
		} else {
			ch.Before = old.Value
			if err := b.Delete(key); err != nil {
				return err
			}
		}
		if err := appendHistory(tx, ch); err != nil {
			return err
		}
		res.Bills, res.Regulations, err = recomputeRelevance(tx, t.Profile.With(watchList(tx, nil)))
		return err
	})
	return res, err
}

func (t *Tracker) inConfig(kind, v string) bool {
	p := t.Profile
	switch kind {
	case WatchBill:
		return containsFold(p.Bills, v)
	case WatchKeyword:
		return containsFold(p.Keywords, v)
	case WatchCommittee:
		return containsFold(p.Committees, v)
	case WatchDepartment:
		return containsFold(p.Departments, v)
	case WatchAct:
		return containsFold(p.Acts, v)
	case WatchProvision:
		return containsFold(p.Provisions, v)
	}
	return false
}

// recomputeRelevance judges every stored bill and regulation again with p and writes those
// whose reasons changed. It returns how many flipped relevance.
func recomputeRelevance(tx *bolt.Tx, p Profile) (bills, regs int, err error) {
	past := loadPast(tx)
	err = rewriteEach(tx.Bucket(bktBills), "bill", func(st *billState) bool {
		reasons := billReasons(p, past, st.full())
		if slices.Equal(reasons, st.Bill.Reasons) {
			return false
		}
		if (len(reasons) > 0) != st.Bill.Relevant {
			bills++
		}
		st.Bill.Reasons, st.Bill.Relevant = reasons, len(reasons) > 0
		return true
	})
	if err != nil {
		return 0, 0, err
	}
	err = rewriteEach(tx.Bucket(bktRegulations), "regulation", func(st *regulationState) bool {
		r := &st.Regulation
		reasons := p.RegulationReasons(*r)
		// A final regulation inherits relevance from the watched proposal it finalises.
		if len(reasons) == 0 && r.Finalises != "" && slices.Contains(r.Reasons, "finalises a watched proposal") {
			reasons = []string{"finalises a watched proposal"}
		}
		if slices.Equal(reasons, r.Reasons) {
			return false
		}
		if (len(reasons) > 0) != r.Relevant {
			regs++
		}
		r.Reasons, r.Relevant = reasons, len(reasons) > 0
		return true
	})
	if err != nil {
		return 0, 0, err
	}
	return bills, regs, nil
}

// rewriteEach decodes every record of b (what names its kind in errors), lets change edit it,
// and writes back those it changed, after the walk: bbolt forbids writes during ForEach.
func rewriteEach[T any](b *bolt.Bucket, what string, change func(*T) bool) error {
	type kv struct {
		k []byte
		v *T
	}
	var writes []kv
	err := b.ForEach(func(k, v []byte) error {
		st := new(T)
		if err := decodeJSON(v, st); err != nil {
			return fmt.Errorf("%s %s: %w", what, k, err)
		}
		if change(st) {
			writes = append(writes, kv{slices.Clone(k), st})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, w := range writes {
		if err := putJSON(b, w.k, w.v); err != nil {
			return err
		}
	}
	return nil
}
