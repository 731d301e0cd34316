package tracker

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged means the database file is damaged: billwatch neither reads nor writes it.
var ErrDamaged = errors.New("database is damaged")

// DamagedError says which database file is damaged, how, and what to do. It matches
// ErrDamaged.
type DamagedError struct {
	Path    string
	Problem string
	// NotBolt is set when the file has no bbolt meta page anywhere: it is some other file (a
	// wrong --db), not a damaged database, and no backup belongs in its place.
	NotBolt bool
}

func (e *DamagedError) Error() string {
	if e.NotBolt {
		return fmt.Sprintf("database %s is not a billwatch database: it holds no bbolt header (%s); billwatch will neither read nor write it: is --db (or $BILLWATCH_DB) the right file?", e.Path, e.Problem)
	}
	return fmt.Sprintf("database %s is damaged: %s; billwatch will not write to it. Stop billwatch and put the last copy made by `billwatch backup` in its place", e.Path, e.Problem)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func (s *Store) damaged(format string, args ...any) error {
	return &DamagedError{Path: s.path, Problem: fmt.Sprintf(format, args...)}
}

// The on-disk layout of a bbolt file (go.etcd.io/bbolt/internal/common), read here with plain
// reads so that a damaged file is diagnosed without touching bbolt's memory map: bbolt trusts
// its file, and a page past the end of a truncated file kills the process with SIGBUS.
const (
	pageHeaderSize  = 16 // id u64, flags u16, count u16, overflow u32
	elementSize     = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	bucketValueSize = 16 // root pgid u64, sequence u64; an inline bucket's page follows
	metaChecksumAt  = 56 // the meta's checksum covers its first 56 bytes
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	flagBranch      = 0x01
	flagLeaf        = 0x02
	flagMeta        = 0x04
	flagFreelist    = 0x10
	leafBucket      = 0x01
	noFreelist      = ^uint64(0)
)

var native = binary.NativeEndian // bbolt writes its structures in the machine's byte order

// meta is one of the two meta pages.
type meta struct {
	page     int
	pageSize int
	root     uint64
	freelist uint64
	pgid     uint64 // the high-water mark: pages 0 to pgid-1 are in use
	txid     uint64
}

// readMeta reads and validates the meta page at off.
func readMeta(f io.ReaderAt, off int64, page int) (meta, error) {
	buf := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(buf, off); err != nil {
		return meta{}, fmt.Errorf("meta page %d cannot be read: %w", page, err)
	}
	m := buf[pageHeaderSize:]
	switch {
	case native.Uint32(m[0:]) != boltMagic:
		return meta{}, fmt.Errorf("meta page %d is not a bbolt meta page", page)
	case native.Uint32(m[4:]) != boltVersion:
		return meta{}, fmt.Errorf("meta page %d has bbolt format version %d", page, native.Uint32(m[4:]))
	}
	h := fnv.New64a()
	h.Write(m[:metaChecksumAt])
	if h.Sum64() != native.Uint64(m[metaChecksumAt:]) {
		return meta{}, fmt.Errorf("meta page %d fails its checksum", page)
	}
	return meta{
		page:     page,
		pageSize: int(native.Uint32(m[8:])),
		root:     native.Uint64(m[16:]),
		freelist: native.Uint64(m[32:]),
		pgid:     native.Uint64(m[40:]),
		txid:     native.Uint64(m[48:]),
	}, nil
}

// readMetas returns the meta page bbolt uses (the valid one with the higher transaction id)
// and the problem with the other one, if any: one bad meta page is what a crash during a
// commit leaves, and bbolt falls back to the other, so it is not damage.
func readMetas(f io.ReaderAt, size int64) (meta, error, error) {
	m0, err0 := readMeta(f, 0, 0)
	ps := int64(m0.pageSize)
	if err0 != nil {
		ps = int64(os.Getpagesize())
	}
	var m1 meta
	err1 := fmt.Errorf("meta page 1 is missing: the file is only %d bytes", size)
	if 2*ps <= size {
		m1, err1 = readMeta(f, ps, 1)
	}
	switch {
	case err0 != nil && err1 != nil:
		return meta{}, nil, fmt.Errorf("both meta pages are unreadable (%v; %v): it is not a bbolt database, or its first pages were overwritten", err0, err1)
	case err0 != nil:
		return m1, err0, nil
	case err1 != nil:
		return m0, err1, nil
	case m1.txid > m0.txid:
		return m1, nil, nil
	}
	return m0, nil, nil
}

// hasBoltMagic reports whether the file shows any sign of bbolt: a meta page's magic number,
// or a page after the metas that names its own number, at any page size bbolt may have used.
// A file without any was never a bbolt database (a wrong --db), not a damaged one.
func hasBoltMagic(f io.ReaderAt, size int64) bool {
	buf := make([]byte, pageHeaderSize+4)
	for ps := int64(512); ps <= 64<<10; ps *= 2 {
		for _, off := range []int64{0, ps} {
			if off+int64(len(buf)) <= size {
				if _, err := f.ReadAt(buf, off); err == nil && native.Uint32(buf[pageHeaderSize:]) == boltMagic {
					return true
				}
			}
		}
		for _, id := range []int64{2, 3} {
			if (id+1)*ps > size {
				break
			}
			if _, err := f.ReadAt(buf, id*ps); err != nil {
				continue
			}
			flags := native.Uint16(buf[8:])
			if native.Uint64(buf) == uint64(id) && (flags == flagBranch || flags == flagLeaf || flags == flagFreelist) {
				return true
			}
		}
	}
	return false
}

// describeContent says in a few words what a file that is not a database seems to hold.
func describeContent(f io.ReaderAt) string {
	buf := make([]byte, 512)
	n, _ := f.ReadAt(buf, 0)
	head := strings.TrimLeft(string(buf[:n]), " \t\r\n\ufeff")
	switch {
	case strings.HasPrefix(head, "<"):
		return "it looks like XML or HTML"
	case strings.HasPrefix(head, "{") || strings.HasPrefix(head, "["):
		return "it looks like JSON"
	case strings.HasPrefix(head, "SQLite format 3"):
		return "it is an SQLite database"
	}
	return "its first bytes are not bbolt's"
}

// checkMeta checks a meta page against the file's size.
func checkMeta(m meta, size int64) error {
	if m.pageSize < 512 || m.pageSize > 1<<24 || m.pageSize&(m.pageSize-1) != 0 {
		return fmt.Errorf("meta page %d gives a page size of %d bytes", m.page, m.pageSize)
	}
	if m.pgid < 4 || m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)) {
		return fmt.Errorf("meta page %d points outside the file's %d pages", m.page, m.pgid)
	}
	if need := int64(m.pgid) * int64(m.pageSize); size < need {
		return fmt.Errorf("the file was cut short: it is %d bytes, its %d pages need %d", size, m.pgid, need)
	}
	return nil
}

// inspect checks the file's meta pages and size, which bbolt does not: it is cheap (two
// small reads) and runs before every open.
func (s *Store) inspect() error {
	f, err := os.Open(s.path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // bbolt creates it, or the caller said there is none
		}
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("database %s is a directory, not a database file (give --db a file name, e.g. %s)", s.path, strings.TrimSuffix(s.path, "/")+"/billwatch.db")
	}
	if fi.Size() == 0 {
		return nil // bbolt initialises an empty file
	}
	m, _, err := readMetas(f, fi.Size())
	if err != nil {
		if !hasBoltMagic(f, fi.Size()) {
			return &DamagedError{Path: s.path, Problem: describeContent(f), NotBolt: true}
		}
		return s.damaged("%v", err)
	}
	if err := checkMeta(m, fi.Size()); err != nil {
		return s.damaged("%v", err)
	}
	return nil
}

// walker follows every page reachable from the root bucket and the freelist, with plain
// reads, checking that each lies inside the file, says it is the page it should be, is of the
// right type, holds its elements inside itself and is referenced once. What it accepts can be
// read by bbolt without a fault.
type walker struct {
	f    io.ReaderAt
	size int64
	m    meta
	seen map[uint64]bool
}

// walk checks the structure of the file as of meta m.
func walk(f io.ReaderAt, size int64, m meta) error {
	w := &walker{f: f, size: size, m: m, seen: map[uint64]bool{0: true, 1: true}}
	if m.freelist != noFreelist {
		if err := w.freelist(m.freelist); err != nil {
			return err
		}
	}
	return w.tree(m.root, "the root bucket", 0)
}

// page reads page id with its overflow pages, checking its header.
func (w *walker) page(id uint64, want uint16, what string) ([]byte, error) {
	if id < 2 || id >= w.m.pgid {
		return nil, fmt.Errorf("%s points to page %d, outside the file's %d pages", what, id, w.m.pgid)
	}
	ps := int64(w.m.pageSize)
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id)*ps); err != nil {
		return nil, fmt.Errorf("page %d (%s) cannot be read: %v", id, what, err)
	}
	if got := native.Uint64(hdr); got != id {
		return nil, fmt.Errorf("page %d (%s) is overwritten: it says it is page %d", id, what, got)
	}
	flags := native.Uint16(hdr[8:])
	if flags != want && !(want == flagBranch|flagLeaf && (flags == flagBranch || flags == flagLeaf)) {
		return nil, fmt.Errorf("page %d (%s) has a bad header: type %#x", id, what, flags)
	}
	overflow := uint64(native.Uint32(hdr[12:]))
	if id+overflow >= w.m.pgid {
		return nil, fmt.Errorf("page %d (%s) runs %d pages past the file's %d pages", id, what, overflow, w.m.pgid)
	}
	for i := id; i <= id+overflow; i++ {
		if w.seen[i] {
			return nil, fmt.Errorf("page %d (%s) is referenced twice", i, what)
		}
		w.seen[i] = true
	}
	buf := make([]byte, int64(overflow+1)*ps)
	if _, err := w.f.ReadAt(buf, int64(id)*ps); err != nil {
		return nil, fmt.Errorf("page %d (%s) cannot be read: %v", id, what, err)
	}
	return buf, nil
}

func (w *walker) freelist(id uint64) error {
	p, err := w.page(id, flagFreelist, "the freelist")
	if err != nil {
		return err
	}
	n, at := uint64(native.Uint16(p[10:])), uint64(pageHeaderSize)
	if n == 0xFFFF {
		n, at = native.Uint64(p[at:]), at+8
	}
	if n > uint64(len(p)) || at+8*n > uint64(len(p)) {
		return fmt.Errorf("page %d (the freelist) claims %d free pages, more than it holds", id, n)
	}
	for i := range n {
		if free := native.Uint64(p[at+8*i:]); free < 2 || free >= w.m.pgid {
			return fmt.Errorf("page %d (the freelist) lists page %d, outside the file's %d pages", id, free, w.m.pgid)
		}
	}
	return nil
}

// tree checks the B+tree rooted at page id.
func (w *walker) tree(id uint64, what string, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%s is nested more than 64 levels deep", what)
	}
	p, err := w.page(id, flagBranch|flagLeaf, what)
	if err != nil {
		return err
	}
	return w.node(p, id, what, depth)
}

// node checks the elements of a branch or leaf page (or an inline bucket's page, id 0).
func (w *walker) node(p []byte, id uint64, what string, depth int) error {
	if len(p) < pageHeaderSize {
		return fmt.Errorf("%s: an inline page of %d bytes", what, len(p))
	}
	flags, count := native.Uint16(p[8:]), int(native.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > len(p) {
		return fmt.Errorf("page %d (%s) claims %d elements, more than it holds", id, what, count)
	}
	for i := range count {
		at := pageHeaderSize + i*elementSize
		e := p[at : at+elementSize]
		if flags == flagBranch {
			pos, ksize := uint64(native.Uint32(e)), uint64(native.Uint32(e[4:]))
			if uint64(at)+pos+ksize > uint64(len(p)) {
				return fmt.Errorf("page %d (%s): element %d lies outside the page", id, what, i)
			}
			if err := w.tree(native.Uint64(e[8:]), what, depth+1); err != nil {
				return err
			}
			continue
		}
		if flags != flagLeaf {
			return fmt.Errorf("page %d (%s) has a bad header: type %#x", id, what, flags)
		}
		lf, pos, ksize, vsize := native.Uint32(e), uint64(native.Uint32(e[4:])), uint64(native.Uint32(e[8:])), uint64(native.Uint32(e[12:]))
		end := uint64(at) + pos + ksize + vsize
		if end > uint64(len(p)) {
			return fmt.Errorf("page %d (%s): element %d lies outside the page", id, what, i)
		}
		if lf&leafBucket == 0 {
			continue
		}
		name := fmt.Sprintf("bucket %q", p[uint64(at)+pos:uint64(at)+pos+ksize])
		v := p[uint64(at)+pos+ksize : end]
		if len(v) < bucketValueSize {
			return fmt.Errorf("page %d (%s): %s has a bad header", id, what, name)
		}
		if root := native.Uint64(v); root != 0 {
			if err := w.tree(root, name, depth+1); err != nil {
				return err
			}
		} else if err := w.node(v[bucketValueSize:], 0, name, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// verify checks the whole file under an open handle (which holds the file lock): the meta
// pages and size, every page reachable, then bbolt's own consistency check (free pages, key
// order, pages neither used nor free). The walk comes first: bbolt's check trusts the page
// references it follows, and runs in a goroutine of its own where a fault cannot be caught.
func (s *Store) verify(db *bolt.DB) (problems []string, err error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", s.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", s.path, err)
	}
	m, err := checkPages(f, fi.Size())
	if err != nil {
		return []string{err.Error()}, nil
	}
	err = db.View(func(tx *bolt.Tx) error {
		if uint64(tx.ID()) != m.txid {
			return fmt.Errorf("database %s changed while it was being checked", s.path)
		}
		for cerr := range tx.Check() {
			if len(problems) < 5 {
				problems = append(problems, cerr.Error())
			}
		}
		return nil
	})
	return problems, err
}

// guard runs fn, which uses db, turning what a damaged file does to bbolt (a fault reading
// a page past the end of the file, an assertion on a page that is not what it should be)
// into a DamagedError. A panic on a sound file is a bug, and goes on.
func (s *Store) guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if problem := s.diagnose(); problem != "" {
			err = s.damaged("%s", problem)
			return
		}
		var fault interface{ Addr() uintptr }
		if e, ok := r.(error); ok && errors.As(e, &fault) {
			err = s.damaged("a read of the file faulted at address %#x", fault.Addr())
			return
		}
		if msg := fmt.Sprint(r); strings.HasPrefix(msg, "assertion failed") {
			err = s.damaged("bbolt: %s", firstLine(errors.New(msg)))
			return
		}
		panic(r)
	}()
	return fn()
}

// checkPages reads the meta pages of a file of size bytes, checks them against its size, and
// walks every page they reach; it returns the meta page in use.
func checkPages(f *os.File, size int64) (meta, error) {
	m, _, err := readMetas(f, size)
	if err == nil {
		err = checkMeta(m, size)
	}
	if err == nil {
		err = walk(f, size, m)
	}
	return m, err
}

// diagnose says what is wrong with the file, after bbolt tripped on it.
func (s *Store) diagnose() string {
	f, err := os.Open(s.path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ""
	}
	if _, err := checkPages(f, fi.Size()); err != nil {
		return err.Error()
	}
	return ""
}

// openError names what bbolt found wrong when it refused to open the file.
func (s *Store) openError(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("database %s: %w", s.path, ErrBusy)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return s.damaged("bbolt: %v", err)
	}
	return fmt.Errorf("database %s: %w", s.path, err)
}
