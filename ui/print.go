package ui

import (
	"bufio"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/report"
	"dossier/translations"
)

// Printing from a screen. Every list and document screen has a Print /
// Save as PDF button: the document is built from the store as the person
// sees it, printed (a progress bar for long reports) into the profile's
// "printed" folder, and shown with a preview of its first page, its
// verification code, and a button to open it in the system's viewer.
// dossierctl print builds documents with the same functions, so both give
// the same bytes for the same records and day.

// printable builds the document a screen prints, and the translator of
// the language it is printed in (letters: the applicant's).
type printable func() (report.Document, *translations.Translator, error)

// printed is the outcome of the last printing, for tests.
type printed struct {
	path, code string
	err        error
	// preview is the first page as a PNG beside the PDF, "" when it
	// could not be drawn.
	preview string
}

// printButton is the screen's Print / Save as PDF action.
func printButton(e *Env, build printable) *widget.Button {
	b := widget.NewButton("", func() { printNow(e, build) })
	e.OnRelabel(func() { b.SetText(e.T("print.action")) })
	return b
}

// printNow prints the document build makes, with a progress dialog, then
// shows the preview.
func printNow(e *Env, build printable) {
	e.Touch()
	doc, tr, err := build()
	if err != nil {
		e.lastPrinted = printed{err: err}
		noticeDialog(e, e.T("print.action"), e.Tr().Error(err))
		return
	}
	bar := widget.NewProgressBar()
	status := dialogText(e.T("print.working", e.T(report.TitleKey(doc.Kind()))))
	d := newPlainDialog(e, e.T("print.action"), container.NewVBox(status, bar), status.Text)
	d.Show()
	today := domain.DateOf(e.Now())
	seal := report.StoreSealer(e.Store, e.Actor(), today)
	path := printedPath(e, doc.Kind(), today)
	var out printed
	e.Async(func() {
		out = writePDF(path, tr, seal, today, doc, func(f float64) { e.post(func() { bar.SetValue(f) }) })
		if out.err == nil {
			out.preview, _ = firstPage(out.path) // off the UI's goroutine: pdftoppm takes a moment
		}
	}, func() {
		e.Drain()
		d.Hide()
		e.lastPrinted = out
		if out.err != nil {
			noticeDialog(e, e.T("print.action"), e.Tr().Error(out.err))
			return
		}
		showPrinted(e, doc.Kind(), out)
	})
}

// writePDF prints into path, leaving no half-written file behind.
func writePDF(path string, tr *translations.Translator, seal report.Sealer, today domain.Date, doc report.Document, progress func(float64)) printed {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return printed{err: domain.Wrap(errPrintFile, err)}
	}
	f, err := createPrivate(path, os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return printed{err: domain.Wrap(errPrintFile, err)}
	}
	w := bufio.NewWriter(f)
	code, err := report.PrintProgress(w, tr, seal, today, doc, progress)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		if _, coded := err.(*domain.Error); !coded {
			err = domain.Wrap(errPrintFile, err)
		}
		return printed{err: err}
	}
	return printed{path: path, code: code}
}

// errPrintFile is a PDF that could not be written where it goes.
var errPrintFile = domain.NewCode("ui.print.file", domain.KindInternal)

// printedPath is where a document goes: the profile's "printed" folder,
// named by kind and day, numbered when printed again the same day.
func printedPath(e *Env, kind report.Kind, today domain.Date) string {
	dir := filepath.Join(filepath.Dir(e.Store.Path()), "printed")
	base := strings.ReplaceAll(string(kind), ".", "-") + "-" + today.String()
	path := filepath.Join(dir, base+".pdf")
	for i := 2; ; i++ {
		if _, err := os.Stat(path); err != nil {
			return path
		}
		path = filepath.Join(dir, base+"-"+strconv.Itoa(i)+".pdf")
	}
}

// showPrinted shows the printed document: a preview of its first page,
// where it is, its code, and Open.
func showPrinted(e *Env, kind report.Kind, p printed) {
	where := dialogText(e.T("print.saved", e.T(report.TitleKey(kind)), p.path, p.code))
	var preview fyne.CanvasObject
	if p.preview != "" {
		im := canvas.NewImageFromFile(p.preview)
		im.FillMode = canvas.ImageFillContain
		im.SetMinSize(fyne.NewSize(340, 440))
		preview = im
	} else {
		note := widget.NewLabel(e.T("print.no-preview"))
		note.Wrapping = fyne.TextWrapWord
		preview = note
	}
	openFault := dialogText("")
	openFault.Importance = widget.DangerImportance
	openFault.Hide()
	open := widget.NewButton(e.T("print.open"), func() {
		if err := openPDF(e, p.path); err != nil {
			openFault.SetText(err.Error())
			openFault.Show()
		}
	})
	e.printedOpenFault = openFault
	newPlainDialog(e, e.T(report.TitleKey(kind)), container.NewBorder(nil,
		container.NewVBox(where, copyField(e, p.code), copyField(e, p.path), container.NewHBox(open), openFault),
		nil, nil, preview), where.Text).Show()
}

// pdfOpener is the program that opens a file in the system's viewer, as
// Fyne calls it; tests replace it.
var pdfOpener = func() string {
	switch runtime.GOOS {
	case "darwin":
		return "open"
	case "windows":
		return "rundll32"
	}
	return "xdg-open"
}

// lookPath finds a program; tests replace it.
var lookPath = exec.LookPath

// openPDF opens a printed file in the system's viewer, or says, in
// words, which program is missing and where the file is to open it by
// hand.
func openPDF(e *Env, path string) error {
	e.Touch()
	prog := pdfOpener()
	if _, err := lookPath(prog); err != nil {
		return errors.New(e.T("print.open.missing", prog, path))
	}
	if err := e.App.OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
		return errors.New(e.T("print.open.failed", prog, path))
	}
	return nil
}

// firstPage renders a PDF's first page to a PNG beside it, with poppler's
// pdftoppm (which make deps installs): Go has no PDF renderer of its own.
func firstPage(pdf string) (string, error) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return "", err
	}
	out := strings.TrimSuffix(pdf, ".pdf") + "-preview"
	// The preview shows the document: made 0600 before pdftoppm writes
	// into it (which keeps a file's mode), and again after.
	f, err := createPrivate(out+".png", os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return "", err
	}
	f.Close()
	if err := exec.Command(bin, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, out).Run(); err != nil {
		os.Remove(out + ".png")
		return "", err
	}
	return out + ".png", os.Chmod(out+".png", 0o600)
}
