package account

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"dossier/domain"
)

// QuestionCount is how many security questions an enrolment sets [001].
const QuestionCount = 4

// Password and answer limits.
const (
	MinPassword  = 10
	MaxPassword  = 128
	MinAnswer    = 3
	MaxUserIDLen = 64
	MinUserIDLen = 3
)

// SecurityQuestion is one question the person chose and their answer.
type SecurityQuestion struct {
	Question string
	Answer   string
}

// Enrolment is what a person gives to enrol with a PIN [001 step 3]: a
// credential (user ID and password), their names, the PIN, acceptance of the
// terms and four security questions.
type Enrolment struct {
	UserID      string
	Password    string
	GivenNames  string
	FamilyName  string
	PIN         string
	AcceptTerms bool
	Questions   [QuestionCount]SecurityQuestion
	// Lang is the language the person's desk speaks, which their
	// e-mail is written in ("en", "fr-CA"; empty for English).
	Lang string
	// Form is the form their role is written in, in French.
	Form Form
}

// Check cleans the enrolment and checks everything that does not depend on
// the stored PIN. Each fault names its field.
func (e Enrolment) Check() (Enrolment, error) {
	if err := domain.Checks(e.checks()).First(); err != nil {
		return e, err
	}
	return e, nil
}

// Errors is every fault Check would find, at most one per field, for a form
// to show them all at once; the checks are Check's own.
func (e Enrolment) Errors() []error {
	return domain.Checks(e.checks()).All()
}

// checks are Check's checks in its order, each cleaning its field of e.
func (e *Enrolment) checks() []func() error {
	var err error
	checks := []func() error{
		func() error { e.UserID, err = CleanUserID(e.UserID); return err },
		func() error {
			if e.Form, err = ParseForm(string(e.Form)); err != nil {
				return domain.FieldError(ErrUnknownForm, "form")
			}
			return nil
		},
		func() error { return CheckPassword(e.Password, e.UserID) },
		func() error { e.FamilyName, err = domain.CleanName("familyName", e.FamilyName, true); return err },
		func() error { e.GivenNames, err = domain.CleanName("givenNames", e.GivenNames, false); return err },
		func() error { e.PIN, err = ParsePIN(e.PIN); return err },
		func() error {
			if !e.AcceptTerms {
				return domain.FieldError(ErrTermsNotAccepted, "terms")
			}
			return nil
		},
	}
	seen := map[string]bool{}
	for i := range e.Questions {
		q := &e.Questions[i]
		checks = append(checks, func() error {
			var err error
			if q.Question, err = CleanQuestion(i, q.Question); err != nil {
				return err
			}
			key := domain.FoldName(q.Question)
			if seen[key] {
				return domain.FieldError(ErrQuestionRepeated, questionField(i))
			}
			seen[key] = true
			return nil
		}, func() error {
			if utf8.RuneCountInString(NormaliseAnswer(q.Answer)) < MinAnswer {
				return domain.FieldError(ErrAnswerTooShort, answerField(i), MinAnswer)
			}
			return nil
		})
	}
	return checks
}

func questionField(i int) string { return "question" + string(rune('1'+i)) }

// MaxQuestion is the most characters a security question the person writes
// may hold: a sentence.
const MaxQuestion = 200

// CleanQuestion cleans the i-th security question as a line of text
// (invisible characters stripped, spaces folded), on the desk and on the
// server alike: ErrQuestionsCount when it is empty, domain.ErrTextTooLong
// past MaxQuestion.
func CleanQuestion(i int, q string) (string, error) {
	q, err := domain.CleanLine(questionField(i), q, MaxQuestion, false)
	if err != nil {
		return "", err
	}
	if q == "" {
		return "", domain.FieldError(ErrQuestionsCount, questionField(i), QuestionCount)
	}
	return q, nil
}

func answerField(i int) string { return "answer" + string(rune('1'+i)) }

// NormaliseAnswer is the form a security answer is hashed in, so that
// "Côte-des-Neiges" and "cote des neiges" both match.
func NormaliseAnswer(s string) string { return domain.FoldName(s) }

// CleanUserID trims a user ID and checks it: 3 to 64 characters of letters,
// digits and . _ - @. User IDs compare case-insensitively, so the result is
// lower case.
func CleanUserID(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < MinUserIDLen || len(s) > MaxUserIDLen {
		return "", domain.FieldError(ErrUserIDFormat, "userID", MinUserIDLen, MaxUserIDLen)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return "", domain.FieldError(ErrUserIDFormat, "userID", MinUserIDLen, MaxUserIDLen)
		}
	}
	return s, nil
}

// CheckPassword asks for at least MinPassword characters with a letter and
// something that is not a letter, not the user ID itself.
func CheckPassword(pw, userID string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return domain.FieldError(ErrPasswordTooShort, "password", MinPassword)
	case n > MaxPassword:
		return domain.FieldError(ErrPasswordTooLong, "password", MaxPassword)
	case strings.EqualFold(strings.TrimSpace(pw), userID):
		return domain.FieldError(ErrPasswordIsUserID, "password")
	}
	var letter, other bool
	for _, r := range pw {
		if unicode.IsLetter(r) {
			letter = true
		} else if !unicode.IsSpace(r) {
			other = true
		}
	}
	if !letter || !other {
		return domain.FieldError(ErrPasswordWeak, "password")
	}
	return nil
}

// Redeem checks that the stored PIN p may enrol e at now: unused, not
// revoked, not expired, and issued to the same names.
func Redeem(p *PIN, e Enrolment, now time.Time) error {
	if err := p.Usable(now); err != nil {
		return err
	}
	if !p.NamesMatch(e.GivenNames, e.FamilyName) {
		return domain.FieldError(ErrPINNameMismatch, "pin")
	}
	return nil
}

// Registration is how a person with an account of their own (a student in
// MyCIC, the program's first officer) signs up without a PIN: credential,
// names, e-mail, terms and the four security questions.
type Registration struct {
	UserID      string
	Password    string
	GivenNames  string
	FamilyName  string
	Email       string
	AcceptTerms bool
	Questions   [QuestionCount]SecurityQuestion
	// Lang is the language the person's desk speaks, which their
	// e-mail is written in ("en", "fr-CA"; empty for English).
	Lang string
	// Form is the form their role is written in, in French.
	Form Form
}

// Check cleans the registration and checks each field.
func (r Registration) Check() (Registration, error) {
	e, err := r.enrolment().Check()
	if err != nil {
		return r, err
	}
	r.UserID, r.GivenNames, r.FamilyName, r.Questions, r.Form = e.UserID, e.GivenNames, e.FamilyName, e.Questions, e.Form
	if err := r.checkEmail(); err != nil {
		return r, err
	}
	return r, nil
}

// Errors is every fault Check would find, at most one per field, for a form
// to show them all at once; the checks are Check's own.
func (r Registration) Errors() []error {
	errs := r.enrolment().Errors()
	if err := r.checkEmail(); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// enrolment is the registration as an enrolment without a PIN, to share
// its checks.
func (r Registration) enrolment() Enrolment {
	return Enrolment{UserID: r.UserID, Password: r.Password, GivenNames: r.GivenNames,
		FamilyName: r.FamilyName, AcceptTerms: r.AcceptTerms, Questions: r.Questions, PIN: noPIN, Form: r.Form}
}

// checkEmail cleans the optional e-mail.
func (r *Registration) checkEmail() error {
	if r.Email == "" {
		return nil
	}
	var err error
	r.Email, err = domain.CleanEmail("email", r.Email)
	return err
}

// noPIN stands in for the PIN a registration does not have; it passes the
// PIN's format check and is never looked up.
const noPIN = "0000-0000-0000"
