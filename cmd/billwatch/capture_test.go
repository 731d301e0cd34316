package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
)

// capture obeys --base-url: a real URL is fetched from the mirror and saved under its real
// name; a URL on the mirror's loopback address is taken as that site's; it says how many pages
// it saved, and its exit status tells all (0), some (3) or none (1).
func TestCaptureMirror(t *testing.T) {
	c := newCLI(t, fixtures.FS())
	c.servers.SetSnapshot(2)
	dir := filepath.Join(t.TempDir(), "snap")
	notice := "https://www.ourcommons.ca/DocumentViewer/en/45-1/SECU/meeting-25/notice"
	list := c.servers.URL("parl") + "/legisinfo/en/bills/json?parlsession=45-1"
	out, errOut, code := c.run(week2, "capture", "--to", dir, notice, list)
	if code != 0 {
		t.Fatalf("capture from the mirror: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "saved 2 of 2 pages in "+dir) {
		t.Errorf("capture output = %q, want it to say 2 of 2 pages saved", out)
	}
	for file, fixture := range map[string]string{
		"ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice": "2/ourcommons/DocumentViewer/en/45-1/SECU/meeting-25/notice",
		"parl/legisinfo/en/bills/json@parlsession=45-1":            "2/parl/legisinfo/en/bills/json@parlsession=45-1",
	} {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			t.Fatalf("capture saved no %s: %v", file, err)
		}
		want, _ := fs.ReadFile(fixtures.FS(), fixture)
		if !bytes.Equal(got, want) {
			t.Errorf("capture %s: %d bytes, want the mirror's %d bytes", file, len(got), len(want))
		}
	}
	if c.servers.Hits("ourcommons", "/DocumentViewer/en/45-1/SECU/meeting-25/notice") != 1 {
		t.Errorf("the notice was not fetched from the mirror")
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, "CAPTURED.tsv"))
	if !strings.Contains(string(manifest), notice+"\t") {
		t.Errorf("manifest does not name the real URL %s:\n%s", notice, manifest)
	}

	// Some fail: exit 3, and the count says so.
	out, errOut, code = c.run(week2, "capture", "--to", dir, notice, "http://127.0.0.1:1/x", "https://example.org/x")
	if code != 3 || !strings.Contains(out, "saved 1 of 3 pages") {
		t.Errorf("partial capture: exit %d, output %q, want 3 and 1 of 3 saved", code, out)
	}
	if !strings.Contains(errOut, "127.0.0.1:1") || !strings.Contains(errOut, "--base-url") || !strings.Contains(errOut, "example.org") {
		t.Errorf("partial capture stderr = %q, want the loopback address (with the --base-url fix) and the unknown host named", errOut)
	}
	// None saved: exit 1.
	if out, _, code := c.run(week2, "capture", "--to", dir, "https://example.org/x"); code != 1 || !strings.Contains(out, "saved 0 of 1 pages") {
		t.Errorf("failed capture: exit %d, output %q, want 1 and 0 of 1 saved", code, out)
	}
}
