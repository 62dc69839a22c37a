package main

import (
	"dossier/cmd/internal/cli"
	"dossier/store/programs"
	"dossier/store/requests"
	"encoding/json"
	"os"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// queueRow is one row of `dossierctl queue --json`.
type queueRow struct {
	ID            string     `json:"id"`
	Type          string     `json:"type"`
	Status        string     `json:"status"`
	GivenNames    string     `json:"givenNames"`
	FamilyName    string     `json:"familyName"`
	BirthDate     string     `json:"birthDate"`
	ClientID      string     `json:"clientID"`
	StudentNumber string     `json:"studentNumber,omitempty"`
	EVN           string     `json:"evn,omitempty"`
	Received      time.Time  `json:"received"`
	Expires       *time.Time `json:"expires,omitempty"`
	Assignee      string     `json:"assignee,omitempty"`
	Version       uint64     `json:"version"`
}

func (m *Main) queue(args []string) error {
	fs := cli.NewFlags("queue")
	data := fs.String("data", "", "")
	schoolCode := fs.String("school", "", "")
	statuses := fs.String("status", "", "")
	types := fs.String("type", "", "")
	search := fs.String("search", "", "")
	sortCol := fs.String("sort", "", "")
	desc := fs.Bool("desc", false, "")
	offset := fs.Int("offset", 0, "")
	limit := fs.Int("limit", requests.DefaultPageSize, "")
	asJSON := fs.Bool("json", false, "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "data")
	}
	if !*asJSON {
		return cli.Bad("cli.json.required")
	}
	f := requests.QueueFilter{Search: *search, Desc: *desc, Offset: *offset, Limit: *limit, Language: m.tr.Lang().Tag()}
	if *limit < 1 || *limit > requests.MaxPageSize {
		return cli.Bad("cli.limit.range", requests.MaxPageSize)
	}
	if *offset < 0 {
		return cli.Bad("cli.offset.range")
	}
	var err error
	if f.Sort, err = requests.ParseSortColumn(*sortCol); err != nil {
		return err
	}
	for _, s := range splitList(*statuses) {
		st, err := ens.ParseStatus(s)
		if err != nil {
			return err
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, s := range splitList(*types) {
		t, err := ens.ParseType(s)
		if err != nil {
			return err
		}
		f.Types = append(f.Types, t)
	}
	if _, err := os.Stat(store.ProfilePath(*data)); err != nil {
		return domain.Errorf(store.ErrNoProfile)
	}
	pw, err := m.password(false)
	if err != nil {
		return err
	}
	s, err := programs.Open(store.ProfilePath(*data), pw, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if f.School, err = pickSchool(s, *schoolCode); err != nil {
		return err
	}
	// The profile's owner reads the queue as the program would: every
	// school of the profile is theirs to read.
	page, err := s.Queue(account.SystemActor, f)
	if err != nil {
		return err
	}
	rows := make([]queueRow, 0, len(page.Rows))
	for _, r := range page.Rows {
		row := queueRow{ID: r.ID.String(), Type: r.Type.Code(), Status: r.Status.Code(),
			GivenNames: r.Student.GivenNames, FamilyName: r.Student.FamilyName,
			BirthDate: r.Student.BirthDate.String(), ClientID: r.Student.ClientID.String(),
			StudentNumber: r.Student.StudentNumber, EVN: string(r.EVN), Received: r.Received, Version: r.Version}
		if !r.Expires.IsZero() {
			e := r.Expires
			row.Expires = &e
		}
		if !r.Assignee.IsZero() {
			row.Assignee = r.Assignee.String()
		}
		rows = append(rows, row)
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
