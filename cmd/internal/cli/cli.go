// Package cli is what Dossier's command-line programs share: errors and
// flag errors said through the catalog, the language chosen before the
// flags are parsed, and passwords read without echo.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"golang.org/x/term"

	"dossier/domain"
	"dossier/translations"
)

// Failure is a failure of the command line itself, said through the catalog.
type Failure struct {
	Key  string
	Args []any
}

func (e Failure) Error() string { return e.Key }

// Usage marks a Failure that is the caller's mistake (exit status 2).
type Usage struct{ Failure }

func (e Usage) Unwrap() error { return e.Failure }

// Language reads --lang before the flags are parsed, so that even a flag
// error is reported in the right language; without it, the locale decides.
func Language(args []string, getenv func(string) string) translations.Lang {
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
	return translations.LangFromEnv(getenv)
}

// Message is the sentence for err in tr's language.
func Message(tr *translations.Translator, err error) string {
	var c Failure
	if errors.As(err, &c) {
		return tr.T(c.Key, c.Args...)
	}
	msg := tr.Error(err)
	if domain.ErrorCode(err).Kind() == domain.KindInternal {
		// The detail of a fault helps whoever runs the script; it holds
		// paths and causes, never what a person typed.
		msg += " (" + err.Error() + ")"
	}
	return msg
}

// Exit prints err (if any) in tr's language after the program's name and
// returns the exit status: 0 on success, 1 when the command failed, 2 when
// the command line was wrong.
func Exit(tr *translations.Translator, stderr io.Writer, program string, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, tr.T("cli.error", program, Message(tr, err)))
	var u Usage
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// NewFlags makes a flag set that reports its errors through the catalog
// rather than in the flag package's English.
func NewFlags(name string) *flag.FlagSet {
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

// Parse parses args and turns the flag package's errors into ours.
// Operands takes the words of args that are neither flags nor flags'
// values (a file to check), in order, and returns them with the rest; a
// flag that takes a value is one fs defines as other than a bool.
func Operands(fs *flag.FlagSet, args []string) (operands, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(operands, args[i+1:]...), rest
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			operands = append(operands, a)
			continue
		}
		rest = append(rest, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && i+1 < len(args) {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				i++
				rest = append(rest, args[i])
			}
		}
	}
	return operands, rest
}

func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		return Bad("cli.flag.invalid", "-h")
	default:
		msg := err.Error()
		if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
			return Bad("cli.flag.unknown", "--"+m[1])
		}
		if m := badValue.FindStringSubmatch(msg); m != nil {
			return Bad("cli.flag.value", "--"+m[1])
		}
		if m := needsValue.FindStringSubmatch(msg); m != nil {
			return Bad("cli.flag.value", "--"+m[1])
		}
		return Bad("cli.flag.invalid", msg)
	}
	if fs.NArg() > 0 {
		return Bad("cli.flag.args", strings.Join(fs.Args(), " "))
	}
	if l := fs.Lookup("lang").Value.String(); l != "" {
		if _, err := translations.ParseLang(l); err != nil {
			return Bad("cli.lang.unknown", l)
		}
	}
	return nil
}

// Secret returns the value of the environment variable env, or reads it at
// the terminal without echo after the prompt key (twice when confirm is
// set). Without either it fails with noneKey.
func Secret(tr *translations.Translator, stdin *os.File, stderr io.Writer, getenv func(string) string,
	env, prompt, noneKey string, confirm bool) (string, error) {
	if v := getenv(env); v != "" {
		return v, nil
	}
	if stdin == nil || !term.IsTerminal(int(stdin.Fd())) {
		return "", Failure{Key: noneKey}
	}
	fd := int(stdin.Fd())
	read := func(key string) (string, error) {
		fmt.Fprint(stderr, tr.T(key))
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		return string(b), err
	}
	pw, err := read(prompt)
	if err != nil || !confirm {
		return pw, err
	}
	again, err := read("cli.password.repeat")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", Failure{Key: "cli.password.mismatch"}
	}
	return pw, nil
}

// Bad is a Usage failure with the message key and its arguments.
func Bad(key string, args ...any) error { return Usage{Failure{Key: key, Args: args}} }
