package web

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

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
	size     int64

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
// request reads at a time; the others wait for its result.
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
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	snap = s.snap
	s.mu.Unlock()
	if snap != nil && snap.key == key {
		return snap, nil
	}
	snap, err = load(s.opt.DB, key)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.snap = snap
	s.mu.Unlock()
	return snap, nil
}

func load(path, key string) (*snapshot, error) {
	store, err := tracker.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{key: key, size: store.Size(), billByKey: map[string]*tracker.StoredBill{}}
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
	for i := range sn.bills {
		sn.billByKey[sn.bills[i].Key()] = &sn.bills[i]
	}
	return sn, nil
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

func (sn *snapshot) hearing(session, committee string, number int) (*tracker.StoredHearing, bool) {
	for i := range sn.hearings {
		h := &sn.hearings[i]
		if h.Session == session && strings.EqualFold(h.Committee, committee) && h.Number == number {
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
