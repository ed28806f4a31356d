package policy

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/privacy"
)

// AllowSystem allows any query or mutation made in a system context.
func AllowSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if IsSystem(ctx) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowAdmin allows any query or mutation by a viewer acting as ADMIN.
func AllowAdmin() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if FromContext(ctx).Acts(RoleAdmin) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// DenyDelete refuses every delete, whoever asks: nothing in the registry is ever
// hard-deleted; corrections are new versions and closures are end dates.
func DenyDelete() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
			return privacy.Denyf("les suppressions sont interdites dans le registre")
		}
		return privacy.Skip
	})
}

// DenyUpdate refuses updates of append-only records (audit events).
func DenyUpdate() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
			return privacy.Denyf("cet enregistrement ne peut pas être modifié")
		}
		return privacy.Skip
	})
}
