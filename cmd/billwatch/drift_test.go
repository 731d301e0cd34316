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

// redesignedNotices is snapshot 2 with its two notices of meetings ahead (SECU 25, JUST 33)
// redesigned, served as snapshot 4: each person is written "Name — Title", which the notice
// parser does not read as a person.
func redesignedNotices(t *testing.T) fs.FS {
	t.Helper()
	top := fstest.MapFS{"4/.keep": {Data: nil}}
	re := regexp.MustCompile(`(<(?:div class="person"|li)>[^,<]+), `)
	for _, name := range []string{
		"ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice",
		"ourcommons/DocumentViewer/en/45-1/JUST/meeting-33/notice",
		"ourcommons/Committees/en/SECU/Meetings@parl=45&session=1",
		"ourcommons/Committees/en/JUST/Meetings@parl=45&session=1",
	} {
		page, err := fs.ReadFile(fixtures.FS(), "2/"+name)
		if err != nil {
			t.Fatal(err)
		}
		changed := page
		if strings.HasSuffix(name, "notice") {
			if changed = re.ReplaceAll(page, []byte("$1 — ")); bytes.Equal(changed, page) {
				t.Fatalf("fixture %s: no person line to redesign", name)
			}
		}
		top["4/"+name] = &fstest.MapFile{Data: changed}
	}
	return overlay(fixtures.FS(), top)
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
	c := newCLI(t, redesignedNotices(t))
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
	const day = "2026-11-23T12:00:00-05:00"
	got := scrape(4, "2026-11-23T11:00:00-05:00")
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceUnhealthy || got[0].Audience != billwatch.Ops {
		t.Fatalf("redesigned notices: drift alerts %v, want one source.unhealthy", keys(got))
	}
	if want := "ourcommons notices: witnesses found on 0 of 2 notices, was 2 of 2"; got[0].Why != want {
		t.Errorf("source.unhealthy why = %q, want %q", got[0].Why, want)
	}
	if r := status(day); r.Healthy || !strings.Contains(witnesses(r), `"drifted":true`) {
		t.Errorf("after the redesign: hearings healthy %v, witnesses %s; want unhealthy, drifted", r.Healthy, witnesses(r))
	}
	if got := scrape(4, "2026-11-23T11:30:00-05:00"); len(got) != 0 {
		t.Errorf("still redesigned: drift alerts %v, want none", keys(got))
	}
	got = scrape(2, day)
	if len(got) != 1 || got[0].Kind != billwatch.KindSourceRecovered {
		t.Fatalf("notices readable again: drift alerts %v, want one source.recovered", keys(got))
	}
	if r := status(day); !r.Healthy || strings.Contains(witnesses(r), `"drifted":true`) {
		t.Errorf("after recovery: hearings healthy %v, witnesses %s; want healthy", r.Healthy, witnesses(r))
	}
}
