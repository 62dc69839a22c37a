package applications

import (
	"slices"
	"strings"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
)

// FileFilter narrows the program's processing queue. Zero fields do not
// filter.
type FileFilter struct {
	// Statuses keeps the files in any of these statuses.
	Statuses []oinp.FileStatus
	Stream   oinp.Stream
	// GTA keeps the files whose job is in the Greater Toronto Area (Yes)
	// or outside it (No), as the work location says.
	GTA oinp.YesNo
	// GTAUnknown keeps only the files whose work location does not read:
	// neither in the GTA nor outside it.
	GTAUnknown bool
	// From and To bound the day of submission, both included.
	From, To domain.Date
	// Search finds a file by its number (or some of its digits) or its
	// applicant's name, case and accents ignored.
	Search string
}

// FileSummary is one line of the processing queue.
type FileSummary struct {
	Applicant  domain.ID       `json:"applicant"`
	FileNumber oinp.FileNumber `json:"fileNumber"`
	FamilyName string          `json:"familyName"`
	GivenNames string          `json:"givenNames"`
	Stream     oinp.Stream     `json:"stream"`
	Submitted  domain.Date     `json:"submitted"`
	Status     oinp.FileStatus `json:"status"`
	InGTA      oinp.YesNo      `json:"inGTA,omitzero"`
	Region     string          `json:"region,omitempty"`
	// NextDue is the soonest due day of a request for information not
	// yet answered.
	NextDue domain.Date `json:"nextDue,omitzero"`
	Version uint64      `json:"version"`
}

// ProcessingQueue lists, for a program officer, the submitted files the
// filter keeps, oldest submission first (then by file number). Files not
// yet submitted are not the program's to read.
func (s Store) ProcessingQueue(by account.Actor, f FileFilter) ([]FileSummary, error) {
	if err := account.Authorize(by, account.DecideApplications, domain.ID{}); err != nil {
		return nil, err
	}
	if err := s.ensureFileIndex(); err != nil {
		return nil, err
	}
	search := domain.FoldName(f.Search)
	var out []FileSummary
	err := s.View(func(tx *store.Tx) error {
		// The index's lines by submission day: the clear columns filter,
		// and only the lines kept are opened.
		start := []byte{fileLinePrefix}
		if !f.From.IsZero() {
			start = fileLineKey(f.From, domain.ID{})
		}
		var buf []byte
		c := tx.Bucket(store.IxApplications).Cursor()
		for k, v := c.Seek(start); k != nil && k[0] == fileLinePrefix; k, v = c.Next() {
			sum, sealed, err := decodeClear(k, v)
			if err != nil {
				return domain.Wrap(store.ErrCorrupt, err)
			}
			if !f.To.IsZero() && f.To.Before(sum.Submitted) {
				break
			}
			if !f.keeps(&sum, "") {
				continue
			}
			if err := s.openLine(&sum, sealed, &buf); err != nil {
				return err
			}
			if search == "" || f.keeps(&sum, search) {
				out = append(out, sum)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b FileSummary) int {
		if c := a.Submitted.Time().Compare(b.Submitted.Time()); c != 0 {
			return c
		}
		return strings.Compare(string(a.FileNumber), string(b.FileNumber))
	})
	return out, err
}

func summarise(rec *ApplicationRecord, t oinp.Tables) FileSummary {
	a := &rec.App
	sum := FileSummary{Applicant: rec.Applicant, FileNumber: a.FileNumber, FamilyName: a.Applicant.FamilyName,
		GivenNames: a.Applicant.GivenNames, Stream: a.Stream(), Submitted: a.Submitted,
		Status: a.ProcessingStatus(), Version: rec.Version}
	// The GTA as the eligibility rules judge it: from the work location.
	sum.InGTA, sum.Region = a.InGTA(t)
	if open := a.OpenRequests(); len(open) > 0 {
		sum.NextDue = open[0].Due
	}
	return sum
}

// keeps reports whether the filter keeps the file; search is folded.
func (f *FileFilter) keeps(sum *FileSummary, search string) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, sum.Status),
		f.Stream != "" && f.Stream != sum.Stream,
		f.GTA != oinp.Unanswered && f.GTA != sum.InGTA,
		f.GTAUnknown && sum.InGTA != oinp.Unanswered,
		!f.From.IsZero() && sum.Submitted.Before(f.From),
		!f.To.IsZero() && f.To.Before(sum.Submitted):
		return false
	case search == "":
		return true
	}
	names := []string{domain.FoldName(sum.GivenNames + " " + sum.FamilyName), domain.FoldName(sum.FamilyName + " " + sum.GivenNames)}
	return strings.Contains(domain.FoldName(string(sum.FileNumber)), search) ||
		strings.Contains(names[0], search) || strings.Contains(names[1], search)
}

// FileFor reads a submitted file, for a program officer; the eligibility
// report is oinp.Evaluate on it (FileEligibility).
func (s Store) FileFor(by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	var rec ApplicationRecord
	if err := account.Authorize(by, account.DecideApplications, domain.ID{}); err != nil {
		return rec, err
	}
	err := s.View(func(tx *store.Tx) error {
		found, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant[:], &rec)
		if err == nil && (!found || !rec.App.InProgram()) {
			err = domain.Errorf(store.ErrNotFound)
		}
		return err
	})
	return rec, err
}

// FileEligibility is the file's eligibility report, judged by the
// program's rules on the day it was submitted, for a program officer.
func (s Store) FileEligibility(by account.Actor, applicant domain.ID) (ApplicationRecord, oinp.EligibilityReport, error) {
	rec, err := s.FileFor(by, applicant)
	if err != nil {
		return rec, oinp.EligibilityReport{}, err
	}
	return rec, oinp.Evaluate(&rec.App, rec.App.Submitted, assets.OINPTables()), nil
}
