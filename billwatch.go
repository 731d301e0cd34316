// Package billwatch holds the shared vocabulary of the billwatch tracker: the bills, hearings
// and regulations its scrapers read, and the alerts its tracker raises. It imports only the
// standard library so that every other package can depend on it.
package billwatch

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Chamber names as the contract spells them (and Canada's Parliament does).
const (
	House  = "House of Commons"
	Senate = "Senate"
	Joint  = "Joint"
)

// Eastern is the time zone of Parliament and of the Canada Gazette. Every naive time the
// sources publish is Eastern wall-clock time.
var Eastern = mustLoadEastern()

func mustLoadEastern() *time.Location {
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		// The embedded tzdata (imported by cmd/billwatch) makes this unreachable in the
		// binary; tests on a machine without zoneinfo still need a usable zone.
		return time.FixedZone("EST", -5*3600)
	}
	return loc
}

// DateLayout is how a calendar date is written everywhere in billwatch (ISO 8601).
const DateLayout = "2006-01-02"

// Jurisdiction names a legislature billwatch reads: the first segment of every key it stores
// ("ca/45-1 C-22"). A scraper sets it on what it reads; empty means Canada.
type Jurisdiction string

// Canada is the Parliament of Canada, and the Canada Gazette: the only jurisdiction today.
const Canada Jurisdiction = "ca"

// Or returns j, or Canada when j is empty (a value made before jurisdictions were named).
func (j Jurisdiction) Or() Jurisdiction {
	if j == "" {
		return Canada
	}
	return j
}

// Phase is where a bill is in its legislature, normalised by the scraper from the site's
// own wording (which stays in Bill.Status, for people): the tracker decides on the phase.
type Phase string

// Bill phases. A scraper maps its site's statuses onto these; what fits none is PhaseOther.
const (
	PhaseUnknown     Phase = ""           // not said (a bill stored before phases existed)
	PhaseIntroduced  Phase = "introduced" // introduced, awaiting or at first reading
	PhaseSecond      Phase = "second"     // at second reading
	PhaseCommittee   Phase = "committee"  // referred to, and under consideration in, committee
	PhaseReport      Phase = "report"     // report stage
	PhaseThird       Phase = "third"      // third reading
	PhaseAmendments  Phase = "amendments" // one house considering the other's amendments
	PhaseRoyalAssent Phase = "assent"     // royal assent received: law
	PhaseEnded       Phase = "ended"      // defeated, withdrawn, not proceeded with
	PhaseOther       Phase = "other"      // a status the scraper does not map
)

// Bill is one bill of one parliamentary session, as its legislature's site describes it. The
// list gives the summary fields; the single-bill record adds stages, meetings, publications,
// votes and references (Detailed is then true).
type Bill struct {
	// Jurisdiction, Phase and Site are set by the scraper; the store keeps them beside the
	// bill (the jurisdiction in its key), not in the bill's public JSON.
	Jurisdiction Jurisdiction `json:"-"`
	Phase        Phase        `json:"-"`
	// Site names the page URL is on, as a link to it is labelled ("LEGISinfo").
	Site string `json:"-"`
	// SessionOver is set by the scraper when the site says the bill's session is no longer the
	// current one (LEGISinfo's IsFromCurrentSession false): prorogation or dissolution ended it.
	// A pass reads it from the list; it is not stored.
	SessionOver bool `json:"-"`
	// ReinstatedFrom is the number of the bill of the previous session this one reinstates
	// ("C-22"), when the site says so (LEGISinfo's DidReinstateFromPreviousSession and
	// ReinstatedFromBillNumberCode): the same bill carried over at the stage it had reached.
	ReinstatedFrom string `json:"-"`

	Session          string    `json:"session"` // "45-1"
	Number           string    `json:"number"`  // "C-22"
	ID               int64     `json:"id,omitempty"`
	Title            string    `json:"title"`
	ShortTitle       string    `json:"short_title"`
	Status           string    `json:"status"`
	Type             string    `json:"type,omitempty"`
	Sponsor          string    `json:"sponsor,omitempty"`
	Chamber          string    `json:"chamber,omitempty"` // originating chamber
	LatestActivity   string    `json:"latest_activity,omitempty"`
	LatestActivityAt time.Time `json:"latest_activity_at,omitzero"`
	Summary          string    `json:"summary,omitempty"`
	Statute          string    `json:"statute,omitempty"` // "S.C. 2026, c. 9" once assented
	Relevant         bool      `json:"relevant"`
	Reasons          []string  `json:"reasons"`
	URL              string    `json:"url"`

	Detailed     bool          `json:"-"`
	Stages       []Stage       `json:"stages,omitempty"`
	Meetings     []Meeting     `json:"meetings,omitempty"`
	Publications []Publication `json:"-"`
	Votes        []Vote        `json:"votes,omitempty"`
	References   []Reference   `json:"references,omitempty"`
}

// Key identifies a bill across sessions: "45-1 C-22".
func (b Bill) Key() string { return b.Session + " " + b.Number }

// Stage is one stage of a bill in one chamber (first reading, committee, royal assent...).
type Stage struct {
	Chamber       string   `json:"chamber"`
	Name          string   `json:"name"`
	ID            int      `json:"id,omitempty"`
	State         string   `json:"state"`
	Committee     string   `json:"committee"` // acronym: "SECU"; "" when none (CONTRACT.md requires the key)
	CommitteeName string   `json:"committee_name,omitempty"`
	Date          string   `json:"date"` // YYYY-MM-DD, Eastern; "" when unknown
	Events        []string `json:"events,omitempty"`
}

// Meeting is a committee meeting on a bill, as the bill's record lists it.
type Meeting struct {
	Chamber   string `json:"chamber,omitempty"`
	Committee string `json:"committee"`
	Number    int    `json:"number"`
	Date      string `json:"date"`
	// URL is the committee's page, where the record gives no page of the meeting itself.
	URL string `json:"url,omitempty"`
}

// Publication is one text version of a bill (first reading, committee reprint, ...).
type Publication struct {
	ID     string `json:"id"`   // DocumentViewer id: "13569583"
	Type   string `json:"type"` // slug: "first-reading"
	Name   string `json:"name"` // "First Reading"
	TypeID int    `json:"type_id,omitempty"`
	// Page is the publication's page for people to read, as the scraper found or built it.
	Page string `json:"page,omitempty"`
}

// Same reports whether two publications are the same version: the same id, type and name,
// whatever page each was found on.
func (p Publication) Same(q Publication) bool {
	return p.ID == q.ID && p.Type == q.Type && p.Name == q.Name && p.TypeID == q.TypeID
}

// Publication type slugs, the names users give versions on the command line.
const (
	FirstReading       = "first-reading"
	AmendedByCommittee = "amended-by-committee"
	PassedHouse        = "passed-house"
	PassedSenate       = "passed-senate"
	RoyalAssent        = "royal-assent"
)

// Vote is a recorded division on a bill.
type Vote struct {
	Chamber string `json:"chamber"`
	Number  int    `json:"number"`
	Subject string `json:"subject"`
	Yeas    int    `json:"yeas"`
	Nays    int    `json:"nays"`
	Result  string `json:"result"`
	Date    string `json:"date"`
}

// Reference is a web reference of a bill; Charter Statements matter most to our users.
type Reference struct {
	Title string `json:"title"`
	Type  string `json:"type,omitempty"`
	URL   string `json:"url"`
}

// Hearing is one committee meeting of the House, the Senate or a joint committee.
type Hearing struct {
	// Jurisdiction is set by the scraper; the store keeps it in the hearing's key.
	Jurisdiction Jurisdiction `json:"-"`

	Chamber       string    `json:"chamber"`
	Committee     string    `json:"committee"`
	Session       string    `json:"session"`
	Number        int       `json:"number"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end,omitzero"`
	InCamera      bool      `json:"in_camera"`
	NoticeAmended bool      `json:"notice_amended"`
	Status        string    `json:"status"` // HearingScheduled, HearingCancelled, HearingHeld
	Studies       []string  `json:"studies"`
	Bills         []string  `json:"bills"`
	URL           string    `json:"url"`
	Room          string    `json:"room,omitempty"`
	Broadcast     string    `json:"broadcast,omitempty"` // "webcast", "audio", "televised"
	Witnesses     []Witness `json:"witnesses,omitempty"`
	// NoticePublished is the publication stamp the notice ends with ("2024-02-09 3:10 p.m."):
	// a new stamp on the same meeting is an amended notice.
	NoticePublished string `json:"notice_published,omitempty"`
	// Gaps names what the pages did not say, or what could not be read from them ("witnesses
	// not found"), rather than guessing it.
	Gaps []string `json:"gaps,omitempty"`
	// Checks says, for the pages read in this pass, which expected fields were found; the
	// tracker counts them to notice a redesigned page. Not stored.
	Checks []FieldCheck `json:"-"`
	// Gap says what could not be read: a notice that failed leaves the witnesses unknown,
	// not empty. A notice read later for the first time is not an amendment.
	Gap string `json:"gap,omitempty"`

	// Unlisted is the Eastern date (YYYY-MM-DD) on which a meeting listed without a number,
	// still to come, was found missing from its committee's schedule read whole; MovedTo is
	// the start of the meeting that appeared in its place that day, when one did (the
	// meeting moved). Such a meeting is not reminded, and once moved it is not upcoming.
	Unlisted string    `json:"unlisted,omitempty"`
	MovedTo  time.Time `json:"moved_to,omitzero"`
}

// GapNotice is the Gap of a hearing whose notice could not be read.
const GapNotice = "notice not read"

// Hearing statuses.
const (
	HearingScheduled = "scheduled"
	HearingCancelled = "cancelled"
	HearingHeld      = "held"
)

// Key identifies a hearing: "House of Commons SECU 45-1 9". A meeting the site lists without
// a number is keyed by its committee, date and time: "Senate TRCM 43-2 2021-06-16T18:31".
// Upcoming reports whether a meeting is still ahead at now: not yet ended (a meeting with no
// published end counts as running for the day), or for a cancelled one, not yet due to start.
// A meeting that moved is not: the meeting at its new time is.
func (h Hearing) Upcoming(now time.Time) bool {
	if !h.MovedTo.IsZero() {
		return false // the meeting that took its place is
	}
	if h.Status == HearingCancelled {
		return h.Start.After(now)
	}
	end := h.End
	if end.IsZero() {
		end = h.Start.Add(24 * time.Hour)
	}
	return end.After(now)
}

// DaysLeft says how long remains at now until a deadline date (YYYY-MM-DD, to the end of
// that day, Eastern): "12 days left", "1 day left", "closes today", "closed".
func DaysLeft(now time.Time, deadline string) string {
	d, err := time.ParseInLocation(DateLayout, deadline, Eastern)
	if err != nil {
		return "deadline unknown"
	}
	y, m, day := now.In(Eastern).Date()
	n := int(math.Round(d.Sub(time.Date(y, m, day, 0, 0, 0, 0, Eastern)).Hours() / 24))
	switch {
	case n < 0:
		return "closed"
	case n == 0:
		return "closes today"
	case n == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", n)
}

// Label names a meeting within its committee: its number ("25"), or for a meeting the site
// lists without one, its Eastern start ("of 2026-11-12 16:15").
func (h Hearing) Label() string {
	if h.Number == 0 && !h.Start.IsZero() {
		return "of " + h.Start.In(Eastern).Format("2006-01-02 15:04")
	}
	return strconv.Itoa(h.Number)
}

// Subject is what alerts about a meeting name it by, and thread under: "SECU 45-1 meeting 25",
// "LCJC 45-1 meeting of 2026-11-12 16:15".
func (h Hearing) Subject() string {
	return h.Committee + " " + h.Session + " meeting " + h.Label()
}

func (h Hearing) Key() string {
	if h.Number == 0 && !h.Start.IsZero() {
		return fmt.Sprintf("%s %s %s %s", h.Chamber, h.Committee, h.Session, h.Start.In(Eastern).Format("2006-01-02T15:04"))
	}
	return fmt.Sprintf("%s %s %s %d", h.Chamber, h.Committee, h.Session, h.Number)
}

// FieldCheck records whether a parser found one field it expects on one kind of page
// ("ourcommons notices", "witnesses", true).
type FieldCheck struct {
	Page  string
	Field string
	Found bool
}

// Witness is a person or organisation a meeting notice names.
type Witness struct {
	Name         string `json:"name"`
	Title        string `json:"title,omitempty"` // "Director of Policy, Canada"
	Organization string `json:"organization,omitempty"`
	// Appearing marks a person listed under "Appearing" (a minister, usually), not as a witness.
	Appearing bool `json:"appearing,omitempty"`
}

// Regulation is one item of the Canada Gazette: a Part I proposal open for comment or a Part II
// registered regulation.
type Regulation struct {
	// Jurisdiction is set by the scraper; the store keeps it in the item's key.
	Jurisdiction Jurisdiction `json:"-"`

	Part            string   `json:"part"` // "I" or "II"
	ID              string   `json:"id"`   // "2026-06-20-reg2"
	Title           string   `json:"title"`
	Department      string   `json:"department"`
	Acts            []string `json:"acts,omitempty"` // enabling Acts ("Statutory authority")
	Published       string   `json:"published"`      // YYYY-MM-DD
	CommentDays     *int     `json:"comment_days"`   // nil when the page does not say
	CommentDeadline string   `json:"comment_deadline,omitempty"`
	Registration    *string  `json:"registration"` // "SOR/2026-123" for Part II
	Relevant        bool     `json:"relevant"`
	Reasons         []string `json:"reasons"`
	URL             string   `json:"url"`
	Summary         string   `json:"summary,omitempty"`
	// Prepublished is the date a Part II regulation says it was prepublished in Part I.
	Prepublished string `json:"prepublished,omitempty"`
	Finalises    string `json:"finalises,omitempty"` // key of the Part I proposal it makes
	Gap          string `json:"gap,omitempty"`       // what could not be read from the page
	// Checks says which expected fields the parser found on the item's page. Not stored.
	Checks []FieldCheck `json:"-"`
	// Unread is true when the item's own page could not be read: it is known from its issue's
	// index alone, and raises no alert until its page is read.
	Unread bool `json:"unread,omitempty"`
}

// Key identifies a Gazette item: "I 2026-06-20-reg2".
func (r Regulation) Key() string { return r.Part + " " + r.ID }

// Kind says what an alert is about.
type Kind string

// Alert kinds, as the contract names them.
const (
	KindBillIntroduced     Kind = "bill.introduced"
	KindBillStage          Kind = "bill.stage"
	KindBillAmended        Kind = "bill.amended"
	KindHearingScheduled   Kind = "hearing.scheduled"
	KindHearingChanged     Kind = "hearing.changed"
	KindHearingCancelled   Kind = "hearing.cancelled"
	KindHearingReminder    Kind = "hearing.reminder"
	KindRegulationProposed Kind = "regulation.proposed"
	KindRegulationFinal    Kind = "regulation.final"
	KindDeadlineReminder   Kind = "deadline.reminder"
	KindSourceUnhealthy    Kind = "source.unhealthy"
	KindSourceRecovered    Kind = "source.recovered"
	// KindBillProvision: a bill's text touches a provision on the watch list ([watch] provisions).
	KindBillProvision Kind = "bill.provision"
)

// Kinds lists every alert kind, in the contract's order. Metric labels and the validation of
// configured kinds derive from it: a new kind is added here only.
var Kinds = []Kind{
	KindBillIntroduced, KindBillStage, KindBillAmended,
	KindHearingScheduled, KindHearingChanged, KindHearingCancelled, KindHearingReminder,
	KindRegulationProposed, KindRegulationFinal, KindDeadlineReminder,
	KindSourceUnhealthy, KindSourceRecovered, KindBillProvision,
}

// Severity says how soon someone must act.
type Severity string

// Severities.
const (
	Info   Severity = "info"
	Action Severity = "action"
	Urgent Severity = "urgent"
)

// Audience is who an alert is for; each audience maps to a Slack channel.
type Audience string

// Audiences.
const (
	Policy   Audience = "policy"
	Lobbying Audience = "lobbying"
	Members  Audience = "members"
	Ops      Audience = "ops"
)

// Audiences lists every audience in a stable order.
var Audiences = []Audience{Policy, Lobbying, Members, Ops}

// Alert is something the coalition must hear about. It is written to the outbox in the same
// transaction as the change that caused it, and delivered later.
type Alert struct {
	ID       string    `json:"id"`
	Kind     Kind      `json:"kind"`
	Severity Severity  `json:"severity"`
	Audience Audience  `json:"audience"`
	Subject  string    `json:"subject"` // "45-1 C-22", "SECU 45-1 meeting 9"
	Title    string    `json:"title,omitempty"`
	Why      string    `json:"why"`
	Text     string    `json:"text"`
	Created  time.Time `json:"created"`
	Deadline string    `json:"deadline,omitempty"` // YYYY-MM-DD or RFC 3339
	Links    []Link    `json:"links,omitempty"`
	// Thread groups alerts about one thing (a bill, a hearing) so that a sink can thread them.
	Thread     string     `json:"thread,omitempty"`
	Deliveries []Delivery `json:"deliveries"`
	// Page is the path of the alert's page on the web interface when it cannot be derived
	// from its kind and subject (a diff anchored at a provision); see PagePath.
	Page string `json:"page,omitempty"`
	// URL is the alert's page with the configured public address ([web] public_url), set
	// when the alert is raised; empty without one.
	URL string `json:"url,omitempty"`
}

// Link is a labelled URL or command attached to an alert.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Delivery is the state of one alert at one sink and channel.
type Delivery struct {
	Sink     string    `json:"sink"`
	Channel  string    `json:"channel"` // "" for the console
	State    string    `json:"state"`   // DeliveryPending, DeliverySent, DeliveryFailed
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
	TS       string    `json:"ts,omitempty"` // Slack message timestamp once sent
	Updated  time.Time `json:"updated,omitzero"`
	// Started is set while an attempt is under way: found set after a crash, it means the
	// message may have been posted, and the sink is asked before posting again.
	Started     time.Time `json:"started,omitzero"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// PossibleDuplicate is set when the alert was posted again, marked as a possible
	// duplicate, because nobody could tell whether an earlier post had gone through.
	PossibleDuplicate bool `json:"possible_duplicate,omitempty"`
}

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// NormalizeBillNumber turns "c-22", "C22" or " C-22 " into "C-22". It returns "" when the text
// is not a bill number.
func NormalizeBillNumber(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "BILL ")
	if len(s) < 2 || (s[0] != 'C' && s[0] != 'S') {
		return ""
	}
	rest := strings.TrimPrefix(s[1:], "-")
	if rest == "" {
		return ""
	}
	for _, r := range rest {
		if (r < '0' || r > '9') && r != '-' && (r < 'A' || r > 'Z') {
			return ""
		}
	}
	if rest[0] < '0' || rest[0] > '9' {
		return ""
	}
	return s[:1] + "-" + rest
}
