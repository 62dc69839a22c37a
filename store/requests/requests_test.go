package requests

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestNoPersonalDataInTheFile saves a request for Élodie Côté, verifies it,
// and reads the raw profile file: neither her name, in any spelling a
// search would use, nor her client ID, birth date, student number, e-mail
// or EVN may appear in it.
func TestNoPersonalDataInTheFile(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège Lionel-Groulx", 77)
	r, err := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet(), Notes: "Élodie confirmed by phone"}}, r.Version)
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Élodie", "Côté", "elodie", "cote", "ELODIE", "COTE", "1234-5678", "12345678",
		"2002-05-17", "U20231187", "courriel", string(v.EVN), strings.ReplaceAll(string(v.EVN), "-", ""),
		"confirmed by phone", "password 12345", "answer one", "Desk"} {
		for _, form := range [][]byte{[]byte(secret), storetest.UTF16(secret)} {
			if bytes.Contains(raw, form) {
				t.Errorf("the profile file contains %q in clear", secret)
			}
		}
	}
}

// TestEveryCommittedActionSurvivesReopening acts through the service
// methods, closes the profile and opens it again: every request, outbox
// command and audit entry is there.
func TestEveryCommittedActionSurvivesReopening(t *testing.T) {
	s, clock := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	var want []ens.Request
	funcs := []ens.Action{
		{Function: ens.Save, Draft: &ens.Draft{Notes: "waiting for transcript"}},
		{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet()}},
		{Function: ens.Reject, Reason: "Identity could not be confirmed"},
		{Function: ens.Assign, Assignee: a.Sign.Account},
	}
	for i, act := range funcs {
		clock.Add(time.Minute)
		st := storetest.Elodie()
		st.ClientID = domain.ClientID([]string{"11112222", "33334444", "5555666677", "88889999"}[i])
		r, err := s.RaiseRequest(storetest.Student(byte(i)), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: st})
		if err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Minute)
		r, err = s.Act(a.Sign, r.ID, act, r.Version)
		if err != nil {
			t.Fatalf("%s: %v", act.Function, err)
		}
		want = append(want, r)
	}
	commandsBefore, _ := s.Outbox(1000)
	s = On(storetest.Reopen(t, s.Engine(), clock))
	for _, w := range want {
		got, err := s.Request(a.DIR, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("request after reopening (-want +got):\n%s", diff)
		}
	}
	commands, err := s.Outbox(1000)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(commandsBefore, commands); diff != "" {
		t.Errorf("outbox after reopening (-want +got):\n%s", diff)
	}
	applied := map[domain.ID]int{}
	for _, c := range commands {
		if c.Command.Kind == sync.KindApplyFunction {
			applied[c.Command.Entity]++
		}
	}
	audited := map[domain.ID][]string{}
	s.Audit(func(e store.AuditEntry) bool {
		audited[e.Entity] = append(audited[e.Entity], e.Action)
		return true
	})
	for i, w := range want {
		if applied[w.ID] != 1 {
			t.Errorf("request %d: %d outbox commands for its action", i, applied[w.ID])
		}
		wantAudit := []string{"ens.raise", "ens." + funcs[i].Function.Code()}
		if diff := cmp.Diff(wantAudit, audited[w.ID]); diff != "" {
			t.Errorf("request %d audit (-want +got):\n%s", i, diff)
		}
	}
}

func TestVerifyIssuesTheDesksNextEVN(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	var evns []ens.EVN
	for i := 0; i < 3; i++ {
		for _, desk := range []account.Actor{a.DIR, a.Sign} {
			st := storetest.Elodie()
			st.ClientID = domain.ClientID(strings.Repeat(string(rune('1'+i)), 4) + "000" + string(rune('0'+len(evns))))
			r, err := s.RaiseRequest(storetest.Student(byte(len(evns))), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: st})
			if err != nil {
				t.Fatal(err)
			}
			r, err = s.Act(desk, r.ID, ens.Action{Function: ens.Verify, EVN: "ignored", Draft: &ens.Draft{Checks: storetest.AllMet()}}, 0)
			if err != nil {
				t.Fatal(err)
			}
			evns = append(evns, r.EVN)
		}
	}
	seen := map[ens.EVN]bool{}
	dirAcct, _ := s.Account(a.DIR.Account)
	signAcct, _ := s.Account(a.Sign.Account)
	for i, e := range evns {
		if seen[e] {
			t.Fatalf("EVN %s issued twice", e)
		}
		seen[e] = true
		school, desk, seq := e.Parts()
		wantDesk := dirAcct.Desk
		if i%2 == 1 {
			wantDesk = signAcct.Desk
		}
		if school != 10 || uint16(desk) != wantDesk || seq != uint32(i/2+1) {
			t.Errorf("EVN %d = %s: school %d desk %d seq %d", i, e, school, desk, seq)
		}
	}
	if dirAcct.Desk == signAcct.Desk {
		t.Fatal("the DIR and the signatory share a desk number")
	}
}

func TestRefusedVerifyUsesNoNumber(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	r, _ := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if _, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Verify}, 0); !errors.Is(err, ens.ErrChecksIncomplete) {
		t.Fatalf("got %v", err)
	}
	v, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet()}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, seq := v.EVN.Parts(); seq != 1 {
		t.Fatalf("first EVN after a refused verify has sequence %d", seq)
	}
}

func TestStaleActionIsRefused(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	r, _ := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if _, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Save}, r.Version); err != nil {
		t.Fatal(err)
	}
	_, err := s.Act(a.Sign, r.ID, ens.Action{Function: ens.Reject, Reason: "x"}, r.Version)
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("got %v", err)
	}
	got, _ := s.Request(a.DIR, r.ID)
	if got.Status != ens.InProgress {
		t.Fatalf("status %s after a refused reject", got.Status)
	}
}

func TestOtherSchoolCannotReadOrAct(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	b := storetest.MustSchool(t, s.Engine(), "Collège B", 11)
	r, _ := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if _, err := s.Request(b.DIR, r.ID); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("read: %v", err)
	}
	if _, err := s.Act(b.Sign, r.ID, ens.Action{Function: ens.Save}, 0); !errors.Is(err, ens.ErrOtherSchool) {
		t.Fatalf("act: %v", err)
	}
	if _, err := s.Queue(b.DIR, QueueFilter{School: a.Inst.ID}); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("queue: %v", err)
	}
	if _, err := s.Request(storetest.Student(2), r.ID); !errors.Is(err, ens.ErrNotYourRequest) {
		t.Fatalf("another student: %v", err)
	}
	mine, err := s.StudentRequests(storetest.Student(1))
	if err != nil || len(mine) != 1 || mine[0].ID != r.ID {
		t.Fatalf("own requests: %v %v", mine, err)
	}
}

// TestDeskAcceptLeavesTheOldVerification: a desk's Accept of a Transfer IN
// closes nothing, even on a profile that holds the old school's record:
// the program closes it once it has confirmed the transfer (the server's
// side is tested with real desks in sync/client, transfer_test.go).
func TestDeskAcceptLeavesTheOldVerification(t *testing.T) {
	s, clock := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	b := storetest.MustSchool(t, s.Engine(), "Collège B", 11)
	me := storetest.Student(1)
	r, _ := s.RaiseRequest(me, ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	old, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet()}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(24 * time.Hour)
	ti, err := s.RaiseRequest(me, ens.Raise{Type: ens.TI, School: b.Inst.ID, FromSchool: a.Inst.ID, EVN: strings.ToLower(string(old.EVN)), Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	if ti.Status != ens.AwaitingAcceptance || ti.EVN != old.EVN {
		t.Fatalf("transfer in: %+v", ti)
	}
	if _, err := s.Act(b.Sign, ti.ID, ens.Action{Function: ens.Accept}, ti.Version); err != nil {
		t.Fatal(err)
	}
	kept, _ := s.Request(a.DIR, old.ID)
	if !kept.TransferredTo.IsZero() || !kept.ActiveVerification() {
		t.Fatalf("the desk closed the old verification: %+v", kept)
	}
}

// TestExpireDue: the server expires, by its clock, the open requests whose
// time has run out, in batches, and no others; a second run finds none, and
// a run whose context has ended stops before its first batch.
func TestExpireDue(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC))
	sv := storetest.MustServer(t, clock)
	s := On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	b := storetest.MustSchool(t, s.Engine(), "Collège B", 11)
	var ids []domain.ID
	for i, sc := range []storetest.School{a, b, a} {
		st := storetest.Elodie()
		st.ClientID = domain.ClientID(strings.Repeat(string(rune('1'+i)), 8))
		r, err := s.RaiseRequest(storetest.Student(byte(i)), ens.Raise{Type: ens.EV, School: sc.Inst.ID, Student: st})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		clock.Add(24 * time.Hour)
	}
	// The second request is saved; Save does not move its expiry.
	if _, err := s.Act(b.DIR, ids[1], ens.Action{Function: ens.Save}, 0); err != nil {
		t.Fatal(err)
	}
	clock.Add(28*24*time.Hour + time.Hour) // day 31: the first two are past 30 days
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := (Server{sv}).ExpireDue(stopped, 1); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("a stopped run expired %d, %v", n, err)
	}
	n, err := Server{sv}.ExpireDue(context.Background(), 1)
	if err != nil || n != 2 {
		t.Fatalf("expired %d, %v", n, err)
	}
	for i, want := range []ens.Status{ens.Expired, ens.Expired, ens.New} {
		r, _ := s.Request(storetest.Officer, ids[i])
		if r.Status != want {
			t.Errorf("request %d: %s, want %s", i, r.Status, want)
		}
		if want == ens.Expired && !r.DecidedAt.Equal(clock.Now()) {
			t.Errorf("request %d expired at %v, not by the server's clock (%v)", i, r.DecidedAt, clock.Now())
		}
	}
	if n, _ := (Server{sv}).ExpireDue(context.Background(), 100); n != 0 {
		t.Fatalf("a second run expired %d more", n)
	}
}

func TestAccountsEnrolSignInAndLockOut(t *testing.T) {
	s, _ := mustCreate(t)
	a := storetest.MustSchool(t, s.Engine(), "Collège A", 10)
	pin, rec, err := s.IssuePIN(a.DIR, account.PINRequest{Role: account.Signatory, Org: a.Inst.ID, GivenNames: "Zoé", FamilyName: "Gagnon"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Hash == "" || strings.Contains(rec.Hash, pin) {
		t.Fatal("PIN record must hold only a hash")
	}
	e := account.Enrolment{UserID: "zoe", Password: "password 12345", GivenNames: "Zoe", FamilyName: "GAGNON",
		PIN: strings.ToLower(pin), AcceptTerms: true, Questions: storetest.Questions}
	acct, err := s.Enrol(e)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Role != account.Signatory || acct.Org != a.Inst.ID || acct.Desk < store.FirstSignatoryDesk {
		t.Fatalf("account %+v", acct)
	}
	e.UserID = "zoe2"
	if _, err := s.Enrol(e); !errors.Is(err, account.ErrPINUsed) {
		t.Fatalf("PIN used twice: %v", err)
	}
	other, _ := account.NewPINCode(strings.NewReader(strings.Repeat("x", 64)))
	e.PIN = other
	if _, err := s.Enrol(e); !errors.Is(err, account.ErrPINUnknown) {
		t.Fatalf("unknown PIN: %v", err)
	}
	if _, _, err := s.SignIn("nobody", "password 12345"); !errors.Is(err, account.ErrSignInFailed) {
		t.Fatalf("unknown user: %v", err)
	}
	sess, _, err := s.SignIn("ZOE", "password 12345")
	if err != nil || sess.Actor.Account != acct.ID {
		t.Fatalf("sign in: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, _, err := s.SignIn("zoe", "wrong"); !errors.Is(err, account.ErrSignInFailed) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, _, err := s.SignIn("zoe", "wrong"); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("third failure: %v", err)
	}
	if _, _, err := s.SignIn("zoe", "password 12345"); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("after de-link: %v", err)
	}
	// A new PIN from the DIR re-links the same account.
	pin2, _, err := s.IssuePIN(a.DIR, account.PINRequest{Role: account.Signatory, Org: a.Inst.ID})
	if err != nil {
		t.Fatal(err)
	}
	e.UserID, e.PIN, e.Password = "zoe", pin2, "new password 678"
	again, err := s.Enrol(e)
	if err != nil || again.ID != acct.ID {
		t.Fatalf("re-enrol: %v, id %v want %v", err, again.ID, acct.ID)
	}
	if _, _, err := s.SignIn("zoe", "new password 678"); err != nil {
		t.Fatalf("sign in after re-enrolment: %v", err)
	}
	staff, err := s.Staff(a.DIR, a.Inst.ID)
	if err != nil || len(staff) != 3 {
		t.Fatalf("staff of the school: %d, %v", len(staff), err)
	}
	if _, err := s.Staff(a.DIR, domain.ID{0xee}); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("staff of another school: %v", err)
	}
	if err := s.RevokeSignatory(a.Sign, acct.ID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("signatory revoking: %v", err)
	}
	if err := s.RevokeSignatory(a.DIR, acct.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SignIn("zoe", "new password 678"); !errors.Is(err, store.ErrAccountRevoked) {
		t.Fatalf("revoked: %v", err)
	}
}
