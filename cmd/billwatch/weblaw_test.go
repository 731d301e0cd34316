package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestWebLawPageOnDemo: the law page of the demo's bills is served, linked from the bill
// page, and its JSON is byte for byte `billwatch law BILL --format json`.
func TestWebLawPageOnDemo(t *testing.T) {
	db, cfg := demoDB(t, "")
	srv := webServer(t, db, cfg, mustTime(t, demoNow))

	code, _, body := get(t, srv.URL+"/bills/45-1/C-8", "")
	if code != 200 || !strings.Contains(body, `href="/bills/45-1/C-8/law"`) {
		t.Errorf("the bill page (%d) does not link to the law page", code)
	}
	code, _, body = get(t, srv.URL+"/bills/45-1/C-8/law", "")
	if code != 200 {
		t.Fatalf("GET law = %d\n%s", code, body)
	}
	for _, want := range []string{"Telecommunications Act (T-3.4), consolidated to 2024-06-20", "<del>", "<ins>", "As the bill would make it", "applied"} {
		if !strings.Contains(body, want) {
			t.Errorf("the C-8 law page lacks %q", want)
		}
	}

	for _, c := range []struct{ path, bill, query string }{
		{"C-8", "C-8", ""},
		{"C-30", "C-30", "?act=C-23"},
		{"C-12", "C-12", "?version=first-reading"},
		{"C-2", "C-2", ""},
	} {
		args := []string{"--config", cfg, "--db", db, "--now", demoNow, "law", c.bill, "--format", "json"}
		if strings.Contains(c.query, "act=") {
			args = append(args, "--act", strings.TrimPrefix(c.query, "?act="))
		}
		if strings.Contains(c.query, "version=") {
			args = append(args, "--version", strings.TrimPrefix(c.query, "?version="))
		}
		var stdout, stderr bytes.Buffer
		if code := exitCode(run(t.Context(), args, &stdout, &stderr), &stderr); code != 0 {
			t.Fatalf("law %v: exit %d: %s", args, code, stderr.String())
		}
		code, h, body := get(t, srv.URL+"/bills/45-1/"+c.path+"/law"+c.query, "application/json")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("JSON %s%s = %d %s", c.path, c.query, code, h.Get("Content-Type"))
		}
		if body != stdout.String() {
			t.Errorf("JSON of %s%s differs from the command's:\nweb: %.400s\ncmd: %.400s", c.path, c.query, body, stdout.String())
		}
	}

	for path, want := range map[string]int{
		"/bills/45-1/C-8/law?act=T-3.4&version=royal-assent": 200,
		"/bills/45-1/C-8/law?act=nope":                       400,
		"/bills/45-1/C-8/law?act=C-46":                       400,
		"/bills/45-1/C-8/law?version=999":                    404,
		"/bills/45-1/C-999/law":                              404,
	} {
		if code, _, _ := get(t, srv.URL+path, ""); code != want {
			t.Errorf("GET %s = %d, want %d", path, code, want)
		}
	}
}
