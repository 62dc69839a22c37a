package applications

import (
	"encoding/json"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The forms people type into — an OINP application (every tab, its lines
// by their identity) and an Employer Form — travel as what the person
// changed, field by field, and the server merges them as it merges a
// request's fields (store/requests/merge.go): a field someone else changed
// since the version the desk last had is decided by sync.Wins (an edit
// beats a removal), and the losing value is kept in a ConflictRecord that
// the form's people read on every desk.

// The commands of a save, as the fields it changed.
const (
	KindEditApplication  sync.Kind = "oinp.edit"
	KindEditEmployerForm sync.Kind = "employer.form.edit"
)

// EditPayload is a save as what the person changed: each field's new
// value, relative to the version of the record the desk last had from the
// server (Seen; zero for a record it never had from it).
type EditPayload struct {
	Seen  uint64        `json:"seen"`
	Edits []fields.Edit `json:"edits"`
	At    time.Time     `json:"at"`
}

// fieldStamp is the server's record of the last change to one field: its
// value, the machine and time (sync.FieldVersion), who made it and the
// record version it produced.
type fieldStamp struct {
	sync.FieldVersion
	By      domain.ID `json:"by,omitzero"`
	Version uint64    `json:"v"`
}

// formStamps are a form's stamps, by field path, and the lines removed as
// they were (an edit made meanwhile on another desk brings one back).
type formStamps struct {
	Fields  map[string]fieldStamp      `json:"fields,omitempty"`
	Removed map[string]json.RawMessage `json:"removed,omitempty"`
}

func (s Store) stamps(tx *store.Tx, id domain.ID) (formStamps, error) {
	var st formStamps
	_, err := s.GetJSON(store.BucketOf(tx, store.StampsBucket), id[:], &st)
	if st.Fields == nil {
		st.Fields = map[string]fieldStamp{}
	}
	if st.Removed == nil {
		st.Removed = map[string]json.RawMessage{}
	}
	return st, err
}

// putStamps writes the stamps, giving the ones this command made the
// version it produced.
func (s Store) putStamps(tx *store.Tx, id domain.ID, st formStamps, version uint64) error {
	for f, x := range st.Fields {
		if x.Version == 0 {
			x.Version = version
			st.Fields[f] = x
		}
	}
	return s.PutJSON(store.BucketOf(tx, store.StampsBucket), id[:], st)
}

// edit is one command's changes as the merge reads them.
type edit struct {
	EditPayload
	HLC    sync.HLC
	Device domain.ID
	By     domain.ID
	// yields reports that a value the command would replace is not
	// its sender's to replace (an applicant's answer, to their
	// representative): the sender's value loses.
	yields func(fieldStamp) bool
	// prevails reports that the sender's value wins over a value changed
	// at once (the applicant's over their representative's), whichever
	// is later.
	prevails func(fieldStamp) bool
}

// mergeEdits applies a command's edits to form, field by field, and
// returns the fields two machines changed at once: the value kept and the
// value that lost. A field is changed at once when another machine changed
// it after the version the desk had (st's version is later than Seen) to
// another value.
func mergeEdits(form *fields.Form, st *formStamps, e edit) []sync.Conflict {
	values := form.Values()
	var conflicts []sync.Conflict
	seen := map[string]bool{}
	since := func(x fieldStamp) bool { return x.Version > e.Seen && x.Device != e.Device }
	for _, ed := range e.Edits {
		if seen[ed.Path] {
			continue
		}
		seen[ed.Path] = true
		cand := sync.FieldVersion{Value: ed.Value, Deleted: ed.Removed, HLC: e.HLC, Device: e.Device}
		mine := fieldStamp{FieldVersion: cand, By: e.By}
		switch {
		case ed.Removed:
			if form.Item(ed.Path) == nil {
				continue
			}
			// A line someone else changed meanwhile stays: an edit
			// beats a removal.
			if edited, ok := changedWithin(st, ed.Path, since); ok {
				kept := edited.FieldVersion
				kept.Value, kept.Deleted = fields.Present, false
				conflicts = append(conflicts, sync.Conflict{Field: ed.Path, Kept: kept, Lost: cand})
				continue
			}
			st.Removed[ed.Path] = form.Item(ed.Path)
			form.Apply(ed, nil)
			st.Fields[ed.Path] = mine
			values = form.Values()
		case fields.IsItem(ed.Path):
			if form.Item(ed.Path) == nil {
				form.Apply(ed, nil)
				st.Fields[ed.Path] = mine
				values = form.Values()
			}
		default:
			back, ok := bringBack(form, st, ed.Path, e, mine)
			if !ok {
				continue
			}
			conflicts = append(conflicts, back...)
			if len(back) > 0 {
				values = form.Values()
			}
			old, had := st.Fields[ed.Path]
			theirs := values[ed.Path]
			concurrent := had && since(old) && theirs != ed.Value
			switch {
			case theirs == ed.Value:
				st.Fields[ed.Path] = mine
				continue
			case theirs != "" && e.yields != nil && e.yields(old):
				if !had {
					old.FieldVersion = sync.FieldVersion{Value: theirs}
				}
				conflicts = append(conflicts, sync.Conflict{Field: ed.Path, Kept: old.FieldVersion, Lost: cand})
				continue
			case !concurrent:
			case e.prevails != nil && e.prevails(old) || sync.Wins(cand, old.FieldVersion):
				conflicts = append(conflicts, sync.Conflict{Field: ed.Path, Kept: cand, Lost: old.FieldVersion})
			default:
				conflicts = append(conflicts, sync.Conflict{Field: ed.Path, Kept: old.FieldVersion, Lost: cand})
				continue
			}
			form.Apply(ed, nil)
			values[ed.Path] = ed.Value
			st.Fields[ed.Path] = mine
		}
	}
	return conflicts
}

// pruneStamps forgets the stamps this command made for paths that were
// never a field of the form, before or after (a path no form has, a
// part of the file the rule kept as it was): the server keeps no record
// of what it did not take.
func pruneStamps(st *formStamps, before, after map[string]string) {
	for p, x := range st.Fields {
		_, was := before[p]
		_, is := after[p]
		if x.Version == 0 && !was && !is {
			if _, removed := st.Removed[p]; !removed {
				delete(st.Fields, p)
			}
		}
	}
}

// changedWithin is the latest change that since accepts to a line or any
// of its fields.
func changedWithin(st *formStamps, line string, since func(fieldStamp) bool) (fieldStamp, bool) {
	var out fieldStamp
	found := false
	for p, x := range st.Fields {
		if (p == line || strings.HasPrefix(p, line+".") || strings.HasPrefix(p, line+"[")) && since(x) && !x.Deleted {
			if !found || sync.Wins(x.FieldVersion, out.FieldVersion) {
				out, found = x, true
			}
		}
	}
	return out, found
}

// bringBack makes sure the lines a field lies in exist: a line removed on
// another machine comes back as it was when removed (an edit beats a
// removal: the conflict says so); a line the server never had takes no
// field (ok false).
func bringBack(form *fields.Form, st *formStamps, path string, e edit, mine fieldStamp) ([]sync.Conflict, bool) {
	var out []sync.Conflict
	for line := range fields.Items(path) {
		if form.Item(line) != nil {
			continue
		}
		was, removed := st.Removed[line]
		if !removed {
			return out, false
		}
		form.Apply(fields.Edit{Path: line, Value: fields.Present}, was)
		delete(st.Removed, line)
		lost := st.Fields[line].FieldVersion
		kept := mine.FieldVersion
		kept.Value, kept.Deleted = fields.Present, false
		out = append(out, sync.Conflict{Field: line, Kept: kept, Lost: lost})
		st.Fields[line] = fieldStamp{FieldVersion: kept, By: mine.By}
	}
	return out, true
}

// conflictsOf keeps the conflicts of a merge on the server, each as a
// record the form's readers receive, and adds them to the answer.
func (s Store) conflictsOf(tx *store.Tx, ans *sync.Answer, on sync.EntityKind, record domain.ID, readers []store.Reader,
	people, orgs []domain.ID, conflicts []sync.Conflict, now time.Time) error {
	for _, c := range conflicts {
		cr := store.ConflictRecord{On: on, Record: record, Accounts: people, Orgs: orgs,
			Field: c.Field, Kept: c.Kept, Lost: c.Lost, At: now}
		var err error
		if cr.ID, err = s.NewID(now); err != nil {
			return err
		}
		if err := s.Feed(tx, sync.EntityConflict, cr.ID, 1, readers, cr); err != nil {
			return err
		}
		ans.Conflicts = append(ans.Conflicts, c)
		ans.Outcome = sync.Merged
	}
	return nil
}

// editOf reads a pushed command as the merge reads it.
func editOf(cmd sync.Command, by account.Actor, p EditPayload) edit {
	return edit{EditPayload: p, HLC: cmd.HLC, Device: cmd.Device, By: by.Account}
}

// fileToEdit reads the file a save is about, for its applicant (their own
// only) or their active representative, its lines named.
func (s Store) fileToEdit(tx *store.Tx, by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	if by.Role == account.Representative {
		return s.clientRecord(tx, by, applicant)
	}
	if applicant != by.Account {
		return ApplicationRecord{}, domain.Errorf(ErrNotApplicant)
	}
	if err := oinp.CheckApplicant(by); err != nil {
		return ApplicationRecord{}, err
	}
	var rec ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant[:], &rec); err != nil {
		return rec, err
	}
	if rec.Version == 0 {
		rec.App.Schema = oinp.SchemaVersion
	}
	rec.App.NameLines(applicant)
	return rec, nil
}

// mergeApplication merges a save's changes into rec on the server and
// runs the save's rule on the result, as the desk ran it on its own copy:
// the applicant's (oinp.SaveByApplicant) or the representative's
// (oinp.SaveByRepresentative: a field the applicant filled meanwhile
// stays theirs, and the representative's value is kept as the loser).
func (s Store) mergeApplication(tx *store.Tx, by account.Actor, cmd sync.Command, rec ApplicationRecord, p EditPayload, at time.Time) (sync.Answer, error) {
	ans := store.Applied()
	applicant := cmd.Entity
	form, err := oinp.FormOf(&rec.App)
	if err != nil {
		return ans, domain.Wrap(sync.ErrBadRequest, err)
	}
	st, err := s.stamps(tx, applicant)
	if err != nil {
		return ans, err
	}
	before := form.Values()
	e := editOf(cmd, by, p)
	rep := by.Role == account.Representative
	if rep {
		e.yields = func(x fieldStamp) bool { return x.By == applicant }
	} else {
		e.prevails = func(x fieldStamp) bool { return !x.By.IsZero() && x.By != applicant }
	}
	conflicts := mergeEdits(form, &st, e)
	next, err := rec.App.WithForm(form)
	if err != nil {
		return ans, domain.Wrap(sync.ErrBadRequest, err)
	}
	if err := domain.CleanStrings(&next, store.MaxFormField); err != nil {
		return ans, err
	}
	if rep {
		rec.RepFilled, err = rec.App.SaveByRepresentative(next, rec.signedEmployerForm(), rec.RepFilled)
	} else {
		err = rec.App.SaveByApplicant(next, rec.signedEmployerForm(), rec.RepFilled)
	}
	if err != nil {
		return ans, err
	}
	after, err := oinp.FormOf(&rec.App)
	if err != nil {
		return ans, err
	}
	pruneStamps(&st, before, after.Values())
	rec.Applicant, rec.Updated = applicant, at
	rec.Version++
	if err := s.putApplication(tx, &rec); err != nil {
		return ans, err
	}
	if err := s.putStamps(tx, applicant, st, rec.Version); err != nil {
		return ans, err
	}
	readers, people := []store.Reader{store.AccountReader(applicant)}, []domain.ID{applicant}
	if r, ok := rec.App.ActiveRepresentative(); ok {
		readers, people = append(readers, store.AccountReader(r.Account)), append(people, r.Account)
	}
	if err := s.conflictsOf(tx, &ans, sync.EntityApplication, applicant, readers, people, nil, conflicts, at); err != nil {
		return ans, err
	}
	ans.Version = rec.Version
	return ans, nil
}

// legacyEdits reads a whole form from a desk of before field-level merge
// as its changes from file: its lines, which had no identity, are the
// file's lines at the same places (then named as a file of then would be).
func legacyEdits(file *oinp.Application, form oinp.Application, applicant domain.ID) ([]fields.Edit, error) {
	form.AdoptLines(file)
	form.NameLines(applicant)
	next := *file
	if err := next.SaveByApplicant(form, nil, nil); err != nil {
		return nil, err
	}
	return oinp.EditsOf(file, &next)
}

// employerFormFields reads an Employer Form as its fields: what its
// business's users type (the signing day is the signature's).
func employerFormFields(f *oinp.EmployerForm) (*fields.Form, error) {
	form, err := fields.Read(f, nil)
	if err != nil {
		return nil, err
	}
	form.Drop("signed")
	return form, nil
}

// employerFormEdits is what changed from base to next, field by field.
func employerFormEdits(base, next *oinp.EmployerForm) ([]fields.Edit, error) {
	b, err := employerFormFields(base)
	if err != nil {
		return nil, err
	}
	n, err := employerFormFields(next)
	if err != nil {
		return nil, err
	}
	return fields.Diff(b.Values(), n.Values()), nil
}

// formToEdit reads the Employer Form a save is about on the server (a new
// one, its ID claimed, when there is none).
func (s Store) formToEdit(tx *store.Tx, by account.Actor, id domain.ID) (EmployerFormRecord, error) {
	if tx.Bucket(store.EmployerFormsBucket).Get(id[:]) == nil {
		if err := s.Claim(tx, sync.EntityEmployerForm, id); err != nil {
			return EmployerFormRecord{}, err
		}
	}
	return s.employerFormFor(tx, by, id, true)
}

// mergeEmployerForm merges a save's changes into the form on the server
// and runs the save's rule on the result (employer.FormRecord.Edit: a
// linked form does not change; a changed one is signed again).
func (s Store) mergeEmployerForm(tx *store.Tx, by account.Actor, cmd sync.Command, rec EmployerFormRecord, p EditPayload, now time.Time) (sync.Answer, error) {
	ans := store.Applied()
	form, err := employerFormFields(&rec.Form)
	if err != nil {
		return ans, domain.Wrap(sync.ErrBadRequest, err)
	}
	st, err := s.stamps(tx, rec.ID)
	if err != nil {
		return ans, err
	}
	before := form.Values()
	conflicts := mergeEdits(form, &st, editOf(cmd, by, p))
	var next oinp.EmployerForm
	if err := form.Write(&next); err != nil {
		return ans, domain.Wrap(sync.ErrBadRequest, err)
	}
	if err := domain.CleanStrings(&next, store.MaxFormField); err != nil {
		return ans, err
	}
	if err := rec.Edit(next, now); err != nil {
		return ans, err
	}
	after, err := employerFormFields(&rec.Form)
	if err != nil {
		return ans, err
	}
	pruneStamps(&st, before, after.Values())
	rec.Version++
	if err := s.putEmployerForm(tx, &rec); err != nil {
		return ans, err
	}
	if err := s.putStamps(tx, rec.ID, st, rec.Version); err != nil {
		return ans, err
	}
	readers := []store.Reader{store.OrgReader(rec.Business), store.OrgReader(rec.Unit)}
	if err := s.conflictsOf(tx, &ans, sync.EntityEmployerForm, rec.ID, readers, nil, []domain.ID{rec.Business, rec.Unit}, conflicts, now); err != nil {
		return ans, err
	}
	ans.Version = rec.Version
	return ans, nil
}
