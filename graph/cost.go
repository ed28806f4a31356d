package graph

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
)

// The cost model. Every field of an operation has a cost, computed from the
// document and its variables before anything runs (costGuard); an operation
// over Limits.MaxComplexity is refused whole. The unit is about one value the
// server produces; a database round trip counts dbCost more.
//
//   - a scalar or enum field costs 1;
//   - an object field costs 1 + its selection, plus dbCost on the root types
//     (each root field is at least one query);
//   - a page (a Relay connection, or a list with edges and pageInfo such as
//     limitAlerts) costs dbCost + its selection times the page size (first or
//     last; the field's documented default otherwise);
//   - any other list costs 1 + its selection times the length it usually has
//     (listSizes, else defaultListSize; nodes: the number of ids asked);
//   - fieldBase adds the work a field does beyond what it returns (a national
//     aggregate, a password hash, the whole introspection schema).
//
// Introspection is computed in memory from the caller's own schema: __schema
// and __type cost their base whatever they select.
const (
	dbCost          = 25
	defaultListSize = 50
)

// listSizes are the usual lengths of the lists that are not pages.
var listSizes = map[string]int{
	"Query.contextStatistics":  300,  // sector × job × monitoring kind contexts
	"Worker.exposure":          6,    // the limits that apply to a worker
	"Worker.doseHistory":       120,  // 5 years × 2 monitoring kinds
	"ImportReport.problems":    1000, // up to 10,000 are kept; most reports have far fewer
	"ImportReport.doseClasses": 7,
	"Viewer.roles":             10,
	"Viewer.grants":            20,
}

// fieldBase is the work a field costs beyond the values it returns.
var fieldBase = map[string]int{
	"Query.contextStatistics": 5000, // percentiles over 24 months of national doses
	"Query.__schema":          5000, // the caller's whole schema
	"Query.__type":            50,
	"Mutation.login":          1000, // an argon2id hash (19 MiB, tens of ms)
	"Worker.exposure":         dbCost,
	"Worker.doseHistory":      dbCost,
	"Query.node":              dbCost,
}

// pageDefaults are the page sizes of paged fields when first and last are
// both absent (Relay connections require one of them: see shapeGuard).
var pageDefaults = map[string]int{
	"Query.limitAlerts": 20,
}

// OperationCost returns the cost of operation op of doc with vars under the
// cost model above. doc must have passed validation against schema.
func OperationCost(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) int {
	w := costWalker{schema: schema, doc: doc, vars: vars}
	return w.set(op.SelectionSet, false)
}

type costWalker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
}

func (w costWalker) set(set ast.SelectionSet, onPage bool) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total = addCost(total, w.field(s, onPage))
		case *ast.InlineFragment:
			total = addCost(total, w.set(s.SelectionSet, onPage))
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil {
				def = w.doc.Fragments.ForName(s.Name)
			}
			if def != nil {
				total = addCost(total, w.set(def.SelectionSet, onPage))
			}
		}
	}
	return total
}

// field is the cost of f; onPage tells that f is selected on a page type,
// whose lists (edges) the page size already multiplies.
func (w costWalker) field(f *ast.Field, onPage bool) int {
	if f.Name == "__typename" {
		return 0
	}
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 1
	}
	parent := f.ObjectDefinition.Name
	key := parent + "." + f.Name
	base := fieldBase[key]
	if f.Name == "__schema" || f.Name == "__type" || strings.HasPrefix(parent, "__") {
		return base
	}
	if parent == "Query" || parent == "Mutation" || parent == "Subscription" {
		base += dbCost
	}
	typeName := f.Definition.Type.Name()
	paged := w.isPage(typeName)
	child := w.set(f.SelectionSet, paged)
	switch {
	case paged:
		return addCost(dbCost+base, mulCost(max(child, 1), w.pageSize(f, key)))
	case f.Definition.Type.Elem != nil:
		n := defaultListSize
		if s, ok := listSizes[key]; ok {
			n = s
		}
		if onPage {
			n = 1
		}
		if key == "Query.nodes" {
			n = len(listArg(f.ArgumentMap(w.vars), "ids"))
		}
		return addCost(1+base, mulCost(max(child, 1), n))
	default:
		return addCost(1+base, child)
	}
}

// isPage reports whether typeName is a page: a type with edges and pageInfo.
func (w costWalker) isPage(typeName string) bool {
	def := w.schema.Types[typeName]
	return def != nil && def.Fields.ForName("edges") != nil && def.Fields.ForName("pageInfo") != nil
}

func (w costWalker) pageSize(f *ast.Field, key string) int {
	args := f.ArgumentMap(w.vars)
	n := -1
	for _, name := range []string{"first", "last"} {
		if v, ok := toInt(args[name]); ok && v > n {
			n = v
		}
	}
	if n >= 0 {
		return n
	}
	if d, ok := pageDefaults[key]; ok {
		return d
	}
	return DefaultLimits.MaxPageSize
}

func listArg(args map[string]any, name string) []any {
	l, _ := args[name].([]any)
	return l
}

// Costs saturate instead of overflowing: a hostile document cannot wrap the
// sum around to a small number.
const maxCost = math.MaxInt32

func addCost(a, b int) int {
	if a > maxCost-b {
		return maxCost
	}
	return a + b
}

func mulCost(a, n int) int {
	if n <= 0 {
		return 0
	}
	if a > maxCost/n {
		return maxCost
	}
	return a * n
}

// costGuard refuses, before any resolver runs, an operation whose cost is over
// the budget, saying both.
type costGuard struct {
	budget int
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costGuard{}

func (costGuard) ExtensionName() string                   { return "CostGuard" }
func (costGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g costGuard) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	cost := OperationCost(g.schema, rc.Doc, rc.Operation, rc.Variables)
	if cost <= g.budget {
		return nil
	}
	return &gqlerror.Error{
		Message: fmt.Sprintf("La requête coûte %d, au-delà du budget de %d par requête : réduisez la taille des pages, "+
			"le nombre de listes imbriquées ou d'alias, ou découpez-la en plusieurs requêtes.", cost, g.budget),
		Extensions: map[string]any{"code": string(apperr.BadUserInput), "cost": cost, "budget": g.budget},
	}
}
