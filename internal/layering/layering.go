// Package layering reads the module's import graph from its sources and
// names the imports the architecture forbids: the domain imports nothing
// of Dossier's but the domain; the store's engine imports none of the
// programs built on it; a program's store imports only the programs
// below it (Programs); neither reaches the screens, the printed documents
// or either end of sync; the sync protocol rests on the domain alone.
// The layers: cmd → ui, sync/client, sync/server, report →
// store/programs → store/<program> → store → sync, domain.
package layering

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Package is one directory's imports: Imports of its files, Tests of its
// in-package test files (those compiled into the package when testing).
// External test packages (package x_test) are other packages and apart.
type Package struct {
	Imports []string
	Tests   []string
}

// Read parses the imports of every Go file under root, the directory of
// module, whatever its build constraints: a file built under some tag
// only still imports what it imports. Directories named testdata, or
// starting with "." or "_", are skipped as the go tool does.
func Read(root, module string) (map[string]*Package, error) {
	pkgs := map[string]*Package{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		test := strings.HasSuffix(name, "_test.go")
		if test && strings.HasSuffix(f.Name.Name, "_test") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		ip := module
		if rel != "." {
			ip = path.Join(module, filepath.ToSlash(rel))
		}
		pkg := pkgs[ip]
		if pkg == nil {
			pkg = &Package{}
			pkgs[ip] = pkg
		}
		for _, s := range f.Imports {
			imp, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return err
			}
			if test {
				pkg.Tests = append(pkg.Tests, imp)
			} else {
				pkg.Imports = append(pkg.Imports, imp)
			}
		}
		return nil
	})
	for _, p := range pkgs {
		slices.Sort(p.Imports)
		p.Imports = slices.Compact(p.Imports)
		slices.Sort(p.Tests)
		p.Tests = slices.Compact(p.Tests)
	}
	return pkgs, err
}

// within reports whether the import path p is tree or under it.
func within(p, tree string) bool { return p == tree || strings.HasPrefix(p, tree+"/") }

// Deps are the module's packages pkg imports, directly or not, through
// its non-test files.
func Deps(pkgs map[string]*Package, module, pkg string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		if pkgs[p] == nil {
			return
		}
		for _, imp := range pkgs[p].Imports {
			if within(imp, module) && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Violations are the forbidden imports of the module at root, one line
// each ("dossier/domain/oinp imports dossier/assets").
func Violations(root, module string) ([]string, error) {
	pkgs, err := Read(root, module)
	if err != nil {
		return nil, err
	}
	var out []string
	domainTree := module + "/domain"
	for _, ip := range sortedKeys(pkgs) {
		if !within(ip, domainTree) {
			continue
		}
		for _, imp := range pkgs[ip].Imports {
			if within(imp, module) && !within(imp, domainTree) {
				out = append(out, ip+" imports "+imp)
			}
		}
		for _, imp := range pkgs[ip].Tests {
			if within(imp, module) && !within(imp, domainTree) {
				out = append(out, ip+" imports "+imp+" in its own tests (an external _test package may)")
			}
		}
	}
	store := module + "/store"
	if pkgs[store] == nil {
		out = append(out, store+" is missing")
	}
	for _, dep := range Deps(pkgs, module, store) {
		for _, banned := range []string{"/ui", "/report", "/sync/client", "/sync/server", "/cmd"} {
			if within(dep, module+banned) {
				out = append(out, store+" depends on "+dep)
			}
		}
	}
	for _, imp := range pkgs[store].Imports {
		if within(imp, store) && imp != store {
			out = append(out, store+" imports "+imp+": the engine imports no program")
		}
	}
	out = append(out, programViolations(pkgs, module)...)
	sync := module + "/sync"
	if pkgs[sync] == nil {
		out = append(out, sync+" is missing")
	}
	for _, dep := range Deps(pkgs, module, sync) {
		if !within(dep, domainTree) {
			out = append(out, sync+" depends on "+dep)
		}
	}
	return out, nil
}

// Programs are the store's program packages (store/<name>) and, for each,
// the programs it may build on: the OCWPP's requests and the employers
// rest on the engine alone, compliance on the requests, the applications
// (with the Employer Form) on the employers, printing on them all, and
// the program's maintenance notices on the engine alone.
var Programs = map[string][]string{
	"requests":     nil,
	"employers":    nil,
	"compliance":   {"requests"},
	"applications": {"employers"},
	"printing":     {"requests", "compliance", "employers", "applications"},
	"notices":      nil,
}

// programViolations names a program's import of a program it may not
// build on, or of anything above the store, and an import of the
// programs' assembly (store/programs) from below it.
func programViolations(pkgs map[string]*Package, module string) []string {
	var out []string
	store := module + "/store"
	assembly := store + "/programs"
	for _, name := range sortedKeys(pkgsOf(Programs)) {
		ip := store + "/" + name
		if pkgs[ip] == nil {
			out = append(out, ip+" is missing")
			continue
		}
		for _, imp := range pkgs[ip].Imports {
			other, ok := strings.CutPrefix(imp, store+"/")
			if !ok {
				continue
			}
			if _, program := Programs[other]; program && !slices.Contains(Programs[name], other) || !program {
				out = append(out, ip+" imports "+imp)
			}
		}
		for _, dep := range Deps(pkgs, module, ip) {
			for _, banned := range []string{"/ui", "/report", "/sync/client", "/sync/server", "/cmd"} {
				if within(dep, module+banned) {
					out = append(out, ip+" depends on "+dep)
				}
			}
		}
	}
	for _, ip := range sortedKeys(pkgs) {
		if ip == assembly || !slices.Contains(pkgs[ip].Imports, assembly) {
			continue
		}
		if ip == store || within(ip, store) && ip != store+"/demo" {
			out = append(out, ip+" imports "+assembly+", which is above it")
		}
	}
	return out
}

func pkgsOf(m map[string][]string) map[string]*Package {
	out := make(map[string]*Package, len(m))
	for k := range m {
		out[k] = nil
	}
	return out
}

func sortedKeys(m map[string]*Package) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ModuleRoot is the directory of the go.mod above dir, and its module.
func ModuleRoot(dir string) (root, module string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			for line := range strings.Lines(string(b)) {
				if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(m), `"`), nil
				}
			}
			return "", "", fs.ErrNotExist
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", fs.ErrNotExist
		}
		dir = parent
	}
}
