package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/tracker"
)

var (
	sessionRe   = lazyre.New(`^\d{2}-\d$`)
	committeeRe = lazyre.New(`^[A-Za-z]{2,8}$`)
)

// boolParam reads an on/off query parameter: absent, "", 0, 1, true, false, on, off.
func boolParam(q url.Values, name string) (bool, error) {
	switch strings.ToLower(q.Get(name)) {
	case "", "0", "false", "off", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, badParam(name, "%q is not on or off (write %s=1)", q.Get(name), name)
}

func sessionParam(q url.Values) (string, error) {
	s := q.Get("session")
	if s != "" && !sessionRe.MatchString(s) {
		return "", badParam("session", "%q is not a session (write PARLIAMENT-SESSION, e.g. 45-1)", s)
	}
	return s, nil
}

// staleAfter is how old a source's last good fetch may be before the pages say so.
const staleAfter = 24 * time.Hour

// stale lists the sources that failed or have not been read for a while, for the banner.
func stale(sources []string, sn *snapshot, now time.Time) []string {
	var out []string
	for _, src := range sources {
		h, r := sn.health[src], sn.runs[src]
		switch {
		case h.Unhealthy:
			msg := src + " is failing: " + strconv.Itoa(h.Failures) + " failed passes in a row"
			if !r.LastSuccess.IsZero() {
				msg += "; last good fetch " + ago(now, r.LastSuccess)
			}
			if h.LastError != "" {
				msg += " (" + firstLine(h.LastError) + ")"
			}
			out = append(out, msg)
		case drifted(h) != "":
			out = append(out, src+": pages no longer show what they did ("+drifted(h)+") — see the status")
		case r.LastSuccess.Sub(now) > time.Minute:
			out = append(out, src+": last good fetch dated "+fmtDateTime(r.LastSuccess)+", "+futureNote)
		case !r.LastSuccess.IsZero() && now.Sub(r.LastSuccess) > staleAfter:
			out = append(out, src+": last good fetch "+ago(now, r.LastSuccess)+" — what this page shows may be out of date")
		}
	}
	return out
}

// sessionOver is the warning of a source whose followed session is over, for the banner; ""
// when none is.
func sessionOver(sources []string, sn *snapshot) string {
	for _, src := range sources {
		if r := sn.runs[src]; r.SessionOver {
			return tracker.SessionOverWarning(r.Session)
		}
	}
	return ""
}

// drifted names the fields a source's pages stopped showing, if any.
func drifted(h tracker.Health) string {
	var out []string
	for _, c := range h.Coverage {
		if c.Drifted {
			out = append(out, c.Field+" on "+c.Page)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

func (s *Server) page(sn *snapshot, title, nav string, data any) page {
	now := s.opt.Now()
	return page{Title: title, Nav: nav, Now: now, Stale: stale(s.opt.Sources, sn, now), Unreadable: sn.unreadable(), SessionOver: sessionOver(s.opt.Sources, sn), Data: data}
}

// ---- the action board

type windowItem struct {
	Bill          *tracker.StoredBill
	Committee     string
	CommitteeName string
	Since         string // the date of the referral stage
	Next          *tracker.StoredHearing
}

type boardData struct {
	Windows   []windowItem
	Hearings  []tracker.StoredHearing
	Deadlines []billwatch.Regulation
	Alerts    []billwatch.Alert
	Steps     []stepRow // the coalition's open next steps, overdue first
}

// boardJSON is the action board as JSON.
type boardJSON struct {
	Windows []struct {
		Session       string `json:"session"`
		Number        string `json:"number"`
		Title         string `json:"title"`
		Committee     string `json:"committee"`
		CommitteeName string `json:"committee_name,omitempty"`
		Since         string `json:"since,omitempty"`
		URL           string `json:"url"`
	} `json:"windows"`
	Hearings  []tracker.HearingJSON    `json:"hearings"`
	Deadlines []tracker.RegulationJSON `json:"deadlines"`
	Alerts    []billwatch.Alert        `json:"alerts"`
	Steps     []stepRow                `json:"steps"`
	Stale     []string                 `json:"stale"`
}

// inCommittee says whether a bill is being studied in committee, and by which committee.
func inCommittee(b *tracker.StoredBill) (acr, name, since string, ok bool) {
	if b.Phase != billwatch.PhaseCommittee {
		return "", "", "", false
	}
	for i := len(b.Stages) - 1; i >= 0; i-- {
		st := b.Stages[i]
		if st.Committee != "" && !strings.EqualFold(st.State, "Completed") {
			return st.Committee, st.CommitteeName, st.Date, true
		}
	}
	for i := len(b.Stages) - 1; i >= 0; i-- {
		if st := b.Stages[i]; st.Committee != "" {
			return st.Committee, st.CommitteeName, st.Date, true
		}
	}
	return "", "", "", true
}

func (s *Server) boardData(sn *snapshot, now time.Time) boardData {
	var d boardData
	today := now.In(billwatch.Eastern).Format(billwatch.DateLayout)
	for i := range sn.bills {
		b := &sn.bills[i]
		if !b.Relevant {
			continue
		}
		acr, name, since, ok := inCommittee(b)
		if !ok {
			continue
		}
		started := false
		var next *tracker.StoredHearing
		for _, h := range sn.hearingsOn(b.Session, b.Number) {
			if h.Status == billwatch.HearingCancelled {
				continue
			}
			if h.Start.Before(now) {
				started = true
			} else if next == nil {
				hh := h
				next = &hh
			}
		}
		for _, m := range b.Meetings {
			if m.Date != "" && m.Date < today && (acr == "" || strings.EqualFold(m.Committee, acr)) {
				started = true
			}
		}
		if !started {
			d.Windows = append(d.Windows, windowItem{Bill: b, Committee: acr, CommitteeName: name, Since: since, Next: next})
		}
	}
	horizon := now.Add(14 * 24 * time.Hour)
	for _, h := range sn.hearings {
		if h.Relevant && h.Upcoming(now) && h.Start.Before(horizon) {
			d.Hearings = append(d.Hearings, h)
		}
	}
	for _, r := range sn.regs {
		if r.Relevant && r.Part == "I" && r.CommentDeadline != "" && r.CommentDeadline >= today {
			d.Deadlines = append(d.Deadlines, r)
		}
	}
	slices.SortStableFunc(d.Deadlines, func(a, b billwatch.Regulation) int { return strings.Compare(a.CommentDeadline, b.CommentDeadline) })
	week := now.Add(-7 * 24 * time.Hour)
	for _, a := range sn.alerts {
		if a.Created.After(week) && !a.Created.After(now.Add(time.Minute)) {
			d.Alerts = append(d.Alerts, a)
		}
	}
	return d
}

func (s *Server) board(w http.ResponseWriter, r *http.Request) error {
	sn, err := s.data()
	if err != nil {
		return err
	}
	now := s.opt.Now()
	d := s.boardData(sn, now)
	d.Steps = openSteps(sn, now)
	if wantsJSON(r) {
		out := boardJSON{Hearings: []tracker.HearingJSON{}, Deadlines: []tracker.RegulationJSON{}, Alerts: []billwatch.Alert{}, Steps: orEmpty(d.Steps), Stale: stale(s.opt.Sources, sn, now)}
		out.Windows = out.Windows[:0:0]
		for _, w := range d.Windows {
			out.Windows = append(out.Windows, struct {
				Session       string `json:"session"`
				Number        string `json:"number"`
				Title         string `json:"title"`
				Committee     string `json:"committee"`
				CommitteeName string `json:"committee_name,omitempty"`
				Since         string `json:"since,omitempty"`
				URL           string `json:"url"`
			}{w.Bill.Session, w.Bill.Number, w.Bill.Title, w.Committee, w.CommitteeName, w.Since, s.base(r) + billwatch.BillPath(w.Bill.Session, w.Bill.Number)})
		}
		for _, h := range d.Hearings {
			out.Hearings = append(out.Hearings, h.JSON())
		}
		for _, x := range d.Deadlines {
			out.Deadlines = append(out.Deadlines, tracker.RegulationView(x))
		}
		for _, a := range d.Alerts {
			out.Alerts = append(out.Alerts, AlertJSON(a, s.opt.PublicURL))
		}
		if out.Stale == nil {
			out.Stale = []string{}
		}
		return writeJSON(w, r, out)
	}
	s.render(w, r, http.StatusOK, "board", s.page(sn, "This week", "board", d))
	return nil
}

// ---- bills

// stages a bill can be at, for the filter: the slug and how people say it.
var stageNames = []struct{ Slug, Name string }{
	{"first-reading", "First reading"},
	{"second-reading", "Second reading"},
	{"committee", "In committee"},
	{"report", "Report stage"},
	{"third-reading", "Third reading"},
	{"royal-assent", "Royal assent"},
	{"other", "Other"},
}

// stageOf classifies a bill by its phase for the stage filter.
func stageOf(p billwatch.Phase) string {
	switch p {
	case billwatch.PhaseRoyalAssent:
		return "royal-assent"
	case billwatch.PhaseThird:
		return "third-reading"
	case billwatch.PhaseReport:
		return "report"
	case billwatch.PhaseCommittee:
		return "committee"
	case billwatch.PhaseSecond:
		return "second-reading"
	case billwatch.PhaseIntroduced:
		return "first-reading"
	}
	return "other"
}

type billsData struct {
	All        bool
	Session    string
	Committee  string
	Stage      string
	Query      string
	Bills      []*tracker.StoredBill
	Total      int
	Sessions   []string
	Committees []string
	Stages     []struct{ Slug, Name string }
	// Owner filters the bills to those whose record's owner is this person; AllOwners is the
	// same list without that filter.
	Owner     string
	AllOwners string
	records   map[string]tracker.Record
}

// Record is the coalition's record on a listed bill (empty when it has none).
func (d billsData) Record(b *tracker.StoredBill) tracker.Record {
	return d.records[b.Session+" "+b.Number]
}

func (s *Server) billList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	all, err := boolParam(q, "all")
	if err != nil {
		return err
	}
	session, err := sessionParam(q)
	if err != nil {
		return err
	}
	committee := strings.ToUpper(strings.TrimSpace(q.Get("committee")))
	if committee != "" && !committeeRe.MatchString(committee) {
		return badParam("committee", "%q is not a committee acronym (write e.g. SECU)", q.Get("committee"))
	}
	stage := q.Get("stage")
	if stage != "" && !slices.ContainsFunc(stageNames, func(x struct{ Slug, Name string }) bool { return x.Slug == stage }) {
		var slugs []string
		for _, x := range stageNames {
			slugs = append(slugs, x.Slug)
		}
		return badParam("stage", "%q is not a stage (want one of %s)", stage, strings.Join(slugs, ", "))
	}
	query := strings.TrimSpace(q.Get("q"))
	if len(query) > 200 {
		return badParam("q", "the search is longer than 200 characters")
	}
	owner := strings.TrimSpace(q.Get("owner"))
	if len(owner) > 100 || !utf8.ValidString(owner) {
		return badParam("owner", "an owner's name is at most 100 characters of UTF-8")
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	d := billsData{All: all, Session: session, Committee: committee, Stage: stage, Query: query, Stages: stageNames, Owner: owner, records: map[string]tracker.Record{}}
	for _, r := range sn.records {
		if key, ok := strings.CutPrefix(r.Subject, "bill "); ok {
			d.records[key] = r
		}
	}
	if owner != "" {
		without := maps.Clone(q)
		without.Del("owner")
		d.AllOwners = "/bills"
		if len(without) > 0 {
			d.AllOwners += "?" + without.Encode()
		}
	}
	sessions, committees := map[string]bool{}, map[string]bool{}
	words := strings.Fields(strings.ToLower(query))
	num := billwatch.NormalizeBillNumber(query)
	for i := range sn.bills {
		b := &sn.bills[i]
		sessions[b.Session] = true
		for _, st := range b.Stages {
			if st.Committee != "" {
				committees[strings.ToUpper(st.Committee)] = true
			}
		}
		if !all && !b.Relevant || session != "" && b.Session != session {
			continue
		}
		d.Total++
		if committee != "" && !slices.ContainsFunc(b.Stages, func(st billwatch.Stage) bool { return strings.EqualFold(st.Committee, committee) }) {
			continue
		}
		if stage != "" && stageOf(b.Phase) != stage {
			continue
		}
		if query != "" && !matches(b, num, words) {
			continue
		}
		if owner != "" && !tracker.OwnerIs(d.records[b.Session+" "+b.Number].Owner, owner) {
			continue
		}
		d.Bills = append(d.Bills, b)
	}
	for k := range sessions {
		d.Sessions = append(d.Sessions, k)
	}
	slices.Sort(d.Sessions)
	for k := range committees {
		d.Committees = append(d.Committees, k)
	}
	slices.Sort(d.Committees)
	if wantsJSON(r) {
		out := []billwatch.Bill{}
		for _, b := range d.Bills {
			out = append(out, tracker.ListedBill(b.Bill))
		}
		return writeJSON(w, r, out)
	}
	title := "Watched bills"
	if all {
		title = "All bills"
	}
	s.render(w, r, http.StatusOK, "bills", s.page(sn, title, "bills", d))
	return nil
}

// matches is the bill search: the number, or every word in the titles, summary, status or
// the reasons it is watched.
func matches(b *tracker.StoredBill, num string, words []string) bool {
	if num != "" && b.Number == num {
		return true
	}
	hay := strings.ToLower(strings.Join([]string{b.Number, b.Title, b.ShortTitle, b.Summary, b.Status, b.Sponsor, strings.Join(b.Reasons, " ")}, " "))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return len(words) > 0
}

// billFromPath finds the bill a path names; a number written differently ("c-22") is
// redirected to its canonical page.
func (s *Server) billFromPath(w http.ResponseWriter, r *http.Request, sn *snapshot) (*tracker.StoredBill, bool, error) {
	session, number := r.PathValue("session"), r.PathValue("number")
	if !sessionRe.MatchString(session) {
		return nil, false, notFound("%q is not a parliamentary session (they read like 45-1).", session)
	}
	num := billwatch.NormalizeBillNumber(number)
	if num == "" {
		return nil, false, notFound("%q is not a bill number (they read like C-22 or S-209).", number)
	}
	if num != number {
		target := billwatch.BillPath(session, num) + strings.TrimPrefix(r.URL.Path, "/bills/"+session+"/"+number)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil, true, nil
	}
	b, ok := sn.bill(session, num)
	if !ok {
		return nil, false, notFound("Bill %s of session %s is not in billwatch's database. It may be in another session, or not yet scraped.", num, session)
	}
	return b, false, nil
}

type chamberStages struct {
	Chamber string
	Stages  []billwatch.Stage
}

type meetingRow struct {
	Meeting billwatch.Meeting
	Hearing *tracker.StoredHearing
}

type billData struct {
	Bill      *tracker.StoredBill
	Chambers  []chamberStages
	Committee string
	Meetings  []meetingRow
	Versions  []tracker.VersionJSON
	Fetched   []tracker.VersionJSON
	From, To  string
	Charter   []billwatch.Reference
	Others    []billwatch.Reference
	Alerts    []billwatch.Alert
	Memory    *memoryView
}

func (s *Server) billPage(w http.ResponseWriter, r *http.Request) error {
	sn, err := s.data()
	if err != nil {
		return err
	}
	b, done, err := s.billFromPath(w, r, sn)
	if err != nil || done {
		return err
	}
	if wantsJSON(r) {
		v, err := s.opt.BillJSON(*b)
		if err != nil {
			return err
		}
		return writeJSON(w, r, v)
	}
	d := billData{Bill: b, Alerts: sn.alertsAbout(b.Key())}
	d.Memory, _ = s.memoryFor(r, tracker.BillSubject(b.Session, b.Number), billwatch.BillPath(b.Session, b.Number), true)
	for _, st := range b.Stages {
		if n := len(d.Chambers); n == 0 || d.Chambers[n-1].Chamber != st.Chamber {
			d.Chambers = append(d.Chambers, chamberStages{Chamber: st.Chamber})
		}
		d.Chambers[len(d.Chambers)-1].Stages = append(d.Chambers[len(d.Chambers)-1].Stages, st)
	}
	if acr, name, _, ok := inCommittee(b); ok && acr != "" {
		d.Committee = acr
		if name != "" {
			d.Committee += " (" + name + ")"
		}
	}
	stored := sn.hearingsOn(b.Session, b.Number)
	seen := map[string]bool{}
	for i := range stored {
		h := &stored[i]
		seen[strings.ToUpper(h.Committee)+" "+strconv.Itoa(h.Number)] = true
		d.Meetings = append(d.Meetings, meetingRow{Meeting: billwatch.Meeting{Chamber: h.Chamber, Committee: h.Committee, Number: h.Number, Date: h.Start.In(billwatch.Eastern).Format(billwatch.DateLayout)}, Hearing: h})
	}
	for _, m := range b.Meetings {
		if !seen[strings.ToUpper(m.Committee)+" "+strconv.Itoa(m.Number)] {
			d.Meetings = append(d.Meetings, meetingRow{Meeting: m})
		}
	}
	slices.SortStableFunc(d.Meetings, func(a, b meetingRow) int { return strings.Compare(a.Meeting.Date, b.Meeting.Date) })
	d.Versions = b.VersionsJSON()
	for _, v := range d.Versions {
		if v.Fetched {
			d.Fetched = append(d.Fetched, v)
		}
	}
	if n := len(d.Fetched); n >= 2 {
		d.From, d.To = versionName(b, d.Fetched[n-2]), versionName(b, d.Fetched[n-1])
	}
	for _, ref := range b.References {
		if strings.Contains(strings.ToLower(ref.Title+" "+ref.Type), "charter") {
			d.Charter = append(d.Charter, ref)
		} else {
			d.Others = append(d.Others, ref)
		}
	}
	s.render(w, r, http.StatusOK, "bill", s.page(sn, b.Number+" "+firstNonEmpty(b.ShortTitle, b.Title), "bills", d))
	return nil
}

// versionName is how a link names a version (billwatch.VersionParam).
func versionName(b *tracker.StoredBill, v tracker.VersionJSON) string {
	return billwatch.VersionParam(b.Publications, v.ID, v.Type)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// ---- hearings

type committeeGroup struct {
	Committee string
	Chamber   string
	Hearings  []tracker.StoredHearing
}

type hearingsData struct {
	All      bool
	Upcoming []committeeGroup
	Past     []committeeGroup
}

func group(hs []tracker.StoredHearing) []committeeGroup {
	var out []committeeGroup
	idx := map[string]int{}
	for _, h := range hs {
		k := h.Chamber + " " + h.Committee
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, committeeGroup{Committee: h.Committee, Chamber: h.Chamber})
		}
		out[i].Hearings = append(out[i].Hearings, h)
	}
	slices.SortStableFunc(out, func(a, b committeeGroup) int { return strings.Compare(a.Committee, b.Committee) })
	return out
}

func (s *Server) hearingList(w http.ResponseWriter, r *http.Request) error {
	all, err := boolParam(r.URL.Query(), "all")
	if err != nil {
		return err
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	now := s.opt.Now()
	if wantsJSON(r) {
		out := []tracker.HearingJSON{}
		for _, h := range sn.hearings {
			if all || (h.Relevant && h.Upcoming(now)) {
				out = append(out, h.JSON())
			}
		}
		return writeJSON(w, r, out)
	}
	var up, past []tracker.StoredHearing
	for _, h := range sn.hearings {
		if !all && (!h.Relevant || !h.MovedTo.IsZero()) {
			continue // a moved meeting is listed at its new time (all: both, marked)
		}
		if h.Upcoming(now) {
			up = append(up, h)
		} else {
			past = append([]tracker.StoredHearing{h}, past...) // latest first
		}
	}
	d := hearingsData{All: all, Upcoming: group(up), Past: group(past)}
	s.render(w, r, http.StatusOK, "hearings", s.page(sn, "Hearings", "hearings", d))
	return nil
}

type hearingData struct {
	Hearing *tracker.StoredHearing
	Bills   []*tracker.StoredBill
	Alerts  []billwatch.Alert
}

func (s *Server) hearingPage(w http.ResponseWriter, r *http.Request) error {
	session, committee := r.PathValue("session"), r.PathValue("committee")
	n, start, ok := billwatch.ParseMeeting(r.PathValue("number"))
	if !ok || !sessionRe.MatchString(session) || !committeeRe.MatchString(committee) {
		return notFound("There is no meeting at %s: meeting pages read like /hearings/45-1/SECU/25, or /hearings/45-1/LCJC/2026-11-12T16:15 for a meeting listed without a number.", r.URL.Path)
	}
	// One page per meeting: SECU, not secu; 25, not 025.
	canonical := strconv.Itoa(n)
	if n == 0 {
		canonical = start.Format("2006-01-02T15:04")
	}
	if up := strings.ToUpper(committee); up != committee || canonical != r.PathValue("number") {
		target := "/hearings/" + session + "/" + up + "/" + canonical
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	h, ok := sn.hearing(session, committee, n, start)
	if !ok {
		what := strconv.Itoa(n)
		if n == 0 {
			what = "of " + start.Format("2006-01-02 15:04")
		}
		return notFound("billwatch holds no meeting %s of %s in session %s.", what, strings.ToUpper(committee), session)
	}
	if wantsJSON(r) {
		return writeJSON(w, r, h.JSON())
	}
	d := hearingData{Hearing: h, Alerts: sn.alertsAbout(h.Subject())}
	for _, num := range h.Bills {
		if b, ok := sn.bill(h.Session, num); ok {
			d.Bills = append(d.Bills, b)
		}
	}
	s.render(w, r, http.StatusOK, "hearing", s.page(sn, h.Committee+" meeting "+h.Label(), "hearings", d))
	return nil
}

// ---- regulations

type regulationsData struct {
	All      bool
	Open     []billwatch.Regulation
	Closed   []billwatch.Regulation
	Final    []finalRow
	Unknown  []billwatch.Regulation
	Proposal map[string]billwatch.Regulation
}

type finalRow struct {
	Reg      billwatch.Regulation
	Proposal *billwatch.Regulation
}

func (s *Server) regulationList(w http.ResponseWriter, r *http.Request) error {
	all, err := boolParam(r.URL.Query(), "all")
	if err != nil {
		return err
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		out := []tracker.RegulationJSON{}
		for _, x := range sn.regs {
			if all || x.Relevant {
				out = append(out, tracker.RegulationView(x))
			}
		}
		return writeJSON(w, r, out)
	}
	today := s.opt.Now().In(billwatch.Eastern).Format(billwatch.DateLayout)
	d := regulationsData{All: all}
	for _, x := range sn.regs {
		if !all && !x.Relevant {
			continue
		}
		switch {
		case x.Part == "II":
			row := finalRow{Reg: x}
			if x.Finalises != "" {
				part, id, _ := strings.Cut(x.Finalises, " ")
				if p, ok := sn.regulation(part, id); ok {
					row.Proposal = p
				}
			}
			d.Final = append(d.Final, row)
		case x.CommentDeadline != "" && x.CommentDeadline >= today:
			d.Open = append(d.Open, x)
		case x.CommentDeadline != "":
			d.Closed = append(d.Closed, x)
		default:
			d.Unknown = append(d.Unknown, x)
		}
	}
	slices.SortStableFunc(d.Open, func(a, b billwatch.Regulation) int { return strings.Compare(a.CommentDeadline, b.CommentDeadline) })
	s.render(w, r, http.StatusOK, "regulations", s.page(sn, "Regulations", "regulations", d))
	return nil
}

type regulationData struct {
	Reg         *billwatch.Regulation
	Proposal    *billwatch.Regulation
	FinalisedBy []billwatch.Regulation
	Alerts      []billwatch.Alert
	Memory      *memoryView
}

func (s *Server) regulationPage(w http.ResponseWriter, r *http.Request) error {
	part, id := r.PathValue("part"), r.PathValue("id")
	if part != "I" && part != "II" {
		return notFound("There is no Gazette part %q: items are under /regulations/I/ (proposals) or /regulations/II/ (regulations made).", part)
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	x, ok := sn.regulation(part, id)
	if !ok {
		return notFound("billwatch holds no Gazette Part %s item %q.", part, id)
	}
	if wantsJSON(r) {
		return writeJSON(w, r, tracker.RegulationView(*x))
	}
	d := regulationData{Reg: x, Alerts: sn.alertsAbout("Gazette " + x.ID)}
	d.Memory, _ = s.memoryFor(r, tracker.RegulationSubject(x.Key()), billwatch.RegulationPath(x.Part, x.ID), true)
	if x.Finalises != "" {
		p, i, _ := strings.Cut(x.Finalises, " ")
		if pr, ok := sn.regulation(p, i); ok {
			d.Proposal = pr
		}
	}
	for _, o := range sn.regs {
		if o.Finalises == x.Key() {
			d.FinalisedBy = append(d.FinalisedBy, o)
		}
	}
	s.render(w, r, http.StatusOK, "regulation", s.page(sn, x.Title, "regulations", d))
	return nil
}

// ---- alerts

var kinds = []billwatch.Kind{
	billwatch.KindBillIntroduced, billwatch.KindBillStage, billwatch.KindBillAmended, billwatch.KindBillProvision,
	billwatch.KindHearingScheduled, billwatch.KindHearingChanged, billwatch.KindHearingCancelled, billwatch.KindHearingReminder,
	billwatch.KindRegulationProposed, billwatch.KindRegulationFinal, billwatch.KindDeadlineReminder,
	billwatch.KindSourceUnhealthy, billwatch.KindSourceRecovered,
}

var severities = []billwatch.Severity{billwatch.Info, billwatch.Action, billwatch.Urgent}

type alertFilter struct {
	Audience billwatch.Audience
	Kind     billwatch.Kind
	Severity billwatch.Severity
}

func alertFilterParams(q url.Values) (alertFilter, error) {
	var f alertFilter
	if a := q.Get("audience"); a != "" {
		if !slices.Contains(billwatch.Audiences, billwatch.Audience(a)) {
			return f, badParam("audience", "%q is not an audience (want policy, lobbying, members or ops)", a)
		}
		f.Audience = billwatch.Audience(a)
	}
	if k := q.Get("kind"); k != "" {
		if !slices.Contains(kinds, billwatch.Kind(k)) {
			return f, badParam("kind", "%q is not an alert kind (want e.g. bill.amended or hearing.scheduled)", k)
		}
		f.Kind = billwatch.Kind(k)
	}
	if v := q.Get("severity"); v != "" {
		if !slices.Contains(severities, billwatch.Severity(v)) {
			return f, badParam("severity", "%q is not a severity (want info, action or urgent)", v)
		}
		f.Severity = billwatch.Severity(v)
	}
	return f, nil
}

func (f alertFilter) keep(a billwatch.Alert) bool {
	return (f.Audience == "" || a.Audience == f.Audience) && (f.Kind == "" || a.Kind == f.Kind) && (f.Severity == "" || a.Severity == f.Severity)
}

type alertsData struct {
	Filter     alertFilter
	Alerts     []billwatch.Alert
	More       int    // how many older alerts match beyond this page
	Older      string // the next page's address, when there is one
	Newest     string // the first page's address, when this is not it
	Audiences  []billwatch.Audience
	Kinds      []billwatch.Kind
	Severities []billwatch.Severity
}

// alertsShown is how many alerts a page of /alerts shows; "Older alerts" leads to the next
// page (?before=ID). The JSON has them all, like `alerts --json`, unless asked for a page.
const alertsShown = 300

func (s *Server) alertList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := alertFilterParams(q)
	if err != nil {
		return err
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	from, limit, err := alertPageParams(q, sn.alerts)
	if err != nil {
		return err
	}
	var list []billwatch.Alert
	for _, a := range sn.alerts[from:] {
		if f.keep(a) {
			list = append(list, a)
		}
	}
	if wantsJSON(r) {
		if limit > 0 && len(list) > limit {
			list = list[:limit]
		}
		out := []billwatch.Alert{}
		for _, a := range list {
			out = append(out, AlertJSON(a, s.opt.PublicURL))
		}
		return writeJSON(w, r, out)
	}
	d := alertsData{Filter: f, Audiences: billwatch.Audiences, Kinds: kinds, Severities: severities}
	if n := s.alertsPerPage(); len(list) > n {
		d.More = len(list) - n
		list = list[:n]
		d.Older = f.path(list[n-1].ID)
	}
	if from > 0 {
		d.Newest = f.path("")
	}
	d.Alerts = list
	s.render(w, r, http.StatusOK, "alerts", s.page(sn, "Alerts", "alerts", d))
	return nil
}

// ---- status

type statusData struct {
	Rows   []tracker.SourceStatus
	DB     string
	Size   int64
	Alerts int
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) error {
	sn, err := s.data()
	if err != nil {
		return err
	}
	rows := tracker.Statuses(s.opt.Sources, sn.health, sn.runs, s.opt.Now())
	if wantsJSON(r) {
		return writeJSON(w, r, rows)
	}
	d := statusData{Rows: rows, DB: s.opt.DB, Size: sn.size, Alerts: len(sn.alerts)}
	s.render(w, r, http.StatusOK, "status", s.page(sn, "Status", "status", d))
	return nil
}

// ---- calendar

func (s *Server) calendar(w http.ResponseWriter, r *http.Request) error {
	if s.opt.Calendar == nil {
		return notFound("This server has no calendar.")
	}
	if _, err := s.stateKey(); err != nil {
		return err
	}
	var buf strings.Builder
	if err := s.opt.Calendar(&buf, s.opt.Now()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="billwatch.ics"`)
	w.Header().Set("Cache-Control", noCache(r))
	if r.Method != http.MethodHead {
		w.Write([]byte(buf.String()))
	}
	return nil
}
