package tracker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// Source names, as `scrape` takes them.
const (
	SourceBills       = "bills"
	SourceHearings    = "hearings"
	SourceRegulations = "regulations"
)

// BillSource reads one legislature's bills (Parliament's: scraper/legisinfo). The bills it
// returns carry their jurisdiction, phase, site and pages: the tracker builds none of them.
type BillSource interface {
	// Bills lists a session's bills (summary fields only).
	Bills(ctx context.Context, session string) ([]billwatch.Bill, error)
	// Bill reads one bill's full record and returns it with the raw payload.
	Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error)
}

// TextSource reads the text of one publication of a bill.
type TextSource interface {
	// Text returns the raw bill XML of a publication and the public URL it came from.
	Text(ctx context.Context, pub billwatch.Publication) (url string, body []byte, err error)
}

// Validators are what a server said identifies the version of a page it sent (ETag,
// Last-Modified), to ask later whether it changed.
type Validators struct {
	ETag         string
	LastModified string
}

// TextRechecker is a TextSource that can ask again for a held text with a conditional request
// (If-None-Match / If-Modified-Since), so that the weekly check of an unchanged text costs a
// 304 and no body.
type TextRechecker interface {
	TextSource
	// TextValidated is Text with the validators the server gave for the XML.
	TextValidated(ctx context.Context, pub billwatch.Publication) (url string, body []byte, v Validators, err error)
	// Recheck asks for the XML at url again, only if it changed since v. changed is false when
	// the server said it did not; body is then nil.
	Recheck(ctx context.Context, pub billwatch.Publication, url string, v Validators) (body []byte, nv Validators, changed bool, err error)
}

// Differ summarises what changed between two bill texts, for the bill.amended alert.
type Differ interface {
	// Brief compares two bill XML texts. changed is false when the law text is the same.
	Brief(from, to []byte) (brief string, changed bool, err error)
}

// Tracker compares what the sources say with what the store holds, stores new versions and
// raises alerts, all in one transaction per pass.
type Tracker struct {
	Store   *Store
	Profile Profile
	Sinks   []Sink
	Now     func() time.Time
	Log     *slog.Logger

	Bills  BillSource
	Texts  TextSource
	Differ Differ
	// Law, when set, says what a bill text does to the consolidated Acts: bill alerts name
	// the Acts and provisions, and watched provisions raise bill.provision alerts.
	Law LawReader
	// LawURL, when set, is the web page of a bill's effect on the law, linked from alerts.
	LawURL func(bill billwatch.Bill) string
	// DiffCommand builds the command line that shows a bill's full diff; it goes in alerts.
	DiffCommand func(bill billwatch.Bill, from, to string) string
	// Session is the session the configuration follows (`session`, else the default): only a
	// pass over it records, for `status` and the web's banner, whether the site still calls it
	// the current session. "" records it for every pass.
	Session string

	// PublicURL is where people reach the web interface ([web] public_url). When set, every
	// alert links to its page, and bill.amended shows its weightiest flags, not a command.
	PublicURL string

	// Digests are the channels whose info alerts are gathered into one message a day.
	Digests []Digest

	// IsLayoutChange tells which errors mean a page parsed to nothing recognisable (a
	// redesign): one such error makes its source unhealthy at once.
	IsLayoutChange func(error) bool
	// IsGap tells which text errors are a recorded gap (no XML published yet) rather than a
	// failure: gaps are retried on later passes without making the pass partial.
	IsGap func(error) bool

	// UnhealthyAfter is how many failed passes in a row make a source unhealthy (default 3).
	UnhealthyAfter int

	// ConfirmWithin bounds how long a delivery that may have been posted, and cannot be
	// confirmed, holds back its channel; then it is posted again marked as a possible
	// duplicate. Zero means DefaultConfirmWithin.
	ConfirmWithin time.Duration
}

// New returns a tracker with defaults filled in.
func New(store *Store, profile Profile, log *slog.Logger) *Tracker {
	profile.compile()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tracker{Store: store, Profile: profile, Now: time.Now, Log: log, UnhealthyAfter: 3}
}

// Outcome is how a pass went.
type Outcome int

// Outcomes, in increasing gravity.
const (
	OK      Outcome = iota // everything fetched and stored
	Partial                // some pages failed; everything fetched is stored
	Failed                 // nothing usable
)

// String is the outcome as `status` and the metrics name it.
func (o Outcome) String() string {
	return [...]string{"ok", "partial", "failed"}[o]
}

// Summary reports one pass of one source.
type Summary struct {
	Source   string
	Outcome  Outcome
	Baseline bool
	Items    int // items seen
	Relevant int
	Changed  int // items whose stored state changed
	Versions int // new versions stored
	// Stale counts the records passed over as stale copies: older than what is stored.
	Stale    int
	Alerts   []billwatch.Alert
	Problems []error
	Wrote    bool // whether the pass wrote to the database
	// StoreErr says why what the pass found could not be stored or read back: its database
	// commit failed, the status file could not be written, or a stored record could not be
	// decoded. Such a pass is a failed pass of its source even though its health, written in
	// the same commit, was not stored (the daemon counts it in memory).
	StoreErr error
	Duration time.Duration
	// Coverage is, per kind of page and expected field, how many pages had it this pass.
	Coverage []FieldShare
	// NotDue is set when the pass had nothing due: it read nothing from the site (everything
	// was read recently) and so proves nothing about it; a caller must not count it as a
	// source that worked. NextIn is how long until the first item falls due.
	NotDue bool
	NextIn time.Duration
	// FirstShownApart says that the first problem is reported on its own (the command's error
	// line): Line then counts the problems without repeating it.
	FirstShownApart bool
	// Session is the session whose list a bills pass read ("" when it read none), and
	// SessionOver says that the site no longer calls it the current session (every listed
	// bill says so): prorogation or dissolution ended it, and new bills appear elsewhere.
	Session     string
	SessionOver bool
}

// SessionOverWarning is what the pass log, `status` and the web say when the session followed
// is over. It names the configuration key and does not guess the next session's code (a
// prorogation opens P-(S+1), a dissolution (P+1)-1).
func SessionOverWarning(session string) string {
	return fmt.Sprintf("session %s is over (LEGISinfo no longer lists it as the current session): new bills are not being watched; "+
		"set session = \"P-S\" in the configuration to the new session (for example \"%s\" after a prorogation, \"%s\" after an election) and restart", session, nextSession(session, false), nextSession(session, true))
}

// nextSession is the session after s when a prorogation (election false) or a dissolution
// (election true) ended it, for the warning's examples only.
func nextSession(s string, election bool) string {
	var p, n int
	if _, err := fmt.Sscanf(s, "%d-%d", &p, &n); err != nil {
		return "P-S"
	}
	if election {
		return fmt.Sprintf("%d-1", p+1)
	}
	return fmt.Sprintf("%d-%d", p, n+1)
}

// Err joins the pass's problems.
func (s Summary) Err() error { return errors.Join(s.Problems...) }

// Line is the one-line summary `scrape` prints.
func (s Summary) Line() string {
	var b strings.Builder
	if s.NotDue {
		fmt.Fprintf(&b, "%s: not due (next in %s), %d held", s.Source, roughDuration(s.NextIn), s.Items)
		return b.String()
	}
	fmt.Fprintf(&b, "%s: %s", s.Source, s.Outcome)
	if s.Baseline {
		fmt.Fprintf(&b, ", baseline recorded (no alerts for what already exists)")
	}
	fmt.Fprintf(&b, ", %d seen, %d relevant, %d changed, %d new versions, %d alerts", s.Items, s.Relevant, s.Changed, s.Versions, len(s.Alerts))
	if s.Stale > 0 {
		fmt.Fprintf(&b, ", %d stale copies ignored (older than what is stored)", s.Stale)
	}
	if s.SessionOver {
		b.WriteString("; WARNING: " + SessionOverWarning(s.Session))
	}
	switch n := len(s.Problems); {
	case n > 0 && s.FirstShownApart:
		fmt.Fprintf(&b, ", %d problems (the first is the error below)", n)
	case n > 0:
		fmt.Fprintf(&b, ", %d problems (first: %v)", n, firstLine(s.Problems[0]))
	}
	return b.String()
}

// roughDuration is d in its largest whole unit: "6d", "5h", "12m", "0m".
func roughDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d > 0:
		return fmt.Sprintf("%dm", (d+time.Minute-1)/time.Minute)
	}
	return "0m"
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (t *Tracker) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

// alertID is deterministic: the same event yields the same id, so that a repeated or resumed
// pass can never raise it twice.
func alertID(kind billwatch.Kind, subject, discriminator string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + subject + "\x00" + discriminator))
	return hex.EncodeToString(sum[:8])
}

// newAlert fills in the id, creation time and thread.
func (t *Tracker) newAlert(a billwatch.Alert, discriminator string) billwatch.Alert {
	a.ID = alertID(a.Kind, a.Subject, discriminator)
	a.Created = t.now().UTC().Truncate(time.Second)
	if a.Thread == "" {
		a.Thread = a.Subject
	}
	return t.linkPage(a)
}

// queue writes alerts to the outbox within tx, with a pending delivery for each sink and
// channel. An alert whose id is already stored is skipped. It returns the alerts queued.
func (t *Tracker) queue(tx *bolt.Tx, alerts []billwatch.Alert) ([]billwatch.Alert, error) {
	ids, all, outbox := tx.Bucket(bktAlertIDs), tx.Bucket(bktAlerts), tx.Bucket(bktOutbox)
	var queued []billwatch.Alert
	for _, a := range alerts {
		if ids.Get([]byte(a.ID)) != nil {
			continue
		}
		a = decorate(tx, a)
		a.Deliveries = nil
		for _, s := range t.Sinks {
			for _, ch := range s.Channels(a) {
				a.Deliveries = append(a.Deliveries, billwatch.Delivery{Sink: s.Name(), Channel: ch, State: billwatch.DeliveryPending})
			}
		}
		seq, err := all.NextSequence()
		if err != nil {
			return nil, err
		}
		if err := putJSON(all, be(seq), a); err != nil {
			return nil, err
		}
		if err := ids.Put([]byte(a.ID), be(seq)); err != nil {
			return nil, err
		}
		if len(a.Deliveries) > 0 {
			if err := outbox.Put(be(seq), nil); err != nil {
				return nil, err
			}
		}
		queued = append(queued, a)
	}
	return queued, nil
}

// Alerts lists stored alerts, newest first; limit 0 means all.
func (s *Store) Alerts(limit int) ([]billwatch.Alert, error) {
	var out []billwatch.Alert
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktAlerts).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var a billwatch.Alert
			if err := decodeJSON(v, &a); err != nil {
				s.skip(bktAlerts, k, err)
				continue
			}
			out = append(out, a)
			if limit > 0 && len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}
