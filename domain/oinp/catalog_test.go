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
