package gazette

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/scraper"
)

// seeds adds every bundled Gazette fixture (and the real samples, when present) whose name
// matches keep.
func seeds(f *testing.F, keep func(name string) bool) {
	fs.WalkDir(fixtures.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, "/gazette/") && keep(p) {
			b, _ := fs.ReadFile(fixtures.FS(), p)
			f.Add(b)
		}
		return nil
	})
	for _, name := range []string{"gazette-p1-2025-06-21-notice-avis-eng.html", "gazette-p1-2025-q2-quarterly-index-eng.html"} {
		if keep(name) {
			if b, err := os.ReadFile(filepath.Join(samples, name)); err == nil {
				f.Add(b)
			}
		}
	}
}

// known reports whether an error is one of the documented kinds.
func known(err error) bool {
	return errors.Is(err, scraper.ErrLayoutChanged) || errors.Is(err, scraper.ErrNotFound) || errors.Is(err, ErrTruncated)
}

func FuzzParseFeed(f *testing.F) {
	seeds(f, func(n string) bool { return strings.HasSuffix(n, ".xml") })
	f.Fuzz(func(t *testing.T, b []byte) {
		issues, err := parseFeed(b)
		if err != nil {
			if !known(err) {
				t.Fatalf("parseFeed error %v is not a documented kind", err)
			}
			return
		}
		if len(issues) == 0 {
			t.Fatalf("parseFeed = no issues and no error")
		}
		for _, is := range issues {
			if !strings.HasPrefix(is.URL, PublicBase+"/rp-pr/p") || len(is.Date) != 10 {
				t.Fatalf("parseFeed issue %+v", is)
			}
		}
	})
}

func FuzzParseIndex(f *testing.F) {
	seeds(f, func(n string) bool { return strings.Contains(n, "index") })
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := parseIndex(b, "https://gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/index-eng.html")
		if err != nil {
			if !known(err) {
				t.Fatalf("parseIndex error %v is not a documented kind", err)
			}
			return
		}
		for _, e := range es {
			if !strings.HasPrefix(e.URL, PublicBase+"/") || strings.Contains(e.URL, "#") {
				t.Fatalf("parseIndex entry URL %q", e.URL)
			}
		}
	})
}

func FuzzParseItem(f *testing.F) {
	seeds(f, func(n string) bool {
		return strings.Contains(n, "reg") || strings.Contains(n, "sor-dors") || strings.Contains(n, "notice")
	})
	f.Add(proposal(stdLabels, "Interested persons may make representations within seventy-five (75) days after the date of publication of this notice."))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, u := range []string{"https://gazette.gc.ca/rp-pr/p1/2026/2026-11-14/html/reg1-eng.html", "https://gazette.gc.ca/rp-pr/p2/2026/2026-11-25/html/sor-dors231-eng.html"} {
			r, err := parseItem(b, u, entry{})
			if err != nil {
				if !known(err) {
					t.Fatalf("parseItem error %v is not a documented kind", err)
				}
				continue
			}
			if r.Title == "" || r.URL != u || !utf8.ValidString(r.Title+r.Department+r.Summary+strings.Join(r.Acts, "")) {
				t.Fatalf("parseItem = %+v", r)
			}
			if (r.CommentDays == nil) != (r.CommentDeadline == "") || (r.CommentDays != nil && (*r.CommentDays <= 0 || *r.CommentDays > 365)) {
				t.Fatalf("parseItem comment period %v, deadline %q", r.CommentDays, r.CommentDeadline)
			}
			if r.Part == "I" && r.CommentDays == nil && !strings.Contains(r.Gap, GapCommentPeriod) {
				t.Fatalf("parseItem without a comment period and no gap: %+v", r)
			}
		}
	})
}

func FuzzCommentDays(f *testing.F) {
	for _, s := range []string{"within 30 days after the date of publication of this notice", "within seventy-five (75) days after publication",
		"no later than sixty days following the publication", "within one hundred and twenty days of publication", "within thirty-thirty-thirty days of publication"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := commentDays([]block{{tag: "p", lines: []string{s}}})
		if ok && (n <= 0 || n > 365) {
			t.Fatalf("commentDays(%q) = %d", s, n)
		}
	})
}
