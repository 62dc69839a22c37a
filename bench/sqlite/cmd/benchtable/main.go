// Command benchtable prints the side-by-side table of `make bench`: the
// median of each figure in Dossier's and the SQLite reference's `go test
// -bench` output, and their ratio.
//
//	benchtable dossier.txt sqlite.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// figures are the rows of the table: a benchmark of the same name on
// both sides, and the most Dossier may take as a share of SQLite's time.
var figures = []struct {
	bench, what string
	target      float64
}{
	{"EVNLookup", "exact EVN lookup, decrypted", 0.5},
	{"FirstPage", "first page of 50, status by received date", 0.5},
	{"NamePrefix", "name-prefix search, 50 rows", 0.5},
	{"Verify", "one Verify committed durably (record, indexes, audit, outbox)", 0.5},
	{"OpenFirstPage", "open + first page", 0.5},
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: benchtable dossier.txt sqlite.txt")
		os.Exit(2)
	}
	dossier, err := read(os.Args[1])
	if err == nil {
		var sq map[string][]float64
		if sq, err = read(os.Args[2]); err == nil {
			os.Exit(table(dossier, sq))
		}
	}
	fmt.Fprintln(os.Stderr, "benchtable:", err)
	os.Exit(1)
}

// read collects the ns/op of every run of every benchmark in a file.
func read(path string) (map[string][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		for i := 2; i+1 < len(fields); i += 2 {
			if fields[i+1] == "ns/op" {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
				out[name] = append(out[name], v)
			}
		}
	}
	return out, sc.Err()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// table writes the table and returns 0, or 1 when a figure is missing.
func table(dossier, sq map[string][]float64) int {
	fmt.Println()
	fmt.Println("| figure | Dossier | SQLite | ratio | target | runs |")
	fmt.Println("|---|---|---|---|---|---|")
	code := 0
	for _, f := range figures {
		d, s := dossier[f.bench], sq[f.bench]
		if len(d) == 0 || len(s) == 0 {
			fmt.Printf("| %s | %s | %s | — | — | missing |\n", f.what, show(d), show(s))
			code = 1
			continue
		}
		dm, sm := median(d), median(s)
		share := dm / sm
		ratio := fmt.Sprintf("%.1f× faster", sm/dm)
		if dm > sm {
			ratio = fmt.Sprintf("**%.1f× slower**", dm/sm)
		}
		met := "met"
		if share > f.target {
			met = "not met"
		}
		fmt.Printf("| %s | %s | %s | %s (%.2f of SQLite's time) | ≤ %.2f: %s | %d + %d |\n",
			f.what, dur(dm), dur(sm), ratio, share, f.target, met, len(d), len(s))
	}
	fmt.Println()
	return code
}

func show(v []float64) string {
	if len(v) == 0 {
		return "—"
	}
	return dur(median(v))
}

// dur writes a median in the unit a reader expects.
func dur(ns float64) string {
	switch d := time.Duration(ns); {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	default:
		return fmt.Sprintf("%.2f s", ns/1e9)
	}
}
