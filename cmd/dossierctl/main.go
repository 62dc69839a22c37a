// Command dossierctl is Dossier's headless tool: demo profiles, the DIR
// queue as JSON, and later reports, imports and sync from scripts.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"dossier/domain"
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
	m.tr = translations.New(m.language(args))
	err := m.dispatch(args)
	if err == nil {
		return 0
	}
	fmt.Fprintln(m.Stderr, m.tr.T("cli.error", m.message(err)))
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func (m *Main) dispatch(args []string) error {
	if len(args) == 0 {
		return usageError{cliError{key: "cli.command.missing"}}
	}
	switch args[0] {
	case "demo":
		return m.demo(args[1:])
	case "queue":
		return m.queue(args[1:])
	case "help", "-h", "--help", "-help":
		fmt.Fprintln(m.Stdout, m.tr.T("cli.usage"))
		return nil
	}
	return usageError{cliError{key: "cli.command.unknown", args: []any{args[0]}}}
}

// language reads --lang before the flags are parsed, so that even a flag
// error is reported in the right language; without it, the locale decides.
func (m *Main) language(args []string) translations.Lang {
	for i, a := range args {
		v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "lang=")
		if !ok && (a == "--lang" || a == "-lang") && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if ok {
			if l, err := translations.ParseLang(v); err == nil {
				return l
			}
		}
	}
	return translations.LangFromEnv(m.Getenv)
}

// cliError is a failure of the command line itself, said through the
// catalog.
type cliError struct {
	key  string
	args []any
}

func (e cliError) Error() string { return e.key }

// usageError marks a cliError that is the caller's mistake (exit 2).
type usageError struct{ cliError }

func (e usageError) Unwrap() error { return e.cliError }

func (m *Main) message(err error) string {
	var c cliError
	if errors.As(err, &c) {
		return m.tr.T(c.key, c.args...)
	}
	msg := m.tr.Error(err)
	if domain.ErrorCode(err).Kind() == domain.KindInternal {
		// The detail of a fault helps whoever runs the script; it holds
		// paths and causes, never what a person typed.
		msg += " (" + err.Error() + ")"
	}
	return msg
}
