package report

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"unicode/utf16"

	"dossier/domain"
)

// Reading a document's text back from the PDF Dossier printed, as a
// reader sees it: line by line down each page, the pieces on one line
// left to right. The printing desk reads each document it prints so
// (its code vouches for these lines), and the Verify screen reads a PDF
// a person opens the same way; pdftotext -layout reads the same lines.
// It reads the PDFs this package writes — text shown with Tj or TJ in
// Identity-H fonts, streams plain or deflated — not every PDF: a PDF
// saved again by another program is one to verify by its words.

// ErrPDFText is a PDF whose text cannot be read: not one Dossier printed,
// or one changed since by another program.
var ErrPDFText = domain.NewCode("print.pdf.unreadable", domain.KindInvalid)

// maxPDFBytes is the largest PDF read: a list of 100,000 rows is less.
const maxPDFBytes = 64 << 20

var (
	kidsRE     = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Kids\s*\[([^\]]*)\]`)
	refRE      = regexp.MustCompile(`(\d+)\s+0\s+R`)
	contentsRE = regexp.MustCompile(`/Contents\s+(\d+)\s+0\s+R`)
	lengthRE   = regexp.MustCompile(`/Length\s+(\d+)`)
)

// PDFText is the text of a PDF Dossier printed: a line a line, pages
// separated by a form feed.
func PDFText(pdf []byte) (string, error) {
	if len(pdf) > maxPDFBytes {
		return "", domain.Errorf(ErrPDFText)
	}
	return readText(pdf)
}

// readText is PDFText of a PDF of any size.
func readText(pdf []byte) (string, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return "", domain.Errorf(ErrPDFText)
	}
	objs := map[int][]byte{}
	locs := objectStarts(pdf)
	for i, l := range locs {
		end := len(pdf)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		n, _ := strconv.Atoi(string(pdf[l[2]:l[3]]))
		objs[n] = pdf[l[1]:end]
	}
	var pages []int
	for _, o := range objs {
		if m := kidsRE.FindSubmatch(o); m != nil {
			for _, r := range refRE.FindAllSubmatch(m[1], -1) {
				n, _ := strconv.Atoi(string(r[1]))
				pages = append(pages, n)
			}
			break
		}
	}
	if len(pages) == 0 {
		return "", domain.Errorf(ErrPDFText)
	}
	return pagesText(len(pages), func(i int) ([]byte, error) { return pageContent(objs, pages[i]) })
}

// pagesText is the text of n pages, page i's content stream being
// content(i): a line a line, pages separated by a form feed. The pages
// are read on every core: a list of 100,000 rows has 2,600 of them, read
// as the desk prints it.
func pagesText(n int, content func(i int) ([]byte, error)) (string, error) {
	texts := make([]string, n)
	errs := make([]error, n)
	var next atomic.Int64
	var wg gosync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				c, err := content(i)
				if err != nil {
					errs[i] = err
					continue
				}
				var out strings.Builder
				for _, l := range pageLines(c) {
					out.WriteString(l)
					out.WriteString("\n")
				}
				texts[i] = out.String()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	return strings.Join(texts, "\f"), nil
}

// pageContent is the content stream of page object n, inflated.
func pageContent(objs map[int][]byte, n int) ([]byte, error) {
	m := contentsRE.FindSubmatch(objs[n])
	if m == nil {
		return nil, domain.Errorf(ErrPDFText)
	}
	c, _ := strconv.Atoi(string(m[1]))
	return streamOf(objs[c])
}

// objectStarts finds where each object of pdf begins, as the expression
// (?m)^(\d+) 0 obj\b does (its FindAllSubmatchIndex: the match's start and
// end, the number's start and end), without an expression: on a
// 100,000-row list, 30 MB scanned by the expression took a tenth of the
// reading (TestObjectStartsAsTheExpression).
func objectStarts(pdf []byte) [][4]int {
	var out [][4]int
	head := []byte(" 0 obj")
	for from := 0; ; {
		j := bytes.Index(pdf[from:], head)
		if j < 0 {
			return out
		}
		j += from
		from = j + 1
		end := j + len(head)
		if end < len(pdf) && isWordByte(pdf[end]) {
			continue
		}
		i := j
		for i > 0 && '0' <= pdf[i-1] && pdf[i-1] <= '9' {
			i--
		}
		if i == j || (i > 0 && pdf[i-1] != '\n') {
			continue
		}
		out = append(out, [4]int{i, end, i, j})
		from = end
	}
}

// isWordByte is a byte of \w, whose edge \b marks.
func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// streamOf is an object's stream, inflated.
func streamOf(obj []byte) ([]byte, error) {
	i := bytes.Index(obj, []byte("stream"))
	if i < 0 {
		return nil, domain.Errorf(ErrPDFText)
	}
	dict, data := obj[:i], obj[i+len("stream"):]
	data = bytes.TrimPrefix(bytes.TrimPrefix(data, []byte("\r")), []byte("\n"))
	if m := lengthRE.FindSubmatch(dict); m != nil {
		if n, _ := strconv.Atoi(string(m[1])); n <= len(data) {
			data = data[:n]
		}
	} else if j := bytes.Index(data, []byte("endstream")); j >= 0 {
		data = data[:j]
	}
	if !bytes.Contains(dict, []byte("/FlateDecode")) {
		return data, nil
	}
	r, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, domain.Wrap(ErrPDFText, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, 4*maxPDFBytes))
	if err != nil {
		return nil, domain.Wrap(ErrPDFText, err)
	}
	return b, nil
}

// piece is a string shown at x, y (PDF points, y up).
type piece struct {
	x, y float64
	text string
}

// lineTolerance is how far apart (in points) two pieces' baselines may
// be and still be read as one line.
const lineTolerance = 2.0

// pageLines reads the text a page's content shows, top to bottom, each
// line's pieces left to right, joined by a space.
func pageLines(content []byte) []string {
	pieces := showText(content)
	slices.SortStableFunc(pieces, func(a, b piece) int {
		if d := b.y - a.y; d > lineTolerance || d < -lineTolerance {
			return cmp.Compare(b.y, a.y)
		}
		return cmp.Compare(a.x, b.x)
	})
	var lines []string
	var cur []string
	lineY := 0.0
	for i, p := range pieces {
		if i > 0 && lineY-p.y > lineTolerance {
			lines = append(lines, strings.Join(cur, " "))
			cur = nil
		}
		if len(cur) == 0 {
			lineY = p.y
		}
		cur = append(cur, p.text)
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}

// showText reads the strings a content stream shows, where it shows
// them: BT, Td, Tm, Tj, TJ and ' are what the writer uses.
func showText(c []byte) []piece {
	var out []piece
	var operands [][]byte
	var x, y float64
	num := func(k int) float64 {
		if len(operands) < k {
			return 0
		}
		f, _ := strconv.ParseFloat(string(operands[len(operands)-k]), 64)
		return f
	}
	for i := 0; i < len(c); {
		switch ch := c[i]; {
		case ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t':
			i++
		case ch == '(':
			s, n := literal(c[i:])
			operands = append(operands, s)
			i += n
		case ch == '[':
			j := i + 1
			var s []byte
			for j < len(c) && c[j] != ']' {
				if c[j] == '(' {
					t, n := literal(c[j:])
					s = append(s, t...)
					j += n
					continue
				}
				j++
			}
			operands = append(operands, s)
			i = j + 1
		default:
			j := i
			for j < len(c) && !strings.ContainsRune(" \n\r\t([", rune(c[j])) {
				j++
			}
			if j == i {
				j++
			}
			tok := c[i:j]
			i = j
			if ch == '-' || ch == '.' || ch >= '0' && ch <= '9' || ch == '/' {
				operands = append(operands, tok)
				continue
			}
			switch string(tok) {
			case "BT":
				x, y = 0, 0
			case "Td", "TD":
				x, y = x+num(2), y+num(1)
			case "Tm":
				x, y = num(2), num(1)
			case "Tj", "TJ", "'":
				if len(operands) > 0 {
					if t := decodeUTF16(operands[len(operands)-1]); strings.TrimSpace(t) != "" {
						out = append(out, piece{x: x, y: y, text: t})
					}
				}
			}
			operands = operands[:0]
		}
	}
	return out
}

// literal reads a PDF string literal at the start of c: its bytes, and
// how many of c it took.
func literal(c []byte) ([]byte, int) {
	var s []byte
	depth := 0
	for i := 0; i < len(c); i++ {
		switch b := c[i]; b {
		case '\\':
			i++
			if i >= len(c) {
				return s, i
			}
			switch e := c[i]; e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v, k := 0, 0
				for ; k < 3 && i < len(c) && c[i] >= '0' && c[i] <= '7'; k++ {
					v = v*8 + int(c[i]-'0')
					i++
				}
				i--
				s = append(s, byte(v))
			default:
				s = append(s, e)
			}
		case '(':
			if depth > 0 {
				s = append(s, b)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return s, i + 1
			}
			s = append(s, b)
		default:
			s = append(s, b)
		}
	}
	return s, len(c)
}

// decodeUTF16 reads a string shown in an Identity-H font as the writer
// makes them: UTF-16BE, a code unit a glyph.
func decodeUTF16(b []byte) string {
	if len(b)%2 != 0 {
		return string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}
