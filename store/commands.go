package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// The command contract (ARCHITECTURE.md, "Commands: one contract, and the
// server decides"). Each kind of command is declared once, by the program
// that owns it (commands_<program>.go): who may send it, what it creates
// and how much it may carry, how the server applies it, what a refusal
// sends back and how a desk puts its record back. The engine — Push,
// applyIn, refuseIn, the desk's Acknowledge — reads the declaration and
// knows nothing of what any one command means. The server reads the
// declaration before it runs any rule: a kind it does not know, or one
// sent by a role that may never send it, is refused before its payload is
// even decoded. The role is the sender's as the server's own record holds
// it (from the token), never what a payload says; the rule that follows
// checks the organisation and the record's owner.

// ErrNotSender refuses a command from a role its declaration does not
// name: a student's "Verify", an employer's decision on a file.
var ErrNotSender = domain.NewCode("store.command.role", domain.KindForbidden)

// CommandSpec declares one kind of command.
type CommandSpec struct {
	Kind sync.Kind
	// Senders are the roles that may send it.
	Senders []account.Role
	// Anonymous marks the commands that make their sender's account (a
	// registration, an enrolment), or that its sender can no longer sign
	// in to send (a desk's de-link report): they come without a token,
	// through /v1/register, and name their sender's account as their
	// entity.
	Anonymous bool
	// NoCredential marks an anonymous command that carries no password
	// or answers (a desk's de-link report): Register does not look for
	// hashes in it.
	NoCredential bool
	// Makes is the role of the account an anonymous command makes, as its
	// rules see the sender (a student's, when not set).
	Makes account.Role
	// Misses is the refusal that counts against its sender's budget of
	// guesses (limits.go): a representation request that matches no file.
	Misses domain.Code
	// Creates is the class of record the command creates, which each
	// account may create at its limit's rate (limits.go); empty for a
	// command that acts on records that exist.
	Creates CreateClass
	// MaxPayload is the most the command may carry, in bytes, before any
	// field is read (MaxPayloadForm when zero).
	MaxPayload int
	// Apply applies the command on the server, with the same domain rule
	// the desk ran, inside tx; a coded refusal rolls it back.
	Apply ApplyFunc
	// Current is the record a refused command was about, as the server
	// holds it and by may read it, sent back with the refusal; nil (or a
	// nil result) when there is none to send.
	Current CurrentFunc
	// Undo puts back, on the desk, the record a refused command had
	// changed, as the server sent it (current, nil when the server has
	// none); nil when the desk keeps its record as it is.
	Undo UndoFunc
	// Expand, when set, gives the command on a desk, as it is pushed, what
	// the outbox keeps elsewhere (an attached document's content).
	Expand ExpandFunc
	// Refused, when set, is run on the server in the refusal's
	// transaction: what the program keeps of a refusal, and the refusal
	// the sender reads instead of the rule's (nil for the rule's own).
	Refused refusedFunc
	// KeepRefused, when set, says which refusals of an account-making
	// command the program keeps (Refused) although its sender is not
	// signed in; every other such refusal is counted in memory only.
	KeepRefused func(why error) bool
}

type (
	ApplyFunc   func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error)
	CurrentFunc func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error)
	UndoFunc    func(s *Store, tx *Tx, cmd sync.Command, current *sync.Change) error
	refusedFunc func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, why error, now time.Time) (shown error, err error)
)

// With adapts a step that takes its payload decoded as P to an ApplyFunc:
// a payload that does not decode is a bad request.
func With[P any](step func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p P, now time.Time) (sync.Answer, error)) ApplyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		var p P
		if err := Decode(cmd.Payload, &p); err != nil {
			return Applied(), err
		}
		return step(sv, tx, by, cmd, p, now)
	}
}

// Applied is the answer of a command the server applied.
func Applied() sync.Answer { return sync.Answer{Outcome: sync.Applied} }

// Versioned is the answer of a command that made version v of its record.
func Versioned(v uint64, err error) (sync.Answer, error) {
	ans := Applied()
	ans.Version = v
	return ans, err
}

func Decode(raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return domain.Wrap(sync.ErrBadRequest, err)
	}
	return nil
}

// The senders several programs' declarations name.
var (
	// EveryRole is every role a person can hold: for the commands each
	// person sends about themselves (their e-mail address, their printed
	// documents).
	EveryRole     = account.Roles
	SchoolStaff   = []account.Role{account.DIR, account.Signatory}
	EmployerRoles = []account.Role{account.EmployerPrimary, account.BranchPrimary, account.EmployerSecondary, account.BranchSecondary}
	OnAFile       = []account.Role{account.Applicant, account.Representative}
	TheProgram    = []account.Role{account.ProgramOfficer}
)

// Program is what one program declares to the engine: the commands its
// people send and the records its part of the change feed carries. Each
// program's package registers itself from its init function
// (store/programs names them all), so the engine reads declarations and
// imports no program.
type Program struct {
	Name     string
	Commands []CommandSpec
	Records  []RecordSpec
}

// commands and records are the registry, by kind.
var (
	commands = map[sync.Kind]CommandSpec{}
	records  = map[sync.EntityKind]RecordSpec{}
)

// Register declares a program's commands and records. It panics on a kind
// declared twice or a command with no server step: both are programming
// errors, found when the program starts.
func Register(p Program) {
	for _, c := range p.Commands {
		if _, dup := commands[c.Kind]; dup {
			panic(fmt.Sprintf("%s: command %s declared twice", p.Name, c.Kind))
		}
		if c.Apply == nil {
			panic(fmt.Sprintf("%s: command %s has no Apply", p.Name, c.Kind))
		}
		if c.MaxPayload == 0 {
			c.MaxPayload = MaxPayloadForm
		}
		commands[c.Kind] = c
		CommandKinds = append(CommandKinds, c.Kind)
	}
	slices.Sort(CommandKinds)
	for _, r := range p.Records {
		if _, dup := records[r.Kind]; dup {
			panic(fmt.Sprintf("%s: record %s declared twice", p.Name, r.Kind))
		}
		records[r.Kind] = r
	}
}

// CommandKinds lists every kind of command a desk sends, in order.
var CommandKinds []sync.Kind

// CommandOf is the declaration of kind; ok is false for a kind no program
// declares.
func CommandOf(kind sync.Kind) (spec CommandSpec, ok bool) {
	spec, ok = commands[kind]
	return spec, ok
}

// MayBeSentBy reports whether a person of role r may send the command.
func (c CommandSpec) MayBeSentBy(r account.Role) bool { return slices.Contains(c.Senders, r) }

// CreatesAccount tells the commands that make a person known to the
// server: a student's registration, an enrolment with a PIN, a business's
// enrolment. They go without a token — there is none yet.
func CreatesAccount(k sync.Kind) bool { return commands[k].Anonymous }

// PayloadBound is the most a command of kind k may carry, in bytes.
func PayloadBound(k sync.Kind) int {
	if c, ok := commands[k]; ok {
		return c.MaxPayload
	}
	return MaxPayloadForm
}

// admit is the server's first check of a command, from its declaration
// alone: a kind no program declares is unknown; a command that makes an
// account must make its sender's own (so that a signed-in person cannot
// make accounts through a push, past the sign-up limits); any other may
// come only from the roles it names.
func admit(by account.Actor, cmd sync.Command) error {
	spec, ok := commands[cmd.Kind]
	switch {
	case !ok:
		return domain.FieldError(sync.ErrUnknownKind, "kind", string(cmd.Kind))
	case spec.Anonymous && cmd.Entity != by.Account:
		return domain.Errorf(ErrRegisterOnly)
	case !spec.Anonymous && !spec.MayBeSentBy(by.Role):
		return domain.Errorf(ErrNotSender)
	}
	return nil
}

// dispatch applies one admitted command with its program's step, inside tx.
func (sv *Server) dispatch(tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
	spec, ok := commands[cmd.Kind]
	if !ok {
		return Applied(), domain.FieldError(sync.ErrUnknownKind, "kind", string(cmd.Kind))
	}
	return spec.Apply(sv, tx, by, cmd, now)
}

// current is the record a rejected command was about, as the server holds
// it; nil when the server has no such record (a refused raise) or when by
// may not read it (a command about another school's request).
func (sv *Server) current(tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	if spec := commands[cmd.Kind]; spec.Current != nil {
		return spec.Current(sv, tx, by, cmd)
	}
	return nil, nil
}

// undo puts a record a refused command had changed back as the server has
// it (or removes one the server refused to create), on the desk.
func (s *Store) undo(tx *Tx, cmd sync.Command, current *sync.Change) error {
	if spec := commands[cmd.Kind]; spec.Undo != nil {
		return spec.Undo(s, tx, cmd, current)
	}
	return nil
}

// ChangeOf is a record as a change of the feed: what a refused command
// sends back.
func ChangeOf(kind sync.EntityKind, id domain.ID, version uint64, v any) (*sync.Change, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &sync.Change{Kind: kind, ID: id, Version: version, Data: raw}, nil
}

func BadChange(err error) (bool, error) { return false, domain.Wrap(sync.ErrServer, err) }

// ExpandFunc completes, on a desk, a command as it is pushed.
type ExpandFunc func(s *Store, cmd sync.Command) (sync.Command, error)

// ExpandCommand gives a command what the outbox keeps elsewhere, by its
// kind's declaration (Expand), as the desk pushes it.
func (s *Store) ExpandCommand(cmd sync.Command) (sync.Command, error) {
	if expand := commands[cmd.Kind].Expand; expand != nil {
		return expand(s, cmd)
	}
	return cmd, nil
}

// ExpandOn adapts a program's expansion, written on its own store type.
func ExpandOn[S any](on func(*Store) S, step func(S, sync.Command) (sync.Command, error)) ExpandFunc {
	return func(s *Store, cmd sync.Command) (sync.Command, error) { return step(on(s), cmd) }
}

// UndoOn adapts a program's undo step, written on its own store type (on
// makes it from the engine's), to the engine's.
func UndoOn[S any](on func(*Store) S, step func(S, *Tx, sync.Command, *sync.Change) error) UndoFunc {
	return func(s *Store, tx *Tx, cmd sync.Command, current *sync.Change) error {
		return step(on(s), tx, cmd, current)
	}
}
