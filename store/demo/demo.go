// Package demo builds the deterministic demo profile of dossierctl demo and
// the desktop's first run: one program account, two schools each with a DIR
// and two signatories, students, and requests in every type and status.
package demo

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/programs"
)

// Options choose what the demo holds. The same Seed, Requests and Today
// give the same profile content (salts and nonces aside).
type Options struct {
	Requests int
	Seed     uint64
	// Today is the day the demo is built for: open requests are recent
	// relative to it, expired ones are older.
	Today domain.Date
}

// Password is the password of every demo account.
const Password = "demo-password-1"

// Account is a demo account the person can sign in with.
type Account struct {
	Role   account.Role
	School string
	UserID string
}

// PIN is an unused PIN the demo leaves for trying enrolment.
type PIN struct {
	Role   account.Role
	School string
	Code   string
}

// Result describes what Build made.
type Result struct {
	Schools  []store.Institution
	Accounts []Account
	PINs     []PIN
	Requests int
}

// The demo's schools (invented).
var schools = []store.Institution{
	{Name: "Collège Beaulieu", Code: 1066, Province: "QC"},
	{Name: "Lakeview Polytechnic", Code: 2718, Province: "ON"},
}

// Build fills an empty profile.
func Build(s programs.Desk, opt Options) (Result, error) {
	var res Result
	if opt.Today.IsZero() {
		return res, fmt.Errorf("demo: no date")
	}
	prog, err := s.CreateProgramAccount(registration("program", "Programme", "Officer"))
	if err != nil {
		return res, fmt.Errorf("demo program account: %w", err)
	}
	res.Accounts = append(res.Accounts, Account{Role: account.ProgramOfficer, UserID: "program"})
	officer := prog.Actor()
	var staff [2][]store.Account
	for i, in := range schools {
		inst, err := s.CreateInstitution(officer, in)
		if err != nil {
			return res, fmt.Errorf("demo school: %w", err)
		}
		res.Schools = append(res.Schools, inst)
		short := strings.ToLower(strings.Fields(in.Name)[len(strings.Fields(in.Name))-1])
		if i == 1 {
			short = "lakeview"
		}
		dir, err := enrol(s, officer, account.DIR, inst.ID, "dir."+short, "Nathalie", []string{"Dufresne", "Okafor"}[i])
		if err != nil {
			return res, err
		}
		staff[i] = append(staff[i], dir)
		res.Accounts = append(res.Accounts, Account{Role: account.DIR, School: inst.Name, UserID: "dir." + short})
		for j, fam := range [][]string{{"Gingras", "Haddad"}, {"Pham", "MacLeod"}}[i] {
			user := fmt.Sprintf("sig%d.%s", j+1, short)
			sig, err := enrol(s, dir.Actor(), account.Signatory, inst.ID, user, []string{"Marc-André", "Priya"}[j], fam)
			if err != nil {
				return res, err
			}
			staff[i] = append(staff[i], sig)
			res.Accounts = append(res.Accounts, Account{Role: account.Signatory, School: inst.Name, UserID: user})
		}
		// A PIN left unused, to try enrolling: a signatory's at the first
		// school, a second DIR's at the other.
		by, role := dir.Actor(), account.Signatory
		if i == 1 {
			by, role = officer, account.DIR
		}
		code, _, err := s.IssuePIN(by, account.PINRequest{Role: role, Org: inst.ID})
		if err != nil {
			return res, err
		}
		res.PINs = append(res.PINs, PIN{Role: role, School: inst.Name, Code: code})
	}
	var students []domain.ID
	for i, n := range [][2]string{{"Élodie", "Côté"}, {"Wei", "Zhang"}, {"Chiamaka", "Okafor"}} {
		user := fmt.Sprintf("student%d", i+1)
		st, err := s.RegisterStudent(registration(user, n[0], n[1]))
		if err != nil {
			return res, err
		}
		students = append(students, st.ID)
		res.Accounts = append(res.Accounts, Account{Role: account.Student, UserID: user})
	}
	g := newGenerator(opt, res.Schools, staff, students)
	n, err := s.BulkLoad(officer, g.requests(), g.evnNext)
	res.Requests = n
	if err != nil {
		return res, err
	}
	notes, _ := json.Marshal(Notes{Password: Password, Accounts: res.Accounts, PINs: res.PINs})
	return res, s.SetDemoNotes(notes)
}

// Notes is what a demo profile keeps about itself for the sign-in screen:
// who can sign in, with what password, and the PINs left to try.
type Notes struct {
	Password string    `json:"password"`
	Accounts []Account `json:"accounts"`
	PINs     []PIN     `json:"pins"`
}

// ReadNotes returns the notes of a demo profile; ok is false for a real one.
func ReadNotes(s programs.Desk) (Notes, bool) {
	var n Notes
	b, err := s.DemoNotes()
	if err != nil || b == nil || json.Unmarshal(b, &n) != nil {
		return n, false
	}
	return n, true
}

func registration(user, given, family string) account.Registration {
	return account.Registration{UserID: user, Password: Password, GivenNames: given, FamilyName: family,
		Email: user + "@demo.example", AcceptTerms: true, Questions: questions}
}

// Answer is the demo people's answer to question, one of theirs: every
// demo account has the same four ("demo school" to "Name of your first
// school?"…), so that a demo can be signed in to from the command line.
func Answer(question string) string {
	for _, q := range questions {
		if q.Question == question {
			return q.Answer
		}
	}
	return ""
}

var questions = [account.QuestionCount]account.SecurityQuestion{
	{Question: "Name of your first school?", Answer: "demo school"},
	{Question: "City where you were born?", Answer: "demo city"},
	{Question: "Name of your first pet?", Answer: "demo pet"},
	{Question: "Favourite book?", Answer: "demo book"},
}

func enrol(s programs.Desk, by account.Actor, role account.Role, org domain.ID, user, given, family string) (store.Account, error) {
	code, _, err := s.IssuePIN(by, account.PINRequest{Role: role, Org: org, GivenNames: given, FamilyName: family})
	if err != nil {
		return store.Account{}, fmt.Errorf("demo PIN: %w", err)
	}
	a, err := s.Enrol(account.Enrolment{UserID: user, Password: Password, GivenNames: given, FamilyName: family,
		PIN: code, AcceptTerms: true, Questions: questions})
	if err != nil {
		return store.Account{}, fmt.Errorf("demo enrolment: %w", err)
	}
	return a, nil
}

// generator makes the requests from a seeded random source, each one raised
// and moved through its functions by the domain rules themselves, so every
// demo request is one the program could have produced.
type generator struct {
	opt      Options
	src      *rand.ChaCha8 // also the reader for IDs
	rng      *rand.Rand
	schools  []store.Institution
	staff    [2][]account.Actor
	students []domain.ID
	desks    map[domain.ID]ens.Desk
	evnNext  map[domain.ID]uint32
	now      time.Time
}

func newGenerator(opt Options, schools []store.Institution, staff [2][]store.Account, students []domain.ID) *generator {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], opt.Seed)
	src := rand.NewChaCha8(seed)
	g := &generator{opt: opt, src: src, rng: rand.New(src), schools: schools,
		students: students, evnNext: map[domain.ID]uint32{}, desks: map[domain.ID]ens.Desk{},
		now: opt.Today.Time().Add(17 * time.Hour)}
	for i, ss := range staff {
		for _, a := range ss {
			g.staff[i] = append(g.staff[i], a.Actor())
			g.desks[a.ID] = ens.Desk(a.Desk)
			g.evnNext[a.ID] = 1
		}
	}
	return g
}

func (g *generator) requests() iter.Seq[ens.Request] {
	return func(yield func(ens.Request) bool) {
		for i := 0; i < g.opt.Requests; i++ {
			r, err := g.request(i)
			if err != nil {
				panic(fmt.Sprintf("demo request %d: %v", i, err)) // a bug in the generator
			}
			if !yield(r) {
				return
			}
		}
	}
}

// pick returns one element of list.
func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

// weighted picks an index by weight.
func weighted(rng *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (g *generator) request(i int) (ens.Request, error) {
	rng := g.rng
	si := rng.IntN(2)
	school := g.schools[si]
	desk := pick(rng, g.staff[si])
	typ := []ens.Type{ens.EV, ens.EVT, ens.TI, ens.AC}[weighted(rng, 45, 15, 15, 25)]
	statuses := ens.StatusesOf(typ)
	target := statuses[rng.IntN(len(statuses))]

	// When the request was raised: open ones in the last 29 days, expired
	// ones more than 30 days ago, the rest in the last 120 days. Annual
	// compliance was raised on 15 October.
	var received time.Time
	switch {
	case typ == ens.AC:
		year := g.opt.Today.Year
		if g.opt.Today.Month < time.October || g.opt.Today.Month == time.October && g.opt.Today.Day < 15 {
			year--
		}
		if target == ens.Reported {
			// Reported by a submitted report: last year's list, so that
			// this year's can still be marked and submitted.
			year--
		}
		received = time.Date(year, time.October, 15, 6, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(3600)) * time.Second)
	case target.Open():
		received = g.now.Add(-time.Duration(rng.Int64N(int64(29 * 24 * time.Hour))))
	case target == ens.Expired:
		received = g.now.Add(-31*24*time.Hour - time.Duration(rng.Int64N(int64(90*24*time.Hour))))
	default:
		received = g.now.Add(-time.Duration(rng.Int64N(int64(120 * 24 * time.Hour))))
	}
	received = received.Truncate(time.Millisecond)
	id, err := domain.NewID(received, g.src)
	if err != nil {
		return ens.Request{}, err
	}
	in := ens.Raise{Type: typ, School: school.ID, Student: g.student(si), ComplianceYear: received.Year()}
	by := account.Actor{Account: g.studentID(), Role: account.Student}
	switch typ {
	case ens.EVT:
		in.FromSchool = g.schools[1-si].ID
	case ens.TI:
		in.FromSchool = g.schools[1-si].ID
		evn, _ := ens.IssueEVN(g.schools[1-si].Code, ens.Desk(1+rng.IntN(40)), uint32(1+rng.IntN(900000)))
		in.EVN = string(evn)
	case ens.AC:
		by = account.SystemActor
	}
	r, err := ens.NewRequest(id, in, by, received, ens.DefaultSettings)
	if err != nil {
		return r, err
	}
	// Each step comes some hours or days after the one before, within 25
	// days of the request and before today.
	last := received
	at := func() time.Time {
		end := received.Add(min(g.now.Sub(received), 25*24*time.Hour))
		if span := end.Sub(last); span > time.Millisecond {
			last = last.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Millisecond)
		}
		return last
	}
	apply := func(a ens.Action, who account.Actor, when time.Time) error {
		next, err := ens.Apply(r, a, who, when)
		if err == nil {
			r = next
		}
		return err
	}
	draft := &ens.Draft{Notes: pick(rng, deskNotes), StudentNumber: r.Student.StudentNumber}
	if target != r.Status && target != ens.Expired && target != ens.Withdrawn && rng.IntN(3) == 0 {
		// Many requests were saved once before they were decided.
		if err := apply(ens.Action{Function: ens.Save, Draft: draft}, desk, at()); err != nil {
			return r, err
		}
	}
	if target.Open() && rng.IntN(3) == 0 {
		if err := apply(ens.Action{Function: ens.Assign, Assignee: pick(rng, g.staff[si]).Account}, desk, at()); err != nil {
			return r, err
		}
	}
	switch target {
	case ens.InProgress:
		if r.Status != ens.InProgress {
			err = apply(ens.Action{Function: ens.Save, Draft: draft}, desk, at())
		}
	case ens.Verified:
		d := *draft
		for i := range d.Checks {
			d.Checks[i] = ens.Met
		}
		evn, e := ens.IssueEVN(school.Code, g.desks[desk.Account], g.evnNext[desk.Account])
		if e != nil {
			return r, e
		}
		g.evnNext[desk.Account]++
		err = apply(ens.Action{Function: ens.Verify, Draft: &d, EVN: evn}, desk, at())
	case ens.Rejected:
		err = apply(ens.Action{Function: ens.Reject, Reason: pick(rng, rejectReasons)}, desk, at())
	case ens.Accepted:
		err = apply(ens.Action{Function: ens.Accept}, desk, at())
	case ens.Expired:
		err = apply(ens.Action{Function: ens.Expire}, account.SystemActor, r.Expires)
	case ens.Withdrawn:
		err = apply(ens.Action{Function: ens.Withdraw}, by, at())
	case ens.Eligible, ens.Ineligible, ens.Reported:
		mark := ens.Action{Function: ens.MarkEligible}
		if target == ens.Ineligible || target == ens.Reported && rng.IntN(4) == 0 {
			mark = ens.Action{Function: ens.MarkIneligible, Reason: pick(rng, ineligibleReasons)}
		}
		if err = apply(mark, desk, at()); err == nil && target == ens.Reported {
			err = apply(ens.Action{Function: ens.Report}, g.staff[si][0], at())
		}
	}
	return r, err
}

// studentID is one of the demo's enrolled students now and then, so their
// own space has requests to show, and otherwise a student whose account
// lives elsewhere.
func (g *generator) studentID() domain.ID {
	if g.rng.IntN(200) == 0 {
		return pick(g.rng, g.students)
	}
	id, _ := domain.NewID(g.now, g.src)
	return id
}

func (g *generator) student(school int) ens.Student {
	rng := g.rng
	given := pick(rng, givenNames)
	if rng.IntN(8) == 0 {
		given += " " + pick(rng, givenNames)
	}
	family := pick(rng, familyNames)
	digits := 8 + 2*rng.IntN(2)
	var cid strings.Builder
	for i := 0; i < digits; i++ {
		cid.WriteByte(byte('0' + rng.IntN(10)))
	}
	return ens.Student{
		GivenNames: given, FamilyName: family,
		BirthDate:     domain.Date{Year: 1988 + rng.IntN(19), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
		ClientID:      domain.ClientID(cid.String()),
		StudentNumber: fmt.Sprintf("%s%07d", []string{"B", "L"}[school], rng.IntN(10000000)),
		Email:         strings.ToLower(strings.ReplaceAll(domain.FoldName(given), " ", ".")) + "." + fmt.Sprint(rng.IntN(1000)) + "@student.example",
	}
}
