package assets

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Contact is one line of Contact Us: whom a person of the roles named
// asks about a program, how to reach them (empty when the program's
// documents do not say), and where the line comes from — each in English
// and French.
type Contact struct {
	Program string
	// Roles are role codes (account.Role.Code); "*" is every role.
	Roles  []string
	Label  map[string]string
	Value  map[string]string
	Source map[string]string
}

// For reports whether the line is for a person of role (its code).
func (c Contact) For(role string) bool {
	return slices.Contains(c.Roles, "*") || slices.Contains(c.Roles, role)
}

//go:embed contacts.csv
var contactsCSV []byte

var contacts = sync.OnceValue(func() []Contact {
	cs, err := ParseContacts(contactsCSV)
	if err != nil {
		panic("assets: contacts.csv: " + err.Error())
	}
	return cs
})

// Contacts are the lines of contacts.csv, parsed once.
func Contacts() []Contact { return contacts() }

// ParseContacts reads a contacts file (contacts.csv says its columns).
func ParseContacts(b []byte) ([]Contact, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "program,roles,label_en,label_fr,value_en,value_fr,source_en,source_fr" {
		return nil, fmt.Errorf("no header")
	}
	var out []Contact
	for i, row := range rows[1:] {
		if row[0] == "" || row[2] == "" || row[3] == "" || row[6] == "" || row[7] == "" {
			return nil, fmt.Errorf("line %d: a program, both labels and both sources are needed", i+2)
		}
		if (row[4] == "") != (row[5] == "") {
			return nil, fmt.Errorf("line %d: a value in one language only", i+2)
		}
		out = append(out, Contact{Program: row[0], Roles: strings.Split(row[1], ";"),
			Label:  map[string]string{"en": row[2], "fr": row[3]},
			Value:  map[string]string{"en": row[4], "fr": row[5]},
			Source: map[string]string{"en": row[6], "fr": row[7]}})
	}
	return out, nil
}
