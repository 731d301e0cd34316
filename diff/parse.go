package diff

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/billwatch/billwatch/internal/xmltree"
)

// ErrNotBill means the input is well-formed XML but not a bill text: another kind of
// document (a committee transcript, a LEGISinfo record), or a bill with no body.
var ErrNotBill = errors.New("not a bill text")

// bom is UTF-8's byte-order mark, which a bill text may start with.
const bom = "\xef\xbb\xbf"

// ErrEmpty means the input holds no XML at all.
var ErrEmpty = errors.New("empty input")

// maxDepth bounds element nesting so that hostile input cannot exhaust the stack.
const maxDepth = 512

// Document is one version of a bill's law text as a provision tree. Identification,
// the summary, the recommendation, the table of provisions, the enacting formula, running
// heads and explanatory notes are left out: they are not law text.
type Document struct {
	Bill    string // "C-8"
	Title   string // short title, else long title
	Stage   string // as the XML names it: "first-reading-house", "report-house"...
	Version string // the version slug for Stage: "first-reading", "amended-by-committee"...
	// Provisions are the top-level provisions: the preamble if any, the sections of the
	// body, then the schedules, in document order.
	Provisions []*Provision
}

// Provision is one unit of law text: a section, subsection, paragraph, subparagraph,
// clause, definition, schedule, table row, heading or preamble. Its children hold the
// nested units, including the provisions of text an amending section sets out.
type Provision struct {
	Kind         string // "section", "subsection", "paragraph", "definition", "schedule"...
	Label        string // its own label as printed: "12", "(1)", "(a)", "SCHEDULE 1"
	Cite         string // where it is, readable alone: "12(1)(a)", "in the Act enacted by s. 11, s. 9(1)"
	MarginalNote string
	Heading      string // the headings above it: "PART 1 Telecommunications Act › Amendments"
	Text         string // its own normalised text, without its children's
	// Marked is true when the source flags the provision or part of its text as inserted
	// (Ins or change="ins"). Publishers use it for text a stage added; it is a hint only.
	Marked   bool
	Children []*Provision

	key      string      // sibling matching key: kind, scope and label
	scope    string      // the scope prefix of Cite ("the Act enacted by s. 11"), empty outside
	scopeKey string      // the scope's identity for matching, stable when the owner is renumbered
	local    string      // the cite inside the scope: "s. 9(1)"
	textKey  string      // fold(Text)
	noteKey  string      // fold(MarginalNote)
	content  uint64      // hash of kind, note, text and the children's keys: where to look for equal content
	sh       *shingleSet // its word pairs, made on first use (shingle.go)
	copied   bool        // a copy of the other version's provision: all but key is done (reuse.go)
	lazy     *lazyMake   // not made yet: only its kind, label and key are known (reuse.go)
}

// node is an XML element or a run of char data (with an empty name), as xmltree reads it.
type node = xmltree.Node

// The marks diff keeps on nodes (xmltree.Node.Mark, the caller's own): indexed marks an
// element that another version may take whole, and taken one that it took (reuse.go).
const (
	indexed uint8 = 1 << iota
	taken
)

// ParseFile reads and parses one bill XML file; an error names the file.
func ParseFile(path string) (*Document, error) {
	s, err := readFile(path)
	if err != nil {
		return nil, err
	}
	d, err := parseString(s)
	if err != nil {
		return nil, fmt.Errorf("diff: %s: %w", path, err)
	}
	return d, nil
}

// Parse reads a bill XML text (LEGISinfo/DocumentViewer export) into its provision tree.
func Parse(r io.Reader) (*Document, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("diff: read bill: %w", err)
	}
	return ParseBytes(b)
}

// ParseBytes is Parse on bytes.
func ParseBytes(b []byte) (*Document, error) {
	d, err := parseString(string(b))
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	return d, nil
}

// readFile reads a file into a string, without the copy that converting its bytes would make.
func readFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("diff: read bill: %w", err)
	}
	defer f.Close()
	var sb strings.Builder
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() < 1<<31 {
		sb.Grow(int(fi.Size()) + 1) // one more, so that the read ending at EOF needs no growth
	}
	if _, err := io.Copy(&sb, f); err != nil {
		return "", fmt.Errorf("diff: read bill: %w", err)
	}
	return sb.String(), nil
}

func parseString(s string) (*Document, error) {
	root, _, err := readVersion(s, nil)
	if err != nil {
		return nil, err
	}
	return (&parser{}).document(root)
}

// readVersion reads a bill text into its XML tree, taking from the version before every
// element it can if prev indexes it. It also returns the text the tree's offsets refer to.
func readVersion(s string, prev *reuseIndex) (*node, string, error) {
	s = strings.TrimPrefix(s, bom)
	if strings.TrimSpace(s) == "" {
		return nil, "", fmt.Errorf("parse bill xml: %w", ErrEmpty)
	}
	opt := xmltree.Options{MaxDepth: maxDepth}
	if prev != nil {
		opt.Take = prev.take
	}
	root, s, err := xmltree.Read(s, opt)
	if err != nil {
		return nil, "", fmt.Errorf("parse bill xml: %w", err)
	}
	return root, s, nil
}

// document makes the provision tree of a bill's XML tree.
func (p *parser) document(root *node) (*Document, error) {
	if root.Name != "Bill" {
		return nil, fmt.Errorf("parse bill xml: root element is <%s>, want <Bill>: %w", root.Name, ErrNotBill)
	}
	d := &Document{}
	identify(d, root.Child("Identification"))
	body := false
	for _, k := range root.Kids {
		switch k.Name {
		case "Introduction":
			// The preamble is part of the enactment (Interpretation Act, s. 13); the
			// recommendation, summary, table of provisions and enacting formula are not.
			if pre := k.Child("Preamble"); pre != nil {
				d.Provisions = append(d.Provisions, p.preamble(pre, nesting{}))
			}
		case "Body":
			body = true
			d.Provisions = append(d.Provisions, p.body(k, nesting{top: true})...)
		case "Schedule":
			d.Provisions = append(d.Provisions, p.provision(k, "schedule", nesting{}, ""))
		}
	}
	if !body {
		return nil, fmt.Errorf("parse bill xml: <Bill> has no <Body>: %w", ErrNotBill)
	}
	if len(d.Provisions) == 0 {
		return nil, fmt.Errorf("parse bill xml: <Body> holds no provisions: %w", ErrNotBill)
	}
	finish(d.Provisions)
	return d, nil
}

// identify sets a document's bill number, title, stage and version from its Identification
// element, if it has one.
func identify(d *Document, id *node) {
	if id == nil {
		return
	}
	d.Bill = normalize(textOf(id.Child("BillNumber")))
	d.Title = normalize(textOf(id.Child("ShortTitle")))
	if d.Title == "" {
		d.Title = normalize(textOf(id.Child("LongTitle")))
	}
	if h := id.Child("BillHistory"); h != nil {
		for _, st := range h.Kids {
			if st.Name == "Stages" && st.Attr("stage") != "" {
				d.Stage = st.Attr("stage") // the last one is the current stage
			}
		}
	}
	d.Version = versionSlug(d.Stage)
}

// versionSlug maps the stage the bill XML names to billwatch's version slug.
func versionSlug(stage string) string {
	switch {
	case stage == "":
		return ""
	case strings.HasPrefix(stage, "first-reading"):
		return "first-reading"
	case strings.HasPrefix(stage, "report"):
		return "amended-by-committee"
	case stage == "third-reading-house":
		return "passed-house"
	case stage == "third-reading-senate":
		return "passed-senate"
	case stage == "assented-to" || strings.HasPrefix(stage, "royal-assent"):
		return "royal-assent"
	}
	return stage
}

// textOf is the raw character data of n and its descendants.
func textOf(n *node) string {
	if n == nil {
		return ""
	}
	return flatText(n, nil)
}

// flatText is what appendText writes for n, without a copy when n holds one run of text.
func flatText(n *node, marked *bool) string {
	switch n.Name {
	case "":
		return n.Data
	case "PageBreak", "FootnoteRef", "ExplanatoryNote", "Ins":
	default:
		if len(n.Kids) == 1 && n.Kids[0].Name == "" {
			return n.Kids[0].Data
		}
		if len(n.Kids) == 0 {
			return ""
		}
	}
	var sb strings.Builder
	appendText(&sb, n, marked)
	return sb.String()
}

// appendText writes n's character data; marked is set when some of it lies inside Ins.
func appendText(sb *strings.Builder, n *node, marked *bool) {
	if n.Name == "" {
		sb.WriteString(n.Data)
		return
	}
	switch n.Name {
	case "PageBreak":
		sb.WriteByte(' ') // "terms<PageBreak />are" is two words
		return
	case "FootnoteRef", "ExplanatoryNote":
		return
	case "Ins":
		if marked != nil && strings.TrimSpace(textOf(n)) != "" {
			*marked = true
		}
	}
	for _, k := range n.Kids {
		appendText(sb, k, marked)
	}
}

// nesting is where a provision sits: the scope of amending text it is in and its parent.
type nesting struct {
	scope    string // "the Act enacted by s. 11"; empty in the bill's own text
	scopeKey string // scope identity for matching, stable across renumbering
	parent   string // the parent's local cite; empty at the top of a scope
	heading  string // the heading trail
	top      bool   // directly in the bill's body: sections are "12", not "s. 12"
}

type parser struct {
	prev  *reuseIndex // the version before, to copy provisions from; or nil
	index *reuseIndex // this version's index, to remember provisions in; or nil
	lazy  bool        // leave unmade the provisions of elements the next version took whole
}

// provisionKind is the provision kind of an element name, if it names one. A switch, not a
// map: it is asked of every element under a provision.
func provisionKind(name string) (string, bool) {
	switch name {
	case "Section":
		return "section", true
	case "Subsection":
		return "subsection", true
	case "Paragraph":
		return "paragraph", true
	case "Subparagraph":
		return "subparagraph", true
	case "Clause":
		return "clause", true
	case "Subclause":
		return "subclause", true
	case "Subsubclause":
		return "subsubclause", true
	case "Definition":
		return "definition", true
	case "Provision":
		return "provision", true
	case "Schedule":
		return "schedule", true
	case "row":
		return "row", true
	case "Item":
		return "item", true
	case "Heading":
		return "heading", true
	}
	return "", false
}

// skipped says whether elements of the name carry no law text.
func skipped(name string) bool {
	switch name {
	case "ExplanatoryNote", "RunningHead", "Identification", "PageBreak",
		"TableOfProvisions", "colspec", "spanspec", "FootnoteRef",
		"Footnote", "ImageGroup", "Image", "HistoricalNote",
		"OriginatingRef", "Recommendation", "Summary", "Enacts":
		return true
	}
	return false
}

// body reads the sections of a Body (the bill's or an enacted Act's), keeping the headings
// above each as context.
func (p *parser) body(n *node, c nesting) []*Provision {
	var out []*Provision
	var trail []string // by level
	eachInBody(n, func(k *node) {
		switch k.Name {
		case "Heading":
			lvl, _ := strconv.Atoi(k.Attr("level"))
			if lvl < 1 {
				lvl = 1
			}
			if lvl > 16 {
				lvl = 16
			}
			for len(trail) < lvl {
				trail = append(trail, "")
			}
			trail = trail[:lvl]
			trail[lvl-1] = headingText(k)
		case "Section":
			cc := c
			cc.heading = joinTrail(trail)
			out = append(out, p.provision(k, "section", cc, ""))
		case "Schedule":
			out = append(out, p.provision(k, "schedule", c, ""))
		}
	})
	return out
}

// eachInBody calls f with each Heading, Section and Schedule of a Body in order, through the
// elements that hold them but those that carry no law text.
func eachInBody(n *node, f func(k *node)) {
	for _, k := range n.Kids {
		switch {
		case k.Name == "":
		case k.Name == "Heading" || k.Name == "Section" || k.Name == "Schedule":
			f(k)
		case skipped(k.Name):
		default:
			eachInBody(k, f)
		}
	}
}

func headingText(h *node) string {
	var parts []string
	if l := normalize(textOf(h.Child("Label"))); l != "" {
		parts = append(parts, l)
	}
	if t := normalize(textOf(h.Child("TitleText"))); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

func joinTrail(trail []string) string {
	var parts []string
	for _, t := range trail {
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " › ")
}

// preamble reads a Preamble as one provision: its paragraphs have no labels, and one
// redline over the whole reads better than paragraphs matched by position.
func (p *parser) preamble(n *node, c nesting) *Provision {
	pr := &Provision{Kind: "preamble", Label: "preamble"}
	var parts []string
	for _, k := range n.Kids {
		if k.Name == "Provision" || k.Name == "Text" {
			if t := normalize(flatText(childOr(k, "Text"), &pr.Marked)); t != "" {
				parts = append(parts, t)
			}
		}
	}
	pr.Text = strings.Join(parts, " ")
	p.place(pr, c)
	return pr
}

// childOr returns n's first child element named name, or n itself.
func childOr(n *node, name string) *node {
	if k := n.Child(name); k != nil {
		return k
	}
	return n
}

// place sets the cite of a provision from its context.
func (p *parser) place(pr *Provision, c nesting) {
	pr.scope = c.scope
	pr.scopeKey = c.scopeKey
	switch {
	case c.parent == "" && c.top && pr.Kind == "section":
		pr.local = pr.Label
	case c.parent == "":
		pr.local = rootCite(pr)
	case pr.Kind == "schedule":
		pr.local = pr.Label
	case strings.HasPrefix(pr.Label, "("):
		pr.local = c.parent + pr.Label
	case pr.Kind == "definition":
		pr.local = c.parent + " " + pr.Label
	default:
		pr.local = c.parent + ", " + rootCite(pr)
	}
	if c.scope != "" {
		pr.Cite = "in " + c.scope + ", " + pr.local
	} else {
		pr.Cite = pr.local
	}
	pr.Heading = c.heading
}

// citePrefix is how a provision of each kind is cited at the top of a scope.
var citePrefix = map[string]string{
	"section": "s. ", "subsection": "subs. ", "paragraph": "para. ", "subparagraph": "subpara. ",
	"clause": "cl. ", "subclause": "subcl. ", "item": "item ", "row": "item ",
}

// rootCite is how a provision is cited at the top of a scope: "s. 9", "subs. (2)".
func rootCite(pr *Provision) string {
	prefix := citePrefix[pr.Kind]
	switch pr.Kind {
	case "definition", "schedule", "preamble", "heading", "text", "long title":
		return pr.Label
	}
	if pr.Label == "" {
		return pr.Kind
	}
	return prefix + pr.Label
}

// provision reads one provision element and everything under it, or copies what the version
// before made of the same bytes in the same place. Its callers leave it as it is made.
func (p *parser) provision(n *node, kind string, c nesting, label string) *Provision {
	if pr := p.made(n, kind, c, label); pr != nil {
		return pr
	}
	var pr *Provision
	if p.lazy && n.Mark&taken != 0 && kind != "row" { // a row's label comes from its text
		pr = &Provision{Kind: kind, Label: ownLabel(n, kind, label), scopeKey: c.scopeKey, lazy: &lazyMake{n: n, kind: kind, c: c, label: label}}
	} else {
		pr = p.newProvision(n, kind, c, label)
	}
	p.remember(n, kind, c, label, pr)
	return pr
}

// ownLabel is the label of a provision element: label, if given, unless the element has one.
// A row's may change once its text is read (newProvision).
func ownLabel(n *node, kind, label string) string {
	if l := n.Child("Label"); l != nil && kind != "heading" {
		label = normalize(textOf(l))
	}
	switch kind {
	case "definition":
		if t := n.Child("Text"); t != nil {
			label = "“" + normalize(textOf(findDeep(t, "DefinedTermEn", "DefinedTermFr"))) + "”"
			if label == "“”" {
				label = ""
			}
		}
	case "schedule":
		if h := n.Child("ScheduleFormHeading"); h != nil {
			label = normalize(textOf(h.Child("Label")))
		}
		if label == "" {
			label = "schedule"
		}
	case "heading":
		label = "heading"
	}
	return label
}

// newProvision makes a provision.
func (p *parser) newProvision(n *node, kind string, c nesting, label string) *Provision {
	// Label first: children are cited under it.
	pr := &Provision{Kind: kind, Label: ownLabel(n, kind, label)}
	if n.Attr("change") == "ins" {
		pr.Marked = true
	}
	var text []string
	addText := func(k *node) {
		if t := normalize(flatText(k, &pr.Marked)); t != "" {
			text = append(text, t)
		}
	}
	switch kind {
	case "schedule":
		if h := n.Child("ScheduleFormHeading"); h != nil {
			pr.MarginalNote = normalize(textOf(h.Child("TitleText")))
		}
	case "heading":
		addText(&node{Name: "x", Kids: []*node{{Data: headingText(n)}}})
	}
	p.place(pr, c)
	cc := nesting{scope: c.scope, scopeKey: c.scopeKey, parent: pr.local, heading: c.heading}
	nAmend := 0
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.Kids {
			if k.Name == "" {
				if strings.TrimSpace(k.Data) != "" {
					text = append(text, normalize(k.Data))
				}
				continue
			}
			if kk, ok := provisionKind(k.Name); ok && !(kind == "heading") {
				pr.Children = append(pr.Children, p.provision(k, kk, cc, ""))
				continue
			}
			switch k.Name {
			case "Label", "ScheduleFormHeading":
			case "MarginalNote":
				pr.MarginalNote = normalize(textOf(k))
			case "Text", "entry", "LongTitle", "TitleText":
				if kind == "heading" {
					continue
				}
				addText(k)
			case "AmendedText":
				nAmend++
				p.amended(k, pr, cc, nAmend)
			case "BillInternal":
				nAmend++
				p.enacted(k, pr, cc, nAmend)
			case "Preamble":
				pr.Children = append(pr.Children, p.preamble(k, cc))
			default:
				if skipped(k.Name) {
					continue
				}
				if strings.HasPrefix(k.Name, "Continued") {
					addText(k)
					continue
				}
				walk(k) // SectionPiece, TableGroup, table, tgroup, tbody and the unknown
			}
		}
	}
	if kind != "heading" {
		walk(n)
	}
	if kind == "row" {
		pr.Text = strings.Join(text, " | ")
		if len(text) > 0 && len(text[0]) <= 12 {
			pr.Label = text[0]
			p.place(pr, c)
		}
	} else {
		pr.Text = strings.Join(text, " ")
	}
	return pr
}

// findDeep returns the first descendant with one of the names, or nil.
func findDeep(n *node, names ...string) *node {
	for _, k := range n.Kids {
		for _, name := range names {
			if k.Name == name {
				return k
			}
		}
		if f := findDeep(k, names...); f != nil {
			return f
		}
	}
	return nil
}

// amended reads the AmendedText of an amending provision: the text it sets out becomes
// children of the provision in a scope of their own.
func (p *parser) amended(n *node, owner *Provision, c nesting, ord int) {
	if bi := findDeep(n, "BillInternal"); bi != nil {
		p.enacted(bi, owner, c, ord)
		return
	}
	sc := nesting{
		scope:    "the amendment made by " + scopeCite(owner),
		scopeKey: c.scopeKey + "/amend" + strconv.Itoa(ord),
		heading:  c.heading,
	}
	marked := n.Attr("change") == "ins"
	var loose []string
	headings := 0
	var walk func(n *node)
	walk = func(n *node) {
		for _, k := range n.Kids {
			if k.Name == "" {
				if t := normalize(k.Data); t != "" {
					loose = append(loose, t)
				}
				continue
			}
			kind, ok := provisionKind(k.Name)
			switch {
			case ok:
				child := p.newProvision(k, kind, sc, "") // changed below: not shared
				if kind == "heading" {
					headings++
					if headings > 1 {
						child.Label = "heading " + strconv.Itoa(headings)
						p.place(child, sc)
					}
				}
				child.Marked = child.Marked || marked
				owner.Children = append(owner.Children, child)
			case k.Name == "BillInternal":
				p.enacted(k, owner, c, ord)
			case skipped(k.Name):
			case k.Name == "SectionPiece" || k.Name == "TableGroup" || k.Name == "table" ||
				k.Name == "tgroup" || k.Name == "tbody" || k.Name == "thead":
				walk(k)
			default:
				if t := normalize(flatText(k, &marked)); t != "" {
					loose = append(loose, t)
				}
			}
		}
	}
	walk(n)
	if len(loose) > 0 {
		t := &Provision{Kind: "text", Label: "text", Text: strings.Join(loose, " "), Marked: marked}
		p.place(t, sc)
		owner.Children = append(owner.Children, t)
	}
}

// enacted reads a whole Act that a section enacts: its long title, preamble and sections
// become children of the section, cited "in the Act enacted by s. 11, s. 9(1)".
func (p *parser) enacted(n *node, owner *Provision, c nesting, ord int) {
	sc := nesting{
		scope:    "the Act enacted by " + scopeCite(owner),
		scopeKey: c.scopeKey + "/act" + strconv.Itoa(ord),
	}
	for _, k := range n.Kids {
		switch k.Name {
		case "LongTitle":
			t := &Provision{Kind: "long title", Label: "long title", Text: normalize(textOf(k))}
			p.place(t, sc)
			owner.Children = append(owner.Children, t)
		case "Preamble":
			owner.Children = append(owner.Children, p.preamble(k, sc))
		case "Body":
			owner.Children = append(owner.Children, p.body(k, sc)...)
		case "Schedule":
			owner.Children = append(owner.Children, p.provision(k, "schedule", sc, ""))
		}
	}
}

// scopeCite names the owner of a scope in prose: "s. 11", "s. 4(1)",
// "s. 5 of the Act enacted by s. 11".
func scopeCite(owner *Provision) string {
	local := owner.local
	if owner.scope == "" {
		if local != "" && (local[0] >= '0' && local[0] <= '9') {
			local = "s. " + local
		}
		return local
	}
	return local + " of " + owner.scope
}

// hashSeed seeds the provision hashes: they are compared within one run only.
var hashSeed = maphash.MakeSeed()

// finish computes the matching keys and hashes of a tree, bottom up.
func finish(ps []*Provision) {
	seen := map[string]int{}
	unlabeled := map[string]int{}
	for _, pr := range ps {
		if !pr.copied && pr.lazy == nil {
			finish(pr.Children)
		}
		lab := strings.ToLower(strings.ReplaceAll(pr.Label, " ", ""))
		if lab == "" {
			unlabeled[pr.Kind]++
			lab = "#" + strconv.Itoa(unlabeled[pr.Kind])
		}
		key := pr.Kind + "|" + pr.scopeKey + "|" + lab
		seen[key]++
		if seen[key] > 1 {
			key += "#" + strconv.Itoa(seen[key])
		}
		pr.key = key
		if !pr.copied && pr.lazy == nil { // else its keys and hash are the original's, or to come
			hash(pr)
		}
	}
}

// hash sets the comparison keys and the content hash of a provision whose children have
// their keys. The hash is over kind, note, text and the children's keys, each ended by a zero
// byte: provisions equal in all but their labels have the same (sameContent says whether they
// are).
func hash(pr *Provision) {
	pr.textKey = fold(pr.Text)
	pr.noteKey = fold(pr.MarginalNote)
	var h maphash.Hash
	h.SetSeed(hashSeed)
	for _, s := range [...]string{pr.Kind, pr.noteKey, pr.textKey} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	for _, k := range pr.Children {
		h.WriteString(k.key)
		h.WriteByte(0)
	}
	pr.content = h.Sum64()
}
