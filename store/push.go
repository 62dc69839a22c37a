package store

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// Codes for pushed commands.
var (
	ErrEntityExists = domain.NewCode("store.entity.exists", domain.KindConflict)
	ErrRegisterOnly = domain.NewCode("store.register.only", domain.KindForbidden)
	// ErrRegisterActor is a command that creates an account sent in the
	// name of another account than the one it creates.
	ErrRegisterActor = domain.NewCode("store.register.actor", domain.KindForbidden)
	// ErrCommandTaken is a command whose ID another account's command
	// already used: it is not applied, and the other's answer is not sent.
	ErrCommandTaken = domain.NewCode("store.command.taken", domain.KindConflict)
)

// rejection carries a rule's refusal out of a write transaction, so that
// bbolt rolls back whatever the command had written before it was refused.
type rejection struct{ err error }

func (r rejection) Error() string { return r.err.Error() }

// rejectable reports whether err is a refusal a person can read (a coded
// error other than an internal fault), rather than a fault to retry.
func rejectable(err error) bool {
	var e *domain.Error
	var c domain.Code
	if !errors.As(err, &e) && !errors.As(err, &c) {
		return false
	}
	return domain.ErrorCode(err).Kind() != domain.KindInternal
}

// Push applies commands a desk pushed for by, in order, and answers each:
// applied, merged, or rejected with a code. A command already answered
// gets its stored answer, so a batch sent twice changes nothing the second
// time. An error means a fault of the server (the desk keeps the rest of
// its outbox and retries).
//
// Commands that create records count against by's limits (CreateLimits):
// those before the first over a limit are applied, and then the push is
// answered sync.ErrRateLimited (HTTP 429), so that the desk sends the rest
// later and loses nothing. So are the commands from the first the rules
// refuse over the sender's refusal limit (DefaultRefusalLimit): a
// refusal is written, and a flood of them would fill the audit trail.
func (sv *Server) Push(by account.Actor, cmds []sync.Command) (out []sync.Answer, _ sync.HLC, _ error) {
	adm, err := sv.admitCreates(by, cmds)
	if err != nil {
		return nil, sv.HLC(), err
	}
	cmds = adm.cmds
	defer func() { sv.countMisses(by, cmds, out, adm.fresh) }()
	out = make([]sync.Answer, 0, len(cmds))
	for len(out) < len(cmds) {
		rest := cmds[len(out):]
		if rest[0].Actor.IsZero() {
			ans, err := sv.answerProgramCommand(by, rest[0])
			if err != nil {
				return out, sv.HLC(), err
			}
			out = append(out, ans)
			continue
		}
		if rest[0].Actor != by.Account {
			// Commands of another person wait for that person's own sign-in.
			_ = sv.Refused(by, "push", rest[0].Entity, sync.ErrNotSame)
			out = append(out, sync.Answer{Command: rest[0].ID, Outcome: sync.Rejected, Error: sync.EncodeError(domain.Errorf(sync.ErrNotSame))})
			continue
		}
		n := 1
		for n < len(rest) && rest[n].Actor == by.Account {
			n++
		}
		answers, err := sv.applyAll(by, rest[:n], nil)
		out = append(out, answers...)
		if err != nil {
			return out, sv.HLC(), err
		}
	}
	return out, sv.HLC(), adm.limited
}

// PushFrom is Push for commands that came over the network from device,
// the computer by's token was issued to (Authenticate): each command is
// taken as made there, whatever device it names, so that a Verify's EVN is
// checked against that computer's own desk number (desks.go). Push alone
// is for callers in process, whose commands name their device.
func (sv *Server) PushFrom(by account.Actor, device domain.ID, cmds []sync.Command) ([]sync.Answer, sync.HLC, error) {
	cmds = slices.Clone(cmds)
	for i := range cmds {
		cmds[i].Device = device
	}
	return sv.Push(by, cmds)
}

// answerProgramCommand answers a command a desk made in the program's
// name rather than a person's — an older desk's expiry of a request,
// which the server now decides by its own clock — without applying it:
// sync.ErrProgramCommand, with the record as the server holds it when by
// may read it, so that the desk puts its copy back. Nothing is written:
// the command is nobody's to be told about, and answering it costs a read.
func (sv *Server) answerProgramCommand(by account.Actor, cmd sync.Command) (sync.Answer, error) {
	ans := sync.Answer{Command: cmd.ID, Outcome: sync.Rejected, Error: sync.EncodeError(domain.Errorf(sync.ErrProgramCommand))}
	err := sv.st.db.View(func(tx *Tx) error {
		var err error
		ans.Current, err = sv.current(tx, by, cmd)
		return err
	})
	return ans, err
}

// Register applies the one command a person without an account may push:
// their own registration (a student) or enrolment (with a PIN). Like a
// sign-in, it counts against the limit of the client's address (from;
// empty for a call made in process) before it checks anything, and its
// PIN check waits for a free core. The command acts as the account it
// creates, which is the one it is audited under: one sent in the name of
// another (its Actor is not its Entity) is refused with
// ErrRegisterActor, counted in memory (Refused), not written.
func (sv *Server) Register(cmd sync.Command, from string) (sync.Answer, error) {
	if !CreatesAccount(cmd.Kind) {
		_ = sv.Refused(account.Actor{}, "register", domain.ID{}, ErrRegisterOnly)
		return sync.Answer{}, domain.Errorf(ErrRegisterOnly)
	}
	if err := sv.admitAttempt(sv.registerLimits(from), "register"); err != nil {
		return sync.Answer{}, err
	}
	if cmd.Actor != cmd.Entity {
		_ = sv.Refused(account.Actor{}, "register", domain.ID{}, ErrRegisterActor)
		return sync.Answer{}, domain.Errorf(ErrRegisterActor)
	}
	// Hashes made otherwise than the server makes them are refused here,
	// before anything is written (dispatch checks them again).
	var p sync.EnrolPayload // the payload of all three kinds (EnrolBusinessPayload embeds it)
	if !commands[cmd.Kind].NoCredential && json.Unmarshal(cmd.Payload, &p) == nil {
		if err := sv.checkHashes(&p); err != nil {
			_ = sv.Refused(account.Actor{}, "register", domain.ID{}, domain.ErrorCode(err))
			return sync.Answer{}, err
		}
	}
	select {
	case sv.checking <- struct{}{}:
		defer func() { <-sv.checking }()
	case <-time.After(checkWait):
		return sync.Answer{}, domain.Errorf(sync.ErrTooMany, sv.st.Now().Add(time.Second))
	}
	by := account.Actor{Account: cmd.Entity, Role: account.Student}
	if spec := commands[cmd.Kind]; spec.Makes != 0 {
		by.Role = spec.Makes
	}
	answers, err := sv.applyAll(by, []sync.Command{cmd}, sv.refuseUnsigned)
	if err != nil {
		return sync.Answer{}, err
	}
	return answers[0], nil
}

// refuseUnsigned answers a registration or enrolment the rules refused
// without writing anything: its sender is not signed in, so the refusal
// is counted in memory (Refused), and a repeat of the command is judged
// again. A business refused at the door is the exception: the program
// keeps the reason (refuseIn), which its sender never reads.
func (sv *Server) refuseUnsigned(cmd sync.Command, why error) (sync.Answer, bool) {
	if keep := commands[cmd.Kind].KeepRefused; keep != nil && keep(why) {
		return sync.Answer{}, false
	}
	_ = sv.Refused(account.Actor{}, "sync."+string(cmd.Kind), domain.ID{}, domain.ErrorCode(why))
	return sync.Answer{Command: cmd.ID, Outcome: sync.Rejected, Error: sync.EncodeError(why)}, true
}

// applyAll applies a run of one person's commands. They go in one write
// transaction, which bbolt's Batch shares with the pushes of other desks
// under way at the same moment: one commit (and one sync to disk) for many
// commands, where a transaction each would cap the server at the disk's
// commits per second. A push with no other under way commits at once. A command the rules refuse rolls the transaction
// back (undoing whatever it had written); the commands before it are then
// applied again together with the record of the refusal, and the rest go
// on after it.
//
// quiet, when set, may answer a refused command itself (its second result
// true), instead of the refusal being recorded (refuseIn).
func (sv *Server) applyAll(by account.Actor, cmds []sync.Command, quiet func(sync.Command, error) (sync.Answer, bool)) ([]sync.Answer, error) {
	now := sv.st.Now()
	cmds = slices.Clone(cmds)
	for i := range cmds {
		cmds[i].HLC, _ = sv.clock(cmds[i].HLC, now)
	}
	// A push alone commits at once; pushes that overlap share commits.
	write := sv.st.db.Update
	if sv.pushing.Add(1) > 1 {
		write = sv.st.db.Batch
	}
	defer sv.pushing.Add(-1)
	out := make([]sync.Answer, 0, len(cmds))
	for len(out) < len(cmds) {
		rest := cmds[len(out):]
		var done []sync.Answer
		err := write(func(tx *Tx) error {
			done = done[:0] // Batch may run this more than once
			for _, cmd := range rest {
				ans, err := sv.applyIn(tx, by, cmd, now)
				if err != nil {
					return err
				}
				done = append(done, ans)
			}
			return nil
		})
		var rej rejection
		if errors.As(err, &rej) && len(done) == 0 && quiet != nil {
			if ans, ok := quiet(rest[0], rej.err); ok {
				out = append(out, ans)
				continue
			}
		}
		var limited error
		if errors.As(err, &rej) {
			k := len(done) // the refused command's place in rest
			if quiet == nil {
				// A signed-in sender's refusals are recorded: so many
				// and no more (DefaultRefusalLimit).
				limited = sv.admitRefusal(by, rest[k])
			}
			err = write(func(tx *Tx) error {
				done = done[:0]
				for _, cmd := range rest[:k] {
					ans, err := sv.applyIn(tx, by, cmd, now)
					if err != nil {
						return err
					}
					done = append(done, ans)
				}
				if limited != nil {
					return nil
				}
				ans, err := sv.refuseIn(tx, by, rest[k], rej.err, now)
				done = append(done, ans)
				return err
			})
			if errors.As(err, &rej) {
				continue // another desk's write moved the record meanwhile: again from here
			}
		}
		if err == nil && limited != nil {
			return append(out, done...), limited
		}
		if err != nil {
			return out, err
		}
		out = append(out, done...)
	}
	return out, nil
}

// applyIn applies one command inside tx and stores its answer; a repeat
// gets the answer stored the first time. A refusal by the rules comes back
// as a rejection, so that the transaction is rolled back.
func (sv *Server) applyIn(tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
	if a, found, err := sv.answerFor(tx, by, cmd.ID); err != nil || found {
		return a, err
	}
	// The declaration first: an unknown kind, or a role that may never
	// send it, reaches no rule; then the command's bounds (its size, a
	// representative's misses).
	if err := admit(by, cmd); err != nil {
		return sync.Answer{}, rejection{err}
	}
	if err := sv.admitCommand(by, cmd); err != nil {
		return sync.Answer{}, rejection{err}
	}
	ans, err := sv.dispatch(tx, by, cmd, now)
	if err != nil {
		if rejectable(err) {
			return ans, rejection{err}
		}
		return ans, err
	}
	ans.Command = cmd.ID
	if err := sv.st.PutJSON(BucketOf(tx, answersBucket), cmd.ID[:], storedAnswer{ans, by.Account}); err != nil {
		return ans, err
	}
	return ans, sv.st.Journal(tx, now, Entry{By: by, Action: "sync." + string(cmd.Kind), Entity: cmd.Entity,
		Command: cmd.ID, Detail: string(ans.Outcome), OfflineAt: sv.offlineAt(cmd.HLC.Wall(), now)})
}

// refuseIn records the refusal of cmd: its answer, with the record as it
// stands so that the desk can put it back, and the audit entry.
func (sv *Server) refuseIn(tx *Tx, by account.Actor, cmd sync.Command, why error, now time.Time) (sync.Answer, error) {
	if a, found, err := sv.answerFor(tx, by, cmd.ID); err != nil || found {
		return a, err
	}
	shown := why
	if refused := commands[cmd.Kind].Refused; refused != nil {
		// What the program keeps of the refusal, and what the person reads.
		alt, err := refused(sv, tx, by, cmd, why, now)
		if err != nil {
			return sync.Answer{}, err
		}
		if alt != nil {
			shown = alt
		}
	}
	ans := sync.Answer{Command: cmd.ID, Outcome: sync.Rejected, Error: sync.EncodeError(shown)}
	cur, err := sv.current(tx, by, cmd)
	if err != nil {
		return ans, err
	}
	ans.Current = cur
	if err := sv.st.PutJSON(BucketOf(tx, answersBucket), cmd.ID[:], storedAnswer{ans, by.Account}); err != nil {
		return ans, err
	}
	return ans, sv.st.Journal(tx, now, Entry{By: by, Action: "refused.sync." + string(cmd.Kind), Entity: cmd.Entity,
		Command: cmd.ID, Detail: string(domain.ErrorCode(why))})
}

// storedAnswer is a command's answer as the server keeps it, with the
// account that sent the command: the answer is that account's alone.
type storedAnswer struct {
	sync.Answer
	By domain.ID `json:"by,omitempty"`
}

// answerIn is the answer stored for command id, whoever sent it.
func (sv *Server) answerIn(tx *Tx, id domain.ID) (ans sync.Answer, found bool, err error) {
	var st storedAnswer
	found, err = sv.st.GetJSON(BucketOf(tx, answersBucket), id[:], &st)
	return st.Answer, found, err
}

// answerFor is the answer stored for command id when by sent it, so that
// a repeat gets the same answer. A command ID is not a secret (the audit
// names it): another account's command under the same ID is answered
// ErrCommandTaken, neither applied nor stored, and never reads the first
// sender's answer (the record a refusal sent back, the fields two desks
// changed). An answer stored before its sender was kept goes back
// without the record or the fields.
func (sv *Server) answerFor(tx *Tx, by account.Actor, id domain.ID) (ans sync.Answer, found bool, err error) {
	var st storedAnswer
	found, err = sv.st.GetJSON(BucketOf(tx, answersBucket), id[:], &st)
	switch {
	case err != nil || !found:
		return sync.Answer{}, found, err
	case st.By.IsZero():
		st.Current, st.Conflicts = nil, nil
	case st.By != by.Account:
		return sync.Answer{Command: id, Outcome: sync.Rejected, Error: sync.EncodeError(domain.Errorf(ErrCommandTaken))}, true, nil
	}
	return st.Answer, true, nil
}

// OfflineWindow is how long a desk may work offline and still have its
// own time kept: the day it printed a document or signed a form, and the
// "made offline at" of its commands.
const OfflineWindow = 30 * 24 * time.Hour

// At is when a command takes effect on the server's record: the server's
// clock, whatever the desk's said. Every date that starts or ends a
// deadline (a request received or decided and its expiry, an application
// registered or submitted, a report submitted, a PIN issued) is the day
// the program received the action, so that no desk dates its work in
// the future or in the past; the desk's own time stays in its audit
// trail and its outbox, and on the command's audit entry here (OfflineAt).
// The first argument is what the payload claimed, and is ignored.
func (sv *Server) At(_, now time.Time) time.Time {
	return now
}

// offlineAt is when a desk says it made a command it sends late, kept on
// the command's audit entry as "made offline at": only a time within the
// window (no later than the server's clock allows, no more than
// OfflineWindow before it) and earlier than the server's clock by more
// than MaxAhead, zero otherwise. It decides nothing: a desk offline longer
// than the window still syncs its work, dated by the server.
func (sv *Server) offlineAt(desk, now time.Time) time.Time {
	if desk.IsZero() || !desk.Before(now.Add(-sv.opt.MaxAhead)) || desk.Before(now.Add(-OfflineWindow)) {
		return time.Time{}
	}
	return desk.UTC().Truncate(time.Millisecond)
}

// DeskDate is a day a desk states that does not start a deadline (the day
// a document was printed): kept when it lies within the offline window,
// no later than the server's clock allows and no more than OfflineWindow
// before it, and the server's day otherwise.
func (sv *Server) DeskDate(desk domain.Date, now time.Time) domain.Date {
	latest, earliest := domain.DateOf(now.Add(sv.opt.MaxAhead)), domain.DateOf(now.Add(-OfflineWindow))
	if desk.IsZero() || latest.Before(desk) || desk.Before(earliest) {
		return domain.DateOf(now)
	}
	return desk
}

// CleanRegistration checks the parts of a registration the server stores.
// The password arrives hashed: the desk checked its rule, and the server
// checks it again at each sign-in (account.PasswordMatches), so that a
// password the rule forbids, set by a hostile desk, never signs in.
func (sv *Server) CleanRegistration(p *sync.EnrolPayload) (account.Registration, error) {
	var r account.Registration
	var err error
	if r.UserID, err = account.CleanUserID(p.UserID); err != nil {
		return r, err
	}
	if r.FamilyName, err = domain.CleanName("familyName", p.FamilyName, true); err != nil {
		return r, err
	}
	if r.GivenNames, err = domain.CleanName("givenNames", p.GivenNames, false); err != nil {
		return r, err
	}
	if p.Email != "" {
		if r.Email, err = domain.CleanEmail("email", p.Email); err != nil {
			return r, err
		}
	}
	r.Lang = MailLang(p.Lang)
	if r.Form, err = account.ParseForm(p.Form); err != nil {
		return r, err
	}
	return r, sv.checkHashes(p)
}

// checkHashes checks the hashes of a registration or enrolment, made
// with the server's parameters (account.CheckSecretHash), the only ones it
// will pay for at each check, and cleans its security questions' text in
// place.
func (sv *Server) checkHashes(p *sync.EnrolPayload) error {
	if err := account.CheckSecretHash(p.Password, sv.st.opt.Secrets, "password"); err != nil {
		return err
	}
	for i := range p.Questions {
		q := &p.Questions[i]
		if err := account.CheckSecretHash(q.AnswerHash, sv.st.opt.Secrets, "answer"+string(rune('1'+i))); err != nil {
			return err
		}
		// The question's text is the person's own, kept on the server: a
		// line of MaxQuestion characters at most, cleaned as the desk
		// cleans it.
		var err error
		if q.Question, err = account.CleanQuestion(i, q.Question); err != nil {
			return err
		}
	}
	return nil
}

// issuePIN records a PIN a desk issued. The rules are checked again for
// the person who issued it; the desk number is the server's to give, so a
// number two desks handed out offline is replaced (merged).
func (sv *Server) issuePIN(tx *Tx, by account.Actor, cmd sync.Command, payload sync.IssuePINPayload, now time.Time) (sync.Answer, error) {
	p := payload.PIN
	s := sv.st
	ans := sync.Answer{Outcome: sync.Applied}
	if err := s.Claim(tx, sync.EntityPIN, cmd.Entity); err != nil {
		return ans, err
	}
	if err := account.CheckSecretHash(p.Hash, s.opt.Secrets, "pin"); err != nil {
		return ans, err
	}
	code, err := account.NewPINCode(s.opt.Rand) // stands in for the text, which never travels
	if err != nil {
		return ans, domain.Wrap(ErrStorage, err)
	}
	issued := sv.At(p.Issued, now)
	req := account.PINRequest{Role: p.Role, Org: p.Org, GivenNames: p.GivenNames, FamilyName: p.FamilyName,
		Email: p.Email, Lang: p.Lang, Validity: p.Expires.Sub(p.Issued)}
	if req.Parent, err = s.BusinessOf(tx, p.Org); err != nil && EmployerRole(p.Role) {
		return ans, err
	}
	desk, err := s.nextDesk(tx, p.Org, p.Role)
	if err != nil {
		return ans, err
	}
	pin, err := account.IssuePIN(by, req, cmd.Entity, code, desk, issued, s.opt.Policy)
	if err != nil {
		return ans, err
	}
	pin.Hash = p.Hash
	if pin.Desk != p.Desk {
		ans.Outcome = sync.Merged
	}
	if err := tx.Bucket(ixPINLocator).Put(append(payload.Locator[:], pin.ID[:]...), nil); err != nil {
		return ans, err
	}
	if err := s.putPIN(tx, &pin); err != nil {
		return ans, err
	}
	return ans, s.mailPIN(tx, by, &pin, now)
}
