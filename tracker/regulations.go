package tracker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// PartlyRead marks a source's error as partial when it returns no item: some of its pages were
// read (every item on them is stored already), others failed. The pass is partial, not
// failed: one Gazette part that answers 503 does not make the other part's reading a failure.
func PartlyRead(err error) error {
	if err == nil {
		return nil
	}
	return partlyRead{err}
}

type partlyRead struct{ error }

func (p partlyRead) Unwrap() error { return p.error }

// RegulationSource reads the Canada Gazette. It may return items together with an error: the
// items were read, some pages were not. known lists the items the store holds, by URL, so that
// the source need not fetch unchanged item pages again.
type RegulationSource interface {
	Regulations(ctx context.Context, known map[string]billwatch.Regulation) ([]billwatch.Regulation, error)
}

type regulationState struct {
	Regulation billwatch.Regulation `json:"regulation"`
}

// Regulations lists stored Gazette items, newest first.
func (s *Store) Regulations() ([]billwatch.Regulation, error) {
	var out []billwatch.Regulation
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktRegulations).ForEach(func(k, v []byte) error {
			var st regulationState
			j, _ := splitStoreKey(k)
			if err := decodeJSON(v, &st); err != nil {
				s.skip(bktRegulations, k, err)
				return nil
			}
			st.Regulation.Jurisdiction = j
			out = append(out, st.Regulation)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b billwatch.Regulation) int {
		if c := strings.Compare(b.Published, a.Published); c != 0 {
			return c
		}
		return strings.Compare(a.Key(), b.Key())
	})
	return out, err
}

// Deadline computes a comment deadline: the publication date plus N days, a calendar date in
// Eastern time.
func Deadline(published string, days int) (string, error) {
	d, err := time.ParseInLocation(billwatch.DateLayout, published, billwatch.Eastern)
	if err != nil {
		return "", fmt.Errorf("publication date %q: %w", published, err)
	}
	return d.AddDate(0, 0, days).Format(billwatch.DateLayout), nil
}

// ScrapeRegulations reads the Gazette, judges relevance, links Part II regulations to the
// Part I proposals they finalise, stores what changed and raises regulation.proposed and
// regulation.final alerts.
func (t *Tracker) ScrapeRegulations(ctx context.Context, src RegulationSource) Summary {
	start := t.now()
	sum := Summary{Source: SourceRegulations}

	stored, err := t.Store.Regulations()
	if err != nil {
		sum.Outcome = Failed
		sum.Problems = append(sum.Problems, err)
		return sum
	}
	known := map[string]billwatch.Regulation{}
	for _, r := range stored {
		known[r.URL] = r
	}
	items, err := src.Regulations(ctx, known)
	if err != nil {
		sum.Problems = append(sum.Problems, err)
		if len(items) == 0 && !errors.As(err, new(partlyRead)) {
			sum.Outcome = Failed
			t.settleOnly(&sum, start)
			return sum
		}
		sum.Outcome = Partial
	}
	sum.Items = len(items)
	var checks []billwatch.FieldCheck
	for _, r := range items {
		checks = append(checks, r.Checks...)
	}
	sum.Coverage = countChecks(checks)
	proposals := annotateRegulations(items, stored, t.ActiveProfile())
	for _, r := range items {
		if r.Relevant {
			sum.Relevant++
		}
		if r.Gap != "" {
			t.Log.Warn("gazette item kept with a gap", "url", r.URL, "gap", r.Gap)
		}
	}
	now := t.now()
	t.commit(&sum, start, func(tx *bolt.Tx) ([]billwatch.Alert, error) {
		return t.storeRegulations(tx, &sum, stored, items, proposals, now)
	})
	return sum
}

// annotateRegulations completes the items read with what the store and the profile know:
// comment deadlines, relevance and the Part I proposal a Part II regulation finalises. It
// returns the proposals known, stored and read. It touches no database.
func annotateRegulations(items, stored []billwatch.Regulation, profile Profile) []billwatch.Regulation {
	proposals := slices.DeleteFunc(slices.Clone(stored), func(r billwatch.Regulation) bool { return r.Part != "I" })
	for i := range items {
		r := &items[i]
		if r.CommentDays != nil && r.CommentDeadline == "" && r.Published != "" {
			if d, err := Deadline(r.Published, *r.CommentDays); err == nil {
				r.CommentDeadline = d
			}
		}
		if r.Part == "I" {
			proposals = append(proposals, *r)
		}
	}
	for i := range items {
		r := &items[i]
		r.Reasons = profile.RegulationReasons(*r)
		r.Relevant = len(r.Reasons) > 0
		if r.Part == "II" && r.Finalises == "" {
			if p, ok := findProposal(proposals, *r); ok {
				r.Finalises = p.Key()
				if !r.Relevant && p.Relevant {
					r.Reasons = append(r.Reasons, "finalises a watched proposal")
					r.Relevant = true
				}
			}
		}
	}
	return proposals
}

// regulationVerdict is what judging one Gazette item against its stored state decides.
type regulationVerdict struct {
	Store bool // the item changed: store a version and its state
	Alert bool // the change is news: raise its alerts
	// Prev is the item as last read, when it was read; nil for an item new to the store
	// or only seen on an index before.
	Prev *billwatch.Regulation
}

// judgeRegulation decides what one item read means, given its stored state (nil when none)
// and whether its Gazette part has a baseline. It is pure: old state and observation in,
// verdict out.
func judgeRegulation(old *billwatch.Regulation, r billwatch.Regulation, partKnown bool) regulationVerdict {
	if old != nil && sameJSON(*old, r) {
		return regulationVerdict{}
	}
	if old != nil && r.Unread && !old.Unread {
		return regulationVerdict{} // a page read before and not this time: what it said stands
	}
	v := regulationVerdict{Store: true}
	// No alert from a page that was not read: the index's title and department say nothing
	// of the comment period. The alert comes once the page is read.
	if !partKnown || !r.Relevant || r.Unread {
		return v
	}
	v.Alert = true
	if old != nil && !old.Unread {
		v.Prev = old
	}
	return v
}

// storeRegulations writes, within tx, the items that changed and returns their alerts.
func (t *Tracker) storeRegulations(tx *bolt.Tx, sum *Summary, stored, items, proposals []billwatch.Regulation, now time.Time) ([]billwatch.Alert, error) {
	b := tx.Bucket(bktRegulations)
	// Part I and Part II each have their own baseline: the first time a part's items are
	// read, they are stored without alerts, even when the other part's feed failed.
	known := map[string]bool{}
	for _, r := range stored {
		known[r.Part] = true
	}
	sum.Baseline = len(known) == 0
	var alerts []billwatch.Alert
	for _, r := range items {
		key := regulationKey(r)
		var old regulationState
		had, err := getJSON(b, key, &old)
		if err != nil {
			return nil, err
		}
		var prev *billwatch.Regulation
		if had {
			prev = &old.Regulation
		}
		v := judgeRegulation(prev, r, known[r.Part])
		if !v.Store {
			continue
		}
		payload, _ := jsonBytes(r)
		if _, added, err := addVersion(tx, regulationDoc(r), payload, r.URL, "item", now); err != nil {
			return nil, err
		} else if added {
			sum.Versions++
		}
		if err := putJSON(b, key, regulationState{Regulation: r}); err != nil {
			return nil, err
		}
		sum.Changed++
		if v.Alert {
			alerts = append(alerts, t.regulationAlerts(v.Prev, r, proposals)...)
		}
	}
	return alerts, nil
}

// findProposal finds the Part I proposal a Part II regulation finalises: the one prepublished
// on the date the regulation names, with the most title words in common.
func findProposal(proposals []billwatch.Regulation, r billwatch.Regulation) (billwatch.Regulation, bool) {
	best, bestScore := billwatch.Regulation{}, 0.0
	rw := words(r.Title)
	for _, p := range proposals {
		if r.Prepublished != "" && p.Published != r.Prepublished {
			continue
		}
		score := overlap(rw, words(p.Title))
		if r.Prepublished == "" && score < 0.9 {
			continue // without a date, only a near-identical title will do
		}
		if score > bestScore {
			best, bestScore = p, score
		}
	}
	return best, bestScore >= 0.5
}

func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			n++
		}
	}
	return float64(n) / float64(max(len(a), len(b)))
}

func (t *Tracker) regulationAlerts(prev *billwatch.Regulation, r billwatch.Regulation, proposals []billwatch.Regulation) []billwatch.Alert {
	links := []billwatch.Link{{Label: "Canada Gazette", URL: r.URL}}
	who := firstNonEmpty(r.Department, "department not stated")
	acts := ""
	if len(r.Acts) > 0 {
		acts = " under the " + strings.Join(r.Acts, ", ")
	}
	switch r.Part {
	case "I":
		window := "comment period not stated on the page: check the notice"
		if r.CommentDays != nil {
			window = fmt.Sprintf("comments within %d days, by %s", *r.CommentDays, r.CommentDeadline)
		}
		if prev != nil {
			if prev.CommentDeadline == r.CommentDeadline {
				return nil
			}
			return []billwatch.Alert{t.newAlert(billwatch.Alert{
				Kind: billwatch.KindRegulationProposed, Severity: billwatch.Urgent, Audience: billwatch.Policy,
				Subject: "Gazette " + r.ID, Title: r.Title, Deadline: r.CommentDeadline, Links: links,
				Why:  fmt.Sprintf("the notice was corrected: comment deadline %s → %s", firstNonEmpty(prev.CommentDeadline, "unknown"), firstNonEmpty(r.CommentDeadline, "unknown")),
				Text: fmt.Sprintf("%s (%s%s), published %s: %s.", r.Title, who, acts, r.Published, window),
			}, "deadline "+r.CommentDeadline)}
		}
		return []billwatch.Alert{t.newAlert(billwatch.Alert{
			Kind: billwatch.KindRegulationProposed, Severity: billwatch.Action, Audience: billwatch.Policy,
			Subject: "Gazette " + r.ID, Title: r.Title, Deadline: r.CommentDeadline, Links: links,
			Why:  "proposed regulation open for comment, matching " + strings.Join(r.Reasons, ", ") + "; " + window,
			Text: fmt.Sprintf("%s, proposed by %s%s in the Canada Gazette, Part I, of %s. %s.", r.Title, who, acts, r.Published, strings.ToUpper(window[:1])+window[1:]),
		}, "")}
	case "II":
		if prev != nil {
			return nil
		}
		reg := ""
		if r.Registration != nil {
			reg = *r.Registration + " "
		}
		text := fmt.Sprintf("%s%s, made by %s%s, published in the Canada Gazette, Part II, of %s.", reg, r.Title, who, acts, r.Published)
		why := "regulation made, matching " + strings.Join(r.Reasons, ", ")
		if r.Finalises != "" {
			for _, p := range proposals {
				if p.Key() == r.Finalises {
					why = fmt.Sprintf("it finalises the proposal of %s (%s)", p.Published, p.Title)
					text += fmt.Sprintf("\nIt finalises the proposal published in Part I on %s: %s", p.Published, p.URL)
				}
			}
		}
		return []billwatch.Alert{t.newAlert(billwatch.Alert{
			Kind: billwatch.KindRegulationFinal, Severity: billwatch.Info, Audience: billwatch.Policy,
			Subject: "Gazette " + r.ID, Title: r.Title, Links: links, Why: why, Text: text,
			Thread: threadFor(r, proposals),
		}, "")}
	}
	return nil
}

// threadFor threads a final regulation under its proposal's alerts.
func threadFor(r billwatch.Regulation, proposals []billwatch.Regulation) string {
	for _, p := range proposals {
		if p.Key() == r.Finalises {
			return "Gazette " + p.ID
		}
	}
	return ""
}
