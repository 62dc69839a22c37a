package oinp_test

import (
	"testing"

	"dossier/domain/oinp"
	"dossier/translations"
)

// TestEverySelfAssessmentQuestionReads: each question (the application
// field's label), each section and each word of the verdict is in both
// languages.
func TestEverySelfAssessmentQuestionReads(t *testing.T) {
	keys := []string{"oinp.assess.unanswered", "oinp.assess.incomplete"}
	for _, q := range oinp.AssessmentQuestions {
		keys = append(keys, oinp.LabelKey(q.Path), q.Section)
	}
	for _, v := range oinp.Verdicts {
		keys = append(keys, "oinp.assess.verdict."+string(v))
	}
	for _, lang := range langs {
		tr := translations.New(lang)
		for _, k := range keys {
			if !tr.Has(k) {
				t.Errorf("%s has no %s message", k, lang)
			}
		}
	}
}
