package account

import "dossier/domain"

// Form is the grammatical form a person's role is written in, which
// French agrees with the person: « Représentante institutionnelle
// désignée », « Représentant institutionnel désigné », or a neutral
// (épicène) wording, « Personne représentante institutionnelle
// désignée ». The person chooses it; neutral until they do. English has
// one form.
type Form string

// The forms.
const (
	FormNeutral   Form = ""  // the default: an épicène wording
	FormFeminine  Form = "f" // elle
	FormMasculine Form = "m" // il
)

// Forms lists the forms in the order a choice offers them.
var Forms = []Form{FormNeutral, FormFeminine, FormMasculine}

// ErrUnknownForm refuses a form that is none of the three.
var ErrUnknownForm = domain.NewCode("account.form.unknown", domain.KindInvalid)

// ParseForm reads a form as it is stored and sent: "", "n" (neutral),
// "f" or "m".
func ParseForm(s string) (Form, error) {
	switch s {
	case "", "n":
		return FormNeutral, nil
	case "f":
		return FormFeminine, nil
	case "m":
		return FormMasculine, nil
	}
	return FormNeutral, domain.Errorf(ErrUnknownForm)
}

// Code is the form's letter in catalog keys: n, f or m.
func (f Form) Code() string {
	if f == FormNeutral {
		return "n"
	}
	return string(f)
}

// MessageKey is the catalog key of the form's name, as a choice shows it.
func (f Form) MessageKey() string { return "account.form." + f.Code() }

// RoleAs is a role written in a person's form: the catalog key
// "account.role.<role>.<form>".
type RoleAs struct {
	Role Role
	Form Form
}

// MessageKey is the catalog key of the role in the form.
func (r RoleAs) MessageKey() string { return r.Role.MessageKey() + "." + r.Form.Code() }
