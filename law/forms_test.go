package law

import (
	"strings"
	"testing"
)

// formsAct is a small Act for the form tests.
const formsAct = `<Statute><Identification><ShortTitle>Forms Act</ShortTitle></Identification><Body>
<Section><Label>3</Label><Text>The Minister may</Text><Paragraph><Label>(a)</Label><Text>act;</Text></Paragraph><Paragraph><Label>(b)</Label><Text>report the data; and</Text></Paragraph><Paragraph><Label>(c)</Label><Text>keep the data.</Text></Paragraph></Section>
<Section><Label>4</Label><Subsection><Label>(1)</Label><Text>One.</Text></Subsection><Subsection><Label>(2)</Label><Text>Two.</Text></Subsection></Section>
<Section><Label>5</Label><Text>Five.</Text></Section>
<Section><Label>6</Label><Text>Six.</Text></Section>
<Heading level="1"><TitleText>Part</TitleText></Heading>
<Section><Label>7</Label><Text>Seven.</Text></Section>
</Body></Statute>`

func applyOne(t *testing.T, instruction, amended string) (Effect, *Act) {
	t.Helper()
	bill := `<Bill><Identification><BillNumber>C-1</BillNumber></Identification><Body><Heading level="1"><MarginalNote><HistoricalNote>2000, c. 1</HistoricalNote></MarginalNote><TitleText>Forms Act</TitleText></Heading>` +
		`<Section type="amending"><Label>1</Label><Text>` + instruction + `</Text>`
	if amended != "" {
		bill += `<AmendedText>` + amended + `</AmendedText>`
	}
	bill += `</Section></Body></Bill>`
	act := mustAct(t, []byte(formsAct))
	res := Apply(mustBill(t, []byte(bill)), only(act))
	if len(res.Acts) != 1 || len(res.Acts[0].Effects) != 1 {
		t.Fatalf("%s: %+v", instruction, res.Acts)
	}
	return res.Acts[0].Effects[0], res.Acts[0].Act
}

func TestForms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		instruction, amended string
		kind, target         string
		reason               string // "" when applied
		after                string // a line the Act holds after, when applied
	}{
		{"Subsection 4(1) of the Act is replaced by the following:", `<Subsection><Label>(1)</Label><Text>Uno.</Text></Subsection><Subsection><Label>(2)</Label><Text>Dos.</Text></Subsection>`,
			Replaced, "4(1)", "not applied with certainty: subsection (2) already exists", ""},
		{"Subsections 4(1) and (2) of the Act are replaced by the following:", `<Subsection><Label>(1)</Label><Text>Uno.</Text></Subsection><Subsection><Label>(2)</Label><Text>Dos.</Text></Subsection>`,
			Replaced, "4(1), 4(2)", "", "(2) Dos."},
		{"Sections 5 and 6 of the Act are repealed.", "", Repealed, "5, 6", "", "6 [Repealed]"},
		{"Sections 5 to 7 of the Act are repealed.", "", Repealed, "5 to 7", "not applied with certainty: a heading lies inside 5 to 7", ""},
		{"Paragraphs 3(a) and (b) of the Act are replaced by the following:", `<Paragraph><Label>(a)</Label><Text>act promptly;</Text></Paragraph><Paragraph><Label>(b)</Label><Text>report; and</Text></Paragraph>`,
			Replaced, "3(a), 3(b)", "", "(a) act promptly;"},
		{"Section 3 of the Act is amended by replacing “the data” with “information” wherever it occurs.", "", Words, "3", "", "(c) keep information."},
		{"Section 3 of the Act is amended by replacing “the data” with “information”.", "", Words, "3", "not applied with certainty: “the data” occurs 2 times in 3", ""},
		{"Schedule 2 to the Act is amended by adding the following after item 4:", "", "", "Schedule 2", "form not recognised: amendments to schedules are not applied yet", ""},
		{"Section 5 of the Act is amended by adding the following after subsection (1):", `<Subsection><Label>(2)</Label><Text>x</Text></Subsection>`, Added, "5(2)", "target not found: no (1) in 5", ""},
		{"The Act is amended by adding the following after section 5:", `<Section><Label>6</Label><Text>Again.</Text></Section>`, Added, "6", "not applied with certainty: section 6 already exists", ""},
		{"Section 5 of the Act is replaced by the following:", `<Section><Label>5.1</Label><Text>x</Text></Section>`, Replaced, "5", "not applied with certainty: the new text begins with section 5.1, not section 5", ""},
		{"The heading before section 5 of the Act is replaced by the following:", `<Heading level="1"><TitleText>New</TitleText></Heading>`, Replaced, "5", "target not found: no heading before 5", ""},
		{"The heading before section 7 of the Act is repealed.", "", Repealed, "7", "", ""},
		{"Section 5 of the Act is renumbered as section 8.", "", Renumbered, "5", "", "8 Five."},
		{"Section 5 of the Act is renumbered as section 6.", "", Renumbered, "5", "not applied with certainty: section 6 already exists", ""},
		{"Section 5 of the Act, as enacted by section 2 of chapter 9 of the Statutes of Canada, 2024, is repealed.", "", "", "", "form not recognised", ""},
	} {
		e, after := applyOne(t, c.instruction, c.amended)
		if e.Kind != c.kind || e.Target != c.target || (c.reason == "") != e.Applied || !strings.HasPrefix(e.Reason, c.reason) {
			t.Errorf("%s\n  = {%s %q applied=%v %q}\n want {%s %q %q…}", c.instruction, e.Kind, e.Target, e.Applied, e.Reason, c.kind, c.target, c.reason)
			continue
		}
		if c.after != "" && !strings.Contains(render(after.Body), c.after) {
			t.Errorf("%s: the Act after does not hold %q:\n%s", c.instruction, c.after, render(after.Body))
		}
		if !e.Applied && render(after.Body) != render(mustAct(t, []byte(formsAct)).Body) {
			t.Errorf("%s: not applied, yet the Act changed", c.instruction)
		}
	}
}
