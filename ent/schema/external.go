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

// ExternalIdentity links a person's identity at an OpenID Connect provider
// (issuer and subject) to a SISERI account. A worker whose registry record
// the provider's identity did not single out waits, without an account, for
// the one-time code their physician issues (pending_hash, the SHA-256 of the
// secret kept in the browser).
type ExternalIdentity struct{ ent.Schema }

// Fields of the ExternalIdentity.
func (ExternalIdentity) Fields() []ent.Field {
	return []ent.Field{
		field.String("provider").NotEmpty().MaxLen(64).
			Comment("Name of the configured provider the identity came through."),
		field.String("issuer").NotEmpty().MaxLen(300).Immutable(),
		field.String("subject").NotEmpty().MaxLen(255).Immutable(),
		field.Int("account_id").Optional().Nillable().
			Comment("The linked account; empty while a worker's claim code is awaited."),
		field.JSON("asserted", map[string]string{}).Optional().
			Comment("Identity the provider asserted (names, birth date and place), kept while a claim is pending."),
		field.Bytes("pending_hash").Optional().Nillable().Unique().Sensitive(),
		field.Time("pending_expires_at").Optional().Nillable(),
		field.Text("pending_id_token").Optional().Nillable().Sensitive().
			Comment("The ID token of the pending sign-in, kept for signing out at the provider once the claim succeeds."),
		field.Time("last_login_at").Optional().Nillable(),
	}
}

// Edges of the ExternalIdentity.
func (ExternalIdentity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Field("account_id").Unique(),
	}
}

// Indexes of the ExternalIdentity: one link per identity.
func (ExternalIdentity) Indexes() []ent.Index {
	return []ent.Index{index.Fields("issuer", "subject").Unique(), index.Fields("account_id")}
}

// Mixin of the ExternalIdentity.
func (ExternalIdentity) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the ExternalIdentity: see policy/scope.
func (ExternalIdentity) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the ExternalIdentity: not exposed through GraphQL.
func (ExternalIdentity) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ExternalSession records that a session was opened through an OpenID
// Connect provider, with the ID token that signing out at the provider
// presents (id_token_hint).
type ExternalSession struct{ ent.Schema }

// Fields of the ExternalSession.
func (ExternalSession) Fields() []ent.Field {
	return []ent.Field{
		field.Int("session_id").Unique().Immutable(),
		field.Int("identity_id").Immutable(),
		field.Text("id_token").Sensitive().Immutable(),
	}
}

// Edges of the ExternalSession.
func (ExternalSession) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("session", Session.Type).Field("session_id").Unique().Required().Immutable(),
		edge.To("identity", ExternalIdentity.Type).Field("identity_id").Unique().Required().Immutable(),
	}
}

// Mixin of the ExternalSession.
func (ExternalSession) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the ExternalSession: see policy/scope.
func (ExternalSession) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the ExternalSession: not exposed through GraphQL.
func (ExternalSession) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// WorkerClaimCode is a one-time code an occupational physician gives a worker
// whose identity at the provider matched no single registry record: entered
// after signing in, it links that identity to the worker. Only its SHA-256 is
// stored; it is valid 7 days and used once.
type WorkerClaimCode struct{ ent.Schema }

// Fields of the WorkerClaimCode.
func (WorkerClaimCode) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Bytes("code_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at").Immutable(),
		field.Time("used_at").Optional().Nillable(),
		field.Int("created_by_id").Immutable().
			Comment("The physician's account."),
	}
}

// Edges of the WorkerClaimCode.
func (WorkerClaimCode) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker", Worker.Type).Field("worker_id").Unique().Required().Immutable(),
	}
}

// Mixin of the WorkerClaimCode.
func (WorkerClaimCode) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the WorkerClaimCode: see policy/scope.
func (WorkerClaimCode) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the WorkerClaimCode: not exposed through GraphQL.
func (WorkerClaimCode) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
