package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/tracker"
)

// TestBillsOwnerColumnAndFilter: /bills shows each bill's position and owner (the owner links
// the filter); ?owner=NAME keeps the bills that person owns (case and accents aside), says so
// with a link that shows all again, and escapes what it repeats; the JSON is filtered alike.
func TestBillsOwnerColumnAndFilter(t *testing.T) {
	t.Parallel()
	srv, db := memoryServer(t, Auth{}, nil)
	store, err := tracker.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SetRecord(tracker.BillSubject("45-1", "C-8"), tracker.Edit{Position: ptr("oppose"), Owner: ptr("Léa <b>")}, "lea", authNow); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	_, body := get(t, c, srv, "/bills?all=1")
	for _, want := range []string{`Our record: <strong class="pos-oppose">oppose</strong> · owner: <a href="/bills?owner=L%c3%a9a%20%3cb%3e&amp;all=1">Léa &lt;b&gt;</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("/bills lacks %q", want)
		}
	}
	if strings.Contains(body, "Showing bills owned by") {
		t.Error("/bills without ?owner= says it is filtered")
	}
	_, body = get(t, c, srv, "/bills?all=1&owner=lea+%3Cb%3E")
	for _, want := range []string{`Showing bills owned by <strong>lea &lt;b&gt;</strong> · <a href="/bills?all=1">show all</a>`, `href="/bills/45-1/C-8"`, "1 of 1 stored bill"} {
		if !strings.Contains(body, want) {
			t.Errorf("/bills?owner=lea <b> lacks %q", want)
		}
	}
	_, body = get(t, c, srv, "/bills?all=1&owner=%3Cscript%3Esam")
	if strings.Contains(body, `href="/bills/45-1/C-8"`) || !strings.Contains(body, "Showing bills owned by <strong>&lt;script&gt;sam</strong>") || !strings.Contains(body, "No bill matches") {
		t.Errorf("/bills?owner=<script>sam:\n%s", body)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bills?all=1&owner=sam", nil)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.TrimSpace(string(b)) != "[]" {
		t.Errorf("/bills?owner=sam JSON = %s, want []", b)
	}
	if resp, _ := get(t, c, srv, "/bills?owner="+strings.Repeat("x", 101)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a 101-character owner = %d, want 400", resp.StatusCode)
	}
}
