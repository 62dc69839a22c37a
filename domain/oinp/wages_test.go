package oinp

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"dossier/domain"
)

func TestParseWages(t *testing.T) {
	jobBank := "\xef\xbb\xbfNOC_CNP,NOC_Title_eng,ER_Code_Code_RE,ER_Name_Nom_RE,Prov,Low_Wage_Salaire_Minium,Median_Wage_Salaire_Median,High_Wage_Salaire_Maximal\n" +
		"NOC_8431,General farm workers,3530,Toronto,ON,14.00,16.00,20.00\n" +
		"NOC_8431,General farm workers,3550,Kitchener--Waterloo--Barrie,ON,14.00,15.50,19.00\n" +
		"NOC_8431,General farm workers,5930,Lower Mainland--Southwest,BC,15.00,17.00,21.00\n" +
		"NOC_7611,Construction trades helpers,3530,Toronto,ON,15.00,N/A,25.00\n"
	ws, err := ParseWages([]byte(jobBank))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0] != (Wage{"8431", "Toronto", 16_00}) || ws[1].MedianCents != 15_50 {
		t.Fatalf("%+v", ws)
	}
	if got := WagesFor(ws, "8431"); len(got) != 2 {
		t.Fatalf("8431: %+v", got)
	}
	plain := "noc,region,median\n9462,Stratford--Bruce Peninsula,\"18,25\"\n"
	if ws, err := ParseWages([]byte(plain)); err != nil || ws[0].MedianCents != 18_25 {
		t.Fatalf("plain: %+v %v", ws, err)
	}
	for _, c := range []struct {
		name, in string
		code     domain.Code
	}{
		{"no median column", "noc,region\n8431,Toronto\n", ErrWagesColumns},
		{"a median in words", "noc,region,median\n8431,Toronto,sixteen\n", ErrWagesRow},
		{"a NOC of three digits", "noc,region,median\n843,Toronto,16\n", ErrWagesRow},
		{"nothing for Ontario", "noc,region,prov,median\n8431,Vancouver,BC,17\n", ErrWagesEmpty},
		{"empty", "", ErrWagesColumns},
	} {
		if _, err := ParseWages([]byte(c.in)); domain.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

// FuzzParseWages: no file makes the wage reader panic; it is refused with
// one of the wage file's codes, or read as Ontario medians of four-digit
// NOCs, in cents, which written back as a plain CSV read the same.
func FuzzParseWages(f *testing.F) {
	f.Add([]byte("noc,region,median\n8431,Toronto,16.00\n"))
	f.Add([]byte("NOC_CNP,ER_Name_Nom_RE,Prov,Median_Wage_Salaire_Median\nNOC_8431,Toronto,ON,\"1,000.00\"\n"))
	f.Add([]byte("\xef\xbb\xbfNOC_CNP,NOC_Title_eng,ER_Code_Code_RE,ER_Name_Nom_RE,Prov,Low_Wage_Salaire_Minium,Median_Wage_Salaire_Median\n" +
		"NOC_8431,General farm workers,3530,Toronto,ON,14.00,16.00\nNOC_7611,Helpers,3530,Toronto,ON,15.00,N/A\n" +
		"NOC_8431,General farm workers,5930,Lower Mainland--Southwest,BC,15.00,17.00\n"))
	f.Add([]byte("noc,region,median\n9462,\"Stratford, \"\"Bruce\"\" Peninsula\",\"$18,25\"\n"))
	f.Add([]byte("noc,region,median\n843,Toronto,16\n"))
	f.Add([]byte("noc,region,median\n8431,Toronto,999999999.99\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ws, err := ParseWages(b)
		if err != nil {
			if c := domain.ErrorCode(err); c != ErrWagesColumns && c != ErrWagesRow && c != ErrWagesEmpty {
				t.Fatalf("uncoded refusal: %v", err)
			}
			return
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write([]string{"noc", "region", "median"})
		for _, x := range ws {
			if len(x.NOC) != 4 || strings.Trim(x.NOC, "0123456789") != "" || x.MedianCents < 0 {
				t.Fatalf("read %+v", x)
			}
			w.Write([]string{x.NOC, x.Region, fmt.Sprintf("%d.%02d", x.MedianCents/100, x.MedianCents%100)})
		}
		w.Flush()
		back, err := ParseWages(out.Bytes())
		if err != nil || !slices.Equal(back, ws) {
			t.Fatalf("read %+v, written back as %q, read %+v %v", ws, out.Bytes(), back, err)
		}
	})
}
