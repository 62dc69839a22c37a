package layering

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayers: the module's own imports keep the layers — the domain
// imports nothing of Dossier's but the domain, the store reaches neither
// the screens, the documents nor either end of sync, and the sync
// protocol rests on the domain alone.
func TestLayers(t *testing.T) {
	root, module, err := ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if module != "dossier" {
		t.Fatalf("module %q", module)
	}
	pkgs, err := Read(root, module)
	if err != nil {
		t.Fatal(err)
	}
	// The graph was read: the packages the rules are about are there.
	for _, p := range []string{"dossier/domain", "dossier/domain/oinp", "dossier/domain/printcode", "dossier/store", "dossier/sync", "dossier/ui"} {
		if pkgs[p] == nil || len(pkgs[p].Imports) == 0 {
			t.Fatalf("%s: no imports read", p)
		}
	}
	bad, err := Violations(root, module)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range bad {
		t.Error(v)
	}
}

// TestViolationsFound: a module that breaks each rule has each break named,
// and what the rules allow is not.
func TestViolationsFound(t *testing.T) {
	root := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module dossier\n\ngo 1.26\n")
	write("domain/d.go", "package domain\n\nimport \"strings\"\n\nvar _ = strings.ToLower\n")
	write("domain/oinp/tables.go", "//go:build never\n\npackage oinp\n\nimport (\n\t\"dossier/assets\"\n\t\"dossier/domain\"\n)\n")
	write("domain/oinp/rules_test.go", "package oinp\n\nimport \"dossier/translations\"\n")
	write("domain/oinp/catalog_test.go", "package oinp_test\n\nimport \"dossier/translations\"\n")
	write("domain/testdata/x.go", "package x\n\nimport \"dossier/ui\"\n")
	write("assets/a.go", "package assets\n\nimport \"dossier/domain/oinp\"\n")
	write("translations/t.go", "package translations\n\nimport \"dossier/domain\"\n")
	write("store/s.go", "package store\n\nimport (\n\t\"dossier/assets\"\n\t\"dossier/sync\"\n\t\"dossier/store/inner\"\n)\n")
	write("store/s_test.go", "package store\n\nimport \"dossier/sync/client\"\n")
	write("store/inner/i.go", "package inner\n\nimport \"dossier/report\"\n")
	write("report/r.go", "package report\n\nimport \"dossier/store\"\n")
	write("store/requests/r.go", "package requests\n\nimport (\n\t\"dossier/store\"\n\t\"dossier/store/compliance\"\n)\n")
	write("store/compliance/c.go", "package compliance\n\nimport (\n\t\"dossier/store\"\n\t\"dossier/store/requests\"\n)\n")
	write("store/employers/e.go", "package employers\n\nimport \"dossier/ui\"\n")
	write("store/applications/a.go", "package applications\n\nimport \"dossier/store/employers\"\n")
	write("store/notices/n.go", "package notices\n\nimport \"dossier/store\"\n")
	write("store/printing/p.go", "package printing\n\nimport \"dossier/store/programs\"\n")
	write("store/programs/p.go", "package programs\n\nimport \"dossier/store/printing\"\n")
	write("sync/s.go", "package sync\n\nimport (\n\t\"dossier/domain\"\n\t\"dossier/assets\"\n)\n")
	write("ui/u.go", "package ui\n\nimport \"dossier/store\"\n")

	got, err := Violations(root, "dossier")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"dossier/domain/oinp imports dossier/assets",
		"dossier/domain/oinp imports dossier/translations in its own tests (an external _test package may)",
		"dossier/store depends on dossier/report",
		"dossier/store imports dossier/store/inner: the engine imports no program",
		// the engine's dependency on report reaches every program on it
		"dossier/store/applications depends on dossier/report",
		"dossier/store/applications depends on dossier/ui",
		"dossier/store/compliance depends on dossier/report",
		"dossier/store/employers depends on dossier/report",
		"dossier/store/employers depends on dossier/ui",
		"dossier/store/notices depends on dossier/report",
		"dossier/store/printing imports dossier/store/programs",
		"dossier/store/requests imports dossier/store/compliance",
		"dossier/store/requests depends on dossier/report",
		"dossier/store/printing imports dossier/store/programs, which is above it",
		"dossier/sync depends on dossier/assets",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
