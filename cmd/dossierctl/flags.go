package main

import (
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"

	"dossier/translations"
)

// newFlags makes a flag set that reports its errors through the catalog
// rather than in the flag package's English.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("lang", "", "")
	return fs
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+([^\s:]+)`)
	badValue      = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for flag -+([^\s:]+)`)
	needsValue    = regexp.MustCompile(`^flag needs an argument: -+([^\s:]+)`)
)

// parse parses args and turns the flag package's errors into ours.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		return usageError{cliError{key: "cli.flag.invalid", args: []any{"-h"}}}
	default:
		msg := err.Error()
		if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
			return usageError{cliError{key: "cli.flag.unknown", args: []any{"--" + m[1]}}}
		}
		if m := badValue.FindStringSubmatch(msg); m != nil {
			return usageError{cliError{key: "cli.flag.value", args: []any{"--" + m[1]}}}
		}
		if m := needsValue.FindStringSubmatch(msg); m != nil {
			return usageError{cliError{key: "cli.flag.value", args: []any{"--" + m[1]}}}
		}
		return usageError{cliError{key: "cli.flag.invalid", args: []any{msg}}}
	}
	if fs.NArg() > 0 {
		return usageError{cliError{key: "cli.flag.args", args: []any{strings.Join(fs.Args(), " ")}}}
	}
	if l := fs.Lookup("lang").Value.String(); l != "" {
		if _, err := translations.ParseLang(l); err != nil {
			return usageError{cliError{key: "cli.lang.unknown", args: []any{l}}}
		}
	}
	return nil
}
