package domain

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestCleanersInvisible: the characters that hide or reorder text are
// taken out of names and free text, and refused in e-mail addresses.
func TestCleanersInvisible(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"right-to-left override", "Marie\u202eeiraM", "MarieeiraM"},
		{"isolates and marks", "\u2067Ali\u2069 \u200fBen\u200e", "Ali Ben"},
		{"zero-width", "Jo\u200bhn\u200d\u200c\ufeff", "John"},
		{"controls", "Ann\x00e\x1b\x7f\u0085\u009b", "Anne"},
		{"tabs and breaks", "Anne\tMarie\nRoy", "Anne Marie Roy"},
		{"Arabic letter mark", "Ali\u061c", "Ali"},
	} {
		got, err := CleanName("name", tt.in, true)
		if err != nil || got != tt.want {
			t.Errorf("%s: CleanName(%q) = %q, %v; want %q", tt.name, tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		name, in, want string
	}{
		{"lines kept", "first\r\nsecond\rthird\u2028fourth", "first\nsecond\nthird\nfourth"},
		{"tab kept", "a\tb", "a\tb"},
		{"override gone", "pay to \u202emoc.live\u202c now", "pay to moc.live now"},
		{"escape sequence", "\x1b[2J\x1b[31mred", "[2J[31mred"},
		{"joiners kept in text", "می\u200cخواهم", "می\u200cخواهم"},
	} {
		got, err := CleanText("note", tt.in, 100, false)
		if err != nil || got != tt.want {
			t.Errorf("%s: CleanText(%q) = %q, %v; want %q", tt.name, tt.in, got, err, tt.want)
		}
	}
	if got, err := CleanLine("name", " Les\nSerres\t\u202eCôté ", 100, true); err != nil || got != "Les Serres Côté" {
		t.Errorf("CleanLine = %q, %v", got, err)
	}
	for _, in := range []string{"a\u202e@example.ca", "a\x00b@example.ca", "ab@exa\u200bmple.ca", "a@example.ca\u2066"} {
		if _, err := CleanEmail("email", in); ErrorCode(err) != ErrEmailFormat {
			t.Errorf("CleanEmail(%q): %v", in, err)
		}
	}
}

// TestCleanersLength: each cleaner has its bound, refused with its code
// and the bound; a huge input is refused before it is normalised.
func TestCleanersLength(t *testing.T) {
	name := strings.Repeat("é", MaxNameLength)
	if got, err := CleanName("givenNames", name, true); err != nil || got != name {
		t.Fatalf("100 characters: %v", err)
	}
	for _, in := range []string{name + "x", strings.Repeat("a", 12<<20)} {
		var e *Error
		if _, err := CleanName("givenNames", in, true); !errors.As(err, &e) || e.Code != ErrNameTooLong ||
			e.Field != "givenNames" || len(e.Args) != 1 || e.Args[0] != MaxNameLength {
			t.Fatalf("%d bytes: %v", len(in), err)
		}
	}
	// Invisible characters do not count: 100 letters with a mark each
	// between them are a name of 100.
	if _, err := CleanName("n", strings.Repeat("a\u200e", MaxNameLength), true); err != nil {
		t.Fatalf("marks counted: %v", err)
	}
	local := strings.Repeat("a", 64)
	ok := local + "@" + strings.Repeat("b", MaxEmailLength-len(local)-4) + ".ca"
	if _, err := CleanEmail("email", ok); err != nil {
		t.Fatalf("%d bytes: %v", len(ok), err)
	}
	if _, err := CleanEmail("email", "x"+ok); ErrorCode(err) != ErrEmailTooLong {
		t.Fatalf("%d bytes: %v", len(ok)+1, err)
	}
	if _, err := CleanText("reason", strings.Repeat("a", 2001), MaxTextLength, true); ErrorCode(err) != ErrTextTooLong {
		t.Fatalf("2,001: %v", err)
	}
	if _, err := CleanText("reason", strings.Repeat("\u202e", 12<<20), MaxTextLength, true); ErrorCode(err) != ErrTextTooLong {
		t.Fatalf("12 MB: %v", err)
	}
}

// TestCleanStrings: every string of a form is stripped and bounded, bytes
// are left alone, and the path of a field too long is named.
func TestCleanStrings(t *testing.T) {
	type item struct {
		Title string `json:"title"`
	}
	type form struct {
		Name  string            `json:"name"`
		Items []item            `json:"items"`
		Ptr   *item             `json:"ptr"`
		Raw   []byte            `json:"raw"`
		Notes map[string]string `json:"notes"`
		skip  string
	}
	f := form{Name: "A\u202eB", Items: []item{{"x"}, {"y\x00\u2066z"}}, Ptr: &item{"p\u200bq"}, Raw: []byte{0, 1},
		skip: "\u202e"}
	if err := CleanStrings(&f, 10); err != nil {
		t.Fatal(err)
	}
	if f.Name != "AB" || f.Items[1].Title != "yz" || f.Ptr.Title != "pq" || f.Raw[0] != 0 || f.skip != "\u202e" {
		t.Fatalf("%+v", f)
	}
	f.Items[1].Title = strings.Repeat("é", 11)
	var e *Error
	if err := CleanStrings(&f, 10); !errors.As(err, &e) || e.Code != ErrTextTooLong || e.Field != "items[1].title" {
		t.Fatalf("%v", err)
	}
	f.Items[1].Title = "signed\u202e"
	if err := CheckStrings(&f, 10); !errors.As(err, &e) || e.Code != ErrTextCharacters || e.Field != "items[1].title" ||
		f.Items[1].Title != "signed\u202e" {
		t.Fatalf("check: %v", err)
	}
	f.Items[1].Title = ""
	if err := CheckStrings(&f, 10); err != nil {
		t.Fatalf("check clean: %v", err)
	}
	f.Notes = map[string]string{"k": strings.Repeat("a", 11)}
	if err := CleanStrings(&f, 10); !errors.As(err, &e) || e.Field != "notes.k" {
		t.Fatalf("map: %v", err)
	}
}

// FuzzStripInvisible: what StripInvisible leaves has no control character
// but the line breaks and tabs of multi-line text, no direction or
// zero-width character, and stripping it again changes nothing.
func FuzzStripInvisible(f *testing.F) {
	for _, s := range []string{"", "plain", "a\u202eb", "\r\n\r", "\u2066\u2069\u061c\u200e", "\x00\x9f\x7f", "\xff\xfe", "a\u200db"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		out := StripInvisible(s, multiline)
		if again := StripInvisible(out, multiline); again != out {
			t.Fatalf("%q → %q → %q", s, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("%q → %q: not UTF-8", s, out)
		}
		for _, r := range out {
			switch {
			case multiline && (r == '\n' || r == '\t'):
			case unicode.IsControl(r):
				t.Fatalf("%q → %q holds %U", s, out, r)
			case unicode.Is(unicode.Bidi_Control, r), r == '\u200b', r == '\ufeff', r == '\u2060':
				t.Fatalf("%q → %q holds %U", s, out, r)
			}
		}
		if utf8.RuneCountInString(out) > utf8.RuneCountInString(s) {
			t.Fatalf("%q → %q grew", s, out)
		}
	})
}
