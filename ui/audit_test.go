package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"dossier/domain"
	"dossier/sync"
	"dossier/translations"
)

// TestAuditHistorySaysWhatTheServerLeftOut: when the server answers only
// the newest entries of a long history, the dialog says how many it shows
// and how many earlier ones are on the server, in either language, and
// still fits 1024×768; a history answered whole says nothing of the kind.
func TestAuditHistorySaysWhatTheServerLeftOut(t *testing.T) {
	e, w := newTestEnv(t)
	w.Resize(fyne.NewSize(1024, 768))
	person := domain.ID{0xa1}
	at := time.Date(2026, 11, 3, 14, 5, 0, 0, time.UTC)
	var entries []sync.AuditEntry
	for i := range 3 {
		entries = append(entries, sync.AuditEntry{At: at.Add(time.Duration(i) * time.Hour), Actor: person,
			Role: "student", Action: "sync.raise", Entity: domain.ID{0xb0, byte(i)}})
	}
	for _, c := range []struct {
		lang    translations.Lang
		earlier int
		want    string
	}{
		{translations.English, 5321, "Only the 3 newest entries are listed here; 5,321 earlier ones are kept on the server"},
		{translations.English, 1, "; 1 earlier one is kept on the server"},
		{translations.French, 5321, "Seules les 3 entrées les plus récentes figurent ici; les 5\u00a0321 entrées plus anciennes sont conservées sur le serveur"},
		{translations.French, 1, "; 1 entrée plus ancienne est conservée sur le serveur"},
		{translations.English, 0, ""},
	} {
		e.SetLang(c.lang)
		auditHistoryDialog(e, person, entries, c.earlier).Show()
		k := dialogFits(t, e, "the audit history")
		got := strings.ReplaceAll(texts(k.body), "\u202f", "\u00a0")
		if c.want == "" {
			if strings.Contains(got, e.T("officer.audit.earlier", 3, 2)[:12]) {
				t.Errorf("a whole history says entries were left out:\n%s", got)
			}
		} else if !strings.Contains(got, c.want) {
			t.Errorf("%s, %d earlier: the dialog reads\n%s\nwant …%s…", c.lang, c.earlier, got, c.want)
		}
		if n := strings.Count(got, e.Tr().DateTime(at)); n != 1 {
			t.Errorf("%s: the first entry shows %d times", c.lang, n)
		}
		e.closeDialogs()
	}
}
