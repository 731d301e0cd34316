package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// TestEveryPatternCompiles compiles the regular expressions of every package billwatch links:
// they are compiled on first use, not at start-up, so a bad one would otherwise surface only
// when its scraper first runs.
func TestEveryPatternCompiles(t *testing.T) {
	t.Parallel()
	lazyre.CompileAll()
}

// Go runs every linked package's initialisation at every start, whatever the command, so
// work done there is paid by `billwatch version` and every read command. This guard keeps
// the costly kinds out of billwatch's own packages: a regular expression compiled, a template
// parsed or a time zone loaded by a package-level variable or an init function, directly or
// through the package's own functions. Make them on first use instead (internal/lazyre,
// sync.OnceValue). It reads the source, so it cannot be flaky: a function literal that is
// only stored (sync.OnceValue(func() ...)) does not count; one called on the spot does.
func TestNoCostlyInit(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		// The time zone of every date billwatch prints; loading it on first use would touch
		// every use of billwatch.Eastern.
		"billwatch.go: time.LoadLocation": true,
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if dir != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "third_party" || name == "benchcmp") {
			return filepath.SkipDir // benchcmp: a benchmark tool, not billwatch
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return err
		}
		var parsed []*ast.File
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			parsed = append(parsed, f)
		}
		for _, c := range costlyAtInit(parsed) {
			pos := fset.Position(c.pos)
			rel, _ := filepath.Rel(root, pos.Filename)
			if !allowed[filepath.ToSlash(rel)+": "+c.call] {
				found = append(found, pos.String()+": "+c.call)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s runs at start-up: make it on first use (internal/lazyre, sync.OnceValue)", f)
	}
}

// costlyCalls are the calls that do not belong in a package's initialisation.
var costlyCalls = map[string]bool{
	"regexp.MustCompile": true, "regexp.Compile": true, "regexp.MustCompilePOSIX": true, "regexp.CompilePOSIX": true,
	"template.Must": true, "template.New": true, "template.ParseFS": true, "template.ParseFiles": true,
	"time.LoadLocation": true,
}

type costlyCall struct {
	pos  token.Pos
	call string
}

// costlyAtInit returns the costly calls that the files of one package make while the package
// is initialised: in package-level variables' values and init functions, and in the
// package's functions that those call by name.
func costlyAtInit(files []*ast.File) []costlyCall {
	funcs := make(map[string]*ast.FuncDecl)
	for _, f := range files {
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name != "init" && fn.Body != nil {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	var out []costlyCall
	visited := make(map[string]bool)
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // stored, not called: its body runs later, if ever
			case *ast.CallExpr:
				switch fun := n.Fun.(type) {
				case *ast.FuncLit:
					visit(fun.Body) // called on the spot
				case *ast.Ident:
					if fn := funcs[fun.Name]; fn != nil && !visited[fun.Name] {
						visited[fun.Name] = true
						visit(fn.Body)
					}
				case *ast.SelectorExpr:
					if pkg, ok := fun.X.(*ast.Ident); ok && costlyCalls[pkg.Name+"."+fun.Sel.Name] {
						out = append(out, costlyCall{n.Pos(), pkg.Name + "." + fun.Sel.Name})
					}
				}
			}
			return true
		})
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.GenDecl:
				if decl.Tok == token.VAR {
					visit(decl)
				}
			case *ast.FuncDecl:
				if decl.Recv == nil && decl.Name.Name == "init" {
					visit(decl.Body)
				}
			}
		}
	}
	return out
}

// The guard finds what it is for.
func TestNoCostlyInitFinds(t *testing.T) {
	t.Parallel()
	src := `package p
var a = regexp.MustCompile("x")
var b = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("y") })
var c = func() *time.Location { l, _ := time.LoadLocation("UTC"); return l }()
var d = lazyre.New("z")
var e = load()
var f = sync.OnceValue(later)
func init() { _ = template.Must(nil, nil) }
func load() int { return helper() }
func helper() int { regexp.MustCompile("v"); return 0 }
func later() int { regexp.MustCompile("w"); return 0 }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range costlyAtInit([]*ast.File{f}) {
		got = append(got, c.call)
	}
	if got, want := strings.Join(got, " "), "regexp.MustCompile time.LoadLocation regexp.MustCompile template.Must"; got != want {
		t.Errorf("found %q, want %q", got, want)
	}
}
