package graph

import (
	"context"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/graph/generated"
)

// Limits bound what one operation may ask for.
type Limits struct {
	// MaxDepth is the deepest field nesting allowed.
	MaxDepth int
	// MaxPageSize is the largest first/last accepted on a connection.
	MaxPageSize int
	// MaxComplexity is gqlgen's complexity budget (see connectionComplexity).
	MaxComplexity int
}

// DefaultLimits allow an establishment's 500 workers with their last 12 doses,
// and refuse unbounded or deeper requests.
var DefaultLimits = Limits{MaxDepth: 12, MaxPageSize: 1000, MaxComplexity: 200_000}

// connectionComplexity fills every Relay connection field of the complexity
// root with a cost that multiplies the children's cost by the page size
// (first or last), so that a nested list costs the product of its pages.
func connectionComplexity(c *generated.ComplexityRoot) {
	intPtr := reflect.TypeOf((*int)(nil))
	root := reflect.ValueOf(c).Elem()
	for i := 0; i < root.NumField(); i++ {
		obj := root.Field(i)
		for j := 0; j < obj.NumField(); j++ {
			f := obj.Field(j)
			t := f.Type()
			// Connection fields: (childComplexity, after, first, before, last, orderBy, where).
			if t.Kind() != reflect.Func || t.NumIn() < 5 || t.In(2) != intPtr || t.In(4) != intPtr {
				continue
			}
			f.Set(reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
				child := int(args[0].Int())
				n := 1
				for _, a := range []reflect.Value{args[2], args[4]} {
					if !a.IsNil() && int(a.Elem().Int()) > n {
						n = int(a.Elem().Int())
					}
				}
				return []reflect.Value{reflect.ValueOf(1 + child*n)}
			}))
		}
	}
}

// shapeGuard rejects, before any resolver runs, an operation nested deeper
// than MaxDepth, or that asks a connection for no page size or one larger than
// MaxPageSize (like GitHub's API, every connection needs first or last).
type shapeGuard struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeGuard{}

func (shapeGuard) ExtensionName() string                   { return "ShapeGuard" }
func (shapeGuard) Validate(graphql.ExecutableSchema) error { return nil }
func (g shapeGuard) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	w := walker{doc: rc.Doc, vars: rc.Variables, limits: g.limits}
	w.walk(rc.Operation.SelectionSet, 1, "")
	if w.err != nil {
		w.err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	}
	return w.err
}

type walker struct {
	doc    *ast.QueryDocument
	vars   map[string]any
	limits Limits
	err    *gqlerror.Error
	seen   int
}

func (w *walker) walk(set ast.SelectionSet, depth int, path string) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		w.seen++
		if w.seen > 10_000 { // fragment cycles are rejected by validation; this bounds pathological documents
			w.err = gqlerror.Errorf("La requête est trop volumineuse.")
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			p := strings.TrimPrefix(path+"."+s.Alias, ".")
			if depth > w.limits.MaxDepth {
				w.err = gqlerror.Errorf("La requête est trop profonde en %s (au plus %d niveaux).", p, w.limits.MaxDepth)
				return
			}
			if s.Definition != nil && strings.HasSuffix(s.Definition.Type.Name(), "Connection") {
				w.checkPage(s, p)
			}
			w.walk(s.SelectionSet, depth+1, p)
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, depth, path)
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				w.walk(f.SelectionSet, depth, path)
			}
		}
	}
}

func (w *walker) checkPage(f *ast.Field, path string) {
	args := f.ArgumentMap(w.vars)
	size := -1
	for _, name := range []string{"first", "last"} {
		if v, ok := args[name]; ok && v != nil {
			if n, ok := toInt(v); ok && n > size {
				size = n
			}
		}
	}
	switch {
	case size < 0:
		w.err = gqlerror.Errorf("La liste %s doit préciser une taille de page (first ou last, au plus %d).", path, w.limits.MaxPageSize)
	case size > w.limits.MaxPageSize:
		w.err = gqlerror.Errorf("La taille de page %d demandée pour %s dépasse le maximum de %d.", size, path, w.limits.MaxPageSize)
	}
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}
