package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// testSources are the source label values, as the command passes them in.
var testSources = []string{"bills", "hearings", "regulations", "acts"}

func TestObservePass(t *testing.T) {
	m := New(testSources)
	m.ObservePass("bills", ResultOK, 12*time.Second, 40, 3)
	m.ObservePass("bills", ResultPartial, 30*time.Second, 10, 0)
	m.ObservePass("hearings", ResultFailed, time.Second, 0, 0)
	m.ObservePass("tweets", "weird", time.Second, 1, 1) // outside the known sets

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"passes{bills,ok}", testutil.ToFloat64(m.passes.WithLabelValues("bills", "ok")), 1},
		{"passes{bills,partial}", testutil.ToFloat64(m.passes.WithLabelValues("bills", "partial")), 1},
		{"passes{bills,failed}", testutil.ToFloat64(m.passes.WithLabelValues("bills", "failed")), 0},
		{"passes{hearings,failed}", testutil.ToFloat64(m.passes.WithLabelValues("hearings", "failed")), 1},
		{"passes{other,other}", testutil.ToFloat64(m.passes.WithLabelValues(Other, Other)), 1},
		{"pages{bills}", testutil.ToFloat64(m.pages.WithLabelValues("bills")), 50},
		{"changes{bills}", testutil.ToFloat64(m.changes.WithLabelValues("bills")), 3},
		{"changes{regulations}", testutil.ToFloat64(m.changes.WithLabelValues("regulations")), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	// The histogram: two bills passes, 42 seconds in all.
	want := `
# HELP billwatch_pass_duration_seconds How long a pass over a source took.
# TYPE billwatch_pass_duration_seconds histogram
billwatch_pass_duration_seconds_bucket{source="bills",le="0.5"} 0
billwatch_pass_duration_seconds_bucket{source="bills",le="1"} 0
billwatch_pass_duration_seconds_bucket{source="bills",le="2.5"} 0
billwatch_pass_duration_seconds_bucket{source="bills",le="5"} 0
billwatch_pass_duration_seconds_bucket{source="bills",le="10"} 0
billwatch_pass_duration_seconds_bucket{source="bills",le="30"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="60"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="120"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="300"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="600"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="1200"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="1800"} 2
billwatch_pass_duration_seconds_bucket{source="bills",le="+Inf"} 2
billwatch_pass_duration_seconds_sum{source="bills"} 42
billwatch_pass_duration_seconds_count{source="bills"} 2
`
	bills := m.passDuration.WithLabelValues("bills").(prometheus.Collector)
	if err := testutil.CollectAndCompare(bills, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

func TestAlertsAndOutbox(t *testing.T) {
	m := New(testSources)
	m.AlertQueued("bill.amended")
	m.AlertQueued("bill.amended")
	m.AlertQueued("made.up") // outside the contract's kinds
	m.AlertSent("slack")
	m.AlertSent("console")
	m.AlertSent("slack")
	m.DeliveryFailed("slack")
	m.SetOutboxDepth(7)
	for i := range 20 { // more distinct sinks than billwatch could have
		m.AlertSent("sink" + string(rune('a'+i)))
	}

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"queued{bill.amended}", testutil.ToFloat64(m.alertsQueued.WithLabelValues("bill.amended")), 2},
		{"queued{hearing.reminder}", testutil.ToFloat64(m.alertsQueued.WithLabelValues("hearing.reminder")), 0},
		{"queued{other}", testutil.ToFloat64(m.alertsQueued.WithLabelValues(Other)), 1},
		{"sent{slack}", testutil.ToFloat64(m.alertsSent.WithLabelValues("slack")), 2},
		{"sent{console}", testutil.ToFloat64(m.alertsSent.WithLabelValues("console")), 1},
		{"sent{other}", testutil.ToFloat64(m.alertsSent.WithLabelValues(Other)), 14}, // 8 names admitted
		{"failed{slack}", testutil.ToFloat64(m.deliveriesFailed.WithLabelValues("slack")), 1},
		{"outbox", testutil.ToFloat64(m.outboxDepth), 7},
		{"queued series", float64(testutil.CollectAndCount(m.alertsQueued)), 14}, // 13 kinds + other
		{"sent series", float64(testutil.CollectAndCount(m.alertsSent)), 9},      // 8 sinks + other
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestSourceHealthAndDB(t *testing.T) {
	m := New(testSources)
	last := time.Date(2026, 6, 1, 12, 0, 0, 500_000_000, time.UTC)
	m.SetSourceHealth("bills", true, 0, last)
	m.SetSourceHealth("gazette", false, 1, time.Time{}) // unknown source
	m.SetSourceHealth("regulations", false, 4, time.Time{})
	m.SetDBSize(1 << 20)

	want := `
# HELP billwatch_source_healthy 1 if the source's last pass was usable, 0 if it is failing.
# TYPE billwatch_source_healthy gauge
billwatch_source_healthy{source="bills"} 1
billwatch_source_healthy{source="other"} 0
billwatch_source_healthy{source="regulations"} 0
# HELP billwatch_source_consecutive_failures Failed passes over the source since its last good one.
# TYPE billwatch_source_consecutive_failures gauge
billwatch_source_consecutive_failures{source="acts"} 0
billwatch_source_consecutive_failures{source="bills"} 0
billwatch_source_consecutive_failures{source="hearings"} 0
billwatch_source_consecutive_failures{source="other"} 1
billwatch_source_consecutive_failures{source="regulations"} 4
# HELP billwatch_last_success_timestamp_seconds Unix time of the source's last good pass; 0 if it never had one.
# TYPE billwatch_last_success_timestamp_seconds gauge
billwatch_last_success_timestamp_seconds{source="acts"} 0
billwatch_last_success_timestamp_seconds{source="bills"} 1.7803152005e+09
billwatch_last_success_timestamp_seconds{source="hearings"} 0
billwatch_last_success_timestamp_seconds{source="other"} 0
billwatch_last_success_timestamp_seconds{source="regulations"} 0
# HELP billwatch_db_size_bytes Size of the bbolt database file.
# TYPE billwatch_db_size_bytes gauge
billwatch_db_size_bytes 1.048576e+06
`
	err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"billwatch_source_healthy", "billwatch_source_consecutive_failures",
		"billwatch_last_success_timestamp_seconds", "billwatch_db_size_bytes")
	if err != nil {
		t.Error(err)
	}
}

// The registry is billwatch's own: two Metrics do not collide, as two on the global
// default registry would.
func TestNewTwice(t *testing.T) {
	a, b := New(testSources), New(testSources)
	a.AlertSent("slack")
	if got := testutil.ToFloat64(b.alertsSent.WithLabelValues("slack")); got != 0 {
		t.Errorf("second Metrics sees the first's counts: %v", got)
	}
}

func TestFieldFound(t *testing.T) {
	m := New(testSources)
	m.SetFieldFound("hearings", "ourcommons notices", "witnesses", 0)
	m.SetFieldFound("hearings", "ourcommons notices", "time", 1)
	m.SetFieldFound("regulations", "gazette proposals", "comment period", 0.5)
	want := `
# HELP billwatch_field_found_ratio Share of the pages of one kind read in the source's last pass on which the parser found an expected field (0 to 1); a sudden drop is a redesigned page.
# TYPE billwatch_field_found_ratio gauge
billwatch_field_found_ratio{field="comment period",page="gazette proposals",source="regulations"} 0.5
billwatch_field_found_ratio{field="time",page="ourcommons notices",source="hearings"} 1
billwatch_field_found_ratio{field="witnesses",page="ourcommons notices",source="hearings"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "billwatch_field_found_ratio"); err != nil {
		t.Error(err)
	}
}

// The source label takes the values New is given, and only those: a source the caller did
// not name is counted as other.
func TestSourcesArePassedIn(t *testing.T) {
	t.Parallel()
	m := New([]string{"acts"})
	m.ObservePass("acts", ResultOK, time.Second, 1, 0)
	m.ObservePass("bills", ResultOK, time.Second, 1, 0)
	if got := testutil.ToFloat64(m.passes.WithLabelValues("acts", ResultOK)); got != 1 {
		t.Errorf("passes{acts,ok} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.passes.WithLabelValues(Other, ResultOK)); got != 1 {
		t.Errorf("passes{other,ok} = %v, want 1 (bills is not a source here)", got)
	}
}
