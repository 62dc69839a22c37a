package applications

import (
	bolt "go.etcd.io/bbolt"

	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
)

var officer = account.Actor{Account: domain.ID{1}, Role: account.ProgramOfficer}

func exampleApp(tb testing.TB) oinp.Application {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	app, err := oinp.ReadFile(f)
	if err != nil {
		tb.Fatal(err)
	}
	return *app
}

var (
	testFamilies = []string{"Nguyen", "Tremblay", "Côté", "Singh", "O'Brien", "Gagnon", "Okafor", "Roy"}
	testPlaces   = []string{"Mississauga", "Ottawa", "Toronto", "Sudbury", "Brampton", "Nowhere Special"}
	testDay      = domain.Date{Year: 2026, Month: 3, Day: 2}
)

// fileNo is the i-th test file's number.
func fileNo(i int) oinp.FileNumber { return oinp.FileNumber(fmt.Sprintf("JOID-%07d", 1000+i)) }

// manyFiles writes n applications built from the example one: varied
// names, places (in the GTA, outside it, unknown), submission days and
// states (a draft every seventh, a refusal, a withdrawal, an open request
// for information), each the way a write of the program makes it.
func manyFiles(tb testing.TB, s Store, n int) []domain.ID {
	tb.Helper()
	base := exampleApp(tb)
	ids := make([]domain.ID, n)
	for start := 0; start < n; start += 1000 {
		err := s.Update(func(tx *store.Tx) error {
			for i := start; i < min(n, start+1000); i++ {
				ids[i] = domain.ID{0xa0, byte(i >> 16), byte(i >> 8), byte(i)}
				rec := ApplicationRecord{Applicant: ids[i], Version: 1, App: base}
				a := &rec.App
				a.Applicant.FamilyName = testFamilies[i%len(testFamilies)]
				a.Applicant.GivenNames = fmt.Sprintf("Given%d", i)
				a.Employer.Offer.Municipality = testPlaces[i%len(testPlaces)]
				a.FileNumber = fileNo(i)
				if i%7 != 0 {
					a.Submitted = testDay.AddDays(i % 200)
				}
				switch {
				case a.Submitted.IsZero():
				case i%11 == 3:
					a.Decision = &oinp.Decision{Outcome: oinp.OutcomeRefused, Notified: a.Submitted.AddDays(30), Reasons: []string{"x"}}
				case i%11 == 5:
					a.Withdrawn = a.Submitted.AddDays(3)
				case i%11 == 8:
					a.InfoRequests = []oinp.InfoRequest{{ID: domain.ID{0xb0, byte(i)}, Text: "Send the T4.", Asked: a.Submitted, Due: a.Submitted.AddDays(10 + i%5)}}
				}
				if err := s.putApplication(tx, &rec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// scanQueue is the processing queue as it was read before the index:
// every application decrypted and summarised.
func scanQueue(tb testing.TB, s Store, f FileFilter) []FileSummary {
	tb.Helper()
	tables := assets.OINPTables()
	search := domain.FoldName(f.Search)
	var out []FileSummary
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.ApplicationsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec ApplicationRecord
			if err := s.OpenJSON(b, k, v, &rec); err != nil {
				return err
			}
			if !rec.App.InProgram() {
				continue
			}
			if sum := summarise(&rec, tables); f.keeps(&sum, search) {
				out = append(out, sum)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	slices.SortFunc(out, func(a, b FileSummary) int {
		if c := a.Submitted.Time().Compare(b.Submitted.Time()); c != 0 {
			return c
		}
		return strings.Compare(string(a.FileNumber), string(b.FileNumber))
	})
	return out
}

var testFilters = []FileFilter{
	{},
	{Statuses: []oinp.FileStatus{oinp.StatusSubmitted, oinp.StatusInformation}},
	{Statuses: []oinp.FileStatus{oinp.StatusWithdrawn}},
	{GTA: oinp.Yes},
	{GTA: oinp.No, Statuses: []oinp.FileStatus{oinp.StatusRefused}},
	{GTAUnknown: true},
	{From: testDay.AddDays(20), To: testDay.AddDays(40)},
	{To: testDay.AddDays(5)},
	{Search: "cote"},
	{Search: "tremblay given1"},
	{Search: "0001012"},
}

// sameQueue checks the indexed processing queue against the scan, for
// every test filter, and the index against the records.
func sameQueue(t *testing.T, s Store, want int) {
	t.Helper()
	for _, f := range testFilters {
		got, err := s.ProcessingQueue(officer, f)
		if err != nil {
			t.Fatal(err)
		}
		if scan := scanQueue(t, s, f); !slices.Equal(got, scan) {
			t.Fatalf("filter %+v: the index lists %d files, the records %d\n%+v\n%+v", f, len(got), len(scan), got, scan)
		}
		if f.Statuses == nil && f.Search == "" && !f.GTAUnknown && f.GTA == "" && f.From.IsZero() && f.To.IsZero() && len(got) != want {
			t.Fatalf("%d files listed, want %d", len(got), want)
		}
	}
	if err := s.CheckFileIndex(); err != nil {
		t.Fatal(err)
	}
}

// TestFileIndexFollowsEveryWrite: the processing queue read through the
// index is the queue read from every record, for every filter, after the
// files are written, after one is edited, decided, withdrawn, moved to
// another day, given a representative, taken back from the desk, and
// after the index is lost (a profile made before it): it is rebuilt.
func TestFileIndexFollowsEveryWrite(t *testing.T) {
	s, _ := mustCreate(t)
	ids := manyFiles(t, s, 60)
	submitted := 60 - (60+6)/7
	sameQueue(t, s, submitted)

	rep := domain.ID{0xcc, 1}
	change := func(i int, f func(*ApplicationRecord)) {
		t.Helper()
		err := s.Update(func(tx *store.Tx) error {
			var rec ApplicationRecord
			if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), ids[i][:], &rec); err != nil {
				return err
			}
			f(&rec)
			rec.Version++
			return s.putApplication(tx, &rec)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	change(1, func(r *ApplicationRecord) { r.App.Applicant.FamilyName = "Bélanger" })
	change(2, func(r *ApplicationRecord) {
		r.App.Decision = &oinp.Decision{Outcome: oinp.OutcomeRefused, Notified: r.App.Submitted.AddDays(9), Reasons: []string{"y"}}
	})
	change(4, func(r *ApplicationRecord) { r.App.Withdrawn = r.App.Submitted.AddDays(1) })
	change(6, func(r *ApplicationRecord) { r.App.Submitted = testDay.AddDays(150) })
	change(7, func(r *ApplicationRecord) { r.App.Submitted = testDay.AddDays(3) }) // a draft submitted
	change(9, func(r *ApplicationRecord) {
		r.App.Representatives = []oinp.Representation{{Account: rep, Name: "Sam Rep", Email: "sam@rep.example", Status: oinp.RepActive}}
	})
	sameQueue(t, s, submitted+1)
	if got, err := s.ProcessingQueue(officer, FileFilter{Search: "belanger"}); err != nil || len(got) != 1 || got[0].Applicant != ids[1] {
		t.Fatalf("the edited name: %+v %v", got, err)
	}
	repActor := account.Actor{Account: rep, Role: account.Representative}
	if got, err := s.ClientApplications(repActor); err != nil || len(got) != 1 || got[0].Applicant != ids[9] {
		t.Fatalf("the representative's clients: %d %v", len(got), err)
	}
	change(9, func(r *ApplicationRecord) { r.App.Representatives[0].Status = oinp.RepCancelled })
	if got, err := s.ClientApplications(repActor); err != nil || len(got) != 0 {
		t.Fatalf("a cancelled representative still lists %d files (%v)", len(got), err)
	}
	change(9, func(r *ApplicationRecord) { r.App.Representatives = nil })
	sameQueue(t, s, submitted+1)

	// A desk told that its representative may no longer see a file drops
	// it, and its lines.
	change(10, func(r *ApplicationRecord) {
		r.App.Representatives = []oinp.Representation{{Account: rep, Status: oinp.RepActive}}
	})
	if err := s.Update(func(tx *store.Tx) error {
		if err := s.unindexApplication(tx, ids[10]); err != nil {
			return err
		}
		return store.BucketOf(tx, store.ApplicationsBucket).Delete(ids[10][:])
	}); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, s, submitted)

	// Lost (or never built): the first read rebuilds it.
	if err := s.UpdateFile(func(tx *bolt.Tx) error { return tx.DeleteBucket(store.IxApplications) }); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, s, submitted)
	change(12, func(r *ApplicationRecord) { r.App.Applicant.GivenNames = "Renée" })
	sameQueue(t, s, submitted)
}

// BenchmarkOfficerFiles10k: among 10,000 applications, an officer lists
// the processing queue, filters it (status, GTA, a name) and opens one
// file: one op is all three. The Scan variant is the same on the records
// alone, as before the index.
func BenchmarkOfficerFiles10k(b *testing.B) { benchOfficerFiles(b, false) }

func BenchmarkOfficerFiles10kScan(b *testing.B) { benchOfficerFiles(b, true) }

func benchOfficerFiles(b *testing.B, scan bool) {
	s, _ := mustCreate(b)
	ids := manyFiles(b, s, 10_000)
	if _, err := s.ProcessingQueue(officer, FileFilter{}); err != nil { // the first read marks the index built
		b.Fatal(err)
	}
	list := func(f FileFilter) []FileSummary {
		if scan {
			return scanQueue(b, s, f)
		}
		got, err := s.ProcessingQueue(officer, f)
		if err != nil {
			b.Fatal(err)
		}
		return got
	}
	b.ResetTimer()
	for i := range b.N {
		all := list(FileFilter{})
		some := list(FileFilter{Statuses: []oinp.FileStatus{oinp.StatusSubmitted, oinp.StatusInformation}, GTA: oinp.No, Search: "trem"})
		if len(all) < 8000 || len(some) == 0 {
			b.Fatal(len(all), len(some))
		}
		if _, err := s.FileFor(officer, ids[1+i%1000*7%9999]); err != nil && !scan {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(all)), "files")
	}
}

// BenchmarkRepresentativeFiles10k: a representative's three clients among
// 10,000 applications.
func BenchmarkRepresentativeFiles10k(b *testing.B) {
	s, _ := mustCreate(b)
	ids := manyFiles(b, s, 10_000)
	rep := domain.ID{0xcc, 2}
	for _, i := range []int{10, 5000, 9999} {
		err := s.Update(func(tx *store.Tx) error {
			var rec ApplicationRecord
			if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), ids[i][:], &rec); err != nil {
				return err
			}
			rec.App.Representatives = []oinp.Representation{{Account: rep, Status: oinp.RepActive}}
			return s.putApplication(tx, &rec)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	by := account.Actor{Account: rep, Role: account.Representative}
	if _, err := s.ClientApplications(by); err != nil { // the first read marks the index built
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		got, err := s.ClientApplications(by)
		if err != nil || len(got) != 3 {
			b.Fatal(len(got), err)
		}
	}
}
