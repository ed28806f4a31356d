package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/policy"
)

// secondFactorMutations are the mutations a session waiting for its second
// factor may run (login: a browser holding a pending session's cookie signs in
// again, or as someone else).
var secondFactorMutations = []string{"verifySecondFactor", "beginTotpEnrolment", "confirmTotpEnrolment", "logout", "login"}

// refusePending answers SECOND_FACTOR_REQUIRED to an operation of a session
// waiting for its second factor (auth marks its viewer, which holds no grant)
// unless op only reads me or completes the second factor. Every transport
// goes through documentGate and requireViewer, which call it.
func refusePending(ctx context.Context, op *ast.OperationDefinition) *gqlerror.Error {
	v := policy.FromContext(ctx)
	if v == nil || !v.SecondFactorPending ||
		selectsOnly(op, ast.Query, "me") || selectsOnly(op, ast.Mutation, secondFactorMutations...) {
		return nil
	}
	e := auth.ErrSecondFactorRequired
	return &gqlerror.Error{Message: e.Message, Extensions: map[string]any{"code": string(e.Code)}}
}

// pendingAllowed reports whether a session waiting for its second factor may
// select typ.field: what the second-factor screens show of the person's own
// account, in place of the role's entitlements (it has no role yet).
func pendingAllowed(typ, field string) bool {
	if Structural(typ) || strings.HasPrefix(field, "__") {
		return true
	}
	switch typ {
	case "Query":
		return field == "me"
	case "Mutation":
		return slices.Contains(secondFactorMutations, field)
	case "Viewer", "ViewerGrant", "TotpEnrolment", "LoginPayload":
		return true
	case "Account":
		return field == "id" || field == "email" || field == "displayName"
	}
	return false
}

// auditSecondFactor records a second factor given, in the audit log of
// sign-ins (LOGIN), inside the mutation's transaction.
func (r *Resolver) auditSecondFactor(ctx context.Context, v *policy.Viewer, op, method string) error {
	return r.Audit.Append(ctx, v, audit.Entry{Action: audit.ActionLogin, Operation: op,
		Details: map[string]any{"address": auth.RequestFromContext(ctx).RemoteAddr, "method": method}})
}

// secondFactorFailed logs a refused code: the mutation's transaction rolls
// back, and wrong codes are counted by the account's limiter, as wrong
// passwords are.
func (r *Resolver) secondFactorFailed(ctx context.Context, v *policy.Viewer, op string, err error) {
	if r.Log != nil {
		r.Log.WarnContext(ctx, "second factor refused", "operation", op, "account", v.AccountID,
			"address", auth.RequestFromContext(ctx).RemoteAddr, "code", string(apperr.CodeOf(err)))
	}
}
