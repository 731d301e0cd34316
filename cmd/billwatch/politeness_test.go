package main

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/billwatch/billwatch/fixtures"
)

// recordMoved is snapshot 1 where only C-22's record changed (snapshot 4): the list shows new
// activity and the record a new latest activity; its publications are the same.
func recordMoved(t *testing.T) fs.FS {
	t.Helper()
	top := fstest.MapFS{"4/.keep": {Data: nil}}
	for _, name := range []string{"parl/legisinfo/en/bills/json@parlsession=45-1", "parl/legisinfo/en/bill/45-1/c-22/xml"} {
		b, err := fs.ReadFile(fixtures.FS(), "1/"+name)
		if err != nil {
			t.Fatal(err)
		}
		c := bytes.ReplaceAll(b, []byte("2026-11-13T06:02:00-05:00"), []byte("2026-11-17T06:02:00-05:00"))
		c = bytes.ReplaceAll(c, []byte("November 13, 2026"), []byte("November 17, 2026"))
		c = bytes.ReplaceAll(c, []byte("2026-11-13T11:02:00"), []byte("2026-11-17T11:02:00"))
		if bytes.Equal(b, c) {
			t.Fatalf("fixture %s: no activity date to move", name)
		}
		top["4/"+name] = &fstest.MapFile{Data: c}
	}
	return overlay(fixtures.FS(), top)
}

// A pass in which only a bill's record changed reads the record again and fetches none of the
// texts already held; a week later the held text is checked once, with one request for its XML.
func TestRecordChangeFetchesNoHeldText(t *testing.T) {
	c := newCLI(t, recordMoved(t))
	const (
		record = "/legisinfo/en/bill/45-1/c-22/xml"
		page   = "/DocumentViewer/en/14101230"
		text   = "/Content/Bills/451/Government/C-22/C-22_1/C-22_E.xml"
	)
	hits := func() [3]int {
		return [3]int{c.servers.Hits("parl", record), c.servers.Hits("parl", page), c.servers.Hits("parl", text)}
	}
	if out, errOut, code := c.run(week1, "scrape", "bills"); code != 0 {
		t.Fatalf("baseline: exit %d\n%s%s", code, out, errOut)
	}
	base := hits()
	if base[0] != 1 || base[1] != 1 || base[2] != 1 {
		t.Fatalf("baseline requests (record, page, text) = %v, want one each", base)
	}
	c.servers.SetSnapshot(4)
	out, errOut, code := c.run("2026-11-17T10:00:00-05:00", "scrape", "bills")
	if code != 0 {
		t.Fatalf("record changed: exit %d\n%s%s", code, out, errOut)
	}
	got := hits()
	if got[0] != base[0]+1 {
		t.Errorf("record requests after the change = %d, want %d (read again)", got[0], base[0]+1)
	}
	if got[1] != base[1] || got[2] != base[2] {
		t.Errorf("held text requests (page, XML) after a record-only change = %d, %d; want %d, %d (not fetched again)", got[1], got[2], base[1], base[2])
	}
	if !strings.Contains(out, "1 changed") {
		t.Errorf("record-only pass summary = %q, want the bill changed", out)
	}
	// Six days on, nothing is due; a week after the text was fetched, it is checked once.
	if _, _, code := c.run("2026-11-22T10:00:00-05:00", "scrape", "bills"); code != 0 {
		t.Fatal("scrape six days on failed")
	}
	if h := hits(); h[1] != base[1] {
		t.Errorf("six days on: page requests = %d, want %d", h[1], base[1])
	}
	out, _, code = c.run("2026-11-23T10:00:00-05:00", "scrape", "bills")
	if code != 0 {
		t.Fatal("scrape a week on failed")
	}
	// The weekly check asks for the XML alone, at the address it was read from.
	if h := hits(); h[1] != base[1] || h[2] != base[2]+1 {
		t.Errorf("a week on: page, XML requests = %d, %d; want %d, %d (the weekly check of the XML)", h[1], h[2], base[1], base[2]+1)
	}
	if strings.Contains(out, "bill.amended") {
		t.Errorf("the weekly check of an unchanged text raised an alert:\n%s", out)
	}
	if _, _, code := c.run("2026-11-24T10:00:00-05:00", "scrape", "bills"); code != 0 {
		t.Fatal("scrape the day after the check failed")
	}
	if h := hits(); h[1] != base[1] || h[2] != base[2]+1 {
		t.Errorf("the day after the weekly check: page, XML requests = %d, %d; want %d, %d", h[1], h[2], base[1], base[2]+1)
	}
}
