package requests

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
)

var (
	givenPool  = []string{"Élodie", "Eloïse", "Marc", "Marie-Ève", "Zoé", "Amir", "Li", "Nguyễn Văn", "Émile"}
	familyPool = []string{"Côté", "Cote", "Tremblay", "Trépanier", "Roy", "O'Brien", "Gagnon", "Lee", "Ćosić"}
)

// randomQueue fills two schools with requests in every type and status,
// through the service methods, and returns every request as stored.
func randomQueue(t *testing.T, n int, seed uint64) (Store, []storetest.School, []ens.Request, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	opt := storetest.Options(clock)
	opt.NoSync = true
	engine, err := store.Create(t.TempDir()+"/q.dossier", storetest.Password, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	s := On(engine)
	schools := []storetest.School{storetest.MustSchool(t, s.Engine(), "Collège A", 10), storetest.MustSchool(t, s.Engine(), "Collège B", 11)}
	rng := rand.New(rand.NewPCG(seed, 7))
	var ids []domain.ID
	for i := 0; i < n; i++ {
		clock.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
		sc := schools[rng.IntN(2)]
		st := ens.Student{GivenNames: givenPool[rng.IntN(len(givenPool))], FamilyName: familyPool[rng.IntN(len(familyPool))],
			BirthDate:     domain.Date{Year: 1995 + rng.IntN(8), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
			ClientID:      domain.ClientID(fmt.Sprintf("%08d", rng.IntN(100000000))),
			StudentNumber: fmt.Sprintf("S%05d", rng.IntN(3000))}
		typ := ens.Types[rng.IntN(4)]
		in := ens.Raise{Type: typ, School: sc.Inst.ID, Student: st}
		by := storetest.Student(byte(rng.IntN(200)))
		switch typ {
		case ens.EVT:
			in.FromSchool = schools[0].Inst.ID
			if sc.Inst.ID == in.FromSchool {
				in.FromSchool = schools[1].Inst.ID
			}
		case ens.TI:
			evn, _ := ens.IssueEVN(12, 1, uint32(1+i))
			in.EVN = string(evn)
		case ens.AC:
			in.ComplianceYear = 2026
			by = account.SystemActor
		}
		r, err := s.RaiseRequest(by, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		desk := []account.Actor{sc.DIR, sc.Sign}[rng.IntN(2)]
		// Walk it a random number of legal steps.
		for step := rng.IntN(3); step > 0; step-- {
			legal := ens.Legal(&r, desk, clock.Now())
			if len(legal) == 0 {
				break
			}
			f := legal[rng.IntN(len(legal))]
			if f == ens.Report {
				continue
			}
			a := ens.Action{Function: f, Reason: "not eligible", Assignee: []account.Actor{sc.DIR, sc.Sign}[rng.IntN(2)].Account}
			if f == ens.Verify {
				a.Draft = &ens.Draft{Checks: storetest.AllMet(), StudentNumber: st.StudentNumber}
			}
			if r, err = s.Act(desk, r.ID, a, r.Version); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
	clock.Add(20 * 24 * time.Hour)
	var all []ens.Request
	for _, id := range ids {
		r, err := s.Request(storetest.Officer, id)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	return s, schools, all, clock
}

// bruteForce answers a filter the slow, obvious way.
func bruteForce(all []ens.Request, f QueueFilter, now time.Time) []domain.ID {
	term, _ := parseSearch(f.Search)
	var rows []ens.Request
	for _, r := range all {
		switch {
		case r.School != f.School,
			len(f.Statuses) > 0 && !slices.Contains(f.Statuses, r.Status),
			len(f.Types) > 0 && !slices.Contains(f.Types, r.Type),
			!f.Assignee.IsZero() && r.Assignee != f.Assignee,
			f.ExpiringWithin > 0 && !(r.Status.Open() && !r.Expires.IsZero() && r.Expires.Sub(now) <= f.ExpiringWithin):
			continue
		}
		if f.Search != "" {
			name := strings.Fields(domain.FoldName(r.Student.GivenNames + " " + r.Student.FamilyName))
			nameOK := len(term.words) > 0
			for _, w := range term.words {
				ok := false
				for _, n := range name {
					ok = ok || strings.HasPrefix(n, w)
				}
				nameOK = nameOK && ok
			}
			if !(nameOK || term.evn != "" && r.EVN == term.evn || term.clientID != "" && r.Student.ClientID == term.clientID ||
				!term.birth.IsZero() && r.Student.BirthDate == term.birth || term.studentNo != "" && r.Student.StudentNumber == term.studentNo) {
				continue
			}
		}
		rows = append(rows, r)
	}
	col := collate.New(language.MustParse("fr-CA-u-kb-true"))
	key := func(r ens.Request) string {
		switch f.Sort {
		case SortName:
			return string(col.KeyFromString(&collate.Buffer{}, r.Student.FamilyName+"\x00"+r.Student.GivenNames))
		case SortClientID:
			return string(r.Student.ClientID)
		case SortStudentNo:
			return r.Student.StudentNumber
		case SortEVN:
			return string(r.EVN)
		case SortAssignee:
			return string(r.Assignee[:])
		}
		return ""
	}
	slices.SortFunc(rows, func(a, b ens.Request) int {
		var c int
		switch f.Sort {
		case SortReceived:
			c = a.Received.Compare(b.Received)
		case SortExpires:
			c = compareTimeZeroLast(a.Expires, b.Expires)
		case SortStatus:
			c = cmp.Compare(slices.Index(ens.Statuses, a.Status), slices.Index(ens.Statuses, b.Status))
			if c == 0 {
				c = a.Received.Compare(b.Received)
			}
		case SortType:
			c = cmp.Compare(slices.Index(ens.Types, a.Type), slices.Index(ens.Types, b.Type))
		case SortBirth:
			c = a.Student.BirthDate.Time().Compare(b.Student.BirthDate.Time())
		default:
			c = strings.Compare(key(a), key(b))
		}
		if c == 0 {
			c = bytes.Compare(a.ID[:], b.ID[:])
		}
		if f.Desc {
			c = -c
		}
		return c
	})
	var out []domain.ID
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// TestQueueAgreesWithBruteForce runs hundreds of random filters, sorts and
// pages against the indexes and compares each page and count with the
// obvious answer computed from every request.
func TestQueueAgreesWithBruteForce(t *testing.T) {
	s, schools, all, clock := randomQueue(t, 700, 1)
	rng := rand.New(rand.NewPCG(9, 9))
	pickSome := func(n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			if rng.IntN(3) == 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for trial := 0; trial < 600; trial++ {
		sc := schools[rng.IntN(2)]
		f := QueueFilter{School: sc.Inst.ID, Sort: SortColumns[rng.IntN(len(SortColumns))], Desc: rng.IntN(2) == 0,
			Offset: rng.IntN(4) * rng.IntN(60), Limit: 1 + rng.IntN(60), Language: language.CanadianFrench}
		if rng.IntN(2) == 0 {
			for _, i := range pickSome(len(ens.Statuses)) {
				f.Statuses = append(f.Statuses, ens.Statuses[i])
			}
		}
		if rng.IntN(3) == 0 {
			for _, i := range pickSome(len(ens.Types)) {
				f.Types = append(f.Types, ens.Types[i])
			}
		}
		if rng.IntN(4) == 0 {
			f.Assignee = []account.Actor{sc.DIR, sc.Sign}[rng.IntN(2)].Account
		}
		if rng.IntN(5) == 0 {
			f.ExpiringWithin = time.Duration(rng.IntN(30)) * 24 * time.Hour
		}
		if rng.IntN(3) == 0 {
			r := all[rng.IntN(len(all))]
			switch rng.IntN(6) {
			case 0:
				f.Search = r.Student.ClientID.String()
			case 1:
				f.Search = r.Student.BirthDate.String()
			case 2:
				f.Search = strings.ToLower(r.Student.StudentNumber)
			case 3:
				if r.EVN != "" {
					f.Search = string(r.EVN)
				} else {
					f.Search = "Tr"
				}
			case 4:
				w := strings.Fields(r.Student.FamilyName + " " + r.Student.GivenNames)[rng.IntN(2)]
				f.Search = string([]rune(w)[:1+rng.IntN(len([]rune(w)))])
			case 5:
				f.Search = r.Student.GivenNames + " " + string([]rune(r.Student.FamilyName)[:2])
			}
		}
		want := bruteForce(all, f, clock.Now())
		page, err := s.Queue(sc.DIR, f)
		if err != nil {
			t.Fatalf("trial %d %+v: %v", trial, f, err)
		}
		var got []domain.ID
		for _, r := range page.Rows {
			got = append(got, r.ID)
		}
		wantPage := want[min(f.Offset, len(want)):min(f.Offset+f.Limit, len(want))]
		if !slices.Equal(got, wantPage) {
			t.Fatalf("trial %d: filter %+v\n got %d rows %v\nwant %d rows %v", trial, f, len(got), got, len(wantPage), wantPage)
		}
		if wantMore := f.Offset+f.Limit < len(want); page.More != wantMore {
			t.Fatalf("trial %d: more = %v, want %v", trial, page.More, wantMore)
		}
		n, err := s.QueueCount(sc.DIR, f)
		if err != nil || n != len(want) {
			t.Fatalf("trial %d: count %d (%v), want %d; filter %+v", trial, n, err, len(want), f)
		}
	}
}

func TestSearchReportsAMistypedEVN(t *testing.T) {
	s, schools, _, _ := randomQueue(t, 5, 2)
	evn, _ := ens.IssueEVN(10, 1, 1)
	bad := string(evn[:12]) + map[bool]string{true: "0", false: "1"}[evn[12] != '0']
	if _, err := s.Queue(schools[0].DIR, QueueFilter{School: schools[0].Inst.ID, Search: bad}); domain.ErrorCode(err) != ens.ErrEVNCheck {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Queue(schools[0].DIR, QueueFilter{School: schools[0].Inst.ID, Sort: "colour"}); domain.ErrorCode(err) != store.ErrUnknownSort {
		t.Fatalf("got %v", err)
	}
}

// TestQueueIDsAgreeWithPages checks the whole ordered list against the
// pages of the same filter.
func TestQueueIDsAgreeWithPages(t *testing.T) {
	s, schools, all, clock := randomQueue(t, 300, 4)
	for _, sort := range SortColumns {
		for _, search := range []string{"", "tr", all[7].Student.ClientID.String()} {
			f := QueueFilter{School: schools[0].Inst.ID, Sort: sort, Search: search, Desc: sort == SortName, Language: language.CanadianFrench}
			ids, err := s.QueueIDs(schools[0].DIR, f)
			if err != nil {
				t.Fatal(err)
			}
			f.Limit = MaxPageSize
			want := bruteForce(all, f, clock.Now())
			if !slices.Equal(ids, want) {
				t.Fatalf("sort %s search %q: %d ids, want %d", sort, search, len(ids), len(want))
			}
			rows, err := s.Requests(schools[0].DIR, ids)
			if err != nil || len(rows) != len(ids) {
				t.Fatalf("requests: %d %v", len(rows), err)
			}
		}
	}
}

// TestSortCacheFollowsWrites sorts by student number, changes one, and
// sorts again: the cache must not serve the old value.
func TestSortCacheFollowsWrites(t *testing.T) {
	s, schools, _, _ := randomQueue(t, 120, 6)
	sc := schools[0]
	f := QueueFilter{School: sc.Inst.ID, Sort: SortStudentNo, Statuses: []ens.Status{ens.New, ens.InProgress}}
	ids, err := s.QueueIDs(sc.DIR, f)
	if err != nil || len(ids) < 2 {
		t.Fatalf("%d ids, %v", len(ids), err)
	}
	last := ids[len(ids)-1]
	r, _ := s.Request(sc.DIR, last)
	d := ens.Draft{StudentNumber: "A0000", Checks: r.Checks, Notes: r.Notes}
	if _, err := s.Act(sc.DIR, last, ens.Action{Function: ens.Save, Draft: &d}, 0); err != nil {
		t.Fatal(err)
	}
	ids, _ = s.QueueIDs(sc.DIR, f)
	if ids[0] != last {
		t.Fatal("the sort still used the old student number")
	}
}

// TestSortCacheRefusesWhatAnOldSnapshotRead: a reader whose transaction
// began before a write committed must not keep the values it decrypted.
func TestSortCacheRefusesWhatAnOldSnapshotRead(t *testing.T) {
	var c sortCache
	id := domain.ID{1}
	gen := c.generation()
	c.forget(id) // a write to the request commits while the reader reads
	c.put(id, &sortEntry{studentNo: "old"}, gen)
	if c.m[id] != nil {
		t.Fatal("a value read before the write was kept")
	}
	c.put(id, &sortEntry{studentNo: "new"}, c.generation())
	if c.m[id] == nil || c.m[id].studentNo != "new" {
		t.Fatal("a fresh value was not kept")
	}
}

// TestSortCacheKeptAcrossOpens: the sort cache saved at close serves the
// next open's first sort, except for a request written since (here while
// the cache was not loaded, so only its record says so).
func TestSortCacheKeptAcrossOpens(t *testing.T) {
	saveSortsFrom(t, 10)
	s, schools, all, clock := randomQueue(t, 300, 9)
	sc := schools[0]
	f := QueueFilter{School: sc.Inst.ID, Sort: SortStudentNo}
	before, err := s.QueueIDs(sc.DIR, f)
	if err != nil || len(before) < 100 {
		t.Fatalf("%d ids, %v", len(before), err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock)) // saved at close
	last := before[len(before)-1]
	r, _ := s.Request(sc.DIR, last)
	d := ens.Draft{StudentNumber: "A0000", Checks: r.Checks, Notes: r.Notes}
	if _, err := s.Act(sc.DIR, last, ens.Action{Function: ens.Save, Draft: &d}, 0); err != nil {
		t.Fatal(err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock)) // nothing sorted: the first save stays
	ids, err := s.QueueIDs(sc.DIR, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.sorts().fromDisk; got != len(before)-1 {
		t.Errorf("%d entries served from the saved cache, want %d (all but the one written)", got, len(before)-1)
	}
	if ids[0] != last {
		t.Fatal("the first sort after opening used the student number saved before the write")
	}
	for i := range all {
		if all[i].ID == last {
			all[i].Student.StudentNumber = "A0000"
		}
	}
	f.Limit = MaxPageSize
	if want := bruteForce(all, f, clock.Now()); !slices.Equal(ids, want) {
		t.Fatalf("the order after opening differs from the records' (%d ids, want %d)", len(ids), len(want))
	}
}
