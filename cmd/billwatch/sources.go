package main

import (
	"context"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper/commons"
	"github.com/billwatch/billwatch/scraper/gazette"
	"github.com/billwatch/billwatch/scraper/senate"
	"github.com/billwatch/billwatch/tracker"
)

// scrapeHearings runs a hearings pass over the named committees, or the configured ones.
func (a *app) scrapeHearings(ctx context.Context, committees []string) tracker.Summary {
	house, sen := a.cfg.committees()
	house, sen = watchedCommittees(a.tracker, house, sen)
	if len(committees) > 0 {
		house, sen = nil, nil
		for _, c := range committees {
			if senateCommittees[c] {
				sen = append(sen, c)
			} else {
				house = append(house, c)
			}
		}
	}
	cs := commons.New(a.client)
	ss := senate.New(a.client)
	cs.Now = a.tracker.Now
	return a.tracker.ScrapeHearings(ctx, cs, ss, tracker.HearingPlan{Session: a.session, House: house, Senate: sen})
}

// gazetteSource adapts the Gazette scraper: items the store holds complete are not fetched
// again.
type gazetteSource struct{ s *gazette.Scraper }

func (g gazetteSource) Regulations(ctx context.Context, known map[string]billwatch.Regulation) ([]billwatch.Regulation, error) {
	skipped := 0
	regs, err := g.s.Regulations(ctx, time.Time{}, func(url string) bool {
		r, ok := known[url]
		if ok && r.Gap == "" {
			skipped++
		}
		return ok && r.Gap == ""
	})
	if err != nil && len(regs) == 0 && skipped > 0 {
		// A feed and its issues were read, and held only items already stored.
		err = tracker.PartlyRead(err)
	}
	return regs, err
}

func (a *app) scrapeRegulations(ctx context.Context) tracker.Summary {
	return a.tracker.ScrapeRegulations(ctx, gazetteSource{gazette.New(a.client)})
}

// reminders queues the reminders due now.
func (a *app) reminders(ctx context.Context) (tracker.ReminderSummary, error) {
	return a.tracker.Reminders(ctx, a.cfg.reminderPlan())
}
