package main

import (
	"math"
	"slices"
	"strings"

	"github.com/billwatch/billwatch/tracker"
)

// fieldRow is one page kind's field in `status --json`.
type fieldRow struct {
	Page       string  `json:"page"`
	Field      string  `json:"field"`
	Found      int     `json:"found"`
	Of         int     `json:"of"`
	Share      float64 `json:"share"`
	LevelFound int     `json:"level_found"`
	LevelOf    int     `json:"level_of"`
	Drifted    bool    `json:"drifted"`
}

func fieldRows(h tracker.Health, r tracker.RunStatus) []fieldRow {
	var out []fieldRow
	for _, f := range r.Fields {
		c := h.Coverage[f.Page+" "+f.Field]
		out = append(out, fieldRow{Page: f.Page, Field: f.Field, Found: f.Found, Of: f.Of, Share: math.Round(f.Share()*1000) / 1000,
			LevelFound: c.LevelFound, LevelOf: c.LevelOf, Drifted: c.Drifted})
	}
	slices.SortFunc(out, func(a, b fieldRow) int { return strings.Compare(a.Page+" "+a.Field, b.Page+" "+b.Field) })
	return out
}
