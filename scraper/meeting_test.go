package scraper

import (
	"slices"
	"testing"
)

func TestBillsIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"Bill C-8, An Act respecting cyber security"}, []string{"C-8"}},
		{[]string{"Subject matter of Bill S‑210, An Act to restrict young persons' online access", "Bill C-8"}, []string{"S-210", "C-8"}},
		{[]string{"Bills C-2 and C-12"}, []string{"C-2", "C-12"}},
		{[]string{"Bills C-2, C-9 and S-210, and the Main Estimates"}, []string{"C-2", "C-9", "S-210"}},
		{[]string{"Bills C-2A & C-12", "Bill C-12"}, []string{"C-2A", "C-12"}},
		// A number not in the list that follows "Bill" is not a bill: "C-3 and 4" is no list.
		{[]string{"Bill C-3 and 4 other items", "Study of Section C-9 of the Code"}, []string{"C-3"}},
		{[]string{"Committee Business", "Main Estimates 2026-27"}, []string{}},
	}
	for _, tt := range tests {
		if got := BillsIn(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("BillsIn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
