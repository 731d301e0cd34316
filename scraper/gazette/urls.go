package gazette

import (
	"net/url"
	"strings"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// PublicBase is where the real Gazette lives. Regulation URLs always name it, whatever base the
// client is configured with and whichever of the Gazette's host names a link used, because they
// are links people open and keys the tracker compares.
const PublicBase = "https://gazette.gc.ca"

// Hosts are the host names that serve the same Gazette paths.
var Hosts = scraper.SiteHosts[scraper.Gazette]

func isGazetteHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	for _, g := range Hosts {
		if h == g {
			return true
		}
	}
	return false
}

// canonical resolves link against base and returns it on https://gazette.gc.ca, without its
// fragment. ok is false for a link to another site or one that is not a URL.
func canonical(base *url.URL, link string) (string, bool) {
	link = strings.TrimSpace(link)
	if link == "" {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Host == "" || !isGazetteHost(u.Hostname()) {
		return "", false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	p := u.EscapedPath()
	// The index pages link a few items with a broken anchor ("commis-eng.html@cs7") or, in
	// 2014, an -eng.php page that redirects to the -eng.html one.
	if i := strings.IndexByte(p, '@'); i >= 0 {
		p = p[:i]
	}
	if strings.HasSuffix(p, "-eng.php") {
		p = strings.TrimSuffix(p, ".php") + ".html"
	}
	// English indexes sometimes link the French page of an item; billwatch reads English.
	if strings.HasPrefix(p, "/rp-pr/") && strings.HasSuffix(p, "-fra.html") {
		p = strings.TrimSuffix(p, "-fra.html") + "-eng.html"
	}
	out := PublicBase + p
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out, true
}

// docPathRE matches the path of a page inside an issue:
// /rp-pr/p1/2026/2026-11-14/html/reg2-eng.html, /rp-pr/p2/2025/2025-03-15x2/html/sor-dors107-eng.html,
// /rp-pr/p1/2026/2026-07-31-x6/html/extra6-eng.html.
var docPathRE = lazyre.New(`^/rp-pr/p([12])/(\d{4})/(\d{4}-\d{2}-\d{2})(-?[a-z]\d+)?/html/([a-z0-9-]+?)-(eng|fra)\.html$`)

// location is what the path of a Gazette page says.
type location struct {
	part   string // "I" or "II"
	date   string // issue date, YYYY-MM-DD
	suffix string // "x6" for an extra edition, "c1" for a consolidated index; "" for a regular issue
	slug   string // "reg2", "sor-dors231", "index", "notice-avis"
}

func locate(publicURL string) (location, bool) {
	u, err := url.Parse(publicURL)
	if err != nil {
		return location{}, false
	}
	m := docPathRE.FindStringSubmatch(u.Path)
	if m == nil {
		return location{}, false
	}
	l := location{part: "I", date: m[3], suffix: strings.TrimPrefix(m[4], "-"), slug: m[5]}
	if m[1] == "2" {
		l.part = "II"
	}
	return l, true
}

// consolidated reports whether the location is a quarterly consolidated index pseudo-issue
// ("2026-09-30-c3"), which is not a publication.
func (l location) consolidated() bool { return strings.HasPrefix(l.suffix, "c") }

// extra reports whether the location is in an extra edition.
func (l location) extra() bool { return strings.HasPrefix(l.suffix, "x") }

var documentSlugRE = lazyre.New(`^(?:reg|sor-dors|si-tr|extra)\d+$`)

// document reports whether the page is one regulation (a Part I proposal reg{N}, a Part II
// sor-dors{N} or si-tr{N}, an extra edition's document), not a section page shared by many
// notices (notice-avis, commis, misc-divers...) or an index.
func (l location) document() bool { return documentSlugRE.MatchString(l.slug) }

// id is the Regulation ID: "2026-06-20-reg2"; an extra edition keeps its number so that it
// cannot collide with the regular issue of the same day ("2026-07-31-x6-extra6").
func (l location) id() string {
	if l.extra() {
		return l.date + "-" + l.suffix + "-" + l.slug
	}
	return l.date + "-" + l.slug
}
