package diff

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
)

// Formats are the output formats Render knows, the first the default.
var Formats = []string{"text", "markdown", "html", "json"}

// Render writes the diff in one format: "text" (ANSI colours when color is true, else
// [-deleted-]{+inserted+} markers), "markdown" (~~deleted~~ **inserted**), "html" (one
// self-contained page) or "json" (the contract's shape). An unknown format is an error that
// names it.
func Render(w io.Writer, r *Result, format string, color bool) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "text", "":
		err = renderText(bw, r, color)
	case "markdown", "md":
		err = renderMarkdown(bw, r)
	case "html":
		err = renderHTML(bw, r)
	case "json":
		r.SetAnchors()
		err = renderJSON(bw, r)
	default:
		return fmt.Errorf("diff: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("diff: render %s: %w", format, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("diff: render %s: %w", format, err)
	}
	return nil
}

func title(r *Result) string {
	from, to := r.From, r.To
	if from == "" {
		from = "old"
	}
	if to == "" {
		to = "new"
	}
	t := from + " → " + to
	if r.Bill != "" {
		t = "Bill " + r.Bill + ": " + t
	}
	return t
}

func summaryLine(s Summary) string {
	return fmt.Sprintf("amended %d, added %d, removed %d, renumbered %d, unchanged %d",
		s.Amended, s.Added, s.Removed, s.Renumbered, s.Unchanged)
}

// --- text ---

const (
	ansiDel   = "\x1b[9;31m"
	ansiIns   = "\x1b[32m"
	ansiBold  = "\x1b[1m"
	ansiReset = "\x1b[0m"
)

func renderText(w *bufio.Writer, r *Result, color bool) error {
	bold := func(s string) string {
		if color {
			return ansiBold + s + ansiReset
		}
		return s
	}
	fmt.Fprintln(w, bold(title(r)))
	fmt.Fprintln(w, summaryLine(r.Summary))
	if len(r.Provisions) == 0 {
		fmt.Fprintln(w, NoChange)
	}
	if len(r.Flags) > 0 {
		fmt.Fprintln(w, "flags:")
		for _, f := range r.Flags {
			fmt.Fprintf(w, "  ! %s [%s]\n", f.Text, f.Code)
		}
	}
	var walk func(cs []Change, depth int)
	walk = func(cs []Change, depth int) {
		ind := strings.Repeat("  ", depth)
		for _, c := range cs {
			fmt.Fprintln(w)
			head := citeLabel(c) + " [" + c.Change + "]"
			if c.MarginalNote != "" {
				head += " " + c.MarginalNote
			}
			fmt.Fprintln(w, ind+bold(head))
			if c.FromMarginalNote != "" {
				fmt.Fprintf(w, "%s  marginal note was: %s\n", ind, c.FromMarginalNote)
			}
			if depth == 0 && c.Heading != "" {
				fmt.Fprintf(w, "%s  under: %s\n", ind, c.Heading)
			}
			if len(c.Ops) > 0 {
				var sb strings.Builder
				for _, o := range c.Ops {
					switch {
					case o.Op == OpDelete && color:
						sb.WriteString(ansiDel + o.Text + ansiReset)
					case o.Op == OpInsert && color:
						sb.WriteString(ansiIns + o.Text + ansiReset)
					case o.Op == OpDelete:
						sb.WriteString("[-" + o.Text + "-]")
					case o.Op == OpInsert:
						sb.WriteString("{+" + o.Text + "+}")
					default:
						sb.WriteString(o.Text)
					}
				}
				fmt.Fprintln(w, ind+"  "+sb.String())
			}
			for _, f := range c.Flags {
				fmt.Fprintf(w, "%s  ! %s [%s]\n", ind, f.Text, f.Code)
			}
			walk(c.Children, depth+1)
		}
	}
	walk(r.Provisions, 0)
	return nil
}

// citeLabel is a change's label as a citation: "s. 12", "SCHEDULE 1"; for a renumbered
// provision, "s. 4(c) → s. 3(b)".
func citeLabel(c Change) string {
	if c.Change == Renumbered {
		return sectionCite(c.FromLabel) + " → " + sectionCite(c.ToLabel)
	}
	return sectionCite(c.Label)
}

func sectionCite(label string) string {
	if label != "" && label[0] >= '0' && label[0] <= '9' {
		return "s. " + label
	}
	return label
}

// --- markdown ---

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `&lt;`, ">", `&gt;`, "#", `\#`, "|", `\|`, "&", "&amp;",
)

func md(s string) string { return mdEscaper.Replace(s) }

// mdMark wraps text in a markdown marker, keeping edge spaces outside it.
func mdMark(mark, s string) string {
	core := strings.TrimSpace(s)
	if core == "" {
		return s
	}
	i := strings.Index(s, core)
	return s[:i] + mark + md(core) + mark + s[i+len(core):]
}

func renderMarkdown(w *bufio.Writer, r *Result) error {
	fmt.Fprintf(w, "# %s\n\n", md(title(r)))
	s := r.Summary
	fmt.Fprintf(w, "| amended | added | removed | renumbered | unchanged |\n|---:|---:|---:|---:|---:|\n| %d | %d | %d | %d | %d |\n\n",
		s.Amended, s.Added, s.Removed, s.Renumbered, s.Unchanged)
	if len(r.Provisions) == 0 {
		fmt.Fprintf(w, "%s.\n", strings.ToUpper(NoChange[:1])+NoChange[1:])
	}
	if len(r.Flags) > 0 {
		fmt.Fprintf(w, "**Flags**\n\n")
		for _, f := range r.Flags {
			fmt.Fprintf(w, "- %s (`%s`)\n", md(f.Text), f.Code)
		}
		fmt.Fprintln(w)
	}
	var walk func(cs []Change, depth int)
	walk = func(cs []Change, depth int) {
		for _, c := range cs {
			level := min(depth+2, 6)
			head := md(citeLabel(c))
			if c.MarginalNote != "" {
				head += " — *" + md(c.MarginalNote) + "*"
			}
			fmt.Fprintf(w, "%s %s (%s)\n\n", strings.Repeat("#", level), head, c.Change)
			if depth == 0 && c.Heading != "" {
				fmt.Fprintf(w, "Under: %s\n\n", md(c.Heading))
			}
			if c.FromMarginalNote != "" {
				fmt.Fprintf(w, "Marginal note was: *%s*\n\n", md(c.FromMarginalNote))
			}
			if len(c.Ops) > 0 {
				for _, o := range c.Ops {
					switch o.Op {
					case OpDelete:
						w.WriteString(mdMark("~~", o.Text))
					case OpInsert:
						w.WriteString(mdMark("**", o.Text))
					default:
						w.WriteString(md(o.Text))
					}
				}
				w.WriteString("\n\n")
			}
			for _, f := range c.Flags {
				fmt.Fprintf(w, "> - ⚑ %s (`%s`)\n", md(f.Text), f.Code)
			}
			if len(c.Flags) > 0 {
				w.WriteString("\n")
			}
			walk(c.Children, depth+1)
		}
	}
	walk(r.Provisions, 0)
	return nil
}

// --- html ---

type htmlProv struct {
	Anchor, Cite, Change, MarginalNote, FromMarginalNote, Heading string
	Ops                                                           []Op
	Flags                                                         []htmlFlag
	Children                                                      []htmlProv
}

type htmlFlag struct {
	Flag
	Anchor string
}

type htmlPage struct {
	Title      string
	Summary    Summary
	NoChange   bool
	Flags      []htmlFlag
	Provisions []htmlProv
}

func renderHTML(w *bufio.Writer, r *Result) error {
	r.SetAnchors()
	page := htmlPage{Title: title(r), Summary: r.Summary, NoChange: len(r.Provisions) == 0}
	var build func(cs []Change, depth int) []htmlProv
	build = func(cs []Change, depth int) []htmlProv {
		var out []htmlProv
		for _, c := range cs {
			a := c.Anchor
			cite := citeLabel(c)
			hp := htmlProv{Anchor: a, Cite: cite, Change: c.Change, MarginalNote: c.MarginalNote,
				FromMarginalNote: c.FromMarginalNote, Heading: c.Heading, Ops: c.Ops}
			for _, f := range c.Flags {
				hf := htmlFlag{f, a}
				hp.Flags = append(hp.Flags, hf)
				page.Flags = append(page.Flags, hf)
			}
			if depth > 0 {
				hp.Heading = ""
			}
			hp.Children = build(c.Children, depth+1)
			out = append(out, hp)
		}
		return out
	}
	page.Provisions = build(r.Provisions, 0)
	return htmlTmpl().Execute(w, page)
}

// htmlTmpl is parsed on first use: most runs render no HTML.
var htmlTmpl = sync.OnceValue(func() *template.Template { return template.Must(template.New("page").Parse(htmlSource)) })

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:16px/1.55 Georgia,"Times New Roman",serif;max-width:52em;margin:2em auto;padding:0 1em;color:#1b1b1b}
h1{font-size:1.4em}
table.sum{border-collapse:collapse;margin:1em 0}
table.sum td,table.sum th{border:1px solid #ccc;padding:.2em .7em;text-align:right}
del{color:#a40000;background:#fde8e8;text-decoration:line-through}
ins{color:#0b5d1e;background:#e3f6e6;text-decoration:none;border-bottom:1px solid #0b5d1e}
.prov{border-left:3px solid #ddd;padding:.1em 0 .1em 1em;margin:1em 0}
.prov .prov{margin-left:.5em}
.added{border-left-color:#2e7d32}.removed{border-left-color:#c62828}.amended{border-left-color:#1565c0}.renumbered{border-left-color:#6a1b9a}
.cite{font-weight:bold}.mn{font-style:italic;color:#444}.chg{font:12px sans-serif;text-transform:uppercase;color:#555;margin-left:.5em}
.under{font:13px sans-serif;color:#666}
.flags{background:#fff8e1;border:1px solid #f0c36d;padding:.5em 1em}
.flag{color:#7a4f00}
a{color:#1565c0}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<table class="sum"><tr><th>amended</th><th>added</th><th>removed</th><th>renumbered</th><th>unchanged</th></tr>
<tr><td>{{.Summary.Amended}}</td><td>{{.Summary.Added}}</td><td>{{.Summary.Removed}}</td><td>{{.Summary.Renumbered}}</td><td>{{.Summary.Unchanged}}</td></tr></table>
{{if .NoChange}}<p>No change to the law text.</p>{{end}}
{{if .Flags}}<div class="flags"><strong>Flags</strong><ul>
{{range .Flags}}<li><a href="#{{.Anchor}}">{{.Text}}</a> <code>{{.Code}}</code></li>
{{end}}</ul></div>{{end}}
{{range .Provisions}}{{template "prov" .}}{{end}}
</body>
</html>
{{define "prov"}}<section class="prov {{.Change}}" id="{{.Anchor}}">
<div><a class="cite" href="#{{.Anchor}}">{{.Cite}}</a>{{if .MarginalNote}} <span class="mn">{{.MarginalNote}}</span>{{end}}<span class="chg">{{.Change}}</span></div>
{{if .Heading}}<div class="under">{{.Heading}}</div>{{end}}
{{if .FromMarginalNote}}<div class="under">marginal note was: <del>{{.FromMarginalNote}}</del></div>{{end}}
{{if .Ops}}<p>{{range .Ops}}{{if eq .Op "delete"}}<del>{{.Text}}</del>{{else if eq .Op "insert"}}<ins>{{.Text}}</ins>{{else}}{{.Text}}{{end}}{{end}}</p>{{end}}
{{range .Flags}}<div class="flag">⚑ {{.Text}} <code>{{.Code}}</code></div>{{end}}
{{range .Children}}{{template "prov" .}}{{end}}</section>
{{end}}`
