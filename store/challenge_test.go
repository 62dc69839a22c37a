package store

import (
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
