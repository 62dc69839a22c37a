package applications

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// Documents travel: a file's documents reach those who may read it — the
// applicant on another computer, their active representative, the
// program's officers once it is submitted (oinp.CheckDocumentReader) —
// on demand. The server sends the bytes it keeps (Server.Document), after
// checking them against the SHA-256 it measured when they arrived; the
// desk keeps them sealed in its own attachments only when they are the
// bytes the file lists (KeepDocument), so that a download altered on its
// way, or by whoever sits in between, is refused and never shown.

// ErrDocumentAltered is a document received whose size or SHA-256 is not
// what the file lists (the server measured them from the bytes it
// received): the desk refuses it and keeps nothing.
var ErrDocumentAltered = domain.NewCode("store.oinp.document.altered", domain.KindConflict)

// Server is dossierd's file as this program serves it to a desk, past the
// commands: the documents' content.
type Server struct{ *store.Server }

// Document sends, to someone who may read the file of applicant, the
// content of its document id as the server keeps it, with the type, size
// and SHA-256 the server measured. Each download counts against by's
// fetch limit first (sync.ErrRateLimited), and is audited
// ("oinp.document.read", the document's kind). Anyone else is refused
// with oinp.ErrNotDocumentReader, whether the file exists or not; a
// document the file does not list, or whose content the server lacks, is
// store.ErrNotFound. Bytes that no longer match what the file lists are
// never sent (store.ErrCorrupt).
func (sv Server) Document(by account.Actor, applicant, id domain.ID) (sync.DocumentFile, error) {
	if err := sv.AdmitFetch(by); err != nil {
		return sync.DocumentFile{}, err
	}
	s := On(sv.Store())
	var (
		out  sync.DocumentFile
		kind string
	)
	err := s.View(func(tx *store.Tx) error {
		rec, _, err := s.fileFor(tx, by, applicant, oinp.CheckDocumentReader)
		if err != nil {
			return err
		}
		doc, ok := listed(&rec, id)
		if !ok {
			return domain.Errorf(store.ErrNotFound)
		}
		content, err := s.storedContent(tx, &rec, doc)
		if err != nil {
			return err
		}
		if !sameSHA256(content, doc.SHA256) || int64(len(content)) != doc.Size {
			return domain.Wrap(store.ErrCorrupt, errStoredAltered)
		}
		kind = doc.Kind
		out = sync.DocumentFile{Applicant: applicant, ID: doc.ID, Type: doc.Type, Size: doc.Size, SHA256: doc.SHA256, Content: content}
		return nil
	})
	if err != nil {
		return sync.DocumentFile{}, err
	}
	now := s.Now()
	err = s.Update(func(tx *store.Tx) error {
		return s.Journal(tx, now, store.Entry{By: by, Action: "oinp.document.read", Entity: applicant, Detail: kind})
	})
	return out, err
}

var errStoredAltered = errors.New("stored document does not match its listed size and sha256")

// storedContent reads a listed document's content: the employer's under
// their form (where it arrived), the others under the file.
func (s Store) storedContent(tx *store.Tx, rec *ApplicationRecord, doc oinp.Document) ([]byte, error) {
	b := store.BucketOf(tx, store.AttachmentsBucket)
	var content []byte
	found, err := s.GetSealed(b, attachmentKey(rec.Applicant, doc.ID), &content)
	if err == nil && !found && doc.FromEmployer && rec.EmployerForm != nil {
		found, err = s.GetSealed(b, attachmentKey(rec.EmployerForm.FormID, doc.ID), &content)
	}
	if err == nil && !found {
		err = domain.Errorf(store.ErrNotFound)
	}
	return content, err
}

// listed is the document id as the file lists it.
func listed(rec *ApplicationRecord, id domain.ID) (oinp.Document, bool) {
	for _, d := range rec.App.Documents {
		if d.ID == id {
			return d, true
		}
	}
	return oinp.Document{}, false
}

func sameSHA256(content []byte, want string) bool {
	sum := sha256.Sum256(content)
	got := hex.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(strings.ToLower(want))) == 1
}

// KeepDocument keeps, sealed in the desk's attachments, a document's
// content received from the server, for someone who may read the file,
// in one transaction. The file as this desk holds it (from the server's
// feed) must list the document, and the bytes must be those it lists:
// their size and SHA-256, as the server measured them when they arrived.
// Anything else is refused with ErrDocumentAltered and nothing is kept —
// what the answer itself claims is not looked at. It returns the
// document as the file lists it.
func (s Store) KeepDocument(by account.Actor, f sync.DocumentFile) (oinp.Document, error) {
	var doc oinp.Document
	err := s.Update(func(tx *store.Tx) error {
		rec, found, err := s.fileFor(tx, by, f.Applicant, oinp.CheckDocumentReader)
		if err != nil {
			return err
		}
		var ok bool
		if doc, ok = listed(&rec, f.ID); !found || !ok {
			return domain.Errorf(store.ErrNotFound)
		}
		if int64(len(f.Content)) != doc.Size || !sameSHA256(f.Content, doc.SHA256) {
			return domain.Errorf(ErrDocumentAltered, doc.Name)
		}
		return s.PutSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(f.Applicant, doc.ID), f.Content)
	})
	return doc, err
}

// LocalDocument is a document of the file of applicant as this desk
// lists it, for someone who may read the file, with its content when the
// desk holds it (attached here, or fetched before: found is false
// otherwise, and the content is the server's to send).
func (s Store) LocalDocument(by account.Actor, applicant, id domain.ID) (doc oinp.Document, content []byte, found bool, err error) {
	err = s.View(func(tx *store.Tx) error {
		rec, has, err := s.fileFor(tx, by, applicant, oinp.CheckDocumentReader)
		if err != nil {
			return err
		}
		var ok bool
		if doc, ok = listed(&rec, id); !has || !ok {
			return domain.Errorf(store.ErrNotFound)
		}
		if found, err = s.GetSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(applicant, id), &content); err != nil {
			return err
		}
		// A copy that no longer matches the list (a document replaced on
		// the server since) is fetched again.
		if found && (int64(len(content)) != doc.Size || !sameSHA256(content, doc.SHA256)) {
			found, content = false, nil
		}
		return nil
	})
	return doc, content, found, err
}

// forgetDocuments removes from the desk every document content of the
// file of applicant (a representative whose access ended).
func (s Store) forgetDocuments(tx *store.Tx, applicant domain.ID) error {
	b := tx.Bucket(store.AttachmentsBucket)
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(applicant[:]); k != nil && store.HasPrefix(k, applicant[:]); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
