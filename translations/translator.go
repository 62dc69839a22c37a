package translations

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"

	"dossier/domain"
)

// Lang is a language Dossier speaks.
type Lang string

// The languages.
const (
	English Lang = "en"
	French  Lang = "fr-CA"
)

// Langs lists the languages, English first.
var Langs = []Lang{English, French}

// ErrUnknownLang is returned for a language Dossier does not speak.
var ErrUnknownLang = errors.New("unknown language")

// ParseLang reads a language as flags and locales write it: en, en-CA,
// fr, fr-CA, fr_CA.UTF-8, FR.
func ParseLang(s string) (Lang, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	switch {
	case s == "fr" || strings.HasPrefix(s, "fr-") || strings.HasPrefix(s, "fr_"):
		return French, nil
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return English, nil
	}
	return English, fmt.Errorf("%w: %q", ErrUnknownLang, s)
}

// LangFromEnv picks the language from the locale variables, in the order
// POSIX gives them precedence; English when none names French.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" && s != "C" && s != "POSIX" {
			l, _ := ParseLang(s)
			return l
		}
	}
	return English
}

// Tag is the language's BCP 47 tag.
func (l Lang) Tag() language.Tag { return language.MustParse(string(l)) }

var cat = buildCatalog()

func buildCatalog() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for lang, msgs := range messages {
		tag := language.MustParse(lang)
		for key, text := range msgs {
			if err := b.SetString(tag, key, text); err != nil {
				panic(fmt.Sprintf("translations: %s %s: %v", lang, key, err))
			}
		}
	}
	for lang, msgs := range plurals {
		tag := language.MustParse(lang)
		for key, m := range msgs {
			cases := make([]any, len(m.Cases))
			for i, c := range m.Cases {
				cases[i] = c
			}
			if err := b.Set(tag, key, plural.Selectf(m.Arg, "%d", cases...)); err != nil {
				panic(fmt.Sprintf("translations: %s %s: %v", lang, key, err))
			}
		}
	}
	return b
}

// pluralMessage is a message whose words follow a count (argument Arg,
// from 1): its CLDR plural forms ("one", "other"…) each followed by its
// text. French counts 0 and 1 as "one", English only 1.
type pluralMessage struct {
	Arg   int
	Cases []string
}

// Translator renders messages, dates, numbers and money in one language.
// It is cheap to make and safe for concurrent use.
type Translator struct {
	lang Lang
	p    *message.Printer
}

// New returns the translator for lang.
func New(lang Lang) *Translator {
	if lang != French {
		lang = English
	}
	return &Translator{lang: lang, p: message.NewPrinter(lang.Tag(), message.Catalog(cat))}
}

// Lang is the translator's language.
func (t *Translator) Lang() Lang { return t.lang }

// Has reports whether the catalog has key in this language.
func (t *Translator) Has(key string) bool {
	if _, ok := messages[string(t.lang)][key]; ok {
		return true
	}
	_, ok := plurals[string(t.lang)][key]
	return ok
}

// MessageKeyer is a value that names its own translation: a status, a type,
// a role.
type MessageKeyer interface{ MessageKey() string }

// T renders the message key with args. Arguments that name their own
// translation (statuses, roles…), times and dates are rendered in the
// translator's language first; numbers are grouped the local way.
func (t *Translator) T(key string, args ...any) string {
	if len(args) == 0 {
		return t.p.Sprintf(key)
	}
	rendered := make([]any, len(args))
	for i, a := range args {
		rendered[i] = t.arg(a)
	}
	return t.p.Sprintf(key, rendered...)
}

func (t *Translator) arg(a any) any {
	switch v := a.(type) {
	case MessageKeyer:
		return t.T(v.MessageKey())
	case time.Time:
		return t.DateTime(v)
	case domain.Date:
		return t.Date(v)
	case domain.Money:
		return t.Money(int64(v))
	case domain.Decimal:
		return t.Decimal(v.Value, v.Places)
	case fmt.Stringer:
		return v.String()
	}
	return a
}

// Error is the sentence a person reads for err: the message of its code
// with its arguments, or the generic message for faults without one.
func (t *Translator) Error(err error) string {
	if err == nil {
		return ""
	}
	code := domain.ErrorCode(err)
	var args []any
	var e *domain.Error
	if errors.As(err, &e) {
		args = e.Args
	}
	key := code.MessageKey()
	if !t.Has(key) {
		return t.T(domain.ErrInternal.MessageKey())
	}
	return t.T(key, args...)
}

// Date is the long form of a day: "November 21, 2026", "21 novembre 2026"
// ("1er novembre" on the first).
func (t *Translator) Date(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	day := fmt.Sprint(d.Day)
	if d.Day == 1 {
		day = t.T("format.day.first")
	}
	return t.T("format.date.long", t.T(fmt.Sprintf("month.%d", int(d.Month))), day, fmt.Sprint(d.Year))
}

// ShortDate is the numeric form of a day, YYYY-MM-DD, which both official
// languages use in Canada.
func (t *Translator) ShortDate(d domain.Date) string { return d.String() }

// Time is the time of day, on the 24-hour clock: "14:05", "14 h 05".
func (t *Translator) Time(tm time.Time) string {
	return t.T("format.time", fmt.Sprintf("%02d", tm.Hour()), fmt.Sprintf("%02d", tm.Minute()))
}

// DateTime is a moment in the local time zone: the long date and the time.
func (t *Translator) DateTime(tm time.Time) string {
	if tm.IsZero() {
		return ""
	}
	tm = tm.Local()
	return t.T("format.datetime", t.Date(domain.DateOf(tm)), t.Time(tm))
}

// Number groups an integer's digits the local way: 1,000 or 1 000.
func (t *Translator) Number(n int) string { return t.p.Sprint(n) }

// Decimal writes x with the given number of decimals, the local way:
// 12.5 or 12,5.
func (t *Translator) Decimal(x float64, places int) string {
	return t.p.Sprint(number.Decimal(x, number.Scale(places)))
}

// Money writes an amount of dollars given in cents: "$2,000.00",
// "2 000,00 $". The number comes from x/text; the symbol's place comes
// from the catalog, since x/text puts it first in every language.
func (t *Translator) Money(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	amount := t.p.Sprint(number.Decimal(float64(cents)/100, number.Scale(2)))
	s := t.T("format.money", amount)
	if neg {
		s = "-" + s
	}
	return s
}

// Collator orders strings the way the language does: French-Canadian rules
// (accents compared from the end of the word) in French. A Collator is not
// safe for concurrent use; make one per goroutine.
func (t *Translator) Collator() *collate.Collator {
	if t.lang == French {
		return collate.New(language.MustParse("fr-CA-u-kb-true"))
	}
	return collate.New(language.English)
}
