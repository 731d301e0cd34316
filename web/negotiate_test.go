package web

import (
	"net/http"
	"testing"
)

// TestVaryAccept: a route that answers JSON on Accept: application/json says so on its HTML
// answers too, so that a cache never serves one for the other.
func TestVaryAccept(t *testing.T) {
	t.Parallel()
	srv, _ := memoryServer(t, Auth{}, nil)
	for _, path := range []string{"/", "/bills", "/bills/45-1/C-8", "/alerts", "/status", "/hearings", "/regulations", "/steps", "/watch", "/bills/45-1/C-99", "/nowhere"} {
		for _, accept := range []string{"", "text/html", "application/json"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Header.Get("Vary") != "Accept" {
				t.Errorf("GET %s (Accept %q) = %d with Vary %q, want Accept", path, accept, resp.StatusCode, resp.Header.Get("Vary"))
			}
		}
	}
	srvAcc, _ := memoryServer(t, Auth{}, map[string]string{"lea": "viewer"})
	resp, err := client(t).Get(srvAcc.URL + "/bills")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Vary") != "Accept" {
		t.Errorf("the sign-in redirect = %d with Vary %q, want 303 varying with Accept", resp.StatusCode, resp.Header.Get("Vary"))
	}
}
