// Package notice holds the rules of the program's maintenance notices: a
// window in which dossierd will be away, announced to every desk in
// English and French, and when a desk shows it.
package notice

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/domain"
	"dossier/domain/account"
)

// Notice is a maintenance window the program announces: from From to To
// (instants; each desk shows them in its own time zone), with the text in
// both languages. Who scheduled it is in the audit trail, not on the
// notice, which anyone may read. A notice withdrawn before its window started is kept,
// marked, so that every desk that holds it drops its banner.
type Notice struct {
	ID        domain.ID `json:"id"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	EN        string    `json:"en"`
	FR        string    `json:"fr"`
	Scheduled time.Time `json:"scheduled"`
	Withdrawn time.Time `json:"withdrawn,omitzero"`
	Version   uint64    `json:"version"`
}

// The bounds of a notice (design). A maintenance window is hours, a
// weekend at most; a notice goes out days or weeks ahead; its text is a
// sentence or two that a banner shows whole.
const (
	// MaxText is the most characters of each language's text.
	MaxText = 400
	// MaxWindow is the longest window.
	MaxWindow = 72 * time.Hour
	// MaxAhead is how far ahead a window may start.
	MaxAhead = 180 * 24 * time.Hour
	// Lead is how long before its window a desk starts showing a
	// notice: three days, so that a person who works on Mondays only
	// hears on Friday of a weekend's maintenance.
	Lead = 72 * time.Hour
)

// The refusals of the rules.
var (
	// ErrWindow: the window ends at or before it starts.
	ErrWindow = domain.NewCode("notice.window", domain.KindInvalid)
	// ErrEnded: the window's end is not in the future (the server's
	// clock).
	ErrEnded = domain.NewCode("notice.ended", domain.KindInvalid)
	// ErrTooLong: the window is longer than MaxWindow.
	ErrTooLong = domain.NewCode("notice.too-long", domain.KindInvalid)
	// ErrTooFar: the window starts more than MaxAhead from now.
	ErrTooFar = domain.NewCode("notice.too-far", domain.KindInvalid)
	// ErrText: a language's text is missing or over MaxText characters
	// (field "en" or "fr").
	ErrText = domain.NewCode("notice.text", domain.KindInvalid)
	// ErrStarted: a notice can be withdrawn only before its window
	// starts.
	ErrStarted = domain.NewCode("notice.started", domain.KindConflict)
	// ErrWithdrawn: the notice was already withdrawn.
	ErrWithdrawn = domain.NewCode("notice.withdrawn", domain.KindConflict)
	// ErrUnknown: no notice has that ID.
	ErrUnknown = domain.NewCode("notice.unknown", domain.KindNotFound)
)

// MayManage says whether by may schedule and withdraw notices: the
// program's officers, and the server's operator (the system).
func MayManage(by account.Actor) error {
	if by.Role != account.ProgramOfficer && by.Role != account.System {
		return domain.Errorf(account.ErrForbidden)
	}
	return nil
}

// Schedule makes notice id for the window from–to with its two texts, as
// by at now (the deciding side's clock). The texts are cleaned (invisible
// characters out, spaces run together); the window is kept to the
// minute.
func Schedule(by account.Actor, id domain.ID, from, to time.Time, en, fr string, now time.Time) (Notice, error) {
	if err := MayManage(by); err != nil {
		return Notice{}, err
	}
	n := Notice{ID: id, From: from.UTC().Truncate(time.Minute), To: to.UTC().Truncate(time.Minute),
		Scheduled: now.UTC(), Version: 1}
	if err := domain.Checks(n.checks(en, fr, now, true)).First(); err != nil {
		return n, err
	}
	return n, nil
}

// Errors is every fault Schedule would find in a notice's fields, one per
// field, for a form to show them all at once; the checks are Schedule's
// own. The window is checked only when both from and to are known (not
// zero); who may schedule is Schedule's to say.
func Errors(from, to time.Time, en, fr string, now time.Time) []error {
	n := Notice{From: from.UTC().Truncate(time.Minute), To: to.UTC().Truncate(time.Minute)}
	return domain.Checks(n.checks(en, fr, now, !from.IsZero() && !to.IsZero())).All()
}

// checks are Schedule's checks, each cleaning its field of n: the two
// texts, then the window when window is true.
func (n *Notice) checks(en, fr string, now time.Time, window bool) []func() error {
	var err error
	checks := []func() error{
		func() error { n.EN, err = cleanText(en, "en"); return err },
		func() error { n.FR, err = cleanText(fr, "fr"); return err },
	}
	if !window {
		return checks
	}
	return append(checks, func() error {
		switch {
		case !n.From.Before(n.To):
			return domain.FieldError(ErrWindow, "to")
		case !n.To.After(now):
			return domain.FieldError(ErrEnded, "to")
		case n.To.Sub(n.From) > MaxWindow:
			return domain.FieldError(ErrTooLong, "to", int(MaxWindow/time.Hour))
		case n.From.Sub(now) > MaxAhead:
			return domain.FieldError(ErrTooFar, "from", int(MaxAhead/(24*time.Hour)))
		}
		return nil
	})
}

func cleanText(s, field string) (string, error) {
	if len(s) > 4*MaxText+4096 {
		return "", domain.FieldError(ErrText, field, MaxText)
	}
	s = strings.Join(strings.Fields(domain.StripInvisible(s, false)), " ")
	if s == "" || utf8.RuneCountInString(s) > MaxText {
		return "", domain.FieldError(ErrText, field, MaxText)
	}
	return s, nil
}

// Withdraw takes n back, as by at now: only before its window starts.
func (n Notice) Withdraw(by account.Actor, now time.Time) (Notice, error) {
	if err := MayManage(by); err != nil {
		return n, err
	}
	switch {
	case !n.Withdrawn.IsZero():
		return n, domain.Errorf(ErrWithdrawn)
	case !now.Before(n.From):
		return n, domain.Errorf(ErrStarted)
	}
	n.Withdrawn = now.UTC()
	n.Version++
	return n, nil
}

// Phase is where a desk's clock stands with respect to a notice.
type Phase int

// The phases of a notice.
const (
	Quiet  Phase = iota // not shown: far ahead, over, or withdrawn
	Ahead               // within Lead of its window: announced
	During              // its window covers now: the server is away
)

// PhaseAt is n's phase at now.
func (n Notice) PhaseAt(now time.Time) Phase {
	switch {
	case !n.Withdrawn.IsZero() || !now.Before(n.To):
		return Quiet
	case !now.Before(n.From):
		return During
	case !now.Before(n.From.Add(-Lead)):
		return Ahead
	}
	return Quiet
}

// Text is n's text in French or in English.
func (n Notice) Text(french bool) string {
	if french {
		return n.FR
	}
	return n.EN
}

// Shown lists the notices a desk shows at now, the window nearest first.
func Shown(all []Notice, now time.Time) []Notice {
	var out []Notice
	for _, n := range all {
		if n.PhaseAt(now) != Quiet {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b Notice) int { return a.From.Compare(b.From) })
	return out
}

// Covering is the notice whose window covers now, if any.
func Covering(all []Notice, now time.Time) (Notice, bool) {
	for _, n := range Shown(all, now) {
		if n.PhaseAt(now) == During {
			return n, true
		}
	}
	return Notice{}, false
}
