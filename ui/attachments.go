package ui

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
)

// Opening a file's documents (the officer's file, the applicant's and the
// representative's Documents tab): the desk reads the document it holds,
// or has the server send it (client.OpenDocument: only to the file's
// readers, kept sealed once its SHA-256 is the file's), then writes it in
// clear — the system's viewer needs a file — into a folder of its own
// that only its owner opens, removed at log out and when the session
// locks, and opens it with the system's viewer, as printed PDFs are.

// The ways opening a document fails on this computer.
var (
	// errNoViewer: no program here opens this type of file; its
	// argument is the type as people know it ("PDF").
	errNoViewer = domain.NewCode("ui.document.no-viewer", domain.KindNotFound)
	// errOpenFile: the document could not be written for the viewer.
	errOpenFile = domain.NewCode("ui.document.file", domain.KindInternal)
)

// openTimeout bounds a download: a 10 MB scan over a slow line.
const openTimeout = 3 * time.Minute

// attachmentRow is one document's line: what it is, Open, and why it
// could not be opened.
type attachmentRow struct {
	line  *widget.Label
	open  *widget.Button
	fault *widget.Label
	box   fyne.CanvasObject
	// opened is the last file handed to the viewer, for tests.
	opened string
}

// newAttachmentRow is the line of document d of the file of applicant,
// with extra (Remove, on the Documents tab) beside Open.
func newAttachmentRow(e *Env, applicant domain.ID, d oinp.Document, text func() string, extra ...fyne.CanvasObject) *attachmentRow {
	r := &attachmentRow{line: wrapped(""), fault: errorLabel()}
	r.fault.Wrapping = fyne.TextWrapWord
	r.open = widget.NewButton("", func() { openAttachment(e, applicant, d, r) })
	e.OnRelabel(func() {
		r.line.SetText(text())
		r.open.SetText(e.T("document.open"))
	})
	buttons := container.NewHBox(append([]fyne.CanvasObject{r.open}, extra...)...)
	r.box = container.NewVBox(container.NewBorder(nil, nil, nil, buttons, r.line), r.fault)
	return r
}

// attachmentsBox lists a file's documents for an officer: what each is,
// its file's name, type, size and day, and its SHA-256 as the server
// measured it, each with Open. rows receives each line, by document.
func attachmentsBox(e *Env, applicant domain.ID, a *oinp.Application, rows map[domain.ID]*attachmentRow) fyne.CanvasObject {
	box := container.NewVBox()
	if len(a.Documents) == 0 {
		none := wrapped("")
		e.OnRelabel(func() { none.SetText(e.T("officer.file.attachments.none")) })
		box.Add(none)
		return box
	}
	for _, d := range a.Documents {
		r := newAttachmentRow(e, applicant, d, func() string {
			kind := e.T(docKindKey(d.Kind))
			if d.Person > 0 {
				kind = e.T("oinp.documents.person", kind, d.Person)
			}
			text := e.T("officer.file.attachment", kind, d.Name, strings.ToUpper(d.Type), sizeText(e, d.Size), d.Added, shortHash(d.SHA256))
			if d.FromEmployer {
				text += " " + e.T("officer.file.attachment.employer")
			}
			return text
		})
		rows[d.ID] = r
		box.Add(r.box)
	}
	return box
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// openAttachment opens document d of the file of applicant: from the
// desk or the server, then in the system's viewer. A refusal (not a
// reader of the file, a download altered on its way, no viewer) shows
// under its line.
func openAttachment(e *Env, applicant domain.ID, d oinp.Document, r *attachmentRow) {
	e.Touch()
	r.open.Disable()
	r.fault.SetText(e.T("document.fetching"))
	r.fault.Importance = widget.MediumImportance
	r.fault.Show()
	by, st, c := e.Actor(), e.Store, e.Sync
	var (
		path string
		err  error
	)
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		defer cancel()
		var content []byte
		if d, content, err = c.OpenDocument(ctx, st, by, applicant, d.ID); err == nil {
			path, err = e.writeOpened(d, content)
		}
	}, func() {
		r.open.Enable()
		if err == nil {
			r.opened = path
			err = e.openFile(path, d.Type)
		}
		if err != nil {
			r.fault.SetText(e.Tr().Error(err))
			r.fault.Importance = widget.DangerImportance
			r.fault.Refresh()
			return
		}
		r.fault.Hide()
	})
}

// writeOpened writes a document's content for the viewer, into the
// session's own folder (made the first time, 0700), under the document's
// own name in a folder of its ID (0600).
func (e *Env) writeOpened(d oinp.Document, content []byte) (string, error) {
	e.openedMu.Lock()
	defer e.openedMu.Unlock()
	if e.openedDir == "" {
		dir, err := os.MkdirTemp("", "dossier-documents-")
		if err != nil {
			return "", domain.Wrap(errOpenFile, err)
		}
		e.openedDir = dir
	}
	dir := filepath.Join(e.openedDir, d.ID.String())
	if err := ensureDir(dir); err != nil {
		return "", domain.Wrap(errOpenFile, err)
	}
	path := filepath.Join(dir, openedName(d))
	f, err := createPrivate(path, os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return "", domain.Wrap(errOpenFile, err)
	}
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", domain.Wrap(errOpenFile, err)
	}
	return path, nil
}

// openedName is a document's name as a file here: its base name, without
// what a file system would read as a path or a control, ending in one of
// its type's extensions (the viewer goes by it).
func openedName(d oinp.Document) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, filepath.Base(d.Name))
	if name = strings.TrimLeft(name, "."); name == "" {
		name = "document"
	}
	exts := oinp.TypeExtensions(d.Type)
	if len(exts) > 0 && !slices.Contains(exts, strings.ToLower(filepath.Ext(name))) {
		name += exts[0]
	}
	return name
}

// forgetOpened removes the documents written for the viewer (log out, the
// session locked).
func (e *Env) forgetOpened() {
	e.openedMu.Lock()
	defer e.openedMu.Unlock()
	if e.openedDir != "" {
		os.RemoveAll(e.openedDir)
		e.openedDir = ""
	}
}

// openFile hands a document to the system's viewer (OpenFile when set:
// tests).
func (e *Env) openFile(path, fileType string) error {
	if e.OpenFile != nil {
		return e.OpenFile(path, fileType)
	}
	return systemOpen(e.App, path, fileType)
}

// systemOpen opens path with the program the system opens its type with.
// On Linux and the BSDs, where Fyne hands it to xdg-open and cannot tell
// whether anything opened it, a system with no xdg-open, or no program
// for the type (xdg-mime), is told apart first: errNoViewer.
func systemOpen(app fyne.App, path, fileType string) error {
	noViewer := domain.Errorf(errNoViewer, strings.ToUpper(fileType))
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if _, err := exec.LookPath("xdg-open"); err != nil {
			return noViewer
		}
		if query, err := exec.LookPath("xdg-mime"); err == nil {
			if mime := mimeTypes[fileType]; mime != "" {
				out, err := exec.Command(query, "query", "default", mime).Output()
				if err == nil && strings.TrimSpace(string(out)) == "" {
					return noViewer
				}
			}
		}
	}
	if err := app.OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
		noViewer.Err = err
		return noViewer
	}
	return nil
}

// mimeTypes are the media types of the types an attachment may have
// (oinp.SniffType), as the system's viewers register for them.
var mimeTypes = map[string]string{
	"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "bmp": "image/bmp",
	"tiff": "image/tiff", "rtf": "application/rtf", "txt": "text/plain", "ole": "application/msword",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
