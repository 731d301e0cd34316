package schedule

import (
	"testing"
	"time"

	"github.com/billwatch/billwatch"
)

// et reads "2006-01-02 15:04" as Eastern wall-clock time.
func et(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, billwatch.Eastern)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// utc reads an RFC 3339 instant; wants are written in UTC so DST offsets are explicit.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEasternHasDST(t *testing.T) {
	// The DST cases below mean nothing if the zone fell back to a fixed offset.
	if _, off := et(t, "2026-07-01 12:00").Zone(); off != -4*3600 {
		t.Fatalf("billwatch.Eastern offset in July = %d, want -14400 (is zoneinfo installed?)", off)
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		spec  string
		after string // Eastern
		want  string // UTC
	}{
		// Fixed interval: elapsed time, whatever the wall clock does.
		{"30m", "2026-06-01 10:00", "2026-06-01T14:30:00Z"},
		{"every 3h", "2026-06-01 10:00", "2026-06-01T17:00:00Z"},
		{"30m", "2026-11-01 01:45", "2026-11-01T06:15:00Z"}, // 01:45 EDT + 30m = 01:15 EST

		// Daily: stays at 08:00 local across both DST changes.
		{"daily 08:00", "2026-06-01 07:59", "2026-06-01T12:00:00Z"},
		{"daily 08:00", "2026-06-01 08:00", "2026-06-02T12:00:00Z"},
		{"daily 08:00", "2026-10-31 08:00", "2026-11-01T13:00:00Z"}, // EDT → EST
		{"daily 08:00", "2026-11-01 08:00", "2026-11-02T13:00:00Z"},
		{"daily 08:00", "2027-03-13 08:00", "2027-03-14T12:00:00Z"}, // EST → EDT
		{"daily 08:00", "2027-03-14 08:00", "2027-03-15T12:00:00Z"},
		{"daily 02:30", "2027-03-13 12:00", "2027-03-14T07:30:00Z"}, // 02:30 does not exist: 03:30 EDT
		{"daily 01:30", "2026-10-31 12:00", "2026-11-01T05:30:00Z"}, // ambiguous: first (EDT) one
		{"daily 00:00", "2026-12-31 23:59", "2027-01-01T05:00:00Z"},

		// Weekly.
		{"fri 14:00", "2026-06-04 09:00", "2026-06-05T18:00:00Z"}, // thu → fri
		{"fri 14:00", "2026-06-05 13:59", "2026-06-05T18:00:00Z"},
		{"fri 14:00", "2026-06-05 14:00", "2026-06-12T18:00:00Z"}, // strictly after
		{"fri 14:00", "2026-06-06 09:00", "2026-06-12T18:00:00Z"},
		{"fri 14:00", "2026-10-30 14:00", "2026-11-06T19:00:00Z"}, // EDT → EST
		{"fri 14:00", "2027-03-12 14:00", "2027-03-19T18:00:00Z"}, // EST → EDT
		{"sun 03:00", "2026-12-31 10:00", "2027-01-03T08:00:00Z"}, // across a year

		// Every two weeks from an anchor.
		{"wed 09:00 every 2 weeks from 2026-01-07", "2025-06-01 00:00", "2026-01-07T14:00:00Z"}, // before anchor
		{"wed 09:00 every 2 weeks from 2026-01-07", "2026-01-07 08:59", "2026-01-07T14:00:00Z"},
		{"wed 09:00 every 2 weeks from 2026-01-07", "2026-01-07 09:00", "2026-01-21T14:00:00Z"},
		{"wed 09:00 every 2 weeks from 2026-01-07", "2026-01-14 09:00", "2026-01-21T14:00:00Z"}, // off week
		{"wed 09:00 every 2 weeks from 2026-01-07", "2026-10-28 09:00", "2026-11-11T14:00:00Z"}, // EDT → EST
		{"wed 09:00 every 2 weeks from 2026-01-07", "2027-03-03 09:00", "2027-03-17T13:00:00Z"}, // EST → EDT
		{"wed 09:00 every 2 weeks from 2026-01-07", "2026-12-24 00:00", "2027-01-06T14:00:00Z"},
		{"mon 12:00 every 3 weeks from 2026-06-01", "2026-06-02 00:00", "2026-06-22T16:00:00Z"},

		// Sitting time: Mon–Fri 07:00–22:00 Eastern.
		{"30m sitting, 3h otherwise", "2026-06-01 10:00", "2026-06-01T14:30:00Z"}, // mon, sitting
		{"30m sitting, 3h otherwise", "2026-06-05 21:45", "2026-06-06T02:15:00Z"}, // fri 22:15
		{"30m sitting, 3h otherwise", "2026-06-05 22:15", "2026-06-06T05:15:00Z"}, // sat 01:15
		{"30m sitting, 3h otherwise", "2026-06-07 05:00", "2026-06-07T12:00:00Z"}, // sun 08:00: no sitting on sunday
		{"30m sitting, 3h otherwise", "2026-06-08 05:00", "2026-06-08T11:00:00Z"}, // mon: wakes at 07:00, not 08:00
		{"30m sitting, 3h otherwise", "2026-06-08 06:59", "2026-06-08T11:00:00Z"}, // mon 07:00
		{"30m sitting, 3h otherwise", "2026-06-08 07:00", "2026-06-08T11:30:00Z"}, // mon 07:30
		{"30m sitting, 3h otherwise", "2026-11-02 05:00", "2026-11-02T12:00:00Z"}, // mon 07:00 EST
		{"30m sitting, 3h otherwise", "2027-03-15 05:00", "2027-03-15T11:00:00Z"}, // mon 07:00 EDT
		{"1h sitting, 6h otherwise", "2026-06-06 20:00", "2026-06-07T06:00:00Z"},  // sat 20:00 → sun 02:00
		{"1h sitting, 6h otherwise", "2026-06-07 23:00", "2026-06-08T09:00:00Z"},  // sun 23:00 → mon 05:00
		{"1h sitting, 6h otherwise", "2026-06-08 03:00", "2026-06-08T11:00:00Z"},  // mon 03:00 → 07:00, not 09:00

		// Earliest of several.
		{"fri 14:05; daily 07:30", "2026-06-05 08:00", "2026-06-05T18:05:00Z"},
		{"fri 14:05; daily 07:30", "2026-06-05 14:05", "2026-06-06T11:30:00Z"},
		{DefaultRegulations, "2026-01-13 08:00", "2026-01-14T12:30:00Z"}, // daily 07:30
		{DefaultRegulations, "2026-01-14 07:30", "2026-01-14T14:05:00Z"}, // Part II at 09:05
		{DefaultRegulations, "2026-01-21 07:30", "2026-01-22T12:30:00Z"}, // off week: no 09:05
		{DefaultRegulations, "2026-01-16 07:30", "2026-01-16T19:05:00Z"}, // Part I friday 14:05
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.spec, err)
		}
		after := et(t, tt.after)
		got := s.Next(after)
		if want := utc(t, tt.want); !got.Equal(want) {
			t.Errorf("Parse(%q).Next(%s) = %s (%s), want %s (%s)", tt.spec, tt.after,
				got.UTC().Format(time.RFC3339), got.In(billwatch.Eastern).Format("Mon 15:04 MST"),
				tt.want, want.In(billwatch.Eastern).Format("Mon 15:04 MST"))
		}
		if !got.After(after) {
			t.Errorf("Parse(%q).Next(%s) = %s, not after it", tt.spec, tt.after, got)
		}
	}
}
