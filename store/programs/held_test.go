package programs

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestTheServersCopyWaitsForTheAnswer: a page of the change feed that
// carries the server's copy of a record this desk still has a command
// about (a long-poll woken by the push, read before the push's answer) is
// not written over the desk's change, nor lost as the cursor moves on: it
// is held, and written once the command is answered.
func TestTheServersCopyWaitsForTheAnswer(t *testing.T) {
	engine, _ := storetest.MustCreate(t)
	s := DeskOf(engine)
	a := storetest.MustSchool(t, engine, "Collège Lionel-Groulx", 77)
	r, err := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Outbox(10)
	if err != nil || len(out) == 0 {
		t.Fatalf("outbox %d %v", len(out), err)
	}
	cmd := out[len(out)-1].Command
	if cmd.Entity != r.ID {
		t.Fatalf("the last command is about %s, not the request", cmd.Entity)
	}
	// The server's copy: the request as the server holds it once a desk
	// of the school verified it.
	server := r
	server.Status, server.EVN, server.Version = ens.Verified, "ABC-01-0001-X", r.Version+1
	raw, _ := json.Marshal(&server)
	epoch := domain.ID{9}
	page := sync.ChangesResponse{Epoch: epoch, Next: 7, Changes: []sync.Change{{Kind: sync.EntityRequest, ID: r.ID,
		Version: server.Version, Data: raw}}}
	if _, err := s.ApplyChanges(domain.ID{}, domain.ID{}, 0, page); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Request(storetest.Student(1), r.ID); got.Status != ens.New {
		t.Fatalf("the server's copy was written over a change still to send: %s", got.Status.Code())
	}
	if st, _ := s.SyncState(); st.Cursor != 7 || st.Epoch != epoch {
		t.Fatalf("the cursor: %+v", st)
	}
	if err := s.Acknowledge([]sync.Answer{{Command: cmd.ID, Outcome: sync.Applied, Version: r.Version}}, sync.HLC(time.Now().UnixMilli())<<16); err != nil {
		t.Fatal(err)
	}
	got, err := s.Request(storetest.Student(1), r.ID)
	if err != nil || got.Status != ens.Verified || got.EVN != server.EVN {
		t.Fatalf("once the command was answered: %s %q %v", got.Status.Code(), got.EVN, err)
	}
}
