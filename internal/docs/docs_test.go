package docs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestDocs: every make target, every command and flag of dossierd,
// dossierctl and dossier, and every relative link and image that README.md
// and docs/*.md name exists. The commands and flags are read from the
// programs' own code (their dispatch switches and flag definitions), so a
// subcommand or a flag renamed in the code fails here until the docs
// follow.
func TestDocs(t *testing.T) {
	c := newChecker(t)
	files := []string{"README.md"}
	md, err := filepath.Glob(filepath.Join(c.root, "docs", "*.md"))
	if err != nil || len(md) < 7 {
		t.Fatalf("docs/*.md: %d files, %v", len(md), err)
	}
	for _, f := range md {
		rel, _ := filepath.Rel(c.root, f)
		files = append(files, rel)
	}
	seen := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(c.root, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.check(f, string(b), seen) {
			t.Error(p)
		}
	}
	// The test read what it checks: the docs name the programs and targets.
	for _, what := range []string{"make test", "make run", "make package", "dossierd serve", "dossierd admin", "dossierctl", "link"} {
		if seen[what] == 0 {
			t.Errorf("the docs were read, but no %q was checked", what)
		}
	}
}

// TestDocsCatchWrongNames: a wrong name of each kind is found, and the
// right ones beside them are not.
func TestDocsCatchWrongNames(t *testing.T) {
	c := newChecker(t)
	for _, tc := range []struct{ name, text, want string }{
		{"make target", "Run `make tset`.", `make target "tset"`},
		{"make in a block", "```sh\nmake lint\nmake benchmarks   # the figures\n```", `make target "benchmarks"`},
		{"dossierd subcommand", "`dossierd serv --data DIR`", `dossierd "serv"`},
		{"admin step", "```\n./bin/dossierd admin add-shcool --data D --name N\n```", `admin step "add-shcool"`},
		{"serve flag", "`dossierd serve --data DIR --adress :8443`", `"--adress"`},
		{"a flag of another step", "`dossierd admin backup --data DIR --from FILE`", `"--from"`},
		{"an admin flag after serve", "`dossierd serve --data DIR --students 3`", `"--students"`},
		{"admin flag", "`dossierd admin audit --data DIR --user-name X`", `"--user-name"`},
		{"dossierctl subcommand", "`sudo -u dossierd dossierctl export --data DIR`", `dossierctl "export"`},
		{"dossierctl flag", "`./bin/dossierctl queue --data D --status new --colour red`", `"--colour"`},
		{"app flag", "`./bin/dossier --data ~/d --dark`", `"--dark"`},
		{"link", "See [the guide](docs/user-gide.md).", `docs/user-gide.md`},
		{"image", "![queue](docs/screenshots/queue-xx.png)", `docs/screenshots/queue-xx.png`},
		{"anchor", "See [backups](docs/operations.md#backup).", `#backup`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.check("README.md", tc.text, map[string]int{})
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Fatalf("problems %q, want one naming %s", got, tc.want)
			}
		})
	}
	ok := "`make test`; `dossierd admin backup --data DIR --to FILE`; `dossierd.exe serve --data DIR`; " +
		"`dossierctl print ocwpp.queue --data D --out F.pdf`; `dossierd --version`; `systemctl restart dossierd`; " +
		"`tar -xJf x.tar.xz && cd dossier && sudo make install`; [ops](docs/operations.md#backups); " +
		"![q](docs/screenshots/queue-en.png)"
	if got := c.check("README.md", ok, map[string]int{}); len(got) != 0 {
		t.Fatalf("right names refused: %q", got)
	}
}

type checker struct {
	root    string
	targets map[string]bool
	progs   map[string]*program
	slugs   map[string]map[string]bool
}

func newChecker(t *testing.T) *checker {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	c := &checker{root: root, targets: map[string]bool{}, progs: map[string]*program{}, slugs: map[string]map[string]bool{}}
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^([a-z][a-z0-9_-]*)\s*:([^=]|$)`).FindAllStringSubmatch(string(mk), -1) {
		c.targets[m[1]] = true
	}
	if !c.targets["test"] || !c.targets["run"] {
		t.Fatalf("Makefile targets %v", c.targets)
	}
	for _, name := range []string{"dossierd", "dossierctl", "dossier"} {
		p, err := loadProgram(root, name)
		if err != nil {
			t.Fatal(err)
		}
		c.progs[name] = p
	}
	if d := c.progs["dossierd"]; len(d.subs) < 2 || len(d.steps) < 12 {
		t.Fatalf("dossierd: subcommands %v, admin steps %v", d.subs, d.steps)
	}
	if len(c.progs["dossierctl"].subs) < 5 {
		t.Fatalf("dossierctl: subcommands %v", c.progs["dossierctl"].subs)
	}
	return c
}

// check returns the problems in text, the Markdown file file (relative to
// the root), and counts in seen what it checked.
func (c *checker) check(file, text string, seen map[string]int) []string {
	var probs []string
	bad := func(line int, f string, a ...any) {
		probs = append(probs, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(f, a...)))
	}
	for _, s := range snippets(text) {
		elsewhere := false // after a cd, make runs another Makefile
		for seg := range strings.FieldsFuncSeq(s.text, func(r rune) bool { return r == ';' || r == '|' || r == '&' }) {
			toks := strings.Fields(seg)
			if len(toks) > 0 && toks[0] == "cd" {
				elsewhere = true
			}
			for i, tok := range toks {
				if tok == "make" && !elsewhere {
					for _, tg := range toks[i+1:] {
						if strings.HasPrefix(tg, "-") || strings.Contains(tg, "=") {
							continue
						}
						if !regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(tg) {
							break
						}
						seen["make "+tg]++
						if !c.targets[tg] {
							bad(s.line, "make target %q is not in the Makefile", tg)
						}
					}
					break
				}
				name := strings.TrimSuffix(filepath.Base(tok), ".exe")
				p := c.progs[name]
				// The program run: by name or from a bin/ folder (not
				// cmd/dossierd, the source), not a user's name (sudo -u).
				if p == nil || !commandAt(toks, i) || !(tok == name || strings.HasSuffix(tok, "bin/"+name) || tok == name+".exe") {
					continue
				}
				for _, e := range c.command(name, p, toks[i+1:], seen) {
					bad(s.line, "%s", e)
				}
				break
			}
		}
	}
	// Links and images, outside code.
	link := regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)\)`)
	for _, s := range prose(text) {
		for _, m := range link.FindAllStringSubmatch(s.text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			seen["link"]++
			path, anchor, _ := strings.Cut(target, "#")
			abs := filepath.Join(c.root, filepath.Dir(file), path)
			if path == "" {
				abs = filepath.Join(c.root, file)
			}
			if _, err := os.Stat(abs); err != nil {
				bad(s.line, "link %s: no such file", target)
				continue
			}
			if anchor != "" && strings.HasSuffix(abs, ".md") && !c.anchors(abs)[anchor] {
				bad(s.line, "link %s: no heading #%s", target, anchor)
			}
		}
	}
	return probs
}

// command checks a command line of program name: its subcommand (and admin
// step) and every --flag after it.
func (c *checker) command(name string, p *program, args []string, seen map[string]int) []string {
	var probs []string
	seen[name]++
	if len(args) == 0 {
		return nil
	}
	flags := p.flags[""] // the program's own, for a program without subcommands
	label := name
	if p.subs != nil {
		sub := args[0]
		switch {
		case sub == "--version" || sub == "-version" || sub == "--help" || sub == "-h":
			return nil
		case placeholder(sub):
			return nil
		case !slices.Contains(p.subs, sub):
			return []string{fmt.Sprintf("%s %q is not a subcommand of %s (it has %s)", name, sub, name, strings.Join(p.subs, ", "))}
		}
		label, flags, args = name+" "+sub, p.flags[sub], args[1:]
		if sub == "admin" && p.steps != nil {
			if len(args) == 0 || placeholder(args[0]) {
				return nil
			}
			step := args[0]
			if !slices.Contains(p.steps, step) {
				return []string{fmt.Sprintf("admin step %q is not one of dossierd's (%s)", step, strings.Join(p.steps, ", "))}
			}
			label, flags, args = name+" admin "+step, p.flags["admin "+step], args[1:]
			seen["dossierd admin"]++
		}
	}
	seen[label]++
	for _, a := range args {
		if strings.HasPrefix(a, "#") {
			break
		}
		m := regexp.MustCompile(`^[\[(]*--([a-z][a-z0-9-]*)`).FindStringSubmatch(a)
		if m == nil {
			continue
		}
		if !flags[m[1]] {
			probs = append(probs, fmt.Sprintf("%s takes no flag %q", label, "--"+m[1]))
		}
	}
	return probs
}

// commandAt says whether toks[i] is where a shell line names the program
// it runs: first, or after sudo (-u USER), env, exec, time or VAR=value.
func commandAt(toks []string, i int) bool {
	for j := 0; j < i; j++ {
		switch {
		case toks[j] == "sudo" || toks[j] == "env" || toks[j] == "exec" || toks[j] == "time" || toks[j] == "$":
		case toks[j] == "-u" && j > 0 && toks[j-1] == "sudo" && j+1 < i:
			j++
		case regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(toks[j]):
		default:
			return false
		}
	}
	return true
}

// placeholder is a word the docs put in place of a name: KIND, <step>, ….
func placeholder(s string) bool {
	return strings.ContainsAny(s, "<{[…") || strings.ToUpper(s) == s
}

// anchors are the headings' anchors in the Markdown file path, as GitHub
// makes them.
func (c *checker) anchors(path string) map[string]bool {
	if a, ok := c.slugs[path]; ok {
		return a
	}
	a := map[string]bool{}
	count := map[string]int{}
	b, _ := os.ReadFile(path)
	for _, s := range prose(string(b)) {
		for _, line := range strings.Split(s.text, "\n") {
			h, ok := strings.CutPrefix(line, "#")
			if !ok {
				continue
			}
			h = strings.TrimSpace(strings.TrimLeft(h, "#"))
			slug := strings.Map(func(r rune) rune {
				switch {
				case r == ' ':
					return '-'
				case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
					return unicode.ToLower(r)
				}
				return -1
			}, h)
			if n := count[slug]; n > 0 {
				a[slug+"-"+strconv.Itoa(n)] = true
			} else {
				a[slug] = true
			}
			count[slug]++
		}
	}
	c.slugs[path] = a
	return a
}

type snippet struct {
	line int
	text string
}

// snippets are the code in Markdown text: each line of a fenced block
// (continuation lines joined, comments cut) and each `inline` span.
func snippets(text string) []snippet {
	var out []snippet
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				start, l := i+1, lines[i]
				for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
					i++
					l = strings.TrimSuffix(l, "\\") + " " + lines[i]
				}
				if j := strings.Index(l, " #"); j >= 0 {
					l = l[:j]
				}
				if strings.HasPrefix(strings.TrimSpace(l), "#") {
					continue
				}
				out = append(out, snippet{start, l})
			}
		}
	}
	inline := regexp.MustCompile("`([^`]+)`")
	for _, s := range prose(text) {
		for _, m := range inline.FindAllStringSubmatch(strings.ReplaceAll(s.text, "\n", " "), -1) {
			out = append(out, snippet{s.line, m[1]})
		}
	}
	return out
}

// prose is the Markdown text outside fenced blocks, by paragraph.
func prose(text string) []snippet {
	var out []snippet
	var cur []string
	start, fenced := 0, false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, snippet{start, strings.Join(cur, "\n")})
		}
		cur = nil
	}
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			flush()
			continue
		}
		if fenced {
			continue
		}
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, l)
	}
	flush()
	return out
}

// program is what a program's code accepts: its subcommands (from its
// dispatch switch; nil for the desktop app, which has none), dossierd's
// admin steps, and the flags of each ("" the program's own, "admin STEP"
// an admin step's).
type program struct {
	subs, steps []string
	flags       map[string]map[string]bool
}

// loadProgram reads cmd/name (and the shared cmd/internal/cli) with go/ast:
// a subcommand is a case of the switch on args[0] in dispatch; its flags
// are those defined (fs.String("name", …), fs.StringVar(&v, "name", …), …)
// in that case and in every function of the program it calls, the calls
// followed by name.
func loadProgram(root, name string) (*program, error) {
	funcs := map[string][]*ast.FuncDecl{}
	vars := map[string]*ast.CompositeLit{}
	fset := token.NewFileSet()
	for _, dir := range []string{filepath.Join(root, "cmd", name), filepath.Join(root, "cmd", "internal", "cli")} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(paths) == 0 {
			return nil, fmt.Errorf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return nil, err
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					funcs[d.Name.Name] = append(funcs[d.Name.Name], d)
				case *ast.GenDecl:
					for _, sp := range d.Specs {
						if vs, ok := sp.(*ast.ValueSpec); ok && len(vs.Values) == len(vs.Names) {
							for i, v := range vs.Values {
								if cl, ok := v.(*ast.CompositeLit); ok {
									vars[vs.Names[i].Name] = cl
								}
							}
						}
					}
				}
			}
		}
	}
	fn := func(n string) *ast.FuncDecl {
		for _, d := range funcs[n] {
			if filepath.Dir(fset.Position(d.Pos()).Filename) == filepath.Join(root, "cmd", name) {
				return d
			}
		}
		return nil
	}
	p := &program{flags: map[string]map[string]bool{}}
	if name == "dossier" {
		main := fn("main")
		if main == nil {
			return nil, fmt.Errorf("cmd/dossier: no main")
		}
		p.flags[""] = flagsOf(main.Body, "", funcs, map[*ast.FuncDecl]bool{})
		return p, nil
	}
	dispatch := fn("dispatch")
	if dispatch == nil {
		return nil, fmt.Errorf("cmd/%s: no dispatch", name)
	}
	p.subs = cases(dispatch)
	for _, s := range p.subs {
		p.flags[s] = flagsOf(dispatch.Body, s, funcs, map[*ast.FuncDecl]bool{})
	}
	if admin := fn("admin"); admin != nil && slices.Contains(p.subs, "admin") {
		p.steps = cases(admin)
		// The steps of the tables indexed by args[0] (dossierd's adminSteps,
		// needsStop, …).
		var tables []*ast.CompositeLit
		ast.Inspect(admin.Body, func(n ast.Node) bool {
			if ix, ok := n.(*ast.IndexExpr); ok && isArgs0(ix.Index) {
				if id, ok := ix.X.(*ast.Ident); ok && vars[id.Name] != nil {
					tables = append(tables, vars[id.Name])
				}
			}
			return true
		})
		entries := map[string]ast.Expr{}
		for _, table := range tables {
			for _, e := range table.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.BasicLit); ok && k.Kind == token.STRING {
						s, _ := strconv.Unquote(k.Value)
						entries[s] = kv.Value
						if !slices.Contains(p.steps, s) {
							p.steps = append(p.steps, s)
						}
					}
				}
			}
		}
		slices.Sort(p.steps)
		for _, s := range p.steps {
			fl := flagsOf(admin.Body, s, funcs, map[*ast.FuncDecl]bool{})
			if v := entries[s]; v != nil {
				for f := range flagsOf(v, "", funcs, map[*ast.FuncDecl]bool{}) {
					fl[f] = true
				}
			}
			p.flags["admin "+s] = fl
		}
	}
	return p, nil
}

func isArgs0(e ast.Expr) bool {
	ix, ok := e.(*ast.IndexExpr)
	if !ok {
		return false
	}
	id, ok1 := ix.X.(*ast.Ident)
	lit, ok2 := ix.Index.(*ast.BasicLit)
	return ok1 && ok2 && id.Name == "args" && lit.Value == "0"
}

// cases are the string cases of fn's switch on args[0].
func cases(fn *ast.FuncDecl) []string {
	var out []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || !isArgs0(sw.Tag) {
			return true
		}
		for _, st := range sw.Body.List {
			for _, e := range st.(*ast.CaseClause).List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					if !strings.HasPrefix(s, "-") && s != "help" && s != "version" {
						out = append(out, s)
					}
				}
			}
		}
		return true
	})
	return out
}

var (
	flagFuncs = map[string]bool{"String": true, "Bool": true, "Int": true, "Int64": true, "Uint": true, "Uint64": true, "Float64": true, "Duration": true, "Func": true, "BoolFunc": true}
	flagVars  = map[string]bool{"StringVar": true, "BoolVar": true, "IntVar": true, "Int64Var": true, "UintVar": true, "Uint64Var": true, "Float64Var": true, "DurationVar": true, "Var": true, "TextVar": true}
)

// flagsOf are the flags defined in n and in the functions it calls; when
// only is set, of a switch on args[0] only the case for only is read.
func flagsOf(n ast.Node, only string, funcs map[string][]*ast.FuncDecl, done map[*ast.FuncDecl]bool) map[string]bool {
	out := map[string]bool{}
	// follow reads the functions (method: the methods) named name; on is
	// the variable a method is called on, which must be a receiver's name
	// in the program or the cli package (not srv.Run or wg.Wait).
	follow := func(name string, method bool, on string) {
		for _, d := range funcs[name] {
			if method != (d.Recv != nil) && !(on == "cli" && d.Recv == nil) {
				continue
			}
			if method && on != "cli" && on != "" && (len(d.Recv.List) == 0 || len(d.Recv.List[0].Names) == 0 || d.Recv.List[0].Names[0].Name != on) {
				continue
			}
			if !done[d] && d.Body != nil {
				done[d] = true
				for f := range flagsOf(d.Body, "", funcs, done) {
					out[f] = true
				}
			}
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SwitchStmt:
			if only != "" && isArgs0(x.Tag) {
				for _, st := range x.Body.List {
					cc := st.(*ast.CaseClause)
					for _, e := range cc.List {
						if lit, ok := e.(*ast.BasicLit); ok && lit.Value == strconv.Quote(only) {
							for _, s := range cc.Body {
								for f := range flagsOf(s, "", funcs, done) {
									out[f] = true
								}
							}
						}
					}
				}
				return false
			}
		case *ast.SelectorExpr:
			// A method expression, (*Main).step, as a table's value.
			if _, ok := x.X.(*ast.ParenExpr); ok {
				follow(x.Sel.Name, true, "")
			}
		case *ast.CallExpr:
			switch f := x.Fun.(type) {
			case *ast.Ident:
				follow(f.Name, false, "")
			case *ast.SelectorExpr:
				callee := f.Sel.Name
				if id, ok := f.X.(*ast.Ident); ok {
					follow(callee, true, id.Name)
				}
				arg := -1
				if flagFuncs[callee] {
					arg = 0
				} else if flagVars[callee] {
					arg = 1
				}
				if arg >= 0 && len(x.Args) > arg {
					if lit, ok := x.Args[arg].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out[s] = true
					}
				}
			}
		}
		return true
	})
	return out
}
