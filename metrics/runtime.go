package metrics

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// The Go runtime's and the process's families, read at each scrape under the names, help
// and types of client_golang's Go and process collectors, so that dashboards built on those
// keep working.

// gauge returns a family of one unlabelled series of value v.
func gauge(name, help string, v float64) *family {
	f := newFamily(name, help, typeGauge)
	f.with().value = v
	return f
}

// counter returns a family of one unlabelled counter of value v.
func counter(name, help string, v float64) *family {
	f := newFamily(name, help, typeCounter)
	f.with().value = v
	return f
}

// goFamilies reads the Go runtime's state.
func goFamilies() []*family {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc := debug.GCStats{PauseQuantiles: make([]time.Duration, 5)}
	debug.ReadGCStats(&gc)
	threads, _ := runtime.ThreadCreateProfile(nil)

	pauses := newFamily("go_gc_duration_seconds", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.", typeSummary)
	s := pauses.with()
	for i, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		s.quantiles = append(s.quantiles, quantile{q, gc.PauseQuantiles[i].Seconds()})
	}
	s.sum, s.count = gc.PauseTotal.Seconds(), uint64(gc.NumGC)

	info := newFamily("go_info", "Information about the Go environment.", typeGauge, "version")
	info.with(runtime.Version()).value = 1

	lastGC := 0.0
	if ms.LastGC != 0 {
		lastGC = float64(ms.LastGC) / 1e9
	}
	f := func(n uint64) float64 { return float64(n) }
	return []*family{
		pauses,
		gauge("go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user, otherwise math.MaxInt64. This value is set by the GOMEMLIMIT environment variable, and the runtime/debug.SetMemoryLimit function. Sourced from /gc/gomemlimit:bytes.", float64(debug.SetMemoryLimit(-1))),
		gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine())),
		info,
		gauge("go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", f(ms.Alloc)),
		counter("go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", f(ms.TotalAlloc)),
		gauge("go_memstats_buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table. Equals to /memory/classes/profiling/buckets:bytes.", f(ms.BuckHashSys)),
		counter("go_memstats_frees_total", "Total number of heap objects frees. Equals to /gc/heap/frees:objects + /gc/heap/tiny/allocs:objects.", f(ms.Frees)),
		gauge("go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata. Equals to /memory/classes/metadata/other:bytes.", f(ms.GCSys)),
		gauge("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", f(ms.HeapAlloc)),
		gauge("go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", f(ms.HeapIdle)),
		gauge("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", f(ms.HeapInuse)),
		gauge("go_memstats_heap_objects", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", f(ms.HeapObjects)),
		gauge("go_memstats_heap_released_bytes", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", f(ms.HeapReleased)),
		gauge("go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", f(ms.HeapSys)),
		gauge("go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", lastGC),
		counter("go_memstats_mallocs_total", "Total number of heap objects allocated, both live and gc-ed. Semantically a counter version for go_memstats_heap_objects gauge. Equals to /gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects.", f(ms.Mallocs)),
		gauge("go_memstats_mcache_inuse_bytes", "Number of bytes in use by mcache structures. Equals to /memory/classes/metadata/mcache/inuse:bytes.", f(ms.MCacheInuse)),
		gauge("go_memstats_mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system. Equals to /memory/classes/metadata/mcache/inuse:bytes + /memory/classes/metadata/mcache/free:bytes.", f(ms.MCacheSys)),
		gauge("go_memstats_mspan_inuse_bytes", "Number of bytes in use by mspan structures. Equals to /memory/classes/metadata/mspan/inuse:bytes.", f(ms.MSpanInuse)),
		gauge("go_memstats_mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system. Equals to /memory/classes/metadata/mspan/inuse:bytes + /memory/classes/metadata/mspan/free:bytes.", f(ms.MSpanSys)),
		gauge("go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", f(ms.NextGC)),
		gauge("go_memstats_other_sys_bytes", "Number of bytes used for other system allocations. Equals to /memory/classes/other:bytes.", f(ms.OtherSys)),
		gauge("go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", f(ms.StackInuse)),
		gauge("go_memstats_stack_sys_bytes", "Number of bytes obtained from system for stack allocator. Equals to /memory/classes/heap/stacks:bytes + /memory/classes/os-stacks:bytes.", f(ms.StackSys)),
		gauge("go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", f(ms.Sys)),
		gauge("go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting, or the number of operating system threads that can execute user-level Go code simultaneously. Sourced from /sched/gomaxprocs:threads.", float64(runtime.GOMAXPROCS(0))),
		gauge("go_threads", "Number of OS threads created.", float64(threads)),
	}
}

// userHZ is the unit of the CPU times in /proc/PID/stat: USER_HZ, 100 on every Linux
// architecture Go supports (procfs, behind client_golang, assumes the same).
const userHZ = 100

// procFamilies reads the process's state from /proc (Linux). What cannot be read is left out
// and returned as an error, which the handler counts as a gathering error; the rest is served.
func procFamilies(proc string) ([]*family, error) {
	var out []*family
	var errs []error

	stat, err := readStat(proc)
	if err == nil {
		out = append(out,
			counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", float64(stat.utime+stat.stime)/userHZ),
			gauge("process_resident_memory_bytes", "Resident memory size in bytes.", float64(stat.rss*int64(os.Getpagesize()))),
			gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", float64(stat.vsize)),
		)
		if boot, err := bootTime(proc); err == nil {
			out = append(out, gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", float64(boot)+float64(stat.start)/userHZ))
		} else {
			errs = append(errs, err)
		}
	} else {
		errs = append(errs, err)
	}

	if fds, err := os.ReadDir(proc + "/self/fd"); err == nil {
		out = append(out, gauge("process_open_fds", "Number of open file descriptors.", float64(len(fds))))
	} else {
		errs = append(errs, fmt.Errorf("metrics: count open files: %w", err))
	}

	if limits, err := readLimits(proc); err == nil {
		if v, ok := limits["Max open files"]; ok {
			out = append(out, gauge("process_max_fds", "Maximum number of open file descriptors.", v))
		}
		if v, ok := limits["Max address space"]; ok {
			out = append(out, gauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", v))
		}
	} else {
		errs = append(errs, err)
	}

	if in, outBytes, err := readNetstat(proc); err == nil {
		out = append(out,
			counter("process_network_receive_bytes_total", "Number of bytes received by the process over the network.", in),
			counter("process_network_transmit_bytes_total", "Number of bytes sent by the process over the network.", outBytes),
		)
	} else {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// procStat is what billwatch reads of /proc/self/stat.
type procStat struct {
	utime, stime, start int64 // in USER_HZ ticks; start since boot
	vsize               uint64
	rss                 int64 // in pages
}

// readStat reads /proc/self/stat. The command name, field 2, may hold spaces and
// parentheses, so the fields are counted from the last closing parenthesis.
func readStat(proc string) (procStat, error) {
	data, err := os.ReadFile(proc + "/self/stat")
	if err != nil {
		return procStat{}, fmt.Errorf("metrics: read process status: %w", err)
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("metrics: %s/self/stat: no command name", proc)
	}
	// Field 3 (state) is fields[0]; field n is fields[n-3].
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 22 {
		return procStat{}, fmt.Errorf("metrics: %s/self/stat: %d fields after the command name, want at least 22", proc, len(fields))
	}
	var st procStat
	var errs []error
	num := func(n int) int64 {
		v, err := strconv.ParseInt(fields[n-3], 10, 64)
		errs = append(errs, err)
		return v
	}
	st.utime, st.stime, st.start, st.rss = num(14), num(15), num(22), num(24)
	vsize, err := strconv.ParseUint(fields[23-3], 10, 64)
	st.vsize = vsize
	if err := errors.Join(append(errs, err)...); err != nil {
		return procStat{}, fmt.Errorf("metrics: %s/self/stat: %w", proc, err)
	}
	return st, nil
}

// bootTime reads the system's boot time (Unix seconds) from /proc/stat.
func bootTime(proc string) (int64, error) {
	f, err := os.Open(proc + "/stat")
	if err != nil {
		return 0, fmt.Errorf("metrics: read boot time: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "btime "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("metrics: %s/stat: btime: %w", proc, err)
			}
			return n, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("metrics: read boot time: %w", err)
	}
	return 0, fmt.Errorf("metrics: %s/stat has no btime line", proc)
}

// readLimits reads the soft limits of /proc/self/limits by name ("Max open files");
// unlimited is the largest 64-bit value, as procfs reads it.
func readLimits(proc string) (map[string]float64, error) {
	data, err := os.ReadFile(proc + "/self/limits")
	if err != nil {
		return nil, fmt.Errorf("metrics: read process limits: %w", err)
	}
	out := make(map[string]float64)
	for line := range strings.Lines(string(data)) {
		// "Max open files            1024                 1048576              files"
		// The name ends where two spaces begin.
		name, rest, ok := strings.Cut(line, "  ")
		fields := strings.Fields(rest)
		if !ok || !strings.HasPrefix(name, "Max ") || len(fields) == 0 {
			continue
		}
		if fields[0] == "unlimited" {
			out[name] = math.MaxUint64
			continue
		}
		if v, err := strconv.ParseUint(fields[0], 10, 64); err == nil {
			out[name] = float64(v)
		}
	}
	return out, nil
}

// readNetstat reads the bytes received and sent (IpExt InOctets and OutOctets) from
// /proc/self/net/netstat: the counts of the process's network namespace, as client_golang
// reports them.
func readNetstat(proc string) (in, out float64, err error) {
	data, err := os.ReadFile(proc + "/self/net/netstat")
	if err != nil {
		return 0, 0, fmt.Errorf("metrics: read network statistics: %w", err)
	}
	var names []string
	for line := range strings.Lines(string(data)) {
		rest, ok := strings.CutPrefix(line, "IpExt:")
		if !ok {
			continue
		}
		if names == nil { // the first IpExt line names the columns, the second holds values
			names = strings.Fields(rest)
			continue
		}
		var found int
		for i, v := range strings.Fields(rest) {
			if i >= len(names) {
				break
			}
			n, err := strconv.ParseFloat(v, 64)
			switch {
			case names[i] != "InOctets" && names[i] != "OutOctets":
				continue
			case err != nil:
				return 0, 0, fmt.Errorf("metrics: %s/self/net/netstat: %s: %w", proc, names[i], err)
			case names[i] == "InOctets":
				in = n
			default:
				out = n
			}
			found++
		}
		if found == 2 {
			return in, out, nil
		}
		break
	}
	return 0, 0, fmt.Errorf("metrics: %s/self/net/netstat has no IpExt InOctets and OutOctets", proc)
}
