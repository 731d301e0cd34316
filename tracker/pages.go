package tracker

import (
	"strings"

	"github.com/billwatch/billwatch"
)

// Amendment is what the bill.amended alert says about a new text version.
type Amendment struct {
	Brief   string // the Differ's brief
	Changed bool   // whether the law text changed
	// Anchor is the provision the web diff opens at: the weightiest flag's, else the first
	// change's.
	Anchor string
	// Top are the weightiest flags in plain words, each with the words it changed.
	Top []string
}

// AmendmentDiffer is a Differ that also says where to look in the diff. The tracker uses it,
// when the Differ has it, to link bill.amended alerts to the changed clause.
type AmendmentDiffer interface {
	Amendment(from, to []byte) (Amendment, error)
}

func (t *Tracker) amendment(from, to []byte) (Amendment, error) {
	if ad, ok := t.Differ.(AmendmentDiffer); ok {
		return ad.Amendment(from, to)
	}
	brief, changed, err := t.Differ.Brief(from, to)
	return Amendment{Brief: brief, Changed: changed}, err
}

// linkPage gives an alert its web page when the tracker knows the public address: the URL,
// and a first link to it, so that Slack and the console show it.
func (t *Tracker) linkPage(a billwatch.Alert) billwatch.Alert {
	base := strings.TrimRight(t.PublicURL, "/")
	if base == "" {
		return a
	}
	a.URL = base + a.PagePath()
	label := "Open in billwatch"
	if a.Kind == billwatch.KindBillAmended {
		label = "Open the diff"
	}
	a.Links = append([]billwatch.Link{{Label: label, URL: a.URL}}, a.Links...)
	return a
}
