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
	fmt.Println(len(code), Check(code, Kind("oinp.certificate"), []Fact{{"file", "JOID-2026417"}, {"expires", "2027-03-01"}}, k) == nil)
	fmt.Println(Check(code, Kind("oinp.certificate"), []Fact{{"file", "JOID-2026417"}, {"expires", "2027-09-01"}}, k) != nil)
	// Output:
	// 19 true
	// true
}
