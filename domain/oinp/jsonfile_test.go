package oinp

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dossier/domain"
)

func TestFileRoundTrip(t *testing.T) {
	a := complete()
	a.FileNumber, a.Registered = "JOID-1234567", date(2026, 11, 10)
	var buf bytes.Buffer
	if err := WriteFile(&buf, a); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip differs:\n%+v\n%+v", a, b)
	}
}

func TestFileRefusals(t *testing.T) {
	for _, c := range []struct {
		name, in string
		code     domain.Code
	}{
		{"not JSON", `schema: 1`, ErrFileSyntax},
		{"cut short", `{"schema": 1, "applicant": {"familyName": "Ng`, ErrFileSyntax},
		{"no schema", `{"applicant": {}}`, ErrFileSchema},
		{"a newer schema", `{"schema": 9}`, ErrFileNewer},
		{"a misspelt field", `{"schema": 1, "applicant": {"famliyName": "Nguyen"}}`, ErrFileField},
		{"text for a number", `{"schema": 1, "funds": {"availableCents": "5000"}}`, ErrFileField},
		{"a date not YYYY-MM-DD", `{"schema": 1, "registered": "21/11/2026"}`, domain.ErrDateFormat},
		{"two documents", `{"schema": 1} {"schema": 1}`, ErrFileSyntax},
		{"too big", `{"schema": 1, "learnedFrom": "` + strings.Repeat("x", MaxFileBytes) + `"}`, ErrFileSize},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadFile(strings.NewReader(c.in))
			if domain.ErrorCode(err) != c.code {
				t.Fatalf("%v, want %s", err, c.code)
			}
		})
	}
}

// FuzzReadFile: no input makes the reader panic, and whatever it accepts
// it writes back to a file it reads the same.
func FuzzReadFile(f *testing.F) {
	var buf bytes.Buffer
	WriteFile(&buf, complete())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema": 1}`))
	f.Add([]byte(`{"schema": 1, "work": [{"from": "2024-02-30"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadFile(bytes.NewReader(in))
		if err != nil {
			var coded *domain.Error
			if !errors.As(err, &coded) {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteFile(&out, a); err != nil {
			t.Fatal(err)
		}
		b, err := ReadFile(&out)
		if err != nil {
			t.Fatalf("written back, read %v", err)
		}
		// An empty list ("work": []) is written as none at all: the same
		// file either way.
		if diff := cmp.Diff(a, b, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("written back, read differently (-first +again):\n%s", diff)
		}
		Validate(a, submission)
		Evaluate(a, submission, shippedTables())
	})
}
