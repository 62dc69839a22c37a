package employer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"dossier/domain"
	"dossier/domain/oinp"
)

func TestSignedFormDetectsEdits(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	f := SignedForm{FormID: domain.ID{1}, Business: domain.ID{2}, BN: "123456782", LegalName: "Les Serres Côté Inc.",
		Form: oinp.EmployerForm{LegalName: "Les Serres Côté Inc.", RevenueCents: 2_500_000_00, EmployeesLocation: 12,
			Offer: oinp.JobOffer{NOC: "8431", WageCents: 17_50}},
		Signer: domain.ID{3}, SignerName: "Anna Kowalski", SignedAt: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}.Sign(key)
	b, _ := json.Marshal(f)
	if got, err := ReadSignedForm(b); err != nil || got.Form.Offer.WageCents != 17_50 {
		t.Fatalf("%v", err)
	}
	for _, edit := range []struct{ from, to string }{
		{`"hourlyWageCents":1750`, `"hourlyWageCents":2750`},
		{`"employeesAtLocation":12`, `"employeesAtLocation":13`},
		{`"signerName":"Anna Kowalski"`, `"signerName":"Anna Kowalsky"`},
		{`"noc":"8431"`, `"noc":"8432"`},
	} {
		bad := bytes.Replace(b, []byte(edit.from), []byte(edit.to), 1)
		if bytes.Equal(bad, b) {
			t.Fatalf("%s not in the file", edit.from)
		}
		if _, err := ReadSignedForm(bad); domain.ErrorCode(err) != ErrFormTampered {
			t.Fatalf("edit %s → %s not detected: %v", edit.from, edit.to, err)
		}
	}
	// Re-signed with another key, the content verifies; the key is then
	// checked against the business's keys on record.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	if f2 := f.Sign(other); f2.Verify() != nil || bytes.Equal(f2.PublicKey, f.PublicKey) {
		t.Fatal("a re-signed form")
	}
	if _, err := ReadSignedForm([]byte(`{"schema":1}`)); domain.ErrorCode(err) != ErrFormTampered {
		t.Fatalf("an unsigned form: %v", err)
	}
}

// FuzzReadSignedForm: no file makes the reader panic; one is refused as
// tampered, or it holds what its signature covers, written back it reads
// the same, and one byte changed in a signed file leaves it refused or
// reading the content that was signed. Any other legal name refuses it.
func FuzzReadSignedForm(f *testing.F) {
	signed := fuzzSignedForm()
	b, err := json.Marshal(signed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, 0, byte(' '), "Les Serres Côté Inc")
	f.Add(b, bytes.Index(b, []byte(`"signature"`))+14, byte('A'), "Les Serres Cote Inc.")
	f.Add([]byte(`{"schema":1}`), 0, byte(0), "")
	f.Add([]byte(`{"schema":1,"publicKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","signature":""}`), 3, byte('S'), "x")
	f.Add([]byte(`{"schema":1,"signedAt":"10000-01-01T00:00:00Z"}`), -1, byte(0), "\u0000")
	f.Fuzz(func(t *testing.T, in []byte, at int, with byte, legalName string) {
		got, err := ReadSignedForm(in)
		if err != nil {
			if domain.ErrorCode(err) != ErrFormTampered {
				t.Fatalf("uncoded refusal: %v", err)
			}
		} else {
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ReadSignedForm(again)
			if err != nil || !bytes.Equal(back.signedBytes(), got.signedBytes()) || !bytes.Equal(back.Signature, got.Signature) {
				t.Fatalf("written back as %s, read %v", again, err)
			}
		}

		edited := append([]byte{}, b...)
		edited[uint(at)%uint(len(b))] = with
		if got, err := ReadSignedForm(edited); err == nil &&
			(!bytes.Equal(got.signedBytes(), signed.signedBytes()) || !bytes.Equal(got.Signature, signed.Signature)) {
			t.Fatalf("%s accepted with other content", edited)
		}

		// A decoded file holds valid UTF-8 only: JSON replaces the rest.
		if legalName != signed.LegalName && utf8.ValidString(legalName) {
			other := signed
			other.LegalName = legalName
			if err := other.Verify(); domain.ErrorCode(err) != ErrFormTampered {
				t.Fatalf("legal name %q accepted: %v", legalName, err)
			}
		}
	})
}

// fuzzSignedForm is a form signed with a key drawn from a fixed seed, so
// that the seed corpus stays valid from run to run.
func fuzzSignedForm() SignedForm {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	return SignedForm{FormID: domain.ID{1}, Business: domain.ID{2}, BN: "123456782", LegalName: "Les Serres Côté Inc.",
		Form: oinp.EmployerForm{LegalName: "Les Serres Côté Inc.", RevenueCents: 2_500_000_00, EmployeesLocation: 12,
			Offer: oinp.JobOffer{NOC: "8431", WageCents: 17_50}},
		Signer: domain.ID{3}, SignerName: "Anna Kowalski", SignedAt: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}.Sign(key)
}
