package domain

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestClientID(t *testing.T) {
	good := map[string]string{
		"1234-5678": "1234-5678", "12345678": "1234-5678", " 1234 5678 ": "1234-5678",
		"12-3456-7890": "12-3456-7890", "1234567890": "12-3456-7890",
	}
	for in, want := range good {
		c, err := ParseClientID(in)
		if err != nil || c.String() != want {
			t.Errorf("ParseClientID(%q) = %q, %v; want %q", in, c, err, want)
		}
	}
	for _, bad := range []string{"", "1234-567", "123456789", "12345678901", "1234-567X", "１２３４５６７８"} {
		if _, err := ParseClientID(bad); !errors.Is(err, ErrClientIDFormat) {
			t.Errorf("ParseClientID(%q): %v", bad, err)
		}
	}
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"Élodie Côté":          "elodie cote",
		"  CÔTÉ-Lévesque ":     "cote levesque",
		"O’Brien":              "o brien",
		"Œuvray":               "oeuvray",
		"Nguyễn Thị Minh Khai": "nguyen thi minh khai",
		"Łukasz Søren":         "lukasz soren",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanName(t *testing.T) {
	got, err := CleanName("f", "  Marie-Ève   d’Aubigné ", true)
	if err != nil || got != "Marie-Ève d’Aubigné" {
		t.Fatalf("got %q %v", got, err)
	}
	if _, err := CleanName("f", string(bytes.Repeat([]byte("a"), 101)), true); !errors.Is(err, ErrNameTooLong) {
		t.Fatalf("long name: %v", err)
	}
}

func TestBirthDateLeapDay(t *testing.T) {
	today := Date{2026, time.February, 28}
	if err := CheckBirthDate("b", Date{2014, time.February, 28}, today); err != nil {
		t.Fatalf("12 years today: %v", err)
	}
	if err := CheckBirthDate("b", Date{2014, time.March, 1}, today); !errors.Is(err, ErrBirthTooRecent) {
		t.Fatalf("12 years tomorrow: %v", err)
	}
	if _, err := ParseDate("b", "2023-02-30"); !errors.Is(err, ErrDateFormat) {
		t.Fatalf("30 February: %v", err)
	}
}

func TestIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := randReader{rng}
	var ids []ID
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i++ {
		id, err := NewID(base.Add(time.Duration(i)*time.Millisecond), r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseID(id.String())
		if err != nil || back != id {
			t.Fatalf("round trip %s: %v %v", id, back, err)
		}
		if !id.Time().Equal(base.Add(time.Duration(i) * time.Millisecond)) {
			t.Fatalf("time %v", id.Time())
		}
		ids = append(ids, id)
	}
	texts := make([]string, len(ids))
	for i, id := range ids {
		texts[i] = id.String()
	}
	if !sort.StringsAreSorted(texts) {
		t.Fatal("text forms do not sort in time order")
	}
	if _, err := ParseID("not an id"); !errors.Is(err, ErrBadID) {
		t.Fatal(err)
	}
}

type randReader struct{ r *rand.Rand }

func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}

func TestErrorMatching(t *testing.T) {
	err := error(FieldError(ErrClientIDFormat, "clientID"))
	wrapped := errors.Join(errors.New("ctx"), err)
	if !errors.Is(wrapped, ErrClientIDFormat) || ErrorCode(wrapped) != ErrClientIDFormat {
		t.Fatal("code lost through wrapping")
	}
	if ErrorCode(errors.New("plain")) != ErrInternal {
		t.Fatal("plain errors must be internal")
	}
}

func TestFoldNameDecomposedInput(t *testing.T) {
	// A name typed on a system that sends accents as combining marks folds
	// like the precomposed one.
	if got := FoldName("Co\u0302te\u0301"); got != "cote" {
		t.Fatalf("got %q", got)
	}
}

func BenchmarkFoldName(b *testing.B) {
	for range b.N {
		FoldName("Marie-Ève Larivière-Côté")
	}
}
