package oinp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"dossier/domain"
)

// MaxFileBytes bounds an application file: a form, not its attachments.
const MaxFileBytes = 4 << 20

// Codes of an application file that cannot be read.
var (
	ErrFileSyntax = domain.NewCode("oinp.file.syntax", domain.KindInvalid)
	ErrFileField  = domain.NewCode("oinp.file.field", domain.KindInvalid)
	ErrFileSchema = domain.NewCode("oinp.file.schema", domain.KindInvalid)
	ErrFileNewer  = domain.NewCode("oinp.file.newer", domain.KindInvalid)
	ErrFileSize   = domain.NewCode("oinp.file.size", domain.KindInvalid)
)

// ReadFile reads an application file (docs/oinp-application.md): JSON, at
// most MaxFileBytes, of this schema version, with no field the schema does
// not name (a misspelt field would otherwise be dropped without a word).
func ReadFile(r io.Reader) (*Application, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, domain.Wrap(ErrFileSyntax, err, 0)
	}
	if len(b) > MaxFileBytes {
		return nil, domain.Errorf(ErrFileSize, MaxFileBytes>>20)
	}
	var head struct {
		Schema int `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fileError(err)
	}
	switch {
	case head.Schema == 0:
		return nil, domain.Errorf(ErrFileSchema)
	case head.Schema > SchemaVersion:
		return nil, domain.Errorf(ErrFileNewer, head.Schema)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var a Application
	if err := dec.Decode(&a); err != nil {
		return nil, fileError(err)
	}
	if dec.More() {
		return nil, domain.Errorf(ErrFileSyntax, int(dec.InputOffset()))
	}
	return &a, nil
}

// fileError says where a file went wrong: the byte of a syntax error, or
// the field holding what it cannot hold.
func fileError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var coded *domain.Error
	switch {
	case errors.As(err, &syn):
		return domain.Wrap(ErrFileSyntax, err, int(syn.Offset))
	case errors.As(err, &typ):
		return domain.Wrap(ErrFileField, err, typ.Field)
	case errors.As(err, &coded):
		return coded // a date that is not YYYY-MM-DD, with its own message
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.Wrap(ErrFileField, err, name)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return domain.Wrap(ErrFileSyntax, err, -1)
	}
	return domain.Wrap(ErrFileSyntax, err, 0)
}

// WriteFile writes the application as a file ReadFile reads back, indented
// for people and diffs.
func WriteFile(w io.Writer, a *Application) error {
	c := *a
	c.Schema = SchemaVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&c)
}
