package store

import (
	"testing"
	"time"

	"dossier/domain"
	"dossier/sync"
)

// answer completes a sign-in the server answered with a security
// question, with the answer from testQuestions, as the desk's person
// does.
func answer(sv *Server) func(sync.Tokens, error) (sync.Tokens, error) {
	return func(tok sync.Tokens, err error) (sync.Tokens, error) {
		if err != nil || tok.Challenge == nil {
			return tok, err
		}
		for _, q := range testQuestions {
			if q.Question == tok.Challenge.Question {
				return sv.AnswerSignIn(tok.Challenge.Token, q.Answer, "")
			}
		}
		return sv.AnswerSignIn(tok.Challenge.Token, "unknown question", "")
	}
}

// TestSweepChallenges: the questions and recoveries whose time has
// passed are forgotten by the server's sweep, and only those; the
// question an account is asked stays until it is answered.
func TestSweepChallenges(t *testing.T) {
	sv, clock := signInServer(t)
	tok, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "")
	if err != nil || tok.Challenge == nil {
		t.Fatalf("no question: %v", err)
	}
	for _, user := range []string{"zoe", "nobody.here"} {
		if _, err := sv.RecoverStart(user, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := sv.SweepChallenges(); err != nil || n != 0 {
		t.Fatalf("swept %d live challenges: %v", n, err)
	}
	clock.Add(ChallengeTTL + time.Second)
	fresh, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "")
	if err != nil || fresh.Challenge == nil || fresh.Challenge.Question != tok.Challenge.Question {
		t.Fatalf("asked again after the first timed out: %+v %v", fresh.Challenge, err)
	}
	if n, err := sv.SweepChallenges(); err != nil || n != 3 {
		t.Fatalf("swept %d, want the 3 timed out: %v", n, err)
	}
	if _, err := answer(sv)(fresh, nil); err != nil {
		t.Fatalf("the live challenge after the sweep: %v", err)
	}
}
