// Package jsonschema validates a JSON document against a JSON Schema
// (draft 2020-12) written with the few keywords Dossier's file schemas
// use: type, properties, required, additionalProperties (false or a
// schema), items, enum, const, pattern, minimum, maximum and $ref to
// "#/$defs/…". A schema using any other keyword is refused rather than
// half-checked; title, description, $schema, $id, $comment and $defs are
// annotations.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Schema is a parsed schema, ready to validate documents.
type Schema struct {
	root     map[string]any
	patterns map[string]*regexp.Regexp
}

var (
	checked     = []string{"type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "$ref"}
	annotations = []string{"title", "description", "$schema", "$id", "$comment", "$defs"}
)

// Parse reads a schema and checks that it uses only the keywords Validate
// knows, that its patterns compile and that every $ref names a definition.
func Parse(b []byte) (*Schema, error) {
	v, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("read schema: not an object")
	}
	s := &Schema{root: root, patterns: map[string]*regexp.Regexp{}}
	if err := s.check(root, "#"); err != nil {
		return nil, err
	}
	return s, nil
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// check walks a schema object and everything below it.
func (s *Schema) check(n map[string]any, at string) error {
	for k, v := range n {
		switch {
		case slices.Contains(annotations, k) && k != "$defs":
			continue
		case !slices.Contains(checked, k) && k != "$defs":
			return fmt.Errorf("%s: keyword %q is not supported", at, k)
		}
		var err error
		switch k {
		case "$defs", "properties":
			m, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s/%s: not an object", at, k)
			}
			for name, sub := range m {
				if err = s.checkSub(sub, at+"/"+k+"/"+name); err != nil {
					return err
				}
			}
		case "items":
			err = s.checkSub(v, at+"/items")
		case "additionalProperties":
			if b, ok := v.(bool); ok && !b {
				continue
			}
			err = s.checkSub(v, at+"/additionalProperties")
		case "pattern":
			p, _ := v.(string)
			re, perr := regexp.Compile(p)
			if perr != nil {
				return fmt.Errorf("%s/pattern: %w", at, perr)
			}
			s.patterns[p] = re
		case "$ref":
			if _, err = s.resolve(v); err != nil {
				return fmt.Errorf("%s: %w", at, err)
			}
		case "type":
			if t, ok := v.(string); !ok || !slices.Contains([]string{"object", "array", "string", "integer", "number", "boolean", "null"}, t) {
				return fmt.Errorf("%s/type: %v is not one type", at, v)
			}
		case "enum":
			if _, ok := v.([]any); !ok {
				return fmt.Errorf("%s/enum: not an array", at)
			}
		case "required":
			if _, ok := v.([]any); !ok {
				return fmt.Errorf("%s/required: not an array", at)
			}
		case "minimum", "maximum":
			if _, ok := v.(json.Number); !ok {
				return fmt.Errorf("%s/%s: not a number", at, k)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Schema) checkSub(v any, at string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: not a schema object", at)
	}
	return s.check(m, at)
}

// resolve finds the definition a $ref names.
func (s *Schema) resolve(ref any) (map[string]any, error) {
	r, _ := ref.(string)
	name, ok := strings.CutPrefix(r, "#/$defs/")
	defs, _ := s.root["$defs"].(map[string]any)
	def, found := defs[name].(map[string]any)
	if !ok || !found {
		return nil, fmt.Errorf("$ref %q names no definition", r)
	}
	return def, nil
}

// Validate lists every way the document breaks the schema, each as the
// JSON path of the value and what is wrong ("$.work[1].noc: does not
// match ^[0-9]{4}$"), in document order; none when it is valid.
func (s *Schema) Validate(doc []byte) []string {
	v, err := decode(doc)
	if err != nil {
		return []string{"$: " + err.Error()}
	}
	var out []string
	s.validate(s.root, v, "$", &out)
	return out
}

func (s *Schema) validate(n map[string]any, v any, at string, out *[]string) {
	fail := func(format string, args ...any) { *out = append(*out, at+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := n["$ref"]; ok {
		def, _ := s.resolve(ref)
		s.validate(def, v, at, out)
	}
	if t, ok := n["type"].(string); ok && !isType(v, t) {
		fail("is %s, not %s", typeOf(v), t)
		return
	}
	if c, ok := n["const"]; ok && !equal(v, c) {
		fail("is %v, not %v", v, c)
	}
	if e, ok := n["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return equal(v, x) }) {
		fail("%v is not one of %v", v, e)
	}
	if p, ok := n["pattern"].(string); ok {
		if str, isStr := v.(string); isStr && !s.patterns[p].MatchString(str) {
			fail("%q does not match %s", str, p)
		}
	}
	if x, ok := v.(json.Number); ok {
		if lim, ok := n["minimum"].(json.Number); ok && compare(x, lim) < 0 {
			fail("%s is less than %s", x, lim)
		}
		if lim, ok := n["maximum"].(json.Number); ok && compare(x, lim) > 0 {
			fail("%s is more than %s", x, lim)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		s.object(n, x, at, out)
	case []any:
		if items, ok := n["items"].(map[string]any); ok {
			for i, item := range x {
				s.validate(items, item, fmt.Sprintf("%s[%d]", at, i), out)
			}
		}
	}
}

func (s *Schema) object(n map[string]any, x map[string]any, at string, out *[]string) {
	props, _ := n["properties"].(map[string]any)
	if req, ok := n["required"].([]any); ok {
		for _, r := range req {
			if _, has := x[r.(string)]; !has {
				*out = append(*out, fmt.Sprintf("%s: %q is required", at, r))
			}
		}
	}
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, ok := props[k].(map[string]any); ok {
			s.validate(p, x[k], at+"."+k, out)
			continue
		}
		switch add := n["additionalProperties"].(type) {
		case bool:
			if !add {
				*out = append(*out, fmt.Sprintf("%s: %q is not a field of the schema", at, k))
			}
		case map[string]any:
			s.validate(add, x[k], at+"."+k, out)
		}
	}
}

func isType(v any, t string) bool {
	switch t {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(string(n))
		return ok && r.IsInt()
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return typeOf(v) == t
}

func typeOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// equal compares JSON values, numbers by value (1 and 1.0 are equal).
func equal(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		return ok && compare(x, y) == 0
	}
	return reflect.DeepEqual(a, b)
}

func compare(a, b json.Number) int {
	x, okx := new(big.Rat).SetString(string(a))
	y, oky := new(big.Rat).SetString(string(b))
	if !okx || !oky {
		return strings.Compare(string(a), string(b))
	}
	return x.Cmp(y)
}
