package ens

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// legal is the transition table of DOMAIN.md §3 written out by hand, one
// line per (function, type, status): everything not listed here must be
// refused. It is deliberately not derived from the rules it checks.
var legal = []struct {
	f        Function
	t        Type
	from, to Status
}{
	{Verify, EV, New, Verified}, {Verify, EV, InProgress, Verified},
	{Verify, EVT, New, Verified}, {Verify, EVT, InProgress, Verified},

	{Reject, EV, New, Rejected}, {Reject, EV, InProgress, Rejected},
	{Reject, EVT, New, Rejected}, {Reject, EVT, InProgress, Rejected},
	{Reject, TI, AwaitingAcceptance, Rejected}, {Reject, TI, InProgress, Rejected},

	{Save, EV, New, InProgress}, {Save, EV, InProgress, InProgress},
	{Save, EVT, New, InProgress}, {Save, EVT, InProgress, InProgress},
	{Save, TI, AwaitingAcceptance, InProgress}, {Save, TI, InProgress, InProgress},
	{Save, AC, New, InProgress}, {Save, AC, InProgress, InProgress},

	{Accept, TI, AwaitingAcceptance, Accepted}, {Accept, TI, InProgress, Accepted},

	{MarkEligible, AC, New, Eligible}, {MarkEligible, AC, InProgress, Eligible},
	{MarkEligible, AC, Ineligible, Eligible},
	{MarkIneligible, AC, New, Ineligible}, {MarkIneligible, AC, InProgress, Ineligible},
	{MarkIneligible, AC, Eligible, Ineligible},

	{Withdraw, EV, New, Withdrawn}, {Withdraw, EV, InProgress, Withdrawn},
	{Withdraw, EVT, New, Withdrawn}, {Withdraw, EVT, InProgress, Withdrawn},
	{Withdraw, TI, AwaitingAcceptance, Withdrawn}, {Withdraw, TI, InProgress, Withdrawn},

	{Expire, EV, New, Expired}, {Expire, EV, InProgress, Expired},
	{Expire, EVT, New, Expired}, {Expire, EVT, InProgress, Expired},
	{Expire, TI, AwaitingAcceptance, Expired}, {Expire, TI, InProgress, Expired},

	{Report, AC, Eligible, Reported}, {Report, AC, Ineligible, Reported},

	{Assign, EV, New, New}, {Assign, EV, InProgress, InProgress},
	{Assign, EVT, New, New}, {Assign, EVT, InProgress, InProgress},
	{Assign, TI, AwaitingAcceptance, AwaitingAcceptance}, {Assign, TI, InProgress, InProgress},
	{Assign, AC, New, New}, {Assign, AC, InProgress, InProgress},
}

// who may use each function, by hand.
var who = map[Function][]account.Role{
	Verify: {account.DIR, account.Signatory}, Reject: {account.DIR, account.Signatory},
	Save: {account.DIR, account.Signatory}, Accept: {account.DIR, account.Signatory},
	MarkEligible: {account.DIR, account.Signatory}, MarkIneligible: {account.DIR, account.Signatory},
	Withdraw: {account.Student}, Expire: {account.System}, Report: {account.DIR},
	Assign: {account.DIR, account.Signatory},
}

var (
	school  = domain.ID{1}
	student = domain.ID{2}
	t0      = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
)

func actorFor(r account.Role) account.Actor {
	switch r {
	case account.DIR, account.Signatory:
		return account.Actor{Account: domain.ID{3}, Role: r, Org: school}
	case account.Student:
		return account.Actor{Account: student, Role: r}
	}
	return account.Actor{Account: domain.ID{4}, Role: r}
}

// completeAction gives each function what it needs to succeed.
func completeAction(f Function) Action {
	a := Action{Function: f, Reason: "Could not identify the student", Assignee: domain.ID{9}}
	if f == Verify {
		evn, _ := IssueEVN(12, 1, 1)
		a.EVN = evn
		a.Draft = &Draft{Checks: allMet()}
	}
	return a
}

func allMet() Checks {
	var c Checks
	for i := range c {
		c[i] = Met
	}
	return c
}

// TestEveryTransition tries every function in every type and status with
// every role, and checks each outcome against the hand-written table.
func TestEveryTransition(t *testing.T) {
	type key struct {
		f Function
		t Type
		s Status
	}
	want := map[key]Status{}
	typeOK := map[[2]int]bool{}
	for _, l := range legal {
		want[key{l.f, l.t, l.from}] = l.to
		typeOK[[2]int{int(l.f), int(l.t)}] = true
	}
	roles := append(append([]account.Role{}, account.Roles...), account.System)
	var legalSeen, illegalSeen int
	for _, f := range Functions {
		for _, ty := range Types {
			for _, st := range Statuses {
				for _, role := range roles {
					name := fmt.Sprintf("%s/%s/%s/%s", f, ty, st, role)
					r := Request{ID: domain.ID{7}, Version: 4, Type: ty, Status: st, School: school,
						StudentAccount: student, Received: t0, Expires: t0.AddDate(0, 0, 30)}
					now := t0.Add(time.Hour)
					if f == Expire {
						now = r.Expires.Add(time.Minute)
					}
					got, err := Apply(r, completeAction(f), actorFor(role), now)
					to, ok := want[key{f, ty, st}]
					var wantCode domain.Code
					switch {
					case !typeOK[[2]int{int(f), int(ty)}]:
						wantCode = ErrNotForType
					case !contains(who[f], role):
						wantCode = ErrRoleNotAllowed
					case !ok:
						wantCode = ErrNotInStatus
					}
					if wantCode != "" {
						illegalSeen++
						if domain.ErrorCode(err) != wantCode {
							t.Errorf("%s: got %v, want %s", name, err, wantCode)
						}
						if got != r {
							t.Errorf("%s: a refused function changed the request", name)
						}
						continue
					}
					legalSeen++
					if err != nil {
						t.Errorf("%s: refused: %v", name, err)
						continue
					}
					if got.Status != to {
						t.Errorf("%s: status %s, want %s", name, got.Status, to)
					}
					if got.Version != r.Version+1 || !got.Updated.Equal(now) {
						t.Errorf("%s: version %d updated %v", name, got.Version, got.Updated)
					}
					if !got.Expires.Equal(r.Expires) {
						t.Errorf("%s: expiry moved to %v", name, got.Expires)
					}
				}
			}
		}
	}
	if legalSeen == 0 || illegalSeen == 0 {
		t.Fatalf("legal %d illegal %d: the table test covered nothing", legalSeen, illegalSeen)
	}
	t.Logf("%d legal and %d illegal combinations checked", legalSeen, illegalSeen)
}

func TestLegalListsOnlyWhatApplyAccepts(t *testing.T) {
	r := Request{Type: TI, Status: AwaitingAcceptance, School: school, StudentAccount: student,
		Received: t0, Expires: t0.AddDate(0, 0, 30)}
	got := Legal(&r, actorFor(account.Signatory), t0)
	want := []Function{Reject, Save, Accept, Assign}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Legal = %v, want %v", got, want)
	}
}

func TestDeskOfAnotherSchoolIsRefused(t *testing.T) {
	r := Request{Type: EV, Status: New, School: school, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	other := account.Actor{Account: domain.ID{5}, Role: account.DIR, Org: domain.ID{99}}
	_, err := Apply(r, completeAction(Save), other, t0)
	if !errors.Is(err, ErrOtherSchool) {
		t.Fatalf("got %v, want %s", err, ErrOtherSchool)
	}
	if Legal(&r, other, t0) != nil {
		t.Fatal("another school's desk is offered functions")
	}
}

func TestStudentWithdrawsOnlyTheirOwn(t *testing.T) {
	r := Request{Type: EV, Status: New, School: school, StudentAccount: student, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	stranger := account.Actor{Account: domain.ID{6}, Role: account.Student}
	if _, err := Apply(r, Action{Function: Withdraw}, stranger, t0); !errors.Is(err, ErrNotYourRequest) {
		t.Fatalf("got %v, want %s", err, ErrNotYourRequest)
	}
}

func TestExpiry(t *testing.T) {
	r := Request{Type: EV, Status: InProgress, School: school, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	dir := actorFor(account.DIR)
	tests := []struct {
		name string
		f    Function
		by   account.Actor
		at   time.Time
		want domain.Code
	}{
		{"save the minute before", Save, dir, r.Expires.Add(-time.Minute), ""},
		{"save at expiry", Save, dir, r.Expires, ErrRequestExpired},
		{"expire too early", Expire, account.SystemActor, r.Expires.Add(-time.Second), ErrNotYetExpired},
		{"expire on time", Expire, account.SystemActor, r.Expires, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Apply(r, completeAction(tt.f), tt.by, tt.at)
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	ac := Request{Type: AC, Status: New, School: school, Received: t0}
	if ac.Lapsed(t0.AddDate(5, 0, 0)) {
		t.Fatal("an annual compliance request lapsed; it has no expiry")
	}
}

func TestSaveKeepsExpiryAndDraft(t *testing.T) {
	r := Request{Type: EV, Status: New, School: school, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	d := Draft{Notes: "  called the registrar ", StudentNumber: " a123-45 ", Checks: Checks{Met, Met}}
	got, err := Apply(r, Action{Function: Save, Draft: &d}, actorFor(account.DIR), t0.AddDate(0, 0, 10))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Expires.Equal(r.Expires) {
		t.Errorf("Save moved the expiry from %v to %v", r.Expires, got.Expires)
	}
	if got.Notes != "called the registrar" || got.Student.StudentNumber != "A123-45" || got.Checks[1] != Met {
		t.Errorf("draft not kept: %+v", got)
	}
	if got.Status != InProgress || !got.DecidedAt.IsZero() {
		t.Errorf("status %s decided %v", got.Status, got.DecidedAt)
	}
}

func TestRejectDiscardsChangesAndNeedsReason(t *testing.T) {
	r := Request{Type: EV, Status: InProgress, School: school, Notes: "saved earlier", Received: t0, Expires: t0.AddDate(0, 0, 30)}
	dir := actorFor(account.DIR)
	if _, err := Apply(r, Action{Function: Reject, Reason: "   "}, dir, t0); !errors.Is(err, ErrReasonRequired) {
		t.Fatalf("blank reason: got %v", err)
	}
	got, err := Apply(r, Action{Function: Reject, Reason: " Not enrolled ", Draft: &Draft{Notes: "unsaved"}}, dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Notes != "saved earlier" || got.Reason != "Not enrolled" || got.DecidedBy != dir.Account {
		t.Fatalf("got %+v", got)
	}
}

func TestVerifyNeedsEVNAndEveryCheck(t *testing.T) {
	r := Request{Type: EV, Status: New, School: school, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	dir := actorFor(account.DIR)
	evn, _ := IssueEVN(12, 1, 1)
	some := allMet()
	some[AcademicStanding] = Unchecked
	failed := allMet()
	failed[NotExchange] = NotMet
	all := allMet()
	tests := []struct {
		name string
		a    Action
		want domain.Code
	}{
		{"no EVN", Action{Function: Verify, Draft: &Draft{Checks: all}}, ErrEVNRequired},
		{"mistyped EVN", Action{Function: Verify, EVN: "00C-01-0001-0", Draft: &Draft{Checks: all}}, ErrEVNCheck},
		{"a check left open", Action{Function: Verify, EVN: evn, Draft: &Draft{Checks: some}}, ErrChecksIncomplete},
		{"a check failed", Action{Function: Verify, EVN: evn, Draft: &Draft{Checks: failed}}, ErrStudentNotEligible},
		{"checks saved before", Action{Function: Verify, EVN: evn}, ErrChecksIncomplete},
		{"complete", Action{Function: Verify, EVN: evn, Draft: &Draft{Checks: all}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply(r, tt.a, dir, t0)
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err == nil && (got.EVN != evn || got.DecidedBy != dir.Account || !got.DecidedAt.Equal(t0)) {
				t.Fatalf("verified request: %+v", got)
			}
		})
	}
}

func TestAssignNeedsAColleague(t *testing.T) {
	r := Request{Type: EV, Status: New, School: school, Received: t0, Expires: t0.AddDate(0, 0, 30)}
	if _, err := Apply(r, Action{Function: Assign}, actorFor(account.Signatory), t0); !errors.Is(err, ErrAssigneeRequired) {
		t.Fatalf("got %v", err)
	}
}

func TestCloseAsTransferred(t *testing.T) {
	old := Request{Type: EV, Status: Verified, School: school}
	got, err := CloseAsTransferred(old, domain.ID{8}, t0)
	if err != nil || got.TransferredTo != (domain.ID{8}) || got.ActiveVerification() {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := CloseAsTransferred(got, domain.ID{9}, t0); !errors.Is(err, ErrNotTransferable) {
		t.Fatalf("second transfer: %v", err)
	}
	if _, err := CloseAsTransferred(Request{Status: New}, domain.ID{8}, t0); !errors.Is(err, ErrNotTransferable) {
		t.Fatalf("open request: %v", err)
	}
}
