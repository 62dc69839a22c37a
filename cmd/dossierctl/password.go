package main

import (
	"dossier/cmd/internal/cli"
)

// password returns the profile password: DOSSIER_PASSWORD, or typed at the
// terminal without echo (twice when confirm is set, for a new profile).
func (m *Main) password(confirm bool) (string, error) {
	return cli.Secret(m.tr, m.Stdin, m.Stderr, m.Getenv, "DOSSIER_PASSWORD", "cli.password.prompt", "cli.password.none", confirm)
}
