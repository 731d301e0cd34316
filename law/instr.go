package law

import (
	"regexp"
	"strings"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// Effect kinds, as the JSON spells them.
const (
	Replaced   = "replaced"
	Added      = "added"
	Repealed   = "repealed"
	Words      = "words"
	Renumbered = "renumbered"
)

// Reasons an effect is not applied. Each reason starts with one of these, then says what.
const (
	ReasonForm     = "form not recognised"
	ReasonNotFound = "target not found"
	ReasonNoAct    = "Act not available"
	ReasonUnsure   = "not applied with certainty"
	ReasonFrench   = "amends the French version only"
	// ReasonAlready is an instruction whose change the Act already shows: the provision is
	// already repealed, the words are already there.
	ReasonAlready = "already in the Act"
	// ReasonCompound is a step of a compound instruction left undone because another step
	// of the same instruction could not be applied: an instruction is applied whole or not
	// at all.
	ReasonCompound = "not applied: another part of the same instruction could not be"
)

// action kinds, one per drafting formula.
const (
	aReplace        = "replace"
	aReplaceBefore  = "replace-before"  // the portion of X before paragraph (a)
	aReplaceAfter   = "replace-after"   // the portion of X after paragraph (b)
	aReplaceHeading = "replace-heading" // the heading before section X
	aReplaceWithHd  = "replace-with-heading"
	aAddAfter       = "add-after"
	aAddBefore      = "add-before"
	aAddAlpha       = "add-alpha"
	aAddEnd         = "add-end"
	aRepeal         = "repeal"
	aRepealHeading  = "repeal-heading"
	aRepealWithHd   = "repeal-with-heading"
	aStrike         = "strike"
	aReplaceWords   = "replace-words"
	aAddWords       = "add-words"
	aRenumber       = "renumber"
)

// ref is a provision named by an instruction: its kind and its label path
// (["71", "(4)", "(a)"]), with definition terms when it names definitions inside it.
type ref struct {
	kind  string
	path  []string
	terms []string
}

// action is one elementary change an instruction makes. A compound instruction ("is
// amended by striking out …, by adding … and by adding the following after …") makes several.
type action struct {
	kind    string
	targets []ref  // what is changed (several: "Subsections 21(2) and (3)")
	anchor  ref    // after/before what, at the end of what, the portion before which paragraph
	where   string // "at-end" for words at the end of the anchor
	words   string // quoted words struck out, replaced or added
	with    string // the replacement words; the words after or before which words are added
	all     bool   // "wherever it occurs"
	newRef  ref    // renumbering: the new label path
	lang    string // "en" or "fr" when the instruction is limited to one version
	err     string // the form is not recognised: why
	subject string // what an unrecognised instruction is about, when it is not a provision ("the schedule")
}

// The patterns' common parts are constants, so that the patterns are joined at compile time,
// not at every command's start-up.
const (
	kindWords = `(section|subsection|paragraph|subparagraph|clause|subclause|sub-subclause)s?`
	refPat    = `(?:\d+(?:\.\d+)*[A-Z]?(?:\([^()\s]+\))*|(?:\([^()\s]+\))+)`
	quotePat  = `[“"]([^”"]*)[”"]`
)

var (
	actPhraseRE = lazyre.New(`(?i)\s(?:of|to|in) the (?:(English|French) version of the )?Act\b`)
	versionRE   = lazyre.New(`(?i)^the (English|French) version of the Act$`)

	subjKindRE     = lazyre.New(`(?i)^` + kindWords + ` (` + refPat + `(?:(?:, | and | to )` + refPat + `)*)$`)
	subjHeadRE     = lazyre.New(`(?i)^` + kindWords + ` (` + refPat + `) and the heading before it$`)
	subjPortionRE  = lazyre.New(`(?i)^the portion of ` + kindWords + ` (` + refPat + `) (before|after) ` + kindWords + ` (` + refPat + `)$`)
	subjHeadingRE  = lazyre.New(`(?i)^the heading before ` + kindWords + ` (` + refPat + `)$`)
	subjDefRE      = lazyre.New(`(?i)^the definitions? ((?:` + quotePat + `(?:, | and |, and )?)+) in ` + kindWords + ` (` + refPat + `)$`)
	subjScheduleRE = lazyre.New(`(?i)^(?:the schedule|schedule [\w.]+)$`)
	refListSepRE   = lazyre.New(`, and |, | and | to `)
	refPartRE      = lazyre.New(`^(\d+(?:\.\d+)*[A-Z]?)?((?:\([^()\s]+\))*)$`)
	quoteRE        = lazyre.New(quotePat)

	addFollowingRE = lazyre.New(`(?i)^adding the following(?: (after|before) ` + kindWords + ` (` + refPat + `)| in alphabetical order)?$`)
	strikeRE       = lazyre.New(`(?i)^striking out ` + quotePat + `(?: (at the end of|in) ` + kindWords + ` (` + refPat + `))?( wherever (?:it|they) occurs?| every time it occurs| each time it (?:occurs|appears))?$`)
	substituteRE   = lazyre.New(`(?i)^striking out ` + quotePat + ` and substituting ` + quotePat + `$`)
	replaceWordsRE = lazyre.New(`(?i)^replacing ` + quotePat + ` with ` + quotePat + `(?: (at the end of|in) ` + kindWords + ` (` + refPat + `))?( wherever (?:it|they) occurs?| every time it occurs| each time it (?:occurs|appears))?$`)
	addWordsRE     = lazyre.New(`(?i)^adding ` + quotePat + ` (?:(after|before) ` + quotePat + `|(at the end of) ` + kindWords + ` (` + refPat + `))$`)
	renumberRE     = lazyre.New(`(?i)^renumbered as ` + kindWords + ` (` + refPat + `)$`)
	verbRE         = lazyre.New(`(?i)^(?:is|are) `)
	clauseSepRE    = lazyre.New(` and (?:is|are) `)
	stepSepRE      = lazyre.New(`,? (?:and )?by `)
)

// parseActions reads an instruction's text into the actions it makes. actTitle is the
// title of the Act the instruction names, if it names one ("Section 7 of the
// Telecommunications Act").
func parseActions(text, actTitle string) []action {
	t := strings.TrimSpace(text)
	t = strings.TrimRight(t, ":.; ")
	loc := instructionRE.FindStringIndex(t)
	if loc == nil {
		return []action{{err: ReasonForm + ": no verb (is amended, replaced, repealed or renumbered)"}}
	}
	subject, rest := strings.TrimSpace(t[:loc[0]]), t[loc[0]:]
	lang := ""
	// The Act named in full reads as "the Act" from here on.
	if actTitle != "" {
		subject = strings.ReplaceAll(subject, "the "+actTitle, "the Act")
		subject = strings.ReplaceAll(subject, "The "+actTitle, "The Act")
	}
	if m := versionRE.FindStringSubmatch(subject); m != nil {
		lang = strings.ToLower(m[1])[:2]
		subject = "the Act"
	}
	if m := actPhraseRE.FindStringSubmatch(subject); m != nil {
		if m[1] != "" {
			lang = strings.ToLower(m[1])[:2]
		}
		subject = actPhraseRE.ReplaceAllString(subject, "")
	}
	subject = strings.TrimSpace(subject)

	// The subject: what the instruction is about.
	var base action
	base.lang = lang
	whole := strings.EqualFold(subject, "the Act")
	portion, headingBefore, withHeading, schedule := "", false, false, false
	switch {
	case whole:
	case subjKindRE.MatchString(subject):
		m := subjKindRE.FindStringSubmatch(subject)
		refs, ok := refList(kindOf(m[1]), m[2])
		if !ok {
			return []action{{err: ReasonForm + ": cannot read the provisions named in “" + subject + "”", lang: lang}}
		}
		base.targets = refs
	case subjHeadRE.MatchString(subject):
		m := subjHeadRE.FindStringSubmatch(subject)
		r, ok := parseRef(kindOf(m[1]), m[2], nil)
		if !ok {
			return []action{{err: ReasonForm + ": cannot read “" + subject + "”", lang: lang}}
		}
		base.targets = []ref{r}
		withHeading = true
	case subjPortionRE.MatchString(subject):
		m := subjPortionRE.FindStringSubmatch(subject)
		r, ok := parseRef(kindOf(m[1]), m[2], nil)
		a, ok2 := parseRef(kindOf(m[4]), m[5], r.path)
		if !ok || !ok2 {
			return []action{{err: ReasonForm + ": cannot read “" + subject + "”", lang: lang}}
		}
		base.targets, base.anchor, portion = []ref{r}, a, strings.ToLower(m[3])
	case subjHeadingRE.MatchString(subject):
		m := subjHeadingRE.FindStringSubmatch(subject)
		r, ok := parseRef(kindOf(m[1]), m[2], nil)
		if !ok {
			return []action{{err: ReasonForm + ": cannot read “" + subject + "”", lang: lang}}
		}
		base.anchor, headingBefore = r, true
	case subjDefRE.MatchString(subject):
		m := subjDefRE.FindStringSubmatch(subject)
		r, ok := parseRef(kindOf(m[3]), m[4], nil)
		if !ok {
			return []action{{err: ReasonForm + ": cannot read “" + subject + "”", lang: lang}}
		}
		for _, q := range quoteRE.FindAllStringSubmatch(m[1], -1) {
			r.terms = append(r.terms, q[1])
		}
		base.targets = []ref{r}
	case subjScheduleRE.MatchString(subject):
		schedule = true
	default:
		return []action{{err: ReasonForm + ": the subject “" + subject + "” is not a form billwatch reads", lang: lang}}
	}
	if schedule {
		return []action{{err: ReasonForm + ": amendments to schedules are not applied yet", lang: lang, subject: subject}}
	}

	// The predicates: "is replaced by the following", "is amended by A, by B and by C",
	// "is renumbered as … and is amended by …".
	var out []action
	for _, clause := range splitOutsideQuotes(rest, clauseSepRE.Get()) {
		clause = verbRE.ReplaceAllString(strings.TrimSpace(clause), "")
		low := strings.ToLower(clause)
		a := base
		switch {
		case low == "replaced by the following" || low == "replaced by the following schedule":
			switch {
			case headingBefore:
				a.kind = aReplaceHeading
			case withHeading:
				a.kind = aReplaceWithHd
			case portion == "before":
				a.kind = aReplaceBefore
			case portion == "after":
				a.kind = aReplaceAfter
			case whole:
				a.err = ReasonForm + ": the whole Act replaced"
			default:
				a.kind = aReplace
			}
		case low == "repealed":
			switch {
			case headingBefore:
				a.kind = aRepealHeading
			case withHeading:
				a.kind = aRepealWithHd
			case portion != "" || whole:
				a.err = ReasonForm + ": repeal of “" + subject + "”"
			default:
				a.kind = aRepeal
			}
		case strings.HasPrefix(low, "renumbered as "):
			m := renumberRE.FindStringSubmatch(clause)
			if m == nil || len(a.targets) != 1 || portion != "" || headingBefore {
				a.err = ReasonForm + ": renumbering “" + clause + "”"
				break
			}
			r, ok := parseRef(kindOf(m[1]), m[2], a.targets[0].path[:len(a.targets[0].path)-1])
			if !ok {
				a.err = ReasonForm + ": renumbering “" + clause + "”"
				break
			}
			a.kind, a.newRef = aRenumber, r
		case strings.HasPrefix(low, "amended by "):
			if portion != "" || headingBefore || withHeading || len(base.targets) > 1 {
				a.err = ReasonForm + ": “" + subject + " … amended by”"
				break
			}
			for _, step := range splitOutsideQuotes(clause[len("amended by "):], stepSepRE.Get()) {
				out = append(out, amendStep(base, strings.TrimSpace(step)))
			}
			continue
		default:
			a.err = ReasonForm + ": “… " + clause + "”"
		}
		out = append(out, a)
	}
	return out
}

// amendStep reads one step of "is amended by …".
func amendStep(base action, step string) action {
	a := base
	var subject []string
	if len(base.targets) == 1 {
		subject = base.targets[0].path
	}
	anchor := func(kind, r string) bool {
		x, ok := parseRef(kindOf(kind), r, subject)
		a.anchor = x
		return ok
	}
	switch {
	case addFollowingRE.MatchString(step):
		m := addFollowingRE.FindStringSubmatch(step)
		switch {
		case m[1] != "":
			if !anchor(m[2], m[3]) {
				return action{err: ReasonForm + ": “" + step + "”", lang: base.lang}
			}
			a.kind = aAddAfter
			if strings.EqualFold(m[1], "before") {
				a.kind = aAddBefore
			}
		case strings.HasSuffix(strings.ToLower(step), "alphabetical order"):
			a.kind = aAddAlpha
		default:
			a.kind = aAddEnd
		}
		if a.kind != aAddAfter && a.kind != aAddBefore && len(base.targets) == 0 {
			return action{err: ReasonForm + ": “" + step + "” with no provision named", lang: base.lang}
		}
	case substituteRE.MatchString(step):
		m := substituteRE.FindStringSubmatch(step)
		a.kind, a.words, a.with = aReplaceWords, m[1], m[2]
	case strikeRE.MatchString(step):
		m := strikeRE.FindStringSubmatch(step)
		a.kind, a.words, a.all = aStrike, m[1], m[5] != ""
		if m[2] != "" {
			if !anchor(m[3], m[4]) {
				return action{err: ReasonForm + ": “" + step + "”", lang: base.lang}
			}
			if strings.EqualFold(m[2], "at the end of") {
				a.where = "at-end"
			}
		}
	case replaceWordsRE.MatchString(step):
		m := replaceWordsRE.FindStringSubmatch(step)
		a.kind, a.words, a.with, a.all = aReplaceWords, m[1], m[2], m[6] != ""
		if m[3] != "" {
			if !anchor(m[4], m[5]) {
				return action{err: ReasonForm + ": “" + step + "”", lang: base.lang}
			}
			if strings.EqualFold(m[3], "at the end of") {
				a.where = "at-end"
			}
		}
	case addWordsRE.MatchString(step):
		m := addWordsRE.FindStringSubmatch(step)
		a.kind, a.words = aAddWords, m[1]
		if m[2] != "" {
			a.where, a.with = strings.ToLower(m[2]), m[3]
		} else {
			if !anchor(m[5], m[6]) {
				return action{err: ReasonForm + ": “" + step + "”", lang: base.lang}
			}
			a.where = "at-end"
		}
	default:
		return action{err: ReasonForm + ": “amended by " + step + "”", lang: base.lang, targets: base.targets}
	}
	if (a.kind == aStrike || a.kind == aReplaceWords || a.kind == aAddWords) && len(base.targets) == 0 {
		return action{err: ReasonForm + ": words changed with no provision named", lang: base.lang}
	}
	return a
}

// kindOf maps "Subsections" to "subsection".
func kindOf(w string) string {
	w = strings.ToLower(w)
	if w == "sub-subclause" || w == "sub-subclauses" {
		return KindSubsubclause
	}
	return strings.TrimSuffix(w, "s")
}

// parseRef reads "71(4)(a)" (absolute) or "(a)" (relative to base).
func parseRef(kind, s string, base []string) (ref, bool) {
	m := refPartRE.FindStringSubmatch(s)
	if m == nil {
		return ref{}, false
	}
	var path []string
	if m[1] != "" {
		path = append(path, m[1])
	} else {
		if len(base) == 0 {
			return ref{}, false
		}
		path = append(path, base...)
	}
	for _, p := range strings.SplitAfter(m[2], ")") {
		if p != "" {
			path = append(path, p)
		}
	}
	if len(path) == 0 {
		return ref{}, false
	}
	// The kind must fit the depth a reference of that kind has: a section has one label,
	// a subsection or a section's paragraph two, and so on.
	if kind == KindSection && len(path) != 1 || kind != KindSection && len(path) < 2 {
		return ref{}, false
	}
	return ref{kind: kind, path: path}, true
}

// refList reads "21(2) and (3)", "5 to 7", "71(4)(a), (b) and (c)": the later references
// are relative to the first's parent. A range keeps its two ends, marked by "to".
func refList(kind, s string) ([]ref, bool) {
	seps := refListSepRE.FindAllString(s, -1)
	parts := refListSepRE.Split(s, -1)
	var out []ref
	for i, p := range parts {
		var base []string
		if i > 0 {
			base = out[0].path[:len(out[0].path)-1]
		}
		r, ok := parseRef(kind, p, nil)
		if !ok && i > 0 {
			r, ok = parseRef(kind, p, base)
			if ok && strings.HasPrefix(p, "(") && len(r.path) != len(out[0].path) {
				ok = false
			}
		}
		if !ok {
			return nil, false
		}
		if i > 0 && seps[i-1] == " to " {
			r.terms = []string{"to"} // the end of a range
		}
		out = append(out, r)
	}
	return out, true
}

// splitOutsideQuotes splits s at the matches of sep that are not inside quotation marks.
func splitOutsideQuotes(s string, sep *regexp.Regexp) []string {
	// Mask quoted text so that a separator inside quotes is not seen.
	masked := []byte(s)
	in := false
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "“"):
			in = true
			i += len("“")
			continue
		case strings.HasPrefix(s[i:], "”"):
			in = false
			i += len("”")
			continue
		case s[i] == '"':
			in = !in
		default:
			if in {
				masked[i] = 'x'
			}
		}
		i++
	}
	var out []string
	last := 0
	for _, loc := range sep.FindAllIndex(masked, -1) {
		out = append(out, s[last:loc[0]])
		last = loc[1]
	}
	return append(out, s[last:])
}
