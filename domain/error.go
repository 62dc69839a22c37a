package domain

import (
	"errors"
	"fmt"
)

// Code names one way an action can fail. Codes are stable: the translation
// catalog has a message for each one under "err." + the code, and the server
// sends them on the wire.
type Code string

// Kind is the broad class of a Code, for callers that only need to know how to
// react (retry, ask again, refuse).
type Kind int

// The kinds of failure.
const (
	KindInvalid      Kind = iota // the input is malformed; ask again
	KindNotFound                 // what was named does not exist
	KindConflict                 // the state changed or forbids the action
	KindUnauthorized             // not signed in, or signing in failed
	KindForbidden                // signed in, but the role or organisation does not allow it
	KindInternal                 // a fault of ours or of the machine
)

var kinds = map[Code]Kind{}

// NewCode registers a code of the given kind. Packages declare their codes at
// init time with it so that Codes can list every one of them (the catalog test
// uses the list to prove each code has both languages).
func NewCode(c string, k Kind) Code {
	code := Code(c)
	if _, dup := kinds[code]; dup {
		panic("domain: duplicate error code " + c)
	}
	kinds[code] = k
	return code
}

// Codes lists every registered code.
func Codes() []Code {
	out := make([]Code, 0, len(kinds))
	for c := range kinds {
		out = append(out, c)
	}
	return out
}

// Kind reports the kind of the code; unknown codes are internal.
func (c Code) Kind() Kind {
	if k, ok := kinds[c]; ok {
		return k
	}
	return KindInternal
}

// MessageKey is the translation catalog key for the code.
func (c Code) MessageKey() string { return "err." + string(c) }

// Error is a failure a person will read about. Args fill the placeholders of
// the translated message in order; they must never hold secrets, and hold
// personal data only when the message is shown to that same person.
type Error struct {
	Code Code
	// Field names the input at fault, when there is one ("clientID").
	Field string
	Args  []any
	// Err is the underlying cause, for logs and errors.Is; never shown.
	Err error
}

func (e *Error) Error() string {
	var s string
	if e.Field != "" {
		s = fmt.Sprintf("%s (%s)", e.Code, e.Field)
	} else {
		s = string(e.Code)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: c}) match on the code alone, and lets a
// bare Code be compared with errors.Is(err, c).
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case *Error:
		return t.Code == e.Code
	case Code:
		return t == e.Code
	}
	return false
}

// Error lets a Code be used directly as an error value and as an errors.Is
// target.
func (c Code) Error() string { return string(c) }

// Errorf returns an Error for code with message arguments.
func Errorf(c Code, args ...any) *Error { return &Error{Code: c, Args: args} }

// FieldError returns an Error for code about one input field.
func FieldError(c Code, field string, args ...any) *Error {
	return &Error{Code: c, Field: field, Args: args}
}

// Wrap returns an Error for code whose cause is err.
func Wrap(c Code, err error, args ...any) *Error {
	return &Error{Code: c, Err: err, Args: args}
}

// ErrorCode returns the code of the first Error (or Code) in err's chain, or
// ErrInternal when there is none.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var c Code
	if errors.As(err, &c) {
		return c
	}
	return ErrInternal
}

// ErrInternal is the code for faults no person can fix by changing the input.
var ErrInternal = NewCode("internal", KindInternal)
