package report

import (
	"iter"
)

// column is one column of a table: its heading (a catalog key), its
// share of the body's width and its alignment ("L", "R", "C").
type column struct {
	head  string
	share float64
	align string
}

// table lays out rows under headings that repeat at the top of every
// page. A cell too long for its column wraps within it rather than run
// into its neighbour; only headings are cut, with an ellipsis.
type table struct {
	p      *page
	cols   []column
	widths []float64
}

const rowH = 5.0

func newTable(p *page, cols ...column) *table {
	t := &table{p: p, cols: cols}
	total := 0.0
	for _, c := range cols {
		total += c.share
	}
	for _, c := range cols {
		t.widths = append(t.widths, bodyW*c.share/total)
	}
	return t
}

// head writes the headings, and has them repeat on each new page.
func (t *table) head() {
	t.p.onNewPage = t.writeHead
	if t.p.pdf.GetY() > 250 {
		t.p.pdf.AddPage() // the header func writes the headings
		return
	}
	t.writeHead()
}

func (t *table) writeHead() {
	pdf := t.p.pdf
	pdf.SetFont("noto", "B", 8)
	pdf.SetFillColor(225, 225, 225)
	for i, c := range t.cols {
		pdf.CellFormat(t.widths[i], rowH+0.6, t.fit(t.p.tr.T(c.head), t.widths[i]), "B", 0, c.align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("noto", "", 8)
}

// row writes one row of cells, on one line when every cell fits its
// column, wrapped onto more lines when one does not: nothing is cut.
func (t *table) row(cells ...string) {
	pdf := t.p.pdf
	for i := range t.cols {
		if pdf.GetStringWidth(cells[i]) > t.widths[i]-2*pdf.GetCellMargin() {
			t.wrapRow(cells...)
			return
		}
	}
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+rowH > pageH-20 {
		pdf.AddPage()
	}
	for i, c := range t.cols {
		pdf.CellFormat(t.widths[i], rowH, cells[i], "", 0, c.align, false, 0, "")
	}
	pdf.Ln(-1)
}

// wrapRow writes one row whose cells wrap onto as many lines as the
// longest needs, for tables of a few rows with long words in them.
func (t *table) wrapRow(cells ...string) {
	pdf := t.p.pdf
	const lh = 3.9
	lines := 1
	split := make([][]string, len(cells))
	for i, c := range cells {
		split[i] = pdf.SplitText(c, t.widths[i]-2*pdf.GetCellMargin())
		lines = max(lines, len(split[i]))
	}
	h := float64(lines)*lh + 1.2
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+h > pageH-20 {
		pdf.AddPage()
	}
	x, y := pdf.GetXY()
	for i, c := range t.cols {
		pdf.SetXY(x, y+0.6)
		for _, l := range split[i] {
			pdf.CellFormat(t.widths[i], lh, l, "", 2, c.align, false, 0, "")
		}
		x += t.widths[i]
	}
	pdf.SetXY(margin, y+h)
}

// rows writes every row of seq, telling the page's progress as it goes;
// n is how many to expect (0 when unknown).
func (t *table) rows(seq iter.Seq[[]string], n int) int {
	i := 0
	for cells := range seq {
		t.row(cells...)
		i++
		if t.p.progress != nil && n > 0 && i%500 == 0 {
			t.p.progress(float64(i) / float64(n))
		}
	}
	t.p.onNewPage = nil
	return i
}

// fit cuts s to width w (less the cell's padding) with an ellipsis.
func (t *table) fit(s string, w float64) string {
	pdf := t.p.pdf
	avail := w - 2*pdf.GetCellMargin()
	if pdf.GetStringWidth(s) <= avail {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"…") > avail {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
