package law

import (
	"strings"
	"testing"
)

// FuzzApply feeds arbitrary bill and Act XML: parsing and applying never panic, and an
// effect is either applied or has a reason.
func FuzzApply(f *testing.F) {
	f.Add([]byte(`<Bill><Body><Section><Label>1</Label><Text>Section 3 of the Act is replaced by the following:</Text><AmendedText><Section><Label>3</Label><Text>x</Text></Section></AmendedText></Section></Body></Bill>`),
		[]byte(`<Statute><Body><Section><Label>3</Label><Text>y</Text></Section></Body></Statute>`))
	f.Add([]byte(`<Bill><Body><Section><Label>1</Label><Text>Section 3 of the Act is amended by striking out “y” and by adding “z” after “y”.</Text></Section></Body></Bill>`),
		[]byte(`<Statute><Body><Heading level="1"><TitleText>H</TitleText></Heading><Section><Label>3</Label><Text>y y</Text><Paragraph><Label>(a)</Label><Text>q</Text></Paragraph></Section></Body></Statute>`))
	f.Add([]byte(`<Bill><Body><Section><Label>1</Label><Text>The portion of subsection 3(1) of the Act after paragraph (a) is replaced by the following:</Text></Section></Body></Bill>`),
		[]byte(`<Statute><Body><Section><Label>3</Label><Subsection><Label>(1)</Label></Subsection></Section></Body></Statute>`))
	f.Fuzz(func(t *testing.T, billXML, actXML []byte) {
		bill, err := ParseBill(billXML)
		if err != nil {
			return
		}
		act, err := ParseAct(actXML)
		if err != nil {
			return
		}
		res := Apply(bill, func(ActRef) (string, *Act, error) { return "X-1", act, nil })
		res.Annotate()
		for _, a := range res.Acts {
			for _, e := range a.Effects {
				if e.Applied == (e.Reason != "") {
					t.Fatalf("effect %+v: applied and reason disagree", e)
				}
				// An effect without a kind is an instruction whose form is not recognised.
				if e.Kind == "" && (e.Applied || !strings.HasPrefix(e.Reason, ReasonForm)) {
					t.Fatalf("effect %+v: no kind, yet not a form not recognised", e)
				}
			}
		}
	})
}
