package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
)

// Limits bound what one operation may ask for.
type Limits struct {
	// MaxDepth is the deepest field nesting allowed.
	MaxDepth int
	// MaxPageSize is the largest first/last accepted on a connection.
	MaxPageSize int
	// MaxComplexity is the cost budget of one operation (see the cost model
	// in cost.go).
	MaxComplexity int
	// MaxFields bounds the fields an operation selects, aliases and
	// fragment spreads included.
	MaxFields int
	// MaxNodes bounds the ids one nodes(ids:) call takes.
	MaxNodes int
}

// DefaultLimits allow every operation the web application sends with room to
// grow (the costliest, the regional control page, costs 37,000 and the
// largest selects 41 fields: see TestSPAOperationsWithinBudget) and refuse
// unbounded, deeper or costlier requests.
var DefaultLimits = Limits{MaxDepth: 12, MaxPageSize: 1000, MaxComplexity: 100_000, MaxFields: 500, MaxNodes: 100}

// shapeGuard rejects, before any resolver runs, an operation nested deeper
// than MaxDepth, selecting more than MaxFields fields, asking nodes for more
// than MaxNodes ids or signing in more than once, or that asks a connection
// for no page size or one larger than MaxPageSize (like GitHub's API, every
// connection needs first or last).
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
		if w.err.Extensions == nil {
			w.err.Extensions = map[string]any{}
		}
		w.err.Extensions["code"] = string(apperr.BadUserInput)
	}
	return w.err
}

type walker struct {
	doc    *ast.QueryDocument
	vars   map[string]any
	limits Limits
	err    *gqlerror.Error
	fields int
	seen   int
	logins int
}

func (w *walker) walk(set ast.SelectionSet, depth int, path string) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		// Fragment cycles are rejected by validation; this bounds documents
		// that spread fragments many times over.
		if w.seen++; w.seen > 4*w.limits.MaxFields {
			w.tooManyFields()
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			p := strings.TrimPrefix(path+"."+s.Alias, ".")
			if w.fields++; w.fields > w.limits.MaxFields {
				w.tooManyFields()
				return
			}
			if depth > w.limits.MaxDepth {
				w.err = gqlerror.Errorf("La requête est trop profonde en %s (au plus %d niveaux).", p, w.limits.MaxDepth)
				return
			}
			if s.Definition != nil && strings.HasSuffix(s.Definition.Type.Name(), "Connection") {
				w.checkPage(s, p)
			}
			if s.ObjectDefinition != nil {
				switch s.ObjectDefinition.Name + "." + s.Name {
				case "Query.nodes":
					w.checkNodes(s, p)
				case "Mutation.login":
					if w.logins++; w.logins > 1 {
						w.err = gqlerror.Errorf("Une requête ne peut ouvrir qu'une session : envoyez un seul login.")
						return
					}
				}
			}
			next := depth + 1
			if s.ObjectDefinition != nil && s.ObjectDefinition.Name == "__Type" && s.Name == "ofType" {
				// Type references nest as deep as the schema's wrappers
				// (non-null, list) and no deeper: the explorer's standard
				// introspection query spells out eight levels of them.
				next = depth
			}
			w.walk(s.SelectionSet, next, p)
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, depth, path)
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				w.walk(f.SelectionSet, depth, path)
			}
		}
	}
}

func (w *walker) tooManyFields() {
	w.err = &gqlerror.Error{Message: tooManyFieldsMessage(w.limits.MaxFields),
		Extensions: map[string]any{"maxFields": w.limits.MaxFields}}
}

func tooManyFieldsMessage(max int) string {
	return fmt.Sprintf("La requête sélectionne plus de %d champs (alias et fragments compris) : découpez-la en plusieurs requêtes.", max)
}

// checkNodes refuses nodes(ids:) with more than MaxNodes ids.
func (w *walker) checkNodes(f *ast.Field, path string) {
	n := len(listArg(f.ArgumentMap(w.vars), "ids"))
	if n <= w.limits.MaxNodes {
		return
	}
	w.err = gqlerror.Errorf("La liste ids de %s contient %d identifiants : au plus %d sont acceptés par appel.", path, n, w.limits.MaxNodes)
	w.err.Path = ast.Path{ast.PathName(f.Alias), ast.PathName("ids")}
	w.err.Extensions = map[string]any{"field": "ids", "count": n, "max": w.limits.MaxNodes}
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
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}
