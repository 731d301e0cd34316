package scraper

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckHTML(t *testing.T) {
	t.Parallel()
	whole := `<!DOCTYPE html><html><head><title>Notice of meeting</title></head><body><h1>SECU</h1><p>Witnesses</p></body></html>`
	for _, tc := range []struct {
		name string
		page string
		want error
	}{
		{"whole", whole, nil},
		{"upper case, trailing space", strings.ToUpper(whole) + "\n\n", nil},
		{"half", whole[:len(whole)/2], ErrTruncated},
		{"empty", "", ErrLayoutChanged},
		{"blank", " \n ", ErrLayoutChanged},
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ErrLayoutChanged},
		{"json", `{"bills": []}`, ErrLayoutChanged},
		{"soft 404 title", `<!DOCTYPE html><html><head><title>Error 404 - Page not found</title></head><body></body></html>`, ErrNotFound},
		{"soft 404 heading", `<html><head><title>House of Commons</title></head><body><h1 class="x">We couldn't find <em>that</em> Web page (Error 404)</h1></body></html>`, ErrNotFound},
		{"sencanada", `<html><head><title></title></head><body><h1>Sorry, the content is not available.</h1></body></html>`, ErrNotFound},
		{"a page about 404 errors in its body", `<html><head><title>Bill C-2</title></head><body><h1>Bill C-2</h1><p>page not found</p></body></html>`, nil},
	} {
		err := CheckHTML([]byte(tc.page))
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("CheckHTML(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCheckFragment(t *testing.T) {
	t.Parallel()
	table := `<div><table><thead><tr><th>Date</th></tr></thead><tbody><tr><td>Monday, November 30, 2026</td></tr></tbody></table></div>`
	for _, tc := range []struct {
		name, page string
		want       error
	}{
		{"whole", table, nil},
		{"half", table[:len(table)/2], ErrTruncated},
		{"no table", `<p>No upcoming meetings.</p>`, nil},
	} {
		err := CheckFragment([]byte(tc.page))
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("CheckFragment(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
}
