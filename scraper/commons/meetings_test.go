package commons

import (
	"errors"
	"github.com/billwatch/billwatch/internal/sampletest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

var samples = sampletest.Dir

func et(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, billwatch.Eastern)
}

func hearings(ms []meeting) []billwatch.Hearing {
	var hs []billwatch.Hearing
	for _, m := range ms {
		hs = append(hs, m.Hearing)
	}
	return hs
}

func TestParseMeetingsRealSample(t *testing.T) {
	b := sampletest.Read(t, "ourcommons-committee-meetings-AMAD-44-1-trimmed.html")
	ms, err := parseMeetings(strings.NewReader(string(b)), "AMAD", "44-1", time.Time{})
	if err != nil {
		t.Fatalf("parseMeetings(AMAD 44-1) error: %v", err)
	}
	maid := "Statutory Review – Medical Assistance in Dying"
	want := []billwatch.Hearing{
		{Chamber: billwatch.Joint, Committee: "AMAD", Session: "44-1", Number: 12,
			Start: et(2022, 6, 13, 18, 30), End: et(2022, 6, 13, 21, 35), InCamera: true,
			Status: billwatch.HearingHeld, Studies: []string{maid}, Bills: []string{},
			URL: "https://www.parl.ca/DocumentViewer/en/44-1/AMAD/meeting-12/notice"},
		{Chamber: billwatch.Joint, Committee: "AMAD", Session: "44-1", Number: 11,
			Start: et(2022, 6, 6, 18, 32), End: et(2022, 6, 6, 21, 31), NoticeAmended: true,
			Status: billwatch.HearingHeld, Studies: []string{maid}, Bills: []string{}, Broadcast: "webcast",
			URL: "https://www.parl.ca/DocumentViewer/en/44-1/AMAD/meeting-11/notice"},
		{Chamber: billwatch.Joint, Committee: "AMAD", Session: "44-1", Number: 10,
			Start: et(2022, 5, 30, 18, 33), End: et(2022, 5, 30, 21, 45), NoticeAmended: true,
			Status: billwatch.HearingHeld, Studies: []string{"Committee Business", maid}, Bills: []string{}, Broadcast: "webcast",
			URL: "https://www.parl.ca/DocumentViewer/en/44-1/AMAD/meeting-10/notice"},
	}
	if diff := cmp.Diff(want, hearings(ms), ignoreListChecks); diff != "" {
		t.Errorf("parseMeetings(AMAD 44-1) mismatch (-want +got):\n%s", diff)
	}
	for _, h := range hearings(ms) {
		if _, off := h.Start.Zone(); off != -4*3600 {
			t.Errorf("parseMeetings(AMAD 44-1) meeting %d starts at offset %d, want -4h (EDT)", h.Number, off)
		}
	}
}

// item writes one meeting in the real markup, trimmed to what the parser reads.
func item(id, date, number, timeText, icons, extra string) string {
	return `<div class="accordion-item meeting-item-` + date + ` " id="meeting-item-` + id + `">
<div class="meeting-title with-meeting-number"><div class="meeting-title-main">
<span class="date-label hidden-xs hidden-sm">label</span>` + icons + `</div>
<div class="meeting-number">Meeting ` + number + `</div>
<div class="the-time">` + timeText + `</div></div>
<div class="meeting-card-details-container full-width">
<ul class="bullet-linked-list minimal-on-phone meeting-card-studies-list">
<li class="meeting-card-study"><a class="current-study" href="/committees/en/SECU/StudyActivity?studyActivityId=1">Bill C-8, An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts</a></li>
</ul>` + extra + `</div></div>`
}

func TestParseMeetingsCases(t *testing.T) {
	now := et(2026, 11, 16, 10, 0)
	c8 := []string{"Bill C-8, An Act respecting cyber security, amending the Telecommunications Act and making consequential amendments to other Acts"}
	base := func(n int, start, end time.Time) billwatch.Hearing {
		return billwatch.Hearing{Chamber: billwatch.House, Committee: "SECU", Session: "45-1", Number: n,
			Start: start, End: end, Status: billwatch.HearingScheduled, Studies: c8, Bills: []string{"C-8"},
			URL: "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-" + strconv.Itoa(n) + "/notice"}
	}
	tests := []struct {
		name    string
		page    string
		want    []billwatch.Hearing
		wantErr []string // substrings, one per expected problem
		layout  bool
	}{
		{
			name: "before and after the end of daylight saving",
			page: item("1", "2026-10-29", "9", "3:30 p.m. - 5:30 p.m. (EDT)", "", "") +
				item("2", "2026-11-05", "10", "3:30 p.m. - 5:30 p.m. (EST)", "", ""),
			want: []billwatch.Hearing{
				func() billwatch.Hearing {
					h := base(9, et(2026, 10, 29, 15, 30), et(2026, 10, 29, 17, 30))
					h.Status = billwatch.HearingHeld
					return h
				}(),
				func() billwatch.Hearing {
					h := base(10, et(2026, 11, 5, 15, 30), et(2026, 11, 5, 17, 30))
					h.Status = billwatch.HearingHeld
					return h
				}(),
			},
		},
		{
			name: "cancelled, televised, audio only, noon",
			page: item("3", "2026-11-26", "25", "11 a.m. - noon (EST)", `<span class="meeting-date-icon"><i class="hoc-icon icon-cancel" title="Cancelled"></i></span>`, "") +
				item("4", "2026-11-27", "26", "3:30 PM to 5:30 PM", `<span class="meeting-date-icon"><i class="hoc-icon icon-television" title="Televised"></i></span>`, "") +
				item("5", "2026-11-30", "27", "3:30 p.m. - 5:30 p.m.", `<span class="meeting-date-icon"><i class="hoc-icon icon-speaker" title="Audio only"></i></span>`, `<span class="meeting-card-attribute meeting-location">Room 225-A, West Block</span>`),
			want: []billwatch.Hearing{
				func() billwatch.Hearing {
					h := base(25, et(2026, 11, 26, 11, 0), et(2026, 11, 26, 12, 0))
					h.Status = billwatch.HearingCancelled
					return h
				}(),
				func() billwatch.Hearing {
					h := base(26, et(2026, 11, 27, 15, 30), et(2026, 11, 27, 17, 30))
					h.Broadcast = "televised"
					return h
				}(),
				func() billwatch.Hearing {
					h := base(27, et(2026, 11, 30, 15, 30), et(2026, 11, 30, 17, 30))
					h.Broadcast = "audio"
					h.Room = "Room 225-A, West Block"
					return h
				}(),
			},
		},
		{
			name: "times only in the malformed datetime attributes",
			page: item("6", "2026-11-24", "24", `<time datetime="2026-11-24T15:30:53">x</time> to <time datetime="2026-11-24T17:31 : 29">y</time>`, "", ""),
			want: []billwatch.Hearing{base(24, et(2026, 11, 24, 15, 30), et(2026, 11, 24, 17, 31))},
		},
		{
			name: "a bad date in one meeting, the rest still counts",
			page: item("7", "2026-02-30", "30", "3:30 p.m. - 5:30 p.m.", "", "") +
				item("8", "2026-12-01", "31", "3:30 p.m. - 5:30 p.m.", "", "") +
				item("9", "2026-12-02", "32", "sometime", "", ""),
			want:    []billwatch.Hearing{base(31, et(2026, 12, 1, 15, 30), et(2026, 12, 1, 17, 30))},
			wantErr: []string{"SECU 45-1 meeting 30 (id 7)", "bad date 2026-02-30", "SECU 45-1 meeting 32 (id 9)", "no start time"},
		},
		{
			name:   "a new layout",
			page:   `<html><body><div class="meeting-card">Meeting 3</div></body></html>`,
			layout: true,
		},
		{
			name:   "every meeting unreadable",
			page:   item("10", "2026-13-01", "1", "", "", ""),
			layout: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := parseMeetings(strings.NewReader("<html><body>"+tt.page+"</body></html>"), "SECU", "45-1", now)
			if tt.layout {
				if !errors.Is(err, scraper.ErrLayoutChanged) {
					t.Errorf("parseMeetings(%s) error = %v, want ErrLayoutChanged", tt.name, err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, hearings(ms), ignoreListChecks); diff != "" {
				t.Errorf("parseMeetings(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Errorf("parseMeetings(%s) error = %v, want none", tt.name, err)
			}
			for _, s := range tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("parseMeetings(%s) error = %v, want it to say %q", tt.name, err, s)
				}
			}
			if errors.Is(err, scraper.ErrLayoutChanged) {
				t.Errorf("parseMeetings(%s) error = %v: a page with good meetings is not a layout change", tt.name, err)
			}
		})
	}
}

func FuzzParseMeetings(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join(samples, "ourcommons-committee-meetings-AMAD-44-1-trimmed.html")); err == nil {
		f.Add(string(b))
	}
	f.Add(item("1", "2026-10-29", "9", "3:30 p.m. - 5:30 p.m. (EDT)", "", ""))
	f.Add(item("1", "2026-10-29", "9", `<time datetime="2026-10-29T1:3">`, "", ""))
	f.Fuzz(func(t *testing.T, page string) {
		ms, err := parseMeetings(strings.NewReader(page), "SECU", "45-1", et(2026, 11, 16, 10, 0))
		if len(ms) == 0 && err == nil {
			t.Fatalf("parseMeetings returned no meeting and no error")
		}
		for _, m := range ms {
			if m.Number <= 0 || m.Start.IsZero() || m.Status == "" || m.URL == "" {
				t.Fatalf("parseMeetings returned an incomplete hearing %+v", m.Hearing)
			}
			if !m.End.IsZero() && !m.End.After(m.Start) {
				t.Fatalf("parseMeetings: meeting %d ends %v before it starts %v", m.Number, m.End, m.Start)
			}
		}
	})
}
