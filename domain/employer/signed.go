package employer

import (
	"crypto/ed25519"
	"encoding/json"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
)

// SignedForm is an Employer Form as its employer signed it: the business,
// the form, who signed and when, and an Ed25519 signature over all of it
// with the signer's key. It travels to the applicant through sync, or as
// a file when they are offline; any edit of the file breaks the signature.
type SignedForm struct {
	Schema     int               `json:"schema"`
	FormID     domain.ID         `json:"formID"`
	Business   domain.ID         `json:"business"`
	BN         BusinessNumber    `json:"bn"`
	LegalName  string            `json:"legalName"`
	Form       oinp.EmployerForm `json:"form"`
	Signer     domain.ID         `json:"signer"`
	SignerName string            `json:"signerName"`
	SignedAt   time.Time         `json:"signedAt"`
	PublicKey  []byte            `json:"publicKey"`
	Signature  []byte            `json:"signature,omitempty"`
}

// SignedFormSchema is the version of the signed form's file.
const SignedFormSchema = 1

// ErrFormTampered is a signed Employer Form whose content no longer
// matches its signature: it was edited after signing, or is not one.
var ErrFormTampered = domain.NewCode("employer.form.tampered", domain.KindInvalid)

// signedBytes are the bytes the signature covers: the form as JSON,
// without the signature.
func (s SignedForm) signedBytes() []byte {
	s.Signature = nil
	b, _ := json.Marshal(s)
	return b
}

// Sign signs the form with the signer's private key.
func (s SignedForm) Sign(key ed25519.PrivateKey) SignedForm {
	s.Schema = SignedFormSchema
	s.PublicKey = key.Public().(ed25519.PublicKey)
	s.Signature = ed25519.Sign(key, s.signedBytes())
	return s
}

// Verify refuses a signed form whose content was changed after signing.
// It proves the content is what the key's holder signed; that the key is
// the business's is checked against the program's record of its keys.
func (s SignedForm) Verify() error {
	if s.Schema != SignedFormSchema || len(s.PublicKey) != ed25519.PublicKeySize ||
		!ed25519.Verify(s.PublicKey, s.signedBytes(), s.Signature) {
		return domain.Errorf(ErrFormTampered)
	}
	return nil
}

// ReadSignedForm reads a signed form's file and verifies it.
func ReadSignedForm(b []byte) (SignedForm, error) {
	var s SignedForm
	if err := json.Unmarshal(b, &s); err != nil {
		return s, domain.Wrap(ErrFormTampered, err)
	}
	return s, s.Verify()
}
