package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/storetest"
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

// TestChangeCredentialNeedsPasswordAndAnswer: a change of user ID and
// password takes the current password, then the server's security
// question; a wrong one of either is refused. The change ends every
// token of the account: the person's other computer must sign in again,
// with the new credential (the old one no longer signs in), while the
// computer that made the change goes on.
func TestChangeCredentialNeedsPasswordAndAnswer(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.student("eleve.c", "Élodie", "Côté")
	lib := newDesk(t, ts, "library")
	if err := lib.c.SignIn(t.Context(), domain.ID{}, "eleve.c", password); err != nil {
		t.Fatal(err)
	}
	lib.sync()
	ctx := t.Context()

	if _, err := home.c.CredentialStart(ctx, "not my password 1"); !errors.Is(err, account.ErrSignInFailed) {
		t.Fatalf("a wrong current password: %v", err)
	}
	ch, err := home.c.CredentialStart(ctx, password)
	if err != nil || ch.Question == "" {
		t.Fatalf("the current password: %v %v", ch, err)
	}
	const newUser, newPassword = "elodie.cote", "a brand new password 7"
	if err := home.c.ChangeCredential(ctx, ch, "a guess", newUser, newPassword); !errors.Is(err, store.ErrQuestionWrong) {
		t.Fatalf("a wrong answer: %v", err)
	}
	answer, _ := answerer(ctx, ch.Question)
	if err := home.c.ChangeCredential(ctx, ch, answer, newUser, "short"); !errors.Is(err, account.ErrPasswordTooShort) {
		t.Fatalf("a password the rule refuses: %v", err)
	}
	// A sign-in's challenge does not change a credential, nor the other
	// way round.
	signIn, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.c", password)
	if err != nil || signIn == nil {
		t.Fatal(err)
	}
	if err := home.c.ChangeCredential(ctx, signIn, answer, newUser, newPassword); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a sign-in's challenge used for a change: %v", err)
	}
	if err := lib.c.SignInAnswer(ctx, ch, "eleve.c", password, answer); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a change's challenge used for a sign-in: %v", err)
	}
	if err := home.c.ChangeCredential(ctx, ch, answer, newUser, newPassword); err != nil {
		t.Fatalf("the change: %v", err)
	}
	home.sync() // the computer that made it goes on, with new tokens
	if _, _, err := home.st.SignIn(newUser, newPassword); err != nil {
		t.Fatalf("the new credential on the desk that made the change: %v", err)
	}
	if err := lib.c.Sync(ctx); err == nil {
		t.Fatal("the other computer's old tokens still work")
	}
	if _, err := serverSignIn(ts, "eleve.c", password, domain.ID{}); err == nil {
		t.Fatal("the old credential still signs in")
	}
	if _, err := serverSignIn(ts, newUser, newPassword, domain.ID{}); err != nil {
		t.Fatalf("the new credential: %v", err)
	}
}

// recoveryStudent registers a student with an e-mail address on a desk
// of their own, online.
func recoveryStudent(t *testing.T, ts *testServer, user, email string) {
	t.Helper()
	d := newDesk(t, ts, "home-"+user)
	a, err := d.st.RegisterStudent(account.Registration{UserID: user, Password: password, GivenNames: "Élodie",
		FamilyName: "Côté", Email: email, AcceptTerms: true, Questions: questions})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.c.SignIn(t.Context(), a.ID, user, password); err != nil {
		t.Fatal(err)
	}
}

// mailed is the recovery letters the server's outbox holds.
func mailed(t *testing.T, ts *testServer) []store.Mail {
	t.Helper()
	all, err := ts.sv.Store().DueMail(time.Now().Add(24*time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Mail
	for _, m := range all {
		if m.Kind == "account.recovery.code" {
			out = append(out, m)
		}
	}
	return out
}

// TestForgotPasswordByMail: the user ID, the security question, a code
// mailed to the address on file, a new password. An unknown user ID gets
// the same answers as a known one with a wrong answer (a question, the
// same each time; "sent"), after as long, and nothing is mailed; the code
// works once; a wrong code counts; the old password no longer signs in.
func TestForgotPasswordByMail(t *testing.T) {
	ts := startServer(t)
	recoveryStudent(t, ts, "eleve.r", "eleve.r@example.ca")
	recoveryStudent(t, ts, "eleve.t", "eleve.t@example.ca")
	lib := newDesk(t, ts, "library")
	ctx := t.Context()

	known, err := lib.c.RecoverStart(ctx, "eleve.r")
	if err != nil || known.Question == "" {
		t.Fatalf("a known user ID: %v %v", known, err)
	}
	unknown, err := lib.c.RecoverStart(ctx, "nobody.here")
	if err != nil || unknown.Question == "" {
		t.Fatalf("an unknown user ID: %v %v", unknown, err)
	}
	for _, c := range []struct {
		user string
		ch   *sync.SignInChallenge
	}{{"eleve.r", known}, {"nobody.here", unknown}} {
		again, err := lib.c.RecoverStart(ctx, c.user)
		if err != nil || again.Question != c.ch.Question {
			t.Fatalf("%s asked again: %q, was %q (%v)", c.user, again.Question, c.ch.Question, err)
		}
	}

	// Wrong answers for a known user ID, and any for an unknown one: the
	// same answer, after about as long, and no letter.
	timing, err := lib.c.RecoverStart(ctx, "eleve.t")
	if err != nil {
		t.Fatal(err)
	}
	var tKnown, tUnknown []time.Duration
	for range 5 {
		t0 := time.Now()
		if err := lib.c.RecoverAnswer(ctx, timing, "a guess"); err != nil {
			t.Fatalf("a wrong answer: %v", err)
		}
		t1 := time.Now()
		if err := lib.c.RecoverAnswer(ctx, unknown, "a guess"); err != nil {
			t.Fatalf("an unknown user ID's answer: %v", err)
		}
		tKnown, tUnknown = append(tKnown, t1.Sub(t0)), append(tUnknown, time.Since(t1))
	}
	slices.Sort(tKnown)
	slices.Sort(tUnknown)
	if k, u := tKnown[2], tUnknown[2]; k > 3*u+20*time.Millisecond || u > 3*k+20*time.Millisecond {
		t.Errorf("a known user ID's wrong answer took %v, an unknown one's %v", k, u)
	}
	if m := mailed(t, ts); len(m) != 0 {
		t.Fatalf("mailed after wrong answers: %d", len(m))
	}

	answer, _ := answerer(ctx, known.Question)
	if err := lib.c.RecoverAnswer(ctx, known, answer); err != nil {
		t.Fatalf("the right answer: %v", err)
	}
	m := mailed(t, ts)
	if len(m) != 1 || m[0].To != "eleve.r@example.ca" || len(m[0].Args) != 1 || len(m[0].Args[0]) != 8 {
		t.Fatalf("the letter: %+v", m)
	}
	code := m[0].Args[0]
	wrong := "00000000"
	if code == wrong {
		wrong = "11111111"
	}
	if err := lib.c.RecoverReset(ctx, known, wrong, "a recovered password 8"); !errors.Is(err, store.ErrRecoveryCode) {
		t.Fatalf("a wrong code: %v", err)
	}
	if err := lib.c.RecoverReset(ctx, known, code, "short"); !errors.Is(err, account.ErrPasswordTooShort) {
		t.Fatalf("a password the rule refuses: %v", err)
	}
	if err := lib.c.RecoverReset(ctx, unknown, code, "a recovered password 8"); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("the code on the unknown user ID's recovery: %v", err)
	}
	if err := lib.c.RecoverReset(ctx, known, code[:4]+" "+code[4:], "a recovered password 8"); err != nil {
		t.Fatalf("the right code: %v", err)
	}
	if err := lib.c.RecoverReset(ctx, known, code, "another password 9"); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("the code used again: %v", err)
	}
	if _, err := serverSignIn(ts, "eleve.r", password, domain.ID{}); err == nil {
		t.Fatal("the forgotten password still signs in")
	}
	if err := lib.c.SignIn(ctx, domain.ID{}, "eleve.r", "a recovered password 8"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	if _, _, err := lib.st.SignIn("eleve.r", "a recovered password 8"); err != nil {
		t.Fatalf("the new password on the desk: %v", err)
	}
}

// TestRecoveryCodeExpires: a code mailed more than RecoveryCodeTTL ago
// sets no password, and a sign-in's question unanswered for ChallengeTTL
// is answered in vain: the clock is the server's.
func TestRecoveryCodeExpires(t *testing.T) {
	ts := startServer(t)
	clock := storetest.NewClock(time.Now().UTC().Truncate(time.Second))
	ts.opt.Store.Now = clock.Now
	ts.restart()
	recoveryStudent(t, ts, "eleve.x", "eleve.x@example.ca")
	lib := newDesk(t, ts, "library")
	ctx := t.Context()

	ch, err := lib.c.RecoverStart(ctx, "eleve.x")
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := answerer(ctx, ch.Question)
	if err := lib.c.RecoverAnswer(ctx, ch, answer); err != nil {
		t.Fatal(err)
	}
	m := mailed(t, ts)
	if len(m) != 1 {
		t.Fatalf("letters: %d", len(m))
	}
	clock.Add(store.RecoveryCodeTTL + time.Second)
	if err := lib.c.RecoverReset(ctx, ch, m[0].Args[0], "a recovered password 8"); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a code past its time: %v", err)
	}

	q, err := lib.c.SignInStart(ctx, domain.ID{}, "eleve.x", password)
	if err != nil || q == nil {
		t.Fatal(err)
	}
	clock.Add(store.ChallengeTTL + time.Second)
	answer, _ = answerer(ctx, q.Question)
	if err := lib.c.SignInAnswer(ctx, q, "eleve.x", password, answer); !errors.Is(err, store.ErrChallengeExpired) {
		t.Fatalf("a question past its time: %v", err)
	}
}
