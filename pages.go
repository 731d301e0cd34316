package billwatch

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The web interface's pages have stable paths, so that alerts and people can link to them.
// They are built here, where the tracker (which writes the paths into alerts) and the web
// package (which serves them) both can reach them.

// BillPath is the page of one bill: "/bills/45-1/C-22".
func BillPath(session, number string) string {
	return "/bills/" + url.PathEscape(session) + "/" + url.PathEscape(number)
}

// LawPath is the page of what a bill text does to the consolidated Acts, for a version and
// one Act when not empty: "/bills/45-1/C-8/law?act=T-3.4".
func LawPath(session, number, version, act string) string {
	q := url.Values{}
	if version != "" {
		q.Set("version", version)
	}
	if act != "" {
		q.Set("act", act)
	}
	p := BillPath(session, number) + "/law"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// VersionParam names a version of a bill in a diff link: its type when no other of the bill's
// publications has that type, else its publication id.
func VersionParam(pubs []Publication, id, typ string) string {
	n := 0
	for _, x := range pubs {
		if x.Type == typ {
			n++
		}
	}
	if n == 1 && typ != "" {
		return typ
	}
	return id
}

// DiffPath is the diff page of two text versions of a bill, opened at a provision's anchor
// when anchor is not empty: "/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-2-1".
func DiffPath(session, number, from, to, anchor string) string {
	q := url.Values{}
	q.Set("from", from)
	q.Set("to", to)
	p := BillPath(session, number) + "/diff?" + q.Encode()
	if anchor != "" {
		p += "#" + url.PathEscape(anchor)
	}
	return p
}

// HearingPath is the page of one committee meeting: "/hearings/45-1/SECU/9".
func HearingPath(session, committee string, number int) string {
	return hearingPath(session, committee, strconv.Itoa(number))
}

// hearingTimeLayout is how a meeting's path names a meeting that has no number: by its Eastern
// start, "2026-11-12T16:15".
const hearingTimeLayout = "2006-01-02T15:04"

// PagePath is the page of the meeting: by its number ("/hearings/45-1/SECU/9"), or, for a
// meeting the site lists without one, by its Eastern start
// ("/hearings/45-1/LCJC/2026-11-12T16:15").
func (h Hearing) PagePath() string {
	if h.Number == 0 && !h.Start.IsZero() {
		return hearingPath(h.Session, h.Committee, h.Start.In(Eastern).Format(hearingTimeLayout))
	}
	return HearingPath(h.Session, h.Committee, h.Number)
}

func hearingPath(session, committee, meeting string) string {
	return "/hearings/" + url.PathEscape(session) + "/" + url.PathEscape(committee) + "/" + url.PathEscape(meeting)
}

// ParseMeeting reads the last segment of a meeting's path: a number, or an Eastern start for a
// meeting without one (zero number). ok is false when it is neither.
func ParseMeeting(s string) (number int, start time.Time, ok bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, time.Time{}, n > 0
	}
	t, err := time.ParseInLocation(hearingTimeLayout, s, Eastern)
	return 0, t, err == nil
}

// RegulationPath is the page of one Gazette item: "/regulations/I/2026-06-20-reg2".
func RegulationPath(part, id string) string {
	return "/regulations/" + url.PathEscape(part) + "/" + url.PathEscape(id)
}

// PagePath is the path of the web page an alert is about: the one the tracker recorded
// (a diff anchored at a provision), else the page its kind and subject name.
func (a Alert) PagePath() string {
	if a.Page != "" {
		return a.Page
	}
	f := strings.Fields(a.Subject)
	switch {
	case strings.HasPrefix(string(a.Kind), "bill.") && len(f) == 2:
		return BillPath(f[0], f[1])
	case strings.HasPrefix(string(a.Kind), "hearing.") && len(f) == 4 && f[2] == "meeting":
		if n, err := strconv.Atoi(f[3]); err == nil {
			return HearingPath(f[1], f[0], n)
		}
	case strings.HasPrefix(string(a.Kind), "hearing.") && len(f) == 6 && f[2] == "meeting" && f[3] == "of":
		// A meeting without a number: "LCJC 45-1 meeting of 2026-11-12 16:15".
		if _, _, ok := ParseMeeting(f[4] + "T" + f[5]); ok {
			return hearingPath(f[1], f[0], f[4]+"T"+f[5])
		}
	case (a.Kind == KindRegulationProposed || a.Kind == KindDeadlineReminder) && len(f) == 2 && f[0] == "Gazette":
		return RegulationPath("I", f[1])
	case a.Kind == KindDeadlineReminder && len(f) == 2 && f[0] != "Gazette" && NormalizeBillNumber(f[1]) == f[1]:
		// A next step's reminder on a bill (stored before reminders carried their page).
		return BillPath(f[0], f[1])
	case a.Kind == KindRegulationFinal && len(f) == 2 && f[0] == "Gazette":
		return RegulationPath("II", f[1])
	case a.Kind == KindSourceUnhealthy || a.Kind == KindSourceRecovered:
		return "/status"
	}
	return "/alerts"
}
