package store

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/sync"
)

// commandPayloads makes an empty value of every payload dispatch decodes
// from a pushed command, besides those of the sync package (FuzzWireDecode
// there).
var commandPayloads = []func() any{
	func() any { return new(EmailPayload) },
	func() any { return new(SaveApplicationPayload) },
	func() any { return new(RegisterApplicationPayload) },
	func() any { return new(AttachPayload) },
	func() any { return new(RemovePayload) },
	func() any { return new(SubmitPayload) },
	func() any { return new(NoticePayload) },
	func() any { return new(EnrolBusinessPayload) },
	func() any { return new(DecideBusinessPayload) },
	func() any { return new(BranchPayload) },
	func() any { return new(HandOverPayload) },
	func() any { return new(ComplianceSubmitPayload) },
	func() any { return new(ComplianceAmendPayload) },
	func() any { return new(ComplianceChase) },
	func() any { return new(ProvincialSubmitPayload) },
	func() any { return new(DecisionPayload) },
	func() any { return new(EmployerFormRecord) },
	func() any { return new(LinkPayload) },
	func() any { return new(SignedPayload) },
	func() any { return new(EmployerDocumentPayload) },
	func() any { return new(Institution) },
	func() any { return new(Printed) },
	func() any { return new(PrintKeyPayload) },
	func() any { return new(RepRequestPayload) },
	func() any { return new(RepDecisionPayload) },
}

// FuzzCommandPayloads: no payload makes the server's decoding panic,
// whichever command's payload it is read as; what decodes encodes, reads
// back equal, and encodes to the same bytes again, so that what the
// server stores of a command (its answer, its record) reads as it was.
func FuzzCommandPayloads(f *testing.F) {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	var app oinp.Application
	if err := json.Unmarshal(assets.ExampleApplication, &app); err != nil {
		f.Fatal(err)
	}
	for _, v := range []any{
		SaveApplicationPayload{App: app, At: at},
		RegisterApplicationPayload{FileNumber: app.FileNumber, Registered: domain.DateOf(at)},
		AttachPayload{Doc: oinp.Document{ID: domain.ID{1}, Kind: "passport", Name: "passport.pdf", Type: "pdf", Size: 9}, Content: []byte("%PDF-1.7\n")},
		ComplianceAmendPayload{School: domain.ID{2}, Year: 2026, Changes: []ens.EligibilityChange{{}}, Reason: "moved", At: at},
		ComplianceChase{ID: domain.ID{3}, School: domain.ID{2}, Province: "ON", Year: 2026, Note: "« rappel »", At: at},
		DecisionPayload{On: domain.DateOf(at), Request: &oinp.InfoRequest{}, Text: "<b>", Approve: true, Reasons: []string{"a"}},
		Institution{ID: domain.ID{2}, Name: "Collège Boréal", Code: 12, Province: "ON", NextDIRDesk: 1, NextSignatoryDesk: 32},
		Printed{Code: "ABCD-EFGH-JKMN-PQR7", Kind: printcode.Kind("oinp.certificate"), Facts: []printcode.Fact{{Name: "file", Value: "JOID-2026417"}}},
		EnrolBusinessPayload{EnrolPayload: sync.EnrolPayload{Account: domain.ID{4}, UserID: "anna", At: at}, Business: domain.ID{5}},
		RepRequestPayload{FileNumber: app.FileNumber, Email: "a@b.ca", Name: "Me Tremblay", On: domain.DateOf(at)},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"application":{"schema":1},"changes":[{"status":""}],"on":"2026-02-30"}`))
	f.Add([]byte(`{"signed":{"schema":1,"signedAt":"2026-11-21T10:00:00+05:00","publicKey":"AAAA"},"content":"AAAA"}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		for _, empty := range commandPayloads {
			v := empty()
			if Decode(payload, v) != nil {
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T %+v does not encode: %v", v, v, err)
			}
			back := empty()
			if err := Decode(b, back); err != nil {
				t.Fatalf("%T encoded as %s does not decode: %v", v, b, err)
			}
			if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%T encoded as %s reads otherwise (-sent +read):\n%s", v, b, diff)
			}
			if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, b) {
				t.Fatalf("%T encoded as %s, then as %s %v", v, b, again, err)
			}
		}
	})
}
