//go:build ignore

// entc generates the Ent client and the entgql GraphQL schema. It runs from the
// module root (see ent/generate.go): entgql compares its schema path with the
// path gqlgen.yml lists, and both must be written the same way.
package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/schema/ent.graphqls"),
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
		entgql.WithSchemaHook(describeGenerated),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "github.com/siseri/siseri/ent",
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureUpsert,
			gen.FeatureExecQuery,
			gen.FeatureGlobalID,
			gen.FeatureModifier,
			gen.FeatureLock,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// predicateSuffixes describe the generated filter fields, longest suffix first.
var predicateSuffixes = []struct{ suffix, text string }{
	{"ContainsFold", "contains the given value, ignoring case"},
	{"EqualFold", "equals the given value, ignoring case"},
	{"HasPrefix", "starts with the given value"},
	{"HasSuffix", "ends with the given value"},
	{"Contains", "contains the given value"},
	{"NotNil", "is set"},
	{"IsNil", "is not set"},
	{"NotIn", "is none of the given values"},
	{"NEQ", "differs from the given value"},
	{"GTE", "is greater than or equal to the given value"},
	{"LTE", "is less than or equal to the given value"},
	{"GT", "is greater than the given value"},
	{"LT", "is less than the given value"},
	{"In", "is one of the given values"},
}

// describeGenerated gives the filter inputs and ordering enums entgql
// generates a description of each field and value, for the API explorer.
func describeGenerated(g *gen.Graph, s *gqlast.Schema) error {
	docs, err := schemaDocs("./ent/schema")
	if err != nil {
		return err
	}
	for _, n := range g.Nodes {
		def := s.Types[n.Name]
		if def == nil {
			continue
		}
		if def.Description == "" {
			def.Description = docs[n.Name]
		}
		entity := words(n.Name)
		for _, f := range def.Fields {
			if f.Description != "" {
				continue
			}
			switch f.Name {
			case "id":
				f.Description = "Global identifier of the " + entity + " (opaque; use it with node, nodes and the mutations)."
			case "createdAt":
				f.Description = "When the " + entity + " was recorded in SISERI."
			case "updatedAt":
				f.Description = "When the " + entity + " was last changed in SISERI."
			}
		}
		for _, e := range n.Edges {
			if fk := e.Field(); fk != nil {
				if f := def.Fields.ForName(lowerFirst(fk.StructField())); f != nil && f.Description == "" {
					f.Description = "ID of the " + words(e.Name) + " (the " + lowerFirst(e.StructField()) + " field gives the object)."
				}
			}
			if f := def.Fields.ForName(lowerFirst(e.StructField())); f != nil && f.Description == "" {
				f.Description = "The " + words(e.Name) + " of this " + entity + " (only those the caller may see)."
			}
		}
	}
	if q := s.Types["Query"]; q != nil {
		if q.Description == "" {
			q.Description = "Reads: each caller sees only the objects and fields its role (and API key profile) is entitled to."
		}
		for _, f := range q.Fields {
			if t, ok := strings.CutSuffix(f.Type.Name(), "Connection"); ok && f.Description == "" {
				f.Description = "The " + words(t) + " objects the caller may see, a page at a time (first/after or last/before), filtered by where and sorted by orderBy."
			}
		}
	}
	for name, def := range s.Types {
		switch {
		case def.Kind == gqlast.InputObject && strings.HasSuffix(name, "WhereInput"):
			entity := strings.TrimSuffix(name, "WhereInput")
			if def.Description == "" {
				def.Description = "Filters " + entity + " objects: every condition given must hold."
			}
			for _, f := range def.Fields {
				if f.Description == "" || strings.HasSuffix(f.Description, " field predicates") || strings.HasSuffix(f.Description, " edge predicates") {
					f.Description = describePredicate(f.Name)
				}
			}
		case def.Kind == gqlast.Enum && strings.HasSuffix(name, "OrderField"):
			entity := strings.TrimSuffix(name, "OrderField")
			if def.Description == "" {
				def.Description = "Properties by which " + entity + " connections can be ordered."
			}
			for _, v := range def.EnumValues {
				if v.Description == "" {
					v.Description = "Order by " + strings.ToLower(strings.ReplaceAll(v.Name, "_", " ")) + "."
				}
			}
		}
	}
	return nil
}

func describePredicate(field string) string {
	switch field {
	case "not":
		return "Negates the given filter."
	case "and":
		return "Matches when every given filter matches."
	case "or":
		return "Matches when at least one given filter matches."
	}
	if edge, ok := strings.CutPrefix(field, "has"); ok && edge != "" && edge[0] >= 'A' && edge[0] <= 'Z' {
		if e, ok := strings.CutSuffix(edge, "With"); ok {
			return "Has at least one " + lowerFirst(e) + " matching one of the given filters."
		}
		return "Has at least one " + lowerFirst(edge) + "."
	}
	for _, p := range predicateSuffixes {
		if base, ok := strings.CutSuffix(field, p.suffix); ok && base != "" {
			return "The " + base + " " + p.text + "."
		}
	}
	return "The " + field + " equals the given value."
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// schemaDocs returns the Go doc comment of each type of the ent schema
// package: it describes the entity's GraphQL type.
func schemaDocs(dir string) (map[string]string, error) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, sp := range gd.Specs {
					ts := sp.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil {
						doc = gd.Doc
					}
					if doc != nil {
						docs[ts.Name.Name] = strings.TrimSpace(doc.Text())
					}
				}
			}
		}
	}
	return docs, nil
}

// words turns DoseRecord or dose_records into "dose record" / "dose records".
func words(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r == '_':
			b.WriteRune(' ')
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteRune(' ')
			}
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
