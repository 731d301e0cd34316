package scraper

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// ErrTruncated means a page ended before its end: no closing </html>, though the server's
// Content-Length matched what came. Only the content can tell such a page from a whole one,
// and half a page must never pass for the page (half a meeting list, a notice without its
// witnesses).
var ErrTruncated = errors.New("page cut short")

// notFoundRE recognises the sites' "page not found" pages: "We couldn't find that Web page
// (Error 404)", "Page not found", sencanada.ca's "Sorry, the content is not available".
var notFoundRE = lazyre.New(`(?i)\b(?:error|erreur)\s*404\b|\b404\s*(?:error|erreur|not found)\b|couldn.t find th(?:at|is) web ?page|nous ne pouvons trouver cette page|page (?:not found|introuvable)|content is not available`)

var (
	titleRE = lazyre.New(`(?is)<title[^>]*>(.*?)</title>`)
	h1RE    = lazyre.New(`(?is)<h1[^>]*>(.*?)</h1>`)
	tagRE   = lazyre.New(`<[^>]*>`)
)

// NotFoundText reports whether a page's title or first heading says the page does not exist.
func NotFoundText(s string) bool { return notFoundRE.MatchString(Clean(s)) }

// CheckHTML checks a whole HTML page as fetched, before it is parsed: an empty body or one that
// is not HTML at all (a PDF, an image) wraps ErrLayoutChanged; a page whose title or first
// heading says "page not found" (a soft 404, served with status 200) wraps ErrNotFound; a page
// without its closing </html> wraps ErrTruncated. Fragments of pages (sencanada.ca's table
// views) are not whole pages: their scrapers check them their own way.
func CheckHTML(b []byte) error {
	b = bytes.TrimSpace(DecodeBytes(b))
	if len(b) == 0 {
		return fmt.Errorf("empty page: %w", ErrLayoutChanged)
	}
	lower := bytes.ToLower(head(b, 4096))
	if !LooksLikeHTML(b) && !bytes.Contains(lower, []byte("<html")) {
		return fmt.Errorf("not an HTML page (%d bytes starting %q): %w", len(b), head(b, 16), ErrLayoutChanged)
	}
	for _, re := range []*lazyre.Regexp{titleRE, h1RE} {
		if m := re.FindSubmatch(b); m != nil && NotFoundText(string(tagRE.ReplaceAll(m[1], nil))) {
			return fmt.Errorf("the site's \"page not found\" page, served with status 200: %w", ErrNotFound)
		}
	}
	if !bytes.Contains(bytes.ToLower(tail(b, 8192)), []byte("</html>")) {
		return fmt.Errorf("no closing </html> tag (%d bytes): %w", len(b), ErrTruncated)
	}
	return nil
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// CheckFragment checks a fragment of a page (sencanada.ca's table views): one that opens a
// <table> and does not close it was cut short (ErrTruncated), even when its Content-Length
// matched. What the fragment says otherwise is for its parser to judge.
func CheckFragment(b []byte) error {
	lower := bytes.ToLower(b)
	if bytes.Contains(lower, []byte("<table")) && !bytes.Contains(tail(lower, 4096), []byte("</table>")) {
		return fmt.Errorf("a table that does not end (%d bytes): %w", len(b), ErrTruncated)
	}
	return nil
}
