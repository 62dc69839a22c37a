package report

import (
	"strings"
	"testing"

	"dossier/translations"
)

// TestSummarySpeaksTheReadersLanguage: the Summary names every answer in
// the reader's words — a choice by its name, a country by its name, a
// date and a score as the reader writes them, each field by its label —
// never by a code, a key or a path.
func TestSummarySpeaksTheReadersLanguage(t *testing.T) {
	doc := demoDocuments(t)[KindApplicationSummary]
	for lang, tt := range map[translations.Lang]struct{ want, not []string }{
		translations.English: {
			want: []string{"Never married", "Female", "Vietnam", "Worker", "Secondary", "An employer", "Schedule A", "Signed by (1)",
				"March 14, 1990", "English", "Ontario", "4.5"},
			not: []string{"never-married", "agreements", "[0]", "1990-03-14", "oinp.", ".schedule"},
		},
		translations.French: {
			want: []string{"Jamais marié", "Féminin", "Travailleur", "Secondaire", "Annexe A", "Signée par (1)", "14 mars 1990",
				"Anglais", "4,5", "Canada"},
			not: []string{"never-married", "agreements", "[0]", "1990-03-14", "4.5", "oinp.", ".schedule", "Worker"},
		},
	} {
		text := pdfTextOf(t, lang, doc)
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the summary lacks %q", lang, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(text, w) {
				t.Errorf("%s: the summary prints %q", lang, w)
			}
		}
	}
}
