package tracker

import (
	"context"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// ReminderPlan says when reminders fall due.
type ReminderPlan struct {
	// HearingHour is the hour (Eastern) of the day before a hearing when its reminder falls due.
	HearingHour int
	// DeadlineDays are how many days before a comment deadline reminders fall due (7 and 2).
	DeadlineDays []int
}

// DefaultReminders: hearings the day before at 08:00; comment deadlines 7 and 2 days before.
var DefaultReminders = ReminderPlan{HearingHour: 8, DeadlineDays: []int{7, 2}}

// ReminderSummary counts the reminders one run queued.
type ReminderSummary struct{ Alerts int }

// Line is the one-line summary of a reminders run.
func (r ReminderSummary) Line() string { return fmt.Sprintf("reminders: %d due", r.Alerts) }

// Reminders queues the hearing and deadline reminders due at the tracker's now. Each reminder
// has a deterministic id, so running this often never repeats one; a hearing moved to another
// day gets a reminder for the new day.
func (t *Tracker) Reminders(ctx context.Context, plan ReminderPlan) (ReminderSummary, error) {
	now := t.now()
	hearings, err := t.Store.Hearings()
	if err != nil {
		return ReminderSummary{}, err
	}
	regs, err := t.Store.Regulations()
	if err != nil {
		return ReminderSummary{}, err
	}
	var alerts []billwatch.Alert
	for _, h := range hearings {
		// A meeting known by its date alone is ahead all of its day. A meeting no longer on
		// its committee's schedule (moved, or gone) is not reminded.
		today := !HearingTimeKnown(h.Hearing) && startOfDay(h.Start).Equal(startOfDay(now))
		if !h.Watched || h.Status != billwatch.HearingScheduled || !h.Start.After(now) && !today || h.Unlisted != "" {
			continue
		}
		// The day before at the hour, Eastern wall clock: a day is not 24 hours across a
		// change of daylight saving time.
		y, m, d := h.Start.In(billwatch.Eastern).Date()
		due := time.Date(y, m, d-1, plan.HearingHour, 0, 0, 0, billwatch.Eastern)
		if now.Before(due) {
			continue
		}
		// The reminder says when the meeting is: tomorrow, or today (a meeting first seen on
		// its day, or a pass that was late), with its time.
		when, day := "Tomorrow", "tomorrow"
		if startOfDay(now).Equal(startOfDay(h.Start)) {
			when, day = "Today", "today"
			if at := hearingClock(h.Hearing); at != "" {
				when, day = "Today at "+at, "today at "+at
			} else {
				when, day = "Today (time not yet published)", "today (time not yet published)"
			}
		}
		a := billwatch.Alert{
			Kind: billwatch.KindHearingReminder, Severity: billwatch.Action, Audience: billwatch.Lobbying,
			Subject: h.Subject(), Title: fmt.Sprintf("%s: %s meeting %s on %s", when, h.Committee, h.Label(), hearingTopic(h.Hearing)),
			Why:      "the hearing is " + day + ": last chance to brief members or send a written submission",
			Text:     fmt.Sprintf("%s (%s) meeting %s, %s.", h.Committee, h.Chamber, h.Label(), HearingWhen(h.Hearing)),
			Deadline: hearingDeadline(h.Hearing),
			Links:    []billwatch.Link{{Label: "notice", URL: h.URL}},
		}
		if ws := witnessNames(h.Witnesses); len(ws) > 0 {
			a.Text += " Witnesses: " + joinSemi(ws) + "."
		}
		alerts = append(alerts, t.newAlert(a, h.Start.UTC().Format(time.RFC3339)))
	}
	days := slices.Clone(plan.DeadlineDays)
	slices.Sort(days) // smallest first: the most urgent reminder due wins
	today := startOfDay(now)
	for _, r := range regs {
		if !r.Relevant || r.Part != "I" || r.CommentDeadline == "" {
			continue
		}
		deadline, err := time.ParseInLocation(billwatch.DateLayout, r.CommentDeadline, billwatch.Eastern)
		if err != nil || today.After(deadline) {
			continue
		}
		for _, d := range days {
			if today.Before(deadline.AddDate(0, 0, -d)) {
				continue
			}
			left := int(deadline.Sub(today).Hours()/24 + 0.5)
			closes := fmt.Sprintf("comments close in %d days, on %s", left, r.CommentDeadline)
			switch left {
			case 0:
				closes = "comments close today, " + r.CommentDeadline
			case 1:
				closes = "comments close tomorrow, " + r.CommentDeadline
			}
			alerts = append(alerts, t.newAlert(billwatch.Alert{
				Kind: billwatch.KindDeadlineReminder, Severity: billwatch.Urgent, Audience: billwatch.Policy,
				Subject: "Gazette " + r.ID, Title: r.Title, Deadline: r.CommentDeadline,
				Why:   closes,
				Text:  fmt.Sprintf("%s (%s), published in the Canada Gazette, Part I, on %s: the comment period closes on %s.", r.Title, firstNonEmpty(r.Department, "department not stated"), r.Published, r.CommentDeadline),
				Links: []billwatch.Link{{Label: "Canada Gazette", URL: r.URL}},
			}, fmt.Sprintf("%d %s", d, r.CommentDeadline)))
			break
		}
	}
	steps, err := t.NextStepReminders(ctx)
	if err != nil {
		return ReminderSummary{}, err
	}
	if len(alerts) == 0 {
		return ReminderSummary{Alerts: steps}, nil
	}
	// Skip the write when every reminder was already queued.
	if !t.Store.anyNew(alerts) {
		return ReminderSummary{Alerts: steps}, nil
	}
	var sum ReminderSummary
	err = t.Store.update(func(tx *bolt.Tx) error {
		queued, err := t.queue(tx, alerts)
		sum.Alerts = len(queued) + steps
		return err
	})
	return sum, err
}

func joinSemi(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

// anyNew reports whether the store has never queued some of the alerts; a read that fails
// finds none (the next pass tries again).
func (s *Store) anyNew(alerts []billwatch.Alert) bool {
	fresh := false
	_ = s.view(func(tx *bolt.Tx) error {
		for _, a := range alerts {
			fresh = fresh || tx.Bucket(bktAlertIDs).Get([]byte(a.ID)) == nil
		}
		return nil
	})
	return fresh
}
