package demo

import (
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/requests"
)

func build(t *testing.T, n int, seed uint64) (programs.Desk, Result) {
	t.Helper()
	s, err := programs.Create(filepath.Join(t.TempDir(), "demo.dossier"), "demo password",
		store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true,
			Now: func() time.Time { return time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	res, err := Build(s, Options{Requests: n, Seed: seed, Today: domain.Date{Year: 2026, Month: 11, Day: 21}})
	if err != nil {
		t.Fatal(err)
	}
	return s, res
}

func everything(t *testing.T, s programs.Desk, res Result) []ens.Request {
	t.Helper()
	var all []ens.Request
	for _, in := range res.Schools {
		page, err := s.Queue(account.SystemActor, requests.QueueFilter{School: in.ID, Limit: requests.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Rows...)
	}
	return all
}

// TestDemoCoversEveryTypeAndStatus builds a demo and finds every status of
// every type in it, every request valid by the rules.
func TestDemoCoversEveryTypeAndStatus(t *testing.T) {
	s, res := build(t, 900, 1)
	if res.Requests != 900 || len(res.Schools) != 2 || len(res.PINs) != 2 {
		t.Fatalf("result %+v", res)
	}
	seen := map[[2]int]int{}
	all := everything(t, s, res)
	if len(all) != 900 {
		t.Fatalf("%d requests in the queues", len(all))
	}
	for _, r := range all {
		seen[[2]int{int(r.Type), int(r.Status)}]++
		if _, err := ens.CleanStudent(r.Student, r.Received); err != nil {
			t.Fatalf("invalid student in %+v: %v", r, err)
		}
		if r.Status == ens.Verified {
			if _, err := ens.ParseEVN(string(r.EVN)); err != nil {
				t.Fatalf("bad EVN %q", r.EVN)
			}
		}
	}
	for _, ty := range ens.Types {
		for _, st := range ens.StatusesOf(ty) {
			if seen[[2]int{int(ty), int(st)}] == 0 {
				t.Errorf("no %s request in status %s", ty, st)
			}
		}
	}
	// A verify on a demo desk continues the desk's EVN sequence without
	// repeating a number.
	evns := map[ens.EVN]bool{}
	for _, r := range all {
		if r.EVN != "" && r.Type != ens.TI {
			if evns[r.EVN] {
				t.Fatalf("EVN %s issued twice", r.EVN)
			}
			evns[r.EVN] = true
		}
	}
}

// TestDemoIsDeterministic: the same seed and date give the same requests,
// and another seed gives others.
func TestDemoIsDeterministic(t *testing.T) {
	// Schools and accounts get fresh IDs in each profile; compare what the
	// seed decides.
	content := func(seed uint64) string {
		s, res := build(t, 300, seed)
		rs := everything(t, s, res)
		for i := range rs {
			r := &rs[i]
			r.School, r.FromSchool, r.Assignee, r.DecidedBy, r.StudentAccount = domain.ID{}, domain.ID{}, domain.ID{}, domain.ID{}, domain.ID{}
		}
		b, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b, c := content(42), content(42), content(43)
	if a != b {
		t.Fatal("two demos from one seed differ")
	}
	if a == c {
		t.Fatal("two seeds gave the same demo")
	}
}
