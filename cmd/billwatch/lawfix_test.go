package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/fixtures"
	"github.com/billwatch/billwatch/internal/sampletest"
)

// TestLawFilesCodesAndCase: law on files names the code of an Act it was not given when
// the database's index of Acts knows it, and --act takes a code in any case, as the web's
// act= does; a bill that names another Act over the given Act's chapter is not applied to it.
func TestLawFilesCodesAndCase(t *testing.T) {
	act := sampletest.Path(t, "justice-act-T-3.4.xml")
	c := newCLI(t, fixtures.FS())
	if out, errOut, code := c.run(week1, "scrape"); code != 0 {
		t.Fatalf("scrape: exit %d\n%s%s", code, out, errOut)
	}
	bill := filepath.Join(t.TempDir(), "C-777.xml")
	heading := func(title, chapter string) string {
		return `<Heading level="1"><MarginalNote><HistoricalNote>` + chapter + `</HistoricalNote></MarginalNote><TitleText>` + title + `</TitleText></Heading>`
	}
	xml := `<Bill xml:lang="en"><Identification><BillNumber>C-777</BillNumber></Identification><Body>` +
		heading("Telecommunications Act", "1993, c. 38") +
		`<Section type="amending"><Label>1</Label><Text>Section 47 of the Act is repealed.</Text></Section>` +
		heading("Canadian Security Intelligence Service Act", "R.S., c. C-23") +
		`<Section type="amending"><Label>2</Label><Text>Section 21 of the Act is repealed.</Text></Section>` +
		heading("Radiocommunication Act", "1993, c. 38") +
		`<Section type="amending"><Label>3</Label><Text>Section 5 of the Act is repealed.</Text></Section>` +
		`</Body></Bill>`
	if err := os.WriteFile(bill, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := c.run(week1, "law", bill, "--act-file", act, "--format", "json")
	var doc lawJSON
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("law: exit %d, %s\n%s", code, errOut, out)
	}
	var got []string
	for _, a := range doc.Acts {
		for _, e := range a.Effects {
			got = append(got, a.Code+" "+a.Title+" "+e.Target+" "+map[bool]string{true: "applied", false: e.Reason}[e.Applied])
		}
	}
	want := []string{
		"T-3.4 Telecommunications Act 47 applied",
		"C-23 Canadian Security Intelligence Service Act 21 Act not available: Canadian Security Intelligence Service Act (C-23) was not given with --act-file",
		` Radiocommunication Act 5 Act not available: the bill names the Radiocommunication Act, but the chapter "1993, c. 38" is the Telecommunications Act (T-3.4): pin one in [acts]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("law:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, code := range []string{"t-3.4", "T-3.4"} {
		out, errOut, exit := c.run(week1, "law", bill, "--act-file", act, "--act", code)
		if exit != 0 || !strings.Contains(out, "== Telecommunications Act (T-3.4)") || strings.Contains(out, "Radiocommunication") {
			t.Errorf("--act %s: exit %d, %s\n%s", code, exit, errOut, out)
		}
	}
}
