package billwatch

import (
	"testing"
	"time"
)

func TestNormalizeBillNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"C-22", "C-22"}, {"c-22", "C-22"}, {" C22 ", "C-22"}, {"s-209", "S-209"}, {"Bill C-8", "C-8"},
		{"C-", ""}, {"X-1", ""}, {"banana", ""}, {"C-1A", "C-1A"}, {"C-A1", ""}, {"", ""},
	} {
		if got := NormalizeBillNumber(tc.in); got != tc.want {
			t.Errorf("NormalizeBillNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEasternKnowsDaylightSaving(t *testing.T) {
	summer := time.Date(2026, 10, 29, 15, 30, 0, 0, Eastern)
	winter := time.Date(2026, 11, 5, 15, 30, 0, 0, Eastern)
	if _, off := summer.Zone(); off != -4*3600 {
		t.Errorf("offset on 2026-10-29 = %d, want -4h", off)
	}
	if _, off := winter.Zone(); off != -5*3600 {
		t.Errorf("offset on 2026-11-05 = %d, want -5h", off)
	}
}
