package oinp

import (
	"archive/zip"
	"bytes"
	"image"
	_ "image/gif" // photos may be GIF, JPEG or PNG
	_ "image/jpeg"
	_ "image/png"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"dossier/domain"
	"dossier/domain/account"
)

// Document is a file attached to the application (Appendix 4): its kind,
// the family member it belongs to (for their passports), its name, type
// and size, and the hash of its content, which is kept apart (the store's
// attachments). A document not in English or French needs a translation,
// attached as another document naming it.
type Document struct {
	ID     domain.ID `json:"id"`
	Kind   string    `json:"kind"`
	Person int       `json:"person,omitempty"` // family member number, from 1
	Name   string    `json:"name"`
	Type   string    `json:"type"`
	Size   int64     `json:"size"`
	SHA256 string    `json:"sha256"`
	// NeedsTranslation: the document is in neither English nor French.
	NeedsTranslation YesNo `json:"needsTranslation,omitzero"`
	// TranslationOf is the document this one translates.
	TranslationOf domain.ID   `json:"translationOf,omitzero"`
	Added         domain.Date `json:"added,omitzero"`
	// FromEmployer: the employer attached it to its Employer Form.
	FromEmployer bool `json:"fromEmployer,omitempty"`
}

// Requirement is one line of the document checklist: a kind of document,
// its group of Appendix 4, whether it is mandatory for this application,
// and the family member it is for.
type Requirement struct {
	Kind      string
	Group     int
	Mandatory bool
	Person    int
}

// Limits of an attachment (§4.2.17, Appendix 4).
const (
	MaxDocumentBytes = 5 << 20
	MaxPassportBytes = 10 << 20
	MinPhotoWidth    = 413
	MinPhotoHeight   = 531
)

// Checklist lists the documents this application needs (Appendix 4, its
// eleven groups), driven by the answers: family members' passports only
// with family members, the LMIA only with an LMIA, the ECA only for
// studies outside Canada, and so on. Optional lines are listed too, so
// that the person knows they may add them.
func Checklist(a *Application) []Requirement {
	var out []Requirement
	add := func(group int, kind string, mandatory bool) {
		out = append(out, Requirement{Kind: kind, Group: group, Mandatory: mandatory})
	}
	add(1, "photo", true)
	add(1, "passport", true)
	for i := range a.Family {
		out = append(out, Requirement{Kind: "family-passport", Group: 1, Mandatory: true, Person: i + 1})
	}
	add(1, "birth-certificate", true)
	if a.Immigration.InCanada == Yes {
		add(2, "status", true)
		if a.Immigration.Implied == Yes {
			add(2, "implied-status", true)
		}
	}
	add(3, "employer-form", true)
	if strings.TrimSpace(a.Employer.Representative) != "" {
		add(3, "employer-representative", true)
	}
	add(3, "employer-information", true)
	add(4, "job-offer", true)
	if a.Employer.Offer.LicenceNeeded == Yes {
		add(4, "licence", true)
	}
	if a.Employer.Offer.LMIA == Yes {
		add(4, "lmia", true)
	}
	add(5, "reference-letters", true)
	add(5, "work-contracts", true)
	add(5, "compensation", true)
	add(5, "cra-statements", true)
	if slices.ContainsFunc(a.Work, func(w Work) bool { return w.LicenceNeeded == Yes }) {
		add(5, "regulated-occupation", true)
	}
	add(5, "other-work", false)
	add(6, "education", true)
	if slices.ContainsFunc(a.Education, func(e Education) bool { return e.Country != "" && !e.Canadian() }) {
		add(6, "eca", true)
	}
	add(7, "language", true)
	add(8, "bank-statements", true)
	if a.Funds.ClaimIncome == Yes {
		add(8, "employment-income", true)
	}
	add(9, "intent", false)
	add(10, "resume", true)
	add(11, "other", false)
	return out
}

// DocumentKinds lists every kind the checklist can ask for, and the
// translation of another document.
var DocumentKinds = []string{"photo", "passport", "family-passport", "birth-certificate", "status", "implied-status",
	"employer-form", "employer-representative", "employer-information", "job-offer", "licence", "lmia",
	"reference-letters", "work-contracts", "compensation", "cra-statements", "regulated-occupation", "other-work",
	"education", "eca", "language", "bank-statements", "employment-income", "intent", "resume", "other", "translation"}

// Codes of an attachment refused.
var (
	ErrDocumentType    = domain.NewCode("oinp.document.type", domain.KindInvalid)
	ErrDocumentName    = domain.NewCode("oinp.document.extension", domain.KindInvalid)
	ErrDocumentSize    = domain.NewCode("oinp.document.size", domain.KindInvalid)
	ErrDocumentEmpty   = domain.NewCode("oinp.document.empty", domain.KindInvalid)
	ErrPhotoFormat     = domain.NewCode("oinp.photo.format", domain.KindInvalid)
	ErrPhotoSize       = domain.NewCode("oinp.photo.size", domain.KindInvalid)
	ErrDocumentMissing = domain.NewCode("oinp.document.missing", domain.KindInvalid)
	ErrTranslation     = domain.NewCode("oinp.document.translation", domain.KindInvalid)
)

// types maps each accepted type to the extensions a file of it may carry
// (§4.2.17: .doc .docx .xls .xlsx .ppt .pptx .pdf .rtf .txt .jpeg .bmp .png
// .gif .tiff).
var types = map[string][]string{
	"pdf": {".pdf"}, "jpeg": {".jpeg", ".jpg"}, "png": {".png"}, "gif": {".gif"}, "bmp": {".bmp"},
	"tiff": {".tiff", ".tif"}, "rtf": {".rtf"}, "txt": {".txt"}, "ole": {".doc", ".xls", ".ppt"},
	"docx": {".docx"}, "xlsx": {".xlsx"}, "pptx": {".pptx"},
}

// TypeExtensions are the file-name extensions of a type SniffType tells,
// the usual one first ([".jpeg", ".jpg"]); none for one it does not.
func TypeExtensions(t string) []string { return slices.Clone(types[t]) }

// SniffType tells a file's type from its content, not its name: the
// magic numbers of PDF, images and Office files, an Office Open XML
// package by its parts, and plain text as valid UTF-8 without control
// characters. It returns "" for anything else.
func SniffType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case bytes.HasPrefix(b, []byte("BM")) && len(b) > 14:
		return "bmp"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "tiff"
	case bytes.HasPrefix(b, []byte(`{\rtf`)):
		return "rtf"
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "ole"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return officeOpenXML(b)
	case len(b) > 0 && utf8.Valid(b) && !bytes.ContainsFunc(b, isControl):
		return "txt"
	}
	return ""
}

func isControl(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' }

// officeOpenXML tells a .docx, .xlsx or .pptx from any other ZIP file by
// the parts inside it.
func officeOpenXML(b []byte) string {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return ""
	}
	var types bool
	kind := ""
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = "docx"
		case strings.HasPrefix(f.Name, "xl/"):
			kind = "xlsx"
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = "pptx"
		}
	}
	if !types {
		return ""
	}
	return kind
}

// CheckAttachment refuses a file the program would not accept for a kind
// of document: a type it does not take (judged by content), a name whose
// extension says another type, a file over the size limit (10 MB for the
// passport, 5 MB otherwise), or a photo that is not a JPEG, PNG or GIF of
// at least 413×531 pixels. It returns the type.
func CheckAttachment(kind, name string, b []byte) (string, error) {
	if len(b) == 0 {
		return "", domain.FieldError(ErrDocumentEmpty, "document")
	}
	limit := int64(MaxDocumentBytes)
	if kind == "passport" {
		limit = MaxPassportBytes
	}
	if int64(len(b)) > limit {
		return "", domain.FieldError(ErrDocumentSize, "document", int(limit>>20))
	}
	t := SniffType(b)
	if t == "" {
		return "", domain.FieldError(ErrDocumentType, "document")
	}
	if ext := strings.ToLower(path.Ext(name)); !slices.Contains(types[t], ext) {
		return "", domain.FieldError(ErrDocumentName, "document", ext, types[t][0])
	}
	if kind == "photo" {
		if t != "jpeg" && t != "png" && t != "gif" {
			return "", domain.FieldError(ErrPhotoFormat, "document")
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "", domain.FieldError(ErrDocumentType, "document")
		}
		if cfg.Width < MinPhotoWidth || cfg.Height < MinPhotoHeight {
			return "", domain.FieldError(ErrPhotoSize, "document", cfg.Width, cfg.Height, MinPhotoWidth, MinPhotoHeight)
		}
	}
	return t, nil
}

// MissingDocuments lists the mandatory checklist lines with no document,
// and the documents marked as needing a translation that have none.
func MissingDocuments(a *Application) []Problem {
	var out []Problem
	for _, r := range Checklist(a) {
		if !r.Mandatory || r.Kind == "employer-information" && a.EmployerSendsDocuments == Yes {
			continue
		}
		if !slices.ContainsFunc(a.Documents, func(d Document) bool { return d.Kind == r.Kind && d.Person == r.Person }) {
			out = append(out, Problem{Tab: TabDocuments, Err: domain.FieldError(ErrDocumentMissing, DocField(r.Kind, r.Person))})
		}
	}
	for _, d := range a.Documents {
		if d.NeedsTranslation != Yes {
			continue
		}
		if !slices.ContainsFunc(a.Documents, func(t Document) bool { return t.TranslationOf == d.ID }) {
			out = append(out, Problem{Tab: TabDocuments, Err: domain.FieldError(ErrTranslation, DocField(d.Kind, d.Person), d.Name)})
		}
	}
	return out
}

// DocField is the path of a checklist line ("documents.passport",
// "documents.family-passport.2").
func DocField(kind string, person int) string {
	if person > 0 {
		return "documents." + kind + "." + strconv.Itoa(person)
	}
	return "documents." + kind
}

// EmployerDocuments says where the employer's own documents stand after
// submission (§2.3.6): the day they are due (two calendar days after), the
// day the last arrived (zero while none has), and whether that was late.
func EmployerDocuments(a *Application) (due, arrived domain.Date, late bool) {
	if a.Submitted.IsZero() {
		return domain.Date{}, domain.Date{}, false
	}
	due = a.Submitted.AddDays(EmployerDocumentsDays)
	for _, d := range a.Documents {
		if d.FromEmployer && arrived.Before(d.Added) {
			arrived = d.Added
		}
	}
	return due, arrived, !arrived.IsZero() && due.Before(arrived)
}

// MaxDocuments is the most documents a file (or an Employer Form) lists:
// a file holds about twenty scans and their translations. Each is kept on
// the server with its bytes, so their number is bounded.
const MaxDocuments = 100

// CheckDocumentRoom refuses a new document on a list of n documents that
// has MaxDocuments already (domain.ErrListTooLong).
func CheckDocumentRoom(n int) error {
	if n >= MaxDocuments {
		return domain.FieldError(domain.ErrListTooLong, "documents", MaxDocuments)
	}
	return nil
}

// AddDocument lists doc on the file, once: a document listed already
// (its ID) stays as it is. Whether its content may be attached is
// CheckAttachment's to say, and whether the file may change
// CheckEditable's.
func (a *Application) AddDocument(doc Document) {
	if !slices.ContainsFunc(a.Documents, func(d Document) bool { return d.ID == doc.ID }) {
		a.Documents = append(a.Documents[:len(a.Documents):len(a.Documents)], doc)
	}
}

// RemoveDocument takes the document id off the file, and every
// translation of it with it, and returns the IDs taken off (their
// content goes with them). A document the employer sent is theirs to
// withdraw: account.ErrForbidden. An ID the file does not list takes
// nothing off.
func (a *Application) RemoveDocument(id domain.ID) ([]domain.ID, error) {
	var keep []Document
	var gone []domain.ID
	for _, d := range a.Documents {
		if d.ID == id && d.FromEmployer {
			return nil, domain.Errorf(account.ErrForbidden)
		}
		if d.ID == id || d.TranslationOf == id {
			gone = append(gone, d.ID)
			continue
		}
		keep = append(keep, d)
	}
	a.Documents = keep
	return gone, nil
}
