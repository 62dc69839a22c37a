// Package assets embeds the files Dossier ships with: the icon now, and the
// fonts, letterhead and policy tables (NOC list, GTA municipalities, score
// and settlement-fund tables) as the later features need them.
package assets

import "embed"

// Icon is the application icon, 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

// FontRegular and FontBold are Noto Sans (SIL Open Font License, in
// fonts/OFL.txt), embedded in every PDF Dossier prints so that French
// accents print everywhere.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
)

// The OINP's policy tables, as data a coordinator can update: the yearly
// settlement-funds chart and the municipalities of the Greater Toronto Area
// (read by domain/oinp.ParseTables).
var (
	//go:embed oinp/settlement-funds.csv
	SettlementFunds []byte
	//go:embed oinp/ontario-places.txt
	OntarioPlaces []byte
)

// Schedules are the texts of the OINP's Schedules A to D (the guide's
// Appendix 5), in English and French: oinp/schedules/LETTER.LANG.txt, the
// title on the first line.
//
//go:embed oinp/schedules
var Schedules embed.FS

// ExampleApplication is a complete, eligible OINP In-Demand Skills
// application (Linh Nguyen's, a greenhouse worker in Mississauga): the
// example the documentation describes and the server's demo submits.
//
//go:embed oinp/example-application.json
var ExampleApplication []byte
