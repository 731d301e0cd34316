package main

import (
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// TestUserRmNamesOwnedRecords: removing an account says which records still name the person
// as owner (case and accents aside), with their open next steps, so they can be reassigned;
// bills --owner lists that person's bills, and the bills table shows each one's position and
// owner.
func TestUserRmNamesOwnedRecords(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.ok("scrape", "--no-notify")
	c.ok("memory", "set", "C-8", "--position", "oppose", "--owner", "Léa", "--next", "brief to SECU", "--due", "2026-12-04", "--by", "lea")
	c.ok("memory", "set", "C-2", "--position", "monitor", "--owner", "lea", "--by", "lea")
	c.ok("memory", "set", "C-12", "--owner", "sam", "--by", "sam")
	c.ok("user", "add", "lea", "--role", "editor", "--url", "https://billwatch.example.org")
	out := c.ok("user", "rm", "lea")
	for _, want := range []string{
		"user lea removed",
		"lea is still the owner of 2 records, 1 with an open next step; reassign them with billwatch memory set BILL --session P-S --owner NAME",
		"45-1 C-8", "next step: brief to SECU (due 2026-12-04)", "45-1 C-2", "monitor",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("user rm output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "C-12") {
		t.Errorf("user rm lea names sam's bill:\n%s", out)
	}
	bills := c.ok("bills", "--all", "--owner", "LEA")
	if !strings.Contains(bills, "OURS") || !strings.Contains(bills, "oppose · Léa") || !strings.Contains(bills, "monitor · lea") || strings.Contains(bills, "C-12") {
		t.Errorf("bills --all --owner LEA:\n%s", bills)
	}
	if out := c.ok("bills", "--all", "--owner", "nobody"); !strings.Contains(out, `no stored bill's record names "nobody" as its owner`) {
		t.Errorf("bills --owner nobody = %q", out)
	}
	c.ok("user", "add", "sam", "--role", "editor", "--url", "https://billwatch.example.org")
	if out := c.ok("user", "add", "ana", "--role", "editor", "--url", "https://billwatch.example.org"); out == "" {
		t.Fatal("user add printed nothing")
	}
	if out := c.ok("user", "rm", "ana"); !strings.Contains(out, "ana owns no record") {
		t.Errorf("user rm ana = %q", out)
	}
}
