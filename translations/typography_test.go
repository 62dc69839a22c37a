package translations

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// frenchMessage is a message of the French file as the tests read it: its
// texts (one, or one per plural form) and its placeholders' names and types.
type frenchMessage struct {
	ID      string
	Texts   []string
	Plural  bool
	Numbers map[string]bool // placeholders that hold a count
}

func readFrench(t *testing.T) []frenchMessage {
	t.Helper()
	raw, err := os.ReadFile("locales/fr-CA/messages.gotext.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Messages []struct {
			ID           string          `json:"id"`
			Translation  json.RawMessage `json:"translation"`
			Placeholders []struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"placeholders"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	var out []frenchMessage
	for _, m := range file.Messages {
		fm := frenchMessage{ID: m.ID, Numbers: map[string]bool{}}
		for _, p := range m.Placeholders {
			if strings.HasPrefix(p.Type, "int") || strings.HasPrefix(p.Type, "uint") {
				fm.Numbers[p.ID] = true
			}
		}
		var s string
		if json.Unmarshal(m.Translation, &s) == nil {
			fm.Texts = []string{s}
		} else {
			var sel struct {
				Select struct {
					Cases map[string]struct {
						Msg string `json:"msg"`
					} `json:"cases"`
				} `json:"select"`
			}
			if err := json.Unmarshal(m.Translation, &sel); err != nil {
				t.Fatalf("%s: %v", m.ID, err)
			}
			fm.Plural = true
			for _, c := range sel.Select.Cases {
				fm.Texts = append(fm.Texts, c.Msg)
			}
		}
		out = append(out, fm)
	}
	if len(out) < 1000 {
		t.Fatalf("only %d French messages read: the reader is broken", len(out))
	}
	return out
}

// TestFrenchTypography: French (Canadian usage) puts a non-breaking space
// before « : », inside « », before $ and %, and between groups of
// thousands, and nothing before « ; », « ? » and « ! ». A regular space
// there lets a line break between a word and its colon or guillemet.
func TestFrenchTypography(t *testing.T) {
	rules := []struct {
		re   *regexp.Regexp
		what string
	}{
		{regexp.MustCompile(`[^ \t\x{a0}\x{202f}][ \t]+:`), "a regular space before « : » (use U+00A0)"},
		{regexp.MustCompile(`[^ \t\x{a0}\x{202f}][ \t\x{a0}\x{202f}]+;`), "a space before « ; » (Canadian usage: none)"},
		{regexp.MustCompile(`«[^\x{a0}\x{202f}]`), "« not followed by a non-breaking space"},
		{regexp.MustCompile(`[^\x{a0}\x{202f}]»`), "» not preceded by a non-breaking space"},
		{regexp.MustCompile(`[\d}][ \t][$%]`), "a regular space before $ or % (use U+00A0)"},
		{regexp.MustCompile(`\d \d{3}\b`), "thousands grouped with a regular space (use U+00A0)"},
	}
	for _, m := range readFrench(t) {
		for _, text := range m.Texts {
			for _, r := range rules {
				if loc := r.re.FindStringIndex(text); loc != nil {
					from := max(loc[0]-20, 0)
					t.Errorf("%s: %s: …%s…", m.ID, r.what, text[from:min(loc[1]+10, len(text))])
				}
			}
		}
	}
}

// countedWords are the words French writes after a count that stay the same
// in the plural, or that are not the counted noun ("dans", "sur"…).
var countedWords = map[string]bool{
	"dans": true, "sous": true, "fois": true, "plus": true, "après": true, "depuis": true,
	"mais": true, "vers": true, "chez": true, "sans": true, "puis": true, "lors": true,
	"s": true, "ms": true, "h": true,
}

// constantCounts are placeholders and messages whose count is a bound or a
// program constant, never 0 or 1 (a name's maximum length, the 3 security
// questions, the 14 days to submit…): their nouns stay plural.
var constantCounts = map[string]bool{
	"Max": true, "Min": true, "MinW": true, "MinH": true, "W": true, "H": true,
	"err.account.questions.count": true, "enrol.questions.intro": true,
	"err.notice.too-long": true, "err.notice.too-far": true, "notices.intro": true,
	"dossierd.settings.expiry": true, "oinp.rule.employer.active.fail": true,
	"oinp.register.intro": true, "oinp.register.confirm": true, "oinp.general.text": true,
	"err.account.pin.validity": true, "err.ens.settings.expiry-days": true,
	"firstrun.demo": true,
}

// TestFrenchCountsAgree: a count followed by a plural noun ("{Count}
// personnes") reads « 1 personnes » or « 0 jours » for the counts French
// writes in the singular; such a message needs plural forms (a gotext
// plural select) or the « Libellé : {Count} » form.
func TestFrenchCountsAgree(t *testing.T) {
	word := regexp.MustCompile(`\{(\w+)\}[ \x{a0}\x{202f}]+([\pL’']+)`)
	checked := 0
	for _, m := range readFrench(t) {
		if m.Plural || constantCounts[m.ID] {
			continue
		}
		for _, text := range m.Texts {
			for _, w := range word.FindAllStringSubmatch(text, -1) {
				name, noun := w[1], w[2]
				if !m.Numbers[name] || constantCounts[name] {
					continue
				}
				checked++
				if countedWords[noun] || !(strings.HasSuffix(noun, "s") || strings.HasSuffix(noun, "x")) {
					continue
				}
				t.Errorf("%s: « {%s} %s » has no singular form: give the message plural forms or write « … : {%s} »", m.ID, name, noun, name)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no count checked: the scan is broken")
	}
}

// TestNoDeveloperWords: what a person reads on a desk speaks their words,
// not a developer's ("check it with a script", "not valid JSON"). The
// command-line tools' messages (cli., dossierd.) are for administrators
// and are left out.
func TestNoDeveloperWords(t *testing.T) {
	words := regexp.MustCompile(`(?i)\b(script|json|schema|payload|token|bucket|bbolt|stderr|stdout|api|uuid|ulid)\b`)
	for _, file := range []string{"locales/en/messages.gotext.json", "locales/fr-CA/messages.gotext.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Messages []struct {
				ID          string          `json:"id"`
				Message     string          `json:"message"`
				Translation json.RawMessage `json:"translation"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		for _, m := range f.Messages {
			if strings.HasPrefix(m.ID, "cli.") || strings.HasPrefix(m.ID, "dossierd.") || strings.HasPrefix(m.ID, "dossier.") {
				continue
			}
			var tr any
			if err := json.Unmarshal(m.Translation, &tr); err != nil {
				t.Fatalf("%s: %v", m.ID, err)
			}
			if w := words.FindString(m.Message + " " + fmt.Sprint(tr)); w != "" {
				t.Errorf("%s (%s) says %q to a person", m.ID, file, w)
			}
		}
	}
}
