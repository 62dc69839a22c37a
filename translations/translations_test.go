package translations

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/translations/internal/gencat"
)

// sameInBothLanguages lists the messages whose French is rightly the same
// as the English; any other identical pair is an untranslated copy.
var sameInBothLanguages = map[string]bool{
	"about.version":                      true,
	"app.name":                           true,
	"cli.version":                        true,
	"coordinator.report.student":         true,
	"dossierd.audit.line":                true,
	"dossierd.school.line":               true,
	"employer.branch.line":               true,
	"employer.form.line":                 true,
	"employer.user.line":                 true,
	"format.datetime":                    true,
	"fyne.place.documents":               true, // the folder, « Documents » in French too
	"officer.audit.line":                 true,
	"oinp.choice.eca.ICAS":               true,
	"oinp.choice.eca.ICES":               true,
	"oinp.choice.eca.IQAS":               true,
	"oinp.choice.eca.WES":                true,
	"oinp.choice.paid.notary":            true,
	"oinp.choice.province.AB":            true,
	"oinp.choice.province.MB":            true,
	"oinp.choice.province.NU":            true,
	"oinp.choice.province.ON":            true,
	"oinp.choice.province.SK":            true,
	"oinp.choice.province.YT":            true,
	"oinp.choice.test.CELPIP-General-LS": true,
	"oinp.choice.test.IELTS-Academic":    true,
	"oinp.choice.test.TEF":               true,
	"oinp.docgroup.numbered":             true,
	"oinp.field.intent.signed":           true,
	"oinp.field.language.test":           true,
	"oinp.group.documents":               true,
	"oinp.history.reason":                true,
	"oinp.list.language.item":            true,
	"oinp.mark.fail":                     true,
	"oinp.mark.pass":                     true,
	"oinp.mark.unknown":                  true,
	"oinp.tab.problems":                  true,
	"pins.staff.line":                    true,
	"print.col.code":                     true,
	"print.col.section":                  true,
	"print.col.type":                     true,
	"print.label.type":                   true,
	"print.summary.item":                 true,
	"print.total":                        true,
	"queue.col.type":                     true,
	"request.type":                       true,
	"shell.menu":                         true,
	"shell.person":                       true,
	"student.messages":                   true,
	"sync.about":                         true,
}

// TestEveryMessageHasBothLanguages fails if a message is missing in either
// language, is empty, is an untranslated copy, or lacks a placeholder.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	files, err := gencat.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	byLang := map[string]map[string]gencat.Message{}
	for _, f := range files {
		byLang[f.Language] = map[string]gencat.Message{}
		for _, m := range f.Messages {
			if _, dup := byLang[f.Language][m.ID]; dup {
				t.Errorf("%s: %s appears twice", f.Language, m.ID)
			}
			byLang[f.Language][m.ID] = m
		}
	}
	en, fr := byLang["en"], byLang["fr-CA"]
	if len(en) == 0 || len(fr) == 0 {
		t.Fatalf("languages found: %v", slices.Collect(mapKeys(byLang)))
	}
	for id, m := range en {
		f, ok := fr[id]
		if !ok {
			t.Errorf("%s has no French", id)
			continue
		}
		if strings.TrimSpace(m.Translation) == "" || strings.TrimSpace(f.Translation) == "" {
			t.Errorf("%s: empty text", id)
		}
		if f.Translation == m.Translation && !sameInBothLanguages[id] {
			t.Errorf("%s: the French is the English %q", id, m.Translation)
		}
		for _, p := range m.Placeholders {
			if !strings.Contains(m.Translation, "{"+p.ID+"}") || !strings.Contains(f.Translation, "{"+p.ID+"}") {
				t.Errorf("%s: placeholder {%s} missing in one language", id, p.ID)
			}
		}
		if len(m.Placeholders) != len(f.Placeholders) {
			t.Errorf("%s: %d placeholders in English, %d in French", id, len(m.Placeholders), len(f.Placeholders))
		}
	}
	for id := range fr {
		if _, ok := en[id]; !ok {
			t.Errorf("%s has no English", id)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestCatalogIsUpToDate(t *testing.T) {
	want, err := gencat.Generate(".")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("catalog.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("catalog.go is stale: run go generate ./translations")
	}
}

// TestEveryCodeAndNameHasAMessage checks the keys the code builds: every
// registered error code and every type, status, function, criterion and
// role a person may read.
func TestEveryCodeAndNameHasAMessage(t *testing.T) {
	var keys []string
	for _, c := range domain.Codes() {
		keys = append(keys, c.MessageKey())
	}
	for _, v := range ens.Types {
		keys = append(keys, v.MessageKey())
	}
	for _, v := range ens.Statuses {
		keys = append(keys, v.MessageKey())
	}
	for _, v := range append(slices.Clone(ens.Functions), ens.RaiseFunction) {
		keys = append(keys, v.MessageKey())
	}
	for _, v := range ens.Criteria {
		keys = append(keys, v.MessageKey())
	}
	for _, v := range append(slices.Clone(account.Roles), account.System) {
		keys = append(keys, v.MessageKey())
	}
	// Every action the audit trail can record, as an officer reads it.
	for _, k := range store.CommandKinds {
		keys = append(keys, "audit.action."+string(k))
	}
	for _, a := range store.OtherActions {
		keys = append(keys, "audit.action."+a)
	}
	for _, w := range store.RefusedWhat {
		keys = append(keys, "audit.refused."+w)
	}
	_ = store.ErrCorrupt // the store registers its codes at init
	for _, key := range keys {
		for _, l := range Langs {
			if !New(l).Has(key) {
				t.Errorf("%s has no %s message", key, l)
			}
		}
	}
}

// TestEveryKeyInTheCodeExists scans the project's Go files for message keys
// passed to T and checks that each is in both languages.
func TestEveryKeyInTheCodeExists(t *testing.T) {
	re := regexp.MustCompile(`\bT\("([a-z][a-z0-9.\-]*)"`)
	found := 0
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			found++
			for _, l := range Langs {
				if !New(l).Has(string(m[1])) {
					t.Errorf("%s: key %q has no %s message", path, m[1], l)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no keys found: the scan is broken")
	}
}

func TestFormats(t *testing.T) {
	en, fr := New(English), New(French)
	nb := "\u00a0"
	tests := []struct{ got, want string }{
		{en.Money(200000), "$2,000.00"},
		{fr.Money(200000), "2" + nb + "000,00" + nb + "$"},
		{en.Money(150050), "$1,500.50"},
		{fr.Money(-1999), "-19,99" + nb + "$"},
		{en.Number(100000), "100,000"},
		{fr.Number(100000), "100" + nb + "000"},
		{en.Date(domain.Date{Year: 2026, Month: 11, Day: 21}), "November 21, 2026"},
		{fr.Date(domain.Date{Year: 2026, Month: 11, Day: 21}), "21 novembre 2026"},
		{fr.Date(domain.Date{Year: 2026, Month: 10, Day: 1}), "1er octobre 2026"},
		{en.Time(time.Date(2026, 1, 1, 14, 5, 0, 0, time.UTC)), "14:05"},
		{fr.Time(time.Date(2026, 1, 1, 14, 5, 0, 0, time.UTC)), "14" + nb + "h" + nb + "05"},
		{fr.T("firstrun.demo", 1000), "Charger les données de démonstration (1" + nb + "000 demandes dans deux établissements)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestErrorsReadInEitherLanguage(t *testing.T) {
	err := domain.Errorf(ens.ErrNotInStatus, ens.Verify, ens.InProgress)
	if got := New(English).Error(err); got != "“Verify” is not possible while the request’s status is “In progress”." {
		t.Errorf("English: %q", got)
	}
	if got := New(French).Error(err); got != "La fonction «\u00a0Vérifier\u00a0» n’est pas possible lorsque l’état de la demande est «\u00a0En cours\u00a0»." {
		t.Errorf("French: %q", got)
	}
	if got := New(French).Error(errors.New("disk on fire")); !strings.HasPrefix(got, "Une erreur s’est produite") {
		t.Errorf("plain error: %q", got)
	}
	wrapped := errors.Join(errors.New("context"), domain.FieldError(domain.ErrClientIDFormat, "clientID"))
	if got := New(English).Error(wrapped); !strings.Contains(got, "0000-0000") {
		t.Errorf("wrapped: %q", got)
	}
}

// TestFrenchCollation: Canadian French compares accents from the end of
// the word, English from the start.
func TestFrenchCollation(t *testing.T) {
	words := []string{"côté", "coté", "côte", "cote"}
	sortWith := func(l Lang) []string {
		w := slices.Clone(words)
		c := New(l).Collator()
		slices.SortFunc(w, func(a, b string) int { return c.CompareString(a, b) })
		return w
	}
	if got, want := sortWith(French), []string{"cote", "côte", "coté", "côté"}; !slices.Equal(got, want) {
		t.Errorf("French: %v, want %v", got, want)
	}
	if got, want := sortWith(English), []string{"cote", "coté", "côte", "côté"}; !slices.Equal(got, want) {
		t.Errorf("English: %v, want %v", got, want)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"fr": French, "FR": French, "fr_CA.UTF-8": French, "fr-CA": French,
		"en": English, "en_CA.UTF-8": English} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %v %v", in, got, err)
		}
	}
	if _, err := ParseLang("de"); !errors.Is(err, ErrUnknownLang) {
		t.Errorf("de: %v", err)
	}
	env := map[string]string{"LANG": "fr_CA.UTF-8"}
	if got := LangFromEnv(func(k string) string { return env[k] }); got != French {
		t.Errorf("from LANG: %v", got)
	}
	env["LC_ALL"] = "C"
	if got := LangFromEnv(func(k string) string { return env[k] }); got != French {
		t.Errorf("LC_ALL=C must not override: %v", got)
	}
}
