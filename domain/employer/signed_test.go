package employer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

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
