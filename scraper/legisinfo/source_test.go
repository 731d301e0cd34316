package legisinfo_test

import (
	"github.com/billwatch/billwatch/scraper/legisinfo"
	"github.com/billwatch/billwatch/tracker"
)

var _ tracker.BillSource = (*legisinfo.Scraper)(nil)
