package jsonschema

import (
	"strings"
	"testing"
)

const testSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "additionalProperties": false,
  "required": ["schema"],
  "properties": {
    "schema": {"type": "integer", "const": 1},
    "noc": {"type": "string", "pattern": "^[0-9]{4}$"},
    "sex": {"type": "string", "enum": ["F", "M", "X"]},
    "hours": {"type": "number", "minimum": 0, "maximum": 168},
    "work": {"type": "array", "items": {"$ref": "#/$defs/work"}}
  },
  "$defs": {
    "work": {"type": "object", "additionalProperties": false, "properties": {"country": {"type": "string"}}}
  }
}`

func TestValidate(t *testing.T) {
	s, err := Parse([]byte(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, doc string
		want      string // a part of the only error; "" for none
	}{
		{"valid", `{"schema": 1, "noc": "8431", "sex": "F", "hours": 37.5, "work": [{"country": "CA"}]}`, ""},
		{"a number written 1.0 is 1", `{"schema": 1.0}`, ""},
		{"required", `{}`, `$: "schema" is required`},
		{"const", `{"schema": 2}`, "$.schema: is 2, not 1"},
		{"integer", `{"schema": 1.5}`, "$.schema: is number, not integer"},
		{"type", `{"schema": 1, "noc": 8431}`, "$.noc: is number, not string"},
		{"pattern", `{"schema": 1, "noc": "843"}`, `$.noc: "843" does not match`},
		{"enum", `{"schema": 1, "sex": "Q"}`, "$.sex: Q is not one of"},
		{"minimum", `{"schema": 1, "hours": -1}`, "$.hours: -1 is less than 0"},
		{"maximum", `{"schema": 1, "hours": 169}`, "$.hours: 169 is more than 168"},
		{"unknown field", `{"schema": 1, "nco": "8431"}`, `$: "nco" is not a field`},
		{"through $ref and items", `{"schema": 1, "work": [{}, {"contry": "CA"}]}`, `$.work[1]: "contry" is not a field`},
		{"not JSON", `{"schema": `, "$: unexpected EOF"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Validate([]byte(tt.doc))
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("errors %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("errors %q, want one with %q", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tt := range []struct{ name, schema, want string }{
		{"a keyword not checked", `{"type": "string", "format": "date"}`, `keyword "format"`},
		{"a ref to nothing", `{"$ref": "#/$defs/nothing"}`, "names no definition"},
		{"a bad pattern", `{"pattern": "("}`, "pattern"},
		{"a keyword below", `{"properties": {"a": {"minLength": 1}}}`, `#/properties/a: keyword "minLength"`},
		{"two types", `{"type": ["string", "null"]}`, "not one type"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.schema)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error with %q", err, tt.want)
			}
		})
	}
}
