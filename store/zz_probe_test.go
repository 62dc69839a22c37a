package store

import (
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
)

func TestProbeVerify(t *testing.T) {
	s, err := Open("/tmp/probe.dossier", "bench password", Options{KDF: TestKDF, Secrets: account.TestSecretParams})
	if err != nil {
		t.Skip(err)
	}
	defer s.Close()
	_, acct, err := s.SignIn("dir.beaulieu", "demo-password-1")
	if err != nil {
		t.Fatal(err)
	}
	dir := acct.Actor()
	page, _ := s.Queue(dir, QueueFilter{School: acct.Org, Statuses: []ens.Status{ens.New, ens.InProgress}, Types: []ens.Type{ens.EV, ens.EVT}, Limit: 1000})
	var checks ens.Checks
	for i := range checks {
		checks[i] = ens.Met
	}
	before := s.db.Stats()
	start := time.Now()
	n := 0
	for _, r := range page.Rows[:300] {
		if _, err := s.Act(dir, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: checks}}, 0); err != nil {
			t.Fatal(err)
		}
		n++
	}
	el := time.Since(start)
	after := s.db.Stats()
	d := after.Sub(&before)
	t.Logf("per verify %v; pages written %.1f, write time %v, spill %v, rebalance %v, pending free %d, free %d",
		el/time.Duration(n), float64(d.TxStats.GetWrite())/float64(n), d.TxStats.GetWriteTime()/time.Duration(n),
		d.TxStats.GetSpillTime()/time.Duration(n), d.TxStats.GetRebalanceTime()/time.Duration(n), after.PendingPageN, after.FreePageN)
	_ = domain.ID{}
}
