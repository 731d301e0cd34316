// Package text is billwatch's one text normalisation, shared by the scrapers and the diff: the
// decoding of bytes as served, the normal form every comparison sees, and the stripping of
// terminal controls from text about to be printed. It holds golang.org/x/text for the whole
// project and depends on nothing else of it, so that diff stays free of the rest.
package text

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Decode turns bytes as served into text. Bytes are read as UTF-8 whatever the headers say;
// a byte that is not valid UTF-8 is read as Windows-1252, which is what the Gazette's stray
// bytes are. A leading byte-order mark is dropped.
func Decode(b []byte) string {
	b = trimBOM(b)
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	dec := charmap.Windows1252
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			sb.WriteRune(dec.DecodeByte(b[0]))
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// DecodeBytes is Decode returning bytes, for parsers that take a reader.
func DecodeBytes(b []byte) []byte {
	b = trimBOM(b)
	if utf8.Valid(b) {
		return b
	}
	return []byte(Decode(b))
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return b[3:]
	}
	return b
}

// CharsetReader reads an XML document declared in one of the legacy charsets bill XML has
// been seen in (Latin-1, Windows-1252) as UTF-8; it fits encoding/xml's Decoder.CharsetReader.
func CharsetReader(label string, in io.Reader) (io.Reader, error) {
	cm, err := legacyCharset(label)
	if err != nil || cm == nil {
		return in, err
	}
	return cm.NewDecoder().Reader(in), nil
}

// FromCharset converts s, declared in the charset label, to UTF-8: the labels CharsetReader
// knows, for a document already in memory.
func FromCharset(label, s string) (string, error) {
	cm, err := legacyCharset(label)
	if err != nil || cm == nil {
		return s, err
	}
	return cm.NewDecoder().String(s)
}

// legacyCharset is the charmap of a label; nil for UTF-8 and ASCII, which need no decoding.
func legacyCharset(label string) (*charmap.Charmap, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1, nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// Normalize turns scraped or source text into the form every comparison sees, so that the
// same words compare equal: NFKC (ligatures such as ﬁ, en, thin and no-break spaces); soft
// hyphens, zero-width characters, the word joiner and byte-order marks dropped; control
// characters (C0, C1, DEL: the ESC, BEL and CSI that drive a terminal) and bidirectional
// overrides and isolates (which can disguise text) dropped; every run of white space (CR, LF,
// tabs, odd spaces) folded to one space; ends trimmed. Curly quotes are kept.
func Normalize(s string) string {
	// Most law text is ASCII, which NFKC leaves alone; text already normal is returned as is.
	if isPlain(s) {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			if s = norm.NFKC.String(s); normalUnicode(s) {
				return s
			}
			return collapse(s)
		}
	}
	return collapse(s)
}

// collapse drops the invisible and control characters of NFKC text and folds its white
// space, a byte at a time where it is ASCII.
func collapse(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf && asciiClass[r] == asciiSpace:
			space = true
			continue
		case r < utf8.RuneSelf && asciiClass[r] == asciiControl:
			continue
		case r < utf8.RuneSelf:
		case invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = true
			continue
		case unicode.IsControl(r) || bidiControl(r):
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// normalUnicode reports whether NFKC text s is already what Normalize makes of it: valid
// UTF-8 with nothing to drop, no space but single inner ASCII spaces.
func normalUnicode(s string) bool {
	prevSpace := true // no space at the start
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case asciiControl:
				return false
			case asciiSpace:
				if c != ' ' || prevSpace {
					return false
				}
				prevSpace = true
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || invisible(r) || unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) ||
			unicode.IsControl(r) || bidiControl(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// The classes of ASCII bytes for Normalize: white space is folded, controls are dropped.
const (
	asciiText = iota
	asciiSpace
	asciiControl
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range 0x20 {
		t[c] = asciiControl
	}
	t[0x7f] = asciiControl
	for _, c := range "\t\n\v\f\r " {
		t[c] = asciiSpace
	}
	return t
}()

// invisible reports the characters that only affect line breaking or joining: dropped.
func invisible(r rune) bool {
	return r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// bidiControl reports the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) and the marks (U+200E, U+200F, U+061C): they can make a title read
// differently from what it says.
func bidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// isPlain reports whether s is already normal: printable ASCII with single inner spaces
// and no space at either end. Most law text is, and skipping NFKC for it saves most of
// the parse time on large bills. It looks at eight bytes at a time.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := uint64(0) // the top bit set where the byte before is a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := Load8(s[i:])
		space := AtLeast8(x, ' ') &^ AtLeast8(x, ' '+1)
		// Not plain: a byte from 0x80, one below ' ' or DEL, or a space after a space.
		if x&High8|^AtLeast8(x, ' ')&High8|AtLeast8(x, 0x7f)|space&(space<<8|prevSpace) != 0 {
			return false
		}
		prevSpace = space >> 56
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == ' ' && prevSpace != 0 {
			return false
		}
		prevSpace = 0
		if c == ' ' {
			prevSpace = 0x80
		}
	}
	return true
}

// Terminal makes text safe to print on a terminal: every control character but newline and
// tab (C0, DEL, C1: so no ESC, CSI, OSC or BEL sequence can start) and every bidirectional
// override is dropped. What followed an ESC stays as inert text. Other text is unchanged.
func Terminal(s string) string {
	if safe(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return -1
		}
		return r
	}, s)
}

// safe is the quick test: printable ASCII, newlines and tabs only.
func safe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x7f || c < 0x20 && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}

func unsafeRune(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || bidiControl(r)
}

// TerminalWriter returns a writer that passes what is written to w through Terminal; it is safe for
// concurrent use. A
// multi-byte character split across two writes is held until its end arrives.
func TerminalWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Writer is the writer TerminalWriter returns.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte
}

// Write filters p and writes the result. It reports len(p) written when the underlying write
// succeeds, as the caller's bytes were all consumed.
func (tw *Writer) Write(p []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	b := p
	if len(tw.pending) > 0 {
		b = append(tw.pending, p...)
		tw.pending = nil
	}
	// Hold back an incomplete character at the end.
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i
			}
			break
		}
	}
	if cut < len(b) {
		tw.pending = append([]byte(nil), b[cut:]...)
		b = b[:cut]
	}
	if len(b) == 0 {
		return len(p), nil
	}
	s := string(b)
	if !utf8.ValidString(s) {
		// A stray byte such as 0x9b is a C1 control to a terminal not in UTF-8: dropped.
		s = strings.ToValidUTF8(s, "")
	}
	if _, err := io.WriteString(tw.w, Terminal(s)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush drops a character left incomplete by the last write: it cannot be printed whole.
func (tw *Writer) Flush() error {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.pending = nil
	return nil
}
