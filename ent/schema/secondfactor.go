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

// TotpCredential is a person's time-based one-time password (RFC 6238), the
// second factor of password sign-in for privileged roles. The shared secret is
// stored sealed (AES-GCM under the server key SISERI_SECRET_KEY when one is
// configured) and never exposed.
type TotpCredential struct{ ent.Schema }

// Fields of the TotpCredential.
func (TotpCredential) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Bytes("secret").Sensitive().
			Comment("The shared secret, sealed: a format byte, then AES-GCM nonce and ciphertext (or the clear secret without a server key)."),
		field.Time("confirmed_at").Optional().Nillable().
			Comment("Set when the person proved they hold it; until then the credential is an enrolment in progress."),
		field.Int64("last_step").Default(0).
			Comment("The last 30-second time step a code was accepted for: a code of that step or an earlier one is a replay."),
		field.Time("revoked_at").Optional().Nillable().
			Comment("Set when a new enrolment replaces it or an administrator resets the account's second factor."),
	}
}

// Edges of the TotpCredential.
func (TotpCredential) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes of the TotpCredential.
func (TotpCredential) Indexes() []ent.Index { return []ent.Index{index.Fields("account_id")} }

// Mixin of the TotpCredential.
func (TotpCredential) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the TotpCredential: see policy/scope.
func (TotpCredential) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the TotpCredential: not exposed through GraphQL.
func (TotpCredential) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// RecoveryCode is a one-time code that replaces the TOTP code when the person
// lost their device. Only the SHA-256 of the code is stored; each serves once.
type RecoveryCode struct{ ent.Schema }

// Fields of the RecoveryCode.
func (RecoveryCode) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Bytes("code_hash").Unique().Immutable().Sensitive(),
		field.Time("used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable().
			Comment("Set when new codes replace it or the account's second factor is reset."),
	}
}

// Edges of the RecoveryCode.
func (RecoveryCode) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes of the RecoveryCode.
func (RecoveryCode) Indexes() []ent.Index { return []ent.Index{index.Fields("account_id")} }

// Mixin of the RecoveryCode.
func (RecoveryCode) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the RecoveryCode: see policy/scope.
func (RecoveryCode) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the RecoveryCode: not exposed through GraphQL.
func (RecoveryCode) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
