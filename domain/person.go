package domain

import (
	"strings"
	gosync "sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Codes for what a person types about themselves.
var (
	ErrNameRequired    = NewCode("name.required", KindInvalid)
	ErrNameTooLong     = NewCode("name.too-long", KindInvalid)
	ErrNameCharacters  = NewCode("name.characters", KindInvalid)
	ErrClientIDFormat  = NewCode("client-id.format", KindInvalid)
	ErrDateFormat      = NewCode("date.format", KindInvalid)
	ErrBirthInFuture   = NewCode("birth-date.future", KindInvalid)
	ErrBirthTooLongAgo = NewCode("birth-date.too-old", KindInvalid)
	ErrBirthTooRecent  = NewCode("birth-date.too-recent", KindInvalid)
	ErrEmailFormat     = NewCode("email.format", KindInvalid)
	ErrEmailTooLong    = NewCode("email.too-long", KindInvalid)
	ErrTextTooLong     = NewCode("text.too-long", KindInvalid)
	ErrListTooLong     = NewCode("list.too-long", KindInvalid)
	ErrTextCharacters  = NewCode("text.characters", KindInvalid)
	ErrRequired        = NewCode("required", KindInvalid)
)

// MaxNameLength is the longest name accepted, in characters. IRCC forms allow
// 100 characters for each name field.
const MaxNameLength = 100

// MaxTextLength is the longest free text (a reason, a message, an
// explanation) accepted where no rule sets its own, in characters: a
// long page.
const MaxTextLength = 2000

// MaxEmailLength is the longest e-mail address accepted, in bytes: the
// most an address can be and still be delivered (RFC 5321, 4.5.3.1.3).
const MaxEmailLength = 254

// CleanName takes invisible characters out of a name (control,
// direction and zero-width characters: StripInvisible), trims it and
// collapses runs of spaces, then checks it: letters of any script,
// spaces, hyphens, apostrophes (straight or typographic) and periods, at
// most MaxNameLength. A required name may not be empty. It returns the
// cleaned name.
func CleanName(field, s string, required bool) (string, error) {
	if tooManyBytes(s, MaxNameLength) {
		return "", FieldError(ErrNameTooLong, field, MaxNameLength)
	}
	s = strings.Join(strings.Fields(norm.NFC.String(strip(s, false, true))), " ")
	if s == "" {
		if required {
			return "", FieldError(ErrNameRequired, field)
		}
		return "", nil
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", FieldError(ErrNameTooLong, field, MaxNameLength)
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.Is(unicode.Mn, r):
		case r == ' ', r == '-', r == '\'', r == '’', r == '.':
		default:
			return "", FieldError(ErrNameCharacters, field, string(r))
		}
	}
	return s, nil
}

// FoldName is the search form of a name: accents removed, lower case,
// punctuation turned to spaces, spaces collapsed. "Élodie Côté-Lévesque"
// folds to "elodie cote levesque", so a search for "cote" finds it.
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		var f foldedRune
		if r < utf8.RuneSelf {
			// ASCII, the common case, without the cache.
			switch {
			case 'A' <= r && r <= 'Z':
				f = foldedRune{text: string(r + 'a' - 'A')}
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				f = foldedRune{text: string(r)}
			}
		} else {
			f = foldRune(r)
		}
		switch {
		case f.drop:
		case f.text == "":
			if !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			b.WriteString(f.text)
			space = false
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// foldedRune is what one character becomes in a folded name: text, nothing
// (drop: a combining accent), or a word break (empty text).
type foldedRune struct {
	text string
	drop bool
}

// foldCache remembers how each non-ASCII character folds: decomposing
// with x/text for every character of every name searched would cost more
// than the search.
var foldCache gosync.Map

func foldRune(r rune) foldedRune {
	if v, ok := foldCache.Load(r); ok {
		return v.(foldedRune)
	}
	var f foldedRune
	switch {
	case unicode.Is(unicode.Mn, r):
		f.drop = true
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		base, _, err := transform.String(t, string(unicode.ToLower(r)))
		if err != nil {
			base = string(unicode.ToLower(r))
		}
		var b strings.Builder
		for _, x := range base {
			b.WriteString(foldLetter(x))
		}
		f.text = b.String()
	}
	foldCache.Store(r, f)
	return f
}

// foldLetter spells the letters that do not decompose (œ, æ, ß, ø, ł) the
// way people type them on an English keyboard.
func foldLetter(r rune) string {
	switch r {
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	case 'ß':
		return "ss"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ':
		return "d"
	}
	return string(r)
}

// NameTokens splits a folded name into its words.
func NameTokens(folded string) []string { return strings.Fields(folded) }

// ClientID is an IRCC client identifier: 8 or 10 digits [004 §4.2.5]. The
// value holds the digits only.
type ClientID string

// ParseClientID reads a client ID as people write it: 0000-0000 or
// 00-0000-0000, with or without the dashes, spaces allowed between groups.
func ParseClientID(s string) (ClientID, error) {
	digits := make([]byte, 0, 10)
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '-' || r == ' ' || r == '\u2011' || r == '\u2013':
		default:
			return "", FieldError(ErrClientIDFormat, "clientID")
		}
	}
	if len(digits) != 8 && len(digits) != 10 {
		return "", FieldError(ErrClientIDFormat, "clientID")
	}
	return ClientID(digits), nil
}

// String writes the ID the way IRCC prints it: 0000-0000 or 00-0000-0000.
func (c ClientID) String() string {
	switch len(c) {
	case 8:
		return string(c[:4]) + "-" + string(c[4:])
	case 10:
		return string(c[:2]) + "-" + string(c[2:6]) + "-" + string(c[6:])
	}
	return string(c)
}

// Date is a calendar day with no time of day or zone: a date of birth, a
// deadline. The zero Date is unset.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD and refuses days that do not exist (2023-02-30).
func ParseDate(field, s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, FieldError(ErrDateFormat, field)
	}
	return DateOf(t), nil
}

// DateOf is the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight UTC at the start of the day.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String is the ISO form, YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2006-01-02")
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// AddDays is the day n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Days counts the days since 1970-01-01 (negative before), for compact
// storage and index keys.
func (d Date) Days() int32 { return int32(d.Time().Unix() / 86400) }

// DateFromDays is the inverse of Days.
func DateFromDays(n int32) Date { return DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

// Birth-date limits: a person is younger than MaxAge years, and at least
// MinAge years old (no one younger studies at a participating school or
// applies to a nominee program).
const (
	MaxAge = 120
	MinAge = 12
)

// CheckBirthDate refuses a birth date in the future, more than MaxAge years
// ago, or fewer than MinAge years before today.
func CheckBirthDate(field string, d Date, today Date) error {
	switch {
	case d.IsZero():
		return FieldError(ErrRequired, field)
	case today.Before(d):
		return FieldError(ErrBirthInFuture, field)
	case d.Before(today.AddYears(-MaxAge)):
		return FieldError(ErrBirthTooLongAgo, field, MaxAge)
	case today.AddYears(-MinAge).Before(d):
		return FieldError(ErrBirthTooRecent, field, MinAge)
	}
	return nil
}

// AddYears is the same day n years later; 29 February becomes 28 February
// in a common year.
func (d Date) AddYears(n int) Date {
	y := d.Year + n
	day := d.Day
	if d.Month == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return Date{y, d.Month, day}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// CleanEmail trims an e-mail address and checks its shape: at most
// MaxEmailLength, one @, a local part, and a domain with a dot, and no
// control, direction or zero-width character (refused, not stripped: an
// address is copied, not read, and one changed silently would go astray).
// Deliverability is not ours to judge.
func CleanEmail(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > MaxEmailLength {
		return "", FieldError(ErrEmailTooLong, field, MaxEmailLength)
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t\r\n<>,;\"") || StripInvisible(s, false) != s ||
		!utf8.ValidString(s) {
		return "", FieldError(ErrEmailFormat, field)
	}
	host := s[at+1:]
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") {
		return "", FieldError(ErrEmailFormat, field)
	}
	return s, nil
}

// CleanText takes invisible characters out of free text (a reason, a
// note: StripInvisible, line breaks and tabs kept), trims it and bounds
// its length to max characters.
func CleanText(field, s string, max int, required bool) (string, error) {
	if tooManyBytes(s, max) {
		return "", FieldError(ErrTextTooLong, field, max)
	}
	s = strings.TrimSpace(norm.NFC.String(StripInvisible(s, true)))
	if s == "" && required {
		return "", FieldError(ErrRequired, field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", FieldError(ErrTextTooLong, field, max)
	}
	return s, nil
}

// MarshalText writes YYYY-MM-DD (empty when unset).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate("date", string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// CleanLine is CleanText for text on one line (a business's name, a
// subject): line breaks and tabs become spaces, and runs of spaces one.
func CleanLine(field, s string, max int, required bool) (string, error) {
	if tooManyBytes(s, max) {
		return "", FieldError(ErrTextTooLong, field, max)
	}
	return CleanText(field, strings.Join(strings.Fields(StripInvisible(s, false)), " "), max, required)
}
