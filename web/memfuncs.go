package web

import (
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// The memory pages' template functions, kept apart from render.go's table.
func init() {
	funcs["carriedRef"] = carriedRef
	funcs["alertLabel"] = alertLabel
	funcs["positionName"] = tracker.PositionName
}

// alertLabel names an alert's kind in plain words, as kindLabel does, but for a next step's
// reminder, which shares the kind deadline.reminder with comment deadlines: "Next step due".
func alertLabel(a billwatch.Alert) string {
	switch {
	case tracker.IsNextStepReminder(a):
		return "Next step due"
	case a.Kind == billwatch.KindDeadlineReminder:
		return "Comment deadline" // kindLabel names the kind, which covers both
	}
	return kindLabel(a.Kind)
}

// carriedLink is a carry entry of the history split around the bill it names, so the page
// links that bill's history: "from " + "bill 45-1 C-8" + "; decided there: …".
type carriedLink struct {
	Prefix, Bill, Path, Rest string
}

// carriedRef parses a "carried" history entry ("from bill 45-1 C-8; decided there: …", "to
// bill 45-2 C-2 (the next step moved with the file)"); nil for any other entry, or one that
// names no bill.
func carriedRef(c tracker.Change) *carriedLink {
	if c.Field != "carried" {
		return nil
	}
	var prefix string
	rest := c.After
	for _, p := range []string{"from ", "to "} {
		if r, ok := strings.CutPrefix(rest, p+"bill "); ok {
			prefix, rest = p, r
			break
		}
	}
	if prefix == "" {
		return nil
	}
	f := strings.Fields(rest)
	if len(f) < 2 || !sessionRe.MatchString(f[0]) {
		return nil
	}
	num := strings.TrimRight(f[1], ";,.")
	if billwatch.NormalizeBillNumber(num) != num {
		return nil
	}
	key := f[0] + " " + num
	return &carriedLink{Prefix: prefix, Bill: "bill " + key, Path: billwatch.BillPath(f[0], num) + "/history", Rest: strings.TrimPrefix(rest, key)}
}
