package metrics

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
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
		{"passes{bills,ok}", value(t, m, m.passes, "bills", "ok"), 1},
		{"passes{bills,partial}", value(t, m, m.passes, "bills", "partial"), 1},
		{"passes{bills,failed}", value(t, m, m.passes, "bills", "failed"), 0},
		{"passes{hearings,failed}", value(t, m, m.passes, "hearings", "failed"), 1},
		{"passes{other,other}", value(t, m, m.passes, Other, Other), 1},
		{"pages{bills}", value(t, m, m.pages, "bills"), 50},
		{"changes{bills}", value(t, m, m.changes, "bills"), 3},
		{"changes{regulations}", value(t, m, m.changes, "regulations"), 0},
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
	if got := exposed(t, m, `source="bills"`, "billwatch_pass_duration_seconds"); got != want[1:] {
		t.Errorf("exposed bills durations:\n%s\nwant:\n%s", got, want[1:])
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
		{"queued{bill.amended}", value(t, m, m.alertsQueued, "bill.amended"), 2},
		{"queued{hearing.reminder}", value(t, m, m.alertsQueued, "hearing.reminder"), 0},
		{"queued{other}", value(t, m, m.alertsQueued, Other), 1},
		{"sent{slack}", value(t, m, m.alertsSent, "slack"), 2},
		{"sent{console}", value(t, m, m.alertsSent, "console"), 1},
		{"sent{other}", value(t, m, m.alertsSent, Other), 14}, // 8 names admitted
		{"failed{slack}", value(t, m, m.deliveriesFailed, "slack"), 1},
		{"outbox", value(t, m, m.outboxDepth), 7},
		{"queued series", float64(count(t, m, m.alertsQueued)), 14}, // 13 kinds + other
		{"sent series", float64(count(t, m, m.alertsSent)), 9},      // 8 sinks + other
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
	got := exposed(t, m, "", "billwatch_source_healthy", "billwatch_source_consecutive_failures",
		"billwatch_last_success_timestamp_seconds", "billwatch_db_size_bytes")
	if got != want[1:] {
		t.Errorf("exposed:\n%s\nwant:\n%s", got, want[1:])
	}
}

// The registry is billwatch's own: two Metrics do not collide, as two on the global
// default registry would.
func TestNewTwice(t *testing.T) {
	a, b := New(testSources), New(testSources)
	a.AlertSent("slack")
	if got := value(t, a, a.alertsSent, "slack"); got != 1 {
		t.Errorf("sent{slack} = %v, want 1", got)
	}
	if got := exposed(t, b, "", "billwatch_alerts_sent_total"); got != "" {
		t.Errorf("second Metrics sees the first's counts:\n%s", got)
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
	if got := exposed(t, m, "", "billwatch_field_found_ratio"); got != want[1:] {
		t.Errorf("exposed:\n%s\nwant:\n%s", got, want[1:])
	}
}

// The source label takes the values New is given, and only those: a source the caller did
// not name is counted as other.
func TestSourcesArePassedIn(t *testing.T) {
	t.Parallel()
	m := New([]string{"acts"})
	m.ObservePass("acts", ResultOK, time.Second, 1, 0)
	m.ObservePass("bills", ResultOK, time.Second, 1, 0)
	if got := value(t, m, m.passes, "acts", ResultOK); got != 1 {
		t.Errorf("passes{acts,ok} = %v, want 1", got)
	}
	if got := value(t, m, m.passes, Other, ResultOK); got != 1 {
		t.Errorf("passes{other,ok} = %v, want 1 (bills is not a source here)", got)
	}
}

// exposed returns the lines of m's exposition (as GET /metrics writes it) that belong to the
// named families, family by family in the order named, keeping only the samples that contain
// filter.
func exposed(t *testing.T, m *Metrics, filter string, families ...string) string {
	t.Helper()
	var b bytes.Buffer
	m.write(&b)
	byFamily := make(map[string]*strings.Builder)
	for _, f := range families {
		byFamily[f] = new(strings.Builder)
	}
	for line := range strings.Lines(b.String()) {
		name := line
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			name = rest
		} else if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name = rest
		} else if !strings.Contains(line, filter) {
			continue
		}
		name = name[:strings.IndexAny(name, " {")]
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			if out := byFamily[strings.TrimSuffix(name, suffix)]; out != nil && strings.HasSuffix(name, suffix) {
				out.WriteString(line)
				break
			}
		}
	}
	var out strings.Builder
	for _, f := range families {
		out.WriteString(byFamily[f].String())
	}
	return out.String()
}

// value returns the value m exposes for the series of f with the label values, read back
// from the exposition; the test fails if there is no such series.
func value(t *testing.T, m *Metrics, f *family, values ...string) float64 {
	t.Helper()
	m.mu.Lock()
	var line bytes.Buffer
	f.sample(&line, "", &series{values: values}, "", 0)
	m.mu.Unlock()
	prefix := line.String()
	for l := range strings.Lines(exposed(t, m, prefix, f.name)) {
		if v, ok := strings.CutPrefix(strings.TrimSuffix(l, "\n"), prefix); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			return n
		}
	}
	t.Fatalf("no series %q exposed", prefix)
	return 0
}

// count returns the number of series m exposes for f.
func count(t *testing.T, m *Metrics, f *family) int {
	t.Helper()
	n := 0
	for l := range strings.Lines(exposed(t, m, f.name, f.name)) {
		if !strings.HasPrefix(l, "#") {
			n++
		}
	}
	return n
}
