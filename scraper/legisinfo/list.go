package legisinfo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

// listItem is one bill of the session list. Only the keys billwatch uses are named; the list
// has 45 keys today and has changed before, so unknown keys are ignored and missing ones are
// empty. The numeric ids other than BillId are 0 in the list, which is why the number comes
// from BillNumberFormatted and the chamber may come from the number.
type listItem struct {
	BillId                 text
	BillNumberFormatted    text
	NumberCode             text // the record's name for the number, should the list adopt it
	LongTitleEn            text
	ShortTitleEn           text
	ParlSessionCode        text
	ParliamentNumber       text
	SessionNumber          text
	OriginatingChamberId   text
	BillTypeEn             text
	CurrentStatusEn        text
	SponsorEn              text
	LatestActivityEn       text
	LatestActivityDateTime text
	// IsFromCurrentSession is false on every bill of a session that prorogation or
	// dissolution has ended; empty when the list does not say.
	IsFromCurrentSession text
	// DidReinstateFromPreviousSession and ReinstatedFromBillNumberCode tell a bill reinstated
	// at the stage it had reached in the previous session, and under which number.
	DidReinstateFromPreviousSession text
	ReinstatedFromBillNumberCode    text
}

// parseList reads a session's bill list (a JSON array of flat objects). An entry without a
// readable bill number is skipped; a list with no bill at all is a layout change.
func parseList(b []byte) ([]billwatch.Bill, error) {
	b = bytes.TrimSpace(scraper.DecodeBytes(b))
	if scraper.LooksLikeHTML(b) {
		return nil, fmt.Errorf("got an HTML page instead of the JSON bill list: %w", scraper.ErrLayoutChanged)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("empty body instead of the JSON bill list: %w", scraper.ErrLayoutChanged)
	}
	if b[0] != '[' {
		return nil, fmt.Errorf("bill list is not a JSON array: %w", scraper.ErrLayoutChanged)
	}
	var items []listItem
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("bill list is not valid JSON (%v): %w", err, scraper.ErrLayoutChanged)
	}
	bills := make([]billwatch.Bill, 0, len(items))
	for _, it := range items {
		num := billwatch.NormalizeBillNumber(it.BillNumberFormatted.clean())
		if num == "" {
			num = billwatch.NormalizeBillNumber(it.NumberCode.clean())
		}
		if num == "" {
			continue
		}
		session := it.ParlSessionCode.clean()
		if !sessionRE.MatchString(session) {
			session = ""
			if p, s := it.ParliamentNumber.int(), it.SessionNumber.int(); p > 0 && s > 0 {
				session = fmt.Sprintf("%d-%d", p, s)
			}
		}
		ch := chamber(it.OriginatingChamberId, "")
		if ch == "" {
			ch = chamberOfNumber(num)
		}
		bills = append(bills, billwatch.Bill{
			Session:          session,
			Number:           num,
			ID:               it.BillId.int(),
			Title:            it.LongTitleEn.clean(),
			ShortTitle:       it.ShortTitleEn.clean(),
			Status:           it.CurrentStatusEn.clean(),
			Type:             it.BillTypeEn.clean(),
			Sponsor:          it.SponsorEn.clean(),
			Chamber:          ch,
			LatestActivity:   it.LatestActivityEn.clean(),
			LatestActivityAt: listTime(it.LatestActivityDateTime),
			URL:              BillURL(session, num),
			SessionOver:      strings.EqualFold(strings.TrimSpace(string(it.IsFromCurrentSession)), "false"),
			ReinstatedFrom:   reinstatedFrom(it),
		})
	}
	if len(bills) == 0 {
		return nil, fmt.Errorf("bill list holds no bills (%d entries): %w", len(items), scraper.ErrLayoutChanged)
	}
	return bills, nil
}

// reinstatedFrom is the number of the previous session's bill a listed bill reinstates, "" when
// the list does not say it is reinstated. A reinstated bill whose former number is not given
// kept its number.
func reinstatedFrom(it listItem) string {
	if !it.DidReinstateFromPreviousSession.bool() {
		return ""
	}
	if n := billwatch.NormalizeBillNumber(it.ReinstatedFromBillNumberCode.clean()); n != "" {
		return n
	}
	return billwatch.NormalizeBillNumber(it.BillNumberFormatted.clean())
}
