package employer

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
)

// exampleFormJSON is the Employer Form of the program's example
// application (assets/oinp/example-application.json), under the test
// business's name and number.
const exampleFormJSON = `{"appliedBefore":"no","helped":"no","legalName":"Les Serres Côté Inc.","businessNumber":"123456782",
"structure":"corporation","activeSince":"2015-04-01","sector":"Agriculture","revenueCents":250000000,
"address":{"street":"400 Derry Rd","city":"Mississauga","province":"ON","country":"CA"},
"ontarioPremises":"yes","outstandingOrders":"no","employeesTotal":30,"employeesAtLocation":12,
"offer":{"position":"Greenhouse worker","noc":"8431","hoursPerWeek":40,"hoursPerYear":2080,"hourlyWageCents":1750,
"medianWageCents":1600,"fullTime":"yes","indeterminate":"yes","seasonal":"no","agencyOrSubcontract":"no",
"labourDispute":"no","municipality":"Mississauga","province":"ON","licenceNeeded":"no","lmia":"no",
"signingOfficer":"Anna Kowalski","contactPerson":"Raj Patel"}}`

func exampleForm(t *testing.T) oinp.EmployerForm {
	t.Helper()
	var f oinp.EmployerForm
	if err := json.Unmarshal([]byte(exampleFormJSON), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// testKey is the signer's key, from a fixed seed.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, ed25519.SeedSize))

func approvedBusiness() Business {
	return Business{ID: bizID, BN: "123456782", LegalName: "Les Serres Côté Inc.", Status: Approved,
		Branches: []Branch{{ID: branchID, Name: "Guelph"}}, Primary: primary.Account}
}

func TestCheckFormAccess(t *testing.T) {
	mine := FormRecord{ID: domain.ID{30}, Business: bizID, Unit: bizID}
	theirs := FormRecord{ID: domain.ID{31}, Business: domain.ID{3}, Unit: domain.ID{3}}
	pending := approvedBusiness()
	pending.Status = Pending
	for _, c := range []struct {
		name string
		by   account.Actor
		b    *Business
		form *FormRecord
		code domain.Code
	}{
		{"the primary user, a new form", primary, ptr(approvedBusiness()), nil, ""},
		{"a secondary user, the business's form", second, ptr(approvedBusiness()), &mine, ""},
		{"a branch's primary user, the business's form", brPrim, ptr(approvedBusiness()), &mine, ""},
		{"a student", student, ptr(approvedBusiness()), &mine, account.ErrForbidden},
		{"a program officer", officer, ptr(approvedBusiness()), &mine, account.ErrForbidden},
		{"a unit of no business", primary, nil, nil, account.ErrOtherOrganisation},
		{"a unit of another business", stranger, ptr(approvedBusiness()), nil, account.ErrOtherOrganisation},
		{"a business not approved", primary, &pending, nil, ErrNotApproved},
		{"another business's form", primary, ptr(approvedBusiness()), &theirs, account.ErrOtherOrganisation},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := CheckFormAccess(c.by, c.b, c.form); domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
	b := approvedBusiness()
	if f := NewForm(domain.ID{32}, brPrim, &b); f.ID != (domain.ID{32}) || f.Business != bizID || f.Unit != branchID {
		t.Fatalf("a branch's new form: %+v", f)
	}
}

func ptr[T any](v T) *T { return &v }

func TestEdit(t *testing.T) {
	later := testNow.Add(time.Hour)
	for _, c := range []struct {
		name   string
		linked oinp.FileNumber
		code   domain.Code
	}{
		{"a form not linked", "", ""},
		{"a linked form", "ON-2026-000123", ErrFormLinked},
	} {
		t.Run(c.name, func(t *testing.T) {
			signed := &SignedForm{FormID: domain.ID{30}}
			r := FormRecord{ID: domain.ID{30}, Business: bizID, Signed: signed, Linked: c.linked, Updated: testNow}
			f := exampleForm(t)
			f.Signed = domain.DateOf(testNow)
			err := r.Edit(f, later)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if err != nil {
				if r.Signed != signed || r.Updated != testNow {
					t.Fatal("a refused edit changed the form")
				}
				return
			}
			if r.Signed != nil || !r.Form.Signed.IsZero() || r.Updated != later || r.Form.Offer.NOC != "8431" {
				t.Fatalf("an edit keeps the signature: %+v", r)
			}
		})
	}
}

// signedExample is the example form signed by the primary user today.
func signedExample(t *testing.T) (FormRecord, SignedForm) {
	t.Helper()
	b := approvedBusiness()
	r := FormRecord{ID: domain.ID{30}, Business: bizID, Unit: bizID, Form: exampleForm(t)}
	r.Form.LegalName, r.Form.BusinessNumber = "", ""
	s, err := r.ToSign(&b, userOf(primary), testNow)
	if err != nil {
		t.Fatal(err)
	}
	return r, s.Sign(testKey)
}

func TestToSign(t *testing.T) {
	r, s := signedExample(t)
	if s.Form.LegalName != "Les Serres Côté Inc." || s.Form.BusinessNumber != "123456782" || s.Form.Signed != domain.DateOf(testNow) ||
		s.SignerName != "Anna Kowalski" || s.Signer != primary.Account || s.BN != "123456782" || s.FormID != r.ID || s.Verify() != nil {
		t.Fatalf("the form to sign: %+v", s)
	}
	b := approvedBusiness()
	for _, c := range []struct {
		name string
		edit func(r *FormRecord)
		code domain.Code
	}{
		{"incomplete", func(r *FormRecord) { r.Form.Offer.NOC = "" }, ErrFormIncomplete},
		{"linked", func(r *FormRecord) { r.Linked = "ON-2026-000123" }, ErrFormLinked},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := r
			c.edit(&r)
			if _, err := r.ToSign(&b, userOf(primary), testNow); domain.ErrorCode(err) != c.code {
				t.Fatalf("%v, want %s", err, c.code)
			}
		})
	}
}

func TestCheckSignedBy(t *testing.T) {
	r, s := signedExample(t)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{6}, ed25519.SeedSize))
	for _, c := range []struct {
		name string
		by   account.Actor
		edit func(r *FormRecord, s *SignedForm)
		code domain.Code
	}{
		{"signed by the actor", primary, func(*FormRecord, *SignedForm) {}, ""},
		{"edited after signing", primary, func(_ *FormRecord, s *SignedForm) { s.Form.Offer.WageCents = 27_50 }, ErrFormTampered},
		{"another's signature sent by the actor", second, func(*FormRecord, *SignedForm) {}, ErrFormTampered},
		{"re-signed as another form", primary, func(_ *FormRecord, s *SignedForm) { s.FormID = domain.ID{33}; *s = s.Sign(other) },
			ErrFormTampered},
		{"re-signed as another business's", primary, func(_ *FormRecord, s *SignedForm) { s.Business = domain.ID{3}; *s = s.Sign(other) },
			ErrFormTampered},
		{"a linked form signed again", primary, func(r *FormRecord, _ *SignedForm) { r.Linked = "ON-2026-000123" }, ErrFormLinked},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, s := r, s
			c.edit(&r, &s)
			if err := r.CheckSignedBy(c.by, s); domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
	r.Sign(s, testNow)
	if r.Signed == nil || r.Signed.Signature == nil || r.Form.Signed != domain.DateOf(testNow) || r.Updated != testNow {
		t.Fatalf("the signature recorded: %+v", r)
	}
}

func TestCheckSigned(t *testing.T) {
	_, s := signedExample(t)
	signer := userOf(primary)
	for _, c := range []struct {
		name string
		edit func(b *Business, s *SignedForm, u *User)
		code domain.Code
	}{
		{"as the program knows it", func(*Business, *SignedForm, *User) {}, ""},
		{"by a branch's user", func(_ *Business, s *SignedForm, u *User) { *u = userOf(brPrim); s.Signer = brPrim.Account }, ""},
		{"incomplete", func(_ *Business, s *SignedForm, _ *User) { s.Form.Offer.NOC = "" }, ErrFormIncomplete},
		{"undated", func(_ *Business, s *SignedForm, _ *User) { s.Form.Signed = domain.Date{} }, ErrFormIncomplete},
		{"another business's number", func(_ *Business, s *SignedForm, _ *User) { s.BN = "046454286" }, ErrFormBusiness},
		{"another number on the form", func(_ *Business, s *SignedForm, _ *User) { s.Form.BusinessNumber = "046454286" }, ErrFormBusiness},
		{"a number that does not read (the form is incomplete)", func(_ *Business, s *SignedForm, _ *User) { s.Form.BusinessNumber = "12345678x" },
			ErrFormIncomplete},
		{"another legal name", func(_ *Business, s *SignedForm, _ *User) { s.LegalName = "Les Serres Cote Inc." }, ErrFormBusiness},
		{"another legal name on the form", func(_ *Business, s *SignedForm, _ *User) { s.Form.LegalName = "Serres Côté" }, ErrFormBusiness},
		{"another business's form", func(_ *Business, s *SignedForm, _ *User) { s.Business = domain.ID{3} }, ErrFormBusiness},
		{"a business renamed since", func(b *Business, _ *SignedForm, _ *User) { b.LegalName = "Côté Farms Inc." }, ErrFormBusiness},
		{"a signer whose access ended", func(_ *Business, _ *SignedForm, u *User) { u.Active = false }, ErrFormSigner},
		{"a signer of another business", func(_ *Business, _ *SignedForm, u *User) { u.Business = domain.ID{3} }, ErrFormSigner},
		{"a signer of no business", func(_ *Business, _ *SignedForm, u *User) { u.Business = domain.ID{} }, ErrFormSigner},
		{"a signer not an employer's user", func(_ *Business, _ *SignedForm, u *User) { u.Role = account.Applicant }, ErrFormSigner},
		{"under another name", func(_ *Business, s *SignedForm, _ *User) { s.SignerName = "Anna Kowalsky" }, ErrFormSigner},
		{"another account than the signer's", func(_ *Business, _ *SignedForm, u *User) { u.Account = second.Account }, ErrFormSigner},
		{"a signer the records do not hold", func(_ *Business, _ *SignedForm, u *User) { *u = User{} }, ErrFormSigner},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, s, u := approvedBusiness(), s, signer
			c.edit(&b, &s, &u)
			if err := s.CheckSigned(&b, u); domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
}

func TestCheckKey(t *testing.T) {
	_, s := signedExample(t)
	pub := testKey.Public().(ed25519.PublicKey)
	for _, c := range []struct {
		name string
		b    *Business
		code domain.Code
	}{
		{"the signer's key on record", &Business{ID: bizID, Keys: []SignerKey{{Account: primary.Account, PublicKey: pub}}}, ""},
		{"another user's key", &Business{ID: bizID, Keys: []SignerKey{{Account: second.Account, PublicKey: pub}}}, ErrFormKey},
		{"no key on record", &Business{ID: bizID}, ErrFormKey},
		{"a business the records do not hold", nil, ErrFormKey},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := s.CheckKey(c.b); domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
}

func TestSignedWithin(t *testing.T) {
	toronto := time.FixedZone("EST", -5*3600)
	window := 30 * 24 * time.Hour
	for _, c := range []struct {
		name     string
		at       time.Time
		day      domain.Date
		earliest time.Time
		code     domain.Code
	}{
		{"today", testNow, domain.DateOf(testNow), testNow.Add(-window), ""},
		{"a week ago", testNow.AddDate(0, 0, -7), domain.DateOf(testNow.AddDate(0, 0, -7)), testNow.Add(-window), ""},
		{"the signer's own day, late evening", time.Date(2026, 11, 20, 22, 0, 0, 0, toronto), domain.Date{Year: 2026, Month: 11, Day: 20},
			testNow.Add(-window), ""},
		{"the same evening as UTC's day", time.Date(2026, 11, 20, 22, 0, 0, 0, toronto), domain.Date{Year: 2026, Month: 11, Day: 21},
			testNow.Add(-window), ""},
		{"long ago, on paper (no earliest)", testNow.AddDate(-2, 0, 0), domain.DateOf(testNow.AddDate(-2, 0, 0)), time.Time{}, ""},
		{"tomorrow", testNow.Add(24 * time.Hour), domain.DateOf(testNow.Add(24 * time.Hour)), testNow.Add(-window), ErrFormDate},
		{"before the offline window", testNow.Add(-window - time.Hour), domain.DateOf(testNow.Add(-window - time.Hour)),
			testNow.Add(-window), ErrFormDate},
		{"undated", time.Time{}, domain.DateOf(testNow), time.Time{}, ErrFormDate},
		{"a day not the signing time's", testNow, domain.DateOf(testNow.AddDate(0, 0, -3)), testNow.Add(-window), ErrFormDate},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := SignedForm{SignedAt: c.at, Form: oinp.EmployerForm{Signed: c.day}}
			if err := s.SignedWithin(c.earliest, testNow.Add(time.Minute)); domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
}

func TestLink(t *testing.T) {
	const file, other oinp.FileNumber = "ON-2026-000123", "ON-2026-000456"
	_, s := signedExample(t)
	for _, c := range []struct {
		name   string
		signed *SignedForm
		linked oinp.FileNumber
		named  string
		code   domain.Code
	}{
		{"the applicant named the business", &s, "", "123 456 782", ""},
		{"linked again to the same file", &s, file, "123456782", ""},
		{"not signed", nil, "", "123456782", ErrFormNotSigned},
		{"linked to another file", &s, other, "123456782", ErrFormLinked},
		{"the applicant named no business", &s, "", "", ErrFormConsent},
		{"the applicant named another business", &s, "", "046454286", ErrFormConsent},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := FormRecord{ID: domain.ID{30}, Business: bizID, Signed: c.signed, Linked: c.linked}
			err := r.Link(file, c.named)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if want := map[bool]oinp.FileNumber{true: file, false: c.linked}[err == nil]; r.Linked != want {
				t.Fatalf("linked to %q, want %q", r.Linked, want)
			}
			if lerr := r.CheckLinkable(file); c.code != ErrFormConsent && domain.ErrorCode(lerr) != domain.ErrorCode(err) {
				t.Fatalf("linkable: %v, link: %v", lerr, err)
			}
		})
	}
}

func TestAttach(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	for _, c := range []struct {
		name    string
		kind    string
		file    string
		content []byte
		linked  oinp.FileNumber
		code    domain.Code
	}{
		{"the employer's information", "employer-information", "info.pdf", pdf, "", ""},
		{"the representative's form", "employer-representative", "rep.pdf", pdf, "", ""},
		{"the form on paper, once linked", "employer-form", "form.pdf", pdf, "ON-2026-000123", ""},
		{"an applicant's document", "passport", "passport.pdf", pdf, "", oinp.ErrDocumentType},
		{"an empty file", "employer-information", "info.pdf", nil, "", oinp.ErrDocumentEmpty},
		{"a type it does not take", "employer-information", "info.pdf", []byte{0, 1, 2, 3, 0xff}, "", oinp.ErrDocumentType},
		{"a name of another type", "employer-information", "info.jpg", pdf, "", oinp.ErrDocumentName},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := FormRecord{ID: domain.ID{30}, Business: bizID, Linked: c.linked}
			doc := oinp.Document{ID: domain.ID{40}, Kind: c.kind, Name: c.file}
			err := r.Attach(doc, c.content, testNow)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if (err == nil) != (len(r.Documents) == 1) || err == nil && r.Updated != testNow {
				t.Fatalf("documents %v, updated %v", r.Documents, r.Updated)
			}
		})
	}
}
