package translations

import (
	"testing"

	"dossier/domain/oinp"
)

// TestEveryFileStatusHasAMessage checks the names of a file's processing
// statuses and streams, which the officer's queue and the applicant's
// status read through MessageKey.
func TestEveryFileStatusHasAMessage(t *testing.T) {
	keys := []string{oinp.StreamInDemandSkills.MessageKey()}
	for _, s := range oinp.FileStatuses {
		keys = append(keys, s.MessageKey())
	}
	for _, key := range keys {
		for _, l := range Langs {
			if !New(l).Has(key) {
				t.Errorf("%s has no %s message", key, l)
			}
		}
	}
}
