package accesstest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// predicateSuffixes are the where-input operators, longest first.
var predicateSuffixes = []string{
	"ContainsFold", "EqualFold", "HasPrefix", "HasSuffix", "Contains", "NotNil", "IsNil",
	"NotIn", "NEQ", "GTE", "LTE", "In", "GT", "LT",
}

// whereField maps a where-input field (nirContains, hasDoseRecordsWith) to the
// output field it reads, or "" for and/or/not.
func whereField(typ *ast.Definition, name string) string {
	switch name {
	case "and", "or", "not":
		return ""
	}
	if rest, ok := strings.CutPrefix(name, "has"); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
		rest = strings.TrimSuffix(rest, "With")
		return strings.ToLower(rest[:1]) + rest[1:]
	}
	if typ.Fields.ForName(name) != nil {
		return name
	}
	for _, suf := range predicateSuffixes {
		if f, ok := strings.CutSuffix(name, suf); ok && f != "" && typ.Fields.ForName(f) != nil {
			return f
		}
	}
	return name
}

type introType struct {
	Name        string
	Kind        string
	Fields      []struct{ Name string }
	InputFields []struct{ Name string }
	EnumValues  []struct{ Name string }
}

func testIntrospection(t *testing.T, w *world, schema *ast.Schema) {
	const q = `{ __schema { types { name kind fields { name } inputFields { name } enumValues { name } } } }`
	ents := &graph.Entitlements{Auth: policy.MustDefault(), Schema: schema}
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			// Ensure introspection with the caller's credentials works and shows
			// exactly the fields, filters and orderings the table lets it use.
			res := w.do(s, q, nil)
			w.tally.assertions++
			if len(res.Errors) > 0 {
				t.Errorf("introspection as %s refused: %s %v %s", s, res.Code(), keys(forbiddenObjects(res)), res.Errors[0].Message)
				// Still check the pruned schema introspection would serve.
				checkVisible(t, w, s, schema, fromAST(ents.Visible(s.role, s.profile)), "graph.Entitlements.Visible")
				return
			}
			var out struct {
				Schema struct{ Types []introType } `json:"__schema"`
			}
			if err := json.Unmarshal(res.Data, &out); err != nil {
				t.Fatal(err)
			}
			checkVisible(t, w, s, schema, out.Schema.Types, "introspection")
		})
	}
	t.Run("ErrAnalystWorkerIdentity", func(t *testing.T) {
		// Ensure the analyst's Worker type shows no NIR, names or birth date.
		for _, name := range []string{"analyst", "key:statistics"} {
			s := w.byName[name]
			res := w.do(s, `{ __type(name: "Worker") { fields { name } } }`, nil)
			var out struct {
				Type *introType `json:"__type"`
			}
			_ = json.Unmarshal(res.Data, &out)
			w.tally.assertions++
			if len(res.Errors) > 0 {
				t.Errorf("__type(Worker) as %s refused: %s %s", s, res.Code(), res.Errors[0].Message)
				continue
			}
			if out.Type == nil {
				continue // no Worker type at all for this caller
			}
			for _, f := range out.Type.Fields {
				switch f.Name {
				case "nir", "lastName", "firstNames", "usageName", "birthDate", "birthPlace", "temporaryID", "foreignID":
					w.tally.leaks++
					t.Errorf("LEAK __type(Worker) as %s lists %s", s, f.Name)
				}
			}
		}
	})
}

// fromAST lists a schema's types as introspection would.
func fromAST(vis *ast.Schema) []introType {
	var out []introType
	for name, def := range vis.Types {
		it := introType{Name: name, Kind: string(def.Kind)}
		for _, f := range def.Fields {
			if def.Kind == ast.InputObject {
				it.InputFields = append(it.InputFields, struct{ Name string }{f.Name})
			} else {
				it.Fields = append(it.Fields, struct{ Name string }{f.Name})
			}
		}
		for _, v := range def.EnumValues {
			it.EnumValues = append(it.EnumValues, struct{ Name string }{v.Name})
		}
		out = append(out, it)
	}
	return out
}

// checkVisible compares the types a caller is shown with the table.
func checkVisible(t *testing.T, w *world, s *subject, schema *ast.Schema, types []introType, source string) {
	t.Helper()
	var shown, hidden []string
	listed := map[string]bool{}
	for _, typ := range types {
		listed[typ.Name] = true
		switch {
		case typ.Kind == "OBJECT" && !structural(typ.Name):
			got := map[string]bool{}
			for _, f := range typ.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				got[f.Name] = true
				w.tally.assertions++
				if !s.may(typ.Name, f.Name) {
					shown = append(shown, typ.Name+"."+f.Name)
				}
			}
			if def := schema.Types[typ.Name]; def != nil {
				for _, f := range def.Fields {
					if !strings.HasPrefix(f.Name, "__") && !got[f.Name] && s.may(typ.Name, f.Name) && reachableFor(s, schema, f) {
						hidden = append(hidden, typ.Name+"."+f.Name)
					}
				}
			}
		case typ.Kind == "INPUT_OBJECT" && strings.HasSuffix(typ.Name, "WhereInput"):
			out := schema.Types[strings.TrimSuffix(typ.Name, "WhereInput")]
			if out == nil {
				continue
			}
			for _, f := range typ.InputFields {
				field := whereField(out, f.Name)
				w.tally.assertions++
				if field != "" && !s.may(out.Name, field) && !refusedTarget(s, schema, out, field) {
					shown = append(shown, typ.Name+"."+f.Name+" (filters "+out.Name+"."+field+")")
				}
			}
		case typ.Kind == "ENUM" && strings.HasSuffix(typ.Name, "OrderField"):
			out := strings.TrimSuffix(typ.Name, "OrderField")
			for _, v := range typ.EnumValues {
				w.tally.assertions++
				if f := orderValueField(v.Name); !s.may(out, f) {
					shown = append(shown, typ.Name+"."+v.Name+" (orders by "+out+"."+f+")")
				}
			}
		}
	}
	for _, root := range []string{"Query", "Mutation"} {
		for _, f := range schema.Types[root].Fields {
			if !strings.HasPrefix(f.Name, "__") && s.may(root, f.Name) && !listed[root] {
				hidden = append(hidden, root+"."+f.Name+" (type "+root+" not listed)")
			}
		}
	}
	sort.Strings(shown)
	sort.Strings(hidden)
	if len(shown) > 0 {
		w.tally.leaks++
		t.Errorf("LEAK %s as %s shows %d fields the table refuses:\n\t%s", source, s, len(shown), capped(shown, 12))
	}
	if len(hidden) > 0 {
		t.Errorf("%s as %s hides %d fields the table allows:\n\t%s", source, s, len(hidden), capped(hidden, 12))
	}
}

// capped joins the first n items, one a line, and counts the rest.
func capped(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "\n\t")
	}
	return strings.Join(items[:n], "\n\t") + fmt.Sprintf("\n\t… and %d more", len(items)-n)
}

// refusedTarget reports whether typ.field is an edge whose target type the
// caller may not read at all: a filter through it can test nothing, since
// every predicate on the target is refused.
func refusedTarget(s *subject, schema *ast.Schema, typ *ast.Definition, field string) bool {
	f := typ.Fields.ForName(field)
	if f == nil {
		return false
	}
	target := strings.TrimSuffix(f.Type.Name(), "Connection")
	if d := schema.Types[target]; d == nil || d.Kind != ast.Object {
		return false
	}
	return !s.may(target, "id")
}

// reachableFor reports whether field f's type is one s may reach at all (a
// pruned schema drops fields whose type is gone; the table then decides by
// the target's id).
func reachableFor(s *subject, schema *ast.Schema, f *ast.FieldDefinition) bool {
	name := strings.TrimSuffix(f.Type.Name(), "Connection")
	def := schema.Types[name]
	if def == nil || def.Kind != ast.Object || structural(name) {
		return true
	}
	if _, ok := fieldCategories[name+".id"]; !ok {
		return true
	}
	return s.may(name, "id")
}
