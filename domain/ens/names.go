package ens

// MessageKey names the translation of each kind of thing a person reads
// about, so that errors can carry the value and the reader's language
// chooses the word.

// MessageKey is the catalog key of the type's name.
func (t Type) MessageKey() string { return "ens.type." + t.Code() }

// MessageKey is the catalog key of the status's name.
func (s Status) MessageKey() string { return "ens.status." + s.Code() }

// MessageKey is the catalog key of the function's name.
func (f Function) MessageKey() string { return "ens.function." + f.Code() }

// MessageKey is the catalog key of the criterion's wording.
func (c Criterion) MessageKey() string { return "ens.criterion." + c.Code() }
