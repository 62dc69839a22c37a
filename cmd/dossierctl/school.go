package main

import (
	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store/programs"
)

// pickSchool finds the school with the given code, or the first school by
// name when no code is given.
func pickSchool(s programs.Desk, code string) (domain.ID, error) {
	schools, err := s.Institutions()
	if err != nil {
		return domain.ID{}, err
	}
	if len(schools) == 0 {
		return domain.ID{}, cli.Failure{Key: "cli.school.none"}
	}
	if code == "" {
		return schools[0].ID, nil
	}
	c, err := ens.ParseSchoolCode(code)
	if err != nil {
		return domain.ID{}, err
	}
	for _, in := range schools {
		if in.Code == c {
			return in.ID, nil
		}
	}
	return domain.ID{}, cli.Failure{Key: "cli.school.unknown", Args: []any{code}}
}
