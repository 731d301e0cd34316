package web

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// snapshot is everything the pages show but the bill texts, read in a few short read-only
// transactions and kept until the database file changes. Fifty readers then cost the daemon
// nothing: it never waits for a reader's lock to write, and a page costs no disk read.
type snapshot struct {
	key      string
	bills    []tracker.StoredBill
	hearings []tracker.StoredHearing
	regs     []billwatch.Regulation
	alerts   []billwatch.Alert // newest first
	health   map[string]tracker.Health
	runs     map[string]tracker.RunStatus
	records  []tracker.Record // the coalition's memory: positions, next steps
	hasUsers bool             // accounts exist: reading needs a signed-in user
	size     int64
	skipped  []tracker.BadRecord // records that could not be decoded, left out

	billByKey map[string]*tracker.StoredBill
}

// stateKey names the state of the database and its status file: their sizes and times.
func (s *Server) stateKey() (string, error) {
	fi, err := os.Stat(s.opt.DB)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("database %s: %w", s.opt.DB, tracker.ErrNoDatabase)
		}
		return "", fmt.Errorf("database %s: %w", s.opt.DB, err)
	}
	key := fmt.Sprintf("%d/%d", fi.Size(), fi.ModTime().UnixNano())
	if st, err := os.Stat(s.opt.DB + ".status.json"); err == nil {
		key += fmt.Sprintf("/%d/%d", st.Size(), st.ModTime().UnixNano())
	}
	return key, nil
}

// data returns the current snapshot, reading the database again only when it changed. One
// request reads at a time. While it reads, the others are served the state read before,
// a moment old, rather than wait: a pass that writes every few seconds then never queues
// fifty readers behind one load. With no earlier state, they wait for the load.
func (s *Server) data() (*snapshot, error) {
	key, err := s.stateKey()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	snap := s.snap
	s.mu.Unlock()
	if snap != nil && snap.key == key {
		return snap, nil
	}
	if snap != nil && !s.loadMu.TryLock() {
		return snap, nil
	}
	if snap == nil {
		s.loadMu.Lock()
	}
	defer s.loadMu.Unlock()
	s.mu.Lock()
	snap = s.snap
	s.mu.Unlock()
	if snap != nil && snap.key == key {
		return snap, nil
	}
	fresh, err := load(s.opt.DB, key)
	if err != nil {
		if errors.Is(err, tracker.ErrBusy) && snap != nil {
			// Another process holds the file for long: what was read a moment ago beats an
			// error page.
			s.opt.Log.Warn("web: database busy, serving the last state read", "error", err)
			return snap, nil
		}
		return nil, err
	}
	snap = fresh
	s.mu.Lock()
	s.snap = snap
	s.mu.Unlock()
	s.warm(snap)
	return snap, nil
}

// current returns the snapshot when it is of the database as it is now, for the answers that
// must not lag (who may read); ok is false when the database changed since it was read.
func (s *Server) current() (*snapshot, bool) {
	key, err := s.stateKey()
	if err != nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap, s.snap != nil && s.snap.key == key
}

// warmDays is how recent a bill.amended alert must be for its diff to be prepared before
// anyone asks.
const warmDays = 7

// warm prepares, in the background, the diffs that recent bill.amended alerts link to, so
// that a member who taps the link lands on a page already built.
func (s *Server) warm(sn *snapshot) {
	if !s.warming.CompareAndSwap(false, true) {
		return
	}
	now := s.opt.Now()
	var jobs []func()
	for _, a := range sn.alerts {
		if a.Kind != billwatch.KindBillAmended || a.Created.Before(now.AddDate(0, 0, -warmDays)) || a.Created.After(now) || len(jobs) == 8 {
			continue
		}
		f := strings.Fields(a.Subject)
		u, err := url.Parse(a.PagePath())
		if len(f) != 2 || err != nil {
			continue
		}
		b, ok := sn.bill(f[0], f[1])
		if !ok {
			continue
		}
		fv, err1 := pickVersion(b, "from", u.Query().Get("from"))
		tv, err2 := pickVersion(b, "to", u.Query().Get("to"))
		if err1 != nil || err2 != nil {
			continue
		}
		jobs = append(jobs, func() {
			m, err := s.diffModel(b, fv, tv)
			if err != nil {
				s.opt.Log.Debug("web: prepare diff", "bill", a.Subject, "error", err)
				return
			}
			m.rendered(s.pages["diff"], "flags")
			m.rendered(s.pages["diff"], "inline")
		})
	}
	go func() {
		defer s.warming.Store(false)
		for _, job := range jobs {
			job()
		}
	}()
}

func load(path, key string) (*snapshot, error) {
	store, err := tracker.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{key: key, size: store.Size(), billByKey: map[string]*tracker.StoredBill{}}
	store.OnSkip(func(b tracker.BadRecord) { sn.skipped = append(sn.skipped, b) })
	if sn.bills, err = store.Bills(""); err != nil {
		return nil, err
	}
	if sn.hearings, err = store.Hearings(); err != nil {
		return nil, err
	}
	if sn.regs, err = store.Regulations(); err != nil {
		return nil, err
	}
	if sn.alerts, err = store.Alerts(0); err != nil {
		return nil, err
	}
	if sn.health, err = store.Health(); err != nil {
		return nil, err
	}
	if sn.runs, err = store.RunStatuses(); err != nil {
		return nil, err
	}
	if sn.records, err = store.Records(); err != nil {
		return nil, err
	}
	if sn.hasUsers, err = store.HasUsers(); err != nil {
		return nil, err
	}
	for i := range sn.bills {
		sn.billByKey[sn.bills[i].Key()] = &sn.bills[i]
	}
	return sn, nil
}

// unreadable says, for the banner, which records the pages leave out because they cannot be
// decoded; "" when none.
func (sn *snapshot) unreadable() string {
	if len(sn.skipped) == 0 {
		return ""
	}
	first := sn.skipped[0]
	if len(sn.skipped) == 1 {
		return fmt.Sprintf("One stored record cannot be read (%s %s), so these pages leave it out. Whoever runs billwatch should run billwatch check, and restore the last backup.", first.Bucket, first.Key)
	}
	return fmt.Sprintf("%d stored records cannot be read (the first: %s %s), so these pages leave them out. Whoever runs billwatch should run billwatch check, and restore the last backup.", len(sn.skipped), first.Bucket, first.Key)
}

func (sn *snapshot) bill(session, number string) (*tracker.StoredBill, bool) {
	b, ok := sn.billByKey[session+" "+number]
	return b, ok
}

// hearingsOn lists the stored meetings on a bill.
func (sn *snapshot) hearingsOn(session, number string) []tracker.StoredHearing {
	var out []tracker.StoredHearing
	for _, h := range sn.hearings {
		if h.Session != session {
			continue
		}
		for _, b := range h.Bills {
			if b == number {
				out = append(out, h)
				break
			}
		}
	}
	return out
}

// hearing finds a meeting by its number, or, for one without (number 0), by its start.
func (sn *snapshot) hearing(session, committee string, number int, start time.Time) (*tracker.StoredHearing, bool) {
	for i := range sn.hearings {
		h := &sn.hearings[i]
		// A meeting without a number is named by its start to the minute, as its path gives it.
		if h.Session == session && strings.EqualFold(h.Committee, committee) && h.Number == number && (number != 0 || h.Start.Truncate(time.Minute).Equal(start)) {
			return h, true
		}
	}
	return nil, false
}

func (sn *snapshot) regulation(part, id string) (*billwatch.Regulation, bool) {
	for i := range sn.regs {
		if sn.regs[i].Part == part && sn.regs[i].ID == id {
			return &sn.regs[i], true
		}
	}
	return nil, false
}

// alertsAbout lists the alerts whose subject or thread is one of the keys, newest first.
func (sn *snapshot) alertsAbout(keys ...string) []billwatch.Alert {
	var out []billwatch.Alert
	for _, a := range sn.alerts {
		for _, k := range keys {
			if a.Subject == k || a.Thread == k {
				out = append(out, a)
				break
			}
		}
	}
	return out
}
