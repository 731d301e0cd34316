package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// meetingJSON is one committee meeting on a bill in `show --json`: the keys of
// billwatch.Meeting, plus what the committee's own list says when billwatch has read it.
type meetingJSON struct {
	Chamber   string `json:"chamber,omitempty"`
	Committee string `json:"committee"`
	Number    int    `json:"number"`
	Date      string `json:"date"`
	Start     string `json:"start,omitempty"`  // RFC 3339, Eastern offset, when the time is known
	Status    string `json:"status,omitempty"` // scheduled, cancelled, held
	URL       string `json:"url,omitempty"`
	// Sources says where the meeting was found: "legisinfo" (the bill's record), "committee"
	// (the committee's meeting list).
	Sources []string `json:"sources"`
}

func (m meetingJSON) label() string {
	if m.Number == 0 {
		if t := strings.TrimPrefix(m.Start, m.Date+"T"); len(t) >= 5 && t != m.Start {
			return "meeting at " + t[:5]
		}
		return "meeting"
	}
	return fmt.Sprintf("meeting %d", m.Number)
}

// billMeetings lists every known meeting on a bill: those its LEGISinfo record names and those
// the committees' meeting lists show on it (a meeting ahead appears there first), once each.
func billMeetings(store *tracker.Store, b tracker.StoredBill) ([]meetingJSON, error) {
	var out []meetingJSON
	key := func(chamber, committee string, number int, date string) string {
		if chamber == "" {
			chamber = billwatch.House
		}
		if number == 0 {
			return chamber + " " + committee + " " + date
		}
		return fmt.Sprintf("%s %s %d", chamber, committee, number)
	}
	idx := map[string]int{}
	for _, m := range b.Meetings {
		k := key(m.Chamber, m.Committee, m.Number, m.Date)
		if _, ok := idx[k]; ok {
			continue
		}
		idx[k] = len(out)
		out = append(out, meetingJSON{Chamber: m.Chamber, Committee: m.Committee, Number: m.Number, Date: m.Date, Sources: []string{"legisinfo"}})
	}
	hs, err := store.Hearings()
	if err != nil {
		return nil, fmt.Errorf("read hearings: %w", err)
	}
	for _, h := range hs {
		if h.Session != b.Session || !slices.Contains(h.Bills, b.Number) {
			continue
		}
		start := h.Start.In(billwatch.Eastern)
		date := start.Format(billwatch.DateLayout)
		k := key(h.Chamber, h.Committee, h.Number, date)
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			i = len(out)
			out = append(out, meetingJSON{Chamber: h.Chamber, Committee: h.Committee, Number: h.Number, Date: date})
		}
		m := &out[i]
		if m.Chamber == "" {
			m.Chamber = h.Chamber
		}
		if !h.FromBillRecord {
			m.Date = date
			if start.Hour() != 0 || start.Minute() != 0 {
				m.Start = start.Format("2006-01-02T15:04:05-07:00")
			}
			m.URL = h.URL
			if !slices.Contains(m.Sources, "committee") {
				m.Sources = append(m.Sources, "committee")
			}
		}
		m.Status = h.Status
	}
	slices.SortStableFunc(out, func(a, b meetingJSON) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.Committee, b.Committee), a.Number-b.Number)
	})
	return out, nil
}
