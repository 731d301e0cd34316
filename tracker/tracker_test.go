package tracker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// MustOpen opens a fresh store in a temporary folder.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var errLayout = errors.New("page layout not recognised")
var errGap = errors.New("no XML export link")

// fakeBills is a LEGISinfo stand-in: a list and records, changeable between passes.
type fakeBills struct {
	mu      sync.Mutex
	list    []billwatch.Bill
	records map[string]billwatch.Bill
	listErr error
	recErr  map[string]error
	calls   []string
}

func (f *fakeBills) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "list")
	if f.listErr != nil {
		return nil, f.listErr
	}
	return slices.Clone(f.list), nil
}

func (f *fakeBills) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "record "+number)
	if err := f.recErr[number]; err != nil {
		return billwatch.Bill{}, nil, err
	}
	r, ok := f.records[number]
	if !ok {
		return billwatch.Bill{}, nil, fmt.Errorf("record %s: 404", number)
	}
	return r, []byte(fmt.Sprintf("%+v", r)), nil
}

type fakeTexts struct {
	texts map[string]string // publication id → body
	err   map[string]error
	calls int
}

func (f *fakeTexts) Text(ctx context.Context, pub billwatch.Publication) (string, []byte, error) {
	f.calls++
	if err := f.err[pub.ID]; err != nil {
		return "", nil, err
	}
	t, ok := f.texts[pub.ID]
	if !ok {
		return "", nil, errGap
	}
	return "https://www.parl.ca/Content/" + pub.ID + ".xml", []byte(t), nil
}

type fakeDiffer struct{}

func (fakeDiffer) Brief(from, to []byte) (string, bool, error) {
	if string(from) == string(to) {
		return "no change to the law text", false, nil
	}
	return fmt.Sprintf("%q → %q", from, to), true, nil
}

// recorder is a sink that records what it was sent.
type recorder struct {
	mu   sync.Mutex
	name string
	sent []billwatch.Alert
	errs []error // returned in turn, nil when exhausted
}

func (r *recorder) Name() string                        { return r.name }
func (r *recorder) Channels(a billwatch.Alert) []string { return []string{"#" + string(a.Audience)} }
func (r *recorder) Send(ctx context.Context, a billwatch.Alert, ch, thread string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		if err != nil {
			return "", err
		}
	}
	r.sent = append(r.sent, a)
	return fmt.Sprintf("ts-%d", len(r.sent)), nil
}

func bill(num, title, status string, activity time.Time) billwatch.Bill {
	return billwatch.Bill{Session: "45-1", Number: num, Title: title, Status: status, LatestActivityAt: activity,
		URL: "https://www.parl.ca/legisinfo/en/bill/45-1/" + strings.ToLower(num)}
}

type harness struct {
	t     *testing.T
	tr    *Tracker
	bills *fakeBills
	texts *fakeTexts
	sink  *recorder
	now   time.Time
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, bills: &fakeBills{records: map[string]billwatch.Bill{}, recErr: map[string]error{}}, texts: &fakeTexts{texts: map[string]string{}, err: map[string]error{}}, sink: &recorder{name: "rec"}}
	h.now = time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC)
	h.tr = New(MustOpen(t), DefaultProfile(), nil)
	h.tr.Now = func() time.Time { return h.now }
	h.tr.Bills, h.tr.Texts, h.tr.Differ = h.bills, h.texts, fakeDiffer{}
	h.tr.Sinks = []Sink{h.sink}
	h.tr.IsLayoutChange = func(err error) bool { return errors.Is(err, errLayout) }
	h.tr.IsGap = func(err error) bool { return errors.Is(err, errGap) }
	return h
}

func (h *harness) kinds(alerts []billwatch.Alert) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, string(a.Kind)+" "+a.Subject)
	}
	slices.Sort(out)
	return out
}

func day(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }

// week1 is the baseline: a relevant bill at second reading, an irrelevant one, a trap.
func (h *harness) week1() {
	c22 := bill("C-22", "An Act respecting lawful access", "At second reading in the House of Commons", day(10))
	c22rec := c22
	c22rec.Detailed = true
	c22rec.Stages = []billwatch.Stage{{Chamber: billwatch.House, Name: "First reading", State: "Completed"}}
	c22rec.Publications = []billwatch.Publication{{ID: "100", Type: billwatch.FirstReading, Name: "First Reading"}}
	h.bills.list = []billwatch.Bill{
		c22,
		bill("C-4", "An Act to implement certain provisions of the budget", "At second reading in the House of Commons", day(9)),
		bill("S-205", "An Act respecting social security agreements", "At second reading in the Senate", day(9)),
	}
	h.bills.records["C-22"] = c22rec
	h.texts.texts["100"] = "first reading text"
}

func TestBaselineThenChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()

	s := h.tr.ScrapeBills(ctx, "45-1")
	if s.Outcome != OK || !s.Baseline || len(s.Alerts) != 0 || s.Relevant != 1 {
		t.Fatalf("baseline pass = %s, want ok baseline with 1 relevant bill and no alerts", s.Line())
	}
	stored, _ := h.tr.Store.Bills("45-1")
	if len(stored) != 3 {
		t.Fatalf("stored %d bills, want 3", len(stored))
	}
	for _, b := range stored {
		if b.Number == "S-205" && b.Relevant {
			t.Errorf("S-205 (social security) relevant with %v, want not relevant", b.Reasons)
		}
	}

	// A week later: C-22 referred to SECU with a new text; a new relevant bill.
	h.now = day(23)
	c22 := h.bills.list[0]
	c22.Status, c22.Phase = "At consideration in committee in the House of Commons", billwatch.PhaseCommittee
	c22.LatestActivityAt = day(20)
	rec := h.bills.records["C-22"]
	rec.Status, rec.Phase = c22.Status, c22.Phase
	rec.Stages = append(rec.Stages, billwatch.Stage{Chamber: billwatch.House, Name: "Consideration in committee", State: "In progress", Committee: "SECU", CommitteeName: "Standing Committee on Public Safety and National Security"})
	rec.Publications = append(rec.Publications, billwatch.Publication{ID: "101", Type: billwatch.AmendedByCommittee, Name: "As amended by committee"})
	h.bills.records["C-22"] = rec
	h.texts.texts["101"] = "amended text"
	h.bills.list[0] = c22
	c30 := bill("C-30", "An Act to amend the Canadian Security Intelligence Service Act (foreign interference)", "At first reading in the House of Commons", day(19))
	h.bills.list = append(h.bills.list, c30)
	h.bills.records["C-30"] = c30

	s = h.tr.ScrapeBills(ctx, "45-1")
	got := h.kinds(s.Alerts)
	want := []string{"bill.amended 45-1 C-22", "bill.introduced 45-1 C-30", "bill.stage 45-1 C-22"}
	if !slices.Equal(got, want) {
		t.Fatalf("second pass alerts = %v, want %v (%s)", got, want, s.Line())
	}
	for _, a := range s.Alerts {
		if a.Kind == billwatch.KindBillStage && (a.Audience != billwatch.Lobbying || !strings.Contains(a.Why, "SECU")) {
			t.Errorf("referral alert = %+v, want lobbying audience naming SECU", a)
		}
		if a.Kind == billwatch.KindBillIntroduced && !strings.Contains(a.Why, "keyword: foreign interference") {
			t.Errorf("introduced why = %q, want the keyword", a.Why)
		}
	}

	// A third identical pass writes nothing to the database.
	before, _ := os.ReadFile(h.tr.Store.Path())
	s = h.tr.ScrapeBills(ctx, "45-1")
	after, _ := os.ReadFile(h.tr.Store.Path())
	if len(s.Alerts) != 0 || s.Changed != 0 || s.Wrote {
		t.Errorf("identical pass = %s (wrote %v), want nothing changed", s.Line(), s.Wrote)
	}
	if string(before) != string(after) {
		t.Error("identical pass changed the database file")
	}
	// Records are re-read only when activity moves: the third pass read the list alone.
	if n := len(h.bills.calls); h.bills.calls[n-1] != "list" || strings.HasPrefix(h.bills.calls[n-2], "record") && h.bills.calls[n-3] == "list" {
		t.Errorf("calls = %v, want the third pass to read only the list", h.bills.calls)
	}
}

func TestFailedListKeepsEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	before, _ := h.tr.Store.Bills("")

	for i, wantUnhealthy := range []bool{false, false, true, true} {
		h.bills.listErr = fmt.Errorf("legisinfo: https://www.parl.ca/legisinfo/en/bills/json?parlsession=45-1: HTTP 503")
		s := h.tr.ScrapeBills(ctx, "45-1")
		if s.Outcome != Failed {
			t.Fatalf("pass %d outcome = %s, want failed", i+1, s.Outcome)
		}
		health, _ := h.tr.Store.Health()
		if health[SourceBills].Unhealthy != wantUnhealthy {
			t.Errorf("after %d failures unhealthy = %v, want %v", i+1, health[SourceBills].Unhealthy, wantUnhealthy)
		}
		if k := h.kinds(s.Alerts); i == 2 && !slices.Equal(k, []string{"source.unhealthy source bills"}) || i != 2 && len(k) != 0 {
			t.Errorf("pass %d alerts = %v", i+1, k)
		}
	}
	after, _ := h.tr.Store.Bills("")
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Error("failed passes changed the stored bills")
	}
	h.bills.listErr = nil
	s := h.tr.ScrapeBills(ctx, "45-1")
	if k := h.kinds(s.Alerts); !slices.Equal(k, []string{"source.recovered source bills"}) {
		t.Errorf("recovery alerts = %v, want one source.recovered", k)
	}
	s = h.tr.ScrapeBills(ctx, "45-1")
	if len(s.Alerts) != 0 {
		t.Errorf("pass after recovery raised %v", h.kinds(s.Alerts))
	}
}

func TestLayoutChangeIsUnhealthyAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	h.tr.ScrapeBills(t.Context(), "45-1")
	h.bills.listErr = fmt.Errorf("legisinfo: list: %w", errLayout)
	s := h.tr.ScrapeBills(t.Context(), "45-1")
	if k := h.kinds(s.Alerts); !slices.Equal(k, []string{"source.unhealthy source bills"}) {
		t.Errorf("alerts = %v, want source.unhealthy at the first layout change", k)
	}
	s = h.tr.ScrapeBills(t.Context(), "45-1")
	if len(s.Alerts) != 0 {
		t.Errorf("second failure raised %v, want no repeat", h.kinds(s.Alerts))
	}
}

func TestFailedRecordIsRetriedAndRaisesNoFalseAlert(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	c22 := h.bills.list[0]
	c22.Status = "At report stage in the House of Commons"
	c22.LatestActivityAt = day(20)
	h.bills.list[0] = c22
	rec := h.bills.records["C-22"]
	rec.Status = c22.Status
	h.bills.records["C-22"] = rec
	h.bills.recErr["C-22"] = errors.New("record: truncated body")
	s := h.tr.ScrapeBills(ctx, "45-1")
	if s.Outcome != Partial || len(s.Alerts) != 0 {
		t.Fatalf("pass with failed record = %s, want partial with no alerts", s.Line())
	}
	b, _, _ := h.tr.Store.Bill("45-1", "C-22")
	if b.Status != "At second reading in the House of Commons" {
		t.Errorf("stored status = %q, want the old one kept", b.Status)
	}
	delete(h.bills.recErr, "C-22")
	s = h.tr.ScrapeBills(ctx, "45-1")
	if k := h.kinds(s.Alerts); !slices.Equal(k, []string{"bill.stage 45-1 C-22"}) {
		t.Errorf("retry alerts = %v, want the stage change once", k)
	}
}

func TestTextGapIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	delete(h.texts.texts, "100")
	ctx := t.Context()
	s := h.tr.ScrapeBills(ctx, "45-1")
	if s.Outcome != OK {
		t.Fatalf("gap pass = %s, want ok (a gap is not a failure)", s.Line())
	}
	b, _, _ := h.tr.Store.Bill("45-1", "C-22")
	if b.Versions[0].Fetched || b.Versions[0].Gap == "" {
		t.Fatalf("version = %+v, want a recorded gap", b.Versions[0])
	}
	h.texts.texts["100"] = "first reading text"
	h.tr.ScrapeBills(ctx, "45-1")
	b, _, _ = h.tr.Store.Bill("45-1", "C-22")
	if !b.Versions[0].Fetched || b.Versions[0].Gap != "" {
		t.Errorf("version after retry = %+v, want fetched", b.Versions[0])
	}
}

func TestDeliveryRetriesPermanentAndOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	h.now = day(23)
	for i, n := range []string{"C-30", "C-31"} {
		b := bill(n, "An Act respecting lawful access number "+n, "At first reading", day(18+i))
		h.bills.list = append(h.bills.list, b)
		h.bills.records[n] = b
	}
	h.tr.ScrapeBills(ctx, "45-1")

	h.sink.errs = []error{retryErr(time.Minute)}
	d, err := h.tr.Deliver(ctx)
	if err != nil || d.Sent != 0 || d.Retrying != 1 || d.Waiting != 1 {
		t.Fatalf("first drain = %+v, %v; want 1 retrying and the next alert held back in order", d, err)
	}
	d, _ = h.tr.Deliver(ctx)
	if d.Sent != 0 {
		t.Fatalf("drain before Retry-After sent %d", d.Sent)
	}
	h.now = h.now.Add(2 * time.Minute)
	d, _ = h.tr.Deliver(ctx)
	if d.Sent != 2 {
		t.Fatalf("drain after Retry-After = %+v, want 2 sent", d)
	}
	if h.sink.sent[0].Subject != "45-1 C-30" || h.sink.sent[1].Subject != "45-1 C-31" {
		t.Errorf("order = %s, %s; want C-30 then C-31", h.sink.sent[0].Subject, h.sink.sent[1].Subject)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	for _, a := range alerts {
		if a.Deliveries[0].State != billwatch.DeliverySent || a.Deliveries[0].TS == "" {
			t.Errorf("alert %s delivery = %+v, want sent with a ts", a.Subject, a.Deliveries[0])
		}
	}
	d, _ = h.tr.Deliver(ctx)
	if d.Sent+d.Failed+d.Retrying+d.Waiting > 0 || len(h.sink.sent) != 2 {
		t.Errorf("drain of an empty outbox = %+v, sent %d; want nothing", d, len(h.sink.sent))
	}
}

func retryErr(d time.Duration) error {
	return &DeliveryError{Err: errors.New("rate limited"), RetryAfter: d}
}

func permErr() error { return &DeliveryError{Err: errors.New("channel_not_found"), Permanent: true} }

func TestPermanentFailureRaisesOpsAlertOnOtherSinks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	console := &recorder{name: "console"}
	h.tr.Sinks = []Sink{h.sink, console}
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	h.now = day(23)
	b := bill("C-30", "An Act respecting terrorism", "At first reading", day(18))
	h.bills.list = append(h.bills.list, b)
	h.bills.records["C-30"] = b
	h.tr.ScrapeBills(ctx, "45-1")
	h.sink.errs = []error{permErr()}
	if _, err := h.tr.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	if len(alerts) != 2 || alerts[0].Kind != billwatch.KindSourceUnhealthy || alerts[1].Deliveries[0].State != billwatch.DeliveryFailed {
		t.Fatalf("alerts = %+v", alerts)
	}
	for _, d := range alerts[0].Deliveries {
		if d.Sink == "rec" {
			t.Errorf("the ops alert about sink rec goes to rec itself: %+v", alerts[0].Deliveries)
		}
	}
	h.tr.Deliver(ctx)
	if len(console.sent) != 2 {
		t.Errorf("console got %d alerts, want the bill and the ops alert", len(console.sent))
	}
}

// reconciler is a sink that crashed after posting.
type reconciler struct {
	recorder
	posted map[string]string
}

func (r *reconciler) Posted(ctx context.Context, id, channel string, since time.Time) (string, bool, error) {
	ref, ok := r.posted[id]
	return ref, ok, nil
}

func TestCrashBetweenPostAndMarkIsReconciled(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sink := &reconciler{recorder: recorder{name: "slack"}, posted: map[string]string{}}
	h.tr.Sinks = []Sink{sink}
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	h.now = day(23)
	b := bill("C-30", "An Act respecting terrorism", "At first reading", day(18))
	h.bills.list = append(h.bills.list, b)
	h.bills.records["C-30"] = b
	s := h.tr.ScrapeBills(ctx, "45-1")
	id := s.Alerts[0].ID
	// Simulate the crash: the attempt was recorded, the post happened, the mark did not.
	var seq uint64
	alerts, _ := h.tr.Store.Alerts(0)
	seq = 1
	a := alerts[0]
	a.Deliveries[0].Started = h.now
	a.Deliveries[0].Attempts = 1
	if err := h.tr.Store.update(func(tx *boltTx) error { return putJSON(tx.Bucket(bktAlerts), be(seq), a) }); err != nil {
		t.Fatal(err)
	}
	sink.posted[id] = "1700000000.000100"
	d, err := h.tr.Deliver(ctx)
	if err != nil || d.Sent != 1 || len(sink.sent) != 0 {
		t.Fatalf("drain after crash = %+v, %v, posted again %d times; want reconciled without reposting", d, err, len(sink.sent))
	}
	alerts, _ = h.tr.Store.Alerts(0)
	if alerts[0].Deliveries[0].TS != "1700000000.000100" {
		t.Errorf("ts = %q, want the one found", alerts[0].Deliveries[0].TS)
	}
}

// digester records digests.
type digester struct {
	recorder
	digests [][]string
}

func (d *digester) SendDigest(ctx context.Context, id, channel string, alerts []billwatch.Alert) (string, error) {
	var subjects []string
	for _, a := range alerts {
		subjects = append(subjects, a.Subject)
	}
	d.digests = append(d.digests, subjects)
	return "digest-ts", nil
}

func TestDigestGathersInfoAlertsOnceADay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sink := &digester{recorder: recorder{name: "slack"}}
	h.tr.Sinks = []Sink{sink}
	h.tr.Digests = []Digest{{Sink: "slack", Channel: "#policy", Hour: 17}}
	h.week1()
	ctx := t.Context()
	h.tr.ScrapeBills(ctx, "45-1")
	// Monday 10:00 Eastern: two stage changes (info) and a new bill (action).
	h.now = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	for i, n := range []string{"C-4", "S-205"} {
		b := h.bills.list[i+1]
		b.Status, b.LatestActivityAt = "At report stage", day(21)
		b.Title += " (national security)" // now relevant
		h.bills.list[i+1] = b
		h.bills.records[n] = b
	}
	h.bills.list = append(h.bills.list, bill("C-31", "An Act respecting terrorism", "At first reading", day(21)))
	h.bills.records["C-31"] = h.bills.list[len(h.bills.list)-1]
	h.tr.ScrapeBills(ctx, "45-1")
	d, _ := h.tr.Deliver(ctx)
	if k := h.kinds(sink.sent); !slices.Equal(k, []string{"bill.introduced 45-1 C-31"}) || d.Waiting != 2 {
		t.Fatalf("first drain sent %v (%+v), want the action alert alone and the two info alerts held", k, d)
	}
	// More info alerts an hour later wait for the same 17:00 digest.
	h.bills.list[1].Status, h.bills.list[1].LatestActivityAt = "At third reading", day(22)
	h.bills.records["C-4"] = h.bills.list[1]
	h.bills.list[2].Status, h.bills.list[2].LatestActivityAt = "At third reading", day(22)
	h.bills.records["S-205"] = h.bills.list[2]
	h.now = h.now.Add(time.Hour)
	h.tr.ScrapeBills(ctx, "45-1")
	before := len(sink.sent)
	h.tr.Deliver(ctx)
	if len(sink.sent) != before || len(sink.digests) != 0 {
		t.Fatalf("before 17:00: sent %d singly and %d digests, want the info alerts held", len(sink.sent)-before, len(sink.digests))
	}
	h.now = time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC) // 17:00 Eastern
	h.tr.Deliver(ctx)
	if len(sink.digests) != 1 || len(sink.digests[0]) != 4 {
		t.Fatalf("at 17:00: digests = %v, want one with the four stage changes", sink.digests)
	}
	h.tr.Deliver(ctx)
	if len(sink.digests) != 1 {
		t.Errorf("a second drain sent the digest again: %v", sink.digests)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	for _, a := range alerts {
		if a.Severity == billwatch.Info && a.Deliveries[0].TS != "digest-ts" {
			t.Errorf("info alert %s delivery = %+v, want sent in the digest", a.Subject, a.Deliveries[0])
		}
	}
}

func TestShutdownIsNotAFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	h.tr.ScrapeBills(t.Context(), "45-1")
	for range 4 {
		h.bills.listErr = fmt.Errorf("legisinfo: list: %w", context.Canceled)
		h.tr.ScrapeBills(t.Context(), "45-1")
	}
	health, _ := h.tr.Store.Health()
	if hb := health[SourceBills]; hb.Failures != 0 || hb.Unhealthy {
		t.Errorf("after four passes cut short by shutdown, health = %+v, want untouched", hb)
	}
	if alerts, _ := h.tr.Store.Alerts(0); len(alerts) != 0 {
		t.Errorf("shutdowns raised %v", h.kinds(alerts))
	}
}

// fakeMeetings serves committee meetings; a committee in fail answers an error.
type fakeMeetings struct {
	meetings map[string][]billwatch.Hearing
	fail     map[string]bool
}

func (f *fakeMeetings) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	if f.fail[committee] {
		return nil, fmt.Errorf("commons: %s meetings: HTTP 503", committee)
	}
	return f.meetings[committee], nil
}

func meeting(acr string, n int, start time.Time, study string) billwatch.Hearing {
	return billwatch.Hearing{Chamber: billwatch.House, Committee: acr, Session: "45-1", Number: n, Start: start, End: start.Add(2 * time.Hour),
		Status: billwatch.HearingScheduled, Studies: []string{study}, URL: fmt.Sprintf("https://www.ourcommons.ca/DocumentViewer/en/45-1/%s/meeting-%d/notice", acr, n)}
}

func TestEachCommitteeHasItsOwnBaseline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := t.Context()
	plan := HearingPlan{Session: "45-1", House: []string{"SECU", "ETHI"}}
	src := &fakeMeetings{meetings: map[string][]billwatch.Hearing{
		"SECU": {meeting("SECU", 24, day(26), "Surveillance technologies")},
		"ETHI": {meeting("ETHI", 12, day(27), "Privacy and facial recognition")},
	}, fail: map[string]bool{"ETHI": true}}
	s := h.tr.ScrapeHearings(ctx, src, nil, plan)
	if s.Outcome != Partial || len(s.Alerts) != 0 {
		t.Fatalf("first pass = %s, want partial with no alerts", s.Line())
	}
	// ETHI answers for the first time: its existing meetings are its baseline.
	src.fail["ETHI"] = false
	s = h.tr.ScrapeHearings(ctx, src, nil, plan)
	if len(s.Alerts) != 0 {
		t.Fatalf("ETHI's first readable pass raised %v, want its baseline", h.kinds(s.Alerts))
	}
	src.meetings["ETHI"] = append(src.meetings["ETHI"], meeting("ETHI", 13, day(28), "Privacy of biometric data"))
	src.meetings["SECU"] = append(src.meetings["SECU"], meeting("SECU", 25, day(28), "Bill C-22, lawful access"))
	s = h.tr.ScrapeHearings(ctx, src, nil, plan)
	if k := h.kinds(s.Alerts); !slices.Equal(k, []string{"hearing.scheduled ETHI 45-1 meeting 13", "hearing.scheduled SECU 45-1 meeting 25"}) {
		t.Errorf("new meetings raised %v", k)
	}
}

// cancelling cancels its context when a record is asked for: shutdown in mid-pass.
type cancelling struct {
	*fakeBills
	cancel context.CancelFunc
}

func (c cancelling) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	c.cancel()
	return billwatch.Bill{}, nil, fmt.Errorf("record %s: %w", number, context.Canceled)
}

func TestShutdownAbandonsHalfABaseline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.week1()
	ctx, cancel := context.WithCancel(t.Context())
	h.tr.Bills = cancelling{h.bills, cancel}
	h.tr.ScrapeBills(ctx, "45-1")
	if bills, _ := h.tr.Store.Bills(""); len(bills) != 0 {
		t.Fatalf("a baseline cut short stored %d bills, want none", len(bills))
	}
	h.tr.Bills = h.bills
	s := h.tr.ScrapeBills(t.Context(), "45-1")
	if !s.Baseline || len(s.Alerts) != 0 {
		t.Errorf("the next pass = %s, want the baseline, without alerts", s.Line())
	}
}

// oldStyleErr says it is permanent by a method, the way sinks once did: the drain must not
// read error kinds by duck typing, so it is an ordinary, retryable error.
type oldStyleErr struct{}

func (oldStyleErr) Error() string   { return "channel_not_found" }
func (oldStyleErr) Permanent() bool { return true }

// TestDrainIsTheOnlyRetryPolicy checks how the drain reads a sink's *DeliveryError: a
// permanent one fails the delivery, a wait is honoured, a post that may have gone through is
// asked about before the next attempt, and any other error is retried with the drain's backoff.
func TestDrainIsTheOnlyRetryPolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		err       error
		state     string
		next      time.Duration // NextAttempt after the drain, from now
		asksFirst bool          // the next attempt asks the reconciler before sending
	}{
		{"permanent", &DeliveryError{Err: errors.New("channel_not_found"), Permanent: true}, billwatch.DeliveryFailed, 0, false},
		{"rate limited", &DeliveryError{Err: errors.New("ratelimited"), RetryAfter: 7 * time.Minute}, billwatch.DeliveryPending, 7 * time.Minute, false},
		{"may have posted", &DeliveryError{Err: errors.New("http 503"), MayHavePosted: true}, billwatch.DeliveryPending, 30 * time.Second, true},
		{"wrapped", fmt.Errorf("console: %w", &DeliveryError{Err: errors.New("bad"), Permanent: true}), billwatch.DeliveryFailed, 0, false},
		{"plain error", errors.New("disk full"), billwatch.DeliveryPending, 30 * time.Second, false},
		{"duck-typed permanence is ignored", oldStyleErr{}, billwatch.DeliveryPending, 30 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			sink := &reconciler{recorder: recorder{name: "slack"}, posted: map[string]string{}}
			h.tr.Sinks = []Sink{sink, &recorder{name: "console"}}
			h.week1()
			h.tr.ScrapeBills(t.Context(), "45-1")
			h.now = day(23)
			b := bill("C-30", "An Act respecting terrorism", "At first reading", day(18))
			h.bills.list = append(h.bills.list, b)
			h.bills.records["C-30"] = b
			id := h.tr.ScrapeBills(t.Context(), "45-1").Alerts[0].ID
			sink.errs = []error{tc.err}
			if _, err := h.tr.Deliver(t.Context()); err != nil {
				t.Fatal(err)
			}
			alerts, _ := h.tr.Store.Alerts(0)
			var d billwatch.Delivery
			for _, a := range alerts {
				if a.ID == id {
					d = a.Deliveries[0]
				}
			}
			if d.State != tc.state || d.Attempts != 1 {
				t.Fatalf("after %v: delivery %s after %d attempts, want %s after 1", tc.err, d.State, d.Attempts, tc.state)
			}
			if tc.state == billwatch.DeliveryFailed {
				return
			}
			if got := d.NextAttempt.Sub(h.now); got != tc.next {
				t.Errorf("next attempt in %s, want %s", got, tc.next)
			}
			if got := !d.Started.IsZero(); got != tc.asksFirst {
				t.Errorf("the next attempt asks first: %v, want %v", got, tc.asksFirst)
			}
			// It had gone through: a drain that asks first finds it and posts nothing.
			sink.posted[id] = "1700000000.000100"
			h.now = h.now.Add(tc.next)
			if _, err := h.tr.Deliver(t.Context()); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 0, false: 1}[tc.asksFirst]; len(sink.sent) != want {
				t.Errorf("the retry posted %d times, want %d", len(sink.sent), want)
			}
		})
	}
}

// blindReconciler cannot read where it posts (Slack without the history scope).
type blindReconciler struct{ recorder }

func (r *blindReconciler) Posted(ctx context.Context, id, channel string, since time.Time) (string, bool, error) {
	return "", false, &DeliveryError{Err: errors.New("missing_scope"), Permanent: true, Key: "missing_scope"}
}

// TestUnconfirmedDeliveryIsHeldThenMarked: a post whose answer was lost, on a sink that cannot
// tell whether it went through, holds its channel for ConfirmWithin at most, then is posted
// again marked as a possible duplicate; the alerts behind it follow, and one ops alert says why.
func TestUnconfirmedDeliveryIsHeldThenMarked(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sink := &blindReconciler{recorder{name: "slack"}}
	console := &recorder{name: "console"}
	h.tr.Sinks = []Sink{sink, console}
	h.tr.ConfirmWithin = 10 * time.Minute
	h.week1()
	h.tr.ScrapeBills(t.Context(), "45-1")
	h.now = day(23)
	for i, n := range []string{"C-30", "C-31"} {
		b := bill(n, "An Act respecting lawful access number "+n, "At first reading", day(18+i))
		h.bills.list = append(h.bills.list, b)
		h.bills.records[n] = b
	}
	h.tr.ScrapeBills(t.Context(), "45-1")
	start := h.now
	sink.errs = []error{&DeliveryError{Err: errors.New("connection reset"), MayHavePosted: true}}
	for _, at := range []time.Duration{0, time.Minute, 3 * time.Minute, 9 * time.Minute} {
		h.now = start.Add(at)
		if _, err := h.tr.Deliver(t.Context()); err != nil {
			t.Fatal(err)
		}
		if bills := billAlerts(sink.sent); len(bills) != 0 {
			t.Fatalf("at +%s: sent %v before the hold ran out", at, h.kinds(bills))
		}
	}
	h.now = start.Add(10 * time.Minute)
	if _, err := h.tr.Deliver(t.Context()); err != nil {
		t.Fatal(err)
	}
	sent := billAlerts(sink.sent)
	if len(sent) != 2 {
		t.Fatalf("after the hold: sent %v, want the held alert, marked, and the one behind it", h.kinds(sent))
	}
	first := sent[0]
	if !strings.HasPrefix(first.Title, "Possible duplicate — ") || !strings.HasPrefix(first.Text, "Possible duplicate: ") || !strings.Contains(first.Text, "missing_scope") {
		t.Errorf("reposted alert title %q, text %q; want both marked, naming the cause", first.Title, first.Text)
	}
	if strings.Contains(sent[1].Title, "Possible duplicate") {
		t.Errorf("the alert behind it is marked too: %q", sent[1].Title)
	}
	alerts, _ := h.tr.Store.Alerts(0)
	ops := 0
	for _, a := range alerts {
		if strings.HasPrefix(a.Subject, SinkSubjectPrefix) {
			ops++
			continue
		}
		for _, d := range a.Deliveries {
			if d.State != billwatch.DeliverySent {
				t.Errorf("%s to %s: %s, want sent", a.Subject, d.Sink, d.State)
			}
			if d.Sink == "slack" && d.PossibleDuplicate != (a.ID == first.ID) {
				t.Errorf("%s: possible duplicate %v", a.Subject, d.PossibleDuplicate)
			}
		}
	}
	if ops != 1 {
		t.Errorf("%d ops alerts, want one saying that slack cannot confirm", ops)
	}
}

// billAlerts leaves out the ops alerts about sinks.
func billAlerts(alerts []billwatch.Alert) []billwatch.Alert {
	var out []billwatch.Alert
	for _, a := range alerts {
		if !strings.HasPrefix(a.Subject, SinkSubjectPrefix) {
			out = append(out, a)
		}
	}
	return out
}
