// Package fields reads a form as its fields, each by a path, and writes
// changes to fields back: what two desks that typed into one form merge
// field by field.
//
// A path names a leaf of the form's JSON: object keys joined by dots
// ("contact.residence.city"). The items of a repeated section are named
// by their identity, not their place ("work[01J…].noc"), so that two
// desks adding different items keep both and a removed item never shifts
// another's fields; the item itself is the path "work[01J…]", whose value
// is Present while it exists. A field's value is its JSON text; an empty
// field (the zero value, which the form leaves out) has no value.
package fields

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Present is the value of an item's own path while the item exists.
const Present = "+"

// Sections names the repeated sections of a form, by the path of the list,
// and how each tells its items apart: the identity of an item ("" for an
// item that has none, which is then read as part of the list's own value).
type Sections map[string]func(item map[string]any) string

// ByID tells items apart by their "id" field.
func ByID(item map[string]any) string {
	id, _ := item["id"].(string)
	return id
}

// Form is a form read as a JSON tree, ready to read or change by path.
type Form struct {
	tree     map[string]any
	sections Sections
}

// Read reads v (a struct that marshals to a JSON object) as a Form.
func Read(v any, sections Sections) (*Form, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("read form: %w", err)
	}
	f := &Form{tree: map[string]any{}, sections: sections}
	if err := json.Unmarshal(b, &f.tree); err != nil {
		return nil, fmt.Errorf("read form: %w", err)
	}
	return f, nil
}

// Write writes the form back into v.
func (f *Form) Write(v any) error {
	b, err := json.Marshal(f.tree)
	if err != nil {
		return fmt.Errorf("write form: %w", err)
	}
	return json.Unmarshal(b, v)
}

// Drop leaves the top-level keys out of the form: what is not the form's
// to change (a file's number, its payment).
func (f *Form) Drop(keys ...string) {
	for _, k := range keys {
		delete(f.tree, k)
	}
}

// Values is the form's fields by path: every field that is not empty,
// and every item of a repeated section (Present).
func (f *Form) Values() map[string]string {
	out := map[string]string{}
	f.walk("", f.tree, out)
	return out
}

func (f *Form) walk(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			f.walk(join(prefix, k), c, out)
		}
		return
	case []any:
		if key, ok := f.sections[sectionOf(prefix)]; ok && itemsNamed(x, key) {
			for _, c := range x {
				item := c.(map[string]any)
				p := prefix + "[" + key(item) + "]"
				out[p] = Present
				f.walk(p, item, out)
			}
			return
		}
	}
	if text := leafText(v); text != "" {
		out[prefix] = text
	}
}

// itemsNamed reports whether every item of a list is an object with an
// identity; a list that is not is one field.
func itemsNamed(items []any, key func(map[string]any) string) bool {
	for _, c := range items {
		item, ok := c.(map[string]any)
		if !ok || key(item) == "" {
			return false
		}
	}
	return len(items) > 0
}

// leafText is a leaf's JSON text, "" for an empty one.
func leafText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	switch string(b) {
	case `""`, "0", "false", "null", "[]", "{}":
		return ""
	}
	return string(b)
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// Edit is one field changed: its new value ("" empties it), or, for an
// item of a repeated section, the item added (Present) or removed.
type Edit struct {
	Path    string `json:"path"`
	Value   string `json:"value,omitempty"`
	Removed bool   `json:"removed,omitempty"`
}

// Diff is what changed from base to next, field by field, in an order
// that applies: items added first (parents before their fields), then
// fields, then items removed. A field of a removed item is not listed.
func Diff(base, next map[string]string) []Edit {
	var adds, sets, removes []Edit
	for p, v := range next {
		if base[p] == v {
			continue
		}
		if v == Present {
			adds = append(adds, Edit{Path: p, Value: v})
		} else {
			sets = append(sets, Edit{Path: p, Value: v})
		}
	}
	for p, v := range base {
		if _, ok := next[p]; ok {
			continue
		}
		if v == Present {
			removes = append(removes, Edit{Path: p, Removed: true})
		} else if _, gone := removedItem(p, next, base); !gone {
			sets = append(sets, Edit{Path: p})
		}
	}
	for _, es := range [][]Edit{adds, sets, removes} {
		sort.Slice(es, func(i, j int) bool { return es[i].Path < es[j].Path })
	}
	return append(append(adds, sets...), removes...)
}

// removedItem is the item a field belongs to when that item is in base but
// not in next.
func removedItem(p string, next, base map[string]string) (string, bool) {
	for item := range Items(p) {
		if base[item] == Present && next[item] != Present {
			return item, true
		}
	}
	return "", false
}

// Items yields the paths of the items a path lies in, outermost first:
// "a[x].b[y].c" yields "a[x]" then "a[x].b[y]".
func Items(p string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(p); i++ {
			if p[i] == ']' && i+1 < len(p) {
				if !yield(p[:i+1]) {
					return
				}
			}
		}
	}
}

// IsItem reports whether p names an item of a repeated section.
func IsItem(p string) bool { return strings.HasSuffix(p, "]") }

// Item reads the item at path p as JSON, nil when there is none.
func (f *Form) Item(p string) json.RawMessage {
	l, ok := f.list(p, false)
	if !ok {
		return nil
	}
	if i := l.find(); i >= 0 {
		b, _ := json.Marshal(l.items()[i])
		return b
	}
	return nil
}

// Apply makes one change: sets or empties a field, adds an item (empty,
// or as it was when restore is not nil: an item brought back) at the end
// of its list, removes an item. A field of an item the form does not have
// is not applied (false).
func (f *Form) Apply(e Edit, restore json.RawMessage) bool {
	if IsItem(e.Path) {
		if e.Removed {
			return f.removeItem(e.Path)
		}
		return f.addItem(e.Path, restore)
	}
	parent, leaf, ok := f.object(e.Path, e.Value != "")
	if !ok {
		return false
	}
	if e.Value == "" {
		delete(parent, leaf)
		return true
	}
	var v any
	if err := json.Unmarshal([]byte(e.Value), &v); err != nil {
		return false
	}
	parent[leaf] = v
	return true
}

func (f *Form) addItem(p string, restore json.RawMessage) bool {
	l, ok := f.list(p, true)
	if !ok {
		return false
	}
	if l.find() >= 0 {
		return true
	}
	item := map[string]any{}
	if restore != nil {
		if err := json.Unmarshal(restore, &item); err != nil || l.keyOf(item) != l.key {
			item = map[string]any{}
		}
	}
	if l.keyOf(item) != l.key {
		// An item's identity is its "id", unless its section says
		// otherwise: then the fields that make it come with the edit.
		item["id"] = l.key
	}
	l.parent[l.name] = append(l.items(), item)
	return true
}

func (f *Form) removeItem(p string) bool {
	l, ok := f.list(p, false)
	if !ok {
		return false
	}
	i := l.find()
	if i < 0 {
		return false
	}
	items := l.items()
	l.parent[l.name] = append(items[:i:i], items[i+1:]...)
	return true
}

// itemList is the list an item path names an item in: the object that
// holds it, its key there, how its section tells items apart, and the
// item's identity.
type itemList struct {
	parent map[string]any
	name   string
	keyOf  func(map[string]any) string
	key    string
}

func (l itemList) items() []any {
	items, _ := l.parent[l.name].([]any)
	return items
}

// find is the item's place in the list, -1 when it has none.
func (l itemList) find() int {
	for i, c := range l.items() {
		if item, ok := c.(map[string]any); ok && l.keyOf(item) == l.key {
			return i
		}
	}
	return -1
}

// sectionOf drops the identities from a path: "a[x].b" → "a.b".
func sectionOf(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// list finds the list an item path names an item in; create makes the
// objects on the way.
func (f *Form) list(p string, create bool) (itemList, bool) {
	i := strings.LastIndexByte(p, '[')
	if i < 0 || !strings.HasSuffix(p, "]") {
		return itemList{}, false
	}
	keyOf, ok := f.sections[sectionOf(p[:i])]
	if !ok {
		return itemList{}, false
	}
	parent, name, ok := f.object(p[:i], create)
	if !ok {
		return itemList{}, false
	}
	if _, isList := parent[name].([]any); parent[name] != nil && !isList {
		return itemList{}, false
	}
	return itemList{parent: parent, name: name, keyOf: keyOf, key: p[i+1 : len(p)-1]}, true
}

// object walks a path to the object that holds its last key; create makes
// missing objects on the way. A path through an item walks into that item.
func (f *Form) object(p string, create bool) (map[string]any, string, bool) {
	cur := f.tree
	segs := splitPath(p)
	walked := ""
	for _, s := range segs[:len(segs)-1] {
		name, _, _ := strings.Cut(s, "[")
		walked = join(walked, name)
		next, ok := f.step(cur, s, f.sections[walked], create)
		if !ok {
			return nil, "", false
		}
		cur = next
	}
	last := segs[len(segs)-1]
	if strings.Contains(last, "[") {
		return nil, "", false
	}
	return cur, last, true
}

// step goes from an object into one segment of a path: a key ("b") or an
// item of a list ("b[x]").
func (f *Form) step(cur map[string]any, seg string, keyOf func(map[string]any) string, create bool) (map[string]any, bool) {
	name, key, isItem := strings.Cut(seg, "[")
	if !isItem {
		next, ok := cur[name].(map[string]any)
		if !ok {
			if cur[name] != nil || !create {
				return nil, false
			}
			next = map[string]any{}
			cur[name] = next
		}
		return next, true
	}
	key = strings.TrimSuffix(key, "]")
	if keyOf == nil {
		return nil, false
	}
	list, _ := cur[name].([]any)
	for _, c := range list {
		if item, ok := c.(map[string]any); ok && keyOf(item) == key {
			return item, true
		}
	}
	return nil, false
}

// splitPath splits a path at the dots that are not inside an identity.
func splitPath(p string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				out = append(out, p[start:i])
				start = i + 1
			}
		}
	}
	return append(out, p[start:])
}

// Text is a field's value as a person reads it: a text without its
// quotes, a list's items joined by commas.
func Text(value string) string {
	if value == "" || value == Present {
		return ""
	}
	var v any
	d := json.NewDecoder(bytes.NewReader([]byte(value)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return value
	}
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, c := range x {
			b, _ := json.Marshal(c)
			parts = append(parts, Text(string(b)))
		}
		return strings.Join(parts, ", ")
	}
	return value
}
