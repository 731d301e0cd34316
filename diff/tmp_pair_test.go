package diff

import (
	"io"
	"os"
	"syscall"
	"testing"
)

func benchPair(b *testing.B, x, y string) {
	a, _ := os.ReadFile("/work/shared/samples/" + x)
	c, _ := os.ReadFile("/work/shared/samples/" + y)
	b.ReportAllocs()
	t0 := cpuNow()
	defer func() { b.ReportMetric(float64(cpuNow()-t0)/float64(b.N), "cpu-ns/op") }()
	for b.Loop() {
		r, err := CompareBytes(a, c)
		if err != nil {
			b.Fatal(err)
		}
		Render(io.Discard, r, "json", false)
	}
}
func BenchmarkTmpRA(b *testing.B) {
	benchPair(b, "bill-45-1-C-8-third-reading.xml", "bill-45-1-C-8-royal-assent.xml")
}
func BenchmarkTmpFC(b *testing.B) {
	benchPair(b, "bill-45-1-C-8-first-reading.xml", "bill-45-1-C-8-as-amended-by-committee.xml")
}
func BenchmarkTmpCT(b *testing.B) {
	benchPair(b, "bill-45-1-C-8-as-amended-by-committee.xml", "bill-45-1-C-8-third-reading.xml")
}
func BenchmarkTmpParse(b *testing.B) {
	a, _ := os.ReadFile("/work/shared/samples/bill-45-1-C-8-third-reading.xml")
	b.ReportAllocs()
	for b.Loop() {
		readTree(a)
	}
}
func BenchmarkTmpParseDoc(b *testing.B) {
	a, _ := os.ReadFile("/work/shared/samples/bill-45-1-C-8-third-reading.xml")
	b.ReportAllocs()
	t0 := cpuNow()
	defer func() { b.ReportMetric(float64(cpuNow()-t0)/float64(b.N), "cpu-ns/op") }()
	for b.Loop() {
		parseBytes(a)
	}
}

func cpuNow() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
func BenchmarkTmpSyn1(b *testing.B) {
	benchPair(b, "../../../tmp/bc/synthetic-1MB-a.xml", "../../../tmp/bc/synthetic-1MB-b.xml")
}
func BenchmarkTmpSyn5(b *testing.B) {
	benchPair(b, "../../../tmp/bc/synthetic-5MB-a.xml", "../../../tmp/bc/synthetic-5MB-b.xml")
}
