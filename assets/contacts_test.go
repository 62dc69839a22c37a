package assets

import (
	"strings"
	"testing"
)

// TestContactsParse: the shipped file parses, every line has both
// languages, and no line carries a number the source documents do not.
func TestContactsParse(t *testing.T) {
	cs := Contacts()
	if len(cs) < 8 {
		t.Fatalf("%d contacts", len(cs))
	}
	known := []string{"1-888-242-2100", "1-866-214-6820", "M7A 2R9"}
	for _, c := range cs {
		for _, v := range c.Value {
			if v == "" {
				continue
			}
			found := false
			for _, k := range known {
				found = found || strings.Contains(v, k)
			}
			if !found {
				t.Errorf("%q: not a contact the seeds give", v)
			}
		}
	}
	if _, err := ParseContacts([]byte("program,roles,label_en,label_fr,value_en,value_fr,source_en,source_fr\nocwpp,*,A,B,1,,S,T\n")); err == nil {
		t.Fatal("a value in one language only parsed")
	}
}
