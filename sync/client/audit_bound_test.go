package client_test

import (
	"context"
	"testing"

	"dossier/store"
)

// TestAuditHistoryIsBoundedOverTheAPI: a person whose history outgrows
// what the server answers (store.MaxAuditAnswer) is read, over TLS, as
// the newest entries, oldest first, with the count of the earlier ones
// the server left out; the server's administrator reads them all
// (dossierd audit, AuditOfUser). A history without end once made an
// answer without end, which a desk now refuses (client.MaxAnswer).
func TestAuditHistoryIsBoundedOverTheAPI(t *testing.T) {
	ts := startServer(t)
	school, _ := ts.school("A01", "Collège Boréal")
	d := newDesk(t, ts, "eleve")
	d.student("eleve.bornee", "Élodie", "Côté")
	for i := range store.MaxAuditAnswer + 20 {
		d.raise(school.ID, i)
	}
	d.sync()
	one := officerNamed(t, ts, "officer.one", "Pat")
	_, all, err := ts.sv.AuditOfUser("eleve.bornee")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= store.MaxAuditAnswer {
		t.Fatalf("the history holds %d entries", len(all))
	}
	got, earlier, err := one.c.AuditOf(context.Background(), d.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	// The administrator's reading is recorded too, after the walk: the
	// officer's read finds one entry more than the administrator's did.
	total := len(all) + 1
	if len(got) != store.MaxAuditAnswer || earlier != total-store.MaxAuditAnswer {
		t.Fatalf("%d entries and %d earlier, of %d", len(got), earlier, total)
	}
	newest := all[len(all)-store.MaxAuditAnswer+1:]
	for i, e := range newest {
		if !got[i].At.Equal(e.At) || got[i].Action != e.Action || got[i].Entity != e.Entity {
			t.Fatalf("entry %d: %+v, want %+v", i, got[i], e)
		}
	}
	if last := got[len(got)-1]; last.Action != "audit.read" || last.Entity != d.by.Account {
		t.Fatalf("the newest entry is %+v, not the administrator's reading", last)
	}
}
