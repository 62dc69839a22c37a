package programs

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestSchema8GivesAccountDesksToDevices: the schema 5 server file of
// store/testdata, migrated, holds a school whose DIR signed in on two
// computers and whose signatory never signed in, each with the desk their
// account had before schema 8 (as a schema 7 server kept it). Opening it
// again migrates to schema 8: the DIR's desk, its sequence going on,
// becomes the desk of the computer the DIR signed in on last, and reaches
// that computer in the feed; the signatory's desk is retired. The DIR's
// other computer, and the signatory's first, get numbers nobody held.
func TestSchema8GivesAccountDesksToDevices(t *testing.T) {
	dir := storetest.CopySchema5(t, "..")
	clock := storetest.NewClock(time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC))
	opt := store.ServerOptions{Store: storetest.Options(clock)}
	sv, err := OpenServer(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	sc := storetest.MustSchool(t, sv.Store().Engine(), "École de la Baie", 777)
	const pw = "password 12345" // storetest.MustSchool's
	dirUser, sigUser := "dir."+sc.Inst.Code.String(), "sig."+sc.Inst.Code.String()
	desk, laptop, sigPC := domain.ID{0xde, 1}, domain.ID{0xde, 2}, domain.ID{0xde, 3}
	if _, err := storetest.SignIn(sv.engineServer, dirUser, pw, desk); err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Hour)
	if _, err := storetest.SignIn(sv.engineServer, dirUser, pw, laptop); err != nil {
		t.Fatal(err)
	}
	dirAcct, _ := sv.Store().Account(sc.DIR.Account)
	sigAcct, _ := sv.Store().Account(sc.Sign.Account)
	oldDIR := store.DeskState{School: sc.Inst.Code, Desk: ens.Desk(dirAcct.Desk), Next: 42}
	oldSig := store.DeskState{School: sc.Inst.Code, Desk: ens.Desk(sigAcct.Desk), Next: 7}
	// The file as schema 7 had it: desks by account, none by computer.
	err = sv.Store().Update(func(tx *store.Tx) error {
		dd := tx.Bucket(store.DeviceDesksBucket)
		var keys [][]byte
		c := dd.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if err := dd.Delete(k); err != nil {
				return err
			}
		}
		desks := tx.Bucket(store.DesksBucket)
		if err := desks.Put(sc.DIR.Account[:], store.EncodeDesk(oldDIR)); err != nil {
			return err
		}
		if err := desks.Put(sc.Sign.Account[:], store.EncodeDesk(oldSig)); err != nil {
			return err
		}
		return tx.Bucket(store.MetaBucket).Put(store.MetaSchema, store.U32(7))
	})
	if err != nil {
		t.Fatal(err)
	}
	sv.Close()

	sv, err = OpenServer(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	err = sv.Store().View(func(tx *store.Tx) error {
		if v := tx.Bucket(store.MetaBucket).Get(store.MetaSchema); !bytes.Equal(v, store.U32(store.SchemaVersion)) {
			t.Errorf("schema %v", v)
		}
		if k, _ := tx.Bucket(store.DesksBucket).Cursor().First(); k != nil {
			t.Errorf("an account's desk is left: %x", k)
		}
		st := sv.Store()
		if d, ok := st.IssuingDesk(tx, sc.DIR.Account, laptop); !ok || d != oldDIR {
			t.Errorf("the DIR's last computer has %+v (%v), want %+v", d, ok, oldDIR)
		}
		if d, ok := st.IssuingDesk(tx, sc.DIR.Account, desk); ok {
			t.Errorf("the DIR's earlier computer kept %+v", d)
		}
		if d, ok := st.IssuingDesk(tx, sc.Sign.Account, domain.ID{}); !ok || d != oldSig {
			t.Errorf("the signatory's retired desk: %+v (%v), want %+v", d, ok, oldSig)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The DIR's laptop reads its desk in the feed.
	page, err := sv.Changes(sc.DIR, sv.Epoch(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	fed := false
	for _, c := range page.Changes {
		var d store.DeskChange
		if c.Kind == sync.EntityDeviceDesk && json.Unmarshal(c.Data, &d) == nil && d.Device == laptop {
			fed = d.Desk == oldDIR.Desk && d.Next == oldDIR.Next
		}
	}
	if !fed {
		t.Error("the feed does not give the DIR's laptop its desk")
	}

	// The other computers sign in: each gets a number no one held.
	if _, err := storetest.SignIn(sv.engineServer, dirUser, pw, desk); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.SignIn(sv.engineServer, sigUser, pw, sigPC); err != nil {
		t.Fatal(err)
	}
	err = sv.Store().View(func(tx *store.Tx) error {
		st := sv.Store()
		a, okA := st.IssuingDesk(tx, sc.DIR.Account, desk)
		b, okB := st.IssuingDesk(tx, sc.Sign.Account, sigPC)
		if !okA || !okB || a.Next != 1 || b.Next != 1 {
			t.Fatalf("new computers' desks: %+v %v, %+v %v", a, okA, b, okB)
		}
		for _, old := range []ens.Desk{oldDIR.Desk, oldSig.Desk} {
			if a.Desk == old || b.Desk == old {
				t.Errorf("a new computer got number %d, held before: %+v %+v", old, a, b)
			}
		}
		if a.Desk == b.Desk {
			t.Errorf("two computers share number %d", a.Desk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSchema8DeskWaitsForTheServersNumber: a desk connected to a server,
// migrated to schema 8, issues nothing from the desks its accounts had
// until the server's number for this computer arrives; the same number
// goes on from the desk's own sequence, another replaces it. A number for
// another computer is not this desk's. A profile that works alone keeps
// its desks.
func TestSchema8DeskWaitsForTheServersNumber(t *testing.T) {
	for _, connected := range []bool{false, true} {
		s, clock := storetest.MustCreate(t)
		sc := storetest.MustSchool(t, s, "École de la Baie", 777)
		dirDesk, ok, err := s.DeskOf(sc.DIR)
		if err != nil || !ok {
			t.Fatalf("a profile that works alone has no desk for its DIR: %v", err)
		}
		sigDesk, _, _ := s.DeskOf(sc.Sign)
		dirDesk.Next = 9
		err = s.Update(func(tx *store.Tx) error {
			if err := tx.Bucket(store.DesksBucket).Put(sc.DIR.Account[:], store.EncodeDesk(dirDesk)); err != nil {
				return err
			}
			return tx.Bucket(store.MetaBucket).Put(store.MetaSchema, store.U32(7))
		})
		if err != nil {
			t.Fatal(err)
		}
		if connected {
			if err := s.UpdateSyncState(func(st *store.SyncState) { st.Server = "https://dossier.example" }); err != nil {
				t.Fatal(err)
			}
		}
		s = storetest.Reopen(t, s, clock)
		got, ok, _ := s.DeskOf(sc.DIR)
		if !connected {
			if !ok || got != dirDesk {
				t.Fatalf("alone: the DIR's desk %+v (%v), want %+v", got, ok, dirDesk)
			}
			continue
		}
		if ok {
			t.Fatalf("connected: the DIR issues from %+v before the server confirmed it", got)
		}
		replay := func(acct, device domain.ID, d store.DeskState) {
			t.Helper()
			raw, _ := json.Marshal(store.DeskChange{Account: acct, Device: device, School: d.School, Desk: d.Desk, Next: d.Next})
			err := s.Update(func(tx *store.Tx) error {
				_, err := s.ReplayDesk(tx, &sync.Change{Kind: sync.EntityDeviceDesk, Data: raw})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		other := store.DeskState{School: dirDesk.School, Desk: 40, Next: 3}
		replay(sc.DIR.Account, domain.ID{0xde, 9}, other) // another computer's
		if got, ok, _ := s.DeskOf(sc.DIR); ok {
			t.Fatalf("the desk took another computer's number: %+v", got)
		}
		replay(sc.DIR.Account, s.Device(), store.DeskState{School: dirDesk.School, Desk: dirDesk.Desk, Next: 4})
		if got, ok, _ := s.DeskOf(sc.DIR); !ok || got != dirDesk {
			t.Fatalf("the server's same number: %+v (%v), want %+v", got, ok, dirDesk)
		}
		replay(sc.Sign.Account, s.Device(), other)
		if got, ok, _ := s.DeskOf(sc.Sign); !ok || got != other || got.Desk == sigDesk.Desk {
			t.Fatalf("the server's new number: %+v (%v), want %+v", got, ok, other)
		}
		err = s.View(func(tx *store.Tx) error {
			c := tx.Bucket(store.DesksBucket).Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if len(k) != 16 {
					t.Errorf("an unconfirmed desk is left: %q", k)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
