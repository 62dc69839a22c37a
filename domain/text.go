package domain

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Invisible characters in what a person reads. Text pasted from a web
// page or a word processor brings control characters, direction marks
// and zero-width characters along; someone hostile adds them on purpose,
// so that "exe.fdp" shows as "pdf.exe" (U+202E) or two names that look
// the same are not. The cleaners take them out: stripping is kinder to
// pasted text than a refusal the person cannot see the reason for.

// textRune is what a character of free text becomes: kept, dropped, or a
// line break (kept in multi-line text, a space in a line).
type textRune int

const (
	keepRune textRune = iota
	dropRune
	breakRune
	spaceRune
)

// classify says what r becomes in text; name is true for names, where
// the zero-width joiners go too (they join letters in some scripts, but
// a name is typed on a form where they only hide a difference).
func classify(r rune, name bool) textRune {
	switch {
	case r == '\n', r == '\u2028', r == '\u2029', r == '\u0085':
		return breakRune
	case r == '\t':
		return spaceRune
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0 and C1 controls, DEL
		return dropRune
	case r == '\u061c', r == '\u200e', r == '\u200f', // direction marks
		r >= '\u202a' && r <= '\u202e',              // embeddings and overrides
		r >= '\u2066' && r <= '\u2069',              // isolates
		r == '\u200b', r == '\u2060', r == '\ufeff', // zero-width space, word joiner, BOM
		r == '\u00ad', r == '\u180e', // soft hyphen, Mongolian vowel separator
		r >= '\ufff9' && r <= '\ufffb', // interlinear annotations
		r == utf8.RuneError:
		return dropRune
	case r == '\u200c', r == '\u200d': // zero-width non-joiner and joiner
		if name {
			return dropRune
		}
	}
	return keepRune
}

// StripInvisible takes control, direction and zero-width characters out
// of text a person reads. Multi-line text keeps its line breaks (as \n;
// \r\n and a lone \r become \n) and its tabs; in a line they become
// spaces.
func StripInvisible(s string, multiline bool) string {
	return strip(s, multiline, false)
}

func strip(s string, multiline, name bool) string {
	clean := true
	for _, r := range s {
		if r == '\r' || classify(r, name) != keepRune {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if r == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				continue // the \n that follows is the break
			}
			r = '\n'
		}
		switch classify(r, name) {
		case keepRune:
			b.WriteRune(r)
		case breakRune:
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case spaceRune:
			if multiline {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// tooManyBytes reports whether s cannot hold at most max characters once
// cleaned, judged by its bytes alone: a cleaner refuses a 12 MB field
// without normalising it first. A character takes at most 4 bytes; the
// slack is for what cleaning removes (spaces, invisible characters).
func tooManyBytes(s string, max int) bool {
	return len(s) > 4*max+4096
}

// CleanStrings cleans every string held in the struct v points to, as a
// form's fields are saved: invisible characters taken out
// (StripInvisible; line breaks kept) and each at most max characters. It
// neither trims nor normalises, so that what a person is typing stays as
// typed. A string over max is refused with ErrTextTooLong and its path
// ("work[1].title", by JSON names).
func CleanStrings(v any, max int) error {
	return cleanValue(reflect.ValueOf(v), "", max, false)
}

// CheckStrings is CleanStrings for what may not be changed (a signed
// form: its signature covers the text as it is): a string holding an
// invisible character is refused with ErrTextCharacters and its path.
func CheckStrings(v any, max int) error {
	return cleanValue(reflect.ValueOf(v), "", max, true)
}

func cleanValue(v reflect.Value, path string, max int, check bool) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return cleanValue(v.Elem(), path, max, check)
	case reflect.String:
		s := v.String()
		if tooManyBytes(s, max) || utf8.RuneCountInString(s) > max {
			return FieldError(ErrTextTooLong, path, max)
		}
		if c := StripInvisible(s, true); c != s && check {
			return FieldError(ErrTextCharacters, path)
		} else if c != s && v.CanSet() {
			v.SetString(c)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" && !f.Anonymous {
				name = path + "." + name
			} else if f.Anonymous {
				name = path
			}
			if err := cleanValue(v.Field(i), name, max, check); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes (a scan, a key), not text
		}
		for i := range v.Len() {
			if err := cleanValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", max, check); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := cleanValue(it.Value(), path+"."+fmt.Sprint(it.Key().Interface()), max, check); err != nil {
				return err
			}
		}
	}
	return nil
}
