package assets

import (
	"strings"
	"testing"
)

// TestSchedulesInBothLanguages: each of Schedules A–D has a title and the
// same paragraphs, numbered alike, in English and French.
func TestSchedulesInBothLanguages(t *testing.T) {
	for _, letter := range []string{"A", "B", "C", "D"} {
		var paras [2][]string
		for i, lang := range []string{"en", "fr"} {
			b, err := Schedules.ReadFile("oinp/schedules/" + letter + "." + lang + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			title, body, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
			if title == "" || !strings.Contains(title, letter) {
				t.Errorf("%s.%s: title %q", letter, lang, title)
			}
			paras[i] = strings.Split(strings.TrimSpace(body), "\n\n")
		}
		if len(paras[0]) != len(paras[1]) || len(paras[0]) < 2 {
			t.Fatalf("Schedule %s: %d paragraphs in English, %d in French", letter, len(paras[0]), len(paras[1]))
		}
		for i := range paras[0] {
			en, fr := strings.Fields(paras[0][i]), strings.Fields(paras[1][i])
			if strings.HasSuffix(en[0], ".") && en[0][0] >= '0' && en[0][0] <= '9' && en[0] != fr[0] {
				t.Errorf("Schedule %s, paragraph %d: numbered %s in English, %s in French", letter, i+1, en[0], fr[0])
			}
		}
	}
}
