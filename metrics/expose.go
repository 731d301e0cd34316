package metrics

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
)

// This file holds the instruments and the Prometheus text exposition format (version 0.0.4),
// written by hand: the client library's package initialisation (its default registry, procfs,
// protocol buffers, runtime/metrics) cost every billwatch command about a millisecond of CPU
// at start-up, a third of the start-up budget, for a daemon that serves a dozen families.
//
// The output is the one client_golang's text encoder wrote: families sorted by name, a family
// with no series left out, labels sorted by name (le and quantile last), series sorted by
// their label values, numbers in Go's shortest 'g' form, HELP and label values escaped.

// Metric types, as the TYPE line names them.
const (
	typeCounter   = "counter"
	typeGauge     = "gauge"
	typeHistogram = "histogram"
	typeSummary   = "summary"
)

// family is one metric family: its name, help, type and label names, and its series. It is not
// safe for concurrent use; Metrics guards its families with one mutex.
type family struct {
	name, help, typ string
	labels          []string  // label names, in the order callers give values
	order           []int     // indexes into labels, sorted by label name: the output order
	buckets         []float64 // a histogram's upper bounds, ascending, without +Inf
	series          map[string]*series
}

// series is one labelled value of a family.
type series struct {
	values []string // label values, in the order of family.labels
	value  float64  // a counter's or gauge's value

	counts []uint64 // a histogram's observations per bucket (not cumulative), +Inf last
	sum    float64  // a histogram's or summary's sum of observations
	count  uint64   // a summary's count of observations

	quantiles []quantile // a summary's quantiles
}

// quantile is one quantile of a summary.
type quantile struct{ q, v float64 }

// newFamily returns an empty family. labels are the label names in the order the values will
// be given.
func newFamily(name, help, typ string, labels ...string) *family {
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	return &family{name: name, help: help, typ: typ, labels: labels, order: order, series: make(map[string]*series)}
}

// with returns the series of the label values, creating it (at zero) if need be. It panics if
// the number of values is not the number of labels, a programming error.
func (f *family) with(values ...string) *series {
	if len(values) != len(f.labels) {
		panic("metrics: " + f.name + ": " + strconv.Itoa(len(values)) + " label values for " + strconv.Itoa(len(f.labels)) + " labels")
	}
	key := strings.Join(values, "\xff")
	s := f.series[key]
	if s == nil {
		s = &series{values: slices.Clone(values)}
		if f.typ == typeHistogram {
			s.counts = make([]uint64, len(f.buckets)+1)
		}
		f.series[key] = s
	}
	return s
}

// observe records one observation v in a histogram series.
func (f *family) observe(s *series, v float64) {
	i, _ := slices.BinarySearch(f.buckets, v) // the first bound >= v; len(buckets) for +Inf
	s.counts[i]++
	s.sum += v
}

// write appends the family in the text format to b; a family without series writes nothing.
func (f *family) write(b *bytes.Buffer) {
	if len(f.series) == 0 {
		return
	}
	b.WriteString("# HELP ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	writeEscaped(b, f.help, false)
	b.WriteString("\n# TYPE ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	b.WriteString(f.typ)
	b.WriteByte('\n')
	for _, s := range f.sorted() {
		switch f.typ {
		case typeHistogram:
			var cum uint64
			for i, c := range s.counts {
				cum += c
				le := math.Inf(+1)
				if i < len(f.buckets) {
					le = f.buckets[i]
				}
				f.sample(b, "_bucket", s, "le", le)
				writeUint(b, cum)
			}
			f.sample(b, "_sum", s, "", 0)
			writeFloat(b, s.sum)
			f.sample(b, "_count", s, "", 0)
			writeUint(b, cum)
		case typeSummary:
			for _, q := range s.quantiles {
				f.sample(b, "", s, "quantile", q.q)
				writeFloat(b, q.v)
			}
			f.sample(b, "_sum", s, "", 0)
			writeFloat(b, s.sum)
			f.sample(b, "_count", s, "", 0)
			writeUint(b, s.count)
		default:
			f.sample(b, "", s, "", 0)
			writeFloat(b, s.value)
		}
	}
}

// sorted returns the family's series ordered by their label values, taken in the order of the
// sorted label names.
func (f *family) sorted() []*series {
	out := make([]*series, 0, len(f.series))
	for _, s := range f.series {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *series) int {
		for _, i := range f.order {
			if c := strings.Compare(a.values[i], b.values[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

// sample starts a sample line, up to and including the space before the value: the name with
// suffix, then the labels sorted by name and, when extra is not empty, the label extra (le,
// quantile) with the value v, last.
func (f *family) sample(b *bytes.Buffer, suffix string, s *series, extra string, v float64) {
	b.WriteString(f.name)
	b.WriteString(suffix)
	if len(f.order) > 0 || extra != "" {
		b.WriteByte('{')
		for n, i := range f.order {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.labels[i])
			b.WriteString(`="`)
			writeEscaped(b, s.values[i], true)
			b.WriteByte('"')
		}
		if extra != "" {
			if len(f.order) > 0 {
				b.WriteByte(',')
			}
			b.WriteString(extra)
			b.WriteString(`="`)
			b.WriteString(formatFloat(v))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
}

// writeEscaped writes s escaped for a HELP line (backslash and newline) or, when quoted, for a
// label value (double quotes too).
func writeEscaped(b *bytes.Buffer, s string, quoted bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '"' && quoted:
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
}

// writeFloat writes v and ends the line.
func writeFloat(b *bytes.Buffer, v float64) {
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

// formatFloat formats v as the text format writes numbers: the shortest 'g' form, +Inf, -Inf
// or NaN, and 0 for negative zero.
func formatFloat(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.IsInf(v, +1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// writeUint writes n and ends the line.
func writeUint(b *bytes.Buffer, n uint64) {
	b.Write(strconv.AppendUint(b.AvailableBuffer(), n, 10))
	b.WriteByte('\n')
}
