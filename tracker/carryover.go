package tracker

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// pastBills is what a pass knows of the coalition's memory and of earlier bills when it judges
// relevance: the bills with a record, which stored bills are relevant, the links stored, and
// the long titles of the bills a reintroduction would matter for. Memory and lineage exist for
// Parliament's bills only.
type pastBills struct {
	recorded map[string]bool          // "45-1 C-22" → has a record
	relevant map[string]bool          // stored bills judged relevant
	stored   map[string]bool          // every stored bill
	links    map[string][]LineageLink // stored links by bill
	// titles are the normalised long titles of bills with a record or judged relevant, with
	// their keys: a bill of a later session with the same title may reintroduce one.
	titles   map[string][]string
	sessions []string // sessions of the stored bills, sorted
}

// normTitle is a long title folded for comparison: lower case, words only.
func normTitle(s string) string { return strings.Join(words(s), " ") }

// loadPast reads pastBills within tx.
func loadPast(tx *bolt.Tx) *pastBills {
	p := &pastBills{recorded: map[string]bool{}, relevant: map[string]bool{}, stored: map[string]bool{}, links: map[string][]LineageLink{}, titles: map[string][]string{}}
	if b := tx.Bucket(bktMemory); b != nil {
		_ = b.ForEach(func(k, v []byte) error {
			_, subject := splitStoreKey(k)
			bill, ok := strings.CutPrefix(subject, "bill ")
			if !ok {
				return nil
			}
			var r Record
			if decodeJSON(v, &r) == nil && !r.Empty() {
				p.recorded[bill] = true
			}
			return nil
		})
	}
	if b := tx.Bucket(bktLinks); b != nil {
		_ = b.ForEach(func(k, v []byte) error {
			var ls []LineageLink
			if decodeJSON(v, &ls) == nil {
				_, bill := splitStoreKey(k)
				p.links[bill] = ls
			}
			return nil
		})
	}
	type titled struct{ key, title string }
	var all []titled
	// Every pass reads this for every stored bill, of every session: only the four fields
	// it needs are decoded (BenchmarkPastBills: 12 ms on 1,200 bills, 22 ms decoding whole
	// billStates).
	var st struct {
		Bill struct {
			Session  string `json:"session"`
			Number   string `json:"number"`
			Title    string `json:"title"`
			Relevant bool   `json:"relevant"`
		} `json:"bill"`
	}
	_ = tx.Bucket(bktBills).ForEach(func(k, v []byte) error {
		if j, _ := splitStoreKey(k); j.Or() != billwatch.Canada {
			return nil
		}
		// Unmarshal leaves the fields a record lacks as they were: reset them.
		st.Bill.Session, st.Bill.Number, st.Bill.Title, st.Bill.Relevant = "", "", "", false
		if decodeJSON(v, &st) != nil {
			return nil
		}
		key := st.Bill.Session + " " + st.Bill.Number
		p.stored[key] = true
		if st.Bill.Relevant {
			p.relevant[key] = true
		}
		if !slices.Contains(p.sessions, st.Bill.Session) {
			p.sessions = append(p.sessions, st.Bill.Session)
		}
		all = append(all, titled{key, st.Bill.Title})
		return nil
	})
	slices.SortFunc(p.sessions, compareSessions)
	for _, t := range all {
		if p.recorded[t.key] || p.relevant[t.key] {
			if n := normTitle(t.title); n != "" {
				p.titles[n] = append(p.titles[n], t.key)
			}
		}
	}
	return p
}

// compareSessions orders "44-1" < "45-1" < "45-2" < "100-1".
func compareSessions(a, b string) int {
	pa, sa, _ := strings.Cut(a, "-")
	pb, sb, _ := strings.Cut(b, "-")
	if c := compareNumbers(pa, pb); c != 0 {
		return c
	}
	return compareNumbers(sa, sb)
}

func compareNumbers(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// previousSession is the latest stored session before s, "" when none.
func (p *pastBills) previousSession(s string) string {
	prev := ""
	for _, x := range p.sessions {
		if compareSessions(x, s) < 0 {
			prev = x
		}
	}
	return prev
}

// followed reports whether an earlier bill matters for its successor: the coalition has a
// record on it, or it is watched.
func (p *pastBills) followed(key string) bool { return p.recorded[key] || p.relevant[key] }

// reinstates is the key of the bill of the previous stored session b reinstates, "" when the
// site does not say b is reinstated or that bill is not stored.
func (p *pastBills) reinstates(b billwatch.Bill) string {
	if b.ReinstatedFrom == "" || b.Jurisdiction.Or() != billwatch.Canada {
		return ""
	}
	prev := p.previousSession(b.Session)
	if prev == "" {
		return ""
	}
	if key := prev + " " + b.ReinstatedFrom; p.stored[key] {
		return key
	}
	return ""
}

// reasons are the reasons the coalition's memory and a bill's lineage give for watching it,
// beyond the profile's: its own record, and an earlier bill it reintroduces or reinstates that
// has a record or is watched.
func (p *pastBills) reasons(b billwatch.Bill) []string {
	if p == nil || b.Jurisdiction.Or() != billwatch.Canada {
		return nil
	}
	var out []string
	key := b.Key()
	if p.recorded[key] {
		out = append(out, "coalition record")
	}
	if r := p.reinstates(b); r != "" && p.followed(r) {
		out = append(out, "reinstates "+r)
	}
	for _, l := range p.links[key] {
		if l.Relation == Reintroduction && !l.Later && p.followed(l.Key()) && !slices.Contains(out, "reinstates "+l.Key()) {
			out = append(out, "reintroduces "+l.Key())
		}
	}
	return out
}

// titleMatch reports whether b has the long title of a followed bill of an earlier session:
// it may reintroduce it, and its text is to be read so that lineage can tell.
func (p *pastBills) titleMatch(b billwatch.Bill) bool {
	if p == nil || b.Jurisdiction.Or() != billwatch.Canada {
		return false
	}
	for _, k := range p.titles[normTitle(b.Title)] {
		if s, _, _ := strings.Cut(k, " "); compareSessions(s, b.Session) < 0 {
			return true
		}
	}
	return false
}

// billReasons is why a bill is watched: the profile's reasons, else the memory's and
// lineage's (only then: a bill the profile watches keeps the reasons it had).
func billReasons(profile Profile, past *pastBills, b billwatch.Bill) []string {
	if reasons := profile.BillReasons(b); len(reasons) > 0 {
		return reasons
	}
	return past.reasons(b)
}

// pastBills reads what the coalition's memory and lineage say of stored bills.
func (s *Store) pastBills() (*pastBills, error) {
	var p *pastBills
	err := s.view(func(tx *bolt.Tx) error {
		p = loadPast(tx)
		return nil
	})
	return p, err
}

// reinstatementLink is the link of a bill the site says reinstates an earlier one: the same
// bill, carried over at the stage it had reached, linked without waiting for a text.
func reinstatementLink(key string) LineageLink {
	session, number, _ := strings.Cut(key, " ")
	return LineageLink{Session: session, Number: number, Relation: Reintroduction, Reinstated: true}
}

// storeReinstatement links, within tx, a bill the site says reinstates a stored bill of the
// previous session, unless the texts already linked them. It returns the links of b found by
// this pass (text lineage, then the reinstatement).
func storeReinstatement(tx *bolt.Tx, past *pastBills, b billwatch.Bill, text []LineageLink) ([]LineageLink, error) {
	found := slices.Clone(text)
	r := past.reinstates(b)
	if r == "" {
		return found, nil
	}
	stored := getLinks(tx, b.Key())
	i := slices.IndexFunc(stored, func(l LineageLink) bool { return l.Key() == r })
	if i >= 0 {
		if !stored[i].Reinstated {
			stored[i].Reinstated = true
			if err := putLinks(tx, b.Key(), stored); err != nil {
				return nil, err
			}
		}
		if !slices.ContainsFunc(found, func(l LineageLink) bool { return l.Key() == r }) {
			found = append(found, stored[i])
		}
		return found, nil
	}
	link := reinstatementLink(r)
	if err := putLinks(tx, b.Key(), append(stored, link)); err != nil {
		return nil, err
	}
	return append(found, link), nil
}

// linkReasons makes a bill the profile does not watch relevant when a link found by this pass
// ties it to an earlier bill that has a record or is watched.
func (p *pastBills) linkReasons(b *billwatch.Bill, found []LineageLink) {
	if b.Relevant {
		return // the profile's reasons stand alone (billReasons)
	}
	for _, l := range found {
		if l.Relation != Reintroduction || l.Later || !p.followed(l.Key()) {
			continue
		}
		r := "reintroduces " + l.Key()
		if l.Reinstated {
			r = "reinstates " + l.Key()
		}
		if !slices.Contains(b.Reasons, r) {
			b.Reasons = append(b.Reasons, r)
		}
		b.Relevant = true
	}
}

// lineageAlerts raises, for a bill already stored, one alert per link to an earlier followed
// bill that this pass found and the store did not hold: the text was published after the
// bill was listed, so its introduction alert could not say it. The alert's record line (the
// earlier bill's position, owner, documents) is added when it is queued.
func (t *Tracker) lineageAlerts(past *pastBills, b billwatch.Bill, found []LineageLink) []billwatch.Alert {
	if !b.Relevant {
		return nil
	}
	var out []billwatch.Alert
	for _, l := range found {
		if l.Relation != Reintroduction || l.Later || !past.followed(l.Key()) {
			continue
		}
		if slices.ContainsFunc(past.links[b.Key()], func(x LineageLink) bool { return x.Key() == l.Key() }) {
			continue
		}
		title := firstNonEmpty(b.ShortTitle, b.Title)
		out = append(out, t.newAlert(billwatch.Alert{
			Kind: billwatch.KindBillIntroduced, Severity: billwatch.Action, Audience: billwatch.Policy,
			Subject: b.Key(), Title: title,
			Why:   l.Line() + ", found after its introduction",
			Text:  fmt.Sprintf("%s %s. Status: %s.", b.Key(), l.Line(), b.Status),
			Links: []billwatch.Link{billLink(b)},
		}, "lineage "+l.Key()))
	}
	return out
}
