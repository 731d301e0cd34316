// Package xmltree reads XML into a tree of nodes, fast: the same tree and the same errors as
// encoding/xml's strict Decoder, without allocating per token. The diff package reads bills
// with it, and the law package Acts and bills.
package xmltree

import (
	"encoding/xml"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/billwatch/billwatch/internal/text"
)

// Node is an element, or a run of character data (Name is then empty, Data holds it).
type Node struct {
	Name  string     // the element's name without its prefix; "" for character data
	Attrs []xml.Attr // its attributes, with their prefixes in Name.Space as encoding/xml's RawToken gives them
	Kids  []*Node    // its children in order: elements and character data
	Data  string     // character data, entities decoded, CR LF as LF
	// Start and End are an element's bytes in the text Read returns, from its '<' to the end
	// of its end tag (or of "/>").
	Start, End int
	// Mark is the caller's own, for flags of its own on the nodes it reads: the reader leaves
	// it zero and never reads it. A byte here (a word, with padding) costs less than a side
	// table keyed by node, which would cost a map look-up wherever a caller tests a flag; the
	// diff package marks with it the elements another version may take whole, and those it
	// took, which its own node type held as two booleans before this reader moved here.
	Mark uint8
}

// Attr returns the value of n's attribute with the local name name, or "".
func (n *Node) Attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Child returns n's first child element named name, or nil; n may be nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, k := range n.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Options tune Read.
type Options struct {
	// MaxDepth bounds element nesting, so that hostile input cannot exhaust the stack of a
	// caller walking the tree; 0 means DefaultMaxDepth.
	MaxDepth int
	// Take, when set, is asked at each start tag below the root whether the caller has the
	// whole element already: s is the text being read (the input from its charset on), at
	// the index of the tag's '<', and depth the number of elements open around it. It returns
	// the element's tree and its length in bytes, which the reader puts in place and skips
	// unread; or nil to have it read. The caller answers for the element being exactly those
	// bytes, well-formed, and no deeper than MaxDepth allows.
	Take func(s string, at, depth int) (n *Node, size int)
	// Skim, when set, is asked at each start tag read into a node whether to leave the
	// element's content out of the tree: the content is read and checked like the rest, and
	// refused where the rest would be, but the element's node has no Kids. depth is the
	// number of elements open around it. Take is not asked inside such an element.
	Skim func(name string, depth int) bool
}

// DefaultMaxDepth is the nesting bound when Options.MaxDepth is 0.
const DefaultMaxDepth = 512

// Read parses XML into a node tree. It reads what encoding/xml's strict Decoder (with HTML
// entities and the Latin-1 and Windows-1252 charsets) accepts, gives the same tree (names
// without their prefix, one char-data node per run of text and per CDATA section, entities
// decoded, CR LF as LF) and refuses what it refuses, with the same messages (an error of
// type *xml.SyntaxError where encoding/xml gives one; a truncated input is wrapped in
// "truncated inside <name>: "); the differential test and fuzz target in xmltree_test.go
// hold it to that. Beyond encoding/xml, it refuses text outside the root element, more than
// one root, and nesting deeper than MaxDepth. A byte-order mark is the caller's to remove.
//
// It returns the text the nodes' offsets refer to: s, or what follows the XML declaration
// converted from its charset.
//
// It works on s itself and does not allocate per token: element and attribute names are
// interned, text without entities or CRs is a substring of s, and nodes, child lists and
// attributes come from slabs. Child lists have their capacity cut to their length, so a
// caller may filter one in place.
func Read(s string, o Options) (root *Node, text string, err error) {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	t := &treeReader{s: s, names: make(map[string]string, 128), take: o.Take, skim: o.Skim, maxDepth: o.MaxDepth}
	root, err = t.read()
	return root, t.s, err
}

// treeReader holds the state of one Read.
type treeReader struct {
	s      string // the input, from the current charset on
	pos    int
	names  map[string]string // interned names
	recent [64]string        // a cache in front of names

	stack   []*Node
	raws    []string // raw (prefixed) names of the open elements, for end-tag matching
	pending []*Node  // children of the open elements, innermost last
	marks   []int    // where each open element's children start in pending
	root    *Node

	nodes []Node     // slab of nodes
	kids  []*Node    // slab of child lists
	attrs []xml.Attr // slab of attributes
	buf   []byte     // scratch for decoded text

	take     func(s string, at, depth int) (*Node, int) // Options.Take
	skim     func(name string, depth int) bool          // Options.Skim
	maxDepth int
	// skimming is, inside an element whose content is skimmed, the number of elements open
	// down to that one (the stack holds nil for those open inside it); else 0.
	skimming int
}

const (
	nodeSlab = 512
	kidSlab  = 2048
	attrSlab = 256
)

func (t *treeReader) newNode() *Node {
	if len(t.nodes) == cap(t.nodes) {
		t.nodes = make([]Node, 0, nodeSlab)
	}
	t.nodes = t.nodes[:len(t.nodes)+1]
	return &t.nodes[len(t.nodes)-1]
}

// syntaxError is encoding/xml's error at the reader's position.
func (t *treeReader) syntaxError(msg string) error {
	return &xml.SyntaxError{Msg: msg, Line: 1 + strings.Count(t.s[:min(t.pos, len(t.s))], "\n")}
}

func (t *treeReader) eof() error { t.pos = len(t.s); return t.syntaxError("unexpected EOF") }

// expect reads the byte c, or fails as encoding/xml does: at the end of the input, or with
// msg just past the byte that is there instead.
func (t *treeReader) expect(c byte, msg string) error {
	if t.pos >= len(t.s) {
		return t.eof()
	}
	t.pos++
	if t.s[t.pos-1] != c {
		return t.syntaxError(msg)
	}
	return nil
}

func (t *treeReader) read() (*Node, error) {
	for t.pos < len(t.s) {
		var err error
		if t.s[t.pos] != '<' {
			err = t.charData()
		} else {
			err = t.markup()
		}
		if err != nil {
			if len(t.stack) > 0 && strings.Contains(err.Error(), "unexpected EOF") {
				return nil, fmt.Errorf("truncated inside <%s>: %w", t.openName(len(t.stack)-1), err)
			}
			return nil, err
		}
	}
	if len(t.stack) > 0 {
		return nil, fmt.Errorf("truncated inside <%s>: %w", t.openName(len(t.stack)-1), t.eof())
	}
	if t.root == nil {
		return nil, errors.New("no root element")
	}
	return t.root, nil
}

// openName is the name of the i-th open element, without its prefix, as its node has it.
func (t *treeReader) openName(i int) string {
	if n := t.stack[i]; n != nil {
		return n.Name
	}
	if sp, loc, _ := strings.Cut(t.raws[i], ":"); sp != "" && loc != "" {
		return loc
	}
	return t.raws[i]
}

// charData reads text up to the next '<'.
func (t *treeReader) charData() error {
	end := strings.IndexByte(t.s[t.pos:], '<')
	if end < 0 {
		end = len(t.s) - t.pos
	}
	data, err := t.text(t.s[t.pos:t.pos+end], -1)
	if err != nil {
		return err
	}
	t.pos += end
	return t.addData(data)
}

func (t *treeReader) addData(data string) error {
	if t.skimming > 0 {
		return nil
	}
	if len(t.stack) == 0 {
		if strings.TrimSpace(data) != "" {
			return errors.New("text outside the root element")
		}
		return nil
	}
	n := t.newNode()
	n.Data = data
	t.pending = append(t.pending, n)
	return nil
}

// textClass marks the bytes that text needs to look at: 1 for '&', '\r', ']' and the
// control characters, 2 for the start of a multi-byte character.
var textClass = func() (c [256]byte) {
	for i := 0; i < 0x20; i++ {
		if i != '\t' && i != '\n' {
			c[i] = 1
		}
	}
	c['&'], c['\r'], c[']'] = 1, 1, 1
	for i := 0x80; i < 0x100; i++ {
		c[i] = 2
	}
	return c
}()

// text decodes raw character data (quote < 0) or an attribute value (quote is its
// delimiter, already cut off): entities, CR LF to LF, and the check that every character
// is allowed in XML. Without entities and CRs it returns raw itself.
func (t *treeReader) text(raw string, quote int) (string, error) {
	i := 0
	for i < len(raw) {
		if i+8 <= len(raw) {
			m := special8(text.Load8(raw[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8 // to the first byte that needs a look
		}
		c := raw[i]
		switch textClass[c] {
		case 0:
			i++
			continue
		case 2:
			r, size := utf8.DecodeRuneInString(raw[i:])
			if !isChar(r, size) {
				t.pos += i
				return "", t.charError(r, size)
			}
			i += size
			continue
		}
		switch c {
		case ']':
			if quote < 0 && strings.HasPrefix(raw[i:], "]]>") {
				t.pos += i
				return "", t.syntaxError("unescaped ]]> not in CDATA section")
			}
			i++
			continue
		case '&', '\r':
			return t.decode(raw, i, quote)
		}
		t.pos += i
		return "", t.syntaxError(fmt.Sprintf("illegal character code %U", rune(c)))
	}
	return raw, nil
}

// special8 has the top bit of a byte of x set where that byte needs a look from text, a
// control character (tab and newline included, as a shortcut), '&', ']' or a byte from 0x80,
// and perhaps above such a byte; nowhere if there is none. The lowest bit set is always such a
// byte's: a subtraction borrows only upwards.
func special8(x uint64) uint64 {
	const ones = 0x0101010101010101
	amp, bracket := x^('&'*ones), x^(']'*ones)
	return (x | (x-0x20*ones)&^x | (amp-ones)&^amp | (bracket-ones)&^bracket) & text.High8
}

// decode is text's slow path from i on, where an entity or a CR first appears.
func (t *treeReader) decode(raw string, i, quote int) (string, error) {
	atEOF := t.pos+len(raw) >= len(t.s) // else raw ends at '<' or the quote
	buf := append(t.buf[:0], raw[:i]...)
	var b0, b1 byte // the last two raw bytes, as encoding/xml tracks them for "]]>"
	for i < len(raw) {
		c := raw[i]
		if quote < 0 && b0 == ']' && b1 == ']' && c == '>' {
			t.pos += i
			return "", t.syntaxError("unescaped ]]> not in CDATA section")
		}
		switch {
		case c == '&':
			ent, n, err := t.entity(raw[i:], atEOF)
			if err != nil {
				t.pos += i
				return "", err
			}
			buf = append(buf, ent...)
			i += n
			b0, b1 = 0, 0
			continue
		case c == '\r':
			buf = append(buf, '\n')
		case b1 == '\r' && c == '\n':
		default:
			buf = append(buf, c)
		}
		b0, b1 = b1, c
		i++
	}
	t.buf = buf
	// Check every character of the result, as encoding/xml does after decoding.
	for j := 0; j < len(buf); {
		r, size := utf8.DecodeRune(buf[j:])
		if !isChar(r, size) {
			return "", t.charError(r, size)
		}
		j += size
	}
	return string(buf), nil
}

var xmlEntity = map[string]string{"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": `"`}

// entity decodes the reference at the start of s ("&amp;", "&#233;", "&eacute;") and says
// how many bytes it took. atEOF says whether the input ends with s; else a delimiter that
// is not ';' follows it.
func (t *treeReader) entity(s string, atEOF bool) (string, int, error) {
	i := 1
	if i < len(s) && s[i] == '#' {
		i++
		base := 10
		if i < len(s) && s[i] == 'x' {
			base = 16
			i++
		}
		start := i
		for i < len(s) && ('0' <= s[i] && s[i] <= '9' ||
			base == 16 && ('a' <= s[i] && s[i] <= 'f' || 'A' <= s[i] && s[i] <= 'F')) {
			i++
		}
		if i >= len(s) && atEOF {
			return "", 0, t.eof()
		}
		if i < len(s) && s[i] == ';' {
			n, err := strconv.ParseUint(s[start:i], base, 64)
			if err == nil && n <= unicode.MaxRune {
				return string(rune(n)), i + 1, nil
			}
			return "", 0, t.syntaxError("invalid character entity " + s[:i+1])
		}
		return "", 0, t.syntaxError("invalid character entity " + s[:i] + " (no semicolon)")
	}
	start := i
	for i < len(s) && (s[i] >= utf8.RuneSelf || isNameByte(s[i])) {
		i++
	}
	if i >= len(s) && atEOF {
		return "", 0, t.eof()
	}
	if i >= len(s) || s[i] != ';' {
		return "", 0, t.syntaxError("invalid character entity " + s[:i] + " (no semicolon)")
	}
	name := s[start:i]
	if v, ok := xmlEntity[name]; ok {
		return v, i + 1, nil
	}
	if v, ok := xml.HTMLEntity[name]; ok {
		return v, i + 1, nil
	}
	return "", 0, t.syntaxError("invalid character entity " + s[:i+1])
}

// markup reads what starts with '<' at pos.
func (t *treeReader) markup() error {
	s := t.s
	if t.pos+1 >= len(s) {
		return t.eof()
	}
	switch s[t.pos+1] {
	case '/':
		return t.endTag()
	case '?':
		return t.procInst()
	case '!':
		return t.bang()
	}
	if t.take != nil && len(t.stack) > 0 && t.skimming == 0 {
		if n, size := t.take(t.s, t.pos, len(t.stack)); n != nil {
			t.pending = append(t.pending, n)
			t.pos += size
			return nil
		}
	}
	return t.startTag()
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// name reads a name at pos, as encoding/xml's Decoder.name does: ok is false, with a nil
// error, when no name starts there. colons counts the ':' in it.
func (t *treeReader) name() (raw string, ok bool, colons int, err error) {
	s := t.s
	i := t.pos
	ascii := true
	for ; i < len(s); i++ {
		if k := nameClass[s[i]]; k != nameOther {
			if k == nameEnd {
				break
			}
			if k == nameColon {
				colons++
			} else {
				ascii = false
			}
		}
	}
	if i >= len(s) {
		return "", false, 0, t.eof()
	}
	if i == t.pos {
		return "", false, 0, nil
	}
	raw = s[t.pos:i]
	t.pos = i
	if ascii {
		c := raw[0]
		ok = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
	} else {
		ok = isName(raw)
	}
	if !ok {
		return "", false, 0, t.syntaxError("invalid XML name: " + raw)
	}
	return raw, true, colons, nil
}

// nameClass sorts bytes for name: one table look-up a byte, one test for the usual byte.
var nameClass = func() (c [256]uint8) {
	for b := range 256 {
		switch {
		case b >= utf8.RuneSelf:
			c[b] = nameHigh
		case b == ':':
			c[b] = nameColon
		case nameByte[b] == 1:
			c[b] = nameOther
		default:
			c[b] = nameEnd
		}
	}
	return c
}()

const (
	nameOther = iota // an ASCII name byte but ':'
	nameEnd          // an ASCII byte that is in no name: the name ends before it
	nameColon        // ':'
	nameHigh         // from 0x80: a byte of a multi-byte character
)

// nameByte marks the ASCII bytes of names.
var nameByte = func() (b [utf8.RuneSelf]uint8) {
	for c := range utf8.RuneSelf {
		if isNameByte(byte(c)) {
			b[c] = 1
		}
	}
	return b
}()

// isName is encoding/xml's check of a name with non-ASCII characters: it asks encoding/xml.
func isName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	d := xml.NewDecoder(strings.NewReader("<" + strings.ReplaceAll(s, ":", "_") + "/>"))
	_, err := d.RawToken()
	return err == nil
}

// nsname reads a name and splits off its prefix as encoding/xml does: the intern table
// gives the local part, and the raw name is kept for matching the end tag.
func (t *treeReader) nsname() (raw, space, local string, ok bool, err error) {
	raw, ok, colons, err := t.name()
	if !ok || colons > 1 {
		return "", "", "", false, err
	}
	if colons == 1 {
		if sp, loc, _ := strings.Cut(raw, ":"); sp != "" && loc != "" {
			if t.skimming > 0 {
				return raw, sp, loc, true, nil // kept in no node
			}
			return raw, t.intern(sp), t.intern(loc), true, nil
		}
	}
	if t.skimming == 0 {
		raw = t.intern(raw)
	}
	return raw, "", raw, true, nil
}

// intern returns the one copy of a name: from a small cache indexed by length and end bytes,
// else from the map.
func (t *treeReader) intern(s string) string {
	slot := &t.recent[(len(s)*31+int(s[0])+int(s[len(s)-1])*7)&(len(t.recent)-1)]
	if *slot == s {
		return *slot
	}
	v, ok := t.names[s]
	if !ok {
		t.names[s] = s
		v = s
	}
	*slot = v
	return v
}

func (t *treeReader) space() {
	for t.pos < len(t.s) {
		switch t.s[t.pos] {
		case ' ', '\r', '\n', '\t':
			t.pos++
		default:
			return
		}
	}
}

func (t *treeReader) startTag() error {
	start := t.pos
	t.pos++ // '<'
	raw, _, local, ok, err := t.nsname()
	if err != nil {
		return err
	}
	if !ok {
		return t.syntaxError("expected element name after <")
	}
	if t.root != nil && len(t.stack) == 0 {
		return fmt.Errorf("more than one root element (<%s> after <%s>)", local, t.root.Name)
	}
	if len(t.stack) >= t.maxDepth {
		return fmt.Errorf("elements nested deeper than %d", t.maxDepth)
	}
	var n *Node // none inside a skimmed element
	if t.skimming == 0 {
		n = t.newNode()
		n.Name = local
		n.Start = start
	}
	empty := false
	first := len(t.attrs)
	for {
		t.space()
		if t.pos >= len(t.s) {
			return t.eof()
		}
		c := t.s[t.pos]
		t.pos++
		if c == '/' {
			if err := t.expect('>', "expected /> in element"); err != nil {
				return err
			}
			empty = true
			break
		}
		if c == '>' {
			break
		}
		t.pos--
		_, sp, loc, ok, err := t.nsname()
		if err != nil {
			return err
		}
		if !ok {
			return t.syntaxError("expected attribute name in element")
		}
		t.space()
		if err := t.expect('=', "attribute name without = in element"); err != nil {
			return err
		}
		t.space()
		if t.pos >= len(t.s) {
			return t.eof()
		}
		q := t.s[t.pos]
		t.pos++
		if q != '"' && q != '\'' {
			return t.syntaxError("unquoted or missing attribute value in element")
		}
		end := strings.IndexByte(t.s[t.pos:], q)
		lt := strings.IndexByte(t.s[t.pos:], '<')
		if lt >= 0 && (end < 0 || lt < end) {
			t.pos += lt + 1
			return t.syntaxError("unescaped < inside quoted string")
		}
		if end < 0 {
			return t.eof()
		}
		val, err := t.text(t.s[t.pos:t.pos+end], int(q))
		if err != nil {
			return err
		}
		t.pos += end + 1
		if n == nil {
			continue
		}
		if first == len(t.attrs) && len(t.attrs)+8 > cap(t.attrs) {
			t.attrs = make([]xml.Attr, 0, attrSlab)
			first = 0
		}
		t.attrs = append(t.attrs, xml.Attr{Name: xml.Name{Space: sp, Local: loc}, Value: val})
	}
	if n == nil {
		if !empty {
			t.stack, t.raws, t.marks = append(t.stack, nil), append(t.raws, raw), append(t.marks, len(t.pending))
		}
		return nil
	}
	if len(t.attrs) > first {
		n.Attrs = t.attrs[first:len(t.attrs):len(t.attrs)]
	}
	if len(t.stack) > 0 {
		t.pending = append(t.pending, n)
	} else {
		t.root = n
	}
	if empty {
		n.End = t.pos
		return nil
	}
	depth := len(t.stack)
	t.stack = append(t.stack, n)
	t.raws = append(t.raws, raw)
	t.marks = append(t.marks, len(t.pending))
	if t.skim != nil && t.skim(local, depth) {
		t.skimming = len(t.stack)
	}
	return nil
}

func (t *treeReader) endTag() error {
	t.pos += 2 // "</"
	// The common case: the open element's name, then '>'. The name was checked at its start.
	if top := len(t.stack) - 1; top >= 0 {
		raw := t.raws[top]
		if end := t.pos + len(raw); end < len(t.s) && t.s[end] == '>' && t.s[t.pos:end] == raw {
			t.pos = end + 1
			return t.closed(top)
		}
	}
	raw, ok, colons, err := t.name() // compared raw with the start tag's: no interning
	if err != nil {
		return err
	}
	if !ok || colons > 1 {
		return t.syntaxError("expected element name after </")
	}
	local := raw
	if sp, loc, cut := strings.Cut(raw, ":"); cut && sp != "" && loc != "" {
		local = loc
	}
	t.space()
	if err := t.expect('>', "invalid characters between </"+local+" and >"); err != nil {
		return err
	}
	top := len(t.stack) - 1
	if top < 0 {
		return t.syntaxError("unexpected end element </" + local + ">")
	}
	if t.raws[top] != raw {
		if name := t.openName(top); name != local {
			return t.syntaxError("element <" + name + "> closed by </" + local + ">")
		}
		openSpace, _, _ := strings.Cut(t.raws[top], ":")
		space, _, _ := strings.Cut(raw, ":")
		if space == raw {
			space = `""`
		}
		return t.syntaxError("element <" + local + "> in space " + openSpace + " closed by </" + local + "> in space " + space)
	}
	return t.closed(top)
}

// closed ends the top open element, whose end tag was just read.
func (t *treeReader) closed(top int) error {
	n := t.stack[top]
	if n == nil { // inside a skimmed element
		t.stack, t.raws, t.marks = t.stack[:top], t.raws[:top], t.marks[:top]
		return nil
	}
	if top+1 == t.skimming {
		t.skimming = 0
	}
	n.End = t.pos
	mark := t.marks[top]
	if k := len(t.pending) - mark; k > 0 {
		if len(t.kids)+k > cap(t.kids) {
			t.kids = make([]*Node, 0, max(kidSlab, k))
		}
		start := len(t.kids)
		t.kids = append(t.kids, t.pending[mark:]...)
		n.Kids = t.kids[start:len(t.kids):len(t.kids)]
		clear(t.pending[mark:])
		t.pending = t.pending[:mark]
	}
	t.stack, t.raws, t.marks = t.stack[:top], t.raws[:top], t.marks[:top]
	return nil
}

// procInst skips a processing instruction; the XML declaration's version is checked and its
// encoding applied to the rest of the input.
func (t *treeReader) procInst() error {
	t.pos += 2 // "<?"
	target, ok, _, err := t.name()
	if err != nil {
		return err
	}
	if !ok {
		return t.syntaxError("expected target name after <?")
	}
	t.space()
	end := strings.Index(t.s[t.pos:], "?>")
	if end < 0 {
		return t.eof()
	}
	content := t.s[t.pos : t.pos+end]
	t.pos += end + 2
	if target != "xml" {
		return nil
	}
	if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
		return fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", ver)
	}
	enc := procInstParam("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return nil
	}
	rest, err := text.FromCharset(enc, t.s[t.pos:])
	if err != nil {
		return fmt.Errorf("xml: opening charset %q: %w", enc, err)
	}
	t.s, t.pos = rest, 0
	return nil
}

// procInstParam is encoding/xml's procInst: the value of param in a declaration.
func procInstParam(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang reads a comment, a CDATA section or a directive (<!DOCTYPE ...>).
func (t *treeReader) bang() error {
	s := t.s
	t.pos += 2 // "<!"
	if t.pos >= len(s) {
		return t.eof()
	}
	switch s[t.pos] {
	case '-':
		t.pos++
		if t.pos >= len(s) {
			return t.eof()
		}
		if s[t.pos] != '-' {
			t.pos++
			return t.syntaxError("invalid sequence <!- not part of <!--")
		}
		t.pos++
		k := strings.Index(s[t.pos:], "--")
		if k < 0 || t.pos+k+2 >= len(s) {
			return t.eof()
		}
		t.pos += k + 3
		if s[t.pos-1] != '>' {
			return t.syntaxError(`invalid sequence "--" not allowed in comments`)
		}
		return nil
	case '[':
		t.pos++
		for i := 0; i < 6; i++ {
			if t.pos >= len(s) {
				return t.eof()
			}
			t.pos++
			if s[t.pos-1] != "CDATA["[i] {
				return t.syntaxError("invalid <![ sequence")
			}
		}
		end := strings.Index(s[t.pos:], "]]>")
		if end < 0 {
			t.pos = len(s)
			return t.syntaxError("unexpected EOF in CDATA section")
		}
		data, err := t.cdata(s[t.pos : t.pos+end])
		if err != nil {
			return err
		}
		t.pos += end + 3
		return t.addData(data)
	}
	// A directive: skip to its '>', minding quotes, nested brackets and comments. Its first
	// byte counts for none of these.
	t.pos++
	var inquote byte
	depth := 0
	for {
		if t.pos >= len(s) {
			return t.eof()
		}
		c := s[t.pos]
		t.pos++
		if inquote == 0 && c == '>' && depth == 0 {
			return nil
		}
		switch {
		case c == inquote:
			inquote = 0
		case inquote != 0:
		case c == '\'' || c == '"':
			inquote = c
		case c == '>':
			depth--
		case c == '<':
			if !strings.HasPrefix(s[t.pos:], "!--") {
				// encoding/xml reads the bytes of "!--" that match, then counts the '<'.
				depth++
				for _, m := range []byte("!--") {
					if t.pos >= len(s) {
						return t.eof()
					}
					if s[t.pos] != m {
						break
					}
					t.pos++
				}
				// The byte that did not match is handled as if it followed directly.
				continue
			}
			t.pos += 3
			k := strings.Index(s[t.pos:], "-->")
			if k < 0 {
				return t.eof()
			}
			t.pos += k + 3
		}
	}
}

// cdata checks and normalises the content of a CDATA section: CR LF to LF, allowed
// characters only.
func (t *treeReader) cdata(raw string) (string, error) {
	hasCR := false
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				if c != '\r' {
					return "", t.syntaxError(fmt.Sprintf("illegal character code %U", rune(c)))
				}
				hasCR = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(raw[i:])
		if !isChar(r, size) {
			return "", t.charError(r, size)
		}
		i += size
	}
	if !hasCR {
		return raw, nil
	}
	buf := t.buf[:0]
	for i := 0; i < len(raw); i++ {
		switch {
		case raw[i] == '\r':
			buf = append(buf, '\n')
		case raw[i] == '\n' && i > 0 && raw[i-1] == '\r':
		default:
			buf = append(buf, raw[i])
		}
	}
	t.buf = buf
	return string(buf), nil
}

// isChar says whether r, decoded in size bytes, is well-encoded and allowed in XML.
func isChar(r rune, size int) bool {
	return (r != utf8.RuneError || size != 1) && isInCharacterRange(r)
}

// charError is the error for a character isChar refuses, at the reader's position.
func (t *treeReader) charError(r rune, size int) error {
	if r == utf8.RuneError && size == 1 {
		return t.syntaxError("invalid UTF-8")
	}
	return t.syntaxError(fmt.Sprintf("illegal character code %U", r))
}

// isInCharacterRange is XML's Char production.
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
