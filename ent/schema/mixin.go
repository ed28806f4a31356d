package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/privacy"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/siseri/siseri/policy"
)

// TimeMixin adds server-set creation and update instants.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.OrderField("UPDATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// CreatedMixin adds only a creation instant, for append-only records.
type CreatedMixin struct{ mixin.Schema }

// Fields of the CreatedMixin.
func (CreatedMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// AccessMixin closes every entity by default: only the system and administrators
// may read or write, and nothing may ever be deleted. Row scopes per role are
// layered on top by the access-control rules.
type AccessMixin struct{ mixin.Schema }

// Policy of the AccessMixin.
func (AccessMixin) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{
			policy.DenyDelete(),
			policy.AllowSystem(),
			policy.AllowAdmin(),
			privacy.AlwaysDenyRule(),
		},
		Query: privacy.QueryPolicy{
			policy.AllowSystem(),
			policy.AllowAdmin(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// AppendOnlyMixin is AccessMixin for records that are never updated either.
type AppendOnlyMixin struct{ mixin.Schema }

// Policy of the AppendOnlyMixin.
func (AppendOnlyMixin) Policy() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{
			policy.DenyDelete(),
			policy.DenyUpdate(),
			policy.AllowSystem(),
			policy.AllowAdmin(),
			privacy.AlwaysDenyRule(),
		},
		Query: privacy.QueryPolicy{
			policy.AllowSystem(),
			policy.AllowAdmin(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// gqlList is the annotation set shared by every entity exposed as a Relay list
// with where filters and multi-field ordering.
func gqlList(mutations ...entgql.MutationOption) []schema.Annotation {
	out := []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), entgql.MultiOrder()}
	if len(mutations) > 0 {
		out = append(out, entgql.Mutations(mutations...))
	}
	return out
}
