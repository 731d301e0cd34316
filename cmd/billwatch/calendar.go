package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/calendar"
	"github.com/billwatch/billwatch/tracker"
)

// calendarName is the calendar's name in Outlook or Google Calendar.
const calendarName = "billwatch: hearings and comment deadlines"

// calendarEvents are the upcoming relevant hearings (and those of the last day) and the
// comment deadlines not yet passed.
func calendarEvents(store *tracker.Store, now time.Time) ([]calendar.Event, error) {
	hearings, err := store.Hearings()
	if err != nil {
		return nil, err
	}
	regs, err := store.Regulations()
	if err != nil {
		return nil, err
	}
	var events []calendar.Event
	since := now.Add(-24 * time.Hour)
	for _, h := range hearings {
		if !h.Relevant || h.Start.Before(since) {
			continue
		}
		vs, _ := store.HearingVersions(h.Hearing)
		ev := calendar.Event{
			UID:      hearingUID(h.Hearing),
			Summary:  fmt.Sprintf("%s meeting %s: %s", h.Committee, calendarLabel(h.Hearing), summaryTopic(h.Hearing)),
			Location: h.Room,
			URL:      h.URL,
			Start:    h.Start,
			End:      h.End,
			Sequence: max(len(vs)-1, 0),
		}
		if len(vs) > 0 {
			ev.Updated = vs[len(vs)-1].Fetched
		}
		guessedEnd := false
		if h.End.IsZero() {
			if !tracker.HearingTimeKnown(h.Hearing) {
				ev.AllDay = true
			} else {
				// A calendar needs an end: two hours, the usual length, said in the description.
				ev.End, guessedEnd = h.Start.Add(2*time.Hour), true
			}
		}
		if h.Status == billwatch.HearingCancelled {
			ev.Status = "CANCELLED"
			ev.Summary = "CANCELLED: " + ev.Summary
		}
		var desc []string
		// A meeting no longer on its committee's schedule: moved (the event at the new time
		// replaces it), or simply gone, which no page says is cancelled.
		if note := tracker.UnlistedNote(h.Hearing); note != "" && h.Status == billwatch.HearingScheduled {
			ev.Status = "TENTATIVE"
			if !h.MovedTo.IsZero() {
				ev.Status = "CANCELLED"
				ev.Summary = "MOVED: " + ev.Summary
			}
			desc = append(desc, "No longer on the committee's schedule: "+note+".")
		}
		desc = append(desc, fmt.Sprintf("%s, %s", h.Chamber, tracker.HearingWhen(h.Hearing)))
		if guessedEnd {
			desc = append(desc, "End time not published: shown as two hours.")
		}
		if len(h.Studies) > 0 {
			desc = append(desc, "Study: "+strings.Join(h.Studies, "; "))
		}
		if h.InCamera {
			desc = append(desc, "In camera")
		}
		for _, w := range h.Witnesses {
			desc = append(desc, "Witness: "+strings.TrimSpace(w.Name+" "+orgSuffix(w)))
		}
		if h.NoticeAmended {
			desc = append(desc, "The notice was amended.")
		}
		desc = append(desc, "Why: "+strings.Join(h.Reasons, "; "), h.URL)
		ev.Description = strings.Join(desc, "\n")
		events = append(events, ev)
	}
	today := now.In(billwatch.Eastern).Format(billwatch.DateLayout)
	for _, r := range regs {
		if !r.Relevant || r.Part != "I" || r.CommentDeadline == "" || r.CommentDeadline < today {
			continue
		}
		d, err := time.ParseInLocation(billwatch.DateLayout, r.CommentDeadline, billwatch.Eastern)
		if err != nil {
			continue
		}
		events = append(events, calendar.Event{
			UID:         "gazette-" + r.ID + "-deadline@billwatch",
			Summary:     "Comments due: " + r.Title,
			Description: fmt.Sprintf("%s\nProposed in the Canada Gazette, Part I, of %s; comments within %d days.\nWhy: %s\n%s", firstNonEmpty(r.Department, "Department not stated"), r.Published, derefInt(r.CommentDays), strings.Join(r.Reasons, "; "), r.URL),
			URL:         r.URL,
			Start:       d,
			AllDay:      true,
		})
	}
	steps, err := nextStepEvents(store, today)
	return append(events, steps...), err
}

// hearingUID is a meeting's calendar UID: "SECU-45-1-25@billwatch" for a numbered meeting (as
// it always was, so that subscribed calendars keep their events), and for a meeting listed
// without a number, its key, which holds its start: "Senate-SECD-45-1-2026-11-30T11:00@billwatch".
func hearingUID(h billwatch.Hearing) string {
	id := fmt.Sprintf("%s-%s-%d", h.Committee, h.Session, h.Number)
	if h.Number == 0 {
		id = h.Key()
	}
	return strings.ReplaceAll(id, " ", "-") + "@billwatch"
}

// calendarLabel names a meeting in its event's summary as the alerts do ("25", "of 2026-11-30
// 11:00"); a meeting without a number whose time is not published is named by its date alone
// (its event is all day).
func calendarLabel(h billwatch.Hearing) string {
	if h.Number == 0 && !tracker.HearingTimeKnown(h) {
		return "of " + h.Start.In(billwatch.Eastern).Format(billwatch.DateLayout)
	}
	return h.Label()
}

func orgSuffix(w billwatch.Witness) string {
	if w.Organization == "" || w.Organization == w.Name {
		return ""
	}
	if w.Name == "" {
		return w.Organization
	}
	return "(" + w.Organization + ")"
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func summaryTopic(h billwatch.Hearing) string {
	if len(h.Bills) > 0 {
		return "Bill " + strings.Join(h.Bills, ", ")
	}
	if len(h.Studies) > 0 {
		return truncate(h.Studies[0], 80)
	}
	return "committee business"
}

// runCalendar is `billwatch calendar`.
func runCalendar(ctx context.Context, g *globals, args []string) error {
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	now := g.clock()
	events, err := calendarEvents(store, now)
	if err != nil {
		return err
	}
	return calendar.WriteAt(g.stdout, calendarName, now, events)
}

// writeCalendarFile rewrites the daemon's calendar file atomically, so that a calendar app
// never reads half a file.
func writeCalendarFile(store *tracker.Store, path string, now time.Time) error {
	events, err := calendarEvents(store, now)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := calendar.WriteAt(&buf, calendarName, now, events); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
