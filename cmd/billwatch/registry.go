package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/billwatch/billwatch/schedule"
	"github.com/billwatch/billwatch/scraper"
	"github.com/billwatch/billwatch/tracker"
)

// source is one thing billwatch reads: its name (as `scrape`, `status`, the metric labels,
// the health records and the [schedule] keys spell it), the sites it fetches from (as
// --base-url and [sites] name them), its default schedule and its pass. A source's health and
// run status are kept by the store under its name.
//
// Adding a source is one scraper package and one row of sources.
type source struct {
	name     string
	sites    []string
	schedule string // default spec, in the grammar schedule.Parse reads
	// pass reads the source once; committees are `scrape --committee` (hearings only).
	pass func(ctx context.Context, a *app, committees []string) tracker.Summary
}

// sources is every source, in pass order.
var sources = []source{
	{
		name: tracker.SourceBills, sites: []string{scraper.Parl}, schedule: schedule.DefaultBills,
		pass: func(ctx context.Context, a *app, _ []string) tracker.Summary {
			return a.tracker.ScrapeBills(ctx, a.session)
		},
	},
	{
		name: tracker.SourceHearings, sites: []string{scraper.OurCommons, scraper.SenCanada, scraper.Parl}, schedule: schedule.DefaultHearings,
		pass: func(ctx context.Context, a *app, committees []string) tracker.Summary {
			return a.scrapeHearings(ctx, committees)
		},
	},
	{
		name: tracker.SourceRegulations, sites: []string{scraper.Gazette}, schedule: schedule.DefaultRegulations,
		pass: func(ctx context.Context, a *app, _ []string) tracker.Summary { return a.scrapeRegulations(ctx) },
	},
	{
		// The Justice Laws pass runs daily, so that an Act a new bill amends is fetched within
		// a day; each Act and the index are re-read at most weekly.
		name: tracker.SourceActs, sites: []string{scraper.Justice}, schedule: "daily 06:30",
		pass: func(ctx context.Context, a *app, _ []string) tracker.Summary { return a.scrapeActs(ctx) },
	},
}

// sourceNames lists the names of sources, in pass order.
func sourceNames() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.name
	}
	return out
}

// sourceNamed returns the row of the source called name.
func sourceNamed(name string) (source, bool) {
	for _, s := range sources {
		if s.name == name {
			return s, true
		}
	}
	return source{}, false
}

// siteNames lists the sites the sources read, in the order of the table, each once.
func siteNames() []string {
	var out []string
	for _, s := range sources {
		for _, site := range s.sites {
			if !slices.Contains(out, site) {
				out = append(out, site)
			}
		}
	}
	return out
}

// oneOf writes names as "a, b, c or d".
func oneOf(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return fmt.Sprintf("%s or %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
