package tracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// Health is what the store remembers of a source between passes. It is written only when it
// changes, so that an unchanged pass writes nothing.
type Health struct {
	Failures    int       `json:"failures"` // consecutive failed passes
	Unhealthy   bool      `json:"unhealthy"`
	Episode     int       `json:"episode"` // how many times the source went unhealthy
	LastError   string    `json:"last_error,omitempty"`
	LastFailure time.Time `json:"last_failure,omitzero"`
	Since       time.Time `json:"since,omitzero"` // when the current failures began
	// Coverage is, per kind of page and field ("ourcommons notices witnesses"), how often the
	// parsers found what they expect; a sudden drop is a redesigned page.
	Coverage map[string]Coverage `json:"coverage,omitempty"`
	// Pages counts, for each page that failed on the last pass (by the URL its error names),
	// the passes in a row it failed on: a page that fails on every pass of a partial pass
	// (a bill record, a committee list) makes the source unhealthy too.
	Pages map[string]int `json:"pages,omitempty"`
}

// pageURLRE finds the URLs an error names; every scraper error names the page it was reading.
var pageURLRE = lazyre.New(`https?://[^\s"'<>]+`)

// failingPages counts the passes in a row each page named by this pass's problems has failed,
// from the counts of the last pass. A page that did not fail this time drops out.
func failingPages(last map[string]int, problems []error) map[string]int {
	var out map[string]int
	for _, p := range problems {
		for _, u := range pageURLRE.FindAllString(p.Error(), -1) {
			u = strings.TrimRight(u, ".,;:)")
			if out == nil {
				out = map[string]int{}
			}
			if _, seen := out[u]; !seen {
				out[u] = last[u] + 1
			}
		}
	}
	return out
}

// worstPage returns the page that has failed the most passes in a row.
func worstPage(pages map[string]int) (string, int) {
	url, n := "", 0
	for u, k := range pages {
		if k > n || k == n && u < url {
			url, n = u, k
		}
	}
	return url, n
}

// problemNaming returns the first line of the first problem that names url.
func problemNaming(problems []error, url string) string {
	for _, p := range problems {
		if strings.Contains(p.Error(), url) {
			return firstLine(p)
		}
	}
	return url
}

// healthAlerts updates the source's health for a pass outcome within tx and returns the
// source.unhealthy or source.recovered alert the change calls for.
func (t *Tracker) healthAlerts(tx *bolt.Tx, source string, outcome Outcome, problems []error) ([]billwatch.Alert, bool, error) {
	b := tx.Bucket(bktHealth)
	var h Health
	if _, err := getJSON(b, []byte(source), &h); err != nil {
		return nil, false, err
	}
	before := h
	now := t.now().UTC().Truncate(time.Second)
	layout := false
	for _, p := range problems {
		layout = layout || (t.IsLayoutChange != nil && t.IsLayoutChange(p))
	}
	var alerts []billwatch.Alert
	after := t.UnhealthyAfter
	if after <= 0 {
		after = 3
	}
	h.Pages = failingPages(before.Pages, problems)
	page, pageFailures := worstPage(h.Pages)
	stuck := pageFailures >= after
	if outcome == Failed || layout || stuck {
		if h.Since.IsZero() {
			h.Since = now
		}
		if outcome == Failed || layout {
			h.Failures++
			h.LastError = firstLine(errors.Join(problems...))
		} else {
			h.LastError = problemNaming(problems, page)
		}
		h.LastFailure = now
		if !h.Unhealthy && (h.Failures >= after || layout || stuck) {
			h.Unhealthy = true
			h.Episode++
			why := fmt.Sprintf("%d failed passes in a row since %s", h.Failures, h.Since.In(billwatch.Eastern).Format("2006-01-02 15:04 MST"))
			switch {
			case layout:
				why = "a page no longer parses: the site may have been redesigned"
			case h.Failures < after:
				why = fmt.Sprintf("one page failed on %d passes in a row: %s", pageFailures, page)
			}
			alerts = append(alerts, t.unhealthyAlert(source, h, why))
		}
	} else if h.Unhealthy && t.Store.statusFailing(source) {
		// The pass was stored, but its status file could not be written last time: an
		// unhealthy source does not recover before its status can be written again.
		return nil, false, nil
	} else {
		if h.Unhealthy {
			alerts = append(alerts, t.newAlert(billwatch.Alert{
				Kind: billwatch.KindSourceRecovered, Severity: billwatch.Info, Audience: billwatch.Ops,
				Subject: "source " + source, Title: source + " is readable again",
				Why:    fmt.Sprintf("the last pass succeeded after %d failures since %s", h.Failures, h.Since.In(billwatch.Eastern).Format("2006-01-02 15:04 MST")),
				Text:   "billwatch reads " + source + " again; what changed meanwhile is reported as usual.",
				Thread: "source " + source,
			}, fmt.Sprint(h.Episode, " recovered")))
		}
		h.Failures, h.Unhealthy, h.Since = 0, false, time.Time{}
	}
	if sameJSON(h, before) {
		return alerts, false, nil
	}
	return alerts, true, putJSON(b, []byte(source), h)
}

// unhealthyAlert is the source.unhealthy alert of h's episode.
func (t *Tracker) unhealthyAlert(source string, h Health, why string) billwatch.Alert {
	return t.newAlert(billwatch.Alert{
		Kind: billwatch.KindSourceUnhealthy, Severity: billwatch.Urgent, Audience: billwatch.Ops,
		Subject: "source " + source, Title: source + " is not being watched",
		Why:    why,
		Text:   fmt.Sprintf("billwatch cannot read %s: %s. Until this is fixed, changes there go unnoticed.", source, h.LastError),
		Thread: "source " + source,
	}, fmt.Sprint(h.Episode, " unhealthy"))
}

// settle ends a pass's transaction: it updates the source's health and queues the pass's
// alerts with the health ones. When the pass changed nothing, it rolls the transaction back.
func (t *Tracker) settle(tx *bolt.Tx, sum *Summary, alerts []billwatch.Alert) error {
	var health []billwatch.Alert
	var dirty bool
	// A pass cut short by shutdown says nothing of the source's health.
	if !sum.cancelled() {
		var err error
		if health, dirty, err = t.healthAlerts(tx, sum.Source, sum.Outcome, sum.Problems); err != nil {
			return err
		}
	}
	if !sum.cancelled() {
		drift, changed, err := t.storeDrift(tx, sum.Source, sum.Coverage)
		if err != nil {
			return err
		}
		health = append(health, drift...)
		dirty = dirty || changed
	}
	queued, err := t.queue(tx, append(alerts, health...))
	if err != nil {
		return err
	}
	sum.Alerts = append(sum.Alerts, queued...)
	sum.Wrote = dirty || sum.Changed > 0 || len(queued) > 0
	if !sum.Wrote {
		return errNothingToWrite
	}
	return nil
}

// finish records how a pass ended, after its transaction.
func (t *Tracker) finish(sum *Summary, start time.Time, err error) {
	sum.Duration = t.now().Sub(start)
	if err != nil {
		sum.Outcome = Failed
		sum.Alerts, sum.Wrote = nil, false
		sum.Problems = append(sum.Problems, err)
		sum.StoreErr = err
	}
	if !sum.cancelled() {
		if err := t.recordRun(*sum, start); err != nil && sum.StoreErr == nil {
			sum.StoreErr = err
		}
	}
}

// cancelled reports whether the pass was cut short by shutdown.
func (s Summary) cancelled() bool {
	return slices.ContainsFunc(s.Problems, func(err error) bool { return errors.Is(err, context.Canceled) })
}

// FirstProblem is the first line of the pass's first problem, "failed" when none was
// recorded: what the daemon's job log says of a failed pass.
func (s Summary) FirstProblem() string {
	if len(s.Problems) == 0 {
		return "failed"
	}
	return firstLine(s.Problems[0])
}

// Health returns the stored health of every source.
func (s *Store) Health() (map[string]Health, error) {
	out := map[string]Health{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktHealth).ForEach(func(k, v []byte) error {
			var h Health
			if err := decodeJSON(v, &h); err != nil {
				s.skip(bktHealth, k, err)
				return nil
			}
			out[string(k)] = h
			return nil
		})
	})
	return out, err
}

// RunStatus is what the last pass of a source did. It lives in a small file beside the
// database (PATH.status.json), not in it, so that an unchanged pass writes nothing to the
// database and `status` can read it while the daemon runs.
type RunStatus struct {
	LastRun     time.Time `json:"last_run,omitzero"`
	LastOutcome string    `json:"last_outcome,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Duration    string    `json:"duration,omitempty"`
	NextRun     time.Time `json:"next_run,omitzero"`
	// Fields is, per kind of page and expected field, how many pages of the last pass had it.
	Fields []FieldShare `json:"fields,omitempty"`
	// Session is the session followed whose list the source last read, and SessionOver says
	// that the site no longer calls it the current session.
	Session     string `json:"session,omitempty"`
	SessionOver bool   `json:"session_over,omitempty"`
}

func (s *Store) statusPath() string { return s.path + ".status.json" }

// RunStatuses reads the status file; a missing file is no status.
func (s *Store) RunStatuses() (map[string]RunStatus, error) {
	out := map[string]RunStatus{}
	b, err := os.ReadFile(s.statusPath())
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("status file %s: %w", s.statusPath(), err)
	}
	return out, nil
}

// UpdateRunStatus changes one source's entry of the status file atomically: the new file is
// written under a unique temporary name, then renamed over the old one, so that a reader never
// sees half a file and two writers never write into one temporary file.
func (s *Store) UpdateRunStatus(source string, fn func(*RunStatus)) error {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	all, err := s.RunStatuses()
	if err != nil {
		all = map[string]RunStatus{}
	}
	st := all[source]
	fn(&st)
	all[source] = st
	if err := s.writeStatus(all); err != nil {
		if s.statusFailed == nil {
			s.statusFailed = map[string]bool{}
		}
		s.statusFailed[source] = true
		return err
	}
	delete(s.statusFailed, source)
	return nil
}

// statusFailing reports whether the last write of source's status failed.
func (s *Store) statusFailing(source string) bool {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	return s.statusFailed[source]
}

// writeStatus replaces the status file with all.
func (s *Store) writeStatus(all map[string]RunStatus) error {
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(s.statusPath()), filepath.Base(s.statusPath())+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), s.statusPath())
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("status file %s: %w", s.statusPath(), err)
	}
	return nil
}

func (t *Tracker) recordRun(sum Summary, start time.Time) error {
	err := t.Store.UpdateRunStatus(sum.Source, func(st *RunStatus) {
		st.LastRun = start.UTC().Truncate(time.Second)
		st.LastOutcome = sum.Outcome.String()
		st.Duration = sum.Duration.Round(time.Millisecond).String()
		st.LastError = ""
		if len(sum.Problems) > 0 {
			st.LastError = firstLine(sum.Problems[0])
		}
		if sum.Outcome != Failed {
			st.LastSuccess = st.LastRun
		}
		st.Fields = sum.Coverage
		if sum.Session != "" && (t.Session == "" || sum.Session == t.Session) {
			st.Session, st.SessionOver = sum.Session, sum.SessionOver
		}
	})
	if err != nil {
		t.Log.Warn("cannot write status file", "source", sum.Source, "error", err)
	}
	return err
}

// settleOnly ends a pass that has nothing of its own to store: only its health, if that
// changed.
func (t *Tracker) settleOnly(sum *Summary, start time.Time) { t.commit(sum, start, nil) }
