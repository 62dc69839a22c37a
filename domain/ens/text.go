package ens

// Types, statuses and functions travel in JSON as their codes, so that the
// outbox, the wire and `dossierctl --json` read well and survive reordering.

// MarshalText writes the type code.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.Code()), nil }

// UnmarshalText reads a type code.
func (t *Type) UnmarshalText(b []byte) error {
	v, err := ParseType(string(b))
	*t = v
	return err
}

// MarshalText writes the status code.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.Code()), nil }

// UnmarshalText reads a status code.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	*s = v
	return err
}

// MarshalText writes the function code.
func (f Function) MarshalText() ([]byte, error) { return []byte(f.Code()), nil }

// UnmarshalText reads a function code.
func (f *Function) UnmarshalText(b []byte) error {
	v, err := ParseFunction(string(b))
	*f = v
	return err
}
