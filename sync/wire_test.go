package sync

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/printcode"
)

// wireBodies makes an empty value of every body the server and the desks
// decode from each other: the requests, the answers, the refusals, and
// the payloads of this package's commands.
var wireBodies = []func() any{
	func() any { return new(PushRequest) },
	func() any { return new(Command) },
	func() any { return new(PushResponse) },
	func() any { return new(ChangesResponse) },
	func() any { return new(ErrorResponse) },
	func() any { return new(SignInRequest) },
	func() any { return new(RefreshRequest) },
	func() any { return new(Tokens) },
	func() any { return new(Printed) },
	func() any { return new(RaisePayload) },
	func() any { return new(ApplyPayload) },
	func() any { return new(IssuePINPayload) },
	func() any { return new(EnrolPayload) },
	func() any { return new(RevokePayload) },
	func() any { return new(Conflict) },
}

// FuzzWireDecode: no body makes the decoder panic, whichever of the wire's
// types it is read as; what decodes encodes, and reads back equal (a raw
// payload equal in meaning) and encodes to the same bytes again. A
// refusal as it travels stands for an error that travels the same.
func FuzzWireDecode(f *testing.F) {
	for _, v := range wireSamples(f) {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"commands":[{"id":"01jd2q9x8koooooooooooooiil","payload":  { "a" : [1, 2e3, "<&>\u2028"] } }]}`))
	f.Add([]byte(`{"error":{"code":"x","args":[{},{"key":"k","int":1},{"time":"0000-01-01T00:00:00+01:00"}]}}`))
	f.Add([]byte(`{"expires":"9999-12-31T23:59:59-23:59","account":null}`))
	f.Add([]byte(`{"commands":null} trailing`))
	f.Add([]byte(`{"hlc":18446744073709551615,"changes":[{"seq":-1}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, empty := range wireBodies {
			v := empty()
			if json.NewDecoder(bytes.NewReader(body)).Decode(v) != nil {
				continue
			}
			roundTrip(t, v, empty)
			if e, ok := v.(*ErrorResponse); ok {
				travelsTheSame(t, &e.Error)
			}
		}
	})
}

// roundTrip checks that v encodes, and reads back as a value equal to v
// that encodes to the same bytes.
func roundTrip(t *testing.T, v any, empty func() any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T %+v does not encode: %v", v, v, err)
	}
	back := empty()
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatalf("%T encoded as %s does not decode: %v", v, b, err)
	}
	if diff := cmp.Diff(v, back, rawMeaning, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%T encoded as %s reads otherwise (-sent +read):\n%s", v, b, diff)
	}
	if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, b) {
		t.Fatalf("%T encoded as %s, then as %s %v", v, b, again, err)
	}
}

// rawMeaning compares raw JSON by what it says: encoding a raw message
// drops its spaces and escapes <, > and &, and a missing one is null. (An
// empty list and none are alike too: omitempty writes neither.)
var rawMeaning = cmp.Transformer("meaning", func(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(r))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return string(r)
	}
	return v
})

// travelsTheSame checks that the error a wire error stands for goes back
// on the wire as the same code, field and arguments (an argument that
// says nothing travels as empty text).
func travelsTheSame(t *testing.T, w *WireError) {
	t.Helper()
	again := EncodeError(w.Err())
	if again.Code != w.Code || again.Field != w.Field || len(again.Args) != len(w.Args) {
		t.Fatalf("%+v travels back as %+v", w, again)
	}
	for i, a := range w.Args {
		b := again.Args[i]
		var same bool
		switch {
		case a.Key != "":
			same = b.Key == a.Key
		case a.Time != nil:
			same = b.Time != nil && b.Time.Equal(*a.Time)
		case a.Int != nil:
			same = b.Int != nil && *b.Int == *a.Int
		case a.Text != nil:
			same = b.Text != nil && *b.Text == *a.Text
		default:
			same = b.Text != nil && *b.Text == ""
		}
		if !same {
			t.Fatalf("argument %d of %+v travels back as %+v", i, w, b)
		}
	}
}

// wireSamples are bodies as the server and the desks send them.
func wireSamples(tb testing.TB) []any {
	tb.Helper()
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	hlc := MakeHLC(at, 3)
	id := func(b byte) domain.ID { return domain.ID{0x01, 0x93, b, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, b} }
	raise := RaisePayload{Raise: ens.Raise{Type: ens.EV, School: id(4),
		Student: ens.Student{GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2001, Month: 2, Day: 3}, ClientID: "1234567890"}}, At: at}
	payload, err := json.Marshal(raise)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := Command{ID: id(1), Kind: KindRaiseRequest, Entity: id(2), BaseVersion: 0, HLC: hlc, Device: id(3), Actor: id(5), Payload: payload}
	n, text := int64(42), "a <b> & c"
	wire := WireError{Code: ErrBadRequest, Field: "payload", Args: []WireArg{{Key: "ens.status.open"}, {Time: &at}, {Int: &n}, {Text: &text}}}
	change := Change{Seq: 7, Kind: EntityRequest, ID: id(2), Version: 1, Data: json.RawMessage(`{"id":"x","version":1}`)}
	return []any{
		PushRequest{Commands: []Command{cmd, {ID: id(6), Kind: KindRevoke, Payload: json.RawMessage(`{"account":"","at":"2026-11-21T10:00:00Z"}`)}}},
		PushResponse{Answers: []Answer{{Command: id(1), Outcome: Applied, Version: 1},
			{Command: id(6), Outcome: Rejected, Error: &wire, Current: &change},
			{Command: id(7), Outcome: Merged, Version: 3, Conflicts: []Conflict{{Field: "notes",
				Kept: FieldVersion{Value: "a", HLC: hlc, Device: id(3)}, Lost: FieldVersion{Deleted: true, HLC: hlc - 1, Device: id(8)}}}}},
			HLC: hlc},
		ChangesResponse{Epoch: id(9), After: 6, Changes: []Change{change}, Next: 7, More: true, Total: 12, HLC: hlc},
		ChangesResponse{Epoch: id(9), Reset: true},
		ErrorResponse{Error: wire},
		SignInRequest{UserID: "marie.cote", Password: "correct horse", Device: id(3)},
		RefreshRequest{Refresh: "r.token"},
		Tokens{Access: "a.token", Refresh: "r.token", Expires: at.Add(time.Hour), Account: json.RawMessage(`{"id":"x"}`), Epoch: id(9), ServerID: "s1"},
		Printed{Code: "ABCD-EFGH-JKMN-PQR7", Kind: printcode.Kind("oinp.certificate"), Facts: []printcode.Fact{{Name: "file", Value: "JOID-2026417"}},
			Printed: domain.DateOf(at)},
		ApplyPayload{Action: ens.Action{Function: ens.Verify, EVN: "3KQ-0A-00F7-M", Draft: &ens.Draft{}}, At: at, Changed: []string{"notes"}},
		IssuePINPayload{PIN: account.PIN{ID: id(10), Hash: "$argon2id$…", Role: account.Signatory, Org: id(4), Desk: 2, Issued: at, Expires: at.Add(72 * time.Hour)},
			Locator: [2]byte{1, 2}},
		EnrolPayload{Account: id(11), PIN: id(10), UserID: "anna", GivenNames: "Anna", FamilyName: "Kowalski", Password: "$argon2id$…",
			At: at, PINCode: "7K3M-Q9XA-20FT", Email: "anna@example.ca", Role: "applicant"},
		RevokePayload{Account: id(11), At: at},
		cmd,
	}
}
