package account

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"dossier/domain"
)

var (
	schoolA = domain.ID{1}
	schoolB = domain.ID{2}
	t0      = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	officer = Actor{Account: domain.ID{10}, Role: ProgramOfficer}
	dirA    = Actor{Account: domain.ID{11}, Role: DIR, Org: schoolA}
	sigA    = Actor{Account: domain.ID{12}, Role: Signatory, Org: schoolA}
)

func TestWhoIssuesPINs(t *testing.T) {
	code, err := NewPINCode(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		by   Actor
		req  PINRequest
		want domain.Code
	}{
		{"program issues a DIR's", officer, PINRequest{Role: DIR, Org: schoolA}, ""},
		{"DIR issues a signatory's", dirA, PINRequest{Role: Signatory, Org: schoolA, FamilyName: "Roy"}, ""},
		{"DIR of another school", dirA, PINRequest{Role: Signatory, Org: schoolB}, ErrOtherOrganisation},
		{"signatory cannot issue", sigA, PINRequest{Role: Signatory, Org: schoolA}, ErrForbidden},
		{"DIR cannot make a DIR", dirA, PINRequest{Role: DIR, Org: schoolA}, ErrForbidden},
		{"no PINs for students", officer, PINRequest{Role: Student, Org: schoolA}, ErrPINRole},
		{"validity too long", dirA, PINRequest{Role: Signatory, Org: schoolA, Validity: 200 * 24 * time.Hour}, ErrPINValidity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := IssuePIN(tt.by, tt.req, domain.ID{20}, code, 2, t0, DefaultPolicy)
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err == nil && (!p.Expires.Equal(t0.Add(DefaultPolicy.PINValidity)) || p.Desk != 2 || p.IssuedBy != tt.by.Account) {
				t.Fatalf("pin %+v", p)
			}
		})
	}
}

func TestPINCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		code, err := NewPINCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if seen[code] {
			t.Fatalf("repeated PIN %s", code)
		}
		seen[code] = true
		got, err := ParsePIN(" " + code[:4] + code[5:] + " ")
		if err != nil || got != code {
			t.Fatalf("ParsePIN(%q) = %q %v", code, got, err)
		}
		typo := []byte(code)
		if typo[0] == 'A' {
			typo[0] = 'B'
		} else {
			typo[0] = 'A'
		}
		if _, err := ParsePIN(string(typo)); !errors.Is(err, ErrPINCheck) {
			t.Fatalf("typo %q: %v", typo, err)
		}
	}
	for _, bad := range []string{"", "ABCD", "ABCD-EFGH-JKMN-P", "ABCD-EFGH-JK!N"} {
		if _, err := ParsePIN(bad); !errors.Is(err, ErrPINFormat) {
			t.Errorf("ParsePIN(%q): %v", bad, err)
		}
	}
}

func TestRedeem(t *testing.T) {
	base := PIN{Role: Signatory, Org: schoolA, GivenNames: "Zoé", FamilyName: "Gagnon", Issued: t0, Expires: t0.Add(48 * time.Hour)}
	e := Enrolment{GivenNames: "ZOE", FamilyName: "gagnon"}
	used, revoked := base, base
	used.Used = t0
	revoked.Revoked = t0
	tests := []struct {
		name string
		p    PIN
		e    Enrolment
		at   time.Time
		want domain.Code
	}{
		{"fresh, names folded", base, e, t0.Add(time.Hour), ""},
		{"used once already", used, e, t0.Add(time.Hour), ErrPINUsed},
		{"revoked", revoked, e, t0.Add(time.Hour), ErrPINRevoked},
		{"expired", base, e, t0.Add(48 * time.Hour), ErrPINExpired},
		{"someone else", base, Enrolment{GivenNames: "Luc", FamilyName: "Gagnon"}, t0, ErrPINNameMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Redeem(&tt.p, tt.e, tt.at); domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func goodEnrolment(t *testing.T) Enrolment {
	code, err := NewPINCode(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return Enrolment{UserID: " Zoe.Gagnon ", Password: "correct horse 7", GivenNames: "Zoé", FamilyName: "Gagnon",
		PIN: code, AcceptTerms: true, Questions: [4]SecurityQuestion{
			{Question: "First pet?", Answer: "Minou"}, {Question: "Street you grew up on?", Answer: "Côte-des-Neiges"},
			{Question: "Favourite teacher?", Answer: "Mme Roy"}, {Question: "First car?", Answer: "Civic"}}}
}

func TestEnrolmentCheck(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Enrolment)
		want domain.Code
	}{
		{"complete", func(*Enrolment) {}, ""},
		{"terms refused", func(e *Enrolment) { e.AcceptTerms = false }, ErrTermsNotAccepted},
		{"three questions", func(e *Enrolment) { e.Questions[3] = SecurityQuestion{} }, ErrQuestionsCount},
		{"same question twice", func(e *Enrolment) { e.Questions[1].Question = "first PET?" }, ErrQuestionRepeated},
		{"short answer", func(e *Enrolment) { e.Questions[2].Answer = " a " }, ErrAnswerTooShort},
		{"short password", func(e *Enrolment) { e.Password = "abc123" }, ErrPasswordTooShort},
		{"letters only", func(e *Enrolment) { e.Password = "correcthorsebattery" }, ErrPasswordWeak},
		{"password is user ID", func(e *Enrolment) { e.UserID = "zoe.gagnon1"; e.Password = "ZOE.GAGNON1" }, ErrPasswordIsUserID},
		{"user ID with spaces", func(e *Enrolment) { e.UserID = "zoe gagnon" }, ErrUserIDFormat},
		{"mistyped PIN", func(e *Enrolment) { e.PIN = e.PIN[:13] + "0" + e.PIN[14:] }, ErrPINCheck},
		{"no family name", func(e *Enrolment) { e.FamilyName = "" }, domain.ErrNameRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := goodEnrolment(t)
			before := e.PIN
			tt.edit(&e)
			if tt.name == "mistyped PIN" && e.PIN == before {
				t.Skip("the random PIN already ended in 0")
			}
			got, err := e.Check()
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err == nil && got.UserID != "zoe.gagnon" {
				t.Fatalf("user ID not cleaned: %q", got.UserID)
			}
		})
	}
}

func TestThreeFailuresDelink(t *testing.T) {
	hash, err := HashSecret("right password 1", TestSecretParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := Credential{UserID: "zoe", PasswordHash: hash}
	c, err = SignIn(c, "wrong", t0, DefaultPolicy)
	if !errors.Is(err, ErrSignInFailed) || c.Failures != 1 {
		t.Fatalf("first failure: %v %d", err, c.Failures)
	}
	if c, err = SignIn(c, "right password 1", t0, DefaultPolicy); err != nil || c.Failures != 0 {
		t.Fatalf("a success resets the count: %v %d", err, c.Failures)
	}
	for i := 1; i <= 2; i++ {
		if c, err = SignIn(c, "wrong", t0, DefaultPolicy); !errors.Is(err, ErrSignInFailed) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if c, err = SignIn(c, "wrong", t0.Add(time.Minute), DefaultPolicy); !errors.Is(err, ErrDelinked) || !c.Delinked.Equal(t0.Add(time.Minute)) {
		t.Fatalf("third failure: %v %v", err, c.Delinked)
	}
	if _, err = SignIn(c, "right password 1", t0.Add(time.Hour), DefaultPolicy); !errors.Is(err, ErrDelinked) {
		t.Fatalf("right password after de-link: %v", err)
	}
	c = Relink(c, "zoe", hash)
	if _, err = SignIn(c, "right password 1", t0.Add(2*time.Hour), DefaultPolicy); err != nil {
		t.Fatalf("after a new PIN: %v", err)
	}
}

func TestSecretHash(t *testing.T) {
	h, err := HashSecret("s3cret!", TestSecretParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !SecretMatches(h, "s3cret!") || SecretMatches(h, "s3cret") || SecretMatches("garbage", "s3cret!") {
		t.Fatal("hash matching is wrong")
	}
	h2, _ := HashSecret("s3cret!", TestSecretParams, rand.Reader)
	if h == h2 {
		t.Fatal("two hashes of one secret are equal: the salt is not random")
	}
}

func TestInactivity(t *testing.T) {
	s := NewSession(dirA, t0)
	tests := []struct {
		after time.Duration
		want  SessionState
	}{{0, Active}, {18*time.Minute + 59*time.Second, Active}, {19 * time.Minute, Warning},
		{19*time.Minute + 59*time.Second, Warning}, {20 * time.Minute, Locked}}
	for _, tt := range tests {
		if got, _ := s.State(t0.Add(tt.after), DefaultPolicy); got != tt.want {
			t.Errorf("after %v: %v, want %v", tt.after, got, tt.want)
		}
	}
	s.Touch(t0.Add(15 * time.Minute))
	if got, left := s.State(t0.Add(30*time.Minute), DefaultPolicy); got != Active || left != 5*time.Minute {
		t.Fatalf("after touch: %v %v", got, left)
	}
	s.Touch(t0) // a clock that steps back does not shorten the session
	if s.LastActivity != t0.Add(15*time.Minute) {
		t.Fatal("touch went backwards")
	}
}

func TestAuthorize(t *testing.T) {
	if err := Authorize(sigA, WorkQueue, schoolA); err != nil {
		t.Fatal(err)
	}
	if err := Authorize(sigA, WorkQueue, schoolB); !errors.Is(err, ErrOtherOrganisation) {
		t.Fatalf("other school: %v", err)
	}
	if err := Authorize(sigA, IssueSignatoryPIN, schoolA); !errors.Is(err, ErrForbidden) {
		t.Fatalf("signatory issuing: %v", err)
	}
	if err := Authorize(officer, IssueDIRPIN, schoolB); err != nil {
		t.Fatalf("program across schools: %v", err)
	}
	for _, r := range Roles {
		if !r.Valid() || r.Code() == "" {
			t.Errorf("role %d has no code", r)
		}
		if got, err := ParseRole(r.Code()); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v %v", r.Code(), got, err)
		}
	}
}

// TestEmployerPINs: the primary user issues branch PINs for their own
// business; primary and branch primary users issue secondary users' PINs
// (a branch primary for their branch only, with names); a secondary user
// issues none.
func TestEmployerPINs(t *testing.T) {
	biz, other, branch, otherBranch := domain.ID{10}, domain.ID{11}, domain.ID{12}, domain.ID{13}
	primary := Actor{Account: domain.ID{1}, Role: EmployerPrimary, Org: biz}
	branchPrimary := Actor{Account: domain.ID{2}, Role: BranchPrimary, Org: branch}
	secondary := Actor{Account: domain.ID{3}, Role: EmployerSecondary, Org: biz}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	code, err := NewPINCode(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		by   Actor
		req  PINRequest
		want domain.Code
	}{
		{"primary, a branch of theirs", primary, PINRequest{Role: BranchPrimary, Org: branch, Parent: biz}, ""},
		{"primary, another business's branch", primary, PINRequest{Role: BranchPrimary, Org: otherBranch, Parent: other}, ErrOtherOrganisation},
		{"branch primary, a branch", branchPrimary, PINRequest{Role: BranchPrimary, Org: otherBranch, Parent: biz}, ErrForbidden},
		{"primary, a secondary user", primary, PINRequest{Role: EmployerSecondary, Org: biz, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ""},
		{"primary, a secondary user of a branch", primary, PINRequest{Role: EmployerSecondary, Org: branch, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ""},
		{"branch primary, their branch", branchPrimary, PINRequest{Role: EmployerSecondary, Org: branch, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ""},
		{"branch primary, the main office", branchPrimary, PINRequest{Role: EmployerSecondary, Org: biz, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ErrOtherOrganisation},
		{"branch primary, another branch", branchPrimary, PINRequest{Role: EmployerSecondary, Org: otherBranch, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ErrOtherOrganisation},
		{"a secondary user without names", primary, PINRequest{Role: EmployerSecondary, Org: biz, Parent: biz}, domain.ErrRequired},
		{"secondary, a secondary user", secondary, PINRequest{Role: EmployerSecondary, Org: biz, Parent: biz, GivenNames: "Ana", FamilyName: "Silva"}, ErrForbidden},
		{"secondary, a branch", secondary, PINRequest{Role: BranchPrimary, Org: branch, Parent: biz}, ErrForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := IssuePIN(c.by, c.req, domain.ID{99}, code, 0, now, DefaultPolicy)
			if got := domain.ErrorCode(err); c.want == "" && err != nil || c.want != "" && got != c.want {
				t.Fatalf("%v, want %q", err, c.want)
			}
		})
	}
}

// TestServerPausesInsteadOfDelinking: under a policy that pauses, the
// third failure pauses sign-in (the right password included) until the
// pause lifts; the owner then signs in, and each pause that follows
// another without a success doubles, up to the longest.
func TestServerPausesInsteadOfDelinking(t *testing.T) {
	hash, err := HashSecret("right password 1", TestSecretParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pol := DefaultPolicy
	pol.PauseFor, pol.MaxPause = 15*time.Minute, time.Hour
	c := Credential{UserID: "zoe", PasswordHash: hash}
	fail3 := func(at time.Time) {
		t.Helper()
		for i := 1; i <= 2; i++ {
			if c, err = SignIn(c, "wrong", at, pol); !errors.Is(err, ErrSignInRetry) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if c, err = SignIn(c, "wrong", at, pol); !errors.Is(err, ErrSignInPaused) {
			t.Fatalf("third failure: %v", err)
		}
	}
	fail3(t0)
	if !c.Delinked.IsZero() || !c.PausedUntil.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("paused until %v, de-linked %v", c.PausedUntil, c.Delinked)
	}
	if _, err := SignIn(c, "right password 1", t0.Add(14*time.Minute), pol); !errors.Is(err, ErrSignInPaused) {
		t.Fatalf("right password during the pause: %v", err)
	}
	// Pauses double: 15 min, 30 min, 1 h, then 1 h again (the longest).
	at := t0.Add(15 * time.Minute)
	for _, want := range []time.Duration{30 * time.Minute, time.Hour, time.Hour} {
		fail3(at)
		if got := c.PausedUntil.Sub(at); got != want {
			t.Fatalf("pause of %v, want %v", got, want)
		}
		at = c.PausedUntil
	}
	if c, err = SignIn(c, "right password 1", at, pol); err != nil {
		t.Fatalf("the owner after the pause: %v", err)
	}
	if c.Pauses != 0 || !c.PausedUntil.IsZero() || c.Failures != 0 {
		t.Fatalf("a success resets the pauses: %+v", c)
	}
	fail3(at)
	if got := c.PausedUntil.Sub(at); got != 15*time.Minute {
		t.Fatalf("first pause after a success: %v", got)
	}
}

// TestCleanQuestion: a security question is a line of text, cleaned alike
// on the desk and on the server: spaces folded, invisible characters
// stripped, none empty, none past MaxQuestion.
func TestCleanQuestion(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		code           domain.Code
	}{
		{"folded", "  First   pet?\n", "First pet?", ""},
		{"invisible characters", "First\u202e pet?", "First pet?", ""},
		{"empty", " \t ", "", ErrQuestionsCount},
		{"a sentence", strings.Repeat("a", MaxQuestion), strings.Repeat("a", MaxQuestion), ""},
		{"too long", strings.Repeat("a", MaxQuestion+1), "", domain.ErrTextTooLong},
		{"megabytes", strings.Repeat("a", 1<<20), "", domain.ErrTextTooLong},
	} {
		got, err := CleanQuestion(0, c.in)
		if domain.ErrorCode(err) != c.code || err == nil && got != c.want {
			t.Errorf("%s: %q %v, want %q %s", c.name, got, err, c.want, c.code)
		}
	}
}
