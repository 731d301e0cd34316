package xmltree

import (
	"math/bits"
	"testing"

	"github.com/billwatch/billwatch/internal/text"
)

// TestSpecial8FirstIsExact: text skips to the lowest byte special8 marks, so that byte must be
// the first one text needs to look at (a control character, tab and newline included, '&',
// ']' or a byte from 0x80), and no word without one may be marked. Every byte value is tried
// at every place in a word of eight, after plain bytes and before each kind of byte.
func TestSpecial8FirstIsExact(t *testing.T) {
	t.Parallel()
	needsLook := func(c byte) bool { return c < 0x20 || c == '&' || c == ']' || c >= 0x80 }
	for c := range 256 {
		for at := range 8 {
			for _, after := range []byte{'a', 0, '&', ']', 0xff, 0x1f, ' '} {
				w := []byte("abcdefgh")
				w[at] = byte(c)
				for k := at + 1; k < 8; k++ {
					w[k] = after
				}
				first := -1
				for k, b := range w {
					if needsLook(b) {
						first = k
						break
					}
				}
				m := special8(text.Load8(string(w)))
				switch {
				case first < 0 && m != 0:
					t.Errorf("%q: marked, with nothing to look at", w)
				case first >= 0 && (m == 0 || bits.TrailingZeros64(m)/8 != first):
					t.Errorf("%q: first byte marked %d, want %d", w, bits.TrailingZeros64(m)/8, first)
				}
			}
		}
	}
}

// TestNameClass: name's one look-up a byte sorts each byte as the checks it replaced did.
func TestNameClass(t *testing.T) {
	t.Parallel()
	for b := range 256 {
		want := nameOther
		switch {
		case b >= 0x80:
			want = nameHigh
		case !isNameByte(byte(b)):
			want = nameEnd
		case b == ':':
			want = nameColon
		}
		if got := nameClass[b]; int(got) != want {
			t.Errorf("nameClass[%#x] = %d, want %d", b, got, want)
		}
	}
}
