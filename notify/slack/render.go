package slack

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/billwatch/billwatch"
	"github.com/slack-go/slack"
)

// Slack's limits (golibs.md §5.2), and ours.
const (
	maxBlocks      = 50   // blocks per message
	maxSectionText = 3000 // runes per section or context text
	maxHeaderText  = 150  // runes per header
	maxButtonText  = 75   // runes per button label
	maxButtonURL   = 3000 // bytes per button URL
	maxButtons     = 5    // link buttons shown; the rest become mrkdwn links
	maxFallback    = 4000 // runes of the top-level text (Slack truncates at 40,000)
	maxTitle       = 300  // runes of the title shown
	maxWhy         = 1200 // runes of the reason shown
)

// severityLabel makes the severity readable at a glance, in Slack and on the console.
func severityLabel(s billwatch.Severity) (emoji, word string) {
	switch s {
	case billwatch.Urgent:
		return "🔴", "Urgent"
	case billwatch.Action:
		return "🟠", "Action"
	case billwatch.Info:
		return "🔵", "Info"
	}
	return "⚪", cleanLine(string(s))
}

// kindLabel names an alert kind for people.
func kindLabel(k billwatch.Kind) (emoji, label string) {
	switch k {
	case billwatch.KindBillIntroduced:
		return "📜", "New bill"
	case billwatch.KindBillStage:
		return "📜", "Bill moved to a new stage"
	case billwatch.KindBillAmended:
		return "📝", "Bill text amended"
	case billwatch.KindHearingScheduled:
		return "🏛️", "Hearing scheduled"
	case billwatch.KindHearingChanged:
		return "🏛️", "Hearing changed"
	case billwatch.KindHearingCancelled:
		return "🚫", "Hearing cancelled"
	case billwatch.KindHearingReminder:
		return "⏰", "Hearing reminder"
	case billwatch.KindRegulationProposed:
		return "📰", "Proposed regulation (Gazette Part I)"
	case billwatch.KindRegulationFinal:
		return "📰", "Final regulation (Gazette Part II)"
	case billwatch.KindDeadlineReminder:
		return "⏰", "Deadline reminder"
	case billwatch.KindSourceUnhealthy:
		return "⚠️", "Source unhealthy"
	case billwatch.KindSourceRecovered:
		return "✅", "Source recovered"
	case billwatch.KindBillProvision:
		return "📌", "Watched provision touched"
	}
	return "🔔", cleanLine(string(k))
}

// deadlineLabel says what the deadline of an alert kind is.
func deadlineLabel(k billwatch.Kind) string {
	switch k {
	case billwatch.KindHearingScheduled, billwatch.KindHearingChanged, billwatch.KindHearingCancelled, billwatch.KindHearingReminder:
		return "Meeting"
	case billwatch.KindRegulationProposed:
		return "Comments due"
	}
	return "Deadline"
}

// formatDeadline writes a date or a time the way people in Ottawa read it. A meeting known by
// its date alone (a date, or from an alert raised before dates were used, midnight Eastern)
// says that its time is not yet published, never "00:00".
func formatDeadline(k billwatch.Kind, s string) string {
	s = strings.TrimSpace(s)
	meeting := strings.HasPrefix(string(k), "hearing.")
	if d, err := time.ParseInLocation(billwatch.DateLayout, s, billwatch.Eastern); err == nil {
		if meeting {
			return d.Format("Mon 2 Jan 2006") + ", time not yet published"
		}
		return d.Format("Mon 2 Jan 2006")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		t = t.In(billwatch.Eastern)
		if meeting && t.Hour() == 0 && t.Minute() == 0 {
			return t.Format("Mon 2 Jan 2006") + ", time not yet published"
		}
		return t.Format("Mon 2 Jan 2006, 15:04 MST")
	}
	return cleanLine(s)
}

// clean drops control characters (terminal escapes, NULs) from scraped text, keeping line
// breaks and tabs.
func clean(s string) string {
	if !strings.ContainsFunc(s, isBadControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBadControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBadControl(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029')
}

// cleanLine is clean on one line: line breaks and runs of space become one space.
func cleanLine(s string) string { return strings.Join(strings.Fields(clean(s)), " ") }

// esc makes scraped text inert in mrkdwn: Slack's only control characters are &, < and >, so
// "<!channel>", "<@U123>" and "<https://evil|click>" come out as harmless text.
func esc(s string) string { return escaper.Replace(clean(s)) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// cut shortens s to at most max runes once transformed by tr (esc, or identity), cutting at a
// word boundary. It returns the kept part (transformed) and how many runes of s were left out.
// Should no boundary exist in the kept part, it cuts between runes; the caller's note still says so.
func cut(s string, max int, tr func(string) string) (kept string, dropped int) {
	if n := utf8.RuneCountInString(tr(s)); n <= max {
		return tr(s), 0
	}
	// Find the longest prefix whose transformed length fits.
	end, size := 0, 0
	for i, r := range s {
		w := utf8.RuneCountInString(tr(string(r)))
		if size+w > max {
			break
		}
		size += w
		end = i + utf8.RuneLen(r)
	}
	prefix := s[:end]
	next, _ := utf8.DecodeRuneInString(s[end:])
	if !unicode.IsSpace(next) {
		// Back off to the last space, so no word is cut.
		if i := strings.LastIndexFunc(prefix, unicode.IsSpace); i > 0 {
			prefix = prefix[:i]
		}
	}
	prefix = strings.TrimRightFunc(prefix, unicode.IsSpace)
	return tr(prefix), utf8.RuneCountInString(s) - utf8.RuneCountInString(prefix)
}

// short cuts s to max runes at a word boundary with a visible mark.
func short(s string, max int, tr func(string) string) string {
	kept, dropped := cut(s, max-len(" … (cut)"), tr)
	if dropped == 0 {
		return kept
	}
	return kept + " … (cut)"
}

func identity(s string) string { return s }

// fullCommand is the billwatch command that shows what a cut text left out.
func fullCommand(a billwatch.Alert) (cmd, what string) {
	for _, l := range a.Links {
		if c := cleanLine(l.URL); strings.HasPrefix(c, "billwatch ") {
			if strings.HasPrefix(c, "billwatch diff ") {
				return c, "the full diff"
			}
			return c, "the full text"
		}
	}
	fields := strings.Fields(a.Subject)
	if n := len(fields); n > 0 {
		if bill := billwatch.NormalizeBillNumber(fields[n-1]); bill != "" && strings.HasPrefix(string(a.Kind), "bill.") {
			if a.Kind == billwatch.KindBillAmended {
				return "billwatch diff " + bill, "the full diff"
			}
			return "billwatch show " + bill, "the full record"
		}
	}
	return "billwatch alerts", "the full text"
}

// cutNote is the explicit mark left where a long text was cut.
func cutNote(a billwatch.Alert, dropped int) string {
	cmd, what := fullCommand(a)
	return fmt.Sprintf("… (cut: %d more characters; see %s with `%s`)", dropped, what, cmd)
}

// cutText cuts the alert's text to max runes including the note.
func cutText(a billwatch.Alert, max int, tr func(string) string) string {
	text := strings.TrimSpace(clean(a.Text))
	if utf8.RuneCountInString(tr(text)) <= max {
		return tr(text)
	}
	note := tr(cutNote(a, utf8.RuneCountInString(text)))
	kept, dropped := cut(text, max-utf8.RuneCountInString(note)-1, tr)
	return kept + "\n" + tr(cutNote(a, dropped))
}

// link is a validated link of an alert: a web page or a billwatch command.
type link struct {
	label   string
	url     string // http or https, absolute; "" for a command
	command string
}

// links sorts an alert's links into web links and commands, dropping anything else
// (javascript:, relative, malformed): a link in an alert must never lead anywhere surprising.
func links(a billwatch.Alert) []link {
	var out []link
	for _, l := range a.Links {
		label := cleanLine(l.Label)
		raw := strings.TrimSpace(l.URL)
		if c := cleanLine(raw); strings.HasPrefix(c, "billwatch ") {
			out = append(out, link{label: label, command: c})
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(raw) > maxButtonURL {
			continue
		}
		if label == "" {
			label = u.Host
		}
		out = append(out, link{label: label, url: urlSafe.Replace(u.String())})
	}
	return out
}

// urlSafe percent-encodes what could end a mrkdwn link or confuse Slack's URL parsing.
var urlSafe = strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20", `"`, "%22")

// plain makes scraped text safe for plain_text fields (header, button labels). Slack does not
// parse those for mentions or links, but angle brackets become look-alikes all the same, so
// that no reading of the field can turn "<!channel>" into a mention.
func plain(s string) string { return lookAlikes.Replace(cleanLine(s)) }

var lookAlikes = strings.NewReplacer("<", "‹", ">", "›")

// mrkdwnLink writes <url|label> with the URL made unable to break out of the link.
func mrkdwnLink(l link) string {
	u := strings.ReplaceAll(l.url, "&", "&amp;")
	label := strings.ReplaceAll(esc(l.label), "|", "¦")
	return "<" + u + "|" + label + ">"
}

// Render builds the Slack message for an alert: the fallback text (used in notifications and
// by clients that cannot show blocks) and the Block Kit blocks. Every piece of scraped text is
// escaped, long texts are cut at a word boundary with a note, and the result stays within
// Slack's limits. It mentions no one; the sink adds its configured mention to urgent alerts.
func Render(a billwatch.Alert) (text string, blocks []slack.Block) {
	return render(a, "")
}

// render is Render with a mention (trusted, from the config) for urgent alerts.
func render(a billwatch.Alert, mention string) (string, []slack.Block) {
	if a.Severity != billwatch.Urgent {
		mention = ""
	}
	sevEmoji, sevWord := severityLabel(a.Severity)
	kindEmoji, kind := kindLabel(a.Kind)
	subject := cleanLine(a.Subject)

	// Header: plain text, which Slack never parses for mentions or links.
	head := kindEmoji + " " + kind
	if subject != "" {
		head += " · " + subject
	}
	blocks := []slack.Block{slack.NewHeaderBlock(
		slack.NewTextBlockObject(slack.PlainTextType, short(head, maxHeaderText, plain), true, false),
		slack.HeaderBlockOptionBlockID("header"))}

	// Summary: severity, subject and title, why it matters, the deadline.
	var sum strings.Builder
	if mention != "" {
		sum.WriteString(mention + " ")
	}
	fmt.Fprintf(&sum, "%s *%s*", sevEmoji, sevWord)
	if subject != "" {
		fmt.Fprintf(&sum, " · *%s*", esc(subject))
	}
	if t := cleanLine(a.Title); t != "" {
		fmt.Fprintf(&sum, " — %s", short(t, maxTitle, esc))
	}
	if w := cleanLine(a.Why); w != "" {
		fmt.Fprintf(&sum, "\n*Why it matters:* %s", short(w, maxWhy, esc))
	}
	if a.Deadline != "" {
		fmt.Fprintf(&sum, "\n*%s:* %s", deadlineLabel(a.Kind), esc(formatDeadline(a.Kind, a.Deadline)))
	}
	blocks = append(blocks, section("summary", sum.String()))

	if strings.TrimSpace(a.Text) != "" {
		blocks = append(blocks, section("text", cutText(a, maxSectionText, esc)))
	}

	// Links: the first few as buttons, the rest as mrkdwn links, commands as code.
	var buttons []slack.BlockElement
	var more, commands []string
	for _, l := range links(a) {
		switch {
		case l.command != "":
			c := "`" + esc(l.command) + "`"
			if l.label != "" {
				c = esc(l.label) + ": " + c
			}
			commands = append(commands, c)
		case len(buttons) < maxButtons:
			b := slack.NewButtonBlockElement(fmt.Sprintf("link_%d", len(buttons)), "",
				slack.NewTextBlockObject(slack.PlainTextType, short(l.label, maxButtonText, plain), true, false))
			buttons = append(buttons, b.WithURL(l.url))
		default:
			more = append(more, mrkdwnLink(l))
		}
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("links", buttons...))
	}
	// The rest of the links, over as many sections as they need, keeping room for the context.
	for i, prefix := 0, "*More links:* "; len(more) > 0; i++ {
		last := len(blocks) >= maxBlocks-2
		md, n := joinWithin(prefix, more, " · ", maxSectionText, last)
		blocks = append(blocks, section(fmt.Sprintf("more_links_%d", i+1), md))
		more, prefix = more[n:], ""
		if last {
			break
		}
	}

	// Context: commands, then the alert's identity (the marker Posted falls back on).
	var meta []slack.MixedElement
	if len(commands) > 0 {
		meta = append(meta, slack.NewTextBlockObject(slack.MarkdownType,
			first(joinWithin("", commands, " · ", maxSectionText, true)), false, true))
	}
	meta = append(meta, slack.NewTextBlockObject(slack.MarkdownType, marker(a), false, true))
	blocks = append(blocks, slack.NewContextBlock("meta", meta...))

	if len(blocks) > maxBlocks { // unreachable by construction; a guard for later edits
		blocks = append(blocks[:maxBlocks-1], blocks[len(blocks)-1])
	}
	return fallback(a, mention), blocks
}

// marker identifies the alert in the message, for people and for Posted.
func marker(a billwatch.Alert) string {
	s := fmt.Sprintf("billwatch alert `%s` · %s", esc(a.ID), esc(string(a.Kind)))
	if !a.Created.IsZero() {
		s += " · raised " + a.Created.In(billwatch.Eastern).Format("2006-01-02 15:04 MST")
	}
	return s
}

// textMarker is the part of the fallback text that names the alert.
func textMarker(id string) string { return "billwatch alert " + esc(id) }

// section is a mrkdwn section; verbatim, so Slack does not linkify bare URLs or #channels.
func section(id, md string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, md, false, true), nil, nil,
		slack.SectionBlockOptionBlockID(id))
}

// joinWithin joins items after prefix while the result stays within max runes, and returns
// how many it took. With final, the items left out are counted at the end ("… and 3 more").
func joinWithin(prefix string, items []string, sep string, max int, final bool) (string, int) {
	var b strings.Builder
	b.WriteString(prefix)
	for i, it := range items {
		tail := ""
		if final && i < len(items)-1 {
			tail = fmt.Sprintf("%s… and %d more", sep, len(items)-i)
		}
		add := it
		if i > 0 {
			add = sep + it
		}
		if i > 0 && utf8.RuneCountInString(b.String())+utf8.RuneCountInString(add)+utf8.RuneCountInString(tail) > max {
			if final {
				fmt.Fprintf(&b, "%s… and %d more", sep, len(items)-i)
			}
			return b.String(), i
		}
		b.WriteString(add)
	}
	return b.String(), len(items)
}

func first(s string, _ int) string { return s }

// fallback is the message's top-level text: what notifications and block-less clients show.
func fallback(a billwatch.Alert, mention string) string {
	sevEmoji, sevWord := severityLabel(a.Severity)
	_, kind := kindLabel(a.Kind)
	var head strings.Builder
	if mention != "" {
		head.WriteString(mention + " ")
	}
	fmt.Fprintf(&head, "%s %s: %s", sevEmoji, sevWord, kind)
	if s := cleanLine(a.Subject); s != "" {
		fmt.Fprintf(&head, " · %s", esc(s))
	}
	if t := cleanLine(a.Title); t != "" {
		fmt.Fprintf(&head, " — %s", short(t, maxTitle, esc))
	}
	if w := cleanLine(a.Why); w != "" {
		fmt.Fprintf(&head, "\nWhy it matters: %s", short(w, maxWhy, esc))
	}
	if a.Deadline != "" {
		fmt.Fprintf(&head, "\n%s: %s", deadlineLabel(a.Kind), esc(formatDeadline(a.Kind, a.Deadline)))
	}
	tail := "\n\n" + textMarker(a.ID)
	out := head.String()
	if strings.TrimSpace(a.Text) != "" {
		room := maxFallback - utf8.RuneCountInString(out) - utf8.RuneCountInString(tail) - 2
		if room > 200 {
			out += "\n\n" + cutText(a, room, esc)
		}
	}
	return out + tail
}

// Preview writes the alert as the Slack message would show it, in plain text, for the console
// and `billwatch demo` when no token is set. Control characters are dropped, so scraped text
// cannot drive the terminal.
func Preview(a billwatch.Alert) string {
	sevEmoji, sevWord := severityLabel(a.Severity)
	kindEmoji, kind := kindLabel(a.Kind)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s · %s %s", sevEmoji, strings.ToUpper(sevWord), kindEmoji, kind)
	if s := cleanLine(a.Subject); s != "" {
		fmt.Fprintf(&b, " · %s", s)
	}
	b.WriteString("\n")
	if t := cleanLine(a.Title); t != "" {
		fmt.Fprintf(&b, "%s\n", short(t, maxTitle, identity))
	}
	if w := cleanLine(a.Why); w != "" {
		fmt.Fprintf(&b, "Why it matters: %s\n", short(w, maxWhy, identity))
	}
	if a.Deadline != "" {
		fmt.Fprintf(&b, "%s: %s\n", deadlineLabel(a.Kind), formatDeadline(a.Kind, a.Deadline))
	}
	if strings.TrimSpace(a.Text) != "" {
		fmt.Fprintf(&b, "\n%s\n", cutText(a, maxSectionText, identity))
	}
	if ls := links(a); len(ls) > 0 {
		b.WriteString("\n")
		for _, l := range ls {
			target := l.url
			if target == "" {
				target = l.command
			}
			fmt.Fprintf(&b, "  → %s: %s\n", l.label, target)
		}
	}
	fmt.Fprintf(&b, "(alert %s", cleanLine(a.ID))
	if !a.Created.IsZero() {
		fmt.Fprintf(&b, ", raised %s", a.Created.In(billwatch.Eastern).Format("2006-01-02 15:04 MST"))
	}
	b.WriteString(")\n")
	return b.String()
}
