package client_test

import (
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
)

// transferFixture is a real server with two schools, each with its DIR's
// desk, and the computer of the student verified at the first school.
type transferFixture struct {
	ts           *testServer
	a, b         store.Institution
	dirA, dirB   *desk
	owner        *desk
	verification ens.Request // the owner's, at school A, as the server holds it
}

var ownerStudent = ens.Student{GivenNames: "Élodie", FamilyName: "Côté-Lévesque",
	BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17}, ClientID: "12345678", Email: "elodie@example.ca"}

func newTransferFixture(t *testing.T) *transferFixture {
	t.Helper()
	f := &transferFixture{ts: startServer(t)}
	var pinA, pinB string
	f.a, pinA = f.ts.school("A01", "Collège Boréal")
	f.b, pinB = f.ts.school("B02", "Lakeview Polytechnic")
	f.dirA = newDesk(t, f.ts, "dirA")
	f.dirA.enrolDIR("dir.a", pinA)
	f.dirB = newDesk(t, f.ts, "dirB")
	f.dirB.enrolDIR("dir.b", pinB)
	f.owner = newDesk(t, f.ts, "owner")
	f.owner.student("eleve.owner", "Élodie", "Côté-Lévesque")
	r, err := f.owner.st.RaiseRequest(f.owner.by, ens.Raise{Type: ens.EV, School: f.a.ID, Student: ownerStudent})
	if err != nil {
		t.Fatal(err)
	}
	f.owner.sync()
	f.dirA.sync()
	f.dirA.verify(r)
	f.dirA.sync()
	f.verification = f.serverRequest(r.ID)
	if f.verification.Status != ens.Verified || f.verification.EVN == "" {
		t.Fatalf("the owner's verification on the server: %+v", f.verification)
	}
	return f
}

func (f *transferFixture) serverRequest(id domain.ID) ens.Request {
	f.ts.t.Helper()
	r, err := f.ts.sv.Request(f.dirA.by, id)
	if err != nil {
		r, err = f.ts.sv.Request(f.dirB.by, id)
	}
	if err != nil {
		f.ts.t.Fatal(err)
	}
	return r
}

// transferIn has the student of desk d ask school B to take evn, as
// student s, and school B's desk receive it.
func (f *transferFixture) transferIn(d *desk, evn ens.EVN, s ens.Student) ens.Request {
	f.ts.t.Helper()
	ti, err := d.st.RaiseRequest(d.by, ens.Raise{Type: ens.TI, School: f.b.ID, FromSchool: f.a.ID, EVN: string(evn), Student: s})
	if err != nil {
		f.ts.t.Fatal(err)
	}
	d.sync()
	f.dirB.sync()
	return ti
}

// accept has school B's DIR accept the transfer on their desk and sync;
// it returns the code the server refused it with ("" when accepted).
func (f *transferFixture) accept(ti ens.Request) domain.Code {
	f.ts.t.Helper()
	r := f.dirB.request(ti.ID)
	accepted, err := f.dirB.st.Act(f.dirB.by, ti.ID, ens.Action{Function: ens.Accept, Draft: &ens.Draft{}}, r.Version)
	if err != nil {
		f.ts.t.Fatalf("accept on the desk: %v", err)
	}
	if accepted.Status != ens.Accepted {
		f.ts.t.Fatalf("accepted on the desk: %s", accepted.Status)
	}
	if pending, _ := f.dirB.st.Pending(ti.ID); !pending {
		f.ts.t.Fatal("the Accept is not waiting for the program")
	}
	f.dirB.sync()
	rejections, err := f.dirB.st.Rejections(f.dirB.by)
	if err != nil {
		f.ts.t.Fatal(err)
	}
	for _, rej := range rejections {
		if rej.Entity == ti.ID {
			return rej.Error.Code
		}
	}
	return ""
}

// ownerUntouched checks the owner's verification is still active at
// school A, on the server and on school A's desk.
func (f *transferFixture) ownerUntouched() {
	f.ts.t.Helper()
	f.dirA.sync()
	for where, r := range map[string]ens.Request{"server": f.serverRequest(f.verification.ID), "school A's desk": f.dirA.request(f.verification.ID)} {
		if !r.ActiveVerification() || r.Version != f.verification.Version {
			f.ts.t.Fatalf("%s: the owner's verification changed: %+v", where, r)
		}
	}
}

// TestHijackedTransferIsRefused: another student types the owner's real
// EVN and client ID under their own name; school B's DIR accepts it on
// their desk, and the server refuses the Accept. The owner's verification
// at school A stays active, and school B's desk has the transfer back as
// awaiting acceptance, with the refusal shown against it.
func TestHijackedTransferIsRefused(t *testing.T) {
	f := newTransferFixture(t)
	thief := newDesk(t, f.ts, "thief")
	thief.student("eleve.thief", "Marc", "Tremblay")
	cases := []struct {
		name    string
		student func(ens.Student) ens.Student
		evn     func(ens.EVN) ens.EVN
		want    domain.Code
	}{
		{"another name", func(s ens.Student) ens.Student { s.GivenNames, s.FamilyName = "Marc", "Tremblay"; return s },
			func(e ens.EVN) ens.EVN { return e }, ens.ErrTransferOtherStudent},
		{"another birth date", func(s ens.Student) ens.Student { s.BirthDate.Year = 2001; return s },
			func(e ens.EVN) ens.EVN { return e }, ens.ErrTransferOtherStudent},
		{"an EVN never issued", func(s ens.Student) ens.Student { return s }, func(e ens.EVN) ens.EVN {
			school, desk, seq := e.Parts()
			never, err := ens.IssueEVN(school, desk, seq+40)
			if err != nil {
				t.Fatal(err)
			}
			return never
		}, ens.ErrTransferUnknown},
	}
	for _, tc := range cases {
		ti := f.transferIn(thief, tc.evn(f.verification.EVN), tc.student(ownerStudent))
		if code := f.accept(ti); code != tc.want {
			t.Fatalf("%s: refused with %q, want %q", tc.name, code, tc.want)
		}
		f.ownerUntouched()
		if back := f.dirB.request(ti.ID); back.Status != ens.AwaitingAcceptance {
			t.Fatalf("%s: school B's desk after the refusal: %s", tc.name, back.Status)
		}
		if on := f.serverRequest(ti.ID); on.Status != ens.AwaitingAcceptance {
			t.Fatalf("%s: the transfer on the server: %s", tc.name, on.Status)
		}
		thief.sync()
		if mine := thief.request(ti.ID); mine.Status == ens.Accepted {
			t.Fatalf("%s: the thief's desk shows the transfer accepted", tc.name)
		}
	}
}

// TestHonestTransferClosesTheOldRecord: the owner moves their EVN to
// school B, typing their name as they please (case, accents, hyphen); the
// server accepts the transfer, and only then does school A's record close
// as transferred, on the server and on school A's desk.
func TestHonestTransferClosesTheOldRecord(t *testing.T) {
	f := newTransferFixture(t)
	typed := ownerStudent
	typed.GivenNames, typed.FamilyName = "ELODIE", "Cote Levesque"
	ti := f.transferIn(f.owner, f.verification.EVN, typed)
	// School B's desk could check the EVN, not its holder.
	if got := ens.TransferStateOf(ptr(f.dirB.request(ti.ID)), false); got != ens.TransferToConfirm {
		t.Fatalf("before the Accept: %v", got)
	}
	if issuer, found, err := f.dirB.st.IssuerOf(ti.EVN); err != nil || !found || issuer.ID != f.a.ID {
		t.Fatalf("issuer on school B's desk: %+v %v %v", issuer, found, err)
	}
	f.dirA.sync()
	if r := f.dirA.request(f.verification.ID); !r.ActiveVerification() {
		t.Fatal("the old record closed before the program accepted the transfer")
	}
	if code := f.accept(ti); code != "" {
		t.Fatalf("the honest transfer was refused: %s", code)
	}
	accepted := f.dirB.request(ti.ID)
	pending, _ := f.dirB.st.Pending(ti.ID)
	if accepted.Status != ens.Accepted || accepted.FromSchool != f.a.ID || ens.TransferStateOf(&accepted, pending) != ens.TransferConfirmed {
		t.Fatalf("school B's desk after the program accepted: %+v (pending %v)", accepted, pending)
	}
	f.dirA.sync()
	for where, r := range map[string]ens.Request{"server": f.serverRequest(f.verification.ID), "school A's desk": f.dirA.request(f.verification.ID)} {
		if r.TransferredTo != f.b.ID || r.ActiveVerification() {
			t.Fatalf("%s: the old record is not closed as transferred: %+v", where, r)
		}
	}
	f.owner.sync()
	if mine := f.owner.request(ti.ID); mine.Status != ens.Accepted {
		t.Fatalf("the student's desk: %s", mine.Status)
	}
	// The EVN, now moved, cannot be moved again from school A.
	again := f.transferIn(f.owner, f.verification.EVN, typed)
	if code := f.accept(again); code != ens.ErrTransferUnknown {
		t.Fatalf("a second transfer of the moved EVN: %q", code)
	}
}

func ptr[T any](v T) *T { return &v }

// TestVerificationWithTransferClosesOnlyTheSameStudents: an EVT names the
// school the student leaves; when school B verifies it, the server closes
// the verification there only if it is the same student's (client ID,
// birth date and name). Another student typing the owner's client ID gets
// their own verification and closes nothing; the owner's EVT closes the
// owner's.
func TestVerificationWithTransferClosesOnlyTheSameStudents(t *testing.T) {
	f := newTransferFixture(t)
	thief := newDesk(t, f.ts, "thief")
	thief.student("eleve.thief", "Marc", "Tremblay")
	evt := func(d *desk, s ens.Student) {
		t.Helper()
		r, err := d.st.RaiseRequest(d.by, ens.Raise{Type: ens.EVT, School: f.b.ID, FromSchool: f.a.ID, Student: s})
		if err != nil {
			t.Fatal(err)
		}
		d.sync()
		f.dirB.sync()
		f.dirB.verify(r)
		f.dirB.sync()
		if got := f.serverRequest(r.ID); got.Status != ens.Verified {
			t.Fatalf("the EVT on the server: %s", got.Status)
		}
	}
	other := ownerStudent
	other.GivenNames, other.FamilyName, other.BirthDate.Year = "Marc", "Tremblay", 2000
	evt(thief, other)
	f.ownerUntouched()
	typed := ownerStudent
	typed.FamilyName = "COTE-LEVESQUE"
	evt(f.owner, typed)
	f.dirA.sync()
	if r := f.dirA.request(f.verification.ID); r.TransferredTo != f.b.ID || r.ActiveVerification() {
		t.Fatalf("the owner's EVT did not close their verification: %+v", r)
	}
}
