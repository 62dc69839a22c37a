package oinp

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// shippedTables are the tables Dossier ships, read from the assets folder:
// the package cannot import dossier/assets (which imports it), and the
// domain loads nothing itself.
var shippedTables = sync.OnceValue(func() Tables {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "assets", "oinp", name))
		if err != nil {
			panic(err)
		}
		return b
	}
	t, err := ParseTables(read("settlement-funds.csv"), read("ontario-places.txt"))
	if err != nil {
		panic(err)
	}
	return t
})

// TestParseTablesRefusesBrokenLines: a table with a line it cannot read is
// refused with oinp.table, never half read.
func TestParseTablesRefusesBrokenLines(t *testing.T) {
	funds := []byte("year,2026\n1,100\n2,200\neach additional,50\n")
	gta := []byte("# comment\n[gta Peel]\nMississauga | | Streetsville\n")
	if _, err := ParseTables(funds, gta); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]string{
		"members out of order": {"year,2026\n2,200\neach additional,50\n", string(gta)},
		"no year":              {"1,100\neach additional,50\n", string(gta)},
		"negative amount":      {"year,2026\n1,-100\neach additional,50\n", string(gta)},
		"no region":            {string(funds), "Mississauga | |\n"},
		"no area":              {string(funds), "[Peel]\nMississauga | |\n"},
		"no municipality":      {string(funds), "[gta Peel]\n | Streetsville\n"},
		"too many fields":      {string(funds), "[gta Peel]\nMississauga | | Streetsville | x\n"},
	} {
		if _, err := ParseTables([]byte(c[0]), []byte(c[1])); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	tb, _ := ParseTables(funds, gta)
	if got := tb.FundsRequired(4); got != 200_00+2*50_00 {
		t.Errorf("four members: %d", got)
	}
}
