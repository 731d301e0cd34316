// Package metrics exposes what the billwatch daemon is doing as Prometheus metrics and a
// health check, so that a tracker which has silently stopped shows up on a dashboard or
// pages someone. It writes the Prometheus text format itself (expose.go says why).
//
// Every label has a small fixed set of values (a source, a pass result, an alert kind, a
// sink name): never a bill, a URL or a channel, which would grow without bound.
package metrics

import (
	"slices"
	"sync"
	"time"

	"github.com/billwatch/billwatch"
)

// Pass results, the values of the result label of billwatch_passes_total; they match the
// exit statuses of `billwatch scrape` (0, 3, 1).
const (
	ResultOK      = "ok"
	ResultPartial = "partial"
	ResultFailed  = "failed"
)

var results = []string{ResultOK, ResultPartial, ResultFailed}

// kinds are the alert kinds of the contract, the values of the kind label.
var kinds = func() []string {
	out := make([]string, len(billwatch.Kinds))
	for i, k := range billwatch.Kinds {
		out[i] = string(k)
	}
	return out
}()

// Other replaces a label value outside its known set, so that a caller's mistake cannot
// create unbounded series.
const Other = "other"

// maxSinks bounds the sink label: billwatch has a handful of sinks (console, slack).
const maxSinks = 8

// passBuckets span a pass over a local fixture (under a second) to a slow crawl of
// hundreds of pages spaced by the politeness delay (half an hour).
var passBuckets = []float64{0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800}

// Metrics holds billwatch's instruments and serves them. Its methods are safe for concurrent
// use.
type Metrics struct {
	sources []string // the values of the source label
	proc    string   // where procfs is mounted: /proc, or a test's stand-in

	mu sync.Mutex // guards everything below and the families' series

	passes       *family
	passDuration *family
	pages        *family
	changes      *family

	alertsQueued     *family
	alertsSent       *family
	deliveriesFailed *family
	outboxDepth      *family

	healthy     *family
	failures    *family
	lastSuccess *family
	fieldFound  *family
	dbSize      *family

	handlerErrors *family // promhttp_metric_handler_errors_total, by cause

	sinks map[string]bool
}

// New returns billwatch's metrics, with the Go runtime's and the process's (those of
// client_golang's Go and process collectors). Every known source, result and kind starts at
// zero, so that a rate or an absence can be alerted on from the first scrape. sources are the
// values of the source label (the command's source table); any other source is counted as
// Other. Two Metrics share nothing.
func New(sources []string) *Metrics {
	m := &Metrics{
		sources: slices.Clone(sources),
		proc:    "/proc",
		passes: newFamily("billwatch_passes_total",
			"Passes over a source, by result: ok, partial (some pages failed), failed (nothing usable).",
			typeCounter, "source", "result"),
		passDuration: newFamily("billwatch_pass_duration_seconds",
			"How long a pass over a source took.",
			typeHistogram, "source"),
		pages: newFamily("billwatch_pages_fetched_total",
			"Pages fetched from a source's site.",
			typeCounter, "source"),
		changes: newFamily("billwatch_changes_total",
			"Changes found in a source (new or changed bills, hearings, regulations).",
			typeCounter, "source"),
		alertsQueued: newFamily("billwatch_alerts_queued_total",
			"Alerts written to the outbox, by kind.",
			typeCounter, "kind"),
		alertsSent: newFamily("billwatch_alerts_sent_total",
			"Alerts delivered, by sink.",
			typeCounter, "sink"),
		deliveriesFailed: newFamily("billwatch_deliveries_failed_total",
			"Failed delivery attempts, by sink; the alert stays in the outbox.",
			typeCounter, "sink"),
		outboxDepth: newFamily("billwatch_outbox_depth",
			"Alerts waiting in the outbox for delivery.",
			typeGauge),
		healthy: newFamily("billwatch_source_healthy",
			"1 if the source's last pass was usable, 0 if it is failing.",
			typeGauge, "source"),
		failures: newFamily("billwatch_source_consecutive_failures",
			"Failed passes over the source since its last good one.",
			typeGauge, "source"),
		lastSuccess: newFamily("billwatch_last_success_timestamp_seconds",
			"Unix time of the source's last good pass; 0 if it never had one.",
			typeGauge, "source"),
		fieldFound: newFamily("billwatch_field_found_ratio",
			"Share of the pages of one kind read in the source's last pass on which the parser found an expected field (0 to 1); a sudden drop is a redesigned page.",
			typeGauge, "source", "page", "field"),
		dbSize: newFamily("billwatch_db_size_bytes",
			"Size of the bbolt database file.",
			typeGauge),
		handlerErrors: newFamily("promhttp_metric_handler_errors_total",
			"Total number of internal errors encountered by the promhttp metric handler.",
			typeCounter, "cause"),
		sinks: make(map[string]bool),
	}
	m.passDuration.buckets = passBuckets
	m.outboxDepth.with()
	m.dbSize.with()
	m.handlerErrors.with(causeEncoding)
	m.handlerErrors.with(causeGathering)
	for _, s := range sources {
		for _, r := range results {
			m.passes.with(s, r)
		}
		m.passDuration.with(s)
		m.pages.with(s)
		m.changes.with(s)
		m.failures.with(s)
		m.lastSuccess.with(s)
	}
	for _, k := range kinds {
		m.alertsQueued.with(k)
	}
	return m
}

// The causes of promhttp_metric_handler_errors_total: a family that could not be read (the
// process's, from /proc), or a response that could not be written.
const (
	causeEncoding  = "encoding"
	causeGathering = "gathering"
)

// ObservePass records one pass over source: its result (ResultOK, ResultPartial or
// ResultFailed), how long it took, how many pages it fetched and how many changes it found.
func (m *Metrics) ObservePass(source, result string, d time.Duration, pages, changes int) {
	source, result = known(source, m.sources), known(result, results)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.passes.with(source, result).value++
	m.passDuration.observe(m.passDuration.with(source), d.Seconds())
	m.pages.with(source).value += float64(max(pages, 0))
	m.changes.with(source).value += float64(max(changes, 0))
}

// AlertQueued counts one alert of kind (a billwatch.Kind, such as "bill.amended") written to
// the outbox.
func (m *Metrics) AlertQueued(kind string) {
	m.add(m.alertsQueued, 1, known(kind, kinds))
}

// AlertSent counts one alert delivered by sink (its name: "slack", "console"; never a
// channel or a webhook URL).
func (m *Metrics) AlertSent(sink string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alertsSent.with(m.sink(sink)).value++
}

// DeliveryFailed counts one failed attempt to deliver an alert through sink.
func (m *Metrics) DeliveryFailed(sink string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliveriesFailed.with(m.sink(sink)).value++
}

// SetOutboxDepth records how many alerts wait for delivery; a depth that only grows means
// a sink is down.
func (m *Metrics) SetOutboxDepth(n int) { m.set(m.outboxDepth, float64(n)) }

// SetSourceHealth records a source's health after a pass: whether it is healthy, how many
// passes in a row have failed, and when it last succeeded (the zero time for never).
func (m *Metrics) SetSourceHealth(source string, healthy bool, failures int, lastSuccess time.Time) {
	source = known(source, m.sources)
	h := 0.0
	if healthy {
		h = 1
	}
	ts := 0.0
	if !lastSuccess.IsZero() {
		ts = float64(lastSuccess.UnixNano()) / 1e9
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.healthy.with(source).value = h
	m.failures.with(source).value = float64(failures)
	m.lastSuccess.with(source).value = ts
}

// SetFieldFound records the share of pages of one kind (page: "ourcommons notices") on which
// an expected field ("witnesses") was found in the source's last pass. Page and field names
// come from the parsers, a small fixed set.
func (m *Metrics) SetFieldFound(source, page, field string, share float64) {
	m.set(m.fieldFound, share, known(source, m.sources), page, field)
}

// SetDBSize records the size of the database file in bytes; bbolt files never shrink
// without a compaction, so this is the number to watch.
func (m *Metrics) SetDBSize(bytes int64) { m.set(m.dbSize, float64(bytes)) }

// add adds delta to the series of f with the label values.
func (m *Metrics) add(f *family, delta float64, values ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f.with(values...).value += delta
}

// set sets the series of f with the label values to v.
func (m *Metrics) set(f *family, v float64, values ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f.with(values...).value = v
}

// known returns v if it is in set, else Other.
func known(v string, set []string) string {
	for _, s := range set {
		if v == s {
			return v
		}
	}
	return Other
}

// sink returns the label for a sink name, admitting at most maxSinks distinct names. m.mu must
// be held.
func (m *Metrics) sink(name string) string {
	if m.sinks[name] {
		return name
	}
	if name == "" || len(m.sinks) >= maxSinks {
		return Other
	}
	m.sinks[name] = true
	return name
}
