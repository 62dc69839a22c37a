package store

import (
	"errors"

	"dossier/domain"
	"dossier/sync"
)

// Self-assessments are what a person answered to check whether they can
// apply, before an account or beside one: kept sealed on the desk, per
// account and per program, restored when they come back. They never leave
// the desk (no outbox, no feed). Answers given before signing up are kept
// under the zero account, and carried into the account the person then
// registers (AdoptAssessments).

// ErrAssessmentsOnServer refuses self-assessments on the server: they are
// a desk's own.
var ErrAssessmentsOnServer = errors.New("self-assessments are kept on a desk")

// MaxAssessment bounds one program's answers.
const MaxAssessment = 64 << 10

func assessmentKey(acct domain.ID, program string) []byte {
	return append(append([]byte{}, acct[:]...), program...)
}

// SaveAssessment keeps a person's answers to a program's self-assessment
// (acct zero: before signing up), replacing what was kept.
func (s *Store) SaveAssessment(acct domain.ID, program string, answers []byte) error {
	if s.side.server() {
		return ErrAssessmentsOnServer
	}
	if program == "" || len(answers) > MaxAssessment {
		return domain.FieldError(sync.ErrTooLarge, "answers", MaxAssessment)
	}
	return s.db.Update(func(tx *Tx) error {
		return s.PutSealed(BucketOf(tx, AssessmentsBucket), assessmentKey(acct, program), answers)
	})
}

// Assessment returns the answers kept; nil when there are none.
func (s *Store) Assessment(acct domain.ID, program string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *Tx) error {
		_, err := s.GetSealed(BucketOf(tx, AssessmentsBucket), assessmentKey(acct, program), &out)
		return err
	})
	return out, err
}

// AdoptAssessments carries the answers given before signing up into a new
// account, in one transaction: each program's answers move unless the
// account already has its own.
func (s *Store) AdoptAssessments(acct domain.ID) error {
	if acct.IsZero() || s.side.server() {
		return nil
	}
	return s.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, AssessmentsBucket)
		var zero domain.ID
		type kept struct {
			program string
			plain   []byte
		}
		var found []kept
		c := b.Cursor()
		for k, _ := c.Seek(zero[:]); k != nil && len(k) > len(zero) && string(k[:len(zero)]) == string(zero[:]); k, _ = c.Next() {
			var plain []byte
			if _, err := s.GetSealed(b, k, &plain); err != nil {
				return err
			}
			found = append(found, kept{string(k[len(zero):]), plain})
		}
		for _, f := range found {
			if b.Get(assessmentKey(acct, f.program)) == nil {
				if err := s.PutSealed(b, assessmentKey(acct, f.program), f.plain); err != nil {
					return err
				}
			}
			if err := b.Delete(assessmentKey(zero, f.program)); err != nil {
				return err
			}
		}
		return nil
	})
}
