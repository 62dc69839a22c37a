package ui

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TestContrastRatio checks the WCAG formula on known pairs.
func TestContrastRatio(t *testing.T) {
	for _, c := range []struct {
		a, b color.Color
		want float64
	}{
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}, color.White, 4.54},
		{color.NRGBA{R: 0xe3, G: 0xe3, B: 0xe3, A: 0xff}, color.White, 1.28},
	} {
		if got := contrastRatio(c.a, c.b); fmt.Sprintf("%.2f", got) != fmt.Sprintf("%.2f", c.want) {
			t.Errorf("contrast of %v on %v: %.2f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// TestThemeTextContrast: every colour Dossier draws text in reads at
// least 4.5:1 on every background it is drawn on, in the light and the
// dark variant; and so does the text on coloured buttons. Fyne's own
// default fails (its light "disabled" grey is 1.3:1), which the test
// checks too, so that it cannot pass by comparing nothing.
func TestThemeTextContrast(t *testing.T) {
	th := Theme()
	def := theme.DefaultTheme()
	failedDefault := 0
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, n := range textColours {
			for _, b := range textBackgrounds {
				if r := contrastRatio(th.Color(n, v), th.Color(b, v)); r < minContrast {
					t.Errorf("variant %d: %s on %s is %.2f:1", v, n, b, r)
				}
				if contrastRatio(def.Color(n, v), def.Color(b, v)) < minContrast {
					failedDefault++
				}
			}
		}
		for on, under := range onColours {
			if r := contrastRatio(th.Color(on, v), th.Color(under, v)); r < minContrast {
				t.Errorf("variant %d: %s on %s is %.2f:1", v, on, under, r)
			}
		}
	}
	if failedDefault == 0 {
		t.Fatal("Fyne's default theme passes: the test compares nothing")
	}
	if got := contrastRatio(th.Color(theme.ColorNameDisabled, theme.VariantLight), color.White); got < minContrast {
		t.Fatalf("the OINP status line's colour: %.2f:1", got)
	}
}
