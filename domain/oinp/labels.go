package oinp

import "strings"

// LabelKey is the catalog key of a field's label: its path without list
// indexes ("work[2].noc" → "oinp.field.work.noc").
func LabelKey(path string) string {
	if strings.HasPrefix(path, "documents.") && strings.HasSuffix(path, ".needsTranslation") {
		return "oinp.field.documents.needsTranslation" // one per document
	}
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return "oinp.field." + b.String()
}
