package diff

import (
	"strings"
	"testing"
)

func TestAnchorOf(t *testing.T) {
	t.Parallel()
	for label, want := range map[string]string{
		"12(1)(a)":                             "p-12-1-a",
		"2.1":                                  "p-2.1",
		"2(1)":                                 "p-2-1",
		"SCHEDULE 1":                           "p-schedule-1",
		"in the Act enacted by s. 11, s. 9(1)": "p-in-the-act-enacted-by-s-11-s-9-1",
		"<script>":                             "p-script",
		"":                                     "p",
	} {
		if got := anchorOf(label); got != want {
			t.Errorf("anchorOf(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestSetAnchorsUniqueAndHighlights(t *testing.T) {
	t.Parallel()
	r, err := CompareFiles("testdata/small-from.xml", "testdata/small-to.xml")
	if err != nil {
		t.Fatal(err)
	}
	hs := r.Highlights()
	seen := map[string]bool{}
	var walk func(cs []Change)
	walk = func(cs []Change) {
		for _, c := range cs {
			if c.Anchor == "" || !strings.HasPrefix(c.Anchor, "p-") {
				t.Errorf("change %q has anchor %q", c.Label, c.Anchor)
			}
			if seen[c.Anchor] {
				t.Errorf("anchor %q used twice", c.Anchor)
			}
			seen[c.Anchor] = true
			walk(c.Children)
		}
	}
	walk(r.Provisions)
	if len(hs) == 0 {
		t.Fatal("Highlights(small) = none, want the flags")
	}
	for i := 1; i < len(hs); i++ {
		if FlagWeight(hs[i-1].Code) > FlagWeight(hs[i].Code) {
			t.Errorf("highlights not ranked: %s before %s", hs[i-1].Code, hs[i].Code)
		}
	}
	top := hs[0]
	if top.Code != FlagDutyRemoved || top.Anchor != "p-2-1" || len(top.Words) == 0 || top.Words[0] != "“shall” → “may”" {
		t.Errorf("Highlights(small)[0] = %+v, want duty.removed at p-2-1 with “shall” → “may”", top)
	}
	if !seen[top.Anchor] {
		t.Errorf("top highlight anchor %q is no provision's", top.Anchor)
	}
}
