package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/sync"
)

// serverSignIn signs a person in to the server's store as a desk does:
// the password, then the answer to the question it asks.
func serverSignIn(ts *testServer, user, pw string, device domain.ID) (sync.Tokens, error) {
	tok, err := ts.sv.SignIn(user, pw, device, "", "")
	if err != nil || tok.Challenge == nil {
		return tok, err
	}
	answer, _ := answerer(context.Background(), tok.Challenge.Question)
	return ts.sv.AnswerSignIn(tok.Challenge.Token, answer, "")
}

// rawSignIn signs in through the HTTP API, question included.
func rawSignIn(t *testing.T, ts *testServer, in sync.SignInRequest) sync.Tokens {
	t.Helper()
	var tok sync.Tokens
	if code := rawCall(t, ts, "POST", "/v1/signin", "", in, &tok); code != 200 || tok.Challenge == nil {
		t.Fatalf("sign-in %s: HTTP %d, question %v", in.UserID, code, tok.Challenge)
	}
	if tok.Access != "" {
		t.Fatalf("sign-in %s: a token before the question was answered", in.UserID)
	}
	answer, _ := answerer(context.Background(), tok.Challenge.Question)
	ch := tok.Challenge
	tok = sync.Tokens{}
	if code := rawCall(t, ts, "POST", "/v1/signin/answer", "", sync.AnswerRequest{Challenge: ch.Token, Answer: answer}, &tok); code != 200 || tok.Access == "" {
		t.Fatalf("answer %s: HTTP %d", in.UserID, code)
	}
	return tok
}

// questionStudent registers a student on a desk of its own and signs them
// in to the server, and returns a second, new desk to sign in from.
func questionStudent(t *testing.T, ts *testServer, user string) *desk {
	t.Helper()
	home := newDesk(t, ts, "home")
	home.student(user, "Élodie", "Côté")
	return newDesk(t, ts, "library")
}

// TestSignInAsksASecurityQuestion: a right password gets one of the
// person's four questions from the server, not tokens; a wrong answer is
// refused and gives no token; asking again gets the same question, never
// another; the right answer signs the person in, and the desk then syncs.
func TestSignInAsksASecurityQuestion(t *testing.T) {
	ts := startServer(t)
	lib := questionStudent(t, ts, "eleve.q")
	ctx := t.Context()

	ch, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.q", password)
	if err != nil || ch == nil {
		t.Fatalf("a right password: question %v, %v", ch, err)
	}
	if !slices.ContainsFunc(questions[:], func(q account.SecurityQuestion) bool { return q.Question == ch.Question }) {
		t.Fatalf("asked %q, none of the person's questions", ch.Question)
	}
	if lib.c.Status().SignedIn {
		t.Fatal("signed in before answering")
	}
	err = lib.c.SignInAnswer(ctx, ch, "eleve.q", password, "not the answer")
	if !errors.Is(err, store.ErrQuestionWrong) {
		t.Fatalf("a wrong answer: %v", err)
	}
	if lib.c.Status().SignedIn {
		t.Fatal("signed in after a wrong answer")
	}
	for range 4 {
		again, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.q", password)
		if err != nil || again == nil || again.Question != ch.Question {
			t.Fatalf("asked again: %v (first %q), %v", again, ch.Question, err)
		}
		ch = again
	}
	answer, _ := answerer(ctx, ch.Question)
	if err := lib.c.SignInAnswer(ctx, ch, "eleve.q", password, "  "+answer+" "); err != nil {
		t.Fatalf("the right answer (spaced): %v", err)
	}
	if !lib.c.Status().SignedIn {
		t.Fatal("not signed in after the right answer")
	}
	if err := lib.c.Sync(ctx); err != nil {
		t.Fatalf("sync after the question: %v", err)
	}
	// The challenge was used: answering it again gets nothing.
	if err := lib.c.SignInAnswer(ctx, ch, "eleve.q", password, answer); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a used challenge: %v", err)
	}
	// A forged challenge, likewise.
	if _, err := ts.sv.AnswerSignIn("forged", answer, "127.0.0.1:1"); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a forged challenge: %v", err)
	}
}

// TestWrongAnswersDelink: a wrong answer counts as a wrong password, and a
// right password in between does not wipe the count: a wrong password
// and two wrong answers de-link the enrolment, from every computer.
func TestWrongAnswersDelink(t *testing.T) {
	ts := startServer(t)
	lib := questionStudent(t, ts, "eleve.d")
	ctx := t.Context()

	if _, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.d", "wrong password 9"); !errors.Is(err, account.ErrSignInFailed) {
		t.Fatalf("a wrong password: %v", err)
	}
	for i, want := range []domain.Code{store.ErrQuestionWrong, account.ErrDelinked} {
		ch, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.d", password)
		if err != nil || ch == nil {
			t.Fatalf("try %d: the right password: %v", i, err)
		}
		if err := lib.c.SignInAnswer(ctx, ch, "eleve.d", password, "a guess"); !errors.Is(err, want) {
			t.Fatalf("try %d: wrong answer: %v, want %s", i, err, want)
		}
	}
	if _, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.d", password); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("after the third failure: %v", err)
	}
}
