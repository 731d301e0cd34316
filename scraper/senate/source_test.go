package senate_test

import (
	"github.com/billwatch/billwatch/scraper/senate"
	"github.com/billwatch/billwatch/tracker"
)

var _ tracker.HearingSource = (*senate.Scraper)(nil)
