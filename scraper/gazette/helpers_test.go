package gazette

import (
	"github.com/billwatch/billwatch/internal/sampletest"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/fixtures"
)

// samples is where the real pages saved by the research live; they are never copied here.
var samples = sampletest.Dir

// fixture reads a bundled fixture file: "1/gazette/rss/p1-eng.xml".
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS(), name)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("testdata %s: %v", name, err)
	}
	return b
}

// wrap puts content in the Gazette's page template (trimmed): the WET header, <main>, footer.
func wrap(title, content string) []byte {
	return []byte(`<!DOCTYPE html>
<html class="no-js" lang="en" dir="ltr">
<head><meta charset="utf-8"><title>` + title + `</title></head>
<body vocab="http://schema.org/" typeof="WebPage">
<header role="banner"><div id="wb-bnr"><h2>Search</h2></div>
<nav role="navigation" id="wb-bc" property="breadcrumb"><ol class="breadcrumb">
<li><a href="/accueil-home-eng.html">Canada Gazette</a></li>
<li><a href="/rp-pr/publications-eng.html">Publications</a></li></ol></nav></header>
<main role="main" property="mainContentOfPage" class="container">
<div id="content">
` + content + `
</div>
<div class="row pagedetails"><dl id="wb-dtmd"><dt>Date modified:</dt><dd><time property="dateModified">2026-11-20</time></dd></dl></div>
</main>
<footer id="wb-info"><nav><h2 class="wb-inv">About government</h2><ul><li><a href="https://www.canada.ca/en/contact.html">Contact us</a></li></ul></nav></footer>
</body>
</html>
`)
}

func ptr[T any](v T) *T { return &v }

// ignoreChecks leaves the drift counts out of comparisons of items; TestItemChecks checks them.
// ignoreChecks ignores what the scraper adds to every item: the field checks, and the
// jurisdiction (TestRegulationsSnapshots checks that one).
var ignoreChecks = cmpopts.IgnoreFields(billwatch.Regulation{}, "Checks", "Jurisdiction")
