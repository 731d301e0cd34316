package billwatch

import (
	"net/url"
	"strconv"
	"strings"
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
	return "/hearings/" + url.PathEscape(session) + "/" + url.PathEscape(committee) + "/" + strconv.Itoa(number)
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
	case (a.Kind == KindRegulationProposed || a.Kind == KindDeadlineReminder) && len(f) == 2 && f[0] == "Gazette":
		return RegulationPath("I", f[1])
	case a.Kind == KindRegulationFinal && len(f) == 2 && f[0] == "Gazette":
		return RegulationPath("II", f[1])
	case a.Kind == KindSourceUnhealthy || a.Kind == KindSourceRecovered:
		return "/status"
	}
	return "/alerts"
}
