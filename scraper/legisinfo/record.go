package legisinfo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/scraper"
)

// record is one bill's LEGISinfo record. The XML (<Bills><Bill>…) and the JSON ([{…}]) share
// the element and key names; the XML repeats an element per list item with no wrapper and
// omits empty lists, the JSON has arrays, so the same struct reads both. Only what billwatch
// uses is named.
type record struct {
	Id                                   text
	NumberCode                           text
	ParliamentNumber                     text
	SessionNumber                        text
	LongTitleEn                          text
	ShortTitleEn                         text
	StatusNameEn                         text
	BillDocumentTypeNameEn               text
	OriginatingChamberOrganizationId     text
	OriginatingChamberNameEn             text
	SponsorPersonName                    text
	SponsorPersonShortHonorificEn        text
	SponsorAffiliationRoleNameEn         text
	LatestBillEventTypeNameEn            text
	LatestBillEventDateTime              text
	LatestBillEventChamberOrganizationId text
	LatestBillEventChamberNameEn         text
	ShortLegislativeSummaryEn            text
	StatuteYear                          text
	StatuteChapter                       text
	BillStages                           *billStages
	Publications                         []publication
	HouseVoteDetails                     []vote
	SenateVoteDetails                    []vote
	WebReferences                        []webReference
}

type billStages struct {
	HouseBillStages  []stage
	SenateBillStages []stage
	RoyalAssent      []stage
}

type stage struct {
	BillStageId                 text
	BillStageNameEn             text
	ChamberOrganizationId       text
	State                       text
	StateNameEn                 text
	StateAsOfDate               text
	Committee                   *committee
	CommitteeMeetings           []committeeMeeting
	SignificantEvents           []event
	LastStageEventStartDateTime text
}

type committee struct {
	CommitteeAcronym text
	CommitteeNameEn  text
}

type committeeMeeting struct {
	CommitteeAcronym text
	Number           text
	Date             text
}

type event struct {
	EventNameEn             text
	EventDateTime           text
	IsCompletionOfBillStage text
}

type publication struct {
	PublicationId         text
	PublicationTypeId     text
	PublicationTypeNameEn text
}

type vote struct {
	DivisionNumber       text
	DivisionSubjectEn    text
	DivisionVotesYeas    text
	DivisionVotesNays    text
	DecisionResultNameEn text
	DecisionDateTime     text
}

type webReference struct {
	TitleEn                text
	WebReferenceTypeNameEn text
	UrlEn                  text
}

// parseRecord reads a bill record, XML (what billwatch fetches) or JSON (`…/json`, an array of
// one object). It returns the bill with Detailed set.
func parseRecord(b []byte) (billwatch.Bill, error) {
	b = bytes.TrimSpace(scraper.DecodeBytes(b))
	if scraper.LooksLikeHTML(b) {
		return billwatch.Bill{}, fmt.Errorf("got an HTML page instead of the bill record: %w", scraper.ErrLayoutChanged)
	}
	if len(b) == 0 {
		return billwatch.Bill{}, fmt.Errorf("empty body instead of the bill record: %w", scraper.ErrLayoutChanged)
	}
	var r record
	var err error
	switch b[0] {
	case '<':
		r, err = decodeRecordXML(b)
	case '[', '{':
		r, err = decodeRecordJSON(b)
	default:
		err = fmt.Errorf("bill record is neither XML nor JSON: %w", scraper.ErrLayoutChanged)
	}
	if err != nil {
		return billwatch.Bill{}, err
	}
	return r.bill()
}

func decodeRecordXML(b []byte) (record, error) {
	var doc struct {
		XMLName xml.Name
		Bills   []record `xml:"Bill"`
	}
	d := newXMLDecoder(b)
	if err := d.Decode(&doc); err != nil {
		return record{}, fmt.Errorf("bill record is not well-formed XML (%v): %w", err, scraper.ErrLayoutChanged)
	}
	// The whole document must parse: a truncated record may hold a complete <Bill> yet lose
	// what follows it.
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return record{}, fmt.Errorf("bill record is not well-formed XML (%v): %w", err, scraper.ErrLayoutChanged)
		}
	}
	switch doc.XMLName.Local {
	case "Bills":
	case "Bill": // a record served without its wrapper
		var one record
		if err := newXMLDecoder(b).Decode(&one); err != nil {
			return record{}, fmt.Errorf("bill record is not well-formed XML (%v): %w", err, scraper.ErrLayoutChanged)
		}
		doc.Bills = []record{one}
	default:
		return record{}, fmt.Errorf("bill record has root element <%s>, want <Bills>: %w", doc.XMLName.Local, scraper.ErrLayoutChanged)
	}
	return only(doc.Bills)
}

// newXMLDecoder reads bytes that DecodeBytes has made UTF-8: a declared charset must not stop
// the parse.
func newXMLDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return d
}

func decodeRecordJSON(b []byte) (record, error) {
	var rs []record
	if b[0] == '{' {
		rs = make([]record, 1)
		if err := json.Unmarshal(b, &rs[0]); err != nil {
			return record{}, fmt.Errorf("bill record is not valid JSON (%v): %w", err, scraper.ErrLayoutChanged)
		}
	} else if err := json.Unmarshal(b, &rs); err != nil {
		return record{}, fmt.Errorf("bill record is not valid JSON (%v): %w", err, scraper.ErrLayoutChanged)
	}
	return only(rs)
}

func only(rs []record) (record, error) {
	switch len(rs) {
	case 0:
		return record{}, fmt.Errorf("bill record holds no bill: %w", scraper.ErrLayoutChanged)
	case 1:
		return rs[0], nil
	}
	return record{}, fmt.Errorf("bill record holds %d bills, want one: %w", len(rs), scraper.ErrLayoutChanged)
}

func (r record) bill() (billwatch.Bill, error) {
	num := billwatch.NormalizeBillNumber(r.NumberCode.clean())
	if num == "" {
		return billwatch.Bill{}, fmt.Errorf("bill record has no bill number (NumberCode %q): %w", r.NumberCode.clean(), scraper.ErrLayoutChanged)
	}
	session := ""
	if p, s := r.ParliamentNumber.int(), r.SessionNumber.int(); p > 0 && s > 0 {
		session = fmt.Sprintf("%d-%d", p, s)
	}
	ch := chamber(r.OriginatingChamberOrganizationId, r.OriginatingChamberNameEn)
	if ch == "" {
		ch = chamberOfNumber(num)
	}
	b := billwatch.Bill{
		Session:    session,
		Number:     num,
		ID:         r.Id.int(),
		Title:      r.LongTitleEn.clean(),
		ShortTitle: r.ShortTitleEn.clean(),
		Status:     r.StatusNameEn.clean(),
		Type:       r.BillDocumentTypeNameEn.clean(),
		Sponsor:    r.sponsor(),
		Chamber:    ch,
		Summary:    stripHTML(string(r.ShortLegislativeSummaryEn)),
		Statute:    statute(r.StatuteYear, r.StatuteChapter),
		URL:        BillURL(session, num),
		Detailed:   true,
	}
	var latestStage time.Time
	if r.BillStages != nil {
		groups := []struct {
			chamber string
			stages  []stage
		}{
			{billwatch.House, r.BillStages.HouseBillStages},
			{billwatch.Senate, r.BillStages.SenateBillStages},
			{billwatch.Senate, r.BillStages.RoyalAssent},
		}
		for _, g := range groups {
			for _, st := range g.stages {
				s, last := st.stage(g.chamber)
				b.Stages = append(b.Stages, s)
				if last.After(latestStage) {
					latestStage = last
				}
				for _, m := range st.CommitteeMeetings {
					b.Meetings = append(b.Meetings, billwatch.Meeting{
						// The stage says where the meeting sat; the committee node's
						// IsHouseOfCommonsCommittee is wrong for SECD in C-8.
						Chamber:   s.Chamber,
						Committee: m.CommitteeAcronym.clean(),
						Number:    int(m.Number.int()),
						Date:      date(recordTime(m.Date)),
					})
				}
			}
		}
	}
	b.LatestActivity, b.LatestActivityAt = r.latestActivity(latestStage)
	for _, p := range r.Publications {
		id := p.PublicationId.clean()
		if id == "" || id == "0" {
			continue
		}
		typeID := int(p.PublicationTypeId.int())
		name := p.PublicationTypeNameEn.clean()
		b.Publications = append(b.Publications, billwatch.Publication{
			ID: id, Type: publicationType(typeID, name), Name: name, TypeID: typeID,
		})
	}
	for _, g := range []struct {
		chamber string
		votes   []vote
	}{{billwatch.House, r.HouseVoteDetails}, {billwatch.Senate, r.SenateVoteDetails}} {
		for _, v := range g.votes {
			b.Votes = append(b.Votes, billwatch.Vote{
				Chamber: g.chamber,
				Number:  int(v.DivisionNumber.int()),
				Subject: v.DivisionSubjectEn.clean(),
				Yeas:    int(v.DivisionVotesYeas.int()),
				Nays:    int(v.DivisionVotesNays.int()),
				Result:  v.DecisionResultNameEn.clean(),
				Date:    date(recordTime(v.DecisionDateTime)),
			})
		}
	}
	for _, w := range r.WebReferences {
		ref := billwatch.Reference{Title: w.TitleEn.clean(), Type: w.WebReferenceTypeNameEn.clean(), URL: w.UrlEn.clean()}
		if ref.Title == "" && ref.URL == "" {
			continue
		}
		b.References = append(b.References, ref)
	}
	return b, nil
}

// sponsor writes the sponsor as the list does: "Hon. Gary Anandasangaree", "Sen. Yuen Pau Woo",
// "Mel Arnold".
func (r record) sponsor() string {
	name := r.SponsorPersonName.clean()
	if name == "" {
		return ""
	}
	if h := r.SponsorPersonShortHonorificEn.clean(); h != "" {
		return h + " " + name
	}
	if role := r.SponsorAffiliationRoleNameEn.clean(); role == "Senator" {
		return "Sen. " + name
	}
	return name
}

// latestActivity describes the bill's latest event as the list does ("Royal assent on June 15,
// 2026 (Senate)"). Its time is the latest event time of the stages, which is what the list's
// LatestActivityDateTime carries (LatestBillEventDateTime can be hours off for the same event),
// unless LatestBillEventDateTime falls on a later day (an event, such as a debate, that no
// stage records).
func (r record) latestActivity(latestStage time.Time) (string, time.Time) {
	ev := recordTime(r.LatestBillEventDateTime)
	at := latestStage
	if at.IsZero() || date(ev) > date(at) {
		at = ev
	}
	name := r.LatestBillEventTypeNameEn.clean()
	if name == "" || ev.IsZero() {
		return name, at
	}
	s := name + " on " + ev.Format("January 2, 2006")
	if ch := chamber(r.LatestBillEventChamberOrganizationId, r.LatestBillEventChamberNameEn); ch != "" {
		s += " (" + ch + ")"
	}
	return s, at
}

// stage turns a stage node into a billwatch.Stage under the chamber of the node's group (the
// node's own ChamberOrganizationId wins when present). It also returns the time of the stage's
// latest event.
func (st stage) stage(group string) (billwatch.Stage, time.Time) {
	ch := chamber(st.ChamberOrganizationId, "")
	if ch == "" {
		ch = group
	}
	s := billwatch.Stage{
		Chamber: ch,
		Name:    st.BillStageNameEn.clean(),
		ID:      int(st.BillStageId.int()),
		State:   st.StateNameEn.clean(),
	}
	if st.Committee != nil {
		s.Committee = st.Committee.CommitteeAcronym.clean()
		s.CommitteeName = st.Committee.CommitteeNameEn.clean()
	}
	last := recordTime(st.LastStageEventStartDateTime)
	completed := false
	for _, e := range st.SignificantEvents {
		if n := e.EventNameEn.clean(); n != "" {
			s.Events = append(s.Events, n)
		}
		if t := recordTime(e.EventDateTime); t.After(last) {
			last = t
		}
		completed = completed || e.IsCompletionOfBillStage.bool()
	}
	if s.State == "" && completed {
		// The royal assent stage carries State 0 and no name even once given.
		s.State = "Completed"
	}
	s.Date = date(last)
	if s.Date == "" && (st.State.int() == 3 || st.State.int() == 4) {
		s.Date = date(recordTime(st.StateAsOfDate))
	}
	return s, last
}
