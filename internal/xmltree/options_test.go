package xmltree

import (
	"strings"
	"testing"
)

// TestOffsets checks that an element's Start and End are its bytes in the text Read returns,
// also after a charset declaration converts the input.
func TestOffsets(t *testing.T) {
	t.Parallel()
	for in, b := range map[string]string{
		`<a x="1"><b>t</b> <c/><d><e>&amp;</e></d></a>`:                                "t",
		"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<a><b>caf\xe9</b><c/></a>": "café",
	} {
		root, s, err := Read(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *Node)
		walk = func(n *Node) {
			if n.Name == "" {
				return
			}
			raw := s[n.Start:n.End]
			if !strings.HasPrefix(raw, "<"+n.Name) || !strings.HasSuffix(raw, ">") {
				t.Errorf("%q: <%s> spans %q", in, n.Name, raw)
			}
			if n.Mark != 0 {
				t.Errorf("%q: <%s> has Mark %d, want 0", in, n.Name, n.Mark)
			}
			for _, k := range n.Kids {
				walk(k)
			}
		}
		walk(root)
		if got := root.Child("b").Kids[0].Data; got != b {
			t.Errorf("%q: <b> holds %q, want %q", in, got, b)
		}
	}
}

// TestTake checks the hook: it is asked at each start tag below the root with the depth, and
// an element it gives is put in place and its bytes skipped; a nil answer has it read.
func TestTake(t *testing.T) {
	t.Parallel()
	have := &Node{Name: "kept", Mark: 7}
	var asked []string
	take := func(s string, at, depth int) (*Node, int) {
		asked = append(asked, s[at:at+3]+":"+string(rune('0'+depth)))
		if strings.HasPrefix(s[at:], "<b>") {
			return have, len("<b><x/></b>")
		}
		return nil, 0
	}
	root, _, err := Read(`<a><b><x/></b><c><d/></c></a>`, Options{Take: take})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(asked, " "), "<b>:1 <c>:1 <d/:2"; got != want {
		t.Errorf("asked at %s, want %s", got, want)
	}
	if len(root.Kids) != 2 || root.Kids[0] != have || root.Kids[1].Name != "c" || root.Kids[1].Child("d") == nil {
		t.Errorf("tree %+v, want the taken node then <c><d/></c>", root.Kids)
	}
}

// TestMaxDepth checks the nesting bound, default and set.
func TestMaxDepth(t *testing.T) {
	t.Parallel()
	nest := func(n int) string { return strings.Repeat("<a>", n) + strings.Repeat("</a>", n) }
	if _, _, err := Read(nest(DefaultMaxDepth), Options{}); err != nil {
		t.Errorf("%d levels: %v", DefaultMaxDepth, err)
	}
	if _, _, err := Read(nest(DefaultMaxDepth+1), Options{}); err == nil || err.Error() != "elements nested deeper than 512" {
		t.Errorf("%d levels: %v, want refused", DefaultMaxDepth+1, err)
	}
	if _, _, err := Read(nest(4), Options{MaxDepth: 3}); err == nil || err.Error() != "elements nested deeper than 3" {
		t.Errorf("4 levels under MaxDepth 3: %v, want refused", err)
	}
}
