package tracker

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// filled is a database holding enough versions to spread its buckets over many pages, made
// once and copied for each test.
var filled struct {
	once sync.Once
	b    []byte
	err  error
}

// filledStore is a store on a fresh copy of the filled database.
func filledStore(t *testing.T) *Store {
	t.Helper()
	filled.once.Do(func() {
		dir, err := os.MkdirTemp("", "billwatch-filled")
		if err != nil {
			filled.err = err
			return
		}
		defer os.RemoveAll(dir)
		s, err := Open(filepath.Join(dir, "filled.db"))
		if err != nil {
			filled.err = err
			return
		}
		now := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC)
		filled.err = s.update(func(tx *bolt.Tx) error {
			for i := range 400 {
				payload := []byte(strings.Repeat(fmt.Sprintf("clause %d of the bill. ", i), 20))
				if _, _, err := addVersion(tx, fmt.Sprintf("bill/45-1/C-%d/record", i), payload, "https://www.parl.ca/", "record", now); err != nil {
					return err
				}
			}
			return nil
		})
		if filled.err == nil {
			filled.b, filled.err = os.ReadFile(s.Path())
		}
	})
	if filled.err != nil {
		t.Fatal(filled.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, filled.b, 0o600); err != nil {
		t.Fatal(err)
	}
	return &Store{path: path, timeout: 5 * time.Second}
}

// pagesOf finds, with bbolt, the root page of a bucket and that tree's last leaf.
func pagesOf(t *testing.T, path, bucket string) (pageSize int, root, lastLeaf uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		pageSize = db.Info().PageSize
		root = uint64(tx.Bucket([]byte(bucket)).RootPage())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id := root
	for native.Uint16(b[int(id)*pageSize+8:]) == flagBranch {
		p := b[int(id)*pageSize:]
		n := int(native.Uint16(p[10:]))
		id = native.Uint64(p[pageHeaderSize+(n-1)*elementSize+8:])
	}
	return pageSize, root, id
}

func damageFile(t *testing.T, path string, fn func(b []byte, pageSize int) []byte) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = fn(b, os.Getpagesize())
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyFindsDamage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string) []byte
		want   string
	}{
		{"sound", nil, ""},
		{"cut short", func(t *testing.T, path string) []byte {
			return damageFile(t, path, func(b []byte, ps int) []byte { return b[:len(b)/3] })
		}, "the file was cut short"},
		{"both meta pages overwritten", func(t *testing.T, path string) []byte {
			return damageFile(t, path, func(b []byte, ps int) []byte {
				copy(b, make([]byte, 2*ps))
				return b
			})
		}, "both meta pages are unreadable"},
		{"a page overwritten by another", func(t *testing.T, path string) []byte {
			ps, root, _ := pagesOf(t, path, "versions")
			return damageFile(t, path, func(b []byte, _ int) []byte {
				copy(b[int(root)*ps:int(root+1)*ps], b[2*ps:3*ps])
				return b
			})
		}, "is overwritten: it says it is page"},
		{"a bad page header", func(t *testing.T, path string) []byte {
			ps, _, leaf := pagesOf(t, path, "versions")
			return damageFile(t, path, func(b []byte, _ int) []byte {
				native.PutUint16(b[int(leaf)*ps+8:], 0x40)
				return b
			})
		}, "has a bad header: type 0x40"},
		{"a branch pointing past the end", func(t *testing.T, path string) []byte {
			ps, root, _ := pagesOf(t, path, "versions")
			return damageFile(t, path, func(b []byte, _ int) []byte {
				native.PutUint64(b[int(root)*ps+pageHeaderSize+8:], 1<<40)
				return b
			})
		}, "outside the file's"},
		{"a leaf element past its page", func(t *testing.T, path string) []byte {
			ps, _, leaf := pagesOf(t, path, "versions")
			return damageFile(t, path, func(b []byte, _ int) []byte {
				native.PutUint32(b[int(leaf)*ps+pageHeaderSize+12:], 1<<20) // vsize
				return b
			})
		}, "lies outside the page"},
		{"two keys out of order", func(t *testing.T, path string) []byte {
			// Structurally sound: only bbolt's own check sees it.
			ps, _, leaf := pagesOf(t, path, "versions")
			return damageFile(t, path, func(b []byte, _ int) []byte {
				p := b[int(leaf)*ps:]
				pos := int(native.Uint32(p[pageHeaderSize+4:]))
				p[pageHeaderSize+pos] = 0xFF // the first key now sorts last
				return b
			})
		}, "needs to be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := filledStore(t)
			var damaged []byte
			if tc.damage != nil {
				damaged = tc.damage(t, s.Path())
			}
			ro, err := OpenReadOnly(s.Path())
			if err != nil {
				t.Fatal(err)
			}
			r, err := ro.Verify()
			if tc.want == "" {
				if err != nil || r.Schema != fmt.Sprint(SchemaVersion) || r.Keys["versions"] != 400 {
					t.Fatalf("Verify(sound) = %+v, %v; want the current schema and 400 versions", r, err)
				}
				return
			}
			var de *DamagedError
			if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) || !strings.Contains(de.Problem, tc.want) {
				t.Fatalf("Verify = %v; want a DamagedError saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), "billwatch backup") {
				t.Errorf("error %q: want one line naming the file and the backup", err)
			}
			// Every access refuses it the same way, and none writes to it.
			if _, err := ro.Versions("bill/45-1/C-1/record"); !errors.Is(err, ErrDamaged) {
				t.Errorf("Versions = %v, want ErrDamaged", err)
			}
			if _, err := Open(s.Path()); !errors.Is(err, ErrDamaged) {
				t.Errorf("Open = %v, want ErrDamaged", err)
			}
			rw := &Store{path: s.Path(), timeout: time.Second}
			if err := rw.update(func(tx *bolt.Tx) error { return tx.Bucket(bktMeta).Put([]byte("x"), []byte("y")) }); !errors.Is(err, ErrDamaged) {
				t.Errorf("update = %v, want ErrDamaged", err)
			}
			if _, err := ro.Backup(filepath.Join(t.TempDir(), "b.db")); !errors.Is(err, ErrDamaged) {
				t.Errorf("Backup = %v, want ErrDamaged", err)
			}
			if _, _, err := ro.Compact(); !errors.Is(err, ErrDamaged) {
				t.Errorf("Compact = %v, want ErrDamaged", err)
			}
			if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, damaged) {
				t.Error("the damaged file was written to")
			}
		})
	}
}

// TestDamageAfterVerifyIsCaught damages a file after its store verified it (same file, same
// transaction: the store has no reason to verify again). bbolt then trips on the page, and the
// store says the file is damaged instead of crashing.
func TestDamageAfterVerifyIsCaught(t *testing.T) {
	t.Parallel()
	s := filledStore(t)
	if _, err := s.Versions("bill/45-1/C-1/record"); err != nil {
		t.Fatal(err)
	}
	ps, root, _ := pagesOf(t, s.Path(), "versions")
	f, err := os.OpenFile(s.Path(), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	bad := make([]byte, pageHeaderSize)
	binary.NativeEndian.PutUint64(bad, 7)
	if _, err := f.WriteAt(bad, int64(root)*int64(ps)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before, _ := os.ReadFile(s.Path())

	_, err = s.Versions("bill/45-1/C-1/record")
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(de.Problem, fmt.Sprintf("page %d", root)) {
		t.Errorf("Versions after damage = %v; want a DamagedError naming page %d", err, root)
	}
	err = s.update(func(tx *bolt.Tx) error {
		_, _, err := addVersion(tx, "bill/45-1/C-999/record", []byte("new"), "", "record", time.Now())
		return err
	})
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("update after damage = %v; want ErrDamaged", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
		t.Error("the damaged file was written to")
	}
}

// TestGuardLetsBugsPanic: a panic on a sound file is a bug, not damage, and is not hidden.
func TestGuardLetsBugsPanic(t *testing.T) {
	t.Parallel()
	s := filledStore(t)
	defer func() {
		if r := recover(); r == nil {
			t.Error("guard swallowed a panic on a sound file")
		}
	}()
	_ = s.view(func(tx *bolt.Tx) error {
		panic("a bug, not damage")
	})
}
