package tracker

import (
	"slices"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
)

// TestLinksComeFromTheScraper: a bill of another legislature, on another site, with its own
// wording of stages. The tracker decides on the phase the scraper gives, links to the pages
// the scraper gives, labels them with the scraper's site, and stores the bill under its
// jurisdiction: nothing of parl.ca or LEGISinfo comes from the tracker.
func TestLinksComeFromTheScraper(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := t.Context()
	// Another legislature is another feed, not Parliament's Bills and Texts.
	h.tr.Bills, h.tr.Texts = nil, nil
	feed := BillFeed{Source: "xx-bills", Bills: h.bills, Texts: h.texts}
	const site, base = "Example Legislature", "https://legislature.example/bills/45-1/c-22"
	b := billwatch.Bill{Jurisdiction: "xx", Site: site, Session: "45-1", Number: "C-22", Title: "An Act respecting lawful access",
		Status: "Second reading debate", Phase: billwatch.PhaseIntroduced, LatestActivityAt: day(10), URL: base}
	rec := b
	rec.Detailed = true
	rec.Publications = []billwatch.Publication{{ID: "100", Type: billwatch.FirstReading, Name: "First Reading", Page: base + "/first-reading"}}
	h.bills.list, h.bills.records["C-22"] = []billwatch.Bill{b}, rec
	h.texts.texts["100"] = "first reading text"
	if s := h.tr.ScrapeBillsFrom(ctx, feed, "45-1"); s.Outcome != OK || !s.Baseline || s.Relevant != 1 || s.Source != "xx-bills" {
		t.Fatalf("baseline = %s", s.Line())
	}

	// Referred: the site's own words, which say nothing of "consideration in committee".
	h.now = day(23)
	b.Status, b.Phase, b.LatestActivityAt = "Referred to the Standing Committee on Justice", billwatch.PhaseCommittee, day(20)
	rec.Status, rec.Phase, rec.LatestActivityAt = b.Status, b.Phase, b.LatestActivityAt
	rec.Stages = []billwatch.Stage{{Chamber: billwatch.House, Name: "Committee", State: "In progress", Committee: "JUST", CommitteeName: "Standing Committee on Justice"}}
	rec.Publications = append(rec.Publications, billwatch.Publication{ID: "101", Type: billwatch.AmendedByCommittee, Name: "As amended by committee", Page: base + "/as-amended"})
	h.bills.list, h.bills.records["C-22"] = []billwatch.Bill{b}, rec
	h.texts.texts["101"] = "amended text"
	s := h.tr.ScrapeBillsFrom(ctx, feed, "45-1")
	if got, want := h.kinds(s.Alerts), []string{"bill.amended 45-1 C-22", "bill.stage 45-1 C-22"}; !slices.Equal(got, want) {
		t.Fatalf("alerts = %v, want %v (%s)", got, want, s.Line())
	}
	for _, a := range s.Alerts {
		if a.Links[0] != (billwatch.Link{Label: site, URL: base}) {
			t.Errorf("%s: first link %+v, want the bill's page on its own site", a.Kind, a.Links[0])
		}
		switch a.Kind {
		case billwatch.KindBillStage:
			if a.Audience != billwatch.Lobbying || !strings.Contains(a.Why, "referred to JUST") {
				t.Errorf("referral = %s %q, want a lobbying alert naming JUST", a.Audience, a.Why)
			}
		case billwatch.KindBillAmended:
			if len(a.Links) != 2 || a.Links[1].URL != base+"/as-amended" {
				t.Errorf("amended links = %+v, want the new text's page from the scraper", a.Links)
			}
		}
		for _, l := range a.Links {
			if strings.Contains(l.URL+l.Label, "parl.ca") || strings.Contains(l.Label, "LEGISinfo") {
				t.Errorf("%s: link %+v names Parliament's site", a.Kind, l)
			}
		}
	}
	stored, ok, err := h.tr.Store.Bill("45-1", "C-22")
	if err != nil || ok {
		t.Errorf("Bill(45-1, C-22) = found %v, %v; want none: the command line names Canada's bills", ok, err)
	}
	all, err := h.tr.Store.Bills("45-1")
	if err != nil || len(all) != 1 {
		t.Fatalf("Bills(45-1) = %v, %v", all, err)
	}
	stored = all[0]
	if stored.Jurisdiction != "xx" || stored.Phase != billwatch.PhaseCommittee || stored.Site != site || stored.Versions[1].Page != base+"/as-amended" {
		t.Errorf("stored bill = jurisdiction %q, phase %q, site %q, versions %+v", stored.Jurisdiction, stored.Phase, stored.Site, stored.Versions)
	}
	if vs, err := h.tr.Store.Versions("xx/bill/45-1/C-22/text/101"); err != nil || len(vs) != 1 {
		t.Errorf("text versions under the jurisdiction's key = %v, %v", vs, err)
	}
}
