package programs

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/storetest"
	"dossier/sync"
)

func raiseCommand(t *testing.T, by domain.ID, school domain.ID, n int, name string) sync.Command {
	t.Helper()
	st := storetest.Elodie()
	st.FamilyName = name
	st.ClientID = domain.ClientID(fmt.Sprintf("%08d", 30000000+n))
	p, err := json.Marshal(sync.RaisePayload{Raise: ens.Raise{Type: ens.EV, School: school, Student: st}})
	if err != nil {
		t.Fatal(err)
	}
	return sync.Command{ID: domain.ID{0xc0, byte(n >> 8), byte(n)}, Kind: sync.KindRaiseRequest,
		Entity: mintedN(0xc1, n), Actor: by, HLC: sync.MakeHLC(time.Now(), 0), Payload: p}
}

// TestPushCreateLimit: a student's push of more raises than the burst
// applies the burst and is answered sync.ErrRateLimited with when to come
// back; the same batch again is answered from the stored answers without
// counting them twice; a minute later one more goes through. A DIR's
// workflow actions are not counted.
func TestPushCreateLimit(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	sc := storetest.MustSchool(t, sv.Store().Engine(), "Collège Boréal", 1)
	by := storetest.Student(1)
	burst := store.DefaultCreateLimits[store.CreatesRequest].Burst
	var cmds []sync.Command
	for n := range burst + 5 {
		cmds = append(cmds, raiseCommand(t, by.Account, sc.Inst.ID, n, "Côté-"+string(rune('a'+n%26))))
	}
	answers, _, err := sv.Push(by, cmds)
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != sync.ErrRateLimited || len(e.Args) != 1 {
		t.Fatalf("push: %v", err)
	}
	if retry, _ := e.Args[0].(time.Time); !retry.Equal(clock.Now().Add(time.Minute)) {
		t.Fatalf("retry at %v", e.Args[0])
	}
	if len(answers) != burst {
		t.Fatalf("%d answers, want %d", len(answers), burst)
	}
	for i, a := range answers {
		if a.Outcome != sync.Applied {
			t.Fatalf("answer %d: %+v %+v", i, a, a.Error)
		}
	}
	// Again, as a desk retries: the same answers, nothing new.
	again, _, err := sv.Push(by, cmds)
	if domain.ErrorCode(err) != sync.ErrRateLimited || len(again) != burst {
		t.Fatalf("again: %d answers, %v", len(again), err)
	}
	clock.Add(time.Minute)
	again, _, err = sv.Push(by, cmds)
	if domain.ErrorCode(err) != sync.ErrRateLimited || len(again) != burst+1 {
		t.Fatalf("a minute later: %d answers, %v", len(again), err)
	}
	// The DIR acts on every one of them, and more, at once: workflow
	// actions are not counted.
	var acts []sync.Command
	for i := range 3 * burst {
		d := ens.Draft{Checks: storetest.AllMet()}
		p, _ := json.Marshal(sync.ApplyPayload{Action: ens.Action{Function: ens.Verify, Draft: &d}})
		acts = append(acts, sync.Command{ID: domain.ID{0xd0, byte(i)}, Kind: sync.KindApplyFunction,
			Entity: cmds[i%burst].Entity, Actor: sc.DIR.Account, HLC: sync.MakeHLC(time.Now(), 0), Payload: p})
	}
	if ans, _, err := sv.Push(sc.DIR, acts); err != nil || len(ans) != len(acts) {
		t.Fatalf("the DIR's actions: %d answers, %v", len(ans), err)
	}
}

// TestPushPayloadBound: a command over its kind's bound is refused with
// sync.ErrTooLarge, and the commands after it are applied.
func TestPushPayloadBound(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	sc := storetest.MustSchool(t, sv.Store().Engine(), "Collège Boréal", 1)
	by := storetest.Student(1)
	big := raiseCommand(t, by.Account, sc.Inst.ID, 1, strings.Repeat("a", store.MaxPayloadSmall))
	ok := raiseCommand(t, by.Account, sc.Inst.ID, 2, "Côté")
	answers, _, err := sv.Push(by, []sync.Command{big, ok})
	if err != nil || len(answers) != 2 {
		t.Fatalf("%d answers, %v", len(answers), err)
	}
	if a := answers[0]; a.Outcome != sync.Rejected || a.Error.Code != sync.ErrTooLarge {
		t.Fatalf("the big one: %+v", a)
	}
	if a := answers[1]; a.Outcome != sync.Applied {
		t.Fatalf("the next: %+v %+v", a, a.Error)
	}
}

// TestRepMisses: after DefaultRepMissLimit's burst of requests matching no
// file, a representative's next request is refused with ErrRepMisses,
// even one that would match; the applicant's file is not touched.
func TestRepMisses(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	a, err := sv.Store().RegisterRepresentative(account.Registration{UserID: "sam.rep", Password: "password 12345",
		GivenNames: "Sam", FamilyName: "Rep", Email: "sam@example.ca", AcceptTerms: true, Questions: storetest.Questions})
	if err != nil {
		t.Fatal(err)
	}
	rep := a.Actor()
	ask := func(n int, file oinp.FileNumber) sync.Answer {
		p, _ := json.Marshal(applications.RepRequestPayload{FileNumber: file, Email: "someone@example.ca"})
		cmd := sync.Command{ID: domain.ID{0xe0, byte(n)}, Kind: applications.KindRepRequest, Entity: rep.Account, Actor: rep.Account,
			HLC: sync.MakeHLC(time.Now(), 0), Payload: p}
		ans, _, err := sv.Push(rep, []sync.Command{cmd})
		if err != nil || len(ans) != 1 {
			t.Fatalf("request %d: %v", n, err)
		}
		return ans[0]
	}
	for n := range store.DefaultRepMissLimit.Burst {
		if a := ask(n, oinp.FileNumber(fmt.Sprintf("JOID-%07d", 1000000+n))); a.Error == nil || a.Error.Code != applications.ErrRepNoMatch {
			t.Fatalf("guess %d: %+v", n, a)
		}
	}
	if a := ask(99, "JOID-1234567"); a.Error == nil || a.Error.Code != store.ErrRepMisses {
		t.Fatalf("after the misses: %+v", a)
	}
	clock.Add(store.DefaultRepMissLimit.Every)
	if a := ask(100, "JOID-1234568"); a.Error == nil || a.Error.Code != applications.ErrRepNoMatch {
		t.Fatalf("after a pause: %+v", a)
	}
}

// mintedN is an ID shaped as desks mint them (claims.go), numbered n.
func mintedN(prefix byte, n int) domain.ID {
	id := domain.ID{prefix, byte(n >> 8), byte(n)}
	id[6], id[8] = 0x70, 0x80
	return id
}
