// Package translations is the one translation layer of Dossier: every
// string a person reads, in the UI, the CLI, PDFs and server messages, comes
// from the catalog built here from the gotext files in locales/ (en and
// fr-CA). A Translator also formats dates, numbers and money for its
// language and sorts names the way its language does.
//
// To add or change a message, edit both locales/*/messages.gotext.json and
// run go generate ./translations.
package translations

//go:generate go run ./gen
