package applications

import (
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
)

// TestDocumentsAsReceived: the server lists a document with the type,
// size and hash of the bytes it received, on its own day, never from the
// employer; a declaration that differs is refused.
func TestDocumentsAsReceived(t *testing.T) {
	content := []byte("%PDF-1.7\nrésumé\n")
	typ, err := oinp.CheckAttachment("resume", "cv.pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	honest := oinp.Document{ID: domain.ID{1}, Kind: "resume", Name: "cv.pdf", Type: typ, Size: int64(len(content)),
		SHA256: sha256Hex(content), Added: domain.Date{Year: 2020, Month: 1, Day: 1}, FromEmployer: true}
	doc, err := receivedDocument(honest, content, false, now)
	if err != nil || doc.FromEmployer || doc.Added != domain.DateOf(now) || doc.SHA256 != sha256Hex(content) {
		t.Fatalf("%+v %v", doc, err)
	}
	for name, lie := range map[string]func(*oinp.Document){
		"type": func(d *oinp.Document) { d.Type = "image/png" },
		"size": func(d *oinp.Document) { d.Size++ },
		"hash": func(d *oinp.Document) { d.SHA256 = sha256Hex([]byte("other")) },
	} {
		d := honest
		lie(&d)
		if _, err := receivedDocument(d, content, false, now); domain.ErrorCode(err) != ErrAttachmentMismatch {
			t.Errorf("a lying %s: %v", name, err)
		}
	}
	if _, err := receivedDocument(honest, []byte("MZ not a document"), false, now); err == nil {
		t.Error("an executable passes as a résumé")
	}
}
