package store

import (
	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// MaxChangesPage is the most changes one page of the feed carries.
const MaxChangesPage = 5000

// MaxChangesPageBytes is the data a page of the feed carries before it
// closes early (with More set): a page holds at least one change, and
// stops at the first that brings it to this bound or past it. A desk
// reads answers up to a bound of its own (client.MaxAnswer), which this
// keeps every page well under, however large the records.
const MaxChangesPageBytes = 8 << 20

// Changes reads one page of the change feed for by: the changes after the
// cursor after that by may read (a school's staff their school's records,
// a student their own), in order. A desk that names another epoch is told
// to start again from the beginning.
func (sv *Server) Changes(by account.Actor, epoch domain.ID, after uint64, limit int) (sync.ChangesResponse, error) {
	out := sync.ChangesResponse{Epoch: sv.st.epoch, Changes: []sync.Change{}}
	if epoch != sv.st.epoch {
		out.Reset, after = true, 0
	}
	out.After = after
	if limit <= 0 || limit > MaxChangesPage {
		limit = MaxChangesPage
	}
	err := sv.st.db.View(func(tx *Tx) error {
		seqs := changeSeqs(tx, by, after, limit+1)
		out.More = len(seqs) > limit
		if out.More {
			seqs = seqs[:limit]
		}
		if after == 0 {
			out.Total = countVisible(tx, by, 0)
		}
		b := BucketOf(tx, changesBucket)
		out.Next = after
		size := 0
		for i, seq := range seqs {
			var c sync.Change
			found, err := sv.st.GetJSON(b, U64(seq), &c)
			if err != nil {
				return err
			}
			out.Next = seq
			if !found {
				continue
			}
			out.Changes = append(out.Changes, c)
			if size += len(c.Data); size >= MaxChangesPageBytes && i < len(seqs)-1 {
				out.More = true
				break
			}
		}
		return nil
	})
	out.HLC = sv.HLC()
	return out, err
}

// Admin steps, for `dossierd admin`: the program acts as the system.

// CreateProgramAccount makes the program's first officer account.
func (sv *Server) CreateProgramAccount(r account.Registration) (Account, error) {
	return sv.st.CreateProgramAccount(r)
}

// CreateInstitution registers a school, as the system.
func (sv *Server) CreateInstitution(in Institution) (Institution, error) {
	return sv.st.CreateInstitution(account.Actor{Role: account.System}, in)
}

// IssueDIRPIN issues the PIN a school's DIR enrols with, as the system.
func (sv *Server) IssueDIRPIN(school domain.ID, given, family string) (string, account.PIN, error) {
	return sv.st.IssuePIN(account.Actor{Role: account.System}, account.PINRequest{Role: account.DIR, Org: school,
		GivenNames: given, FamilyName: family})
}

// Institutions lists the schools.
func (sv *Server) Institutions() ([]Institution, error) { return sv.st.Institutions() }
