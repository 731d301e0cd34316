package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
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

// ---- hearings

type hearingJSON struct {
	billwatch.Hearing
	End      *time.Time `json:"end"` // null when the end is not published
	Relevant bool       `json:"relevant"`
	Reasons  []string   `json:"reasons"`
}

func hearingsCommand() command {
	var all, asJSON bool
	return command{
		name: "hearings", args: "[--all] [--json]",
		summary: "committee meetings (upcoming relevant ones; --all: every stored one)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored meeting, past and irrelevant ones too")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) > 0 {
				return usageError("hearings takes no arguments, got %q", args[0])
			}
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			hs, err := store.Hearings()
			if err != nil {
				return err
			}
			now := g.clock()
			out := []hearingJSON{}
			for _, h := range hs {
				if all || (h.Relevant && upcoming(h.Hearing, now)) {
					x := hearingJSON{Hearing: h.Hearing, Relevant: h.Relevant, Reasons: h.Reasons}
					if !h.End.IsZero() {
						x.End = &h.End
					}
					if x.Studies == nil {
						x.Studies = []string{}
					}
					if x.Bills == nil {
						x.Bills = []string{}
					}
					if x.Reasons == nil {
						x.Reasons = []string{}
					}
					out = append(out, x)
				}
			}
			if asJSON {
				return writeJSON(g.stdout, out)
			}
			if len(out) == 0 {
				if all {
					fmt.Fprintln(g.stdout, "no meetings stored yet: run `billwatch scrape hearings`")
				} else {
					fmt.Fprintln(g.stdout, "no upcoming meetings of watched committees or on watched bills (see --all)")
				}
				return nil
			}
			w := table(g.stdout)
			fmt.Fprintln(w, "WHEN (EASTERN)\tCOMMITTEE\tNO.\tSTATUS\tSUBJECT\tNOTES")
			for _, h := range out {
				var notes []string
				if h.InCamera {
					notes = append(notes, "in camera")
				}
				if h.Broadcast != "" {
					notes = append(notes, h.Broadcast)
				}
				if h.NoticeAmended {
					notes = append(notes, "notice amended")
				}
				if n := len(h.Witnesses); n > 0 {
					notes = append(notes, fmt.Sprintf("%d witnesses", n))
				}
				if h.Gap != "" {
					notes = append(notes, h.Gap)
				}
				subject := strings.Join(h.Studies, "; ")
				if len(h.Bills) > 0 && !strings.Contains(subject, h.Bills[0]) {
					subject = strings.TrimSuffix("Bill "+strings.Join(h.Bills, ", ")+": "+subject, ": ")
				}
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", tracker.HearingWhen(h.Hearing), h.Committee, h.Number, h.Status, truncate(subject, 60), strings.Join(notes, ", "))
			}
			if err := w.Flush(); err != nil {
				return err
			}
			for _, h := range out {
				if len(h.Witnesses) == 0 {
					continue
				}
				var ws []string
				for _, x := range h.Witnesses {
					ws = append(ws, strings.TrimSpace(x.Name+" "+orgSuffix(x)))
				}
				fmt.Fprintf(g.stdout, "\n%s meeting %d witnesses: %s", h.Committee, h.Number, strings.Join(ws, "; "))
			}
			fmt.Fprintln(g.stdout)
			return nil
		},
	}
}

func upcoming(h billwatch.Hearing, now time.Time) bool {
	if h.Status == billwatch.HearingCancelled {
		return h.Start.After(now)
	}
	end := h.End
	if end.IsZero() {
		end = h.Start.Add(24 * time.Hour)
	}
	return end.After(now)
}

// ---- regulations

func regulationsCommand() command {
	var all, asJSON bool
	return command{
		name: "regulations", args: "[--all] [--json]",
		summary: "Gazette items (relevant ones; --all: all stored)",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every stored item, relevant or not")
			fs.BoolVar(&asJSON, "json", false, "JSON output")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) > 0 {
				return usageError("regulations takes no arguments, got %q", args[0])
			}
			store, _, err := g.readStore()
			if err != nil {
				return err
			}
			regs, err := store.Regulations()
			if err != nil {
				return err
			}
			out := []billwatch.Regulation{}
			for _, r := range regs {
				if all || r.Relevant {
					if r.Reasons == nil {
						r.Reasons = []string{}
					}
					out = append(out, r)
				}
			}
			if asJSON {
				// comment_deadline is null, not absent, when there is none.
				type regulationJSON struct {
					billwatch.Regulation
					CommentDeadline *string `json:"comment_deadline"`
				}
				js := []regulationJSON{}
				for _, r := range out {
					x := regulationJSON{Regulation: r}
					if r.CommentDeadline != "" {
						x.CommentDeadline = &r.CommentDeadline
					}
					js = append(js, x)
				}
				return writeJSON(g.stdout, js)
			}
			if len(out) == 0 {
				fmt.Fprintln(g.stdout, "no relevant Gazette items stored (see --all)")
				return nil
			}
			today := g.clock().In(billwatch.Eastern).Format(billwatch.DateLayout)
			w := table(g.stdout)
			fmt.Fprintln(w, "PART\tPUBLISHED\tTITLE\tDEPARTMENT\tACT\tCOMMENTS / REGISTRATION")
			for _, r := range out {
				note := ""
				switch {
				case r.Registration != nil:
					note = *r.Registration
					if r.Finalises != "" {
						note += " (finalises " + strings.TrimPrefix(r.Finalises, "I ") + ")"
					}
				case r.CommentDeadline != "":
					note = fmt.Sprintf("%d days, by %s (%s)", *r.CommentDays, r.CommentDeadline, daysLeft(today, r.CommentDeadline))
				case r.Gap != "":
					note = "unknown: " + r.Gap
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Part, r.Published, truncate(r.Title, 55), truncate(r.Department, 35), truncate(strings.Join(r.Acts, "; "), 35), note)
			}
			return w.Flush()
		},
	}
}

func daysLeft(today, deadline string) string {
	t, err1 := time.Parse(billwatch.DateLayout, today)
	d, err2 := time.Parse(billwatch.DateLayout, deadline)
	if err1 != nil || err2 != nil {
		return "?"
	}
	n := int(d.Sub(t).Hours() / 24)
	switch {
	case n < 0:
		return "closed"
	case n == 0:
		return "closes today"
	case n == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", n)
}
