package main

import (
	"context"
	"fmt"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/sync/client"
)

// sync does from a script what the app does: connect the profile to a
// server (the first time, with --server and, unless an authority vouches
// for its certificate, --fingerprint: without it the fingerprint of the
// server's key is printed and nothing is sent),
// sign the person in (DOSSIER_USER and DOSSIER_USER_PASSWORD, and
// DOSSIER_USER_ANSWER for the security question the server asks; without
// it, a demo person's known answer), push the outbox and pull the change
// feed until caught up.
func (m *Main) sync(args []string) error {
	fs := cli.NewFlags("sync")
	data := fs.String("data", "", "")
	server := fs.String("server", "", "")
	fingerprint := fs.String("fingerprint", "", "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "--data")
	}
	pw, err := m.password(false)
	if err != nil {
		return err
	}
	user, userPW := m.Getenv("DOSSIER_USER"), m.Getenv("DOSSIER_USER_PASSWORD")
	if user == "" || userPW == "" {
		return cli.Failure{Key: "cli.sync.user"}
	}
	s, err := programs.Open(store.ProfilePath(*data), pw, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	var c *client.Client
	if *server != "" {
		c, err = client.Connect(ctx, s, *server, *fingerprint)
	} else if c, err = client.Open(s); err == nil && c == nil {
		return cli.Bad("cli.sync.server")
	}
	if fp, ok := client.UnconfirmedFingerprint(err); ok {
		return cli.Failure{Key: "cli.sync.unconfirmed", Args: []any{fp}}
	}
	if err != nil {
		return err
	}
	// Signed in here before: the local account (and any registration it
	// still has to send) comes first. A new profile signs in to the
	// server alone, which hands the account over.
	_, acct, err := s.SignIn(user, userPW)
	if err != nil && domain.ErrorCode(err) != account.ErrSignInFailed {
		return err
	}
	c.SetAnswerer(func(_ context.Context, q string) (string, error) {
		if a := m.Getenv("DOSSIER_USER_ANSWER"); a != "" {
			return a, nil
		}
		return demo.Answer(q), nil
	})
	if err := c.SignIn(ctx, acct.ID, user, userPW); err != nil {
		return err
	}
	pushed, err := c.Push(ctx)
	if err != nil {
		return err
	}
	pulled, err := c.Pull(ctx, 0)
	if err != nil {
		return err
	}
	st := c.Status()
	fmt.Fprintln(m.Stdout, m.tr.T("cli.sync.done", pushed, pulled, st.Pending, st.Rejected, st.Conflicts))
	return nil
}
