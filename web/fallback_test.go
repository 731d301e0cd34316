package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestWrongMethodAndMissingFiles: a wrong method answers 405 with the route's real methods in
// Allow, and what does not exist (a static file, the static directory) billwatch's own 404
// page, never a listing or Go's plain text.
func TestWrongMethodAndMissingFiles(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, nil)
	c := client(t)
	for _, x := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"PUT", "/watch", 405, "GET, HEAD, POST"},
		{"GET", "/bills/45-1/C-8/memory", 405, "POST"},
		{"GET", "/signout", 405, "POST"},
		{"GET", "/account/feeds", 405, "POST"},
		{"POST", "/bills", 405, "GET, HEAD"},
		{"GET", "/static/", 404, ""},
		{"GET", "/static/nope.css", 404, ""},
		{"GET", "/static/%2e%2e/server.go", 404, ""},
		{"GET", "/static/..%2fserver.go", 404, ""},
		{"GET", "/nowhere", 404, ""},
		{"GET", "/static/style.css", 200, ""},
	} {
		req, _ := http.NewRequest(x.method, srv.URL+x.path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != x.status || resp.Header.Get("Allow") != x.allow {
			t.Errorf("%s %s = %d, Allow %q; want %d, Allow %q", x.method, x.path, resp.StatusCode, resp.Header.Get("Allow"), x.status, x.allow)
		}
		if x.status != 200 && (!strings.Contains(string(body), "· billwatch</title>") || strings.Contains(string(body), "style.css\">style.css")) {
			t.Errorf("%s %s is not billwatch's error page:\n%s", x.method, x.path, body)
		}
		if x.status == 200 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Errorf("%s %s: Content-Type %q", x.method, x.path, resp.Header.Get("Content-Type"))
		}
	}
}
