// Package metrics exposes what the billwatch daemon is doing as Prometheus metrics and a
// health check, so that a tracker which has silently stopped shows up on a dashboard or
// pages someone. It is the only package that imports the Prometheus client.
//
// Every label has a small fixed set of values (a source, a pass result, an alert kind, a
// sink name): never a bill, a URL or a channel, which would grow without bound.
package metrics

import (
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

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

// Metrics holds billwatch's instruments and the registry that serves them. Its methods are
// safe for concurrent use.
type Metrics struct {
	reg     *prometheus.Registry
	sources []string // the values of the source label

	passes       *prometheus.CounterVec
	passDuration *prometheus.HistogramVec
	pages        *prometheus.CounterVec
	changes      *prometheus.CounterVec

	alertsQueued     *prometheus.CounterVec
	alertsSent       *prometheus.CounterVec
	deliveriesFailed *prometheus.CounterVec
	outboxDepth      prometheus.Gauge

	healthy     *prometheus.GaugeVec
	failures    *prometheus.GaugeVec
	lastSuccess *prometheus.GaugeVec
	fieldFound  *prometheus.GaugeVec
	dbSize      prometheus.Gauge

	mu    sync.Mutex
	sinks map[string]bool
}

// New returns billwatch's metrics on a registry of their own (never the global default
// one), with the Go runtime and process collectors. Every known source, result and kind
// starts at zero, so that a rate or an absence can be alerted on from the first scrape.
// sources are the values of the source label (the command's source table); any other
// source is counted as Other.
func New(sources []string) *Metrics {
	m := &Metrics{
		reg:     prometheus.NewRegistry(),
		sources: slices.Clone(sources),
		passes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_passes_total",
			Help: "Passes over a source, by result: ok, partial (some pages failed), failed (nothing usable).",
		}, []string{"source", "result"}),
		passDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "billwatch_pass_duration_seconds",
			Help:    "How long a pass over a source took.",
			Buckets: passBuckets,
		}, []string{"source"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_pages_fetched_total",
			Help: "Pages fetched from a source's site.",
		}, []string{"source"}),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_changes_total",
			Help: "Changes found in a source (new or changed bills, hearings, regulations).",
		}, []string{"source"}),
		alertsQueued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_alerts_queued_total",
			Help: "Alerts written to the outbox, by kind.",
		}, []string{"kind"}),
		alertsSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_alerts_sent_total",
			Help: "Alerts delivered, by sink.",
		}, []string{"sink"}),
		deliveriesFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "billwatch_deliveries_failed_total",
			Help: "Failed delivery attempts, by sink; the alert stays in the outbox.",
		}, []string{"sink"}),
		outboxDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "billwatch_outbox_depth",
			Help: "Alerts waiting in the outbox for delivery.",
		}),
		healthy: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "billwatch_source_healthy",
			Help: "1 if the source's last pass was usable, 0 if it is failing.",
		}, []string{"source"}),
		failures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "billwatch_source_consecutive_failures",
			Help: "Failed passes over the source since its last good one.",
		}, []string{"source"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "billwatch_last_success_timestamp_seconds",
			Help: "Unix time of the source's last good pass; 0 if it never had one.",
		}, []string{"source"}),
		fieldFound: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "billwatch_field_found_ratio",
			Help: "Share of the pages of one kind read in the source's last pass on which the parser found an expected field (0 to 1); a sudden drop is a redesigned page.",
		}, []string{"source", "page", "field"}),
		dbSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "billwatch_db_size_bytes",
			Help: "Size of the bbolt database file.",
		}),
		sinks: make(map[string]bool),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.passes, m.passDuration, m.pages, m.changes,
		m.alertsQueued, m.alertsSent, m.deliveriesFailed, m.outboxDepth,
		m.healthy, m.failures, m.lastSuccess, m.fieldFound, m.dbSize,
	)
	for _, s := range sources {
		for _, r := range results {
			m.passes.WithLabelValues(s, r)
		}
		m.passDuration.WithLabelValues(s)
		m.pages.WithLabelValues(s)
		m.changes.WithLabelValues(s)
		m.failures.WithLabelValues(s)
		m.lastSuccess.WithLabelValues(s)
	}
	for _, k := range kinds {
		m.alertsQueued.WithLabelValues(k)
	}
	return m
}

// Registry returns the registry the metrics are on, for a caller that adds collectors of
// its own (bbolt statistics, say) or gathers in a test.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObservePass records one pass over source: its result (ResultOK, ResultPartial or
// ResultFailed), how long it took, how many pages it fetched and how many changes it found.
func (m *Metrics) ObservePass(source, result string, d time.Duration, pages, changes int) {
	source, result = known(source, m.sources), known(result, results)
	m.passes.WithLabelValues(source, result).Inc()
	m.passDuration.WithLabelValues(source).Observe(d.Seconds())
	m.pages.WithLabelValues(source).Add(float64(max(pages, 0)))
	m.changes.WithLabelValues(source).Add(float64(max(changes, 0)))
}

// AlertQueued counts one alert of kind (a billwatch.Kind, such as "bill.amended") written to
// the outbox.
func (m *Metrics) AlertQueued(kind string) {
	m.alertsQueued.WithLabelValues(known(kind, kinds)).Inc()
}

// AlertSent counts one alert delivered by sink (its name: "slack", "console"; never a
// channel or a webhook URL).
func (m *Metrics) AlertSent(sink string) {
	m.alertsSent.WithLabelValues(m.sink(sink)).Inc()
}

// DeliveryFailed counts one failed attempt to deliver an alert through sink.
func (m *Metrics) DeliveryFailed(sink string) {
	m.deliveriesFailed.WithLabelValues(m.sink(sink)).Inc()
}

// SetOutboxDepth records how many alerts wait for delivery; a depth that only grows means
// a sink is down.
func (m *Metrics) SetOutboxDepth(n int) { m.outboxDepth.Set(float64(n)) }

// SetSourceHealth records a source's health after a pass: whether it is healthy, how many
// passes in a row have failed, and when it last succeeded (the zero time for never).
func (m *Metrics) SetSourceHealth(source string, healthy bool, failures int, lastSuccess time.Time) {
	source = known(source, m.sources)
	h := 0.0
	if healthy {
		h = 1
	}
	m.healthy.WithLabelValues(source).Set(h)
	m.failures.WithLabelValues(source).Set(float64(failures))
	ts := 0.0
	if !lastSuccess.IsZero() {
		ts = float64(lastSuccess.UnixNano()) / 1e9
	}
	m.lastSuccess.WithLabelValues(source).Set(ts)
}

// SetFieldFound records the share of pages of one kind (page: "ourcommons notices") on which
// an expected field ("witnesses") was found in the source's last pass. Page and field names
// come from the parsers, a small fixed set.
func (m *Metrics) SetFieldFound(source, page, field string, share float64) {
	m.fieldFound.WithLabelValues(known(source, m.sources), page, field).Set(share)
}

// SetDBSize records the size of the database file in bytes; bbolt files never shrink
// without a compaction, so this is the number to watch.
func (m *Metrics) SetDBSize(bytes int64) { m.dbSize.Set(float64(bytes)) }

// known returns v if it is in set, else Other.
func known(v string, set []string) string {
	for _, s := range set {
		if v == s {
			return v
		}
	}
	return Other
}

// sink returns the label for a sink name, admitting at most maxSinks distinct names.
func (m *Metrics) sink(name string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sinks[name] {
		return name
	}
	if name == "" || len(m.sinks) >= maxSinks {
		return Other
	}
	m.sinks[name] = true
	return name
}
