package main

import (
	"dossier/cmd/internal/cli"
	"fmt"
	"os"
	"time"

	"dossier/domain"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
)

// Limits of --requests.
const maxDemoRequests = 1_000_000

func (m *Main) demo(args []string) error {
	fs := cli.NewFlags("demo")
	data := fs.String("data", "", "")
	n := fs.Int("requests", 1000, "")
	seed := fs.Uint64("seed", 1, "")
	today := fs.String("today", "", "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "data")
	}
	if *n < 0 || *n > maxDemoRequests {
		return cli.Bad("cli.requests.range", 0, maxDemoRequests)
	}
	day := domain.DateOf(time.Now())
	if *today != "" {
		d, err := domain.ParseDate("today", *today)
		if err != nil {
			return cli.Bad("cli.flag.value", "--today")
		}
		day = d
	}
	if _, err := os.Stat(store.ProfilePath(*data)); err == nil {
		return domain.Errorf(store.ErrProfileExists)
	}
	pw, err := m.password(true)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return domain.Wrap(store.ErrStorage, err)
	}
	start := time.Now()
	// The demo is rebuilt at will, so it is written without waiting on the
	// disk for each batch, then flushed once.
	s, err := programs.Create(store.ProfilePath(*data), pw, store.Options{NoSync: true})
	if err != nil {
		return err
	}
	res, err := demo.Build(s, demo.Options{Requests: *n, Seed: *seed, Today: day})
	if err == nil {
		err = s.Sync()
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The batches leave the pages of the old index versions free;
		// rewriting the file once keeps only what is used.
		err = store.Compact(store.ProfilePath(*data))
	}
	if err != nil {
		os.Remove(store.ProfilePath(*data))
		return err
	}
	secs := m.tr.Decimal(time.Since(start).Seconds(), 1)
	fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.done", store.ProfilePath(*data), res.Requests, secs))
	fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.accounts", demo.Password))
	fmt.Fprintln(m.Stdout, m.tr.T("signin.demo.answers"))
	for _, a := range res.Accounts {
		if a.School == "" {
			fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.account.own", a.Role, a.UserID))
		} else {
			fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.account", a.Role, a.School, a.UserID))
		}
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.pins"))
	for _, p := range res.PINs {
		fmt.Fprintln(m.Stdout, m.tr.T("cli.demo.pin", p.Role, p.School, p.Code))
	}
	return nil
}
