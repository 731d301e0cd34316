package lazyre

import (
	"regexp"
	"testing"
)

func TestLazyIsTheSame(t *testing.T) {
	t.Parallel()
	const pat = `(?i)\b(\d+) (day)s?\b`
	l, re := New(pat), regexp.MustCompile(pat)
	for _, s := range []string{"within 30 Days and 2 day", "none", ""} {
		if got, want := l.MatchString(s), re.MatchString(s); got != want {
			t.Errorf("MatchString(%q) = %v, want %v", s, got, want)
		}
		if got, want := l.FindAllStringSubmatch(s, -1), re.FindAllStringSubmatch(s, -1); len(got) != len(want) {
			t.Errorf("FindAllStringSubmatch(%q) = %q, want %q", s, got, want)
		}
		if got, want := l.ReplaceAllString(s, "<$1>"), re.ReplaceAllString(s, "<$1>"); got != want {
			t.Errorf("ReplaceAllString(%q) = %q, want %q", s, got, want)
		}
	}
	first := l.Get()
	if l.String() != pat || l.Get() != first {
		t.Errorf("String() = %q, want %q, and Get() compiled once", l.String(), pat)
	}
}

func TestCompileAllPanicsOnABadPattern(t *testing.T) {
	New(`(`)
	defer func() {
		mu.Lock()
		all = all[:len(all)-1] // leave the bad pattern out of other tests' CompileAll
		mu.Unlock()
		if recover() == nil {
			t.Errorf("CompileAll with the pattern %q did not panic", "(")
		}
	}()
	CompileAll()
}

// A pattern that does not compile panics at every use, with regexp.MustCompile's message, not
// only at the first.
func TestBadPatternPanicsEveryTime(t *testing.T) {
	r := &Regexp{pattern: `a(`} // not registered: CompileAll in other tests must not see it
	for i := range 2 {
		func() {
			defer func() {
				want := "regexp: Compile(`a(`): error parsing regexp: missing closing ): `a(`"
				if got := recover(); got != want {
					t.Errorf("use %d: panic %v, want %q", i+1, got, want)
				}
			}()
			r.MatchString("a")
		}()
	}
}
