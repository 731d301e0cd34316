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

func fieldRows(h tracker.Health) []fieldRow {
	var out []fieldRow
	for _, c := range h.Coverage {
		out = append(out, fieldRow{Page: c.Page, Field: c.Field, Found: c.Found, Of: c.Of, Share: math.Round(c.Share()*1000) / 1000,
			LevelFound: c.LevelFound, LevelOf: c.LevelOf, Drifted: c.Drifted})
	}
	slices.SortFunc(out, func(a, b fieldRow) int { return strings.Compare(a.Page+" "+a.Field, b.Page+" "+b.Field) })
	return out
}

