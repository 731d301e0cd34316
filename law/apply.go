package law

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/billwatch/billwatch/diff"
)

// Effect is what one elementary instruction does to an Act.
type Effect struct {
	BillProvision string `json:"bill_provision"` // "4(1)"
	Instruction   string `json:"instruction"`    // as printed
	Kind          string `json:"kind"`           // replaced, added, repealed, words, renumbered
	// Target is the label path in the Act: "47", "71(4)(a)", `2(1) "systemic vulnerability"`.
	// For an addition, the provisions added ("15.1, 15.2").
	Target  string `json:"target"`
	Applied bool   `json:"applied"`
	Reason  string `json:"reason"`
	Before  string `json:"before"`
	After   string `json:"after"`
	// Part says which part of the target, when not the whole: "portion before (a)",
	// "heading before 72.14", "after 15".
	Part string `json:"part,omitempty"`
	// Language is "en" or "fr" when the instruction is limited to one version.
	Language string `json:"language,omitempty"`
	// Note says what billwatch did beyond the letter of the instruction, by drafting
	// convention (a period turned into a semicolon before an added "and").
	Note  string      `json:"note,omitempty"`
	Ops   []diff.Op   `json:"ops,omitempty"`
	Flags []diff.Flag `json:"flags,omitempty"`
	// Sections lists the sections the effect touches ("15.1", "47"), for watches and alerts.
	Sections []string `json:"sections,omitempty"`
	// Change is set when the effect is no bill's instruction but a comparison of two
	// consolidations of an Act (diff-act): "changed", "added" or "gone".
	Change string `json:"change,omitempty"`
}

// loc is where a node sits: its list and index.
type loc struct {
	list *[]*Node
	i    int
}

func (l loc) node() *Node { return (*l.list)[l.i] }

// applier applies actions to one Act.
type applier struct {
	act *Act
	// work is the bytes of provision text word changes have gone through so far; shown
	// is the bytes of before and after text the effects kept.
	work, shown int
}

// Bounds on what one bill may cost, so that a hostile or broken bill text cannot tie up
// the command or the web page (which applies the bill at every request). Real bills stay
// far below them: the longest section of the Telecommunications Act is under 10 kB, and
// a 5 MB omnibus bill's word changes go through a few MB of text. They are variables for
// the tests only.
var (
	// maxProvisionText is how long an instruction may make one provision's text.
	maxProvisionText = 1 << 20
	// maxWordWork is how much provision text one bill's word changes may go through, per Act.
	maxWordWork = 64 << 20
	// maxShownText is how much before and after text the effects on one Act keep; past
	// it, effects are still applied and listed, without their text (and so without a
	// word diff, which costs in proportion to it).
	maxShownText = 8 << 20
	// maxDiffText is the longest before and after text of one effect that is word-diffed.
	maxDiffText = 256 << 10
)

// begin prepares a compound instruction: the sections its actions name are copied in a
// copy of the Act's body, so that undo puts the Act back as it was.
func (ap *applier) begin(actions []action) (undo func()) {
	labels := map[string]bool{}
	for _, a := range actions {
		for _, r := range append(append([]ref(nil), a.targets...), a.anchor) {
			if len(r.path) > 0 {
				labels[strings.ToLower(strings.TrimSpace(r.path[0]))] = true
			}
		}
	}
	orig := ap.act.Body
	work, shown := ap.work, ap.shown
	body := make([]*Node, len(orig))
	for i, n := range orig {
		if n.Kind == KindSection && labels[strings.ToLower(strings.TrimSpace(n.Label))] {
			n = n.clone()
		}
		body[i] = n
	}
	ap.act.Body = body
	return func() { ap.act.Body, ap.work, ap.shown = orig, work, shown }
}

// keep counts the before and after text of an instruction's effects against maxShownText,
// and drops it past the bound.
func (ap *applier) keep(es []Effect) {
	for i := range es {
		n := len(es[i].Before) + len(es[i].After)
		if n == 0 {
			continue
		}
		if ap.shown+n > maxShownText {
			es[i].Before, es[i].After = "", ""
			es[i].Note = strings.TrimPrefix(es[i].Note+"; ", "; ") + fmt.Sprintf("the text before and after is not shown: this bill's effects on the Act already show %d MB", maxShownText>>20)
			continue
		}
		ap.shown += n
	}
}

func notFound(format string, args ...any) error {
	return fmt.Errorf(ReasonNotFound+": "+format, args...)
}

func unsure(format string, args ...any) error {
	return fmt.Errorf(ReasonUnsure+": "+format, args...)
}

// find resolves a label path: a section in the body, then labels below it.
func (ap *applier) find(path []string) (loc, error) {
	if len(path) == 0 {
		return loc{}, notFound("no provision named")
	}
	var at loc
	found := 0
	for i, n := range ap.act.Body {
		if n.Kind == KindSection && sameLabel(n.Label, path[0]) {
			at = loc{&ap.act.Body, i}
			found++
		}
	}
	switch {
	case found == 0:
		return loc{}, notFound("no section %s in the Act", path[0])
	case found > 1:
		return loc{}, unsure("the Act has %d sections labelled %s", found, path[0])
	}
	for d := 1; d < len(path); d++ {
		parent := at.node()
		at = loc{}
		for i, k := range parent.Children {
			if k.Kind != KindDefinition && k.Kind != KindHeading && sameLabel(k.Label, path[d]) {
				at = loc{&parent.Children, i}
				break
			}
		}
		if at.list == nil {
			return loc{}, notFound("no %s in %s", path[d], pathString(path[:d]))
		}
	}
	return at, nil
}

// findKind is find with the kind the instruction names checked.
func (ap *applier) findKind(r ref) (loc, error) {
	l, err := ap.find(r.path)
	if err != nil {
		return l, err
	}
	if k := l.node().Kind; r.kind != "" && k != r.kind {
		return loc{}, notFound("%s is a %s in the Act, not a %s", pathString(r.path), k, r.kind)
	}
	return l, nil
}

func sameLabel(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// pathString writes a label path as a cite: "71(4)(a)".
func pathString(path []string) string { return strings.Join(path, "") }

func refString(r ref) string {
	s := pathString(r.path)
	if len(r.terms) > 0 && r.terms[0] != "to" {
		var qs []string
		for _, t := range r.terms {
			qs = append(qs, `"`+t+`"`)
		}
		s += " " + strings.Join(qs, ", ")
	}
	return s
}

// provisions are the nodes of an amended text that are provisions (not loose text).
func provisions(ns []*Node) []*Node {
	var out []*Node
	for _, n := range ns {
		if n.Kind != KindText {
			out = append(out, n)
		}
	}
	return out
}

func firstNonHeading(ns []*Node) *Node {
	for _, n := range ns {
		if n.Kind != KindHeading {
			return n
		}
	}
	return nil
}

// apply performs one action and fills the effect. An error is the reason it was not
// applied; the Act is then unchanged.
func (ap *applier) apply(a action, amended []*Node, e *Effect) error {
	switch a.kind {
	case aReplace:
		return ap.replace(a, amended, e)
	case aReplaceWithHd:
		return ap.replaceWithHeading(a, amended, e)
	case aReplaceBefore, aReplaceAfter:
		return ap.replacePortion(a, amended, e)
	case aReplaceHeading, aRepealHeading:
		return ap.heading(a, amended, e)
	case aAddAfter, aAddBefore:
		return ap.addBeside(a, amended, e)
	case aAddAlpha:
		return ap.addAlpha(a, amended, e)
	case aAddEnd:
		return ap.addEnd(a, amended, e)
	case aRepeal:
		return ap.repeal(a, e)
	case aRepealWithHd:
		l, err := ap.headed(a)
		if err != nil {
			return err
		}
		if err := ap.repeal(action{kind: aRepeal, targets: a.targets}, e); err != nil {
			return err
		}
		e.Before = render(ap.act.Body[l.i-1:l.i]) + "\n" + e.Before
		splice(&ap.act.Body, l.i-1, l.i, nil)
		return nil
	case aStrike, aReplaceWords, aAddWords:
		return ap.words(a, e)
	case aRenumber:
		return ap.renumber(a, e)
	}
	return fmt.Errorf("%s: %s", ReasonForm, a.kind)
}

// span resolves the targets of an action to one run of siblings.
func (ap *applier) span(targets []ref) (list *[]*Node, from, to int, err error) {
	for i, r := range targets {
		l, err := ap.findKind(r)
		if err != nil {
			return nil, 0, 0, err
		}
		switch {
		case i == 0:
			list, from, to = l.list, l.i, l.i
		case l.list != list:
			return nil, 0, 0, unsure("%s and %s are not in the same provision", pathString(targets[0].path), pathString(r.path))
		case len(r.terms) > 0 && r.terms[0] == "to":
			if l.i < to {
				return nil, 0, 0, unsure("the range ends before it starts")
			}
			to = l.i
		case l.i != to+1 || hasHeadingBetween(*list, to, l.i):
			return nil, 0, 0, unsure("%s does not follow %s", pathString(r.path), pathString(targets[i-1].path))
		default:
			to = l.i
		}
	}
	// Headings between sections of a range stay where they are only if none lies inside.
	if hasHeadingBetween(*list, from, to) {
		return nil, 0, 0, unsure("a heading lies inside %s to %s", pathString(targets[0].path), pathString(targets[len(targets)-1].path))
	}
	return list, from, to, nil
}

func hasHeadingBetween(list []*Node, from, to int) bool {
	for i := from + 1; i < to; i++ {
		if list[i].Kind == KindHeading {
			return true
		}
	}
	return false
}

func (ap *applier) replace(a action, amended []*Node, e *Effect) error {
	if len(a.targets) == 1 && len(a.targets[0].terms) > 0 {
		return ap.replaceDefinitions(a, amended, e)
	}
	if ls, ok := ap.separate(a.targets); ok {
		return ap.replaceSeparate(a, ls, provisions(amended), e)
	}
	list, from, to, err := ap.span(a.targets)
	if err != nil {
		return err
	}
	news := provisions(amended)
	first := firstNonHeading(news)
	old := (*list)[from]
	switch {
	case first == nil:
		return unsure("the instruction sets out no provision")
	case first.Kind != old.Kind || !sameLabel(first.Label, old.Label):
		return unsure("the new text begins with %s %s, not %s %s", first.Kind, first.Label, old.Kind, old.Label)
	case first != news[0]:
		return unsure("the new text of %s begins with a heading", pathString(a.targets[0].path))
	}
	// Provisions the new text adds beyond those it replaces must not exist beside them.
	others := append(append([]*Node(nil), (*list)[:from]...), (*list)[to+1:]...)
	if err := noClash(others, news); err != nil {
		return err
	}
	e.Before = render((*list)[from : to+1])
	splice(list, from, to+1, cloneAll(news))
	e.After = render(news)
	return nil
}

// replaceSeparate replaces provisions that are not next to each other ("Paragraphs
// 71(4)(a) and (c) … are replaced by the following"): the new text sets out each in turn,
// and each is replaced by its own, with what follows it up to the next.
func (ap *applier) replaceSeparate(a action, ls []loc, news []*Node, e *Effect) error {
	var groups [][]*Node
	k := 0
	for i, l := range ls {
		old := l.node()
		if k >= len(news) || news[k].Kind != old.Kind || !sameLabel(news[k].Label, old.Label) {
			return unsure("the new text does not set out %s in its place", pathString(a.targets[i].path))
		}
		end := k + 1
		for end < len(news) && (i+1 >= len(ls) || !(news[end].Kind == ls[i+1].node().Kind && sameLabel(news[end].Label, ls[i+1].node().Label))) {
			end++
		}
		groups = append(groups, news[k:end])
		k = end
	}
	for i, l := range ls {
		others := append(append([]*Node(nil), (*l.list)[:l.i]...), (*l.list)[l.i+1:]...)
		if err := noClash(others, groups[i]); err != nil {
			return err
		}
	}
	var before []*Node
	for _, l := range ls {
		before = append(before, l.node())
	}
	e.Before = render(before)
	// From the last back, so that the earlier places stay valid.
	for i := len(ls) - 1; i >= 0; i-- {
		splice(ls[i].list, ls[i].i, ls[i].i+1, cloneAll(groups[i]))
	}
	e.After = render(news)
	return nil
}

// replaceWithHeading replaces "Section 5 and the heading before it".
func (ap *applier) replaceWithHeading(a action, amended []*Node, e *Effect) error {
	l, err := ap.headed(a)
	if err != nil {
		return err
	}
	news := provisions(amended)
	if len(news) < 2 || news[0].Kind != KindHeading || !sameLabel(news[1].Label, l.node().Label) {
		return unsure("the new text is not a heading followed by %s", pathString(a.targets[0].path))
	}
	e.Before = render(ap.act.Body[l.i-1 : l.i+1])
	splice(l.list, l.i-1, l.i+1, cloneAll(news))
	e.After = render(news)
	return nil
}

func (ap *applier) replaceDefinitions(a action, amended []*Node, e *Effect) error {
	r := a.targets[0]
	l, err := ap.findKind(ref{kind: r.kind, path: r.path})
	if err != nil {
		return err
	}
	parent := l.node()
	var idx []int
	for _, term := range r.terms {
		i := definitionIndex(parent, term)
		if i < 0 {
			return notFound("no definition “%s” in %s", term, pathString(r.path))
		}
		idx = append(idx, i)
	}
	news := provisions(amended)
	for _, n := range news {
		if n.Kind != KindDefinition {
			return unsure("the new text holds a %s, not definitions", n.Kind)
		}
	}
	var before []*Node
	replaced := map[string]bool{}
	for _, i := range idx {
		before = append(before, parent.Children[i])
		replaced[termKey(parent.Children[i].Label)] = true
	}
	// Checked before anything changes: a refused instruction leaves the Act as it was.
	seen := map[string]bool{}
	for _, n := range news {
		k := termKey(n.Label)
		if seen[k] || (definitionIndex(parent, n.Label) >= 0 && !replaced[k]) {
			return unsure("“%s” would be defined twice in %s", n.Label, pathString(r.path))
		}
		seen[k] = true
	}
	e.Before = render(before)
	sort.Sort(sort.Reverse(sort.IntSlice(idx)))
	for _, i := range idx {
		splice(&parent.Children, i, i+1, nil)
	}
	for _, n := range news {
		insertAlpha(parent, n.clone())
	}
	e.After = render(news)
	return nil
}

func definitionIndex(parent *Node, term string) int {
	for i, k := range parent.Children {
		if k.Kind == KindDefinition && termKey(k.Label) == termKey(term) {
			return i
		}
	}
	return -1
}

// termKey orders and compares defined terms: letters and digits only, lower case.
func termKey(t string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(t) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// insertAlpha puts a definition among its siblings in alphabetical order.
func insertAlpha(parent *Node, n *Node) {
	key := termKey(n.Label)
	at := -1
	last := -1
	for i, k := range parent.Children {
		if k.Kind != KindDefinition {
			continue
		}
		last = i
		if at < 0 && termKey(k.Label) > key {
			at = i
		}
	}
	switch {
	case at >= 0:
	case last >= 0:
		at = last + 1
	default:
		at = len(parent.Children)
	}
	splice(&parent.Children, at, at, []*Node{n})
}

func (ap *applier) replacePortion(a action, amended []*Node, e *Effect) error {
	l, err := ap.findKind(a.targets[0])
	if err != nil {
		return err
	}
	t := l.node()
	idx := -1
	for i, k := range t.Children {
		if sameLabel(k.Label, a.anchor.path[len(a.anchor.path)-1]) && k.Kind == a.anchor.kind {
			idx = i
		}
	}
	if idx < 0 {
		return notFound("no %s %s in %s", a.anchor.kind, a.anchor.path[len(a.anchor.path)-1], pathString(a.targets[0].path))
	}
	// The new portion: loose text, or the provision's own text set out with its label.
	var text, note string
	for _, n := range amended {
		switch {
		case n.Kind == KindText:
			text = n.Text
		case sameLabel(n.Label, t.Label) && n.Kind == t.Kind && len(n.Children) == 0:
			text, note = n.Text, n.MarginalNote
		default:
			return unsure("the new portion holds %s %s", n.Kind, n.Label)
		}
	}
	if text == "" {
		return unsure("the instruction sets out no text")
	}
	e.Part = "portion " + map[string]string{aReplaceBefore: "before ", aReplaceAfter: "after "}[a.kind] + a.anchor.path[len(a.anchor.path)-1]
	if a.kind == aReplaceBefore {
		if idx != firstProvision(t) {
			return unsure("%s is not the first provision of %s", a.anchor.path[len(a.anchor.path)-1], pathString(a.targets[0].path))
		}
		e.Before, e.After = t.Text, text
		t.Text = text
	} else {
		if idx != len(t.Children)-1 {
			return unsure("%s is not the last provision of %s", a.anchor.path[len(a.anchor.path)-1], pathString(a.targets[0].path))
		}
		if t.After == "" {
			return notFound("no text after %s in %s", a.anchor.path[len(a.anchor.path)-1], pathString(a.targets[0].path))
		}
		e.Before, e.After = t.After, text
		t.After = text
	}
	if note != "" && note != t.MarginalNote {
		e.Before = "[" + t.MarginalNote + "]\n" + e.Before
		e.After = "[" + note + "]\n" + e.After
		t.MarginalNote = note
	}
	return nil
}

func firstProvision(t *Node) int {
	for i, k := range t.Children {
		if k.Kind != KindHeading {
			return i
		}
	}
	return -1
}

func (ap *applier) heading(a action, amended []*Node, e *Effect) error {
	l, err := ap.findKind(a.anchor)
	if err != nil {
		return err
	}
	e.Part = "heading before " + pathString(a.anchor.path)
	if l.list != &ap.act.Body || l.i == 0 || ap.act.Body[l.i-1].Kind != KindHeading {
		return notFound("no heading before %s", pathString(a.anchor.path))
	}
	old := ap.act.Body[l.i-1]
	if a.kind == aRepealHeading {
		e.Before = render([]*Node{old})
		splice(&ap.act.Body, l.i-1, l.i, nil)
		return nil
	}
	news := provisions(amended)
	if len(news) != 1 || news[0].Kind != KindHeading {
		return unsure("the new text is not one heading")
	}
	e.Before = render([]*Node{old})
	ap.act.Body[l.i-1] = news[0].clone()
	e.After = render(news)
	return nil
}

func (ap *applier) addBeside(a action, amended []*Node, e *Effect) error {
	l, err := ap.findKind(a.anchor)
	if err != nil {
		return err
	}
	news := provisions(amended)
	first := firstNonHeading(news)
	if first == nil {
		return unsure("the instruction sets out no provision")
	}
	if first.Kind != l.node().Kind {
		return unsure("adds a %s %s beside %s %s", first.Kind, first.Label, l.node().Kind, pathString(a.anchor.path))
	}
	if err := noClash(*l.list, news); err != nil {
		return err
	}
	at := l.i + 1
	if a.kind == aAddBefore {
		at = l.i
		e.Part = "before " + pathString(a.anchor.path)
	} else {
		e.Part = "after " + pathString(a.anchor.path)
	}
	splice(l.list, at, at, cloneAll(news))
	e.After = render(news)
	return nil
}

// noClash refuses to add a provision whose label its new siblings already use.
func noClash(siblings, news []*Node) error {
	for _, n := range news {
		if n.Kind == KindHeading {
			continue
		}
		for _, s := range siblings {
			if s.Kind == n.Kind && sameLabel(s.Label, n.Label) {
				return unsure("%s %s already exists", n.Kind, n.Label)
			}
		}
	}
	return nil
}

// headed finds the section a heading instruction names, which must follow a heading in the
// Act's body.
func (ap *applier) headed(a action) (loc, error) {
	l, err := ap.findKind(a.targets[0])
	if err != nil {
		return l, err
	}
	if l.list != &ap.act.Body || l.i == 0 || ap.act.Body[l.i-1].Kind != KindHeading {
		return l, notFound("no heading before %s", pathString(a.targets[0].path))
	}
	return l, nil
}

// additions finds the provision an "adds" instruction names and the provisions it sets out
// (what names them in the error when there are none).
func (ap *applier) additions(a action, amended []*Node, what string) (*Node, []*Node, error) {
	l, err := ap.findKind(a.targets[0])
	if err != nil {
		return nil, nil, err
	}
	news := provisions(amended)
	if len(news) == 0 {
		return nil, nil, unsure("the instruction sets out no %s", what)
	}
	return l.node(), news, nil
}

func (ap *applier) addAlpha(a action, amended []*Node, e *Effect) error {
	parent, news, err := ap.additions(a, amended, "definition")
	if err != nil {
		return err
	}
	for _, n := range news {
		if n.Kind != KindDefinition {
			return unsure("adds a %s in alphabetical order", n.Kind)
		}
		if definitionIndex(parent, n.Label) >= 0 {
			return unsure("“%s” is already defined in %s", n.Label, pathString(a.targets[0].path))
		}
	}
	for _, n := range news {
		insertAlpha(parent, n.clone())
	}
	e.After = render(news)
	return nil
}

func (ap *applier) addEnd(a action, amended []*Node, e *Effect) error {
	parent, news, err := ap.additions(a, amended, "provision")
	if err != nil {
		return err
	}
	if parent.After != "" {
		return unsure("%s ends with text after its provisions; where the addition goes is not said", pathString(a.targets[0].path))
	}
	for _, n := range news {
		if n.Kind == KindSection || n.Kind == KindHeading || n.Kind == KindText {
			return unsure("adds a %s inside %s", n.Kind, pathString(a.targets[0].path))
		}
	}
	if err := noClash(parent.Children, news); err != nil {
		return err
	}
	parent.Children = append(parent.Children, cloneAll(news)...)
	e.Part = "at the end of " + pathString(a.targets[0].path)
	e.After = render(news)
	return nil
}

func (ap *applier) repeal(a action, e *Effect) error {
	if len(a.targets) == 1 && len(a.targets[0].terms) > 0 {
		r := a.targets[0]
		l, err := ap.findKind(ref{kind: r.kind, path: r.path})
		if err != nil {
			return err
		}
		parent := l.node()
		var idx []int
		var before []*Node
		for _, term := range r.terms {
			i := definitionIndex(parent, term)
			if i < 0 {
				return notFound("no definition “%s” in %s", term, pathString(r.path))
			}
			idx = append(idx, i)
			before = append(before, parent.Children[i])
		}
		e.Before = render(before)
		sort.Sort(sort.Reverse(sort.IntSlice(idx)))
		for _, i := range idx {
			splice(&parent.Children, i, i+1, nil)
		}
		return nil
	}
	// "Sections 69.5 and 72.1", "Paragraphs 71(4)(a) and (c)": a list of provisions that
	// are not next to each other is repealed one by one.
	var runs []loc
	var before []*Node
	if l, ok := ap.separate(a.targets); ok {
		for _, x := range l {
			runs = append(runs, x, x)
			before = append(before, x.node())
		}
	} else {
		list, from, to, err := ap.span(a.targets)
		if err != nil {
			return err
		}
		runs = append(runs, loc{list, from}, loc{list, to})
		before = append(before, (*list)[from:to+1]...)
	}
	repealed, live := 0, 0
	for _, n := range before {
		switch {
		case n.Kind == KindHeading:
		case n.Repealed:
			repealed++
		default:
			live++
		}
	}
	if live == 0 && repealed > 0 {
		stub := before[0]
		for _, n := range before {
			if n.Repealed {
				stub = n
				break
			}
		}
		verb := "is"
		if len(before) > 1 {
			verb = "are"
		}
		return fmt.Errorf("%s: %s %s already repealed (%s)", ReasonAlready, strings.Join(labelsOf(a.targets), ", "), verb, stub.Text)
	}
	e.Before = render(before)
	for k := 0; k < len(runs); k += 2 {
		list := runs[k].list
		for i := runs[k].i; i <= runs[k+1].i; i++ {
			old := (*list)[i]
			if old.Kind == KindHeading || old.Repealed {
				continue
			}
			(*list)[i] = &Node{Kind: old.Kind, Label: old.Label, Text: "[Repealed]", Repealed: true}
		}
	}
	return nil
}

func labelsOf(rs []ref) []string {
	var out []string
	for _, r := range rs {
		out = append(out, pathString(r.path))
	}
	return out
}

// separate resolves a list of provisions ("69.5 and 72.1", "(a), (c) and (e)"), not a
// range, that are not one run of siblings. ok is false for a range, a single provision,
// a run of siblings, or a target that is not found (span then says why).
func (ap *applier) separate(targets []ref) ([]loc, bool) {
	if len(targets) < 2 {
		return nil, false
	}
	var out []loc
	adjacent := true
	for i, r := range targets {
		if len(r.terms) > 0 {
			return nil, false
		}
		l, err := ap.findKind(r)
		if err != nil {
			return nil, false
		}
		for _, x := range out {
			if x.list == l.list && x.i == l.i {
				return nil, false // the same provision twice
			}
		}
		if i > 0 {
			prev := out[i-1]
			if prev.list != l.list || l.i != prev.i+1 || hasHeadingBetween(*l.list, prev.i, l.i) {
				adjacent = false
			}
			if prev.list == l.list && l.i < prev.i {
				return nil, false // out of order: the drafter's list is not the Act's
			}
		}
		out = append(out, l)
	}
	if adjacent {
		return nil, false
	}
	return out, true
}

// textRef is one text field of a node under a target, for word changes.
type textRef struct {
	s    *string
	node *Node
}

func texts(n *Node, out []textRef) []textRef {
	if n.Text != "" {
		out = append(out, textRef{&n.Text, n})
	}
	for _, k := range n.Children {
		out = texts(k, out)
	}
	if n.After != "" {
		out = append(out, textRef{&n.After, n})
	}
	return out
}

// wordIndexes finds whole-word occurrences of w in s, comparing with quotes folded.
func wordIndexes(s, w string) []int {
	if w == "" {
		return nil
	}
	fs, fw := foldQuotes(s), foldQuotes(w)
	var out []int
	for from := 0; from <= len(fs)-len(fw); {
		i := strings.Index(fs[from:], fw)
		if i < 0 {
			break
		}
		i += from
		if boundary(fs, i, true) && boundary(fs, i+len(fw), false) {
			out = append(out, i)
			from = i + len(fw) // occurrences do not overlap
			continue
		}
		from = i + 1
	}
	return out
}

// boundary reports whether position i of s is not inside a word.
func boundary(s string, i int, start bool) bool {
	if start {
		if i == 0 {
			return true
		}
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// foldQuotes straightens quotes byte-for-byte in length: curly quotes are three bytes, so
// they become three-byte placeholders that compare equal to each other.
func foldQuotes(s string) string { return quoteFolder.Replace(s) }

var quoteFolder = strings.NewReplacer("‘", "'\x00\x00", "’", "'\x00\x00", "“", "\"\x00\x00", "”", "\"\x00\x00")

func (ap *applier) words(a action, e *Effect) error {
	scopeRef := a.targets[0]
	if a.anchor.path != nil {
		scopeRef = a.anchor
	}
	var scope *Node
	if len(scopeRef.terms) == 1 && scopeRef.terms[0] != "to" {
		// The definition “x” in subsection 2(1).
		l, err := ap.findKind(ref{kind: scopeRef.kind, path: scopeRef.path})
		if err != nil {
			return err
		}
		i := definitionIndex(l.node(), scopeRef.terms[0])
		if i < 0 {
			return notFound("no definition “%s” in %s", scopeRef.terms[0], pathString(scopeRef.path))
		}
		scope = l.node().Children[i]
		e.Target = refString(scopeRef)
	} else if len(scopeRef.terms) > 1 {
		return fmt.Errorf("%s: words changed in several definitions at once", ReasonForm)
	} else {
		l, err := ap.findKind(scopeRef)
		if err != nil {
			return err
		}
		scope = l.node()
		e.Target = pathString(scopeRef.path)
	}
	if ap.work += textSize(scope); ap.work > maxWordWork {
		return unsure("this bill's word changes to the Act go through more than %d MB of text", maxWordWork>>20)
	}
	before := render([]*Node{scope})
	if a.where == "at-end" {
		// The last text of the provision: its text after its children, else its own text
		// when it has no children.
		var s *string
		switch {
		case scope.After != "":
			s = &scope.After
		case len(scope.Children) == 0:
			s = &scope.Text
		default:
			return unsure("%s ends with a provision, not text", e.Target)
		}
		switch a.kind {
		case aAddWords:
			t := strings.TrimRight(*s, " ")
			// Words already at the end (the Act already amended, or the bill's numbering
			// behind the consolidation) are not added a second time.
			if endsWithWords(t, a.words) {
				return fmt.Errorf("%s: “%s” is already at the end of %s", ReasonAlready, a.words, e.Target)
			}
			// Drafting convention: a conjunction added at the end of what was the last
			// paragraph turns its final period into a semicolon.
			if w := strings.ToLower(a.words); (w == "and" || w == "or") && strings.HasSuffix(t, ".") {
				t = strings.TrimSuffix(t, ".") + ";"
				e.Note = "the final period becomes a semicolon before the added “" + a.words + "”"
			}
			if textSize(scope)+len(a.words)+1 > maxProvisionText {
				return unsure("the change would make %s longer than %d kB", e.Target, maxProvisionText>>10)
			}
			*s = t + " " + a.words
		case aStrike, aReplaceWords:
			idx := wordIndexes(*s, a.words)
			if len(idx) == 0 || strings.TrimSpace((*s)[idx[len(idx)-1]+len(a.words):]) != "" {
				return notFound("“%s” is not at the end of %s", a.words, e.Target)
			}
			i := idx[len(idx)-1]
			*s = tidySpaces((*s)[:i] + a.with)
		}
	} else {
		needle := a.words
		if a.kind == aAddWords {
			needle = a.with
		}
		type hit struct {
			t textRef
			i int
		}
		var hits []hit
		for _, t := range texts(scope, nil) {
			for _, i := range wordIndexes(*t.s, needle) {
				hits = append(hits, hit{t, i})
			}
		}
		switch {
		case len(hits) == 0:
			return notFound("“%s” is not in %s", needle, e.Target)
		case len(hits) > 1 && !a.all:
			return unsure("“%s” occurs %d times in %s and the instruction does not say which", needle, len(hits), e.Target)
		}
		// Each text is rebuilt once, in one pass over its hits, and checked against the
		// bound before anything changes.
		type change struct {
			s   *string
			new string
		}
		delta := 0
		switch a.kind {
		case aStrike:
			delta = -len(needle)
		case aReplaceWords:
			delta = len(a.with) - len(needle)
		case aAddWords:
			delta = len(a.words) + 1
		}
		if textSize(scope)+len(hits)*delta > maxProvisionText {
			return unsure("the change would make %s longer than %d kB", e.Target, maxProvisionText>>10)
		}
		var changes []change
		for k := 0; k < len(hits); {
			t := hits[k].t
			old := *t.s
			var sb strings.Builder
			last := 0
			for ; k < len(hits) && hits[k].t.s == t.s; k++ {
				i := hits[k].i
				switch a.kind {
				case aStrike:
					sb.WriteString(old[last:i])
				case aReplaceWords:
					sb.WriteString(old[last:i])
					sb.WriteString(a.with)
				case aAddWords:
					if a.where == "after" {
						sb.WriteString(old[last : i+len(needle)])
						sb.WriteString(" " + a.words)
					} else {
						sb.WriteString(old[last:i])
						sb.WriteString(a.words + " ")
						sb.WriteString(needle)
					}
				}
				last = i + len(needle)
			}
			sb.WriteString(old[last:])
			changes = append(changes, change{t.s, tidySpaces(sb.String())})
		}
		for _, c := range changes {
			*c.s = c.new
		}
	}
	e.Before, e.After = before, render([]*Node{scope})
	return nil
}

// tidySpaces folds double spaces and drops a space before closing punctuation, after words
// are struck out.
func tidySpaces(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	for _, p := range []string{",", ";", ".", ":", ")"} {
		s = strings.ReplaceAll(s, " "+p, p)
	}
	return strings.TrimSpace(s)
}

func (ap *applier) renumber(a action, e *Effect) error {
	r := a.targets[0]
	l, err := ap.findKind(r)
	if err != nil {
		return err
	}
	old := l.node()
	e.Before = render([]*Node{old})
	nr := a.newRef
	switch {
	// Section 5 is renumbered as subsection 5(1).
	case r.kind == KindSection && nr.kind == KindSubsection && len(nr.path) == 2 && sameLabel(nr.path[0], r.path[0]):
		// A section that already has subsections cannot become one of them: its (1), (2)…
		// would end up inside the new subsection.
		for _, k := range old.Children {
			if k.Kind == KindSubsection {
				return unsure("section %s already has subsections (%s…); renumbering it as %s would put them inside %s", old.Label, k.Label, pathString(nr.path), nr.path[1])
			}
		}
		if old.Repealed {
			return unsure("section %s is repealed", old.Label)
		}
		sub := &Node{Kind: KindSubsection, Label: nr.path[1], Text: old.Text, After: old.After, Children: old.Children}
		(*l.list)[l.i] = &Node{Kind: KindSection, Label: old.Label, MarginalNote: old.MarginalNote, InForce: old.InForce, Children: []*Node{sub}}
	// Subsection 5(3) is renumbered as subsection 5(4): same kind, same parent.
	case r.kind == nr.kind && len(nr.path) == len(r.path) && pathString(nr.path[:len(nr.path)-1]) == pathString(r.path[:len(r.path)-1]):
		newLabel := nr.path[len(nr.path)-1]
		for _, s := range *l.list {
			if s.Kind == old.Kind && sameLabel(s.Label, newLabel) {
				return unsure("%s %s already exists", nr.kind, pathString(nr.path))
			}
		}
		old.Label = newLabel
	default:
		return fmt.Errorf("%s: renumbering a %s as a %s", ReasonForm, r.kind, nr.kind)
	}
	e.After = render([]*Node{(*l.list)[l.i]})
	return nil
}

func splice(list *[]*Node, from, to int, with []*Node) {
	s := *list
	out := make([]*Node, 0, len(s)-(to-from)+len(with))
	out = append(out, s[:from]...)
	out = append(out, with...)
	out = append(out, s[to:]...)
	*list = out
}

// endsWithWords reports whether s ends with the words w, before any closing punctuation
// ("…; and" ends with "and").
func endsWithWords(s, w string) bool {
	s = strings.TrimRight(s, " .,;:")
	idx := wordIndexes(s, w)
	return len(idx) > 0 && strings.TrimSpace(s[idx[len(idx)-1]+len(w):]) == ""
}

// textSize is the bytes of text a provision holds, with everything under it.
func textSize(n *Node) int {
	size := len(n.Label) + len(n.MarginalNote) + len(n.Text) + len(n.After)
	for _, k := range n.Children {
		size += textSize(k)
	}
	return size
}
