// Command benchcmp times whole billwatch processes against a named reference, as processes:
// `billwatch diff A.xml B.xml --format json` against `git diff --no-index --word-diff=plain`
// on the real bill pairs in ../shared/samples and on synthetic 1, 5 and 20 MB bills built from
// those texts; `billwatch version` for start-up; and the daemon's resident set between passes
// over the bundled fixtures. `make bench` runs it.
//
// CPU is user + system time from each child's rusage; runs of the two commands alternate, and
// medians are reported, so that load on the machine falls on both alike.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/internal/sampletest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, git, samples string
	runs              int
	sizes             []int
	daemon            bool
	keep              string
}

func run() error {
	var o options
	var sizes string
	flag.StringVar(&o.bin, "bin", "", "billwatch binary `FILE` (default: build ./cmd/billwatch into a temporary folder)")
	flag.StringVar(&o.git, "git", "git", "git `COMMAND`, the reference")
	flag.StringVar(&o.samples, "samples", sampletest.Dir, "real samples `DIR`")
	flag.IntVar(&o.runs, "runs", 15, "timed runs of each command per case (`N`, paired and alternating)")
	flag.StringVar(&sizes, "sizes", "1,5,20", "synthetic bill sizes in `MB`, comma-separated (empty: none)")
	flag.BoolVar(&o.daemon, "daemon", true, "measure the daemon's resident set on the fixtures")
	flag.StringVar(&o.keep, "keep", "", "write the synthetic bills into `DIR` and keep them (default: a temporary folder)")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return fmt.Errorf("-sizes: %q is not a positive number of MB", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", o.runs)
	}
	tmp, err := os.MkdirTemp("", "benchcmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "billwatch")
		// As `make build` builds it: without cgo, a static binary (see the Makefile).
		build := exec.Command("go", "build", "-o", o.bin, "./cmd/billwatch")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build billwatch: %w", err)
		}
	}
	if _, err := exec.LookPath(o.git); err != nil {
		return fmt.Errorf("the reference needs git: %w", err)
	}

	fmt.Printf("billwatch benchmarks: whole processes, CPU = user+sys from rusage, median of %d paired runs\n\n", o.runs)
	pairs, err := realPairs(o.samples)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		fmt.Printf("no real bill pairs in %s: the real cases are skipped\n", o.samples)
	}
	for _, mb := range o.sizes {
		if len(pairs) == 0 {
			fmt.Println("no real texts to build synthetic bills from: synthetic cases skipped")
			break
		}
		dir := tmp
		if o.keep != "" {
			dir = o.keep
		}
		p, err := synthetic(dir, pairs, mb)
		if err != nil {
			return err
		}
		pairs = append(pairs, p)
	}
	if len(pairs) > 0 {
		fmt.Printf("%-44s %9s %10s %10s %7s %10s %10s\n", "diff A B (json) vs git word diff", "size", "billwatch", "git", "ratio", "bw wall", "git wall")
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	for _, p := range pairs {
		bw := []string{o.bin, "diff", p.a, p.b, "--format", "json"}
		git := []string{o.git, "diff", "--no-index", "--no-color", "--word-diff=plain", p.a, p.b}
		// One untimed run each: the files and binaries in the page cache, and a check that
		// both commands work.
		if _, err := timeRun(bw, devnull, 0); err != nil {
			return err
		}
		if _, err := timeRun(git, devnull, 1); err != nil {
			return err
		}
		var bc, gc, bwall, gwall []time.Duration
		for range o.runs {
			r, err := timeRun(bw, devnull, 0)
			if err != nil {
				return err
			}
			bc, bwall = append(bc, r.cpu), append(bwall, r.wall)
			r, err = timeRun(git, devnull, 1)
			if err != nil {
				return err
			}
			gc, gwall = append(gc, r.cpu), append(gwall, r.wall)
		}
		mb, mg := median(bc), median(gc)
		fmt.Printf("%-44s %8.2fM %10s %10s %6.2f× %10s %10s\n", p.name, float64(p.size)/(1<<20), ms(mb), ms(mg),
			float64(mb)/float64(mg), ms(median(bwall)), ms(median(gwall)))
	}

	// Start-up: a read command that does nothing but print, against a Go program that does
	// nothing but print (the floor: the Go runtime's own start-up), alternately.
	hello, err := buildHello(tmp)
	if err != nil {
		return err
	}
	var vc, hc []time.Duration
	for i := range o.runs + 1 {
		r, err := timeRun([]string{o.bin, "version"}, devnull, 0)
		if err != nil {
			return err
		}
		h, err := timeRun([]string{hello}, devnull, 0)
		if err != nil {
			return err
		}
		if i > 0 {
			vc, hc = append(vc, r.cpu), append(hc, h.cpu)
		}
	}
	fmt.Printf("\nbillwatch version: %s CPU (median of %d; min %s); a Go program printing one line: %s (min %s)\n",
		ms2(median(vc)), len(vc), ms2(slices.Min(vc)), ms2(median(hc)), ms2(slices.Min(hc)))

	if o.daemon {
		if err := daemonRSS(tmp, o.bin); err != nil {
			return fmt.Errorf("daemon: %w", err)
		}
	}
	return nil
}

type pair struct {
	name, a, b string
	size       int64 // the larger file
}

// stageRank orders the texts of one bill.
var stageRank = map[string]int{
	"first-reading": 1, "as-amended-by-committee": 2, "amended-by-committee": 2, "report": 2,
	"third-reading": 3, "passed-house": 3, "passed-senate": 4, "senate-amended": 4, "royal-assent": 5,
}

var billFile = regexp.MustCompile(`^bill-(\d+-\d+-[CS]-\d+)-(.+)\.xml$`)

// realPairs finds bill-P-S-N-STAGE.xml files and pairs each bill's texts in stage order.
func realPairs(dir string) ([]pair, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	texts := map[string][]string{}
	var bills []string
	for _, e := range ents {
		m := billFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if _, ok := stageRank[m[2]]; !ok {
			continue
		}
		if texts[m[1]] == nil {
			bills = append(bills, m[1])
		}
		texts[m[1]] = append(texts[m[1]], m[2])
	}
	slices.Sort(bills)
	var out []pair
	for _, b := range bills {
		st := texts[b]
		slices.SortFunc(st, func(x, y string) int { return stageRank[x] - stageRank[y] })
		for i := 1; i < len(st); i++ {
			a := filepath.Join(dir, "bill-"+b+"-"+st[i-1]+".xml")
			c := filepath.Join(dir, "bill-"+b+"-"+st[i]+".xml")
			p := pair{name: b + " " + st[i-1] + " → " + st[i], a: a, b: c}
			for _, f := range []string{a, c} {
				if fi, err := os.Stat(f); err == nil && fi.Size() > p.size {
					p.size = fi.Size()
				}
			}
			out = append(out, p)
		}
	}
	return out, nil
}

var (
	bodyRE    = regexp.MustCompile(`(?s)<Body>(.*)</Body>`)
	sectionRE = regexp.MustCompile(`(<Section[^>]*>(?:<MarginalNote>.*?</MarginalNote>)?<Label>)([^<]*)(</Label>)`)
)

// synthetic builds a bill of about mb megabytes from the real pairs: the bodies of both
// texts of each pair, repeated under numbered Parts with every section label made unique,
// so that the old and new versions differ as the real ones do, once per copy.
func synthetic(dir string, pairs []pair, mb int) (pair, error) {
	type bodies struct{ head, tail, a, b string }
	var src []bodies
	for _, p := range pairs {
		a, err := os.ReadFile(p.a)
		if err != nil {
			return pair{}, err
		}
		b, err := os.ReadFile(p.b)
		if err != nil {
			return pair{}, err
		}
		ma, mb := bodyRE.FindSubmatchIndex(a), bodyRE.FindSubmatchIndex(b)
		if ma == nil || mb == nil {
			continue
		}
		src = append(src, bodies{head: string(b[:mb[2]]), tail: string(b[mb[3]:]),
			a: string(a[ma[2]:ma[3]]), b: string(b[mb[2]:mb[3]])})
	}
	if len(src) == 0 {
		return pair{}, errors.New("synthetic: no <Body> in the real texts")
	}
	var wa, wb strings.Builder
	wa.WriteString(src[0].head)
	wb.WriteString(src[0].head)
	for k := 0; wb.Len() < mb<<20; k++ {
		s := src[k%len(src)]
		part := fmt.Sprintf(`<Heading level="1"><Label>PART %d</Label><TitleText>Copy %d</TitleText></Heading>`, 100+k, k)
		relabel := sectionRE.ReplaceAllString
		repl := fmt.Sprintf("${1}%d-${2}${3}", k+1)
		wa.WriteString(part + relabel(s.a, repl))
		wb.WriteString(part + relabel(s.b, repl))
	}
	wa.WriteString(src[0].tail)
	wb.WriteString(src[0].tail)
	name := fmt.Sprintf("synthetic-%dMB", mb)
	p := pair{name: name + " (real texts repeated)", a: filepath.Join(dir, name+"-a.xml"), b: filepath.Join(dir, name+"-b.xml")}
	if err := os.WriteFile(p.a, []byte(wa.String()), 0o644); err != nil {
		return pair{}, err
	}
	if err := os.WriteFile(p.b, []byte(wb.String()), 0o644); err != nil {
		return pair{}, err
	}
	p.size = int64(max(wa.Len(), wb.Len()))
	return p, nil
}

type result struct{ cpu, wall time.Duration }

// buildHello builds, under tmp, a Go program that prints one line, the way billwatch is built.
func buildHello(tmp string) (string, error) {
	dir := filepath.Join(tmp, "hello")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.22\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build the reference program: %w", err)
	}
	return bin, nil
}

// timeRun runs argv with stdout to out and returns its CPU (user + system) and wall time.
// Exit status 0 is success; so is okCode (git diff exits 1 when the files differ).
func timeRun(argv []string, out io.Writer, okCode int) (result, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = out
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == okCode && okCode != 0) {
		return result{}, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(errOut.String()))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return result{}, errors.New("no rusage on this system")
	}
	return result{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), wall: wall}, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

// ms2 is ms with two decimals, for start-up times.
func ms2(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

// daemonRSS runs `billwatch run --every` against the fixtures on loopback and reads the
// daemon's resident set (/proc/PID/status) once it idles after its first round of passes
// (the baseline: an empty database) and after its second (nothing changed).
func daemonRSS(tmp, bin string) error {
	servers, err := fixtures.Server(1)
	if err != nil {
		return err
	}
	defer servers.Close()
	cfg := filepath.Join(tmp, "billwatch.toml")
	if err := os.WriteFile(cfg, []byte("[fetch]\ndelay = \"0s\"\ntimeout = \"2s\"\n\n[daemon]\nlisten = \"127.0.0.1:0\"\n"), 0o644); err != nil {
		return err
	}
	args := []string{"--config", cfg, "--db", filepath.Join(tmp, "daemon.db")}
	for site, u := range servers.Bases() {
		args = append(args, "--base-url", site+"="+u)
	}
	const every = 4 * time.Second
	args = append(args, "run", "--every", every.String())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN=", "BILLWATCH_DB=", "BILLWATCH_SLACK_API_URL=")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	logs, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	passes := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"msg":"pass"`) {
				passes <- sc.Text()
			}
		}
		close(passes)
	}()
	status := func(key string) (float64, error) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		if err != nil {
			return 0, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, key+":"); ok {
				kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
				return float64(kb) / 1024, err
			}
		}
		return 0, fmt.Errorf("no %s in /proc/PID/status", key)
	}
	nsources, err := sourceCount(bin)
	if err != nil {
		return err
	}
	round := func(name string) error {
		for range nsources {
			select {
			case _, ok := <-passes:
				if !ok {
					return errors.New("the daemon stopped")
				}
			case <-ctx.Done():
				return fmt.Errorf("no %s passes within a minute", name)
			}
		}
		// Idle: sample the resident set until shortly before the next round is due.
		var peak, last float64
		for t := time.Now(); time.Since(t) < every/2; time.Sleep(50 * time.Millisecond) {
			rss, err := status("VmRSS")
			if err != nil {
				return err
			}
			peak, last = max(peak, rss), rss
		}
		fmt.Printf("daemon after a %-17s %5.1f MB RSS (highest while idle: %.1f MB)\n", name+" pass:", last, peak)
		return nil
	}
	fmt.Printf("\ndaemon: `billwatch run --every %s` on the fixtures (%d sources) on loopback\n", every, nsources)
	err = round("baseline")
	if err == nil {
		err = round("unchanged")
	}
	if err == nil {
		if hwm, herr := status("VmHWM"); herr == nil {
			fmt.Printf("daemon peak RSS (VmHWM, during passes): %.1f MB\n", hwm)
		}
	}
	cancel()
	_ = cmd.Wait()
	return err
}

// sourceCount asks the binary how many sources a round of the daemon passes over: the
// sources `billwatch scrape -h` names, "usage: billwatch scrape [bills|hearings|...]...".
func sourceCount(bin string) (int, error) {
	out, _ := exec.Command(bin, "scrape", "-h").CombinedOutput()
	_, rest, ok := strings.Cut(string(out), "scrape [")
	names, _, ok2 := strings.Cut(rest, "]")
	if !ok || !ok2 || names == "" {
		return 0, fmt.Errorf("%s scrape -h names no sources: %q", bin, firstLineOf(string(out)))
	}
	return len(strings.Split(names, "|")), nil
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
