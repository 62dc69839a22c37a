package ens

// Types, statuses and functions travel in JSON as their codes, so that the
// outbox, the wire and `dossierctl --json` read well and survive reordering.
// What is written must read back (found by fuzzing the wire: a raise
// without a type was encoded with the type "" and then refused): an unset
// type or status travels as empty text, and the zero function as "raise";
// both read back as the zero value, which the rules refuse where a type or
// a function of the queue is needed.

// MarshalText writes the type code.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.Code()), nil }

// UnmarshalText reads a type code; empty text is the zero Type.
func (t *Type) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = 0
		return nil
	}
	v, err := ParseType(string(b))
	*t = v
	return err
}

// MarshalText writes the status code.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.Code()), nil }

// UnmarshalText reads a status code; empty text is the zero Status.
func (s *Status) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = 0
		return nil
	}
	v, err := ParseStatus(string(b))
	*s = v
	return err
}

// MarshalText writes the function code.
func (f Function) MarshalText() ([]byte, error) { return []byte(f.Code()), nil }

// UnmarshalText reads a function code, and "raise", the code the zero
// Function (RaiseFunction) is written with, which the rules refuse as a
// function of the queue.
func (f *Function) UnmarshalText(b []byte) error {
	if string(b) == RaiseFunction.Code() {
		*f = RaiseFunction
		return nil
	}
	v, err := ParseFunction(string(b))
	*f = v
	return err
}
