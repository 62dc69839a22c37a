package oinp_test

// The catalog tests live in the external test package: the domain's own
// files, tests included, import nothing of Dossier's but the domain
// (internal/layering), while the translations are the edge's.

import (
	"strings"
	"testing"

	"dossier/domain/oinp"
	"dossier/translations"
)

var langs = []translations.Lang{translations.English, translations.French}

// TestEveryRuleKeyIsInTheCatalog: each rule's title and every explanation
// it may give read in both languages.
func TestEveryRuleKeyIsInTheCatalog(t *testing.T) {
	for _, lang := range langs {
		tr := translations.New(lang)
		for _, k := range oinp.MessageKeys() {
			if !tr.Has(k) {
				t.Errorf("%s has no %s message", k, lang)
			}
		}
	}
}

// TestEveryRuleExplanationReads: the explanation of each boundary's result
// reads in both languages with the arguments the rule gives it.
func TestEveryRuleExplanationReads(t *testing.T) {
	results := oinp.RuleBoundaryResults()
	if len(results) < 40 {
		t.Fatalf("%d boundary results", len(results))
	}
	for _, r := range results {
		for _, lang := range langs {
			tr := translations.New(lang)
			if text := tr.T(r.Key, r.Args...); strings.Contains(text, "%!") || strings.Contains(text, "{") || !tr.Has(r.Key) {
				t.Errorf("%s in %s: %q", r.Key, lang, text)
			}
		}
	}
}

// TestEveryFieldToFixHasALabel: the field each failure or unknown leads to
// is a field of the form, named in both languages.
func TestEveryFieldToFixHasALabel(t *testing.T) {
	for key, field := range oinp.FieldsToFix() {
		for _, lang := range langs {
			if !translations.New(lang).Has(oinp.LabelKey(field)) {
				t.Errorf("%s leads to %q, which has no %s label", key, field, lang)
			}
		}
	}
}

// TestEveryVerdictReads: each verdict has its words in both languages, on
// the Summary and in dossierctl's text.
func TestEveryVerdictReads(t *testing.T) {
	for _, v := range oinp.Verdicts {
		for _, lang := range langs {
			tr := translations.New(lang)
			for _, k := range []string{v.SummaryKey(), "cli.oinp." + string(v)} {
				if !tr.Has(k) {
					t.Errorf("%s has no %s message", k, lang)
				}
			}
		}
	}
}
