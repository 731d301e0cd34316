package law

import (
	"fmt"
	"strings"

	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// Bill is the amending part of a bill text: its instructions, in the bill's order.
type Bill struct {
	Number  string // "C-8"
	Title   string
	Version string // "first-reading", "amended-by-committee"...
	// Instructions are the amending instructions in the bill's order.
	Instructions []*Instruction
	// InForce are the bill's coming-into-force provisions, as printed.
	InForce []InForce
}

// InForce is a provision of a bill that says when (part of) it comes into force: "16 The
// provisions of this Part come into force on a day or days to be fixed by order of the
// Governor in Council." Its text is shown as printed, not interpreted.
type InForce struct {
	Provision string `json:"provision"` // the bill's section: "16"
	Text      string `json:"text"`
}

var (
	inForceHeadingRE = lazyre.New(`(?i)^coming[\s\x{a0}]+into[\s\x{a0}]+force$`)
	inForceNoteRE    = lazyre.New(`(?i)coming[\s\x{a0}]+into[\s\x{a0}]+force|order[\s\x{a0}]+in[\s\x{a0}]+council|royal[\s\x{a0}]+assent`)
	inForceTextRE    = lazyre.New(`(?i)\b(?:comes?|came)[\s\x{a0}]+into[\s\x{a0}]+force\b|\bin[\s\x{a0}]+force\b.*\broyal[\s\x{a0}]+assent\b`)
)

// inForce records s when it is a coming-into-force provision: under a "Coming into Force"
// heading or with such a marginal note, and saying what comes into force.
func (w *billWalker) inForce(s *elem, label string) {
	if s.Attr("type") == "amending" {
		return
	}
	under := s.Attr("type") == "CIF"
	for _, h := range w.trail {
		if inForceHeadingRE.MatchString(strings.TrimSpace(h.title)) {
			under = true
		}
	}
	if !under && !inForceNoteRE.MatchString(textOf(s.Child("MarginalNote"))) {
		return
	}
	var parts []string
	var add func(e *elem, prefix string)
	add = func(e *elem, prefix string) {
		for _, k := range e.Kids {
			switch k.Name {
			case "Text":
				if t := strings.TrimSpace(textOf(k)); t != "" {
					parts = append(parts, strings.TrimSpace(prefix+" "+t))
					prefix = ""
				}
			case "Subsection", "Paragraph", "Subparagraph":
				add(k, textOf(k.Child("Label")))
			}
		}
	}
	add(s, "")
	text := strings.Join(parts, "\n")
	if !inForceTextRE.MatchString(text) {
		return
	}
	w.bill.InForce = append(w.bill.InForce, InForce{Provision: label, Text: text})
}

// ActRef names an Act as a bill does: its title, and the chapter cited beneath the heading
// ("1993, c. 38") when there is one.
type ActRef struct {
	Title   string
	Chapter string
}

// String is the Act's title, else its chapter.
func (r ActRef) String() string {
	if r.Title != "" {
		return r.Title
	}
	return r.Chapter
}

// Instruction is one amending unit of a bill: a section or subsection whose text says what
// happens to an Act ("Section 47 of the Act is replaced by the following:"), with the text
// it sets out.
type Instruction struct {
	BillProvision string // "3", "4(1)"
	Text          string // the instruction as printed
	Act           ActRef // the Act it amends
	// Amended is the text the instruction sets out ("the following"), as nodes.
	Amended []*Node
}

// instructionRE recognises a unit of a bill that amends an Act rather than enacting law of
// its own.
var instructionRE = lazyre.New(`(?i)\b(?:is|are) (?:amended|replaced|repealed|renumbered)\b`)

// ParseBill reads a bill XML text (the parl.ca export) into its amending instructions.
func ParseBill(b []byte) (*Bill, error) {
	root, err := readTree(b)
	if err != nil {
		return nil, fmt.Errorf("law: parse bill xml: %w", err)
	}
	if root.Name != "Bill" {
		return nil, fmt.Errorf("law: parse bill xml: root element is <%s>, want <Bill>: %w", root.Name, ErrNotBill)
	}
	bill := &Bill{}
	if id := root.Child("Identification"); id != nil {
		bill.Number = textOf(id.Child("BillNumber"))
		bill.Title = textOf(id.Child("ShortTitle"))
		if bill.Title == "" {
			bill.Title = textOf(id.Child("LongTitle"))
		}
		stage := ""
		if h := id.Child("BillHistory"); h != nil {
			for _, st := range h.Kids {
				if st.Name == "Stages" && st.Attr("stage") != "" {
					stage = st.Attr("stage")
				}
			}
		}
		bill.Version = diff.VersionSlug(stage)
	}
	body := root.Child("Body")
	if body == nil {
		return nil, fmt.Errorf("law: parse bill xml: <Bill> has no <Body>: %w", ErrNotBill)
	}
	w := &billWalker{bill: bill}
	w.walk(body)
	return bill, nil
}

type heading struct {
	title, chapter string
}

type billWalker struct {
	bill  *Bill
	trail []heading // by level
}

// act is the Act the headings above name: the deepest heading that cites a chapter, else
// the deepest whose title reads as an Act's.
func (w *billWalker) act() ActRef {
	for i := len(w.trail) - 1; i >= 0; i-- {
		if h := w.trail[i]; h.chapter != "" {
			return ActRef{Title: h.title, Chapter: h.chapter}
		}
	}
	for i := len(w.trail) - 1; i >= 0; i-- {
		if h := w.trail[i]; looksLikeActTitle(h.title) {
			return ActRef{Title: h.title}
		}
	}
	return ActRef{}
}

func looksLikeActTitle(t string) bool {
	return strings.HasSuffix(t, " Act") || strings.HasSuffix(t, " Code") || strings.Contains(t, " Act, ")
}

func (w *billWalker) walk(e *elem) {
	for _, k := range e.Kids {
		switch k.Name {
		case "":
		case "Heading":
			lvl := atoi(k.Attr("level"))
			if lvl < 1 {
				lvl = 1
			}
			if lvl > 16 {
				lvl = 16
			}
			for len(w.trail) < lvl {
				w.trail = append(w.trail, heading{})
			}
			w.trail = w.trail[:lvl]
			h := heading{title: textOf(k.Child("TitleText"))}
			if mn := k.Child("MarginalNote"); mn != nil {
				h.chapter = textOf(mn.Child("HistoricalNote"))
				if h.chapter == "" {
					h.chapter = textOf(mn)
				}
			}
			w.trail[lvl-1] = h
		case "Section":
			w.section(k)
		case "ExplanatoryNote", "RunningHead", "Schedule":
		default:
			w.walk(k)
		}
	}
}

// section reads the instructions of one section of the bill: its own text, or each of its
// subsections (or paragraphs) that is an instruction.
func (w *billWalker) section(s *elem) {
	label := textOf(s.Child("Label"))
	w.inForce(s, label)
	w.unit(s, label)
	for _, k := range s.Kids {
		if k.Name == "Subsection" || k.Name == "Paragraph" {
			sub := label + textOf(k.Child("Label"))
			w.unit(k, sub)
			for _, kk := range k.Kids {
				if kk.Name == "Paragraph" {
					w.unit(kk, sub+textOf(kk.Child("Label")))
				}
			}
		}
	}
}

// unit records e as an instruction when its text is one.
func (w *billWalker) unit(e *elem, label string) {
	t := e.Child("Text")
	if t == nil {
		return
	}
	text := textOf(t)
	if !instructionRE.MatchString(text) || strings.Contains(strings.ToLower(text), " is enacted") {
		return
	}
	ins := &Instruction{BillProvision: label, Text: text, Act: w.act()}
	// An Act the instruction names itself overrides the heading: "Section 7 of the
	// Telecommunications Act is amended".
	subject := subjectOf(text)
	for _, x := range t.Kids {
		if x.Name == "XRefExternal" && x.Attr("reference-type") == "act" {
			name := textOf(x)
			if name != "" && strings.Contains(subject, name) {
				switch {
				case strings.EqualFold(name, ins.Act.Title):
				case ins.Act.Title != "" && strings.HasSuffix(TitleKey(ins.Act.Title), " "+TitleKey(name)):
					// "Consequential Amendment to the Canada Evidence Act" over "R.S., c. C-5".
					ins.Act.Title = name
				default:
					ins.Act = ActRef{Title: name}
				}
				break
			}
		}
	}
	for _, k := range e.Kids {
		if k.Name == "AmendedText" {
			ins.Amended = append(ins.Amended, parseAmended(k)...)
		}
	}
	w.bill.Instructions = append(w.bill.Instructions, ins)
}

// subjectOf is the part of an instruction before its verb: "Section 7 of the
// Telecommunications Act".
func subjectOf(text string) string {
	if loc := instructionRE.FindStringIndex(text); loc != nil {
		return text[:loc[0]]
	}
	return text
}

// parseAmended reads the text an instruction sets out.
func parseAmended(e *elem) []*Node {
	var out []*Node
	for _, k := range e.Kids {
		if k.Name == "" {
			continue
		}
		if kind, ok := provisionKinds[k.Name]; ok {
			out = append(out, parseNode(k, kind))
			continue
		}
		switch {
		case k.Name == "Text":
			out = append(out, &Node{Kind: KindText, Text: textOf(k)})
		case strings.HasPrefix(k.Name, "Continued"):
			out = append(out, &Node{Kind: KindText, Label: "continued", Text: textOf(k)})
		case k.Name == "BilingualGroup":
			t := textOf(k.Child("BilingualItemEn"))
			if t == "" {
				t = textOf(k)
			}
			out = append(out, &Node{Kind: KindText, Text: t})
		case k.Name == "Schedule":
			out = append(out, parseNode(k, KindSchedule))
		case k.Name == "ExplanatoryNote" || k.Name == "BillInternal":
		default:
			out = append(out, parseAmended(k)...)
		}
	}
	return out
}
