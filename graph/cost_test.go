package graph_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/graph/generated"
)

// graphqlCall matches the documents of the web application: graphql(`…`).
var graphqlCall = regexp.MustCompile("graphql\\(\\s*`([^`]*)`")

// spaDocuments returns every GraphQL document the web application ships, by
// file.
func spaDocuments(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "frontend", "src")
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "graphql" || name == "__tests__" || name == "testing" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".ts") && !strings.HasSuffix(path, ".tsx") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range graphqlCall.FindAllStringSubmatch(string(b), -1) {
			out[path] = append(out[path], m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the web application's documents: %v", err)
	}
	return out
}

// TestSPAOperationsWithinBudget computes the cost of every operation the web
// application sends, with the largest page size wherever the page size is a
// variable, and checks each is within the budget and the field limit: the
// limits that stop hostile requests must not stop the application.
func TestSPAOperationsWithinBudget(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	limits := graph.DefaultLimits
	fragments := map[string]*ast.FragmentDefinition{}
	type namedOp struct {
		file string
		op   *ast.OperationDefinition
	}
	var ops []namedOp
	for file, sources := range spaDocuments(t) {
		for _, src := range sources {
			doc, err := parser.ParseQuery(&ast.Source{Name: file, Input: src})
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, f := range doc.Fragments {
				fragments[f.Name] = f
			}
			for _, op := range doc.Operations {
				ops = append(ops, namedOp{file, op})
			}
		}
	}
	if len(ops) < 30 {
		t.Fatalf("found %d operations in frontend/src, want the application's (more than 30)", len(ops))
	}
	type result struct {
		name         string
		cost, fields int
	}
	var results []result
	for _, o := range ops {
		doc := &ast.QueryDocument{Operations: ast.OperationList{o.op}}
		for _, name := range usedFragments(o.op.SelectionSet, fragments, map[string]bool{}) {
			doc.Fragments = append(doc.Fragments, fragments[name])
		}
		if errs := validator.Validate(schema, doc); len(errs) > 0 {
			t.Fatalf("%s %s does not validate: %v", o.file, o.op.Name, errs)
		}
		vars := map[string]any{}
		for _, v := range o.op.VariableDefinitions {
			if v.Type.NamedType == "Int" && (v.Variable == "first" || v.Variable == "last") {
				vars[v.Variable] = int64(limits.MaxPageSize)
			}
		}
		cost := graph.OperationCost(schema, doc, o.op, vars)
		fields := expandedFields(o.op.SelectionSet, fragments)
		results = append(results, result{o.op.Name, cost, fields})
		if cost > limits.MaxComplexity {
			t.Errorf("%s: operation %s costs %d, over the budget of %d", o.file, o.op.Name, cost, limits.MaxComplexity)
		}
		if fields > limits.MaxFields {
			t.Errorf("%s: operation %s selects %d fields, over the limit of %d", o.file, o.op.Name, fields, limits.MaxFields)
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].cost > results[j].cost })
	for _, r := range results[:5] {
		t.Logf("cost %6d, %3d fields: %s", r.cost, r.fields, r.name)
	}
	t.Logf("%d operations; budget %d, the costliest uses %d%%", len(results), limits.MaxComplexity,
		100*results[0].cost/limits.MaxComplexity)
}

func usedFragments(set ast.SelectionSet, all map[string]*ast.FragmentDefinition, seen map[string]bool) []string {
	var out []string
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, usedFragments(s.SelectionSet, all, seen)...)
		case *ast.InlineFragment:
			out = append(out, usedFragments(s.SelectionSet, all, seen)...)
		case *ast.FragmentSpread:
			if seen[s.Name] || all[s.Name] == nil {
				continue
			}
			seen[s.Name] = true
			out = append(out, s.Name)
			out = append(out, usedFragments(all[s.Name].SelectionSet, all, seen)...)
		}
	}
	return out
}

func expandedFields(set ast.SelectionSet, all map[string]*ast.FragmentDefinition) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n += 1 + expandedFields(s.SelectionSet, all)
		case *ast.InlineFragment:
			n += expandedFields(s.SelectionSet, all)
		case *ast.FragmentSpread:
			if f := all[s.Name]; f != nil {
				n += expandedFields(f.SelectionSet, all)
			}
		}
	}
	return n
}
