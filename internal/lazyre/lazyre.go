// Package lazyre holds regular expressions that are compiled on first use, not at start-up:
// a command that never scrapes the Gazette does not pay for the Gazette's patterns. A
// Regexp has the methods of *regexp.Regexp that billwatch uses; Get gives the rest.
package lazyre

import (
	"regexp"
	"strconv"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used. A pattern that does not
// compile panics then, and at every later use, as regexp.MustCompile would have at start-up;
// CompileAll lets a test find such a pattern before any user does.
//
// New makes one allocation: every package's patterns are made at start-up, more than a
// hundred of them, so a Regexp holds its state itself rather than in sync.OnceValue's closures.
type Regexp struct {
	pattern string
	once    sync.Once
	re      *regexp.Regexp
	err     error
}

var (
	mu  sync.Mutex
	all []*Regexp
)

// New returns the regular expression of pattern, to be compiled on first use.
func New(pattern string) *Regexp {
	r := &Regexp{pattern: pattern}
	mu.Lock()
	all = append(all, r)
	mu.Unlock()
	return r
}

// CompileAll compiles every Regexp made so far (those of every package imported), for tests.
func CompileAll() {
	mu.Lock()
	rs := append([]*Regexp(nil), all...)
	mu.Unlock()
	for _, r := range rs {
		r.get()
	}
}

// get returns the compiled expression, compiling it on the first call.
func (r *Regexp) get() *regexp.Regexp {
	r.once.Do(func() { r.re, r.err = regexp.Compile(r.pattern) })
	if r.err != nil {
		q := strconv.Quote(r.pattern)
		if strconv.CanBackquote(r.pattern) {
			q = "`" + r.pattern + "`"
		}
		panic("regexp: Compile(" + q + "): " + r.err.Error()) // as regexp.MustCompile words it
	}
	return r.re
}

// Get returns the compiled expression.
func (r *Regexp) Get() *regexp.Regexp { return r.get() }

// String returns the pattern.
func (r *Regexp) String() string { return r.pattern }

// MatchString is regexp.Regexp.MatchString.
func (r *Regexp) MatchString(s string) bool { return r.get().MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (r *Regexp) FindString(s string) string { return r.get().FindString(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.get().FindStringSubmatch(s) }

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.get().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.get().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.get().ReplaceAllString(src, repl)
}

// FindAllString is regexp.Regexp.FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string { return r.get().FindAllString(s, n) }

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (r *Regexp) FindStringIndex(s string) []int { return r.get().FindStringIndex(s) }

// Split is regexp.Regexp.Split.
func (r *Regexp) Split(s string, n int) []string { return r.get().Split(s, n) }

// ReplaceAll is regexp.Regexp.ReplaceAll.
func (r *Regexp) ReplaceAll(src, repl []byte) []byte { return r.get().ReplaceAll(src, repl) }

// FindSubmatch is regexp.Regexp.FindSubmatch.
func (r *Regexp) FindSubmatch(b []byte) [][]byte { return r.get().FindSubmatch(b) }
