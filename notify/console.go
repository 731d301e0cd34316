// Package notify delivers alerts. This package holds the console sink, used when no Slack token
// is set and by `billwatch demo`; notify/slack wraps slack-go.
package notify

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/text"
)

// Console prints each alert, the way it would be posted, to a writer.
type Console struct {
	mu  sync.Mutex
	w   io.Writer
	fmt func(billwatch.Alert) string
	// Take, when set, chooses the alerts the console takes; nil takes every alert.
	Take func(billwatch.Alert) bool
}

// NewConsole returns a console sink writing to w. format renders an alert; nil means a plain
// rendition.
func NewConsole(w io.Writer, format func(billwatch.Alert) string) *Console {
	if format == nil {
		format = Plain
	}
	return &Console{w: w, fmt: format}
}

// Name is "console", as `alerts` shows it.
func (c *Console) Name() string { return "console" }

// Channels returns one unnamed channel for the alerts the console takes.
func (c *Console) Channels(a billwatch.Alert) []string {
	if c.Take != nil && !c.Take(a) {
		return nil
	}
	return []string{""}
}

// Send prints the alert.
func (c *Console) Send(ctx context.Context, a billwatch.Alert, channel, thread string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Scraped text is never trusted: no terminal control reaches the operator's screen.
	msg := text.Terminal(strings.TrimRight(c.fmt(a), "\n"))
	if _, err := fmt.Fprintf(c.w, "%s\n\n", msg); err != nil {
		return "", fmt.Errorf("console: %w", err)
	}
	return "", nil
}

// Plain renders an alert as a few lines of text.
func Plain(a billwatch.Alert) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s · %s → %s\n", strings.ToUpper(string(a.Severity)), a.Kind, a.Subject, a.Audience)
	if a.Title != "" {
		fmt.Fprintf(&b, "  %s\n", a.Title)
	}
	fmt.Fprintf(&b, "  Why: %s\n", a.Why)
	if a.Deadline != "" {
		fmt.Fprintf(&b, "  Deadline: %s\n", deadlineText(a))
	}
	for _, line := range strings.Split(a.Text, "\n") {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	for _, l := range a.Links {
		fmt.Fprintf(&b, "  %s: %s\n", l.Label, l.URL)
	}
	return b.String()
}

// deadlineText is an alert's deadline as stored, and for a meeting known by its date alone
// (a date without a time), says that its time is not yet published.
func deadlineText(a billwatch.Alert) string {
	if strings.HasPrefix(string(a.Kind), "hearing.") && len(a.Deadline) == len(billwatch.DateLayout) {
		return a.Deadline + " (time not yet published)"
	}
	return a.Deadline
}
