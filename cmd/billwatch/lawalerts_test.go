package main

import (
	"os"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

func lawLinks(a billwatch.Alert) []string {
	var out []string
	for _, l := range a.Links {
		if l.Label == "Effect on the law" {
			out = append(out, l.URL)
		}
	}
	return out
}

// TestLawAlertsLinkToTheLawPage: with [web] public_url, the alerts that say which Acts a bill
// amends, and the provision alerts, link to the bill's law page; without it, they do not.
func TestLawAlertsLinkToTheLawPage(t *testing.T) {
	for _, public := range []string{"https://billwatch.example.org", ""} {
		c := newCLI(t, fixtures.FS())
		cfg := "[fetch]\ndelay = \"0s\"\n\n[watch]\nprovisions = [\"C-23 s. 19\"]\n\n[acts]\n\"Canadian Security Intelligence Service Act\" = \"C-23\"\n"
		if public != "" {
			cfg += "\n[web]\npublic_url = \"" + public + "/\"\n"
		}
		if err := os.WriteFile(c.cfg, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
			t.Fatalf("baseline: exit %d: %s", code, errOut)
		}
		c.servers.SetSnapshot(2)
		if _, errOut, code := c.run(week2, "scrape", "bills"); code != 0 {
			t.Fatalf("second pass: exit %d: %s", code, errOut)
		}
		kinds := map[billwatch.Kind]int{}
		for _, a := range c.alerts(week2) {
			amends := strings.Contains(a.Text, "\namends the ")
			if a.Kind != billwatch.KindBillProvision && !amends {
				if len(lawLinks(a)) != 0 {
					t.Errorf("%s %s links to the law page: %v", a.Kind, a.Subject, a.Links)
				}
				continue
			}
			kinds[a.Kind]++
			session, number, _ := strings.Cut(a.Subject, " ")
			want := []string(nil)
			if public != "" {
				want = []string{public + "/bills/" + session + "/" + number + "/law"}
			}
			if got := lawLinks(a); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("public_url %q: %s %s law links = %q, want %q", public, a.Kind, a.Subject, got, want)
			}
		}
		if kinds[billwatch.KindBillProvision] != 1 || kinds[billwatch.KindBillIntroduced] == 0 || kinds[billwatch.KindBillAmended] == 0 {
			t.Errorf("public_url %q: alerts saying what a bill does to the law: %v, want a provision, an introduced and an amended one", public, kinds)
		}
	}
}

// TestWatchAddProvisionMatchesActProvisions: a provision added with `watch add` is matched
// against what bills do to the Acts, like [watch] provisions: exactly one bill.provision
// alert for the bill touching it, none for a provision no bill touches.
func TestWatchAddProvisionMatchesActProvisions(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	cfg := "[fetch]\ndelay = \"0s\"\n\n[acts]\n\"Canadian Security Intelligence Service Act\" = \"C-23\"\n"
	if err := os.WriteFile(c.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, errOut)
	}
	for _, p := range []string{"Canadian Security Intelligence Service Act s. 19", "Telecommunications Act s. 999"} {
		if _, errOut, code := c.run(week1, "watch", "add", "provision", p); code != 0 {
			t.Fatalf("watch add provision %q: exit %d: %s", p, code, errOut)
		}
	}
	c.servers.SetSnapshot(2)
	if _, errOut, code := c.run(week2, "scrape", "bills"); code != 0 {
		t.Fatalf("second pass: exit %d: %s", code, errOut)
	}
	var provision []billwatch.Alert
	for _, a := range c.alerts(week2) {
		if a.Kind == billwatch.KindBillProvision {
			provision = append(provision, a)
		}
	}
	if len(provision) != 1 || provision[0].Subject != "45-1 C-30" ||
		provision[0].Why != "touches a watched provision: Canadian Security Intelligence Service Act s. 19" ||
		!strings.Contains(provision[0].Text, "s. 1 of the bill: s. 19(2)(e) added") {
		t.Fatalf("bill.provision alerts = %+v, want one, for C-30 and s. 19", provision)
	}
	if _, errOut, code := c.run(week3, "scrape", "bills"); code != 0 {
		t.Fatalf("third pass: exit %d: %s", code, errOut)
	}
	n := 0
	for _, a := range c.alerts(week3) {
		if a.Kind == billwatch.KindBillProvision {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d bill.provision alerts after a third pass, want 1", n)
	}
}
