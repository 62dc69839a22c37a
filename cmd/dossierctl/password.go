package main

import (
	"fmt"

	"golang.org/x/term"
)

// password returns the profile password: DOSSIER_PASSWORD, or typed at the
// terminal without echo (twice when confirm is set, for a new profile).
func (m *Main) password(confirm bool) (string, error) {
	if pw := m.Getenv("DOSSIER_PASSWORD"); pw != "" {
		return pw, nil
	}
	if m.Stdin == nil || !term.IsTerminal(int(m.Stdin.Fd())) {
		return "", cliError{key: "cli.password.none"}
	}
	fd := int(m.Stdin.Fd())
	read := func(key string) (string, error) {
		fmt.Fprint(m.Stderr, m.tr.T(key))
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(m.Stderr)
		return string(b), err
	}
	pw, err := read("cli.password.prompt")
	if err != nil || !confirm {
		return pw, err
	}
	again, err := read("cli.password.repeat")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", cliError{key: "cli.password.mismatch"}
	}
	return pw, nil
}
