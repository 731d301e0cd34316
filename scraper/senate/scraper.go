package senate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/scraper"
)

// KnownCommitteeIDs are the sencanada.ca committee ids seen in working code (sources.md §4).
// SECD's id was not found in any archive: until it is verified live and added (to the map, or
// to a Scraper's IDs), SECD is read from the all-committees fragment (committeeId=0) and its
// rows picked out by their committee link.
var KnownCommitteeIDs = map[string]int{
	"BANC": 1003,
	"AEFA": 1008,
	"LCJC": 1011,
	"NFFN": 1013,
}

// PageSize is how many meetings one fragment asks for. The site accepts 100 to 250; the past
// tab of the all-committees fragment is sorted newest first, so a page reaches back weeks.
const PageSize = 250

var (
	reAcronym = lazyre.New(`^[A-Z]{3,5}$`)
	reSession = lazyre.New(`^(\d{1,3})-(\d{1,2})$`)
)

// Scraper reads Senate committee meeting schedules.
type Scraper struct {
	c *scraper.Client
	// IDs maps a committee acronym to its sencanada.ca id; New fills it from
	// KnownCommitteeIDs. A committee missing here is read from the all-committees fragment.
	IDs map[string]int
}

// New returns a Scraper that fetches through c.
func New(c *scraper.Client) *Scraper {
	return &Scraper{c: c, IDs: maps.Clone(KnownCommitteeIDs)}
}

// Path is the fragment Meetings reads for one tab ("UPCOMING" or "PAST") of a committee's
// schedule, relative to the sencanada site. It is exported so that `billwatch capture` and
// the fixtures name the same request.
func (s *Scraper) Path(committee, session, tab string) string {
	id := s.IDs[committee]
	q := url.Values{}
	q.Set("tableName", "Meetings")
	q.Set("committeeId", strconv.Itoa(id))
	q.Set("selectedSession", session)
	q.Set("TabSelected", tab)
	q.Set("PageSize", strconv.Itoa(PageSize))
	q.Set("p", "1")
	q.Set("isCommitteeSpecific", strconv.FormatBool(id != 0))
	q.Set("Lang", "en")
	// Keep the order the site's own script uses, which url.Values.Encode would sort away.
	order := []string{"tableName", "committeeId", "selectedSession", "TabSelected", "PageSize", "p", "isCommitteeSpecific", "Lang"}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = url.QueryEscape(k) + "=" + url.QueryEscape(q.Get(k))
	}
	return "/umbraco/surface/CommitteesAjax/GetTablePartialView?" + strings.Join(parts, "&")
}

// Meetings reads the upcoming and the past meetings of one Senate committee ("SECD", "LCJC")
// in one session ("45-1"). Upcoming meetings are scheduled, past ones held, and a row that
// says it was cancelled is cancelled.
//
// It returns every meeting it could read, sorted by start, together with an error that joins
// one *MeetingError per row it could not read; a caller stores the hearings even when the
// error is not nil. A tab that cannot be fetched, the site's soft 404 (scraper.ErrNotFound,
// served with status 200) and a page with nothing recognisable (scraper.ErrLayoutChanged)
// fail the whole call: no hearings, so that the source is reported unhealthy, never empty.
func (s *Scraper) Meetings(ctx context.Context, committee, session string) ([]billwatch.Hearing, error) {
	committee = strings.ToUpper(strings.TrimSpace(committee))
	if !reAcronym.MatchString(committee) {
		return nil, fmt.Errorf("senate: %q is not a committee acronym", committee)
	}
	session = strings.TrimSpace(session)
	if !reSession.MatchString(session) {
		return nil, fmt.Errorf("senate: %q is not a session (want P-S, like 45-1)", session)
	}
	var all []billwatch.Hearing
	var errs []error
	for _, tab := range []string{"UPCOMING", "PAST"} {
		u := s.c.URL(scraper.SenCanada, s.Path(committee, session, tab))
		// The site's own script asks for the fragment as an XMLHttpRequest.
		page, err := s.c.GetWithHeader(ctx, u, http.Header{"X-Requested-With": {"XMLHttpRequest"}})
		if err != nil {
			return nil, fmt.Errorf("senate: %s %s %s meetings: %w", committee, session, strings.ToLower(tab), err)
		}
		// Half a table is not the schedule: never a few of the meetings as if they were all.
		if err := scraper.CheckFragment(page.Body); err != nil {
			return nil, fmt.Errorf("senate: %s: %w", u, err)
		}
		hs, err := parseSchedule(bytes.NewReader(page.Body), committee, session, tab == "PAST", s.IDs[committee] == 0)
		if len(hs) == 0 && err != nil {
			return nil, fmt.Errorf("senate: %s: %w", u, err)
		}
		errs = append(errs, scraper.WithMeetingURL(err, u))
		all = append(all, hs...)
	}
	// A meeting that moved from one tab to the other between the two requests is listed
	// twice; keep the past copy.
	// Meetings are told apart by their keys: the number, or for an unnumbered meeting its
	// date and time.
	seen := map[string]bool{}
	out := make([]billwatch.Hearing, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		if k := all[i].Key(); !seen[k] {
			seen[k] = true
			out = append(out, all[i])
		}
	}
	slices.SortStableFunc(out, func(a, b billwatch.Hearing) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.Number - b.Number
	})
	for i := range out {
		out[i].Jurisdiction = billwatch.Canada
	}
	return out, errors.Join(errs...)
}
