package gazette

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/billwatch/billwatch/scraper"
)

func TestParseFeed(t *testing.T) {
	type got struct{ URL, Date string }
	rss := func(items string) []byte {
		return []byte(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Canada Gazette, Part I</title>` +
			`<link>https://gazette.gc.ca/rp-pr/p1/index-eng.html</link>` + items + `</channel></rss>`)
	}
	item := func(link string) string {
		return `<item><title>Issue</title><link>` + link + `</link><pubDate>Sat, 14 Nov 2026 14:00:00 GMT</pubDate></item>`
	}
	tests := []struct {
		name string
		in   []byte
		want []got
		err  error
	}{
		{"fixture Part I, snapshot 1", fixture(t, "1/gazette/rss/p1-eng.xml"), []got{
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/index-eng.html", "2026-11-14"},
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-07/html/index-eng.html", "2026-11-07"},
			// the consolidated index 2026-09-30-c3 is not a publication
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-09-12/html/index-eng.html", "2026-09-12"},
		}, nil},
		{"fixture Part II with an extra edition", fixture(t, "3/gazette/rss/p2-eng.xml"), []got{
			{"https://gazette.gc.ca/rp-pr/p2/2026/2026-11-25/html/index-eng.html", "2026-11-25"},
			{"https://gazette.gc.ca/rp-pr/p2/2026/2026-11-11/html/index-eng.html", "2026-11-11"},
			{"https://gazette.gc.ca/rp-pr/p2/2026/2026-10-30-x3/html/sor-dors215-eng.html", "2026-10-30"},
		}, nil},
		{"four host names, http, www", rss(
			item("http://www.gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/index-eng.html") +
				item("https://canadagazetteducanada.gc.ca/rp-pr/p1/2026/2026-11-07/html/index-eng.html") +
				item("https://gazetteducanada.gc.ca/rp-pr/p2/2025/2025-03-15x2/html/sor-dors107-eng.html") +
				item("https://example.org/rp-pr/p1/2026/2026-10-31/html/index-eng.html")), []got{
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/index-eng.html", "2026-11-14"},
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-07/html/index-eng.html", "2026-11-07"},
			{"https://gazette.gc.ca/rp-pr/p2/2025/2025-03-15x2/html/sor-dors107-eng.html", "2025-03-15"},
		}, nil},
		{"link only in guid, Windows-1252 title", []byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss version=\"2.0\"><channel><item><title>Gazette \x96 Part I</title>" +
			"<guid>https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/index-eng.html</guid></item></channel></rss>"), []got{
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/index-eng.html", "2026-11-21"},
		}, nil},
		{"Atom", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Canada Gazette</title>` +
			`<entry><title>Part I</title><link rel="alternate" href="https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/index-eng.html"/>` +
			`<updated>2026-11-21T14:00:00Z</updated></entry></feed>`), []got{
			{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-21/html/index-eng.html", "2026-11-21"},
		}, nil},
		{"RSS 1.0", []byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">` +
			`<channel><title>Canada Gazette</title></channel><item><title>Part II</title><link>https://gazette.gc.ca/rp-pr/p2/2026/2026-11-25/html/index-eng.html</link></item></rdf:RDF>`), []got{
			{"https://gazette.gc.ca/rp-pr/p2/2026/2026-11-25/html/index-eng.html", "2026-11-25"},
		}, nil},
		{"empty channel", rss(""), nil, scraper.ErrLayoutChanged},
		{"items link elsewhere", rss(item("https://gazette.gc.ca/rp-pr/p1/2026/index-eng.html")), nil, scraper.ErrLayoutChanged},
		{"not a feed", []byte(`<?xml version="1.0"?><html><body>maintenance</body></html>`), nil, scraper.ErrLayoutChanged},
		{"HTML error page", wrap("Service unavailable", "<h1>Service unavailable</h1>"), nil, scraper.ErrLayoutChanged},
		{"soft 404", testdata(t, "soft404.html"), nil, scraper.ErrNotFound},
		{"cut short", fixture(t, "1/gazette/rss/p1-eng.xml")[:700], nil, ErrTruncated},
		{"empty body", nil, nil, scraper.ErrLayoutChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues, err := parseFeed(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("parseFeed(%s) error = %v, want %v", tt.name, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFeed(%s) error = %v", tt.name, err)
			}
			var g []got
			for _, is := range issues {
				g = append(g, got{is.URL, is.Date})
			}
			if d := cmp.Diff(tt.want, g); d != "" {
				t.Errorf("parseFeed(%s) mismatch (-want +got):\n%s", tt.name, d)
			}
		})
	}
}

func TestParseFeedDirectAndTitle(t *testing.T) {
	issues, err := parseFeed(fixture(t, "1/gazette/rss/p2-eng.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var direct []string
	for _, is := range issues {
		if is.direct() {
			direct = append(direct, is.URL)
		}
		if !strings.HasPrefix(is.Title, "Canada Gazette, Part II") {
			t.Errorf("parseFeed(p2) title = %q, want the issue's title", is.Title)
		}
	}
	want := []string{"https://gazette.gc.ca/rp-pr/p2/2026/2026-10-30-x3/html/sor-dors215-eng.html"}
	if d := cmp.Diff(want, direct); d != "" {
		t.Errorf("parseFeed(p2) documents linked directly (-want +got):\n%s", d)
	}
}
