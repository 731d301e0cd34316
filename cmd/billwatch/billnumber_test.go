package main

import (
	"bytes"
	"regexp"
	"testing"
)

// billNumberPattern is what fileBillNumber matched with before billNumberIn.
var billNumberPattern = regexp.MustCompile(`<BillNumber>\s*([^<]{1,20}?)\s*</BillNumber>`)

func checkBillNumberIn(t *testing.T, head []byte) {
	t.Helper()
	var want []byte
	if m := billNumberPattern.FindSubmatch(head); m != nil {
		want = m[1]
	}
	got := billNumberIn(head)
	if (got == nil) != (want == nil) || !bytes.Equal(got, want) {
		t.Errorf("billNumberIn(%q) = %q, the pattern's group %q", head, got, want)
	}
}

// TestBillNumberInAsPattern holds billNumberIn to the pattern it replaces.
func TestBillNumberInAsPattern(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "<BillNumber>C-8</BillNumber>", "<Bill><BillNumber> C-8 \n</BillNumber>",
		"<BillNumber></BillNumber>", "<BillNumber> </BillNumber>", "<BillNumber> \t\n</BillNumber>",
		"<BillNumber>\vC-8\v</BillNumber>", "<BillNumber>C-<b>8</b></BillNumber><BillNumber>S-2</BillNumber>",
		"<BillNumber>123456789012345678901</BillNumber><BillNumber>x</BillNumber>",
		"<BillNumber>12345678901234567890</BillNumber>", "<BillNumber>  12345678901234567890  </BillNumber>",
		"<BillNumber>éééééééééééééééééééé</BillNumber>", "<BillNumber>ééééééééééééééééééééé</BillNumber>",
		"<BillNumber>\xff\xfe</BillNumber>", "<BillNumber>C-8</BillNumbe>", "<BillNumber>C-8", "<BillNumber>C 8</billnumber>",
		"<BillNumber><BillNumber>C-9</BillNumber>", "x<BillNumber>a b</BillNumber>y",
	} {
		checkBillNumberIn(t, []byte(s))
	}
}

// FuzzBillNumberIn holds billNumberIn to the pattern on any text, also set inside and
// around a BillNumber element, which a fuzzer seldom spells by itself.
func FuzzBillNumberIn(f *testing.F) {
	f.Add([]byte(" C-8 "), []byte("<BillNumber>S-2</BillNumber>"))
	f.Add([]byte("\xff</BillNumber><BillNumber>   "), []byte("\t"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		const open, end = "<BillNumber>", "</BillNumber>"
		checkBillNumberIn(t, a)
		checkBillNumberIn(t, []byte(open+string(a)+end+string(b)))
		checkBillNumberIn(t, []byte(string(a)+open+string(b)+end))
	})
}
