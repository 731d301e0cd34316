package text

import (
	"bytes"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"  the Minister\u00a0may\u2009 ", "the Minister may"},
		{"ﬁnal", "final"},
		{"soft\u00adhyphen zero\u200bwidth word\u2060joiner\ufeff", "softhyphen zerowidth wordjoiner"},
		{"line\r\nbreak\ttab", "line break tab"},
		// What a hostile page may carry: ESC, CSI, OSC, BEL, C1 and bidi overrides never
		// reach the store.
		{"Study\x1b]0;pwned\x07 title", "Study]0;pwned title"},
		{"\x1b[2J\x1b[31mred\x1b[0m", "[2J[31mred[0m"},
		{"c1\u009b31m csi", "c131m csi"},
		{"evil\u202egpj.exe", "evilgpj.exe"},
		{"isolate\u2066x\u2069", "isolatex"},
		{"del\x7f", "del"},
		{"‘curly’ “quotes” kept", "‘curly’ “quotes” kept"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	if got := Decode([]byte("\xef\xbb\xbfBo\xeete")); got != "Boîte" {
		t.Errorf("Decode(BOM, cp1252 byte) = %q, want Boîte", got)
	}
	if got := string(DecodeBytes([]byte("d\xe9j\xe0"))); got != "déjà" {
		t.Errorf("DecodeBytes = %q, want déjà", got)
	}
	if _, err := CharsetReader("EBCDIC", nil); err == nil || !strings.Contains(err.Error(), "EBCDIC") {
		t.Errorf("CharsetReader(EBCDIC) error = %v, want one naming it", err)
	}
}

func TestTerminal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ok\n\tline", "ok\n\tline"},
		{"SECU\x1b]0;owned\x07 meeting", "SECU]0;owned meeting"},
		{"\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "]8;;https://evil.example\\click]8;;\\"},
		{"bell\a\r\x08", "bell"},
		{"c1\u009b2J\u0090", "c12J"},
		{"rtl\u202eoverride", "rtloverride"},
		{"français — ok", "français — ok"},
	} {
		if got := Terminal(tc.in); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTerminalWriter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := TerminalWriter(&b)
	// A C1 CSI (U+009B, bytes C2 9B) and a bidi override (E2 80 AE) split across writes are
	// still caught; a plain multi-byte letter split the same way comes out whole.
	for _, p := range []string{"a\xc2", "\x9bb \xe2\x80", "\xaec \xc3", "\xa9 \x1b[31mred\n", "stray\x9bbyte"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if got, want := b.String(), "ab c é [31mred\nstraybyte"; got != want {
		t.Errorf("through TerminalWriter: %q, want %q", got, want)
	}
}
