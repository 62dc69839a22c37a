package store

import (
	"dossier/domain"
	"dossier/domain/account"
)

// ErrNoProgram is a later officer added before the program's first.
var ErrNoProgram = domain.NewCode("store.program.none", domain.KindConflict)

// AddProgramOfficer creates another program officer, as the server's
// administrator, once the program's first account exists
// (CreateProgramAccount): an internal review is decided by an officer
// other than the one who made the decision (§5.7), so the program has
// several.
func (s *Store) AddProgramOfficer(r account.Registration) (Account, error) {
	c, err := s.NewRegistration(r)
	if err != nil {
		return Account{}, err
	}
	var acct Account
	err = s.db.Update(func(tx *Tx) error {
		if !s.hasRole(tx, account.ProgramOfficer) {
			return domain.Errorf(ErrNoProgram)
		}
		if acct, err = c.Create(s, tx, account.ProgramOfficer); err != nil {
			return err
		}
		return s.Journal(tx, c.Now, Entry{By: acct.Actor(), Action: "account.program-officer", Entity: c.ID,
			Detail: account.ProgramOfficer.Code()})
	})
	return acct, err
}

// AddProgramOfficer creates another program officer on the server.
func (sv *Server) AddProgramOfficer(r account.Registration) (Account, error) {
	return sv.st.AddProgramOfficer(r)
}
