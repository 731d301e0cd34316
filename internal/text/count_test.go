package text

import "testing"

func TestCount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 witnesses"}, {1, "1 witness"}, {2, "2 witnesses"}, {-1, "-1 witnesses"}} {
		if got := Count(c.n, "witness", "witnesses"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
