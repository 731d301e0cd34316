package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// redesignedSECU25 is snapshot 3 with SECU meeting 25's notice redesigned (snapshot 4): each
// person is written "Name — Title", which the notice parser does not read as a person.
func redesignedSECU25(t *testing.T) fs.FS {
	t.Helper()
	const name = "ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice"
	page, err := fs.ReadFile(fixtures.FS(), "3/"+name)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(<div class="person">[^,<]+), `)
	changed := re.ReplaceAll(page, []byte("$1 — "))
	if bytes.Equal(changed, page) {
		t.Fatal("fixture SECU 25 notice: no person line to redesign")
	}
	return overlay(fixtures.FS(), fstest.MapFS{"4/" + name: {Data: changed}, "4/.keep": {Data: nil}})
}

type driftStatusRow struct {
	Source  string `json:"source"`
	Healthy bool   `json:"healthy"`
	Fields  []struct {
		Page       string  `json:"page"`
		Field      string  `json:"field"`
		Found      int     `json:"found"`
		Of         int     `json:"of"`
		Share      float64 `json:"share"`
		LevelFound int     `json:"level_found"`
		LevelOf    int     `json:"level_of"`
		Drifted    bool    `json:"drifted"`
	} `json:"fields"`
}

// The drift signal end to end: the House notice parser on fixtures served on loopback. When a
// notice's witnesses stop parsing, `hearings` turns unhealthy in `status --json` and an ops
// alert says what dropped; when they parse again, it recovers.
func TestDriftEndToEnd(t *testing.T) {
	c := newCLI(t, redesignedSECU25(t))
	scrape := func(snapshot int, now string) []billwatch.Alert {
		t.Helper()
		before := c.alerts(now)
		c.servers.SetSnapshot(snapshot)
		if out, errOut, code := c.run(now, "scrape", "hearings"); code != 0 {
			t.Fatalf("scrape of snapshot %d: exit %d\n%s%s", snapshot, code, out, errOut)
		}
		var out []billwatch.Alert
		for _, a := range newSince(before, c.alerts(now)) {
			if a.Kind == billwatch.KindSourceUnhealthy || a.Kind == billwatch.KindSourceRecovered {
				out = append(out, a)
			}
		}
		return out
	}
	status := func(now string) driftStatusRow {
		t.Helper()
		out, errOut, code := c.run(now, "status", "--json")
		if code != 0 {
			t.Fatalf("status --json: exit %d: %s", code, errOut)
		}
		var rows []driftStatusRow
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("status --json: %v\n%s", err, out)
		}
		for _, r := range rows {
			if r.Source == "hearings" {
				return r
			}
		}
		t.Fatalf("status --json has no hearings row: %s", out)
		return driftStatusRow{}
	}
	witnesses := func(r driftStatusRow) string {
		for _, f := range r.Fields {
			if f.Page == "ourcommons notices" && f.Field == "witnesses" {
				b, _ := json.Marshal(f)
				return string(b)
			}
		}
		return ""
	}

	scrape(1, week1)
	if got := scrape(2, week2); len(got) != 0 {
		t.Fatalf("snapshot 2: drift alerts %v", keys(got))
	}
	if r := status(week2); !r.Healthy || !strings.Contains(witnesses(r), `"found":2,"of":2,"share":1`) {
		t.Fatalf("after snapshot 2: hearings healthy %v, witnesses %s; want healthy, 2 of 2", r.Healthy, witnesses(r))
	}
	const day = "2026-11-25T07:00:00-05:00"
	if got := scrape(3, day); len(got) != 0 {
		t.Fatalf("snapshot 3: drift alerts %v", keys(got))
	}
	got := scrape(4, "2026-11-25T07:30:00-05:00")
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceUnhealthy || got[0].Audience != billwatch.Ops {
		t.Fatalf("redesigned notice: drift alerts %v, want one source.unhealthy", keys(got))
	}
	if want := "ourcommons notices: witnesses found on 0 of 1 notices, was 1 of 1"; got[0].Why != want {
		t.Errorf("source.unhealthy why = %q, want %q", got[0].Why, want)
	}
	if r := status(day); r.Healthy || !strings.Contains(witnesses(r), `"drifted":true`) {
		t.Errorf("after the redesign: hearings healthy %v, witnesses %s; want unhealthy, drifted", r.Healthy, witnesses(r))
	}
	got = scrape(3, "2026-11-25T07:45:00-05:00")
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceRecovered {
		t.Fatalf("notice readable again: drift alerts %v, want one source.recovered", keys(got))
	}
	if r := status(day); !r.Healthy || strings.Contains(witnesses(r), `"drifted":true`) {
		t.Errorf("after recovery: hearings healthy %v, witnesses %s; want healthy", r.Healthy, witnesses(r))
	}
}
