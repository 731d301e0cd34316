package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// page is what every template receives.
type page struct {
	Title string
	Nav   string // the section of the site, for the menu
	Now   time.Time
	Stale []string // sources gone stale, shown in a banner on every page
	// Unreadable says that the database holds records that cannot be decoded, which the
	// pages leave out (a banner on every page); "" when none.
	Unreadable string
	// SessionOver says that the session followed is over and what to change (a banner on
	// every page); "" when it is not.
	SessionOver string
	Data        any
}

var pageNames = []string{"error", "board", "bills", "bill", "diff", "law", "hearings", "hearing", "regulations", "regulation", "alerts", "status", "signin", "memory", "watch", "steps", "account"}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/memoryparts.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// render writes a page. The page is built in memory first, so that a template error gives a
// proper 500 page, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if p.Now.IsZero() {
		p.Now = s.opt.Now()
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.opt.Log.Error("web: template", "page", name, "path", r.URL.Path, "error", err)
		if name != "error" {
			s.render(w, r, http.StatusInternalServerError, "error", page{Title: "Something went wrong", Data: &httpError{status: 500, msg: "billwatch could not build this page. The error is in the server's log."}})
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", noCache(r))
	}
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func writeJSONBody(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// noCache is the Cache-Control of a page that is checked again on every use: private when it
// was made for a signed-in or subscribed user, so that no shared cache keeps it.
func noCache(r *http.Request) string {
	if userOf(r) != nil {
		return "private, no-cache"
	}
	return "no-cache"
}

// writeJSON answers with the same JSON as the read command's --json.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	if err := writeJSONBody(&buf, v); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", noCache(r))
	writeJSONBytes(w, r, buf.Bytes())
	return nil
}

// writeJSONBytes answers with JSON already encoded.
func writeJSONBytes(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

var funcs = template.FuncMap{
	"billPath":    billwatch.BillPath,
	"siteOf":      siteOf,
	"hearingPath": func(h billwatch.Hearing) string { return h.PagePath() },
	"unlisted":    tracker.UnlistedNote,
	"movedPath":   func(h billwatch.Hearing) string { return movedMeeting(h).PagePath() },
	"moved":       movedMeeting,
	"regPath":     func(r billwatch.Regulation) string { return billwatch.RegulationPath(r.Part, r.ID) },
	"alertPath":   func(a billwatch.Alert) string { return a.PagePath() },
	"date":        fmtDate,
	"datetime":    fmtDateTime,
	"isoDate":     func(t time.Time) string { return t.In(billwatch.Eastern).Format(billwatch.DateLayout) },
	"rfc3339":     func(t time.Time) string { return t.Format(time.RFC3339) },
	"countdown":   countdownAny,
	"daysLeft":    billwatch.DaysLeft,
	"ago":         ago,
	"join":        strings.Join,
	"kindLabel":   kindLabel,
	"when":        hearingWhen,
	"witness":     witnessName,
	"deref":       func(p *string) string { return derefStr(p) },
	"derefInt": func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	},
	"title": func(b billwatch.Bill) string {
		if b.ShortTitle != "" {
			return b.ShortTitle
		}
		return b.Title
	},
	"lower": strings.ToLower,
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// fmtDate writes a date ("2026-11-23" or a time) as people in Ottawa read it: "Mon 23 Nov 2026".
func fmtDate(v any) string {
	switch d := v.(type) {
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.In(billwatch.Eastern).Format("Mon 2 Jan 2006")
	case string:
		t, err := time.ParseInLocation(billwatch.DateLayout, d, billwatch.Eastern)
		if err != nil {
			return d
		}
		return t.Format("Mon 2 Jan 2006")
	}
	return fmt.Sprint(v)
}

func fmtDateTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(billwatch.Eastern).Format("Mon 2 Jan 2006, 15:04 MST")
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(billwatch.Eastern).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, billwatch.Eastern)
}

// countdown says how far a moment is from now in days: "today", "tomorrow", "in 5 days",
// "yesterday", "3 days ago".
func countdown(now, t time.Time) string {
	days := int(math.Round(startOfDay(t).Sub(startOfDay(now)).Hours() / 24))
	switch {
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	case days == -1:
		return "yesterday"
	case days > 1:
		return fmt.Sprintf("in %d days", days)
	}
	return fmt.Sprintf("%d days ago", -days)
}

// ago says how long ago a moment was: "12 min ago", "3 h ago", "2 days ago". A moment more
// than a minute ahead of now is a clock out of step (the server's, or the one that wrote it):
// it says so rather than hide it as "just now".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < -time.Minute:
		return futureNote
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d s ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// futureNote is what ago says of a moment ahead of now.
const futureNote = "in the future — check the server's clock"

// kindLabel names an alert kind in plain words.
func kindLabel(k billwatch.Kind) string {
	switch k {
	case billwatch.KindBillIntroduced:
		return "New bill"
	case billwatch.KindBillStage:
		return "Bill moved"
	case billwatch.KindBillAmended:
		return "Bill text amended"
	case billwatch.KindBillProvision:
		return "Bill touches a watched provision"
	case billwatch.KindHearingScheduled:
		return "Hearing scheduled"
	case billwatch.KindHearingChanged:
		return "Hearing notice amended"
	case billwatch.KindHearingCancelled:
		return "Hearing cancelled"
	case billwatch.KindHearingReminder:
		return "Hearing reminder"
	case billwatch.KindRegulationProposed:
		return "Proposed regulation"
	case billwatch.KindRegulationFinal:
		return "Regulation made"
	case billwatch.KindDeadlineReminder:
		return "Comment deadline or next step due"
	case billwatch.KindSourceUnhealthy:
		return "Source failing"
	case billwatch.KindSourceRecovered:
		return "Source recovered"
	}
	return string(k)
}

// hearingWhen is a meeting's time for people: "Thu 26 Nov 2026, 15:30–17:30 EST".
func hearingWhen(h billwatch.Hearing) string {
	s := h.Start.In(billwatch.Eastern)
	if !tracker.HearingTimeKnown(h) {
		return s.Format("Mon 2 Jan 2006") + " (time not yet published)"
	}
	out := s.Format("Mon 2 Jan 2006, 15:04")
	if !h.End.IsZero() {
		out += "–" + h.End.In(billwatch.Eastern).Format("15:04")
	}
	return out + " " + s.Format("MST")
}

func witnessName(w billwatch.Witness) string {
	switch {
	case w.Organization == "" || w.Organization == w.Name:
		return w.Name
	case w.Name == "":
		return w.Organization
	}
	return w.Name + " (" + w.Organization + ")"
}

// countdownAny is countdown for a time or a date ("2026-11-23").
func countdownAny(now time.Time, v any) string {
	switch t := v.(type) {
	case time.Time:
		return countdown(now, t)
	case string:
		d, err := time.ParseInLocation(billwatch.DateLayout, t, billwatch.Eastern)
		if err != nil {
			return t
		}
		return countdown(now, d)
	}
	return ""
}

// siteOf names the site of a page for a link's text: its host without "www." ("parl.ca").
func siteOf(page string) string {
	u, err := url.Parse(page)
	if err != nil || u.Host == "" {
		return "its site"
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// movedMeeting is the meeting a moved meeting (listed without a number) became: the same
// committee's meeting at its new start.
func movedMeeting(h billwatch.Hearing) billwatch.Hearing {
	return billwatch.Hearing{Chamber: h.Chamber, Committee: h.Committee, Session: h.Session, Start: h.MovedTo}
}
