// Package calendar writes upcoming hearings and comment deadlines as an iCalendar feed
// (RFC 5545) that Outlook, Google Calendar and Apple Calendar can subscribe to. It knows
// nothing of hearings or regulations: the caller builds the Events. Standard library only.
package calendar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Event is one calendar entry: a hearing (timed) or a comment deadline (all day).
type Event struct {
	// UID identifies the event across feeds and versions, so that a calendar updates it in
	// place rather than adding a copy: use a stable key ("SECU-45-1-25@billwatch").
	UID         string
	Summary     string
	Description string
	Location    string
	URL         string
	// Start and End are instants; timed events are written in America/Toronto wall time.
	// For an all-day event only the dates count, and End is the last day (inclusive); a zero
	// End means a one-day event.
	Start, End time.Time
	// AllDay makes a date-only event (VALUE=DATE), as for a comment deadline.
	AllDay bool
	// Status is "CONFIRMED", "CANCELLED" or "TENTATIVE"; empty means CONFIRMED.
	Status string
	// Sequence is the revision number; raise it whenever the event changes (a moved hearing),
	// or calendars may keep the old time.
	Sequence int
	// Updated is when the event last changed (LAST-MODIFIED, and DTSTAMP); zero means the
	// time of writing.
	Updated time.Time
}

// TimeZone is the zone of every timed event: Parliament sits in Ottawa.
const TimeZone = "America/Toronto"

// ProdID names billwatch as the producer of the feed.
const ProdID = "-//billwatch//billwatch calendar//EN"

// vtimezone describes America/Toronto with its rules since 2007 (second Sunday of March to
// first Sunday of November), which every calendar client needs to place TZID times.
const vtimezone = "BEGIN:VTIMEZONE\r\n" +
	"TZID:America/Toronto\r\n" +
	"X-LIC-LOCATION:America/Toronto\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:-0500\r\n" +
	"TZOFFSETTO:-0400\r\n" +
	"TZNAME:EDT\r\n" +
	"DTSTART:20070311T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:-0400\r\n" +
	"TZOFFSETTO:-0500\r\n" +
	"TZNAME:EST\r\n" +
	"DTSTART:20071104T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n" +
	"END:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// toronto is loaded on first use: reading the zone at start-up would cost every billwatch
// command, most of which write no calendar.
var toronto = sync.OnceValue(loadToronto)

func loadToronto() *time.Location {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		return nil // checked in Write: a feed with wrong wall times is worse than none
	}
	return loc
}

// Write is WriteAt stamped with the wall clock.
func Write(w io.Writer, name string, events []Event) error {
	return WriteAt(w, name, time.Now(), events)
}

// WriteAt writes a VCALENDAR named name (X-WR-CALNAME) holding events, in order; stamp is the
// DTSTAMP of an event without an Updated time (the time the feed is written, from the
// caller's clock). It refuses an event without UID or Start, or whose End is before its Start,
// naming the event.
func WriteAt(w io.Writer, name string, stamp time.Time, events []Event) error {
	loc := toronto()
	if loc == nil {
		return errors.New("calendar: time zone America/Toronto not available (import time/tzdata)")
	}
	for i, e := range events {
		if err := check(e); err != nil {
			return fmt.Errorf("calendar: event %d (%q): %w", i+1, e.UID, err)
		}
	}
	bw := bufio.NewWriter(w)
	cw := &contentWriter{w: bw}
	cw.raw("BEGIN:VCALENDAR\r\n")
	cw.line("PRODID:" + ProdID)
	cw.line("VERSION:2.0")
	cw.line("CALSCALE:GREGORIAN")
	cw.line("METHOD:PUBLISH")
	cw.line("X-WR-CALNAME:" + escape(name))
	cw.line("X-WR-TIMEZONE:" + TimeZone)
	cw.raw(vtimezone)
	stamp = stamp.UTC()
	for _, e := range events {
		writeEvent(cw, e, stamp)
	}
	cw.raw("END:VCALENDAR\r\n")
	if cw.err != nil {
		return fmt.Errorf("calendar: write: %w", cw.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("calendar: write: %w", err)
	}
	return nil
}

func check(e Event) error {
	switch {
	case strings.TrimSpace(e.UID) == "":
		return errors.New("no UID")
	case e.Start.IsZero():
		return errors.New("no start")
	case !e.End.IsZero() && e.End.Before(e.Start):
		return fmt.Errorf("ends %s before it starts %s", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	}
	switch e.Status {
	case "", "CONFIRMED", "CANCELLED", "TENTATIVE":
	default:
		return fmt.Errorf("status %q is not CONFIRMED, CANCELLED or TENTATIVE", e.Status)
	}
	return nil
}

func writeEvent(cw *contentWriter, e Event, stamp time.Time) {
	loc := toronto()
	cw.raw("BEGIN:VEVENT\r\n")
	cw.line("UID:" + escape(e.UID))
	if !e.Updated.IsZero() {
		stamp = e.Updated.UTC()
	}
	cw.line("DTSTAMP:" + stamp.Format("20060102T150405Z"))
	if !e.Updated.IsZero() {
		cw.line("LAST-MODIFIED:" + stamp.Format("20060102T150405Z"))
	}
	if e.AllDay {
		start := e.Start.In(loc)
		end := start
		if !e.End.IsZero() {
			end = e.End.In(loc)
		}
		// DTEND of a date is exclusive: the day after the last day.
		last := time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, time.UTC)
		cw.line("DTSTART;VALUE=DATE:" + start.Format("20060102"))
		cw.line("DTEND;VALUE=DATE:" + last.Format("20060102"))
		cw.line("TRANSP:TRANSPARENT")
	} else {
		cw.line("DTSTART;TZID=" + TimeZone + ":" + e.Start.In(loc).Format("20060102T150405"))
		if !e.End.IsZero() {
			cw.line("DTEND;TZID=" + TimeZone + ":" + e.End.In(loc).Format("20060102T150405"))
		}
	}
	cw.line("SUMMARY:" + escape(e.Summary))
	if e.Description != "" {
		cw.line("DESCRIPTION:" + escape(e.Description))
	}
	if e.Location != "" {
		cw.line("LOCATION:" + escape(e.Location))
	}
	if e.URL != "" {
		// URL is a URI value: no text escaping, but no line breaks either.
		cw.line("URL:" + strings.NewReplacer("\r", "", "\n", "").Replace(e.URL))
	}
	status := e.Status
	if status == "" {
		status = "CONFIRMED"
	}
	cw.line("STATUS:" + status)
	cw.line(fmt.Sprintf("SEQUENCE:%d", max(e.Sequence, 0)))
	cw.raw("END:VEVENT\r\n")
}

// escape writes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped,
// every line break as \n, other control characters dropped.
func escape(s string) string {
	var sb strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\':
			sb.WriteString(`\\`)
		case r == ';':
			sb.WriteString(`\;`)
		case r == ',':
			sb.WriteString(`\,`)
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteByte(' ')
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			// Control characters are not allowed in TEXT; invalid UTF-8 is dropped too.
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// contentWriter writes content lines folded at 75 octets (RFC 5545 §3.1) with CRLF, never
// splitting a UTF-8 sequence, and keeps the first write error.
type contentWriter struct {
	w   *bufio.Writer
	err error
}

func (c *contentWriter) raw(s string) {
	if c.err == nil {
		_, c.err = c.w.WriteString(s)
	}
}

// line writes one content line, folded: the first physical line holds at most 75 octets, each
// continuation a space and at most 74 more.
func (c *contentWriter) line(s string) {
	var sb strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		sb.WriteString(s[:cut])
		sb.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	sb.WriteString(s)
	sb.WriteString("\r\n")
	c.raw(sb.String())
}
