package tracker

import (
	"fmt"
	"strings"

	"github.com/billwatch/billwatch"
)

// LawReader says what a bill text does to the consolidated Acts, for alerts.
type LawReader interface {
	// Effects reads one bill XML text.
	Effects(billXML []byte) (LawEffects, error)
}

// LawEffects is what a bill text does to the law, as alerts tell it.
type LawEffects struct {
	// Lines has one line per Act amended: "amends the Telecommunications Act: s. 15.1 to
	// 15.91 added, s. 47 replaced".
	Lines []string
	// Watched lists the watched provisions the text touches, each with what it does to
	// it: "C-23 s. 21" → "s. 21(1) replaced".
	Watched []WatchedProvision
}

// WatchedProvision is one watched provision a bill text touches.
type WatchedProvision struct {
	Watch   string // as configured: "Canadian Security Intelligence Service Act s. 21"
	Effects []string
}

// lawFor reads what each new text of a change does to the law. It runs outside any
// transaction: a reader may read the store.
func (t *Tracker) lawFor(body []byte) (LawEffects, bool) {
	if t.Law == nil || body == nil {
		return LawEffects{}, false
	}
	fx, err := t.Law.Effects(body)
	if err != nil {
		t.Log.Debug("bill text not read for its effect on the law", "error", err)
		return LawEffects{}, false
	}
	return fx, true
}

// withLaw adds a bill text's effect on the law to the bill.introduced and bill.amended
// alerts of one bill, and raises one bill.provision alert per watched provision touched
// (the id is the bill and the watch: a later text touching it again is no new alert).
func (t *Tracker) withLaw(alerts []billwatch.Alert, b billwatch.Bill, fx LawEffects, lawURL string) []billwatch.Alert {
	for i := range alerts {
		a := &alerts[i]
		if a.Subject != b.Key() || (a.Kind != billwatch.KindBillIntroduced && a.Kind != billwatch.KindBillAmended) || len(fx.Lines) == 0 {
			continue
		}
		a.Text += "\n" + strings.Join(fx.Lines, "\n")
		if lawURL != "" {
			a.Links = append(a.Links, billwatch.Link{Label: "Effect on the law", URL: lawURL})
		}
	}
	title := firstNonEmpty(b.ShortTitle, b.Title)
	for _, w := range fx.Watched {
		a := t.newAlert(billwatch.Alert{
			Kind: billwatch.KindBillProvision, Severity: billwatch.Action, Audience: billwatch.Policy,
			Subject: b.Key(), Title: title,
			Why:   "touches a watched provision: " + w.Watch,
			Text:  fmt.Sprintf("%s, %s, touches %s: %s.", b.Number, title, w.Watch, strings.Join(w.Effects, "; ")),
			Links: []billwatch.Link{billLink(b)},
		}, "provision "+w.Watch)
		if lawURL != "" {
			a.Links = append(a.Links, billwatch.Link{Label: "Effect on the law", URL: lawURL})
		}
		alerts = append(alerts, a)
	}
	return alerts
}
