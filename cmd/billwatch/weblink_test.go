package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// TestSlackAlertsLinkToWebPages: with [web] public_url, every Slack message carries a button
// to its page, and bill.amended shows its weightiest flags with the changed words and opens
// the diff at the weightiest one, instead of a shell command.
func TestSlackAlertsLinkToWebPages(t *testing.T) {
	e := newSlackEnv(t, fixtures.FS(), slackTestToken)
	f, err := os.OpenFile(e.c.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[web]\npublic_url = \"https://billwatch.example.org\"\n")
	f.Close()
	e.scrape(1, week1)
	e.scrape(2, slackT0)
	alerts := e.alerts(slackT0)
	byID := map[string]billwatch.Alert{}
	for _, a := range alerts {
		byID[a.ID] = a
	}
	amended := false
	for _, p := range e.fake.kept() {
		a, ok := byID[p.AlertID]
		if !ok || strings.HasPrefix(a.Subject, "sink ") {
			continue
		}
		var blocks any
		if err := json.Unmarshal([]byte(p.Blocks), &blocks); err != nil {
			t.Fatal(err)
		}
		all := strings.Join(slackStrings(blocks), "\n")
		if a.URL == "" || !strings.Contains(all, a.URL) {
			t.Errorf("Slack message of %s %s lacks its page %q:\n%s", a.Kind, a.Subject, a.URL, all)
		}
		if a.Kind != billwatch.KindBillAmended {
			continue
		}
		amended = true
		const want = "https://billwatch.example.org/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-in-the-amendment-made-by-s-4-s-150.2-3"
		if a.URL != want {
			t.Errorf("bill.amended links to %q, want %q", a.URL, want)
		}
		for _, w := range []string{"Open the diff", "Weightiest changes", "may → shall: a discretion becomes a duty", "“suspect” → “believe”"} {
			if !strings.Contains(all, w) {
				t.Errorf("bill.amended Slack message lacks %q:\n%s", w, all)
			}
		}
		if strings.Contains(all, "billwatch diff") {
			t.Errorf("bill.amended Slack message still tells people to run a command:\n%s", all)
		}
	}
	if !amended {
		t.Error("no bill.amended message was posted")
	}
}

// TestAlertsUnchangedWithoutPublicURL: without [web] public_url, alerts carry no page and the
// bill.amended message keeps its command, as before.
func TestAlertsUnchangedWithoutPublicURL(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.run(week1, "scrape")
	c.servers.SetSnapshot(2)
	c.run(slackT0, "scrape")
	for _, a := range c.alerts(slackT0) {
		if a.URL != "" {
			t.Errorf("alert %s %s has url %q without public_url", a.Kind, a.Subject, a.URL)
		}
		for _, l := range a.Links {
			if strings.Contains(l.URL, "/bills/") && !strings.Contains(l.URL, "parl.ca") {
				t.Errorf("alert %s links to a web page without public_url: %v", a.Kind, l)
			}
		}
		if a.Kind == billwatch.KindBillAmended && !strings.Contains(a.Text, "Full diff: billwatch diff C-12") {
			t.Errorf("bill.amended text changed without public_url:\n%s", a.Text)
		}
	}
}
