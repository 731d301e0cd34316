package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// The Atom feed (RFC 4287) of alerts, for feed readers and for members to rebroadcast.

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// feedEntries is how many alerts the feed carries, newest first.
const feedEntries = 100

func (s *Server) feed(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := alertFilterParams(q)
	if err != nil {
		return err
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	base := s.base(r)
	// The feed's id and its alternate page keep the filter but never a subscription key; its
	// self link is the address the reader fetched, key included, since some readers move
	// their subscription to the self link.
	filter := url.Values{}
	for _, p := range []string{"audience", "kind", "severity"} {
		if v := q.Get(p); v != "" {
			filter.Set(p, v)
		}
	}
	id, alt := base+"/feed.atom", base+"/alerts"
	if len(filter) > 0 {
		id += "?" + filter.Encode()
		alt += "?" + filter.Encode()
	}
	self := id
	if k := q.Get(KeyParam); k != "" {
		filter.Set(KeyParam, k)
		self = base + "/feed.atom?" + filter.Encode()
	}
	title := "billwatch alerts"
	feed := atomFeed{
		Title: title, Subtitle: "Canadian federal bills, hearings and regulations watched by billwatch",
		ID:        id,
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: alt}},
		Author:    atomPerson{Name: "billwatch"},
		Generator: "billwatch",
	}
	var updated time.Time
	for _, a := range sn.alerts {
		if !f.keep(a) {
			continue
		}
		if len(feed.Entries) == feedEntries {
			break
		}
		if a.Created.After(updated) {
			updated = a.Created
		}
		t := alertLabel(a) + ": " + a.Subject
		if a.Title != "" {
			t += " — " + a.Title
		}
		var content strings.Builder
		content.WriteString(a.Why)
		if a.Deadline != "" {
			deadline := a.Deadline
			if strings.HasPrefix(string(a.Kind), "hearing.") && len(deadline) == len("2006-01-02") {
				deadline += " (time not yet published)"
			}
			content.WriteString("\nDeadline: " + deadline)
		}
		if a.Text != "" {
			content.WriteString("\n\n" + a.Text)
		}
		for _, l := range a.Links {
			content.WriteString("\n" + l.Label + ": " + l.URL)
		}
		ts := a.Created.UTC().Format(time.RFC3339)
		feed.Entries = append(feed.Entries, atomEntry{
			Title: t, ID: "tag:billwatch,2026:alert/" + a.ID, Updated: ts, Published: ts,
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + a.PagePath()}},
			Categories: []atomCategory{
				{Term: string(a.Kind), Label: kindLabel(a.Kind)},
				{Term: "severity:" + string(a.Severity)},
				{Term: "audience:" + string(a.Audience)},
			},
			Summary: atomText{Type: "text", Body: a.Why},
			Content: atomText{Type: "text", Body: content.String()},
		})
	}
	if updated.IsZero() {
		updated = s.lastChange(sn)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	buf.WriteString("\n")
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", noCache(r))
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// lastChange is when the alerts last changed, for a feed with no entry of its own: the newest
// alert of any audience, else the last pass over any source, else the database's last write.
func (s *Server) lastChange(sn *snapshot) time.Time {
	if len(sn.alerts) > 0 {
		return sn.alerts[0].Created
	}
	var last time.Time
	for _, rs := range sn.runs {
		if rs.LastRun.After(last) {
			last = rs.LastRun
		}
	}
	if last.IsZero() {
		if fi, err := os.Stat(s.opt.DB); err == nil {
			last = fi.ModTime()
		}
	}
	return last
}
