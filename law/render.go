package law

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/internal/text"
)

// Render writes a result as text (color adds ANSI colours), markdown, html (one
// self-contained page) or json.
func Render(w io.Writer, r *Result, format string, color bool) error {
	switch format {
	case "", "text":
		return renderText(w, r, color)
	case "markdown", "md":
		return renderMarkdown(w, r)
	case "html":
		return renderHTML(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		out := *r
		if out.Acts == nil {
			out.Acts = []ActResult{}
		}
		for i := range out.Acts {
			if out.Acts[i].Effects == nil {
				out.Acts[i].Effects = []Effect{}
			}
		}
		return enc.Encode(out)
	}
	return fmt.Errorf("law: unknown format %q (want text, markdown, html or json)", format)
}

// Headline is one line naming the bill and the counts.
func (r *Result) Headline() string {
	if r.headline != "" {
		return fmt.Sprintf("%s: %s changed", r.headline, plural(r.Summary.Instructions, "section"))
	}
	name := strings.TrimSpace(r.Session + " " + r.Bill)
	if r.Version != "" {
		name += " (" + r.Version + ")"
	}
	return fmt.Sprintf("%s: effect on the law: %s, %d applied, %d not applied",
		name, plural(r.Summary.Instructions, "instruction"), r.Summary.Applied, r.Summary.Unapplied)
}

// plural is "1 section", "2 sections".
func plural(n int, noun string) string { return text.Count(n, noun, noun+"s") }

// ActName is "Telecommunications Act (T-3.4), consolidated to 2024-06-20".
func (a ActResult) ActName() string {
	s := a.Title
	if s == "" {
		s = a.Chapter
	}
	if a.Code != "" {
		s += " (" + a.Code + ")"
	}
	if a.ConsolidatedTo != "" {
		s += ", consolidated to " + a.ConsolidatedTo
	}
	return s
}

// Status is "applied" or "not applied: REASON"; for a comparison of consolidations, what
// the later one shows.
func (e Effect) Status() string {
	switch e.Change {
	case ChangeChanged:
		return "the later consolidation reads differently"
	case ChangeAdded:
		return "new in the later consolidation"
	case ChangeGone:
		return "repealed or gone in the later consolidation"
	}
	if e.Applied {
		return "applied"
	}
	return "not applied: " + e.Reason
}

// Summary is "s. 47 replaced", "s. 15.1, 15.2 added", "portion before (a) of s. 72.001 replaced".
func (e Effect) Summary() string {
	t := e.Target
	cite := "s. " + t
	if t == "" || t[0] < '0' || t[0] > '9' {
		cite = t // "Schedule 2"
	}
	if t == "schedule" {
		cite = "the schedule"
	}
	if strings.HasPrefix(e.Part, "portion") || strings.HasPrefix(e.Part, "heading") {
		if strings.HasPrefix(e.Part, "heading") {
			cite = "the " + e.Part
		} else {
			cite = e.Part + " of s. " + t
		}
	}
	kind := e.Kind
	if e.Change != "" {
		return cite + " " + e.Change
	}
	if kind == "" {
		if cite == "" {
			return "an instruction"
		}
		return "an instruction on " + cite
	}
	if kind == Words {
		kind = "words changed"
	}
	return cite + " " + kind
}

// InForceHeading heads the bill's coming-into-force provisions, shown as printed.
const InForceHeading = "When it takes effect"

func renderText(w io.Writer, r *Result, color bool) error {
	var sb strings.Builder
	line := func(s string) { sb.WriteString(oneLine(s) + "\n") }
	line(r.Headline())
	if len(r.InForce) > 0 {
		line("\n" + InForceHeading + " (as the bill says it):")
		for _, f := range r.InForce {
			for i, l := range strings.Split(f.Text, "\n") {
				if i == 0 {
					l = "bill s. " + f.Provision + ": " + l
				}
				line("  " + sanitize(l))
			}
		}
	}
	for _, a := range r.Acts {
		line("\n== " + a.ActName() + " ==")
		for _, e := range a.Effects {
			if e.BillProvision != "" {
				line("\nbill s. " + e.BillProvision + ": " + e.Instruction)
			} else {
				sb.WriteString("\n")
			}
			line("  " + e.Summary() + ": " + e.Status())
			if e.Note != "" {
				line("  note: " + e.Note)
			}
			for _, f := range e.Flags {
				line("  flag: " + f.Text)
			}
			if !e.Applied {
				continue
			}
			body := diffText(e, func(op, t string) string {
				switch {
				case op == diff.OpDelete && color:
					return "\x1b[31;9m" + t + "\x1b[0m"
				case op == diff.OpInsert && color:
					return "\x1b[32m" + t + "\x1b[0m"
				case op == diff.OpDelete:
					return "[-" + t + "-]"
				case op == diff.OpInsert:
					return "{+" + t + "+}"
				}
				return t
			}, sanitize)
			sb.WriteString(indent(body, "    ") + "\n")
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// diffText writes the before and after of an effect as one redline: the word diff of a
// replacement, the whole text as inserted or deleted for an addition or repeal.
func diffText(e Effect, mark func(op, text string) string, esc func(string) string) string {
	var sb strings.Builder
	switch {
	case len(e.Ops) > 0:
		for _, o := range e.Ops {
			sb.WriteString(markLines(o.Op, esc(o.Text), mark))
		}
	case e.Before != "" && e.After == "":
		sb.WriteString(markLines(diff.OpDelete, esc(e.Before), mark))
	case e.After != "":
		sb.WriteString(markLines(diff.OpInsert, esc(e.After), mark))
	}
	return sb.String()
}

// markLines marks each line of a run apart, so that a mark never spans a line break.
func markLines(op, text string, mark func(op, text string) string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = mark(op, l)
		}
	}
	return strings.Join(lines, "\n")
}

// oneLine sanitises a line of text output; a leading line break is kept.
func oneLine(s string) string {
	lead := ""
	if strings.HasPrefix(s, "\n") {
		lead, s = "\n", s[1:]
	}
	return lead + strings.ReplaceAll(sanitize(s), "\n", " ")
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}

// sanitize drops control characters (an escape sequence in scraped text must not reach a
// terminal), keeping line breaks.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "#", `\#`, "|", `\|`)

func renderMarkdown(w io.Writer, r *Result) error {
	var sb strings.Builder
	sb.WriteString("# " + mdEscaper.Replace(sanitize(r.Headline())) + "\n")
	if len(r.InForce) > 0 {
		sb.WriteString("\n## " + InForceHeading + "\n\n")
		for _, f := range r.InForce {
			sb.WriteString("> **Bill s. " + mdEscaper.Replace(f.Provision) + "** " + strings.ReplaceAll(mdEscaper.Replace(sanitize(f.Text)), "\n", "\n>\n> ") + "\n\n")
		}
	}
	for _, a := range r.Acts {
		sb.WriteString("\n## " + mdEscaper.Replace(sanitize(a.ActName())) + "\n")
		for _, e := range a.Effects {
			if e.BillProvision != "" {
				sb.WriteString("\n### Bill s. " + mdEscaper.Replace(e.BillProvision) + ": " + mdEscaper.Replace(sanitize(e.Summary())) + "\n\n")
				sb.WriteString("> " + mdEscaper.Replace(sanitize(e.Instruction)) + "\n\n")
			} else {
				sb.WriteString("\n### " + mdEscaper.Replace(sanitize(e.Summary())) + "\n\n")
			}
			sb.WriteString("**" + mdEscaper.Replace(sanitize(e.Status())) + "**\n")
			if e.Note != "" {
				sb.WriteString("\nNote: " + mdEscaper.Replace(sanitize(e.Note)) + "\n")
			}
			for _, f := range e.Flags {
				sb.WriteString("\n- ⚑ " + mdEscaper.Replace(sanitize(f.Text)))
			}
			if len(e.Flags) > 0 {
				sb.WriteString("\n")
			}
			if !e.Applied {
				continue
			}
			body := diffText(e, func(op, t string) string {
				trimmed := strings.TrimSpace(t)
				if trimmed == "" {
					return t
				}
				lead := t[:strings.Index(t, trimmed)]
				switch op {
				case diff.OpDelete:
					return lead + "~~" + trimmed + "~~"
				case diff.OpInsert:
					return lead + "**" + trimmed + "**"
				}
				return t
			}, func(s string) string { return mdEscaper.Replace(sanitize(s)) })
			sb.WriteString("\n")
			for _, l := range strings.Split(body, "\n") {
				sb.WriteString(strings.TrimLeft(l, " ") + "  \n")
			}
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

const pageStyle = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.effect{border-top:1px solid #ccc;padding:.5rem 0}.unapplied{color:#900}.flag{color:#a60}
.text{white-space:pre-wrap;font-family:Georgia,serif}blockquote{color:#555;margin:0 0 .5rem 1rem}`

func renderHTML(w io.Writer, r *Result) error {
	var sb strings.Builder
	esc := func(s string) string { return html.EscapeString(sanitize(s)) }
	sb.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(r.Headline()) + "</title><style>" + pageStyle + "</style></head><body>\n")
	sb.WriteString("<h1>" + esc(r.Headline()) + "</h1>\n")
	if len(r.InForce) > 0 {
		sb.WriteString("<section class=\"inforce\"><h2>" + InForceHeading + "</h2>\n")
		for _, f := range r.InForce {
			sb.WriteString("<blockquote class=\"text\"><strong>Bill s. " + esc(f.Provision) + "</strong> " + esc(f.Text) + "</blockquote>\n")
		}
		sb.WriteString("</section>\n")
	}
	for _, a := range r.Acts {
		sb.WriteString("<h2>" + esc(a.ActName()) + "</h2>\n")
		for i, e := range a.Effects {
			cls := "effect"
			if !e.Applied {
				cls += " unapplied"
			}
			if e.BillProvision != "" {
				fmt.Fprintf(&sb, "<section class=\"%s\" id=\"%s-%d\"><h3>Bill s. %s: %s</h3>\n", cls, esc(a.Code), i+1, esc(e.BillProvision), esc(e.Summary()))
				sb.WriteString("<blockquote>" + esc(e.Instruction) + "</blockquote>\n")
			} else {
				fmt.Fprintf(&sb, "<section class=\"%s\" id=\"%s-%d\"><h3>%s</h3>\n", cls, esc(a.Code), i+1, esc(e.Summary()))
			}
			sb.WriteString("<p><strong>" + esc(e.Status()) + "</strong></p>\n")
			if e.Note != "" {
				sb.WriteString("<p>Note: " + esc(e.Note) + "</p>\n")
			}
			for _, f := range e.Flags {
				sb.WriteString("<p class=\"flag\">⚑ " + esc(f.Text) + "</p>\n")
			}
			if e.Applied {
				body := diffText(e, func(op, t string) string {
					switch op {
					case diff.OpDelete:
						return "<del>" + t + "</del>"
					case diff.OpInsert:
						return "<ins>" + t + "</ins>"
					}
					return t
				}, esc)
				sb.WriteString("<div class=\"text\">" + body + "</div>\n")
			}
			sb.WriteString("</section>\n")
		}
	}
	sb.WriteString("</body></html>\n")
	_, err := io.WriteString(w, sb.String())
	return err
}
