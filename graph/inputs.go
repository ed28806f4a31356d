package graph

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/graph/scalar"
)

// inputGuard checks, before any resolver runs, every argument value of an
// operation (literals and variables alike) against what the scalars accept:
// identifiers are integers, cursors decode, dates and date-times parse, and no
// string holds a NUL character (PostgreSQL refuses it), and a filter list
// (in a where argument) has at most maxFilterValues items (one SQL parameter
// each; PostgreSQL takes 65,535 per statement). A bad value is the
// caller's mistake, answered BAD_USER_INPUT with its path and value, never an
// internal error half-way through execution.
type inputGuard struct{ schema *ast.Schema }

// maxFilterValues bounds each list of a where argument (idIn, nameIn…).
const maxFilterValues = 1000

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = inputGuard{}

func (inputGuard) ExtensionName() string                   { return "InputGuard" }
func (inputGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g inputGuard) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	c := inputChecker{schema: g.schema, doc: rc.Doc, vars: rc.Variables, spread: map[string]bool{}}
	c.selections(rc.Operation.SelectionSet)
	return c.err
}

type inputChecker struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	spread map[string]bool // fragments already checked: their arguments do not change
	err    *gqlerror.Error
}

func (c *inputChecker) selections(set ast.SelectionSet) {
	for _, sel := range set {
		if c.err != nil {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			c.field(s)
			c.selections(s.SelectionSet)
		case *ast.InlineFragment:
			c.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			if c.spread[s.Name] {
				continue
			}
			c.spread[s.Name] = true
			if f := c.doc.Fragments.ForName(s.Name); f != nil {
				c.selections(f.SelectionSet)
			}
		}
	}
}

func (c *inputChecker) field(f *ast.Field) {
	if f.Definition == nil || len(f.Arguments) == 0 {
		return
	}
	args := f.ArgumentMap(c.vars)
	for _, def := range f.Definition.Arguments {
		if c.err != nil {
			return
		}
		if v, ok := args[def.Name]; ok {
			c.value(v, def.Type, ast.Path{ast.PathName(f.Alias), ast.PathName(def.Name)})
		}
	}
}

// value checks v, the coerced value of an argument or input field of type t
// at path (the field's alias, then the argument path).
func (c *inputChecker) value(v any, t *ast.Type, path ast.Path) {
	if v == nil || c.err != nil {
		return
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value stands for a list of one
			c.value(v, t.Elem, path)
			return
		}
		if len(list) > maxFilterValues && path[1] == ast.PathName("where") {
			c.err = &gqlerror.Error{
				Message: fmt.Sprintf("La liste « %s » contient %d valeurs : un filtre en accepte au plus %d.",
					argumentPath(path[1:]), len(list), maxFilterValues),
				Path: path,
				Extensions: map[string]any{"code": string(apperr.BadUserInput), "field": argumentPath(path[1:]),
					"count": len(list), "max": maxFilterValues},
			}
			return
		}
		for i, item := range list {
			c.value(item, t.Elem, append(path[:len(path):len(path)], ast.PathIndex(i)))
		}
		return
	}
	def := c.schema.Types[t.NamedType]
	if def == nil {
		return
	}
	switch def.Kind {
	case ast.InputObject:
		fields, ok := v.(map[string]any)
		if !ok {
			return
		}
		for _, fd := range def.Fields {
			if fv, ok := fields[fd.Name]; ok {
				c.value(fv, fd.Type, append(path[:len(path):len(path)], ast.PathName(fd.Name)))
			}
		}
	case ast.Scalar:
		c.scalar(v, t.NamedType, path)
	}
}

func (c *inputChecker) scalar(v any, typ string, path ast.Path) {
	if p, bad := nulPath(v); bad {
		c.fail(path, v, "La valeur de « %s »%s contient un caractère nul (U+0000), qui n'est pas accepté.", argumentPath(path[1:]), p)
		return
	}
	switch typ {
	case "ID":
		if _, err := graphql.UnmarshalIntID(v); err != nil {
			c.fail(path, v, "L'identifiant %s de « %s » n'est pas valide : les identifiants de SISERI sont les nombres entiers que l'API renvoie.", describe(v), argumentPath(path[1:]))
		}
	case "Cursor":
		var cur entgql.Cursor[int]
		if err := cur.UnmarshalGQL(v); err != nil {
			c.fail(path, v, "Le curseur %s de « %s » n'est pas valide : reprenez l'endCursor (ou le startCursor) d'une page reçue.", describe(v), argumentPath(path[1:]))
		}
	case "Time":
		if _, err := graphql.UnmarshalTime(v); err != nil {
			c.fail(path, v, "La date-heure %s de « %s » n'est pas au format RFC 3339 (par exemple 2025-05-31T14:00:00Z).", describe(v), argumentPath(path[1:]))
		}
	case "Date":
		if _, err := scalar.UnmarshalDate(v); err != nil {
			c.fail(path, v, "La date %s de « %s » n'est pas au format AAAA-MM-JJ ou n'existe pas.", describe(v), argumentPath(path[1:]))
		}
	}
}

// nulPath reports whether v (a string, or the maps and lists of a Map scalar)
// holds a NUL character, and where inside v.
func nulPath(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return "", strings.ContainsRune(x, 0)
	case map[string]any:
		for k, item := range x {
			if strings.ContainsRune(k, 0) {
				return " (clé " + fmt.Sprintf("%q", k) + ")", true
			}
			if p, bad := nulPath(item); bad {
				return " (clé " + fmt.Sprintf("%q", k) + p + ")", true
			}
		}
	case []any:
		for i, item := range x {
			if p, bad := nulPath(item); bad {
				return fmt.Sprintf(" (élément %d%s)", i, p), true
			}
		}
	}
	return "", false
}

func (c *inputChecker) fail(path ast.Path, v any, format string, args ...any) {
	c.err = &gqlerror.Error{
		Message: fmt.Sprintf(format, args...),
		Path:    path,
		Extensions: map[string]any{
			"code":  string(apperr.BadUserInput),
			"field": argumentPath(path[1:]),
			"value": v,
		},
	}
}
