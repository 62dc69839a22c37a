package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/account"
)

// mustTrail makes a profile whose trail holds a school's enrolments and
// a few PINs issued and e-mail addresses changed, some of them within one
// millisecond, and returns it with the trail's keys in order.
func mustTrail(tb testing.TB) (*Store, *testClock, []domain.ID) {
	tb.Helper()
	s, clock := MustCreateStore(tb)
	sc := mustSchool(tb, s, "Collège Boréal", 1)
	for i := range 6 {
		if _, _, err := s.IssuePIN(sc.dir, account.PINRequest{Role: account.Signatory, Org: sc.inst.ID}); err != nil {
			tb.Fatal(err)
		}
		if i%2 == 0 {
			clock.Add(time.Second) // the others share a millisecond with the entry before
		}
		if _, err := s.UpdateEmail(sc.dir, fmt.Sprintf("dir%d@college.example", i)); err != nil {
			tb.Fatal(err)
		}
	}
	return s, clock, trailKeys(tb, s)
}

func trailKeys(tb testing.TB, s *Store) []domain.ID {
	tb.Helper()
	var ids []domain.ID
	err := s.db.View(func(tx *Tx) error {
		c := tx.Bucket(auditBucket).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var id domain.ID
			copy(id[:], k)
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// tamper changes the file with the store's own key, as a tool run where
// the key is could.
func tamper(tb testing.TB, s *Store, fn func(tx *Tx, b SealedBucket) error) {
	tb.Helper()
	if err := s.db.Update(func(tx *Tx) error { return fn(tx, BucketOf(tx, auditBucket)) }); err != nil {
		tb.Fatal(err)
	}
}

// openEntry reads the entry under id with its plaintext.
func openEntry(tb testing.TB, s *Store, b SealedBucket, id domain.ID) (AuditEntry, []byte) {
	tb.Helper()
	plain, err := s.kr.Open(nil, b.name, id[:], b.Get(id[:]))
	if err != nil {
		tb.Fatal(err)
	}
	var e AuditEntry
	if err := json.Unmarshal(plain, &e); err != nil {
		tb.Fatal(err)
	}
	return e, plain
}

// gap is an entry after which there is room for another key: entries of
// one millisecond have consecutive IDs.
func gap(tb testing.TB, ids []domain.ID) int {
	tb.Helper()
	for i := 2; i < len(ids)-2; i++ {
		if laterID(ids[i], ids[i]) != ids[i+1] {
			return i
		}
	}
	tb.Fatal("no gap between entries")
	return 0
}

func seal(tb testing.TB, s *Store, b SealedBucket, key domain.ID, e AuditEntry) {
	tb.Helper()
	if err := s.PutJSON(b, key[:], e); err != nil {
		tb.Fatal(err)
	}
}

func TestUntouchedTrailVerifies(t *testing.T) {
	s, clock, ids := mustTrail(t)
	if len(ids) < 15 {
		t.Fatalf("only %d entries", len(ids))
	}
	var walked []domain.ID
	s.Audit(func(e AuditEntry) bool { walked = append(walked, e.ID); return true })
	if len(walked) != len(ids) {
		t.Fatalf("Audit walked %d of %d", len(walked), len(ids))
	}
	for i, id := range walked {
		if id != ids[i] {
			t.Fatalf("entry %d: ID %s under key %s", i, id, ids[i])
		}
	}
	for reopened := range 2 {
		if reopened == 1 {
			s = reopen(t, s, clock)
		}
		r, err := s.VerifyAudit()
		if err != nil {
			t.Fatal(err)
		}
		if r.Entries != len(ids) || r.Last != ids[len(ids)-1] || !r.Broken.IsZero() || r.Link == ([32]byte{}) {
			t.Fatalf("report %+v for %d entries", r, len(ids))
		}
	}
	// An empty trail is intact.
	empty, _ := MustCreateStore(t)
	if r, err := empty.VerifyAudit(); err != nil || r.Entries != 0 {
		t.Fatalf("empty trail: %+v %v", r, err)
	}
}

// TestSameMillisecondKeepsOrder: entries of one millisecond, or written
// after the clock was set back, still sort in the order they were chained.
func TestSameMillisecondKeepsOrder(t *testing.T) {
	s, clock := MustCreateStore(t)
	for i := range 50 {
		if i == 25 {
			clock.Add(-time.Hour)
		}
		if err := s.db.Update(func(tx *Tx) error {
			return s.Journal(tx, s.Now(), Entry{By: officer, Action: "test", Detail: "n"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := s.VerifyAudit(); err != nil || r.Entries != 50 {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestBrokenTrailIsDetected(t *testing.T) {
	tests := []struct {
		name string
		// tamper changes the trail and returns the entry the break must
		// be reported at.
		tamper func(t *testing.T, s *Store, ids []domain.ID) domain.ID
		want   domain.Code
	}{
		{"sealed bytes edited", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			id := ids[len(ids)/2]
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				v := bytes.Clone(b.Get(id[:]))
				v[len(v)-20] ^= 1
				return b.Put(id[:], v)
			})
			return id
		}, ErrAuditEdited},
		{"entry in the middle removed", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			tamper(t, s, func(_ *Tx, b SealedBucket) error { return b.Delete(ids[5][:]) })
			return ids[6]
		}, ErrAuditRemoved},
		{"first entry removed", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			tamper(t, s, func(_ *Tx, b SealedBucket) error { return b.Delete(ids[0][:]) })
			return ids[1]
		}, ErrAuditRemoved},
		{"last entries removed", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				for _, id := range ids[len(ids)-3:] {
					if err := b.Delete(id[:]); err != nil {
						return err
					}
				}
				return nil
			})
			return ids[len(ids)-1] // the head, which no longer exists
		}, ErrAuditTruncated},
		{"every entry removed", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				for _, id := range ids {
					if err := b.Delete(id[:]); err != nil {
						return err
					}
				}
				return nil
			})
			return ids[len(ids)-1]
		}, ErrAuditTruncated},
		{"two entries swapped", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			a, b := ids[7], ids[8]
			tamper(t, s, func(_ *Tx, bk SealedBucket) error {
				ea, _ := openEntry(t, s, bk, a)
				eb, _ := openEntry(t, s, bk, b)
				seal(t, s, bk, a, eb)
				seal(t, s, bk, b, ea)
				return nil
			})
			return a
		}, ErrAuditReordered},
		{"forged entry in the middle", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			i := gap(t, ids)
			forged := laterID(ids[i], ids[i]) // sorts between ids[i] and ids[i+1]
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, _ := openEntry(t, s, b, ids[i])
				e.ID, e.Prev, e.Action = forged, nil, "account.revoke"
				seal(t, s, b, forged, e)
				return nil
			})
			return forged
		}, ErrAuditForged},
		{"forged entry with a made-up link", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			i := gap(t, ids)
			forged := laterID(ids[i], ids[i])
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, _ := openEntry(t, s, b, ids[i])
				e.ID, e.Prev = forged, bytes.Repeat([]byte{7}, 32)
				seal(t, s, b, forged, e)
				return nil
			})
			return forged
		}, ErrAuditForged},
		{"forged entry at the end", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			last := ids[len(ids)-1]
			forged := laterID(last, last)
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, _ := openEntry(t, s, b, last)
				e.ID, e.Prev = forged, nil
				seal(t, s, b, forged, e)
				return nil
			})
			return forged
		}, ErrAuditForged},
		{"chained entry added after the head", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			last := ids[len(ids)-1]
			forged := laterID(last, last)
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, plain := openEntry(t, s, b, last)
				link := s.kr.auditLink(plain)
				e.ID, e.Prev = forged, link[:]
				seal(t, s, b, forged, e)
				return nil
			})
			return forged
		}, ErrAuditForged},
		{"entry rewritten with the key", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			id := ids[3]
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, _ := openEntry(t, s, b, id)
				e.Detail = "verified→new"
				seal(t, s, b, id, e)
				return nil
			})
			return ids[4] // the next entry no longer follows it
		}, ErrAuditRemoved},
		{"last entry rewritten with the key", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			id := ids[len(ids)-1]
			tamper(t, s, func(_ *Tx, b SealedBucket) error {
				e, _ := openEntry(t, s, b, id)
				e.Detail = "verified→new"
				seal(t, s, b, id, e)
				return nil
			})
			return id
		}, ErrAuditEdited},
		{"head removed", func(t *testing.T, s *Store, ids []domain.ID) domain.ID {
			tamper(t, s, func(tx *Tx, _ SealedBucket) error { return tx.Bucket(MetaBucket).Delete(metaAudit) })
			return ids[len(ids)-1]
		}, ErrAuditTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock, ids := mustTrail(t)
			at := tt.tamper(t, s, ids)
			s = reopen(t, s, clock)
			r, err := s.VerifyAudit()
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
			if r.Broken != at {
				t.Errorf("broken at %s, want %s", r.Broken, at)
			}
			var e *domain.Error
			if !errors.As(err, &e) || len(e.Args) == 0 {
				t.Fatalf("no arguments for the message: %#v", err)
			}
			// The break stays: the trail goes on from the head it holds.
			clock.Add(time.Second)
			if err := s.db.Update(func(tx *Tx) error {
				return s.Journal(tx, s.Now(), Entry{By: officer, Action: "test"})
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.VerifyAudit(); err == nil {
				t.Fatal("the break healed once the trail went on")
			}
		})
	}
}

// unchain turns s's trail back into what schema 5 wrote: no links, no
// head.
func unchain(t *testing.T, s *Store) {
	t.Helper()
	ids := trailKeys(t, s)
	tamper(t, s, func(tx *Tx, b SealedBucket) error {
		for _, id := range ids {
			e, _ := openEntry(t, s, b, id)
			e.Prev = nil
			seal(t, s, b, id, e)
		}
		meta := tx.Bucket(MetaBucket)
		if err := meta.Delete(metaAudit); err != nil {
			return err
		}
		return meta.Put(MetaSchema, U32(5))
	})
}

func TestSchema5TrailIsChainedOnOpen(t *testing.T) {
	s, clock, ids := mustTrail(t)
	unchain(t, s)
	if _, err := s.VerifyAudit(); err == nil {
		t.Fatalf("an unchained trail verified: %v", err)
	}
	s = reopen(t, s, clock)
	r, err := s.VerifyAudit()
	if err != nil || r.Entries != len(ids) {
		t.Fatalf("migrated trail: %+v %v", r, err)
	}
	s.db.View(func(tx *Tx) error {
		if v := tx.Bucket(MetaBucket).Get(MetaSchema); !bytes.Equal(v, U32(SchemaVersion)) {
			t.Errorf("schema %v", v)
		}
		return nil
	})
	// The migrated trail goes on, and still verifies.
	if _, err := s.AuditOf(officer, officer.Account); err != nil {
		t.Fatal(err)
	}
	if r, err := s.VerifyAudit(); err != nil || r.Entries != len(ids)+1 {
		t.Fatalf("after one more entry: %+v %v", r, err)
	}
}

// TestSchema5DamagedEntryIsReportedNotFatal: an old entry that no longer
// opens does not stop the profile from opening; the check names it.
func TestSchema5DamagedEntryIsReportedNotFatal(t *testing.T) {
	s, clock, ids := mustTrail(t)
	unchain(t, s)
	bad := ids[4]
	tamper(t, s, func(_ *Tx, b SealedBucket) error {
		v := bytes.Clone(b.Get(bad[:]))
		v[30] ^= 1
		return b.Put(bad[:], v)
	})
	s = reopen(t, s, clock)
	r, err := s.VerifyAudit()
	if !errors.Is(err, ErrAuditEdited) || r.Broken != bad || r.Entries != 4 {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestAuditOfIsForOfficers(t *testing.T) {
	s, _, _ := mustTrail(t)
	other := mustSchool(t, s, "Collège d’Alfred", 2)
	dir := other.dir
	var mine []AuditEntry
	s.Audit(func(e AuditEntry) bool {
		if e.Actor == dir.Account || e.Entity == dir.Account {
			mine = append(mine, e)
		}
		return true
	})
	if len(mine) < 2 {
		t.Fatalf("the DIR has %d entries", len(mine))
	}
	got, err := s.AuditOf(officer, dir.Account)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(mine) {
		t.Fatalf("got %d entries, want %d", len(got), len(mine))
	}
	for i, e := range got {
		if e.ID != mine[i].ID || (e.Actor != dir.Account && e.Entity != dir.Account) {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}
	// The reading is recorded, and shows in the next one.
	again, _ := s.AuditOf(officer, dir.Account)
	if len(again) != len(got)+1 || again[len(again)-1].Action != "audit.read" || again[len(again)-1].Actor != officer.Account {
		t.Fatalf("the reading was not recorded: %+v", again[len(again)-1])
	}
	applicant := account.Actor{Account: domain.ID{0xc0}, Role: account.Applicant}
	for _, by := range []account.Actor{dir, other.sign, student(1), applicant} {
		if _, err := s.AuditOf(by, dir.Account); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("%s read the audit trail: %v", by.Role, err)
		}
	}
	if _, err := s.AuditOf(officer, domain.ID{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("no one's history: %v", err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// copySchema5 copies the schema 5 server store of testdata to a folder of
// its own.
func copySchema5(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{ServerFileName, ServerKeyName} {
		b, err := os.ReadFile(filepath.Join("testdata", "schema5", name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// TestSchema5ServerFileMigrates: a server file the schema 5 program
// wrote opens, its trail chained in the migration, and verifies; the
// trail goes on and still verifies.
func TestSchema5ServerFileMigrates(t *testing.T) {
	dir := copySchema5(t)
	ro, err := bolt.Open(filepath.Join(dir, ServerFileName), 0o400, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(MetaBucket).Get(MetaSchema); !bytes.Equal(v, U32(5)) {
			t.Errorf("the fixture is at schema %v", v)
		}
		return nil
	})
	ro.Close()
	sv, err := OpenServer(dir, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	n := 0
	sv.st.Audit(func(AuditEntry) bool { n++; return true })
	if n < 6 {
		t.Fatalf("the schema 5 file holds %d entries", n)
	}
	r, err := sv.VerifyAudit()
	if err != nil || r.Entries != n {
		t.Fatalf("%+v %v", r, err)
	}
	if err := sv.Refused(officer, "test", domain.ID{}, ErrNotFound); err != nil {
		t.Fatal(err)
	}
	if r, err := sv.VerifyAudit(); err != nil || r.Entries != n+1 {
		t.Fatalf("after one more entry: %+v %v", r, err)
	}
}

// BenchmarkVerifyAudit is the check dossierd runs at start, per trail of
// 20,000 entries.
func BenchmarkVerifyAudit(b *testing.B) {
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	opt := testOptions(clock)
	opt.NoSync = true
	s, err := Create(filepath.Join(b.TempDir(), "profile.dossier"), testPassword, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const entries = 20000
	for range entries / 1000 {
		err := s.db.Update(func(tx *Tx) error {
			for range 1000 {
				clock.Add(time.Millisecond)
				if err := s.Journal(tx, s.Now(), Entry{By: officer, Action: "ens.verify", Entity: domain.ID{1}, Detail: "new→verified"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if r, err := s.VerifyAudit(); err != nil || r.Entries != entries {
			b.Fatal(r, err)
		}
	}
}

// TestConcurrentWritersKeepOneChain: entries written at once by many
// goroutines, within the same milliseconds, make one chain in key order.
func TestConcurrentWritersKeepOneChain(t *testing.T) {
	sv, err := OpenServer(t.TempDir(), ServerOptions{Store: Options{KDF: TestKDF, Secrets: account.TestSecretParams, NoSync: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	var wg gosync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 25 {
				if err := sv.Refused(officer, "test", domain.ID{byte(g)}, ErrNotFound); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if r, err := sv.VerifyAudit(); err != nil || r.Entries != 200 {
		t.Fatalf("%+v %v", r, err)
	}
}

// TestAuditLatestKeepsTheNewest: bounded, a person's history is its
// newest entries, oldest first, and the count of those left out, for
// every bound against every length (the ring wraps at every place).
func TestAuditLatestKeepsTheNewest(t *testing.T) {
	s, _, _ := mustTrail(t)
	dir := mustSchool(t, s, "Collège d’Alfred", 2).dir
	about := func() (mine []AuditEntry) {
		s.Audit(func(e AuditEntry) bool {
			if e.Actor == dir.Account || e.Entity == dir.Account {
				mine = append(mine, e)
			}
			return true
		})
		return mine
	}
	for newest := 1; newest <= 9; newest++ {
		// Each reading adds an entry about the DIR: the history grows
		// by one a call, so the bounds meet every length from here.
		for range 4 {
			mine := about()
			got, earlier, err := s.AuditLatest(officer, dir.Account, newest)
			if err != nil {
				t.Fatal(err)
			}
			want := mine[max(0, len(mine)-newest):]
			if earlier != len(mine)-len(want) || len(got) != len(want) {
				t.Fatalf("newest %d of %d: %d entries, %d earlier", newest, len(mine), len(got), earlier)
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Fatalf("newest %d of %d: entry %d is %s, want %s", newest, len(mine), i, got[i].ID, want[i].ID)
				}
			}
		}
	}
	all, earlier, err := s.AuditLatest(officer, dir.Account, 0)
	if err != nil || earlier != 0 || len(all) != len(about())-1 {
		t.Fatalf("unbounded: %d entries, %d earlier, %v", len(all), earlier, err)
	}
	if _, _, err := s.AuditLatest(dir, dir.Account, 5); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a DIR read the trail: %v", err)
	}
}
