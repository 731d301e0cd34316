package diff

import (
	"fmt"
	"sort"
	"strings"
)

// NoChange is the brief of a diff that changes no law text.
const NoChange = "no change to the law text"

// briefMax bounds each list in a brief; the rest is counted.
const briefMax = 8

// Brief sums the diff up in a line or two for an alert: who changed what, by section, and
// the operative-language flags. Example: "committee amended 3 sections: 2, 4, 11; added 17;
// in the Act enacted by s. 11: amended s. 9, s. 20. Flags: may → must in s. 15(2)."
func (r *Result) Brief() string {
	if !r.Summary.Changed() && len(r.Provisions) == 0 {
		return NoChange
	}
	var groups [4][]string // amended, added, removed, renumbered
	allSections := [4]bool{true, true, true, true}
	for _, c := range r.Provisions {
		i, lab := 0, c.Label
		switch c.Change {
		case Added:
			i = 1
		case Removed:
			i, lab = 2, c.FromLabel
		case Renumbered:
			i, lab = 3, c.FromLabel+" → "+c.ToLabel
		}
		groups[i] = append(groups[i], lab)
		if c.Kind != "section" {
			allSections[i] = false
		}
	}
	var clauses []string
	verbs := [4]string{"amended", "added", "removed", "renumbered"}
	for i, g := range groups {
		if len(g) == 0 {
			continue
		}
		noun := "provision"
		if allSections[i] {
			noun = "section"
		}
		if len(g) != 1 {
			noun += "s"
		}
		clauses = append(clauses, fmt.Sprintf("%s %d %s: %s", verbs[i], len(g), noun, list(g)))
	}
	// What changed inside text set out by amending sections and enacted Acts.
	type scoped struct {
		scope string
		items [4][]string
	}
	var scopes []*scoped
	index := map[string]*scoped{}
	var walk func(cs []Change, parentScope string)
	walk = func(cs []Change, parentScope string) {
		for _, c := range cs {
			if c.scope == "" || c.scope == parentScope {
				walk(c.Children, c.scope)
				continue
			}
			s := index[c.scope]
			if s == nil {
				s = &scoped{scope: c.scope}
				index[c.scope] = s
				scopes = append(scopes, s)
			}
			i := map[string]int{Amended: 0, Added: 1, Removed: 2, Renumbered: 3}[c.Change]
			s.items[i] = append(s.items[i], c.local)
		}
	}
	for _, c := range r.Provisions {
		if c.Change == Amended || c.Change == Renumbered {
			walk(c.Children, "")
		}
	}
	for _, s := range scopes {
		var parts []string
		for i, g := range s.items {
			if len(g) > 0 {
				parts = append(parts, verbs[i]+" "+list(g))
			}
		}
		clauses = append(clauses, "in "+s.scope+": "+strings.Join(parts, ", "))
	}
	var sb strings.Builder
	if a := actor(r.To); a != "" {
		sb.WriteString(a + " ")
	}
	if len(clauses) == 0 {
		sb.WriteString("changed the law text")
	} else {
		sb.WriteString(strings.Join(clauses, "; "))
	}
	sb.WriteString(".")
	if len(r.Flags) > 0 {
		seen := map[string]bool{}
		var fs []string
		ordered := append([]Flag(nil), r.Flags...)
		sort.SliceStable(ordered, func(i, j int) bool {
			return FlagWeight(ordered[i].Code) < FlagWeight(ordered[j].Code)
		})
		for _, f := range ordered {
			if !seen[f.Text] {
				seen[f.Text] = true
				fs = append(fs, f.Text)
			}
		}
		n := len(fs)
		if n > 5 {
			fs = append(fs[:5], fmt.Sprintf("and %d more", n-5))
		}
		sb.WriteString("\nFlags: " + strings.Join(fs, "; ") + ".")
	}
	return sb.String()
}

func list(items []string) string {
	if len(items) > briefMax {
		return strings.Join(items[:briefMax], ", ") + fmt.Sprintf(" and %d more", len(items)-briefMax)
	}
	return strings.Join(items, ", ")
}

// actor names who made a version's changes, for the brief.
func actor(version string) string {
	switch version {
	case "amended-by-committee":
		return "committee"
	case "passed-house":
		return "House at third reading"
	case "passed-senate":
		return "Senate"
	case "royal-assent":
		return "royal assent text"
	case "first-reading", "":
		return ""
	}
	return version + ":"
}
