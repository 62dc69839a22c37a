package printcode

import (
	"fmt"
	"strings"
	"testing"

	"dossier/domain"
)

var testKey = Key("a print key for the tests only, 32b")

// TestCodesAsTyped: a code is read in any case, with or without dashes;
// each single wrong character is a typing error, not a forgery.
func TestCodesAsTyped(t *testing.T) {
	code := testKey.Code(Kind("oinp.fee-receipt"), []Fact{{"file", "JOID-2026417"}})
	if KeyIDOf(code) != testKey.ID() {
		t.Fatalf("the code %s does not name its key %s", code, testKey.ID())
	}
	for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), strings.ReplaceAll(code, "-", " ")} {
		got, err := ParseCode(typed)
		if err != nil || got != code {
			t.Errorf("%q reads as %q, %v", typed, got, err)
		}
	}
	body := []byte(strings.ReplaceAll(code, "-", ""))
	for i := range body {
		for _, c := range []byte(domain.Crockford) {
			if c == body[i] {
				continue
			}
			wrong := append([]byte{}, body...)
			wrong[i] = c
			if _, err := ParseCode(string(wrong)); domain.ErrorCode(err) != ErrCodeTypo {
				t.Fatalf("%s (character %d changed) reads as %v", wrong, i, err)
			}
		}
	}
	for _, bad := range []string{"", "ABCD", code + "X", "ABCD-EFGH-JKMN-PQRU", "ABCD-EFGH-JKMN-PQR!", "ÀBCD-EFGH-JKMN-PQR7"} {
		if _, err := ParseCode(bad); domain.ErrorCode(err) != ErrCodeFormat && domain.ErrorCode(err) != ErrCodeTypo {
			t.Errorf("%q reads as %v", bad, err)
		}
	}
}

func ExampleKey_Code() {
	k := Key("a print key for the tests only, 32b")
	code := k.Code(Kind("oinp.certificate"), []Fact{{"file", "JOID-2026417"}, {"expires", "2027-03-01"}})
	fmt.Println(len(code), Check(code, Kind("oinp.certificate"), []Fact{{"file", "JOID-2026417"}, {"expires", "2027-03-01"}}, nil, k) == nil)
	fmt.Println(Check(code, Kind("oinp.certificate"), []Fact{{"file", "JOID-2026417"}, {"expires", "2027-09-01"}}, nil, k) != nil)
	// Output:
	// 19 true
	// true
}

// FuzzParseCode: a code as typed is refused as misshapen or mistyped, or
// read in its printed form, which reads back the same and of which every
// single wrong character is refused as mistyped, not as false. A code
// made under any key for any facts reads as itself, names its key, and
// checks against those facts and no others.
func FuzzParseCode(f *testing.F) {
	code := testKey.Code(Kind("oinp.fee-receipt"), []Fact{{"file", "JOID-2026417"}})
	f.Add(code, []byte(testKey), "oinp.fee-receipt", "file", "JOID-2026417")
	f.Add(strings.ToLower(strings.ReplaceAll(code, "-", " ")), []byte{}, "", "", "")
	f.Add("ABCD-EFGH-JKMN-PQRU", []byte{0}, "ens.compliance-list", "expires", "2027-03-01")
	f.Add("ÀBCD-EFGH-JKMN-PQR7", []byte("k"), "oinp.certificate", "name", "Élodie Côté")
	f.Add("oooo-iiii-llll-0000", []byte("k"), "oinp.certificate", "name", "E\u0301lodie")
	f.Fuzz(func(t *testing.T, s string, key []byte, kind, name, value string) {
		facts := []Fact{{name, value}}
		made := Key(key).Code(Kind(kind), facts)
		if back, err := ParseCode(made); err != nil || back != made {
			t.Fatalf("%s made, read %q %v", made, back, err)
		}
		if KeyIDOf(made) != Key(key).ID() {
			t.Fatalf("%s does not name its key %s", made, Key(key).ID())
		}
		if err := Check(made, Kind(kind), facts, nil, Key("another key"), Key(key)); err != nil {
			t.Fatalf("%s for %q %v: %v", made, kind, facts, err)
		}
		if err := Check(made, Kind(kind), []Fact{{name, value + "x"}}, nil, Key(key)); domain.ErrorCode(err) != ErrCodeFalse {
			t.Fatalf("%s checks for another value: %v", made, err)
		}
		CompareText(Kind(kind), made, LineSums(Kind(kind), TextLines(value, made)), s)
		c, err := ParseCode(s)
		if err != nil {
			if code := domain.ErrorCode(err); code != ErrCodeFormat && code != ErrCodeTypo {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if back, err := ParseCode(c); err != nil || back != c || len(c) != 19 {
			t.Fatalf("%q → %q → %q %v", s, c, back, err)
		}
		body := []byte(strings.ReplaceAll(c, "-", ""))
		for i := range body {
			for _, x := range []byte(domain.Crockford) {
				if x == body[i] {
					continue
				}
				typo := append([]byte{}, body...)
				typo[i] = x
				if _, err := ParseCode(string(typo)); domain.ErrorCode(err) != ErrCodeTypo {
					t.Fatalf("%s with %q at %d: %v", c, x, i, err)
				}
			}
		}
	})
}
