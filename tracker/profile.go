package tracker

import (
	"slices"
	"strings"
	"unicode"

	"github.com/billwatch/billwatch"
)

// Profile is what the coalition watches. Keywords are matched on whole words (and an optional
// plural "s"), case-insensitively, so "security" never matches inside "insecurity"; a keyword
// occurrence that lies inside an Exclude phrase ("social security") does not count.
type Profile struct {
	Keywords    []string
	Exclude     []string
	Committees  []string // committee acronyms: a bill studied there is relevant
	Bills       []string // bill numbers always watched ("C-2", or "45-1 C-2" for one session)
	Departments []string // Gazette sponsoring departments and agencies
	Acts        []string // enabling Acts of Gazette items
	// Provisions are provisions of Acts ("Criminal Code 83.01", "section 16 of the CSIS Act"):
	// a bill or Gazette item whose title or summary names one is relevant.
	Provisions []string

	kw, ex [][]string
	kwName []string
}

// DefaultProfile is the watch profile of a national-security and civil-liberties coalition.
func DefaultProfile() Profile {
	return Profile{
		Keywords: []string{
			"national security", "security", "public safety", "Canadian Security Intelligence Service", "CSIS",
			"Communications Security Establishment", "CSE", "Royal Canadian Mounted Police", "RCMP",
			"Canada Border Services Agency", "CBSA", "National Security and Intelligence Review Agency", "NSIRA",
			"National Security and Intelligence Committee of Parliamentarians", "NSICOP",
			"terrorism", "terrorist", "surveillance", "interception", "lawful access", "encryption",
			"cyber security", "cybersecurity", "border", "immigration", "refugee", "security certificate",
			"no-fly", "Secure Air Travel", "information sharing", "foreign interference", "privacy",
			"personal information", "intelligence", "national defence", "police", "police powers",
			"Emergencies Act", "warrant", "biometric",
		},
		Exclude: []string{
			"social security", "old age security", "income security", "food security", "financial security",
			"security interest", "security deposit", "pension security", "job security",
		},
		Committees:  []string{"SECU", "NDDN", "JUST", "ETHI", "CIMM", "SECD", "LCJC"},
		Departments: []string{"Public Safety", "Canada Border Services Agency", "Royal Canadian Mounted Police", "Canadian Security Intelligence Service", "Communications Security Establishment", "Transport", "Citizenship and Immigration", "Immigration, Refugees and Citizenship", "Justice", "National Defence"},
		Acts:        []string{"Secure Air Travel Act", "Immigration and Refugee Protection Act", "Aeronautics Act", "Canadian Security Intelligence Service Act", "CSIS Act", "Criminal Code", "Customs Act", "Proceeds of Crime (Money Laundering) and Terrorist Financing Act", "Emergencies Act", "Privacy Act"},
	}
}

// words splits text into lower-case words; hyphens and apostrophes stay inside words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
	})
}

func (p *Profile) compile() {
	if p.kw != nil || (len(p.Keywords) == 0 && len(p.Exclude) == 0) {
		return
	}
	for _, k := range p.Keywords {
		if w := words(k); len(w) > 0 {
			p.kw = append(p.kw, w)
			p.kwName = append(p.kwName, k)
		}
	}
	for _, k := range p.Exclude {
		if w := words(k); len(w) > 0 {
			p.ex = append(p.ex, w)
		}
	}
}

func wordEq(text, kw string, last bool) bool {
	if text == kw {
		return true
	}
	return last && (text == kw+"s" || text == kw+"es")
}

// phraseAt reports whether phrase starts at text[i].
func phraseAt(text []string, i int, phrase []string) bool {
	if i+len(phrase) > len(text) {
		return false
	}
	for j, w := range phrase {
		if !wordEq(text[i+j], w, j == len(phrase)-1) {
			return false
		}
	}
	return true
}

// MatchText returns the keywords found in the texts, in profile order, without duplicates.
func (p *Profile) MatchText(texts ...string) []string {
	p.compile()
	var found []string
	for _, t := range texts {
		ws := words(t)
		// Mark words covered by exclusion phrases.
		excluded := make([]bool, len(ws))
		for i := range ws {
			for _, e := range p.ex {
				if phraseAt(ws, i, e) {
					for j := range e {
						excluded[i+j] = true
					}
				}
			}
		}
		// Longer keywords first, so that "security" inside a matched "cyber security" adds
		// nothing.
		order := make([]int, len(p.kw))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return len(p.kw[b]) - len(p.kw[a]) })
		covered := make([]bool, len(ws))
		hits := map[int]bool{}
		for _, ki := range order {
			k := p.kw[ki]
			for i := range ws {
				if !phraseAt(ws, i, k) {
					continue
				}
				inExcluded, inCovered := true, true
				for j := range k {
					inExcluded = inExcluded && excluded[i+j]
					inCovered = inCovered && covered[i+j]
				}
				if inExcluded || inCovered {
					continue
				}
				for j := range k {
					covered[i+j] = true
				}
				hits[ki] = true
			}
		}
		for ki := range p.kw {
			if hits[ki] && !slices.Contains(found, p.kwName[ki]) {
				found = append(found, p.kwName[ki])
			}
		}
	}
	return found
}

// BillReasons says why a bill is relevant; none means it is not.
func (p *Profile) BillReasons(b billwatch.Bill) []string {
	var reasons []string
	for _, w := range p.Bills {
		w = strings.TrimSpace(w)
		session, num, ok := strings.Cut(w, " ")
		if !ok {
			session, num = "", w
		}
		if billwatch.NormalizeBillNumber(num) == b.Number && (session == "" || session == b.Session) {
			reasons = append(reasons, "watch list")
			break
		}
	}
	for _, k := range p.MatchText(b.Title, b.ShortTitle, b.Summary) {
		reasons = append(reasons, "keyword: "+k)
	}
	reasons = append(reasons, p.provisionReasons(b.Title, b.ShortTitle, b.Summary)...)
	seen := map[string]bool{}
	for _, st := range b.Stages {
		if st.Committee != "" && containsFold(p.Committees, st.Committee) && !seen[st.Committee] {
			seen[st.Committee] = true
			reasons = append(reasons, "committee: "+st.Committee)
		}
	}
	return reasons
}

// RegulationReasons says why a Gazette item is relevant; none means it is not.
func (p *Profile) RegulationReasons(r billwatch.Regulation) []string {
	var reasons []string
	for _, d := range p.Departments {
		if d != "" && strings.Contains(strings.ToLower(r.Department), strings.ToLower(d)) {
			reasons = append(reasons, "department: "+d)
			break
		}
	}
	for _, a := range p.Acts {
		for _, ra := range r.Acts {
			if a != "" && strings.EqualFold(strings.TrimSpace(ra), a) {
				reasons = append(reasons, "act: "+a)
			}
		}
	}
	for _, k := range p.MatchText(r.Title, r.Summary) {
		reasons = append(reasons, "keyword: "+k)
	}
	reasons = append(reasons, p.provisionReasons(r.Title, r.Summary)...)
	return reasons
}

// WatchesCommittee reports whether a committee acronym is watched.
func (p *Profile) WatchesCommittee(acr string) bool { return containsFold(p.Committees, acr) }

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// provisionReasons finds the watched provisions named in the texts, matched on whole words,
// case-insensitively.
func (p *Profile) provisionReasons(texts ...string) []string {
	var out []string
	for _, prov := range p.Provisions {
		pw := words(prov)
		if len(pw) == 0 {
			continue
		}
		for _, t := range texts {
			tw := words(t)
			found := false
			for i := range tw {
				if i+len(pw) <= len(tw) && slices.Equal(tw[i:i+len(pw)], pw) {
					found = true
					break
				}
			}
			if found {
				out = append(out, "provision: "+prov)
				break
			}
		}
	}
	return out
}
