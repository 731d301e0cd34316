// Package sampletest finds the real pages and payloads of the sources that tests read from
// ../shared/samples beside the repository, and skips a test clearly when they are absent.
package sampletest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Dir is the samples folder: shared/samples beside the repository (found from the module root,
// so that any package's test finds it).
var Dir = dir()

func dir() string {
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "samples")
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared", "samples")
		}
		if filepath.Dir(d) == d {
			return filepath.Join("..", "shared", "samples")
		}
	}
}

// Path returns the path of a sample, skipping the test when it is absent.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Dir, name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real sample %s not found in %s: the shared samples folder is absent, so this test is skipped", name, Dir)
	}
	return p
}

// Read returns the bytes of a sample, skipping the test when it is absent.
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Dir, name))
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("real sample %s not found in %s: the shared samples folder is absent, so this test is skipped", name, Dir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
