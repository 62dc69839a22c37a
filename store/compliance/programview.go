package compliance

import (
	"slices"

	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// ReportingStatus is, for the program, where every province's schools
// stand with their reports for year: one compilation per province or
// territory that has schools, compiled now from this profile's records
// (which schools have reported, which not, chased how often and when),
// with the time its coordinator submitted it once they have. The
// ineligible students are left out: the program reads them in the
// submitted compilations (ProvincialReports).
func (s Store) ReportingStatus(by account.Actor, year int) ([]ProvincialCompilation, error) {
	if err := ens.MayReadCompilations(by); err != nil {
		return nil, err
	}
	var out []ProvincialCompilation
	err := s.View(func(tx *store.Tx) error {
		all, err := s.InstitutionsIn(tx)
		if err != nil {
			return err
		}
		for _, p := range store.Provinces {
			if !slices.ContainsFunc(all, func(in store.Institution) bool { return in.Province == p }) {
				continue
			}
			pc, err := s.CompileIn(tx, p, year, s.Now())
			if err != nil {
				return err
			}
			var sub ProvincialCompilation
			id := ProvincialReportID(p, year)
			if _, err := s.GetJSON(store.BucketOf(tx, store.ProvincialBucket), id[:], &sub); err != nil {
				return err
			}
			pc.Submitted, pc.SubmittedBy = sub.Submitted, sub.SubmittedBy
			pc.Schools = pc.Standing()
			out = append(out, pc)
		}
		return nil
	})
	return out, err
}
