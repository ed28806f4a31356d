package graph

import (
	"context"
	"log/slog"
	"sync"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/store"
)

// transactioner runs each mutation in one database transaction, serialising
// its field resolvers, as entgql.Transactioner does; a transaction that
// cannot be opened or committed is answered with a coded French error
// (SERVICE_UNAVAILABLE when the database is unreachable) instead of the
// driver's English message.
type transactioner struct {
	open entgql.TxOpener
	log  *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = transactioner{}

func (transactioner) ExtensionName() string                   { return "Transactioner" }
func (transactioner) Validate(graphql.ExecutableSchema) error { return nil }

func (t transactioner) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if !isMutation(oc) {
		return nil
	}
	previous := oc.ResolverMiddleware
	var mu sync.Mutex
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		return previous(ctx, next)
	}
	return nil
}

func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !isMutation(graphql.GetOperationContext(ctx)) {
		return next(ctx)
	}
	txCtx, tx, err := t.open.OpenTx(ctx)
	if err != nil {
		return t.failed(ctx, "open", err)
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	rsp := next(txCtx)
	if rsp == nil {
		// A streaming transport (SSE) asks again after the one response of
		// a mutation: nothing ran.
		_ = tx.Rollback()
		return nil
	}
	if len(rsp.Errors) > 0 {
		_ = tx.Rollback()
		return &graphql.Response{Errors: rsp.Errors}
	}
	if err := tx.Commit(); err != nil {
		return t.failed(ctx, "commit", err)
	}
	return rsp
}

func (t transactioner) failed(ctx context.Context, step string, err error) *graphql.Response {
	ae := internal
	if store.IsUnavailable(err) {
		ae = errUnavailable
		t.log.WarnContext(ctx, "mutation transaction: database unavailable", "step", step, "err", err)
	} else {
		t.log.ErrorContext(ctx, "mutation transaction", "step", step, "err", err)
	}
	return &graphql.Response{Errors: gqlerror.List{{Message: ae.Message, Extensions: map[string]any{"code": string(ae.Code)}}}}
}

func isMutation(oc *graphql.OperationContext) bool {
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation
}
