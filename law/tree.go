// Package law reads consolidated Acts (Justice Canada's XML) into a provision tree, reads a
// bill's amending instructions, and applies them to the Act: what the law would say if the
// bill passed. Every instruction becomes an effect, applied or not with a reason; an
// instruction that cannot be applied with certainty is reported, never guessed.
//
// The package is pure: bytes in, results out. It keeps its own tree rather than the diff
// package's: an Act must be edited in place (text replaced before a paragraph, provisions
// inserted, headings kept between sections), which diff's matching tree does not model.
package law

import (
	"errors"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/internal/xmltree"
)

// ErrNotAct means the input is XML but not a consolidated Act (no <Statute> with a <Body>).
var ErrNotAct = errors.New("not a consolidated Act")

// ErrNotBill means the input is XML but not a bill text.
var ErrNotBill = errors.New("not a bill text")

// maxDepth bounds element nesting so that hostile input cannot exhaust the stack.
const maxDepth = 512

// Node kinds.
const (
	KindSection      = "section"
	KindSubsection   = "subsection"
	KindParagraph    = "paragraph"
	KindSubparagraph = "subparagraph"
	KindClause       = "clause"
	KindSubclause    = "subclause"
	KindSubsubclause = "subsubclause"
	KindDefinition   = "definition"
	KindHeading      = "heading"
	KindSchedule     = "schedule"
	KindItem         = "item"
	// KindText is loose text in a bill's amended text: the new portion before or after a
	// paragraph, or a schedule entry.
	KindText = "text"
)

// Node is one provision of an Act (or of the text a bill sets out): a section,
// subsection, paragraph, definition, or a heading between sections.
type Node struct {
	Kind         string
	Label        string // "47", "(2)", "(a)"; a definition's English term; a heading's "PART 1"
	MarginalNote string
	Text         string // the text before the children; a heading's title
	After        string // the text after the children (the "portion after paragraph (e)")
	Level        int    // a heading's level
	Repealed     bool   // a stub kept where a provision was repealed: "[Repealed, 2014, c. 20, s. 240]"
	InForce      string // lims:inforce-start-date, when the Act gives it
	Children     []*Node
}

// clone copies a node and everything under it.
func (n *Node) clone() *Node {
	c := *n
	c.Children = cloneAll(n.Children)
	return &c
}

func cloneAll(ns []*Node) []*Node {
	if ns == nil {
		return nil
	}
	out := make([]*Node, len(ns))
	for i, n := range ns {
		out[i] = n.clone()
	}
	return out
}

// Act is a consolidated Act.
type Act struct {
	Code           string // "T-3.4"
	Title          string // the short title, else the long title
	LongTitle      string
	Chapter        string // "1993, c. 38", "R.S.C. 1985, c. A-1"
	ConsolidatedTo string // "2024-06-20"
	// Body holds the sections in order with the headings between them.
	Body []*Node
	// Schedules holds the schedules of the Act proper (not the editorial "Related
	// provisions" and "Amendments not in force").
	Schedules []*Node
}

// Clone copies the Act, so that a bill can be applied without touching the original.
func (a *Act) Clone() *Act {
	c := *a
	c.Body = cloneAll(a.Body)
	c.Schedules = cloneAll(a.Schedules)
	return &c
}

// elem is an XML element or a run of character data (with an empty name), as
// internal/xmltree reads it.
type elem = xmltree.Node

// readTree reads XML into an element tree, with the fast reader the diff package reads bills
// with, and drops the skippedElems below the root. A byte-order mark is ignored.
func readTree(b []byte) (*elem, error) {
	s := strings.TrimPrefix(string(b), "\xef\xbb\xbf")
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty input")
	}
	root, _, err := xmltree.Read(s, xmltree.Options{MaxDepth: maxDepth})
	if err != nil {
		return nil, err
	}
	dropSkipped(root)
	return root, nil
}

// dropSkipped removes the skippedElems under e, at any depth. xmltree cuts each child list's
// capacity to its length, so it filters in place.
func dropSkipped(e *elem) {
	kids := e.Kids[:0]
	for _, k := range e.Kids {
		if k.Name != "" && skippedElems[k.Name] {
			continue
		}
		dropSkipped(k)
		kids = append(kids, k)
	}
	e.Kids = kids
}

// skippedElems carry no law text and are not kept: explanatory notes, the table of
// provisions, the summary, footnotes. (Historical notes are kept: a bill cites the chapter of
// the Act it amends in one.)
var skippedElems = map[string]bool{
	"ExplanatoryNote": true, "TableOfProvisions": true, "Summary": true, "Recommendation": true,
	"RunningHead": true, "Footnote": true, "ImageGroup": true,
}

// textOf is the normalised text of e, without footnotes, historical notes and
// explanatory notes.
func textOf(e *elem) string {
	if e == nil {
		return ""
	}
	var sb strings.Builder
	for _, k := range e.Kids {
		appendText(&sb, k)
	}
	return diff.Normalize(sb.String())
}

func appendText(sb *strings.Builder, e *elem) {
	if e.Name == "" {
		sb.WriteString(e.Data)
		return
	}
	switch e.Name {
	case "PageBreak":
		sb.WriteByte(' ')
		return
	case "FootnoteRef", "Footnote", "HistoricalNote", "ExplanatoryNote", "Del":
		return
	}
	for _, k := range e.Kids {
		appendText(sb, k)
	}
}

// provisionKinds maps element names to node kinds.
var provisionKinds = map[string]string{
	"Section":      KindSection,
	"Subsection":   KindSubsection,
	"Paragraph":    KindParagraph,
	"Subparagraph": KindSubparagraph,
	"Clause":       KindClause,
	"Subclause":    KindSubclause,
	"Subsubclause": KindSubsubclause,
	"Definition":   KindDefinition,
	"Heading":      KindHeading,
	"Item":         KindItem,
}

// ParseAct reads a consolidated Act in Justice Canada's XML (/eng/XML/{code}.xml).
func ParseAct(b []byte) (*Act, error) {
	root, err := readTree(b)
	if err != nil {
		return nil, fmt.Errorf("law: parse act xml: %w", err)
	}
	if root.Name != "Statute" {
		return nil, fmt.Errorf("law: parse act xml: root element is <%s>, want <Statute>: %w", root.Name, ErrNotAct)
	}
	a := &Act{ConsolidatedTo: root.Attr("current-date")}
	if a.ConsolidatedTo == "" {
		a.ConsolidatedTo = root.Attr("pit-date")
	}
	if id := root.Child("Identification"); id != nil {
		a.Title = textOf(id.Child("ShortTitle"))
		a.LongTitle = textOf(id.Child("LongTitle"))
		if a.Title == "" {
			a.Title = a.LongTitle
		}
		if ch := id.Child("Chapter"); ch != nil {
			a.Code = textOf(ch.Child("ConsolidatedNumber"))
			if as := ch.Child("AnnualStatuteId"); as != nil {
				n, y := textOf(as.Child("AnnualStatuteNumber")), textOf(as.Child("YYYY"))
				if n != "" && y != "" {
					a.Chapter = y + ", c. " + n
				}
			}
			if a.Chapter == "" && a.Code != "" {
				a.Chapter = "R.S.C. 1985, c. " + a.Code
			}
		}
	}
	body := root.Child("Body")
	if body == nil {
		return nil, fmt.Errorf("law: parse act xml: <Statute> has no <Body>: %w", ErrNotAct)
	}
	a.Body = parseBody(body)
	if len(a.Body) == 0 {
		return nil, fmt.Errorf("law: parse act xml: <Body> holds no sections: %w", ErrNotAct)
	}
	for _, k := range root.Kids {
		if k.Name == "Schedule" {
			switch k.Attr("id") {
			case "RelatedProvs", "NifProvs":
				continue // editorial: related provisions, amendments not in force
			}
			a.Schedules = append(a.Schedules, parseNode(k, KindSchedule))
		}
	}
	return a, nil
}

// parseBody reads the sections and headings of a Body in order. Headings wrapped in
// grouping elements are flattened.
func parseBody(e *elem) []*Node {
	var out []*Node
	for _, k := range e.Kids {
		switch k.Name {
		case "":
		case "Section", "Heading":
			out = append(out, parseNode(k, provisionKinds[k.Name]))
		case "HistoricalNote", "Footnote", "RunningHead", "PageBreak":
		default:
			out = append(out, parseBody(k)...)
		}
	}
	return out
}

// parseNode reads one provision element and everything under it.
func parseNode(e *elem, kind string) *Node {
	n := &Node{Kind: kind, InForce: e.Attr("inforce-start-date")}
	if kind == KindHeading {
		n.Level = atoi(e.Attr("level"))
		n.Label = textOf(e.Child("Label"))
		n.Text = textOf(e.Child("TitleText"))
		return n
	}
	if kind == KindSchedule {
		if h := e.Child("ScheduleFormHeading"); h != nil {
			n.Label = textOf(h.Child("Label"))
			n.MarginalNote = textOf(h.Child("TitleText"))
		}
	}
	var before, after []string
	for _, k := range e.Kids {
		if k.Name == "" {
			continue
		}
		if kk, ok := provisionKinds[k.Name]; ok {
			n.Children = append(n.Children, parseNode(k, kk))
			continue
		}
		switch k.Name {
		case "Label":
			n.Label = textOf(k)
		case "MarginalNote":
			n.MarginalNote = textOf(k)
		case "Text":
			t := textOf(k)
			if k.Child("Repealed") != nil {
				n.Repealed = true
			}
			if len(n.Children) == 0 {
				before = append(before, t)
			} else {
				after = append(after, t)
			}
		case "HistoricalNote", "Footnote", "ScheduleFormHeading", "ExplanatoryNote":
		default:
			if strings.HasPrefix(k.Name, "Continued") {
				after = append(after, textOf(k))
				continue
			}
			// Grouping elements (SectionPiece, BillPiece, tables): read what they hold.
			sub := parseNode(k, "")
			n.Children = append(n.Children, sub.Children...)
			if sub.Text != "" {
				if len(n.Children) == 0 {
					before = append(before, sub.Text)
				} else {
					after = append(after, sub.Text)
				}
			}
		}
	}
	if kind == KindDefinition {
		if t := e.Child("Text"); t != nil {
			n.Label = textOf(findDeep(t, "DefinedTermEn"))
			if n.Label == "" {
				n.Label = textOf(findDeep(t, "DefinedTermFr"))
			}
		}
	}
	n.Text = strings.Join(nonEmpty(before), " ")
	n.After = strings.Join(nonEmpty(after), " ")
	if kind == "" && n.Text == "" && len(n.Children) == 0 {
		n.Text = textOf(e)
	}
	return n
}

func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func findDeep(e *elem, name string) *elem {
	for _, k := range e.Kids {
		if k.Name == name {
			return k
		}
		if f := findDeep(k, name); f != nil {
			return f
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return n
		}
		n = n*10 + int(r-'0')
	}
	return n
}
