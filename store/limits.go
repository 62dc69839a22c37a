package store

import (
	gosync "sync"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/sync"
)

// CreateClass is a kind of record a client creates. Each account has a
// limit per class (CreateLimits); workflow actions on records that exist
// (a DIR verifying thousands of requests, an officer deciding files) are
// never limited.
type CreateClass string

// The classes of records a client creates.
const (
	CreatesRequest      CreateClass = "request"
	CreatesApplication  CreateClass = "application"
	CreatesDocument     CreateClass = "document"
	CreatesEmployerForm CreateClass = "employer-form"
	CreatesBranch       CreateClass = "branch"
	CreatesPIN          CreateClass = "pin"
	CreatesPrint        CreateClass = "print"
	CreatesRepMatch     CreateClass = "rep-match"
	CreatesInstitution  CreateClass = "institution"
	CreatesNotice       CreateClass = "notice"
	CreatesMaintenance  CreateClass = "maintenance"
)

// CreateLimits are the rates at which one account may create records, by
// class.
type CreateLimits map[CreateClass]Limit

// The server's limits on what clients create (design). Each is far above
// what a person does by hand, so only a program flooding the server meets
// one; a push over a limit is answered 429 with Retry-After and the desk
// sends the rest later (nothing is lost).
//
//	class          burst  then one every  why
//	request           20  minute          a student raises a few requests a year
//	application        5  hour            one file per applicant; a second try or two
//	document          60  5 minutes       a file holds about twenty scans of up to 10 MB
//	employer-form    100  30 seconds      an employer saves forms as they type them up
//	branch            50  minute          a business has a few branches, a chain some dozens
//	pin              200  6 seconds       a DIR gives a PIN to each of a school's staff in a morning
//	print            500  2 seconds       a DIR prints a day's letters at once, each with its code
//	rep-match         20  3 minutes       a representative asks for a few clients' files a day
//	institution      200  10 seconds      the program enters the province's schools
//	notice            20  hour            an applicant tells of a change now and then (MaxNotices a file)
//	maintenance       10  hour            the program announces a server's maintenance a few times a year
//
// RepMissLimit and VerifyLimit are the guessing limits of the same table.
var DefaultCreateLimits = CreateLimits{
	CreatesRequest:      {Burst: 20, Every: time.Minute},
	CreatesApplication:  {Burst: 5, Every: time.Hour},
	CreatesDocument:     {Burst: 60, Every: 5 * time.Minute},
	CreatesEmployerForm: {Burst: 100, Every: 30 * time.Second},
	CreatesBranch:       {Burst: 50, Every: time.Minute},
	CreatesPIN:          {Burst: 200, Every: 6 * time.Second},
	CreatesPrint:        {Burst: 500, Every: 2 * time.Second},
	CreatesRepMatch:     {Burst: 20, Every: 3 * time.Minute},
	CreatesInstitution:  {Burst: 200, Every: 10 * time.Second},
	CreatesNotice:       {Burst: 20, Every: time.Hour},
	CreatesMaintenance:  {Burst: 10, Every: time.Hour},
}

// MaxNotices is the most changes of information a file holds (§5.4): the
// rule's own bound (oinp.AddNotice).
const MaxNotices = oinp.MaxNotices

var (
	// DefaultRepMissLimit bounds the representation requests whose file
	// number and e-mail match no file: ten an hour per representative. A
	// person who mistypes tries again a few times; a guesser of which
	// e-mail goes with which file number is stopped after ten.
	DefaultRepMissLimit = Limit{Burst: 10, Every: 6 * time.Minute}
	// DefaultVerifyLimit bounds the verification-code look-ups from one
	// address (they need no account): thirty at once, then one every two
	// seconds. An employer checking a pile of documents stays within it.
	DefaultVerifyLimit = Limit{Burst: 30, Every: 2 * time.Second}
	// DefaultFetchLimit bounds the documents one account downloads from
	// the server (an applicant's scans, up to 10 MB each): sixty at once,
	// then one every ten seconds. An officer opening every document of
	// three files in a row stays within it, and a desk keeps what it
	// fetched, so opening one again costs nothing; a program pulling
	// every scan it may read, over and over, is stopped.
	DefaultFetchLimit = Limit{Burst: 60, Every: 10 * time.Second}
	// DefaultRefusalLimit bounds the refused commands recorded for one
	// account: two hundred at once, then one every three seconds. Each
	// refusal is written (its answer and its audit entry) and costs the
	// push a second commit; a desk's honest refusals are a few at a time
	// (a request another desk moved first), while a program sending
	// commands the rules refuse, by the thousand a push, would fill the
	// audit trail and hold the writer from everyone else. Over it, the
	// push is answered sync.ErrRateLimited (429) before the refusal is
	// recorded, and the desk sends the rest later.
	DefaultRefusalLimit = Limit{Burst: 200, Every: 3 * time.Second}
	// NoLimit is a limit no client reaches: for test harnesses and load
	// generators that create thousands of records on purpose.
	NoLimit = Limit{Burst: 1 << 30, Every: time.Nanosecond}
)

// NoCreateLimits lifts every creation limit (see NoLimit).
func NoCreateLimits() CreateLimits {
	out := CreateLimits{}
	for c := range DefaultCreateLimits {
		out[c] = NoLimit
	}
	return out
}

// of is the limit of class c: the one set, else the default.
func (l CreateLimits) of(c CreateClass) Limit {
	if lim, ok := l[c]; ok {
		return lim
	}
	return DefaultCreateLimits[c]
}

// MaxFormField is the most characters a field of a form (an OINP
// application, an Employer Form) may hold: a long page. The forms' fields
// are cleaned of invisible characters as they are saved, on the desk and
// on the server (domain.CleanStrings).
const MaxFormField = 4000

// Payload bounds: what one command may carry, by kind, before any field
// is read. A command over its bound is refused (sync.ErrTooLarge) and the
// rest of the push goes on. Attachments carry a scan of up to 10 MB in
// base64; the forms a whole application or employer form; every other
// command a few fields.
const (
	MaxPayloadAttachment = 15 << 20
	MaxPayloadForm       = 1 << 20
	MaxPayloadSmall      = 64 << 10
)

// Codes of the creation limits.
var (
	// ErrRepMisses is a representation request refused because the
	// representative's requests matched no file too often lately; its
	// argument is when they may ask again.
	ErrRepMisses = domain.NewCode("store.oinp.rep.misses", domain.KindConflict)
)

// memLimits counts attempts in memory, by key: an account and a class,
// or an address. They are the server process's own (a second process on
// the same PostgreSQL database counts its own), which is enough to stop
// a flood and costs no write. It holds at most maxKeys keys; past that,
// keys whose limit is full again are forgotten, and while none is, a new
// key is refused (a flood from countless addresses cannot take the
// server's memory).
type memLimits struct {
	mu      gosync.Mutex
	seen    map[string]throttleState
	maxKeys int
}

const memLimitKeys = 100_000

func newMemLimits() *memLimits {
	return &memLimits{seen: map[string]throttleState{}, maxKeys: memLimitKeys}
}

// take counts one attempt for key against lim at now. When the limit
// refuses, it returns the time from which the next attempt is taken, and
// first reports whether this is the first refusal of a run (to audit).
func (m *memLimits) take(key string, lim Limit, now time.Time) (retry time.Time, first, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, known := m.seen[key]
	if !known && len(m.seen) >= m.maxKeys {
		m.sweep(now)
		if len(m.seen) >= m.maxKeys {
			return now.Add(lim.Every), false, false
		}
	}
	next, retry, ok := lim.take(st, now)
	if !ok {
		first = !st.noted
		st.noted = true
		m.seen[key] = st
		return retry, first, false
	}
	m.seen[key] = next
	return time.Time{}, false, true
}

// over reports whether the next attempt for key would be refused, and
// from when it would not, without counting one.
func (m *memLimits) over(key string, lim Limit, now time.Time) (retry time.Time, over bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, retry, ok := lim.take(m.seen[key], now)
	return retry, !ok
}

// sweep forgets the keys whose limit is full again.
func (m *memLimits) sweep(now time.Time) {
	for k, st := range m.seen {
		if !st.tat.After(now) {
			delete(m.seen, k)
		}
	}
}

// Sweep forgets the in-memory counts that are full again; the server
// runs it now and then.
func (sv *Server) Sweep() {
	now := sv.st.Now()
	for _, m := range []*memLimits{sv.creates, sv.repMisses, sv.verifies, sv.refused, sv.fetches} {
		m.mu.Lock()
		m.sweep(now)
		m.mu.Unlock()
	}
}

func createKey(acct domain.ID, c CreateClass) string { return string(acct[:]) + string(c) }

// admission is what admitCreates lets through of a push: the commands
// (all, or those before the first over a limit), the creating commands
// among them not answered before (fresh), and, when it stopped short,
// sync.ErrRateLimited with when to come back.
type admission struct {
	cmds    []sync.Command
	fresh   map[domain.ID]bool
	limited error
}

// admitCreates counts the commands of cmds that create a record against
// by's limits, in order. A command already answered (a batch sent again)
// is not counted. Refusing costs a read; the first refusal of a run is
// audited.
func (sv *Server) admitCreates(by account.Actor, cmds []sync.Command) (admission, error) {
	adm := admission{cmds: cmds}
	var ask []int
	for i, c := range cmds {
		if commands[c.Kind].Creates != "" && c.Actor == by.Account {
			ask = append(ask, i)
		}
	}
	if len(ask) == 0 {
		return adm, nil
	}
	adm.fresh = make(map[domain.ID]bool, len(ask))
	err := sv.st.db.View(func(tx *Tx) error {
		b := BucketOf(tx, answersBucket)
		for _, i := range ask {
			if b.Get(cmds[i].ID[:]) == nil {
				adm.fresh[cmds[i].ID] = true
			}
		}
		return nil
	})
	if err != nil {
		return adm, err
	}
	now := sv.st.Now()
	for _, i := range ask {
		if !adm.fresh[cmds[i].ID] {
			continue
		}
		c := commands[cmds[i].Kind].Creates
		retry, first, ok := sv.creates.take(createKey(by.Account, c), sv.opt.Creates.of(c), now)
		if ok {
			continue
		}
		if first {
			_ = sv.Refused(by, "push", cmds[i].Entity, sync.ErrRateLimited)
		}
		adm.cmds, adm.limited = cmds[:i], domain.Errorf(sync.ErrRateLimited, retry)
		return adm, nil
	}
	return adm, nil
}

// admitCommand refuses, inside the push's transaction, a command over its
// payload bound, and a representation request from a representative over
// the misses limit. It reads and counts nothing, so a transaction run
// again decides the same.
func (sv *Server) admitCommand(by account.Actor, cmd sync.Command) error {
	if n := PayloadBound(cmd.Kind); len(cmd.Payload) > n {
		return domain.FieldError(sync.ErrTooLarge, "payload", n)
	}
	if commands[cmd.Kind].Misses != "" {
		if retry, over := sv.repMisses.over(string(by.Account[:]), sv.opt.RepMisses, sv.st.Now()); over {
			return domain.Errorf(ErrRepMisses, retry)
		}
	}
	return nil
}

// countMisses counts, for the representation requests of cmds that were
// answered now (not repeats), those that matched no file. The request
// refused for the misses is audited as any refused command is.
func (sv *Server) countMisses(by account.Actor, cmds []sync.Command, answers []sync.Answer, fresh map[domain.ID]bool) {
	now := sv.st.Now()
	for i, a := range answers {
		if i >= len(cmds) || !fresh[cmds[i].ID] {
			continue
		}
		miss := commands[cmds[i].Kind].Misses
		if miss == "" {
			continue
		}
		if a.Outcome == sync.Rejected && a.Error != nil && a.Error.Code == miss {
			// Over the limit already (two pushes at once), the count
			// stays full: the next request is refused all the same.
			sv.repMisses.take(string(by.Account[:]), sv.opt.RepMisses, now)
		}
	}
}

// admitRefusal counts one refused command about to be recorded for by
// against the refusal limit, or answers sync.ErrRateLimited with when to
// come back (the run's first such answer audited as a refusal).
func (sv *Server) admitRefusal(by account.Actor, cmd sync.Command) error {
	retry, first, ok := sv.refused.take(string(by.Account[:]), sv.opt.Refusals, sv.st.Now())
	if ok {
		return nil
	}
	if first {
		_ = sv.Refused(by, "push", cmd.Entity, sync.ErrRateLimited)
	}
	return domain.Errorf(sync.ErrRateLimited, retry)
}

// AdmitVerify counts a verification-code look-up from the address from
// (host and port, as the connection gives it; empty for a call made in
// process) against VerifyLimit, or refuses it with sync.ErrRateLimited
// and when to come back. It writes nothing: the caller has no account.
func (sv *Server) AdmitVerify(from string) error {
	if from == "" {
		return nil
	}
	retry, _, ok := sv.verifies.take(addressKey(from), sv.opt.VerifyLimit, sv.st.Now())
	if !ok {
		return domain.Errorf(sync.ErrRateLimited, retry)
	}
	return nil
}

// AdmitFetch counts a document's download by by against FetchLimit, or
// refuses it with sync.ErrRateLimited and when to come back (the run's
// first such refusal audited). It writes nothing else: a refused
// download costs the server no durable write past that one.
func (sv *Server) AdmitFetch(by account.Actor) error {
	retry, first, ok := sv.fetches.take(string(by.Account[:]), sv.opt.Fetches, sv.st.Now())
	if ok {
		return nil
	}
	if first {
		_ = sv.Refused(by, "document", domain.ID{}, sync.ErrRateLimited)
	}
	return domain.Errorf(sync.ErrRateLimited, retry)
}

// AddressKey is the part of a client address (host and port) that one
// party controls: the whole of an IPv4 address, the first 64 bits of an
// IPv6 one. The server's limits by address count by it.
func AddressKey(from string) string { return addressKey(from) }
