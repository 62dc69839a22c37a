// Command gen writes catalog.go from the gotext message files:
// run it with go generate ./translations after editing locales/.
package main

import (
	"log"
	"os"

	"dossier/translations/internal/gencat"
)

func main() {
	src, err := gencat.Generate(".")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("catalog.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
