package commons_test

import (
	"github.com/billwatch/billwatch/scraper/commons"
	"github.com/billwatch/billwatch/tracker"
)

var _ tracker.HearingSource = (*commons.Scraper)(nil)
