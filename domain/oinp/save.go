package oinp

import (
	"slices"

	"dossier/domain"
)

// ErrAlreadyRegistered is a file registered a second time. The string is
// the one the store declared: a wire and catalog key.
var ErrAlreadyRegistered = domain.NewCode("store.oinp.registered", domain.KindConflict)

// Register gives the file its number and opens its 14-day window on the
// day on (§3.1). A file registers once: ErrAlreadyRegistered, with its
// number. n must read as a file number (ParseFileNumber's error); that no
// other file has it is for whoever keeps every file to make sure.
func (a *Application) Register(n FileNumber, on domain.Date) error {
	if a.FileNumber != "" {
		return domain.Errorf(ErrAlreadyRegistered, a.FileNumber)
	}
	if _, err := ParseFileNumber(string(n)); err != nil {
		return err
	}
	a.FileNumber, a.Registered = n, on
	return nil
}

// SaveByApplicant replaces the file's form with form, as its applicant
// saves it; refused once submitted (ErrSubmitted). What is not the form's
// to change stays as the file has it (keepFileOnly), and so do the
// Employer Form tabs when signed is the form the employer signed for the
// file (read-only to the applicant). Of the documents, the form says only
// which need a translation. A field the representative filled (a path of
// Fields in repFilled) that the applicant changes is the applicant's
// again: it leaves repFilled, which is changed in place.
func (a *Application) SaveByApplicant(form Application, signed *EmployerForm, repFilled map[string]bool) error {
	if err := a.CheckDraft(); err != nil {
		return err
	}
	flags := map[domain.ID]YesNo{}
	for _, d := range form.Documents {
		flags[d.ID] = d.NeedsTranslation
	}
	keepFileOnly(&form, a)
	form.Documents = slices.Clone(a.Documents)
	for i, d := range form.Documents {
		if f, ok := flags[d.ID]; ok {
			form.Documents[i].NeedsTranslation = f
		}
	}
	if signed != nil {
		form.Employer = *signed
	}
	if len(repFilled) > 0 {
		before, after := Fields(a), Fields(&form)
		for path := range repFilled {
			if before[path] != after[path] {
				delete(repFilled, path)
			}
		}
	}
	*a = form
	return nil
}

// SaveByRepresentative replaces the file's form with form, as its active
// representative saves it (§3.2.2); refused once submitted
// (ErrSubmitted). What the applicant filled stays theirs: changing a
// field that is not empty and not in repFilled is refused
// (ErrRepReadOnly, with the field's path). Every field the
// representative changes joins repFilled, which it returns (made when
// nil). What is not the form's to change stays as the file has it
// (keepFileOnly), the documents included, and so do the Employer Form
// tabs when signed is the form the employer signed for the file: they
// are the employer's, to the representative as to the applicant (a field
// the employer left empty stays empty).
func (a *Application) SaveByRepresentative(form Application, signed *EmployerForm, repFilled map[string]bool) (map[string]bool, error) {
	if err := a.CheckDraft(); err != nil {
		return repFilled, err
	}
	before, after := Fields(a), Fields(&form)
	for path, old := range before {
		if old != "" && after[path] != old && !repFilled[path] {
			return repFilled, domain.FieldError(ErrRepReadOnly, path)
		}
	}
	if signed != nil {
		form.Employer = *signed
		after = Fields(&form)
	}
	if repFilled == nil {
		repFilled = map[string]bool{}
	}
	for path, v := range after {
		if v != before[path] {
			repFilled[path] = true
		}
	}
	keepFileOnly(&form, a)
	form.Documents = a.Documents
	*a = form
	return repFilled, nil
}

// keepFileOnly gives form what only the file's own actions change: its
// schema, number and days, the representatives, the payment, the notices
// and the program's decisions (the documents are each save's to say).
func keepFileOnly(form, file *Application) {
	form.Schema = SchemaVersion
	form.FileNumber, form.Registered, form.Submitted = file.FileNumber, file.Registered, file.Submitted
	form.Representatives, form.Payment, form.Withdrawn, form.Notices = file.Representatives, file.Payment, file.Withdrawn, file.Notices
	form.Decision, form.InfoRequests, form.Nomination, form.Review = file.Decision, file.InfoRequests, file.Nomination, file.Review
}
