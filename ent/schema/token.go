package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy/scope"
)

// AccountToken is a one-time secret sent to a person: the activation link of a
// new account (which is also the invitation an OpenID Connect sign-in consumes
// to link the account). Only the SHA-256 of the token is stored; it is used
// once and expires.
type AccountToken struct{ ent.Schema }

// Fields of the AccountToken.
func (AccountToken) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Enum("purpose").Values("ACTIVATION").Immutable(),
		field.Bytes("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at").Immutable(),
		field.Time("used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable().
			Comment("Set when a newer token of the same purpose replaces it."),
		field.Int("created_by_id").Optional().Nillable().Immutable().
			Comment("The administrator who issued it; empty for the command line."),
	}
}

// Edges of the AccountToken.
func (AccountToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("tokens").Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes of the AccountToken.
func (AccountToken) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "purpose")}
}

// Mixin of the AccountToken.
func (AccountToken) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the AccountToken: see policy/scope.
func (AccountToken) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the AccountToken: not exposed through GraphQL.
func (AccountToken) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
