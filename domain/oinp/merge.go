package oinp

import (
	"crypto/sha256"
	"encoding/binary"

	"dossier/domain"
	"dossier/domain/fields"
)

// The form's fields as two desks merge them (ARCHITECTURE.md,
// "Conflicts"): every tab, field by field; the lines of a repeated
// section by their identity, so that two desks adding different lines
// keep both. The Schedules' agreements and the intent's ties are each one
// field (an agreement has no identity but what it agrees to).

// applicationSections are the repeated sections of the form whose lines
// merge one by one.
var applicationSections = fields.Sections{
	"applicant.otherNames": fields.ByID,
	"education":            fields.ByID,
	"language":             fields.ByID,
	"work":                 fields.ByID,
	"activities":           fields.ByID,
	"family":               fields.ByID,
	"documents":            fields.ByID,
}

// fileOnly are the parts of the file that only its own actions change
// (registration, submission, representation, the program's decisions):
// no save carries them.
var fileOnly = []string{"schema", "fileNumber", "registered", "submitted", "payment", "withdrawn", "notices",
	"representatives", "decision", "infoRequests", "nomination", "review", "processingStarted", "incomplete"}

// FormOf reads the application's form as its fields: what a save may
// change. Its lines must have their identities (NameLines).
func FormOf(a *Application) (*fields.Form, error) {
	f, err := fields.Read(a, applicationSections)
	if err != nil {
		return nil, err
	}
	f.Drop(fileOnly...)
	return f, nil
}

// EditsOf is what a person changed from base to next, field by field.
// Both have their lines named (NameLines).
func EditsOf(base, next *Application) ([]fields.Edit, error) {
	b, err := FormOf(base)
	if err != nil {
		return nil, err
	}
	n, err := FormOf(next)
	if err != nil {
		return nil, err
	}
	return fields.Diff(b.Values(), n.Values()), nil
}

// WithForm is the application with form's fields (FormOf, changed) and
// what only the file's actions change as a has it.
func (a *Application) WithForm(form *fields.Form) (Application, error) {
	var out Application
	if err := form.Write(&out); err != nil {
		return out, err
	}
	keepFileOnly(&out, a)
	return out, nil
}

// NameLines gives every line of a repeated section that has no identity
// one: the same, on every desk and on the server, for the same line of
// the same file (of applicant, by section and place), so that a file
// saved before lines had identities merges as the same lines everywhere.
// A line added on a desk has its own new ID from the start (NewLineID).
func (a *Application) NameLines(applicant domain.ID) {
	name := func(section string, i int, id *domain.ID) {
		if id.IsZero() {
			*id = legacyLineID(applicant, section, i)
		}
	}
	for i := range a.Applicant.OtherNames {
		name("applicant.otherNames", i, &a.Applicant.OtherNames[i].ID)
	}
	for i := range a.Education {
		name("education", i, &a.Education[i].ID)
	}
	for i := range a.Language {
		name("language", i, &a.Language[i].ID)
	}
	for i := range a.Work {
		name("work", i, &a.Work[i].ID)
	}
	for i := range a.Activities {
		name("activities", i, &a.Activities[i].ID)
	}
	for i := range a.Family {
		name("family", i, &a.Family[i].ID)
	}
}

// legacyLineID is the identity of a line saved without one.
func legacyLineID(applicant domain.ID, section string, i int) domain.ID {
	h := sha256.New()
	h.Write([]byte("oinp.line\x00"))
	h.Write(applicant[:])
	h.Write([]byte(section))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(i))
	h.Write(n[:])
	var id domain.ID
	copy(id[:], h.Sum(nil))
	return id
}

// AdoptLines gives the lines of a that have no identity the identity of
// from's line at the same place: a form saved by a desk of before lines
// had identities, read against the file it was typed on.
func (a *Application) AdoptLines(from *Application) {
	adopt(a.Applicant.OtherNames, from.Applicant.OtherNames, func(x *OtherName) *domain.ID { return &x.ID })
	adopt(a.Education, from.Education, func(x *Education) *domain.ID { return &x.ID })
	adopt(a.Language, from.Language, func(x *LanguageTest) *domain.ID { return &x.ID })
	adopt(a.Work, from.Work, func(x *Work) *domain.ID { return &x.ID })
	adopt(a.Activities, from.Activities, func(x *Activity) *domain.ID { return &x.ID })
	adopt(a.Family, from.Family, func(x *FamilyMember) *domain.ID { return &x.ID })
}

func adopt[T any](lines, from []T, id func(*T) *domain.ID) {
	for i := range lines {
		if i < len(from) && id(&lines[i]).IsZero() {
			*id(&lines[i]) = *id(&from[i])
		}
	}
}
