package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/policy"
)

// documentGate runs before the document is validated against the schema:
//   - an anonymous caller may send a lone login (or a lone activation query
//     or mutation) and nothing else. Refusing
//     the rest before validation tells them nothing of the schema (whether a
//     field exists, what it takes);
//   - a session waiting for its second factor may only complete it
//     (refusePending);
//   - a document may hold at most MaxFields fields. GraphQL validation
//     compares same-named fields pairwise: 16,000 copies of one field (200 kB)
//     take a minute of CPU before any later guard could look at them.
type documentGate struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentGate{}

func (documentGate) ExtensionName() string                   { return "DocumentGate" }
func (documentGate) Validate(graphql.ExecutableSchema) error { return nil }

func (g documentGate) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	doc, err := parser.ParseQuery(&ast.Source{Input: p.Query})
	if err != nil {
		return nil // gqlgen reports the syntax error, which says nothing of the schema
	}
	if policy.FromContext(ctx) == nil {
		op := doc.Operations.ForName(p.OperationName)
		if op == nil || !publicOnly(op) {
			return &gqlerror.Error{Message: errUnauthenticated.Message,
				Extensions: map[string]any{"code": string(errUnauthenticated.Code)}}
		}
	}
	if err := refusePending(ctx, doc.Operations.ForName(p.OperationName)); err != nil {
		return err
	}
	n := 0
	for _, op := range doc.Operations {
		n += countFields(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n += countFields(f.SelectionSet)
	}
	if n > g.limits.MaxFields {
		return &gqlerror.Error{
			Message: tooManyFieldsMessage(g.limits.MaxFields),
			Extensions: map[string]any{"code": string(apperr.BadUserInput), "fields": n,
				"maxFields": g.limits.MaxFields},
		}
	}
	return nil
}

// countFields counts the fields written in set (fragment spreads are counted
// where their fragment is defined).
func countFields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n += 1 + countFields(s.SelectionSet)
		case *ast.InlineFragment:
			n += countFields(s.SelectionSet)
		}
	}
	return n
}

// loginOnly reports whether op is a mutation selecting login (and
// __typename) only.
func loginOnly(op *ast.OperationDefinition) bool {
	return selectsOnly(op, ast.Mutation, "login")
}

// publicFields are the root fields an anonymous caller may select, alone:
// signing in, listing the sign-in providers, and activating an account
// through its activation link.
var publicFields = map[ast.Operation][]string{
	ast.Mutation: {"login", "activateAccount"},
	ast.Query:    {"activation", "signInProviders"},
}

// publicOnly reports whether op selects only fields an anonymous caller may
// use, all of one public operation.
func publicOnly(op *ast.OperationDefinition) bool {
	if op == nil {
		return false
	}
	for _, name := range publicFields[op.Operation] {
		if selectsOnly(op, op.Operation, name) {
			return true
		}
	}
	return false
}

// selectsOnly reports whether op is of type typ and selects root fields among
// names (and __typename) only, at least one of them.
func selectsOnly(op *ast.OperationDefinition, typ ast.Operation, names ...string) bool {
	if op == nil || op.Operation != typ {
		return false
	}
	named := false
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || (f.Name != "__typename" && !slices.Contains(names, f.Name)) {
			return false
		}
		named = named || f.Name != "__typename"
	}
	return named
}
