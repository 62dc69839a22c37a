// Command dossierctl is Dossier's headless tool: demo profiles, the DIR
// queue as JSON, and later reports, imports and sync from scripts.
package main

import (
	"dossier/cmd/internal/cli"
	"dossier/internal/version"
	"fmt"
	"io"
	"os"

	"dossier/translations"
)

func main() {
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv}
	os.Exit(m.Run(os.Args[1:]))
}

// Main is one run of dossierctl, its world passed in so tests can run it.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          *os.File
	Getenv         func(string) string
	tr             *translations.Translator
}

// Run runs the command in args and returns the exit status: 0 on success,
// 1 when the command failed, 2 when the command line was wrong.
func (m *Main) Run(args []string) int {
	m.tr = translations.New(cli.Language(args, m.Getenv))
	return cli.Exit(m.tr, m.Stderr, "dossierctl", m.dispatch(args))
}

func (m *Main) dispatch(args []string) error {
	if len(args) == 0 {
		return cli.Bad("cli.command.missing")
	}
	switch args[0] {
	case "demo":
		return m.demo(args[1:])
	case "queue":
		return m.queue(args[1:])
	case "sync":
		return m.sync(args[1:])
	case "oinp":
		return m.oinp(args[1:])
	case "verify":
		return m.verify(args[1:])
	case "print":
		return m.print(args[1:])
	case "audit":
		return m.audit(args[1:])
	case "version", "--version", "-version":
		fmt.Fprintln(m.Stdout, m.tr.T("cli.version", "dossierctl", version.Version))
		return nil
	case "help", "-h", "--help", "-help":
		fmt.Fprintln(m.Stdout, m.tr.T("cli.usage"))
		return nil
	}
	return cli.Bad("cli.command.unknown", args[0])
}
