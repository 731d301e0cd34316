package commons

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

func TestParseNotice(t *testing.T) {
	fixture, err := os.ReadFile("../../fixtures/snapshots/2/ourcommons/DocumentViewer/en/45-1/JUST/meeting-33/notice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		page   string
		want   notice
		layout bool
	}{
		{
			name: "fixture JUST 45-1 33",
			page: string(fixture),
			want: notice{
				Room:     "Room 430, Wellington Building, 197 Sparks Street",
				Subjects: []string{"Pursuant to Standing Order 108(2), study of online hate and the protection of freedom of expression"},
				Bills:    []string{},
				Witnesses: []billwatch.Witness{
					{Name: "Rachel Ng", Organization: "Canadian Constitution Foundation"},
					{Organization: "Centre for Israel and Jewish Affairs"},
					{Name: "Thomas Bergeron", Organization: "As an individual"},
				},
			},
		},
		{
			// The shape of the stored minutes text: headings in <p>, people as bullets.
			name: "plain paragraphs with bullets",
			page: `<html><head><title>Notice - SECU (45-1) - No. 9 - House of Commons of Canada</title></head><body>
<p>Notice of meeting</p><p>Meeting 9</p><p>Tuesday, October 28, 2025, 3:30 p.m. to 5:30 p.m.</p>
<p>Room 225-A, West Block</p><p><b>Orders of the Day</b></p>
<p>Bill C-8, An Act respecting cyber security, amending the Telecommunications Act</p>
<p><b>Appearing</b></p><p>Minister of Public Safety</p><p>• Hon. Alex Doe, Minister</p>
<p><strong>Witnesses:</strong></p><p>3:30 p.m. to 4:30 p.m.</p><p>Department of Public Safety and Emergency Preparedness</p>
<p>• Jane Roe, Director General, National Cyber Security</p><p>• Sam Poe</p><p>Clerk of the Committee</p><p>Jo Clerk (613-555-0100)</p></body></html>`,
			want: notice{
				Room:     "Room 225-A, West Block",
				Subjects: []string{"Bill C-8, An Act respecting cyber security, amending the Telecommunications Act"},
				Bills:    []string{"C-8"},
				Witnesses: []billwatch.Witness{
					{Name: "Hon. Alex Doe", Organization: "Minister of Public Safety"},
					{Name: "Jane Roe", Organization: "Department of Public Safety and Emergency Preparedness"},
					{Name: "Sam Poe", Organization: "Department of Public Safety and Emergency Preparedness"},
				},
			},
		},
		{
			name: "committee business, no witnesses",
			page: `<html><head><title>Notice - ETHI (45-1) - No. 3</title></head><body><h1>Notice of meeting</h1><h2>Orders of the Day</h2><p>Committee Business</p></body></html>`,
			want: notice{Subjects: []string{"Committee Business"}, Bills: []string{}},
		},
		{
			name:   "not a notice",
			page:   `<html><head><title>Error</title></head><body><p>Sorry, the page is not available.</p></body></html>`,
			layout: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNotice(strings.NewReader(tt.page))
			if tt.layout {
				if !errors.Is(err, scraper.ErrLayoutChanged) {
					t.Errorf("parseNotice(%s) error = %v, want ErrLayoutChanged", tt.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseNotice(%s) error: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseNotice(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func FuzzParseNotice(f *testing.F) {
	for _, p := range []string{
		"../../fixtures/snapshots/2/ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice",
		"../../fixtures/snapshots/2/ourcommons/DocumentViewer/en/45-1/JUST/meeting-33/notice",
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("<p>Witnesses</p><li>, x</li><p>noon to 1 p.m.</p>")
	f.Fuzz(func(t *testing.T, page string) {
		n, err := parseNotice(strings.NewReader(page))
		if err != nil {
			return
		}
		for _, w := range n.Witnesses {
			if w.Name == "" && w.Organization == "" {
				t.Fatalf("parseNotice returned an empty witness in %+v", n.Witnesses)
			}
		}
	})
}
