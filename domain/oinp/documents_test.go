package oinp

import (
	"archive/zip"
	"bytes"
	"image"
	"image/png"
	"path"
	"slices"
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
)

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, _ := z.Create(n)
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

func TestCheckAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	docx := zipOf(t, "[Content_Types].xml", "word/document.xml")
	for _, c := range []struct {
		name, kind, file string
		b                []byte
		want             string
		code             domain.Code
	}{
		{"a PDF", "passport", "passport.pdf", pdf, "pdf", ""},
		{"a PDF named in capitals", "resume", "CV.PDF", pdf, "pdf", ""},
		{"a Word document", "resume", "cv.docx", docx, "docx", ""},
		{"an old Word document", "resume", "cv.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "ole", ""},
		{"plain text", "other", "note.txt", []byte("Bonjour, ceci est une note.\n"), "txt", ""},
		{"an RTF", "other", "note.rtf", []byte(`{\rtf1\ansi Hello}`), "rtf", ""},
		{"a photo of 413×531", "photo", "Linh Nguyen passport photo.png", pngOf(t, 413, 531), "png", ""},
		{"a photo of 412×531", "photo", "photo.png", pngOf(t, 412, 531), "", ErrPhotoSize},
		{"a photo as a PDF", "photo", "photo.pdf", pdf, "", ErrPhotoFormat},
		{"a PNG named .pdf", "passport", "passport.pdf", pngOf(t, 10, 10), "", ErrDocumentName},
		{"a program", "other", "setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 64)...), "", ErrDocumentType},
		{"a ZIP that is not Office", "resume", "cv.docx", zipOf(t, "a.txt"), "", ErrDocumentType},
		{"text with a NUL", "other", "x.txt", []byte("a\x00b"), "", ErrDocumentType},
		{"empty", "other", "x.txt", nil, "", ErrDocumentEmpty},
		{"5 MB", "resume", "cv.pdf", append(pdf, make([]byte, MaxDocumentBytes-len(pdf))...), "pdf", ""},
		{"5 MB and a byte", "resume", "cv.pdf", append(pdf, make([]byte, MaxDocumentBytes-len(pdf)+1)...), "", ErrDocumentSize},
		{"a 10 MB passport", "passport", "p.pdf", append(pdf, make([]byte, MaxPassportBytes-len(pdf))...), "pdf", ""},
		{"a passport of 10 MB and a byte", "passport", "p.pdf", append(pdf, make([]byte, MaxPassportBytes-len(pdf)+1)...), "", ErrDocumentSize},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := CheckAttachment(c.kind, c.file, c.b)
			if c.code != "" {
				if domain.ErrorCode(err) != c.code {
					t.Fatalf("%v, want %s", err, c.code)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("%q %v, want %q", got, err, c.want)
			}
		})
	}
}

func TestChecklistFollowsTheAnswers(t *testing.T) {
	a := eligible()
	kinds := func() map[string]bool {
		m := map[string]bool{}
		for _, r := range Checklist(a) {
			if r.Mandatory {
				m[r.Kind] = true
			}
		}
		return m
	}
	k := kinds()
	if k["lmia"] || k["family-passport"] || k["licence"] || !k["eca"] || !k["status"] || !k["employment-income"] {
		t.Fatalf("checklist %v", k)
	}
	a.Employer.Offer.LMIA, a.Employer.Offer.LicenceNeeded = Yes, Yes
	a.Family = []FamilyMember{{Relationship: "spouse"}, {Relationship: "child"}}
	a.Immigration.InCanada = No
	n := 0
	for _, r := range Checklist(a) {
		if r.Kind == "family-passport" {
			n++
		}
	}
	k = kinds()
	if !k["lmia"] || !k["licence"] || n != 2 || k["status"] {
		t.Fatalf("checklist %v, %d family passports", k, n)
	}
}

// FuzzSniffType: no content makes the sniffer or the check panic; the
// sniffed type is one the program takes, or none; the check refuses with
// one of an attachment's codes, or accepts a non-empty file within its
// limit, of the type sniffed, named with one of that type's extensions
// (a photo: a JPEG, PNG or GIF large enough).
func FuzzSniffType(f *testing.F) {
	f.Add([]byte("%PDF-1.4"), "x.pdf", false)
	f.Add(pngOf(f, 2, 2), "x.png", true)
	f.Add(pngOf(f, MinPhotoWidth, MinPhotoHeight), "photo.PNG", true)
	f.Add(zipOf(f, "[Content_Types].xml", "xl/workbook.xml"), "book.xlsx", false)
	f.Add(zipOf(f, "[Content_Types].xml", "word/document.xml"), "letter.docx", false)
	f.Add([]byte("GIF89a\x01\x00\x01\x00"), "x.gif", true)
	f.Add([]byte("Plain text, en français.\n"), "notes.txt", false)
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, "old.doc", false)
	f.Add([]byte("BM0123456789abcdef"), "scan.bmp", false)
	f.Add([]byte("II*\x00"), "scan.tif", false)
	f.Add([]byte{}, "", false)
	f.Fuzz(func(t *testing.T, b []byte, name string, photo bool) {
		sniffed := SniffType(b)
		if _, ok := types[sniffed]; !ok && sniffed != "" {
			t.Fatalf("sniffed %q", sniffed)
		}
		kind := "passport"
		if photo {
			kind = "photo"
		}
		got, err := CheckAttachment(kind, name, b)
		if err != nil {
			switch domain.ErrorCode(err) {
			case ErrDocumentEmpty, ErrDocumentSize, ErrDocumentType, ErrDocumentName, ErrPhotoFormat, ErrPhotoSize:
			default:
				t.Fatalf("%s %q: %v", kind, name, err)
			}
			return
		}
		if got != sniffed || len(b) == 0 || len(b) > MaxPassportBytes || !slices.Contains(types[got], strings.ToLower(path.Ext(name))) {
			t.Fatalf("%s %q of %d bytes accepted as %q (sniffed %q)", kind, name, len(b), got, sniffed)
		}
		if photo {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || got != "jpeg" && got != "png" && got != "gif" || cfg.Width < MinPhotoWidth || cfg.Height < MinPhotoHeight {
				t.Fatalf("photo %q accepted as %q: %+v %v", name, got, cfg, err)
			}
		}
	})
}

func TestEmployerDocumentsTwoDays(t *testing.T) {
	a := complete()
	if due, _, _ := EmployerDocuments(a); !due.IsZero() {
		t.Fatal("a due date before submission")
	}
	a.Submitted = submission
	a.Documents = append(a.Documents, Document{Kind: "employer-information", FromEmployer: true, Added: date(2026, 11, 23)})
	if due, arrived, late := EmployerDocuments(a); due != date(2026, 11, 23) || arrived != due || late {
		t.Fatalf("on the second day: %v %v %v", due, arrived, late)
	}
	a.Documents[len(a.Documents)-1].Added = date(2026, 11, 24)
	if _, _, late := EmployerDocuments(a); !late {
		t.Fatal("the third day is not late")
	}
}

func TestAddAndRemoveDocument(t *testing.T) {
	passport, translation, other := domain.ID{0x10}, domain.ID{0x11}, domain.ID{0x12}
	employers := domain.ID{0x13}
	file := func() *Application {
		return &Application{Documents: []Document{{ID: passport, Kind: "passport"}, {ID: translation, Kind: "translation", TranslationOf: passport},
			{ID: other, Kind: "other"}, {ID: employers, Kind: "employer-letter", FromEmployer: true}}}
	}
	tests := []struct {
		name string
		id   domain.ID
		want domain.Code
		gone []domain.ID
	}{
		{"a document and its translation", passport, "", []domain.ID{passport, translation}},
		{"a translation alone", translation, "", []domain.ID{translation}},
		{"a document without one", other, "", []domain.ID{other}},
		{"one the file does not list", domain.ID{0x99}, "", nil},
		{"the employer's", employers, account.ErrForbidden, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := file()
			held := a.Documents
			gone, err := a.RemoveDocument(tt.id)
			wantCode(t, err, tt.want)
			if !slices.Equal(gone, tt.gone) {
				t.Fatalf("took off %v, want %v", gone, tt.gone)
			}
			if len(a.Documents) != 4-len(tt.gone) || len(held) != 4 || held[0].ID != passport {
				t.Fatalf("file lists %d, the caller's %d", len(a.Documents), len(held))
			}
			for _, d := range a.Documents {
				if slices.Contains(tt.gone, d.ID) {
					t.Fatalf("%v still listed", d.ID)
				}
			}
		})
	}
	a := file()
	a.AddDocument(Document{ID: other, Kind: "forged"})
	a.AddDocument(Document{ID: domain.ID{0x20}, Kind: "resume"})
	if len(a.Documents) != 5 || a.Documents[2].Kind != "other" || a.Documents[4].Kind != "resume" {
		t.Fatalf("file lists %+v", a.Documents)
	}
}

// TestCheckDocumentRoom: a list takes documents up to MaxDocuments, and
// refuses the next with domain.ErrListTooLong.
func TestCheckDocumentRoom(t *testing.T) {
	for n, want := range map[int]domain.Code{0: "", MaxDocuments - 1: "", MaxDocuments: domain.ErrListTooLong,
		MaxDocuments + 5: domain.ErrListTooLong} {
		if got := domain.ErrorCode(CheckDocumentRoom(n)); got != want {
			t.Errorf("%d documents: %q, want %q", n, got, want)
		}
	}
}
