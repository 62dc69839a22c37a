package store

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// TestMemLimits: a burst, then one every Every, the time of the next
// said; the first refusal of a run is told apart; a full table of keys
// forgets those full again and refuses new ones while none is.
func TestMemLimits(t *testing.T) {
	lim := Limit{Burst: 3, Every: time.Minute}
	m := newMemLimits()
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if _, _, ok := m.take("a", lim, now); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	retry, first, ok := m.take("a", lim, now)
	if ok || !first || !retry.Equal(now.Add(time.Minute)) {
		t.Fatalf("fourth: ok %v first %v retry %v", ok, first, retry)
	}
	if _, first, ok := m.take("a", lim, now); ok || first {
		t.Fatalf("fifth: ok %v first %v", ok, first)
	}
	if _, over := m.over("a", lim, now); !over {
		t.Fatal("over: not over")
	}
	if _, _, ok := m.take("b", lim, now); !ok {
		t.Fatal("another key waits for the first")
	}
	if _, _, ok := m.take("a", lim, now.Add(time.Minute)); !ok {
		t.Fatal("a minute later: refused")
	}
	if _, _, ok := m.take("a", lim, now.Add(time.Minute)); ok {
		t.Fatal("a minute later: two taken")
	}

	m = newMemLimits()
	m.maxKeys = 2
	m.take("a", lim, now)
	m.take("b", lim, now)
	if _, _, ok := m.take("c", lim, now); ok {
		t.Fatal("a third key while the table is full")
	}
	if _, _, ok := m.take("c", lim, now.Add(time.Hour)); !ok || len(m.seen) != 1 {
		t.Fatalf("an hour later: %d keys", len(m.seen))
	}
}

// TestRefusalLimit: the refusals recorded for one account stop at the
// limit's burst: the push is answered sync.ErrRateLimited with the
// answers before it, the refusal past it is not recorded (its repeat is
// judged again), and a command the rules take still goes through.
func TestRefusalLimit(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	sv.opt.Refusals = Limit{Burst: 3, Every: time.Minute}
	a, err := sv.st.RegisterRepresentative(account.Registration{UserID: "sam.rep", Password: "password 12345",
		GivenNames: "Sam", FamilyName: "Rep", Email: "sam@example.ca", AcceptTerms: true, Questions: testQuestions})
	if err != nil {
		t.Fatal(err)
	}
	by := a.Actor()
	email := func(n int, addr string) sync.Command {
		p, _ := json.Marshal(EmailPayload{Email: addr})
		return sync.Command{ID: domain.ID{0xe1, byte(n)}, Kind: KindUpdateEmail, Entity: by.Account, Actor: by.Account,
			HLC: sync.MakeHLC(time.Now(), 0), Payload: p}
	}
	var cmds []sync.Command
	for n := range 5 {
		cmds = append(cmds, email(n, "not an address"))
	}
	ans, _, err := sv.Push(by, cmds)
	if domain.ErrorCode(err) != sync.ErrRateLimited || len(ans) != 3 {
		t.Fatalf("five refused: %d answers, %v", len(ans), err)
	}
	for _, a := range ans {
		if a.Outcome != sync.Rejected {
			t.Fatalf("answer %+v", a)
		}
	}
	err = sv.st.db.View(func(tx *Tx) error {
		if _, found, err := sv.answerIn(tx, cmds[3].ID); err != nil || found {
			t.Errorf("the refusal past the limit was recorded: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ans, _, err := sv.Push(by, []sync.Command{email(9, "sam.new@example.ca")}); err != nil || ans[0].Outcome != sync.Applied {
		t.Fatalf("an address the rules take: %+v %v", ans, err)
	}
	clock.Add(time.Minute)
	if ans, _, err := sv.Push(by, cmds[3:4]); err != nil || ans[0].Outcome != sync.Rejected {
		t.Fatalf("a minute later: %+v %v", ans, err)
	}
}
