// Package report prints Dossier's documents as PDF with gofpdf, with the
// font embedded and every word from the reader's translator.
package report
