package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Dossier's theme is Fyne's default with every colour used for text
// raised, where it falls short, to the WCAG AA contrast of 4.5:1 against
// every background the text sits on, in the light and the dark variant.
// Fyne's own light "disabled" grey, which low-importance labels use (the
// OINP tabs' status line), reads at 1.3:1 on white; its warning orange at
// 2.1:1.

// minContrast is WCAG AA for body text; raised colours aim a little above
// it, for the rounding of 8-bit channels.
const minContrast = 4.5

// textColours are the colour names Dossier's text is drawn in; each is
// read against textBackgrounds.
var textColours = []fyne.ThemeColorName{
	theme.ColorNameForeground, theme.ColorNameDisabled, theme.ColorNamePlaceHolder,
	theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess,
	theme.ColorNamePrimary, theme.ColorNameHyperlink,
}

// textBackgrounds are where text is drawn: the window, dialogs, fields,
// table headers, menus and buttons.
var textBackgrounds = []fyne.ThemeColorName{
	theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameInputBackground,
	theme.ColorNameHeaderBackground, theme.ColorNameMenuBackground, theme.ColorNameButton,
}

// onColours are text drawn on a coloured button: each pair is read too.
var onColours = map[fyne.ThemeColorName]fyne.ThemeColorName{
	theme.ColorNameForegroundOnPrimary: theme.ColorNamePrimary,
	theme.ColorNameForegroundOnError:   theme.ColorNameError,
	theme.ColorNameForegroundOnSuccess: theme.ColorNameSuccess,
	theme.ColorNameForegroundOnWarning: theme.ColorNameWarning,
}

// contrastTheme is Fyne's default theme with its text colours raised.
type contrastTheme struct{ fyne.Theme }

// Theme is Dossier's theme, for the app (cmd/dossier sets it).
func Theme() fyne.Theme { return contrastTheme{theme.DefaultTheme()} }

// Color is the default colour, raised when n is a colour of text that
// does not reach minContrast on one of its backgrounds; text on a
// coloured button takes the window's background or foreground colour
// when its own does not read on the raised button colour.
func (t contrastTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	c := t.Theme.Color(n, v)
	if under, ok := onColours[n]; ok {
		bg := t.Color(under, v)
		best := c
		for _, alt := range []color.Color{c, t.Theme.Color(theme.ColorNameBackground, v), color.White, color.Black} {
			if contrastRatio(alt, bg) >= minContrast {
				return alt
			}
			if contrastRatio(alt, bg) > contrastRatio(best, bg) {
				best = alt
			}
		}
		return best
	}
	for _, tn := range textColours {
		if tn != n {
			continue
		}
		bgs := make([]color.Color, 0, len(textBackgrounds))
		for _, b := range textBackgrounds {
			bgs = append(bgs, t.Theme.Color(b, v))
		}
		return raised(c, bgs, v)
	}
	return c
}

// raised moves c towards black (light variant) or white (dark) until it
// reaches minContrast on every background, keeping its hue as far as it
// can.
func raised(c color.Color, bgs []color.Color, v fyne.ThemeVariant) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	to := 0.0
	if v == theme.VariantDark {
		to = 255
	}
	out := n
	for step := 0; step <= 100; step++ {
		f := float64(step) / 100
		mix := func(x uint8) uint8 { return uint8(math.Round(float64(x)*(1-f) + to*f)) }
		out = color.NRGBA{R: mix(n.R), G: mix(n.G), B: mix(n.B), A: n.A}
		if worstContrast(out, bgs) >= minContrast+0.05 {
			break
		}
	}
	return out
}

// worstContrast is the lowest contrast of c against the backgrounds.
func worstContrast(c color.Color, bgs []color.Color) float64 {
	worst := math.Inf(1)
	for _, b := range bgs {
		worst = min(worst, contrastRatio(c, b))
	}
	return worst
}

// contrastRatio is the WCAG 2 contrast ratio of two colours, from 1 to
// 21; a translucent colour is taken as drawn over the other.
func contrastRatio(a, b color.Color) float64 {
	fg, bg := color.NRGBAModel.Convert(a).(color.NRGBA), color.NRGBAModel.Convert(b).(color.NRGBA)
	if fg.A < 255 {
		al := float64(fg.A) / 255
		blend := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*al + float64(y)*(1-al))) }
		fg = color.NRGBA{R: blend(fg.R, bg.R), G: blend(fg.G, bg.G), B: blend(fg.B, bg.B), A: 255}
	}
	l1, l2 := luminance(fg), luminance(bg)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// luminance is a colour's WCAG relative luminance.
func luminance(c color.NRGBA) float64 {
	ch := func(x uint8) float64 {
		s := float64(x) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}
