package programs

import (
	"bytes"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestFeedReadersAreNamespaced: an account whose ID is a school's — as
// the store held one before schema 7 refused such IDs — reads its own
// entries, not the school's students' requests and staff: reader keys
// hash their namespace, so an account's key never equals an
// organisation's.
func TestFeedReadersAreNamespaced(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	sc := storetest.MustSchool(t, sv.Store().Engine(), "Collège Boréal", 1)
	r, err := sv.Store().RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: sc.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	staff := account.Actor{Account: sc.DIR.Account, Role: account.DIR, Org: sc.Inst.ID}
	twin := account.Actor{Account: sc.Inst.ID, Role: account.Student}
	for _, c := range []struct {
		name string
		by   account.Actor
		want bool
	}{{"the school's DIR", staff, true}, {"the student", storetest.Student(1), true},
		{"an account with the school's ID", twin, false}, {"the province's coordinators",
			account.Actor{Account: domain.ID{0xc0}, Role: account.Coordinator, Org: store.ProvinceID("ON")}, false}} {
		page, err := sv.Changes(c.by, sv.Epoch(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, ch := range page.Changes {
			if ch.Kind == sync.EntityRequest && ch.ID == r.ID {
				got = true
			}
			if c.by == twin && ch.Kind != sync.EntityInstitution {
				t.Errorf("%s reads a %s", c.name, ch.Kind)
			}
		}
		if got != c.want {
			t.Errorf("%s reads the request: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestFeedFilesByKind: an applicant's account and application share an
// ID; a change to one no longer drops the other from the feed.
func TestFeedFilesByKind(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	a, err := sv.Store().RegisterApplicant(account.Registration{UserID: "linh.nguyen", Password: "password 12345",
		GivenNames: "Linh", FamilyName: "Nguyen", AcceptTerms: true, Questions: storetest.Questions})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Store().RegisterApplication(a.Actor()); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Store().UpdateEmail(a.Actor(), "linh@example.ca"); err != nil {
		t.Fatal(err)
	}
	page, err := sv.Changes(a.Actor(), sv.Epoch(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[sync.EntityKind]domain.ID{}
	for _, c := range page.Changes {
		kinds[c.Kind] = c.ID
	}
	if kinds[sync.EntityAccount] != a.ID || kinds[sync.EntityApplication] != a.ID {
		t.Fatalf("the applicant reads %v, want their account and application (%s)", kinds, a.ID)
	}
}

// TestSchema7RefilesTheFeed: the schema 5 server file of testdata,
// migrated, claims every record's ID, files its feed by kind with hashed
// reader keys, and each person still reads what they read: a DIR the
// schools and their own school's PINs, the program everything.
func TestSchema7RefilesTheFeed(t *testing.T) {
	dir := storetest.CopySchema5(t, "..")
	sv, err := OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	var schools []store.Institution
	pins := map[domain.ID]domain.ID{} // PIN → its school
	err = sv.Store().View(func(tx *store.Tx) error {
		if v := tx.Bucket(store.MetaBucket).Get(store.MetaSchema); !bytes.Equal(v, store.U32(store.SchemaVersion)) {
			t.Errorf("schema %v", v)
		}
		c := tx.Bucket(store.ChangeLatestBucket).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) <= 16 {
				t.Errorf("a latest entry of the old filing is left: %x", k)
			}
		}
		c = tx.Bucket(store.OrgsBucket).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var in store.Institution
			if _, err := sv.Store().GetJSON(store.BucketOf(tx, store.OrgsBucket), k, &in); err != nil {
				return err
			}
			schools = append(schools, in)
			if got := tx.Bucket(store.IDsBucket).Get(k); string(got) != string(sync.EntityInstitution) {
				t.Errorf("school %s claimed as %q", in.Name, got)
			}
		}
		c = tx.Bucket(store.PINsBucket).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var p account.PIN
			if _, err := sv.Store().GetJSON(store.BucketOf(tx, store.PINsBucket), k, &p); err != nil {
				return err
			}
			pins[p.ID] = p.Org
			if got := tx.Bucket(store.IDsBucket).Get(k); string(got) != string(sync.EntityPIN) {
				t.Errorf("PIN claimed as %q", got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) != 2 || len(pins) != 4 {
		t.Fatalf("the fixture holds %d schools, %d PINs", len(schools), len(pins))
	}
	all, err := sv.Changes(account.Actor{Role: account.ProgramOfficer}, sv.Epoch(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range schools {
		dir := account.Actor{Account: domain.ID{0xd1}, Role: account.DIR, Org: sc.ID}
		page, err := sv.Changes(dir, sv.Epoch(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[sync.EntityKind]int{}
		for _, c := range page.Changes {
			got[c.Kind]++
			if c.Kind == sync.EntityPIN && pins[c.ID] != sc.ID {
				t.Errorf("the DIR of %s reads another school's PIN", sc.Name)
			}
		}
		want := 0
		for _, org := range pins {
			if org == sc.ID {
				want++
			}
		}
		if got[sync.EntityInstitution] != 2 || got[sync.EntityPIN] != want {
			t.Errorf("the DIR of %s reads %v, want both schools and %d PINs", sc.Name, got, want)
		}
	}
	if len(all.Changes) < 2+len(pins) {
		t.Errorf("the program reads %d entries", len(all.Changes))
	}
}
