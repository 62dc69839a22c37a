package sync

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
)

// RaisePayload is the payload of KindRaiseRequest: the request as the
// student raised it, checked and cleaned, and when.
type RaisePayload struct {
	Raise ens.Raise `json:"raise"`
	At    time.Time `json:"at"`
}

// ApplyPayload is the payload of KindApplyFunction: the function with its
// arguments (the EVN a Verify issued among them), and when.
type ApplyPayload struct {
	Action ens.Action `json:"action"`
	At     time.Time  `json:"at"`
	// Changed names the form fields the action changed (notes, student
	// number, a check, the assignee): the server merges those, field by
	// field, and leaves the others as it has them.
	Changed []string `json:"changed,omitempty"`
}

// IssuePINPayload is the payload of KindIssuePIN. The PIN's text never
// travels; its hash does.
type IssuePINPayload struct {
	PIN account.PIN `json:"pin"`
	// Locator is account.PINLocator of the code, so that the server can
	// find this PIN when someone enrols with it.
	Locator [2]byte `json:"locator"`
}

// EnrolPayload is the payload of KindEnrol: the new account, with its
// password and answers already hashed.
type EnrolPayload struct {
	Account    domain.ID                           `json:"account"`
	PIN        domain.ID                           `json:"pin"`
	UserID     string                              `json:"userID"`
	GivenNames string                              `json:"givenNames"`
	FamilyName string                              `json:"familyName"`
	Password   string                              `json:"passwordHash"`
	Questions  [account.QuestionCount]HashedAnswer `json:"questions"`
	At         time.Time                           `json:"at"`
	// PINCode is the PIN the person typed, which the server checks
	// against its own record of the PIN (an enrolment made offline is
	// only proved by it). Absent from a registration, which needs none.
	PINCode string `json:"pinCode,omitempty"`
	Email   string `json:"email,omitempty"`
	// Role is the role a person registers for themselves: absent for a
	// student, "applicant" for an OINP applicant.
	Role string `json:"role,omitempty"`
	// Lang is the language the person's desk speaks ("en", "fr-CA"),
	// which their letters are written in; absent from an old desk
	// (English).
	Lang string `json:"lang,omitempty"`
	// Form is the form the person's role is written in, in French
	// (account.Form: "f", "m"; absent for the neutral wording).
	Form string `json:"form,omitempty"`
}

// HashedAnswer is a security question with its answer hashed.
type HashedAnswer struct {
	Question   string `json:"question"`
	AnswerHash string `json:"answerHash"`
}

// RevokePayload is the payload of KindRevoke.
type RevokePayload struct {
	Account domain.ID `json:"account"`
	At      time.Time `json:"at"`
}
