package permit

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
)

var (
	day     = domain.Date{Year: 2026, Month: time.March, Day: 2}
	student = domain.ID{1}
	other   = domain.ID{2}
	fee     = Fee{Cents: 15500, Source: "test"}
)

func goodForm() Form {
	return Form{GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
		ClientID: "1234-5678", Email: "elodie@example.ca", PassportNumber: "ab 123456", PassportCountry: "France",
		PassportExpiry: day.AddYears(3), Street: "21 rue Lasalle", City: "Sudbury", Province: "on", PostalCode: "p3a 6b1",
		Program: "Génie civil", StudyStart: day.AddYears(-1), StudyEnd: day.AddYears(2), Consent: true, Declaration: true}
}

func verified() *ens.Request {
	return &ens.Request{ID: domain.ID{9}, Type: ens.EV, Status: ens.Verified, School: domain.ID{7}, StudentAccount: student,
		EVN: "3KQ-0A-00F7-M"}
}

func TestCheckForm(t *testing.T) {
	f, faults := Check(goodForm(), day)
	if len(faults) != 0 {
		t.Fatalf("a good form: %v", faults)
	}
	if f.PostalCode != "P3A 6B1" || f.Province != "ON" || f.PassportNumber != "AB123456" || f.ClientID != "12345678" {
		t.Fatalf("cleaned %+v", f)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Form)
		field string
		code  domain.Code
	}{
		{"no given names", func(f *Form) { f.GivenNames = " " }, "givenNames", domain.ErrNameRequired},
		{"client ID", func(f *Form) { f.ClientID = "123" }, "clientID", domain.ErrClientIDFormat},
		{"e-mail", func(f *Form) { f.Email = "nope" }, "email", domain.ErrEmailFormat},
		{"passport number", func(f *Form) { f.PassportNumber = "A-1" }, "passportNumber", ErrPassport},
		{"passport expired", func(f *Form) { f.PassportExpiry = day }, "passportExpiry", ErrPassportValid},
		{"no passport expiry", func(f *Form) { f.PassportExpiry = domain.Date{} }, "passportExpiry", domain.ErrRequired},
		{"province", func(f *Form) { f.Province = "XX" }, "province", ErrProvince},
		{"postal code", func(f *Form) { f.PostalCode = "12345" }, "postalCode", ErrPostalCode},
		{"postal code with a D", func(f *Form) { f.PostalCode = "D3A 6B1" }, "postalCode", ErrPostalCode},
		{"phone", func(f *Form) { f.Phone = "12" }, "phone", ErrPhone},
		{"no program", func(f *Form) { f.Program = "" }, "program", domain.ErrRequired},
		{"studies end before they start", func(f *Form) { f.StudyEnd = f.StudyStart.AddDays(-1) }, "studyEnd", ErrStudyDates},
		{"studies over", func(f *Form) { f.StudyEnd = day.AddDays(-1) }, "studyEnd", ErrStudyOver},
		{"no consent", func(f *Form) { f.Consent = false }, "consent", ErrConsent},
		{"no declaration", func(f *Form) { f.Declaration = false }, "declaration", ErrDeclaration},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := goodForm()
			tc.edit(&f)
			_, faults := Check(f, day)
			if len(faults) != 1 || faults[0].Code != tc.code || faults[0].Field != tc.field {
				t.Fatalf("faults %v, want %s under %s", faults, tc.code, tc.field)
			}
		})
	}
	// Every fault at once.
	_, faults = Check(Form{}, day)
	if len(faults) < 12 {
		t.Fatalf("an empty form shows %d faults: %v", len(faults), faults)
	}
}

func TestCheckEVN(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    func() *ens.Request
		evn  ens.EVN
		want domain.Code
	}{
		{"active, own", verified, "3kq-0a-00f7-m", ""},
		{"none", func() *ens.Request { return nil }, "3KQ-0A-00F7-M", ErrEVNUnknown},
		{"another number", verified, "3KQ-0A-00F8-X", ErrEVNUnknown},
		{"another student's", func() *ens.Request { v := verified(); v.StudentAccount = other; return v }, "3KQ-0A-00F7-M", ErrEVNOtherStudent},
		{"moved to another school", func() *ens.Request { v := verified(); v.TransferredTo = domain.ID{8}; return v }, "3KQ-0A-00F7-M", ErrEVNInactive},
		{"a pending transfer", func() *ens.Request { v := verified(); v.Type, v.Status = ens.TI, ens.New; return v }, "3KQ-0A-00F7-M", ErrEVNUnknown},
		{"an accepted transfer", func() *ens.Request { v := verified(); v.Type, v.Status = ens.TI, ens.Accepted; return v }, "3KQ-0A-00F7-M", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckEVN(tc.v(), student, tc.evn)
			if domain.ErrorCode(err) != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	a, _, err := New(verified(), student, nil, goodForm(), day, 15500, fee, Submitted)
	if err != nil || a.Status != Submitted || a.EVN != "3KQ-0A-00F7-M" || a.ID != (domain.ID{9}) || a.Version != 1 || a.FeeCents != 15500 {
		t.Fatalf("%+v %v", a, err)
	}
	if _, _, err := New(verified(), student, &a, goodForm(), day, 15500, fee, Submitted); !errors.Is(err, ErrAlreadyApplied) {
		t.Fatalf("a second application: %v", err)
	}
	if _, _, err := New(verified(), student, nil, goodForm(), day, 100, fee, Submitted); !errors.Is(err, ErrFeeAmount) {
		t.Fatalf("another amount: %v", err)
	}
	w, err := Withdraw(a, student)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := New(verified(), student, &w, goodForm(), day, 15500, fee, Submitted)
	if err != nil || again.Version != w.Version+1 {
		t.Fatalf("after a withdrawal: %+v %v", again, err)
	}
	bad := goodForm()
	bad.Consent, bad.PostalCode = false, "x"
	if _, faults, err := New(verified(), student, nil, bad, day, 15500, fee, Submitted); len(faults) != 2 || err == nil {
		t.Fatalf("faults %v %v", faults, err)
	}
}

func TestDecide(t *testing.T) {
	a, _, _ := New(verified(), student, nil, goodForm(), day, 15500, fee, Submitted)
	officer := domain.ID{5}
	for _, tc := range []struct {
		name   string
		from   Status
		o      Outcome
		reason string
		want   Status
		code   domain.Code
	}{
		{"review", Submitted, Review, "", InReview, ""},
		{"review twice", InReview, Review, "", InReview, ErrNotInStatus},
		{"approve", InReview, Approve, "", Approved, ""},
		{"approve at once", Submitted, Approve, "", Approved, ""},
		{"refuse", InReview, Refuse, "Not enrolled full time", Refused, ""},
		{"refuse without reason", InReview, Refuse, "  ", InReview, ErrReasonRequired},
		{"decide a withdrawn one", Withdrawn, Approve, "", Withdrawn, ErrNotInStatus},
		{"decide twice", Approved, Refuse, "x", Approved, ErrNotInStatus},
		{"decide a pending one", Pending, Approve, "", Pending, ErrNotInStatus},
		{"made-up outcome", Submitted, "grant", "", Submitted, ErrOutcome},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := a
			in.Status = tc.from
			got, err := Decide(in, tc.o, tc.reason, officer, "Pat Ouellet", day)
			if domain.ErrorCode(err) != tc.code || got.Status != tc.want {
				t.Fatalf("got %s %v, want %s %q", got.Status.Code(), err, tc.want.Code(), tc.code)
			}
			if tc.code == "" && tc.want.Decided() && (got.Decided != day || got.Officer != officer) {
				t.Fatalf("decision not recorded: %+v", got)
			}
		})
	}
	if _, err := Withdraw(a, other); !errors.Is(err, ErrNotYours) {
		t.Fatalf("another's withdrawal: %v", err)
	}
	d, _ := Decide(a, Approve, "", officer, "", day)
	if _, err := Withdraw(d, student); !errors.Is(err, ErrNotInStatus) {
		t.Fatalf("withdraw a decided one: %v", err)
	}
}
