package employer

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

func TestEnrolmentCheck(t *testing.T) {
	ok := Enrolment{OperatesInCanada: true, BN: "123 456 782", LegalName: "  Les Serres Côté Inc. ", OperatingName: "Serres Côté"}
	got, err := ok.Check()
	if err != nil || got.BN != "123456782" || got.LegalName != "Les Serres Côté Inc." {
		t.Fatalf("%+v %v", got, err)
	}
	for _, c := range []struct {
		name string
		edit func(e *Enrolment)
		code domain.Code
	}{
		{"not in Canada", func(e *Enrolment) { e.OperatesInCanada = false }, ErrNotInCanada},
		{"a wrong digit", func(e *Enrolment) { e.BN = "123456783" }, ErrBNCheck},
		{"no legal name", func(e *Enrolment) { e.LegalName = " " }, domain.ErrRequired},
	} {
		e := ok
		c.edit(&e)
		if _, err := e.Check(); domain.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if FoldLegalName("Les Serres Côté, Inc.") != FoldLegalName("LES SERRES COTE INC") ||
		FoldLegalName("Serres Côté") == FoldLegalName("Serres Cote Ltd") {
		t.Fatal("legal names fold wrongly")
	}
}

// The people of the tests: a program officer, the business's primary user,
// a branch's primary user, a secondary user, another business's primary
// user and a student.
var (
	bizID    = domain.ID{1}
	branchID = domain.ID{2}
	officer  = account.Actor{Account: domain.ID{7}, Role: account.ProgramOfficer}
	primary  = account.Actor{Account: domain.ID{9}, Role: account.EmployerPrimary, Org: bizID}
	brPrim   = account.Actor{Account: domain.ID{10}, Role: account.BranchPrimary, Org: branchID}
	second   = account.Actor{Account: domain.ID{11}, Role: account.EmployerSecondary, Org: bizID}
	stranger = account.Actor{Account: domain.ID{12}, Role: account.EmployerPrimary, Org: domain.ID{3}}
	student  = account.Actor{Account: domain.ID{13}, Role: account.Student, Org: bizID}
	testNow  = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
)

func TestEnrol(t *testing.T) {
	ok := Enrolment{OperatesInCanada: true, BN: "123 456 782", LegalName: " Les Serres Côté Inc.", OperatingName: "Serres Côté"}
	for _, c := range []struct {
		name  string
		e     Enrolment
		taken Taken
		code  domain.Code
	}{
		{"accepted", ok, Taken{}, ""},
		{"not in Canada", Enrolment{BN: ok.BN, LegalName: ok.LegalName}, Taken{}, ErrNotInCanada},
		{"a wrong digit", Enrolment{OperatesInCanada: true, BN: "123456783", LegalName: "X"}, Taken{}, ErrBNCheck},
		{"the number enrolled", ok, Taken{BN: true}, ErrBNTaken},
		{"the legal name enrolled", ok, Taken{LegalName: true}, ErrLegalNameTaken},
		{"both: the number first", ok, Taken{BN: true, LegalName: true}, ErrBNTaken},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Enrol(bizID, c.e, primary.Account, c.taken, testNow)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if c.code != "" {
				if RefusedAtTheDoor(err) != (c.code == ErrBNTaken || c.code == ErrLegalNameTaken) {
					t.Fatalf("refused at the door: %v", RefusedAtTheDoor(err))
				}
				return
			}
			want := Business{ID: bizID, BN: "123456782", LegalName: "Les Serres Côté Inc.", OperatingName: "Serres Côté",
				Status: Pending, Enrolled: testNow, Primary: primary.Account}
			if !reflect.DeepEqual(b, want) {
				t.Fatalf("%+v, want %+v", b, want)
			}
		})
	}
	r := ok.Refused(bizID, domain.Errorf(ErrBNTaken), testNow)
	if r.Status != Refused || r.Reason != string(ErrBNTaken) || !r.Primary.IsZero() || r.Decided != testNow {
		t.Fatalf("the record of a refusal at the door: %+v", r)
	}
}

func TestDecide(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  Status
		by      account.Actor
		approve bool
		reason  string
		code    domain.Code
		want    Status
	}{
		{"approved", Pending, officer, true, "", "", Approved},
		{"refused with a reason", Pending, officer, false, "No such business at the CRA.", "", Refused},
		{"refused without a reason", Pending, officer, false, " ", ErrReasonRequired, Pending},
		{"a reason of control characters", Pending, officer, false, "late\u0000\u202e", "", Refused},
		{"decided twice", Approved, officer, false, "late", ErrNotPending, Approved},
		{"a refused one approved", Refused, officer, true, "", ErrNotPending, Refused},
		{"by its own primary user", Pending, primary, true, "", account.ErrForbidden, Pending},
		{"by a student", Pending, student, true, "", account.ErrForbidden, Pending},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := Business{ID: bizID, Status: c.status}
			err := b.Decide(c.by, c.approve, c.reason, testNow)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if b.Status != c.want {
				t.Fatalf("status %s, want %s", b.Status, c.want)
			}
			if err == nil && (b.DecidedBy != c.by.Account || b.Decided != testNow || (b.Status == Refused) != (b.Reason != "")) {
				t.Fatalf("the decision recorded: %+v", b)
			}
		})
	}
	if err := MayDecide(officer); err != nil {
		t.Fatal(err)
	}
	if err := MayDecide(primary); domain.ErrorCode(err) != account.ErrForbidden {
		t.Fatalf("a primary user may decide: %v", err)
	}
}

func TestAddBranch(t *testing.T) {
	approved := Business{ID: bizID, Status: Approved, Branches: []Branch{{ID: branchID, Name: "Guelph"}}}
	newID := domain.ID{4}
	for _, c := range []struct {
		name         string
		status       Status
		by           account.Actor
		id           domain.ID
		branch, city string
		code         domain.Code
	}{
		{"added", Approved, primary, newID, "  Niagara   farm ", "St. Catharines", ""},
		{"a pending business", Pending, primary, newID, "Niagara", "", ErrNotApproved},
		{"a refused business", Refused, primary, newID, "Niagara", "", ErrNotApproved},
		{"by a branch's primary user", Approved, brPrim, newID, "Niagara", "", account.ErrForbidden},
		{"by a secondary user", Approved, second, newID, "Niagara", "", account.ErrForbidden},
		{"by another business's primary user", Approved, stranger, newID, "Niagara", "", account.ErrOtherOrganisation},
		{"the ID of a branch", Approved, primary, branchID, "Niagara", "", ErrBranchExists},
		{"the ID of the business", Approved, primary, bizID, "Niagara", "", ErrBranchExists},
		{"no ID", Approved, primary, domain.ID{}, "Niagara", "", domain.ErrBadID},
		{"no name", Approved, primary, newID, " \u200b ", "", ErrBranchName},
		{"a name too long", Approved, primary, newID, strings.Repeat("n", 201), "", ErrBranchName},
		{"a city too long", Approved, primary, newID, "Niagara", strings.Repeat("c", 101), domain.ErrTextTooLong},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := approved
			b.Status = c.status
			b.Branches = slices.Clone(approved.Branches)
			br, err := b.AddBranch(c.by, c.id, c.branch, c.city, testNow)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if err != nil {
				if len(b.Branches) != 1 {
					t.Fatal("a refused branch was added")
				}
				return
			}
			want := Branch{ID: newID, Name: "Niagara farm", City: "St. Catharines", Created: testNow, CreatedBy: primary.Account}
			if br != want || len(b.Branches) != 2 || b.Branches[1] != want {
				t.Fatalf("%+v, want %+v", br, want)
			}
			if u, ok := b.Unit(newID); !ok || u.Name != "Niagara farm" {
				t.Fatal("the new branch is not a unit")
			}
		})
	}
	if u, ok := approved.Unit(bizID); !ok || u != nil {
		t.Fatal("the business itself is a unit")
	}
	full := approved
	full.Branches = make([]Branch, MaxBranches)
	for i := range full.Branches {
		full.Branches[i] = Branch{ID: domain.ID{9, byte(i >> 8), byte(i)}, Name: "Branch"}
	}
	if _, err := full.AddBranch(primary, newID, "Niagara", "", testNow); domain.ErrorCode(err) != domain.ErrListTooLong ||
		len(full.Branches) != MaxBranches {
		t.Fatalf("a branch past MaxBranches: %v, %d branches", err, len(full.Branches))
	}
	if _, ok := approved.Unit(domain.ID{3}); ok {
		t.Fatal("another organisation is a unit")
	}
	if err := MayManage(primary, domain.ID{}); domain.ErrorCode(err) != account.ErrOtherOrganisation {
		t.Fatalf("managing no business: %v", err)
	}
}

func TestSignerKeys(t *testing.T) {
	b := Business{ID: bizID}
	if !b.AddKey(primary.Account, []byte("k1")) || b.AddKey(second.Account, []byte("k1")) || !b.AddKey(second.Account, []byte("k2")) {
		t.Fatalf("keys added: %+v", b.Keys)
	}
	for _, c := range []struct {
		name string
		acct domain.ID
		key  string
		want bool
	}{
		{"the signer's key", primary.Account, "k1", true},
		{"another user's key", second.Account, "k1", false},
		{"an unknown key", primary.Account, "k3", false},
	} {
		if got := b.IsSignerKey(c.acct, []byte(c.key)); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}
