// Package docs holds the test that keeps README.md and docs/*.md true to
// the code: every make target, every dossierd, dossierctl and dossier
// command and flag, and every relative link and image they name exists.
package docs
