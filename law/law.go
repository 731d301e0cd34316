package law

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/billwatch/billwatch/diff"
)

// Result is what a bill's amending instructions do to the Acts they amend. Its JSON is the
// contract's `law --format json`.
type Result struct {
	Bill    string      `json:"bill"`
	Session string      `json:"session"`
	Version string      `json:"version"`
	Summary Summary     `json:"summary"`
	Acts    []ActResult `json:"acts"`
	// InForce are the bill's coming-into-force provisions, as printed ("When it takes effect").
	InForce []InForce `json:"in_force,omitempty"`

	headline string // replaces the bill's name in Headline (an Act compared with itself)
}

// Summary counts elementary instructions: a compound instruction ("is amended by striking
// out …, by adding … and by adding the following …") counts once per change it makes.
type Summary struct {
	Instructions int `json:"instructions"`
	Applied      int `json:"applied"`
	Unapplied    int `json:"unapplied"`
}

// ActResult is one amended Act and the effects on it, in the bill's order.
type ActResult struct {
	Code           string   `json:"code"`
	Title          string   `json:"title"`
	Chapter        string   `json:"chapter,omitempty"`
	ConsolidatedTo string   `json:"consolidated_to"`
	Effects        []Effect `json:"effects"`
	// Act is the Act as the bill would leave it; nil when the Act was not available.
	Act *Act `json:"-"`
}

// Lookup finds the consolidated Act a bill names. It returns the Act's code when known,
// and the Act, or an error saying why it is not available (the reason shown on each of
// that Act's effects).
type Lookup func(ref ActRef) (code string, act *Act, err error)

// Apply applies a bill's instructions, in the bill's order, to copies of the Acts lookup
// finds. The Acts given are not changed.
func Apply(b *Bill, lookup Lookup) *Result {
	res := &Result{Bill: b.Number, Version: b.Version, InForce: b.InForce}
	type state struct {
		idx int
		ap  *applier
		err error
	}
	byRef, byCode := map[string]*state{}, map[string]*state{}
	for _, ins := range b.Instructions {
		key := TitleKey(ins.Act.Title)
		if key == "" {
			key = "|" + ChapterKey(ins.Act.Chapter)
		}
		st := byRef[key]
		if st == nil {
			code, act, err := lookup(ins.Act)
			// Two names of one Act (a title, then its chapter) share one copy.
			if code != "" {
				st = byCode[code]
			}
			if st == nil {
				ar := ActResult{Code: code, Title: ins.Act.Title, Chapter: ins.Act.Chapter}
				st = &state{err: err}
				if err == nil && act == nil {
					st.err = errNoAct
				}
				if st.err == nil {
					c := act.Clone()
					st.ap = &applier{act: c}
					ar.Code, ar.Chapter, ar.ConsolidatedTo, ar.Act = c.Code, c.Chapter, c.ConsolidatedTo, c
					if c.Title != "" {
						ar.Title = c.Title
					}
				}
				res.Acts = append(res.Acts, ar)
				st.idx = len(res.Acts) - 1
				if code != "" {
					byCode[code] = st
				}
			}
			byRef[key] = st
		}
		ar := &res.Acts[st.idx]
		actions := parseActions(ins.Text, ins.Act.Title)
		// A compound instruction is applied whole or not at all: its steps are applied to
		// a copy of what they touch, kept only when every step applied.
		var undo func()
		if len(actions) > 1 && st.ap != nil {
			undo = st.ap.begin(actions)
		}
		effects := make([]Effect, 0, len(actions))
		failed := false
		for _, a := range actions {
			e := Effect{BillProvision: ins.BillProvision, Instruction: ins.Text, Language: a.lang}
			describe(a, ins.Amended, &e)
			switch {
			case a.err != "":
				e.Reason = a.err
				failed = true
			case a.lang == "fr":
				e.Reason = ReasonFrench + ": the English text is unchanged"
			case st.err != nil:
				e.Reason = ReasonNoAct + ": " + st.err.Error()
			default:
				if err := st.ap.apply(a, ins.Amended, &e); err != nil {
					e.Reason = err.Error()
					e.Before, e.After, e.Note = "", "", ""
					failed = true
				} else {
					e.Applied = true
				}
			}
			effects = append(effects, e)
		}
		if failed && undo != nil {
			undo()
			for i := range effects {
				if effects[i].Applied {
					effects[i].Applied = false
					effects[i].Reason = ReasonCompound
					effects[i].Before, effects[i].After, effects[i].Note = "", "", ""
				}
			}
		}
		if st.ap != nil {
			st.ap.keep(effects)
		}
		for _, e := range effects {
			ar.Effects = append(ar.Effects, e)
			res.Summary.Instructions++
			if e.Applied {
				res.Summary.Applied++
			} else {
				res.Summary.Unapplied++
			}
		}
	}
	return res
}

// Annotate word-diffs every applied effect's before and after and flags its operative
// language, one goroutine per Act. Apply leaves it out: alerts and watches need only the
// effects, a reader needs the redline.
func (r *Result) Annotate() {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i := range r.Acts {
		es := r.Acts[i].Effects
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			for j := range es {
				switch {
				case !es[j].Applied:
				case len(es[j].Before)+len(es[j].After) > maxDiffText:
					es[j].Note = strings.TrimPrefix(es[j].Note+"; ", "; ") + fmt.Sprintf("not word-diffed: the text before and after is over %d kB", maxDiffText>>10)
				default:
					es[j].Ops, es[j].Flags = compare(es[j])
				}
			}
		}()
	}
	wg.Wait()
}

type constError string

func (e constError) Error() string { return string(e) }

const errNoAct = constError("no consolidated text")

// describe sets an effect's kind, target and sections from the instruction alone, so that
// an effect on an Act that is not available still says what it would change.
func describe(a action, amended []*Node, e *Effect) {
	switch a.kind {
	case aReplace, aReplaceWithHd, aReplaceBefore, aReplaceAfter, aReplaceHeading:
		e.Kind = Replaced
	case aAddAfter, aAddBefore, aAddAlpha, aAddEnd:
		e.Kind = Added
	case aRepeal, aRepealHeading, aRepealWithHd:
		e.Kind = Repealed
	case aStrike, aReplaceWords, aAddWords:
		e.Kind = Words
	case aRenumber:
		e.Kind = Renumbered
	}
	switch a.kind {
	case aReplaceHeading, aRepealHeading:
		e.Target = pathString(a.anchor.path)
		e.Part = "heading before " + e.Target
		e.Sections = []string{a.anchor.path[0]}
		return
	case aAddAfter, aAddBefore, aAddEnd, aAddAlpha:
		var labels []string
		parent := a.anchor.path
		if a.kind == aAddEnd || a.kind == aAddAlpha {
			parent = append(append([]string(nil), a.targets[0].path...), "x")
		}
		for _, n := range provisions(amended) {
			switch n.Kind {
			case KindHeading:
			case KindSection:
				labels = append(labels, n.Label)
				e.Sections = append(e.Sections, n.Label)
			case KindDefinition:
				labels = append(labels, pathString(parent[:len(parent)-1])+` "`+n.Label+`"`)
			default:
				if len(parent) > 0 {
					labels = append(labels, pathString(parent[:len(parent)-1])+n.Label)
				}
			}
		}
		if len(parent) > 0 && len(e.Sections) == 0 {
			e.Sections = []string{parent[0]}
		}
		e.Target = strings.Join(labels, ", ")
		if a.kind == aAddAfter {
			e.Part = "after " + pathString(a.anchor.path)
		} else if a.kind == aAddBefore {
			e.Part = "before " + pathString(a.anchor.path)
		}
		return
	}
	var names []string
	for _, r := range a.targets {
		names = append(names, refString(r))
		if len(r.path) > 0 {
			e.Sections = appendNew(e.Sections, r.path[0])
		}
	}
	sep := ", "
	if len(a.targets) == 2 && len(a.targets[1].terms) > 0 && a.targets[1].terms[0] == "to" {
		sep = " to "
	}
	e.Target = strings.Join(names, sep)
	if e.Target == "" && a.subject != "" {
		e.Target = strings.TrimPrefix(strings.TrimPrefix(a.subject, "The "), "the ")
	}
	if a.anchor.path != nil && (a.kind == aStrike || a.kind == aReplaceWords || a.kind == aAddWords) {
		e.Target = pathString(a.anchor.path)
	}
	if a.kind == aRepealWithHd {
		e.Part = "with the heading before it"
	}
	if a.kind == aReplaceBefore || a.kind == aReplaceAfter {
		e.Part = "portion " + map[string]string{aReplaceBefore: "before ", aReplaceAfter: "after "}[a.kind] + a.anchor.path[len(a.anchor.path)-1]
	}
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// compare word-diffs an applied effect's text and flags its operative language.
func compare(e Effect) ([]diff.Op, []diff.Flag) {
	where := e.Target
	if ts := strings.Split(e.Target, ", "); len(ts) > 1 {
		where = ts[0] + " to " + ts[len(ts)-1]
	}
	if where == "" && len(e.Sections) > 0 {
		where = e.Sections[0]
	}
	var ops []diff.Op
	if e.Before != "" && e.After != "" {
		ops = diff.WordDiff(e.Before, e.After)
	}
	return ops, dedupe(diff.TextFlags(e.Before, e.After, ops, where))
}

// dedupe drops repeated flags: a long addition with five 90-day limits says so once.
func dedupe(fs []diff.Flag) []diff.Flag {
	var out []diff.Flag
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Text] {
			seen[f.Text] = true
			out = append(out, f)
		}
	}
	return out
}

// render writes provisions as text: one line per provision, indented by depth, with the
// marginal note in brackets above the provision it names.
func render(ns []*Node) string {
	var sb strings.Builder
	for _, n := range ns {
		renderNode(&sb, n, 0)
	}
	return strings.TrimRight(sb.String(), "\n")
}

func renderNode(sb *strings.Builder, n *Node, depth int) {
	indent := strings.Repeat("  ", depth)
	if n.Kind == KindHeading {
		sb.WriteString(indent + strings.TrimSpace(n.Label+" "+n.Text) + "\n")
		return
	}
	if n.MarginalNote != "" {
		sb.WriteString(indent + "[" + n.MarginalNote + "]\n")
	}
	line := n.Text
	if n.Kind != KindDefinition && n.Kind != KindText && n.Label != "" {
		line = strings.TrimSpace(n.Label + " " + n.Text)
	}
	if line != "" {
		sb.WriteString(indent + line + "\n")
	}
	for _, k := range n.Children {
		renderNode(sb, k, depth+1)
	}
	if n.After != "" {
		sb.WriteString(indent + n.After + "\n")
	}
}

// IndexLookup resolves a bill's name for an Act with ix and loads the Act with load. An
// Act the index cannot resolve, or load cannot give, is reported with the reason.
func IndexLookup(ix *Index, load func(code string) (*Act, error)) Lookup {
	cache := map[string]*Act{}
	return func(r ActRef) (string, *Act, error) {
		code, err := ix.Resolve(r)
		if err != nil {
			return "", nil, err
		}
		if a, ok := cache[code]; ok {
			return code, a, nil
		}
		a, err := load(code)
		if err != nil {
			return code, nil, err
		}
		cache[code] = a
		return code, a, nil
	}
}

// Only keeps the Acts whose code is code (the `--act` narrowing) and recounts the summary.
func (r *Result) Only(code string) bool {
	var kept []ActResult
	for _, a := range r.Acts {
		if strings.EqualFold(a.Code, code) {
			kept = append(kept, a)
		}
	}
	r.Acts = kept
	r.Summary = Summary{}
	for _, a := range kept {
		for _, e := range a.Effects {
			r.Summary.Instructions++
			if e.Applied {
				r.Summary.Applied++
			} else {
				r.Summary.Unapplied++
			}
		}
	}
	return len(kept) > 0
}

// briefMax is how many changes a brief names per Act before "and N more".
const briefMax = 8

// Brief is one line per Act amended, for alerts: "amends the Telecommunications Act:
// s. 7(j) added, s. 15.1 to 15.91 added, s. 47 replaced, … and 9 more".
func (r *Result) Brief() []string {
	var out []string
	for _, a := range r.Acts {
		var items []string
		seen := map[string]bool{}
		for _, e := range a.Effects {
			if e.Kind == "" {
				continue
			}
			s := e.Brief()
			if !seen[s] {
				seen[s] = true
				items = append(items, s)
			}
		}
		if len(items) == 0 {
			continue
		}
		more := ""
		if len(items) > briefMax {
			more = fmt.Sprintf(", and %d more", len(items)-briefMax)
			items = items[:briefMax]
		}
		name := a.Title
		if name == "" {
			name = a.Chapter
		}
		if !strings.HasPrefix(name, "the ") && !strings.HasPrefix(name, "An ") {
			name = "the " + name
		}
		out = append(out, "amends "+name+": "+strings.Join(items, ", ")+more)
	}
	return out
}

// Brief names one effect shortly: "s. 47 replaced", "s. 15.1 to 15.91 added".
func (e Effect) Brief() string {
	short := e
	if ts := strings.Split(e.Target, ", "); len(ts) > 2 {
		short.Target = ts[0] + " to " + ts[len(ts)-1]
	}
	return short.Summary()
}
