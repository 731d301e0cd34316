package scraper

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SiteHosts lists the real host names of each site. The Gazette serves the same paths from four
// names (with and without "www."), so its links may name any of them.
var SiteHosts = map[string][]string{
	Parl:       {"www.parl.ca", "parl.ca"},
	OurCommons: {"www.ourcommons.ca", "ourcommons.ca"},
	SenCanada:  {"sencanada.ca", "www.sencanada.ca"},
	Gazette: {
		"gazette.gc.ca", "www.gazette.gc.ca",
		"canadagazette.gc.ca", "www.canadagazette.gc.ca",
		"gazetteducanada.gc.ca", "www.gazetteducanada.gc.ca",
		"canadagazetteducanada.gc.ca", "www.canadagazetteducanada.gc.ca",
	},
	Justice: {"laws-lois.justice.gc.ca", "lois-laws.justice.gc.ca"},
}

// SiteOfHost returns the site name (parl, ourcommons, sencanada, gazette, justice) of a real host name,
// or "" when billwatch does not read that host.
func SiteOfHost(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, site := range siteNames {
		for _, h := range SiteHosts[site] {
			if host == h {
				return site
			}
		}
	}
	return ""
}

// CapturedFile is the name of the manifest Capture writes at the top of a snapshot folder.
const CapturedFile = "CAPTURED.tsv"

// Captured is one page saved by Capture.
type Captured struct {
	URL     string    // the real URL, as given
	Site    string    // "gazette"
	File    string    // path inside the snapshot folder, slash-separated: "gazette/rss/p1-eng.xml"
	Fetched time.Time // UTC
	Status  int
	Bytes   int
	SHA256  string // hex
}

// Capture fetches real pages and saves them byte for byte as a fixtures snapshot folder, so
// that a page seen once can become a test: DIR/SITE/FILE, where FILE is fileName of the URL
// (cmd/billwatch passes fixtures.FileName: the scraper knows no fixtures), and
// DIR/CAPTURED.tsv listing url, fetched (RFC 3339, UTC), status, bytes and sha256
// of every page saved there (rows of earlier captures into the same folder are kept, a URL
// captured again replaces its row). A URL of a real host is fetched from the site's base in c
// (the real site unless --base-url names a mirror); a URL on a configured base, loopback
// included, is fetched as given and saved under its site. Everything goes through c, so the
// User-Agent, robots.txt and the spacing of requests hold. A failing URL does not stop the
// others: Capture returns what it saved and the failures joined, each naming its URL. Nothing is
// written for a failed URL.
func Capture(ctx context.Context, c *Client, urls []string, dir string, fileName func(*url.URL) string) ([]Captured, error) {
	if dir == "" {
		return nil, errors.New("capture: no folder given")
	}
	var out []Captured
	var errs []error
	for _, raw := range urls {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("capture: %w", err))
			break
		}
		cp, err := capture(ctx, c, raw, dir, fileName)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, cp)
	}
	if len(out) > 0 {
		if err := writeManifest(dir, out); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// captureSite finds the site a URL to capture belongs to, and the URL to fetch it from: a real
// host's URL is fetched from the site's configured base (the real site, or a mirror given with
// --base-url); a URL on a configured base itself (a mirror, often on loopback) is fetched as
// given and saved under its site.
func captureSite(c *Client, u *url.URL) (site, fetch string, err error) {
	if site = SiteOfHost(u.Hostname()); site != "" {
		if b := c.bases[site]; b != nil && strings.TrimRight(b.String(), "/") != strings.TrimRight(DefaultBases[site], "/") {
			return site, c.Rebase(site, u.String(), SiteHosts[site]...), nil // a mirror
		}
		return site, u.String(), nil
	}
	for _, s := range siteNames {
		b := c.bases[s]
		if b != nil && strings.EqualFold(b.Scheme, u.Scheme) && strings.EqualFold(b.Host, u.Host) && strings.HasPrefix(u.Path, strings.TrimRight(b.Path, "/")+"/") {
			return s, u.String(), nil
		}
	}
	if isLoopback(u.Hostname()) {
		return "", "", fmt.Errorf("loopback address %s is no configured site: name it with --base-url SITE=%s://%s", u.Host, u.Scheme, u.Host)
	}
	return "", "", fmt.Errorf("unknown host %q (billwatch reads %s, and the sites given with --base-url)", u.Hostname(), knownHosts())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func capture(ctx context.Context, c *Client, raw, dir string, fileName func(*url.URL) string) (Captured, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return Captured{}, fmt.Errorf("capture %q: not an absolute http(s) URL", raw)
	}
	site, fetch, err := captureSite(c, u)
	if err != nil {
		return Captured{}, fmt.Errorf("capture %s: %w", raw, err)
	}
	name := fileName(u)
	rel := site + "/" + name
	target, err := safeJoin(dir, rel)
	if err != nil {
		return Captured{}, fmt.Errorf("capture %s: %w", raw, err)
	}
	page, err := c.Get(ctx, fetch)
	if err != nil {
		return Captured{}, fmt.Errorf("capture: %w", err) // Get's errors name the URL
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return Captured{}, fmt.Errorf("capture %s: %w", raw, err)
	}
	if err := writeFileAtomic(target, page.Body); err != nil {
		return Captured{}, fmt.Errorf("capture %s: %w", raw, err)
	}
	sum := sha256.Sum256(page.Body)
	return Captured{
		URL: raw, Site: site, File: rel, Fetched: page.Fetched.UTC().Truncate(time.Second),
		Status: page.Status, Bytes: len(page.Body), SHA256: hex.EncodeToString(sum[:]),
	}, nil
}

func knownHosts() string {
	var hs []string
	for _, site := range siteNames {
		hs = append(hs, SiteHosts[site]...)
	}
	return strings.Join(hs, ", ")
}

// safeJoin joins a slash-separated relative name to dir, refusing one that would leave dir
// ("/../" in a URL path) or name nothing.
func safeJoin(dir, rel string) (string, error) {
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("URL path %q cannot be saved as a file", rel)
		}
	}
	return filepath.Join(dir, filepath.FromSlash(rel)), nil
}

func writeFileAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".capture-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

var manifestHeader = []string{"url", "fetched", "status", "bytes", "sha256"}

// writeManifest merges the new captures into DIR/CAPTURED.tsv, one row per URL, sorted by URL.
func writeManifest(dir string, caps []Captured) error {
	name := filepath.Join(dir, CapturedFile)
	rows := map[string]string{}
	if f, err := os.Open(name); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || line == strings.Join(manifestHeader, "\t") {
				continue
			}
			u, _, _ := strings.Cut(line, "\t")
			rows[u] = line
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return fmt.Errorf("capture: read %s: %w", name, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("capture: %w", err)
	}
	for _, c := range caps {
		rows[tsvField(c.URL)] = strings.Join([]string{
			tsvField(c.URL), c.Fetched.UTC().Format(time.RFC3339), strconv.Itoa(c.Status),
			strconv.Itoa(c.Bytes), c.SHA256,
		}, "\t")
	}
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.WriteString(strings.Join(manifestHeader, "\t") + "\n")
	for _, k := range keys {
		sb.WriteString(rows[k] + "\n")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	if err := writeFileAtomic(name, []byte(sb.String())); err != nil {
		return fmt.Errorf("capture: write %s: %w", name, err)
	}
	return nil
}

// tsvField keeps a URL on one field: tabs and line breaks cannot appear in a parsed URL's
// string form, but a caller may pass anything.
func tsvField(s string) string {
	return strings.NewReplacer("\t", "%09", "\n", "%0A", "\r", "%0D").Replace(s)
}
