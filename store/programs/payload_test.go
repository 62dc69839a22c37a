package programs

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
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/compliance"
	"dossier/store/employers"
	"dossier/store/printing"
	"dossier/sync"
)

// commandPayloads makes an empty value of every payload dispatch decodes
// from a pushed command, besides those of the sync package (FuzzWireDecode
// there).
var commandPayloads = []func() any{
	func() any { return new(store.EmailPayload) },
	func() any { return new(applications.SaveApplicationPayload) },
	func() any { return new(applications.RegisterApplicationPayload) },
	func() any { return new(applications.AttachPayload) },
	func() any { return new(applications.RemovePayload) },
	func() any { return new(applications.SubmitPayload) },
	func() any { return new(applications.NoticePayload) },
	func() any { return new(employers.EnrolBusinessPayload) },
	func() any { return new(employers.DecideBusinessPayload) },
	func() any { return new(employers.BranchPayload) },
	func() any { return new(employers.HandOverPayload) },
	func() any { return new(compliance.ComplianceSubmitPayload) },
	func() any { return new(compliance.ComplianceAmendPayload) },
	func() any { return new(compliance.ComplianceChase) },
	func() any { return new(compliance.ProvincialSubmitPayload) },
	func() any { return new(applications.DecisionPayload) },
	func() any { return new(applications.EmployerFormRecord) },
	func() any { return new(applications.LinkPayload) },
	func() any { return new(applications.SignedPayload) },
	func() any { return new(applications.EmployerDocumentPayload) },
	func() any { return new(store.Institution) },
	func() any { return new(printing.Printed) },
	func() any { return new(printing.PrintKeyPayload) },
	func() any { return new(applications.RepRequestPayload) },
	func() any { return new(applications.RepDecisionPayload) },
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
		applications.SaveApplicationPayload{App: app, At: at},
		applications.RegisterApplicationPayload{FileNumber: app.FileNumber, Registered: domain.DateOf(at)},
		applications.AttachPayload{Doc: oinp.Document{ID: domain.ID{1}, Kind: "passport", Name: "passport.pdf", Type: "pdf", Size: 9}, Content: []byte("%PDF-1.7\n")},
		compliance.ComplianceAmendPayload{School: domain.ID{2}, Year: 2026, Changes: []ens.EligibilityChange{{}}, Reason: "moved", At: at},
		compliance.ComplianceChase{ID: domain.ID{3}, School: domain.ID{2}, Province: "ON", Year: 2026, Note: "« rappel »", At: at},
		applications.DecisionPayload{On: domain.DateOf(at), Request: &oinp.InfoRequest{}, Text: "<b>", Approve: true, Reasons: []string{"a"}},
		store.Institution{ID: domain.ID{2}, Name: "Collège Boréal", Code: 12, Province: "ON", NextDIRDesk: 1, NextSignatoryDesk: 32},
		printing.Printed{Code: "ABCD-EFGH-JKMN-PQR7", Kind: printcode.Kind("oinp.certificate"), Facts: []printcode.Fact{{Name: "file", Value: "JOID-2026417"}}},
		employers.EnrolBusinessPayload{EnrolPayload: sync.EnrolPayload{Account: domain.ID{4}, UserID: "anna", At: at}, Business: domain.ID{5}},
		applications.RepRequestPayload{FileNumber: app.FileNumber, Email: "a@b.ca", Name: "Me Tremblay", On: domain.DateOf(at)},
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
			if store.Decode(payload, v) != nil {
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T %+v does not encode: %v", v, v, err)
			}
			back := empty()
			if err := store.Decode(b, back); err != nil {
				t.Fatalf("%T encoded as %s does not decode: %v", v, b, err)
			}
			if diff := cmp.Diff(v, back, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(applications.DecisionPayload{})); diff != "" {
				t.Fatalf("%T encoded as %s reads otherwise (-sent +read):\n%s", v, b, diff)
			}
			if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, b) {
				t.Fatalf("%T encoded as %s, then as %s %v", v, b, again, err)
			}
		}
	})
}
