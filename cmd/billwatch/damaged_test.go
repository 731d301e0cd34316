package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billwatch/billwatch/fixtures"
)

// The bbolt layout, as much of it as the damage below needs: a page header is id u64,
// flags u16, count u16, overflow u32; the meta follows page 0's and page 1's headers; a
// branch element is pos u32, ksize u32, pgid u64; a leaf element flags u32, pos u32,
// ksize u32, vsize u32, and a bucket's value starts with its root page id.
type boltFile struct {
	b        []byte
	pageSize int
	root     uint64 // the root bucket's page
	pgid     uint64 // the high-water mark
}

func parseBolt(t *testing.T, b []byte) boltFile {
	t.Helper()
	le := binary.LittleEndian
	f := boltFile{b: b}
	var txid uint64
	for _, off := range []int{0, int(le.Uint32(b[16+8:]))} {
		m := b[off+16:]
		if le.Uint32(m) != 0xED0CDAED {
			t.Fatalf("meta page at %d: no bbolt magic", off)
		}
		if tx := le.Uint64(m[48:]); off == 0 || tx > txid {
			txid, f.pageSize, f.root, f.pgid = tx, int(le.Uint32(m[8:])), le.Uint64(m[16:]), le.Uint64(m[40:])
		}
	}
	return f
}

func (f boltFile) page(id uint64) []byte {
	return f.b[int(id)*f.pageSize : int(id+1)*f.pageSize]
}

// bucketRoot is the root page of a top-level bucket (0 when it is inline).
func (f boltFile) bucketRoot(t *testing.T, name string) uint64 {
	t.Helper()
	le := binary.LittleEndian
	p := f.page(f.root)
	for i := 0; i < int(le.Uint16(p[10:])); i++ {
		e := p[16+16*i:]
		pos, ksize := int(le.Uint32(e[4:])), int(le.Uint32(e[8:]))
		if string(e[pos:pos+ksize]) == name {
			return le.Uint64(e[pos+ksize:])
		}
	}
	t.Fatalf("bucket %q not in the root page", name)
	return 0
}

// damages are the faults a database file meets: a disk that filled or a copy cut short,
// pages overwritten, one page whose header is wrong (which `bbolt check` rejects).
var damages = []struct {
	name   string
	damage func(t *testing.T, b []byte) []byte
}{
	{"truncated to 200 KB", func(t *testing.T, b []byte) []byte {
		f := parseBolt(t, b)
		n := min(200<<10, int(f.pgid)*f.pageSize/2)
		return b[:n]
	}},
	{"eight pages overwritten", func(t *testing.T, b []byte) []byte {
		f := parseBolt(t, b)
		r := rand.New(rand.NewPCG(1, 2))
		for id := f.root; id < f.root+8 && id < f.pgid; id++ {
			for i := range f.page(id) {
				f.page(id)[i] = byte(r.Uint32())
			}
		}
		return b
	}},
	{"one bad page header", func(t *testing.T, b []byte) []byte {
		// The last leaf of the versions bucket holds the regulations' versions: a pass over
		// bills never reads it, so bbolt alone would write around it.
		f := parseBolt(t, b)
		le := binary.LittleEndian
		id := f.bucketRoot(t, "versions")
		if id == 0 {
			t.Fatal("versions bucket is inline")
		}
		for p := f.page(id); le.Uint16(p[8:]) == 0x01; p = f.page(id) {
			n := int(le.Uint16(p[10:]))
			id = le.Uint64(p[16+16*(n-1)+8:])
		}
		le.PutUint16(f.page(id)[8:], 0x40)
		return b
	}},
}

// TestDamagedDatabaseIsNeverWritten damages a real database made from the fixtures and runs
// every command on it: one line naming the file and what to do, exit 1, no stack trace, and
// not one byte written.
func TestDamagedDatabaseIsNeverWritten(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("baseline scrape: exit %d\n%s%s", code, out, errOut)
	}
	good, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run(week1, "check"); code != 0 {
		t.Fatalf("check on the sound database: exit %d: %s", code, errOut)
	}
	// The sites have changed: a scrape that wrote would store C-30 and more.
	c.servers.SetSnapshot(2)
	backup := filepath.Join(t.TempDir(), "backup.db")
	commands := [][]string{
		{"check"}, {"scrape"}, {"scrape", "bills"}, {"scrape", "regulations"}, {"run", "--every", "1h"},
		{"bills"}, {"bills", "--all", "--json"}, {"show", "C-12"}, {"diff", "C-12"}, {"alerts"},
		{"hearings", "--all"}, {"regulations", "--all"}, {"calendar"}, {"status"},
		{"backup", backup}, {"compact"},
	}
	for _, d := range damages {
		for _, args := range commands {
			name := d.name + ": " + strings.Join(args, " ")
			damaged := d.damage(t, bytes.Clone(good))
			if err := os.WriteFile(c.db, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := c.runWithin(20*time.Second, week2, args...)
			after, _ := os.ReadFile(c.db)
			if !bytes.Equal(after, damaged) {
				t.Errorf("%s: the damaged file was written to (exit %d)\n%s", name, code, tail(out+errOut, 600))
			}
			if code != 1 {
				t.Errorf("%s: exit %d, want 1\n%s", name, code, tail(out+errOut, 600))
			}
			line := strings.TrimSpace(errOut)
			if strings.Contains(line, "\n") || !strings.Contains(line, "database "+c.db+" is damaged") || !strings.Contains(line, "billwatch backup") {
				t.Errorf("%s: stderr = %q, want one line saying %s is damaged and to restore a backup", name, tail(errOut, 600), c.db)
			}
			if _, err := os.Stat(backup); err == nil {
				t.Errorf("%s: a backup of the damaged file was written", name)
				os.Remove(backup)
			}
		}
	}
}

// runWithin runs billwatch in-process, cancelling it (as SIGTERM would) after limit.
func (c *cli) runWithin(limit time.Duration, now string, args ...string) (string, string, int) {
	c.t.Helper()
	all := []string{"--config", c.cfg, "--db", c.db}
	for site, u := range c.servers.Bases() {
		all = append(all, "--base-url", site+"="+u)
	}
	all = append(all, "--now", now)
	ctx, cancel := context.WithTimeout(c.t.Context(), limit)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := exitCode(run(ctx, append(all, args...), &stdout, &stderr), &stderr)
	return stdout.String(), stderr.String(), code
}

func TestCheckCommand(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if _, errOut, code := c.run(week1, "check"); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("check without a database: exit %d, %q; want 1 saying there is no database", code, errOut)
	}
	// A script asking for JSON gets JSON even when there is no file to check.
	var missing struct {
		Database string `json:"database"`
		Sound    bool   `json:"sound"`
		Damaged  bool   `json:"damaged"`
		Problem  string `json:"problem"`
	}
	if out, _, code := c.run(week1, "check", "--json"); code != 1 || json.Unmarshal([]byte(out), &missing) != nil ||
		missing.Database != c.db || missing.Sound || missing.Damaged || !strings.Contains(missing.Problem, "no database") {
		t.Errorf("check --json without a database: exit %d: %q; want exit 1 and JSON naming %s, not sound, not damaged, no database", code, out, c.db)
	}
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("baseline scrape: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := c.run(week1, "check")
	if code != 0 || !strings.Contains(out, "database "+c.db+" is sound") || !strings.Contains(out, "schema 3") || errOut != "" {
		t.Errorf("check: exit %d\n%s%s; want exit 0 saying %s is sound, schema 3", code, out, errOut, c.db)
	}
	out, _, code = c.run(week1, "check", "--json")
	var r struct {
		Sound  bool           `json:"sound"`
		Schema string         `json:"schema"`
		Keys   map[string]int `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 || !r.Sound || r.Schema != "3" || r.Keys["bills"] == 0 {
		t.Errorf("check --json: exit %d, %v: %s; want sound, the current schema, bills counted", code, err, out)
	}
	damaged := damages[2].damage(t, must(os.ReadFile(c.db)))
	if err := os.WriteFile(c.db, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = c.run(week1, "check", "--json")
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || r.Sound || !strings.Contains(errOut, "is damaged") {
		t.Errorf("check --json on a damaged file: exit %d, %v: %s%s; want exit 1, sound false", code, err, out, errOut)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestListenerFailsAtStartUp: a listen address that is refused or taken stops `run` at once,
// with one line naming the key, instead of a daemon whose /healthz never answers.
func TestListenerFailsAtStartUp(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tc := range []struct{ listen, want string }{
		{"0.0.0.0:9464", "not a loopback address"},
		{"192.0.2.10:9464", "not a loopback address"},
		{taken.Addr().String(), "the port is in use"},
		{"127.0.0.1:http-nonsense", "daemon.listen"},
	} {
		c := newCLI(t, fixtures.FS())
		if err := os.WriteFile(c.cfg, []byte("[fetch]\ndelay = \"0s\"\n[daemon]\nlisten = \""+tc.listen+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// No time bound: a daemon that started anyway runs until runWithin cancels it, and its
		// output is not the one line naming the key, the address and the reason checked below.
		out, errOut, code := c.runWithin(15*time.Second, week1, "run", "--every", "1h")
		line := strings.TrimSpace(errOut)
		if code != 1 {
			t.Errorf("listen = %q: exit %d; want 1 at once\n%s", tc.listen, code, tail(out+errOut, 800))
			continue
		}
		if strings.Contains(line, "\n") || !strings.Contains(line, "daemon.listen") || !strings.Contains(line, tc.listen) || !strings.Contains(line, tc.want) {
			t.Errorf("listen = %q: stderr %q; want one line naming daemon.listen, the address and %q", tc.listen, line, tc.want)
		}
		if _, err := os.Stat(c.db); err == nil {
			if a := c.alerts(week1); len(a) != 0 {
				t.Errorf("listen = %q: the daemon ran passes before failing: %v", tc.listen, keys(a))
			}
		}
	}
}

// TestDaemonStopsOnDamage damages the database under a running daemon (one page overwritten
// in place): the daemon stops with exit 1 and the one line, and writes nothing more.
func TestDaemonStopsOnDamage(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	if err := os.WriteFile(c.cfg, []byte("[fetch]\ndelay = \"0s\"\n[daemon]\nlisten = \"127.0.0.1:0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var out, errOut string
	var code int
	go func() {
		defer close(done)
		out, errOut, code = c.runWithin(60*time.Second, week1, "run", "--every", "300ms")
	}()
	// Wait for the baseline passes; a second later the passes are unchanged and write nothing.
	passed := func() bool {
		var st map[string]struct {
			LastRun     time.Time `json:"last_run"`
			LastOutcome string    `json:"last_outcome"`
		}
		b, err := os.ReadFile(c.db + ".status.json")
		return err == nil && json.Unmarshal(b, &st) == nil && len(st) == len(sources)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !passed() {
		select {
		case <-done:
			t.Fatalf("daemon stopped early: exit %d\n%s", code, tail(out+errOut, 1000))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the daemon's first passes did not finish")
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second)

	b, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	f := parseBolt(t, b)
	garbage := bytes.Repeat([]byte{0xA5}, f.pageSize)
	fh, err := os.OpenFile(c.db, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.WriteAt(garbage, int64(f.root)*int64(f.pageSize)); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	damaged, _ := os.ReadFile(c.db)

	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the daemon did not stop on the damaged database")
	}
	if code != 1 || !strings.Contains(errOut, "database "+c.db+" is damaged") {
		t.Errorf("daemon on a damaged database: exit %d\n%s\nwant exit 1 saying the database is damaged", code, tail(errOut, 1500))
	}
	if after, _ := os.ReadFile(c.db); !bytes.Equal(after, damaged) {
		t.Error("the daemon wrote to the damaged file")
	}
}
