package tracker

import (
	"context"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// raise is one severity step up: info → action → urgent.
func raise(s billwatch.Severity) billwatch.Severity {
	switch s {
	case billwatch.Info:
		return billwatch.Action
	default:
		return billwatch.Urgent
	}
}

// alertRecord finds the record an alert is about: its own bill's or regulation's, else (for a
// bill) the nearest earlier bill of its lineage that has one.
func alertRecord(tx *bolt.Tx, a billwatch.Alert) (rec Record, from string, ok bool) {
	subjects := []string{}
	if id, isReg := strings.CutPrefix(a.Subject, "Gazette "); isReg {
		subjects = append(subjects, RegulationSubject("I "+id), RegulationSubject("II "+id))
	} else if session, number, isBill := strings.Cut(a.Subject, " "); isBill && validSession(session) && billwatch.NormalizeBillNumber(number) == number {
		subjects = append(subjects, BillSubject(session, number))
	}
	for _, s := range subjects {
		if r, err := getRecord(tx, s); err == nil && !r.Empty() {
			return r, "", true
		}
	}
	if len(subjects) == 1 && strings.HasPrefix(subjects[0], "bill ") {
		if l, r, found := inherited(tx, a.Subject); found {
			return r, l.Key(), true
		}
	}
	return Record{}, "", false
}

// decorate adds the coalition's record to an alert about a bill or regulation that has one:
// "Our position: oppose · owner: Léa · brief of 2023-03-01". A position of oppose or seek
// amendments raises the alert one severity step. A record inherited from an earlier bill of
// the lineage says so, with the command that carries it over.
func decorate(tx *bolt.Tx, a billwatch.Alert) billwatch.Alert {
	if a.Subject == "" || a.Kind == billwatch.KindSourceUnhealthy || a.Kind == billwatch.KindSourceRecovered {
		return a
	}
	rec, from, ok := alertRecord(tx, a)
	if !ok {
		return a
	}
	line := rec.Line()
	if line == "" {
		return a
	}
	if from != "" {
		line = strings.Replace(line, "Our position:", "Our position on "+from+":", 1)
		if !strings.HasPrefix(line, "Our position") {
			line = "On " + from + ": " + line
		}
		_, number, _ := strings.Cut(a.Subject, " ")
		session, _, _ := strings.Cut(a.Subject, " ")
		line += fmt.Sprintf(". Carry it over: billwatch memory carry %s --session %s --from %q", number, session, from)
	}
	a.Text = line + "\n" + a.Text
	if rec.Position == PositionOppose || rec.Position == PositionAmend {
		a.Severity = raise(a.Severity)
	}
	return a
}

// The title's and why's openings of a next-step reminder, by which IsNextStepReminder knows
// one from a comment-deadline reminder (both are deadline.reminder).
const (
	nextStepTitle = "Next step: "
	nextStepWhy   = "our next step on "
)

// IsNextStepReminder reports whether an alert is the reminder of one of the coalition's next
// steps (rather than of a Gazette comment deadline), so that pages label it as such.
func IsNextStepReminder(a billwatch.Alert) bool {
	return a.Kind == billwatch.KindDeadlineReminder && strings.HasPrefix(a.Title, nextStepTitle) && strings.HasPrefix(a.Why, nextStepWhy)
}

// NextStepReminders queues a reminder for each open next step whose due date is today or
// tomorrow (Eastern), or past: one per step and due date, never repeated.
func (t *Tracker) NextStepReminders(ctx context.Context) (int, error) {
	now := t.now()
	records, err := t.Store.Records()
	if err != nil {
		return 0, err
	}
	today := startOfDay(now)
	var alerts []billwatch.Alert
	for _, r := range records {
		if r.Next == nil || r.Next.Due == "" {
			continue
		}
		due, err := time.ParseInLocation(billwatch.DateLayout, r.Next.Due, billwatch.Eastern)
		if err != nil || today.Before(due.AddDate(0, 0, -1)) {
			continue
		}
		kind, rest, _ := strings.Cut(r.Subject, " ")
		subject := rest
		var page string
		if kind == "regulation" {
			part, id, _ := strings.Cut(rest, " ")
			subject, page = "Gazette "+id, billwatch.RegulationPath(part, id)
		} else if session, number, ok := strings.Cut(rest, " "); ok {
			page = billwatch.BillPath(session, number)
		}
		when := "is due tomorrow"
		switch {
		case today.Equal(due):
			when = "is due today"
		case today.After(due):
			when = "was due on " + r.Next.Due + ": overdue"
		}
		owner := firstNonEmpty(r.Owner, "no owner")
		alerts = append(alerts, t.newAlert(billwatch.Alert{
			Kind: billwatch.KindDeadlineReminder, Severity: billwatch.Action, Audience: billwatch.Policy,
			Subject: subject, Title: nextStepTitle + r.Next.Text, Deadline: r.Next.Due, Page: page,
			Why:  fmt.Sprintf("%s%s %s (%s)", nextStepWhy, rest, when, owner),
			Text: fmt.Sprintf("Next step on %s: %s — due %s, owner: %s.", rest, r.Next.Text, r.Next.Due, owner),
		}, "next "+r.Next.Due+" "+Hash([]byte(r.Next.Text))[:8]))
	}
	if len(alerts) == 0 {
		return 0, nil
	}
	if !t.Store.anyNew(alerts) {
		return 0, nil
	}
	n := 0
	err = t.Store.update(func(tx *bolt.Tx) error {
		queued, err := t.queue(tx, alerts)
		n = len(queued)
		return err
	})
	return n, err
}
