package requests

import (
	"dossier/domain/ens"
	"dossier/store"
)

// mailStudent tells the student, by e-mail, that their request reached an
// end they must know of: the school verified it (with its EVN), rejected
// it (the reason stays in their messages), or it expired unanswered. It
// runs in the transaction that changed the request, so the letter goes if
// and only if the change was kept; on a desk it queues nothing (the
// server's run of the same step does).
func (s Store) mailStudent(tx *store.Tx, old, r *ens.Request) error {
	if !s.SendsMail() || old == nil || old.Status == r.Status || r.StudentAccount.IsZero() {
		return nil
	}
	var kind string
	switch {
	case r.Status == ens.Verified && r.EVN != "":
		kind = "evn.issued"
	case r.Status == ens.Rejected:
		kind = "request.rejected"
	case r.Status == ens.Expired:
		kind = "request.expired"
	default:
		return nil
	}
	school, err := s.InstitutionIn(tx, r.School)
	if err != nil {
		return err
	}
	if kind == "evn.issued" {
		return s.MailAccount(tx, s.Now(), r.StudentAccount, kind, string(r.EVN), school.Name)
	}
	return s.MailAccount(tx, s.Now(), r.StudentAccount, kind, school.Name)
}
