package oinp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/internal/jsonschema"
)

// schemaFile is the application file's JSON schema, kept with its
// documentation.
var schemaFile = filepath.Join("..", "..", "docs", "oinp-application.schema.json")

func readSchema(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExampleFollowsTheSchema: the example application of the docs
// (documents and agreements included) is valid by the schema, and a file
// the schema refuses is refused for the right reason.
func TestExampleFollowsTheSchema(t *testing.T) {
	s, err := jsonschema.Parse(readSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Validate(example); len(errs) > 0 {
		t.Fatalf("the example breaks the schema:\n%s", strings.Join(errs, "\n"))
	}
	var doc map[string]any
	if err := json.Unmarshal(example, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc["documents"].([]any)) == 0 || len(doc["agreements"].([]any)) == 0 {
		t.Fatal("the example has no documents or no agreements to validate")
	}
	for _, tt := range []struct {
		name string
		edit func(doc map[string]any)
		want string
	}{
		{"a country by name", func(d map[string]any) { d["applicant"].(map[string]any)["citizenship"] = "Viet Nam" },
			"$.applicant.citizenship"},
		{"a misspelt field", func(d map[string]any) { d["applicant"].(map[string]any)["famliyName"] = "x" },
			`"famliyName" is not a field`},
		{"a document without its hash", func(d map[string]any) { delete(d["documents"].([]any)[0].(map[string]any), "sha256") },
			`$.documents[0]: "sha256" is required`},
		{"an agreement to no schedule", func(d map[string]any) { d["agreements"].([]any)[0].(map[string]any)["schedule"] = "Z" },
			"$.agreements[0].schedule"},
		{"a newer schema", func(d map[string]any) { d["schema"] = 2 }, "$.schema"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var d map[string]any
			json.Unmarshal(example, &d)
			tt.edit(d)
			b, _ := json.Marshal(d)
			errs := s.Validate(b)
			if len(errs) != 1 || !strings.Contains(errs[0], tt.want) {
				t.Errorf("errors %q, want one with %q", errs, tt.want)
			}
		})
	}
}

// TestSchemaNamesEveryField: the schema's definition of each struct of
// the file (by its Go name) has exactly the struct's JSON fields, so that
// neither the schema nor the code gains a field the other lacks.
func TestSchemaNamesEveryField(t *testing.T) {
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(readSchema(t), &schema); err != nil {
		t.Fatal(err)
	}
	leaves := []reflect.Type{reflect.TypeFor[domain.Date](), reflect.TypeFor[domain.ID](), reflect.TypeFor[oinp.YesNo]()}
	seen := map[reflect.Type]bool{}
	var walk func(tp reflect.Type, props map[string]json.RawMessage)
	walk = func(tp reflect.Type, props map[string]json.RawMessage) {
		var fields []string
		for f := range tp.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			fields = append(fields, name)
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() != reflect.Struct || slices.Contains(leaves, ft) || ft.PkgPath() == "time" || seen[ft] {
				continue
			}
			seen[ft] = true
			def, ok := schema.Defs[ft.Name()]
			if !ok {
				t.Errorf("the schema has no definition of %s (%s.%s)", ft.Name(), tp.Name(), name)
				continue
			}
			walk(ft, def.Properties)
		}
		var named []string
		for k := range props {
			named = append(named, k)
		}
		slices.Sort(fields)
		slices.Sort(named)
		if !slices.Equal(fields, named) {
			t.Errorf("%s: fields %v, the schema names %v", tp.Name(), fields, named)
		}
	}
	walk(reflect.TypeFor[oinp.Application](), schema.Properties)
}
