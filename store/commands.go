package store

import (
	"fmt"
	"slices"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// The command contract (ARCHITECTURE.md, "Commands: one contract, and the
// server decides"). Each kind of command is declared once, by the program
// that owns it (commands_<program>.go), and the server reads the
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
	// registration, an enrolment): they come without a token, through
	// /v1/register, and name the account they make as their entity.
	Anonymous bool
}

// everyRole is every role a person can hold: for the commands each person
// sends about themselves (their e-mail address, their printed documents).
var everyRole = account.Roles

// commands is the registry: every kind a desk may send, by kind.
var commands = register(ocwppCommands, accountCommands, employerCommands, oinpCommands, complianceCommands,
	printCommands)

func register(programs ...[]CommandSpec) map[sync.Kind]CommandSpec {
	out := map[sync.Kind]CommandSpec{}
	for _, specs := range programs {
		for _, c := range specs {
			if _, dup := out[c.Kind]; dup {
				panic(fmt.Sprintf("command %s declared twice", c.Kind))
			}
			out[c.Kind] = c
		}
	}
	return out
}

// CommandKinds lists every kind of command a desk sends, in order.
var CommandKinds = func() []sync.Kind {
	out := make([]sync.Kind, 0, len(commands))
	for k := range commands {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}()

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
