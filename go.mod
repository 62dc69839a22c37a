module dossier

go 1.26.0

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/jung-kurt/gofpdf v1.16.2 // indirect
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/term v0.47.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
