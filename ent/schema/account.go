package schema

import (
	"github.com/siseri/siseri/policy/scope"
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy"
)

var email = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Account is a person's login. What it may see comes from its grants.
type Account struct{ ent.Schema }

// Fields of the Account.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Unique().MaxLen(254).Match(email).
			Annotations(entgql.OrderField("EMAIL")),
		field.String("display_name").NotEmpty().MaxLen(150).Annotations(entgql.OrderField("DISPLAY_NAME")),
		field.String("password_hash").Sensitive().Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("rpps").Optional().Nillable().Validate(validRPPS).
			Comment("RPPS number of a physician."),
		field.Int("worker_id").Optional().Nillable().
			Comment("The worker this account belongs to, for the WORKER role."),
		field.Bool("active").Default(true),
		field.Bool("demo").Default(false).Immutable().
			Comment("Demo accounts exist only in demo mode."),
		field.Time("last_login_at").Optional().Nillable(),
	}
}

// Edges of the Account.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker", Worker.Type).Field("worker_id").Unique(),
		edge.To("grants", Grant.Type).Annotations(entgql.RelayConnection()),
		edge.To("sessions", Session.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("api_keys", ApiKey.Type).Annotations(entgql.RelayConnection()),
		edge.To("tokens", AccountToken.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Mixin of the Account.
func (Account) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Account: see policy/scope.
func (Account) Policy() ent.Policy { return scope.Account() }

// Annotations of the Account.
func (Account) Annotations() []schema.Annotation { return gqlList() }

// Session is a browser or API sign-in. Only the SHA-256 of its token is stored.
type Session struct{ ent.Schema }

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Bytes("token_hash").Unique().Immutable().Sensitive(),
		field.Time("expires_at"),
		field.Time("last_seen_at").Default(timeNow),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("active_role").Optional().Nillable().
			Comment("The role the person chose to act under for this session."),
		field.String("remote_addr").Optional().Immutable().MaxLen(64),
		field.String("user_agent").Optional().Immutable().MaxLen(300),
		field.String("amr").Optional().MaxLen(50).
			Comment("How the session was authenticated (RFC 8176 values): \"pwd\" for a password, \"pwd otp\" once a TOTP or recovery code was given; other sign-in paths (OpenID Connect) set their own."),
		field.Time("second_factor_at").Optional().Nillable().
			Comment("When the second factor was verified for this session."),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("sessions").Field("account_id").Unique().Required().Immutable(),
	}
}

// Mixin of the Session.
func (Session) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the Session: see policy/scope.
func (Session) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the Session: not exposed through GraphQL.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Grant is a role held by an account on a scope (an establishment, a company, a
// worker, a laboratory, a region or the whole country), valid from/to.
type Grant struct{ ent.Schema }

// Fields of the Grant.
func (Grant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Enum("role").GoType(policy.Role("")).Immutable().Annotations(entgql.Type("Role"), entgql.OrderField("ROLE")),
		field.Int("establishment_id").Optional().Nillable().Immutable(),
		field.Int("company_id").Optional().Nillable().Immutable(),
		field.Int("worker_id").Optional().Nillable().Immutable(),
		field.Int("laboratory_id").Optional().Nillable().Immutable(),
		field.String("region").Optional().Nillable().Immutable().Match(regionCode),
		field.Int("delegated_from_id").Optional().Nillable().Immutable().
			Comment("The physician's grant this delegation derives from."),
		field.Time("valid_from").Annotations(entgql.OrderField("VALID_FROM")),
		field.Time("valid_to").Optional().Nillable().Annotations(entgql.OrderField("VALID_TO")),
		field.Time("revoked_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput)),
	}
}

// Edges of the Grant.
func (Grant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("grants").Field("account_id").Unique().Required().Immutable(),
		edge.To("establishment", Establishment.Type).Field("establishment_id").Unique().Immutable(),
		edge.To("company", Company.Type).Field("company_id").Unique().Immutable(),
		edge.To("worker", Worker.Type).Field("worker_id").Unique().Immutable(),
		edge.To("laboratory", Laboratory.Type).Field("laboratory_id").Unique().Immutable(),
		edge.To("delegations", Grant.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput)).
			From("delegated_from").Field("delegated_from_id").Unique().Immutable(),
	}
}

// Hooks of the Grant.
func (Grant) Hooks() []ent.Hook { return []ent.Hook{checkGrantScope} }

// Indexes of the Grant.
func (Grant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id"), index.Fields("establishment_id", "role"), index.Fields("worker_id", "role")}
}

// Mixin of the Grant.
func (Grant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Grant: see policy/scope.
func (Grant) Policy() ent.Policy { return scope.Grant() }

// Annotations of the Grant.
func (Grant) Annotations() []schema.Annotation { return gqlList(entgql.MutationCreate()) }

// ApiKey is a partner information system's key, bound to a profile that fixes
// which operations and fields it may use, and acting for an account's grants.
type ApiKey struct{ ent.Schema }

// Fields of the ApiKey.
func (ApiKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("NAME")),
		field.String("prefix").Unique().Immutable().
			Comment("Public identifier shown in listings; the secret is shown once at creation."),
		field.Bytes("secret_hash").Sensitive().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("profile").NamedValues(
			"OccupationalHealthSoftware", "OCCUPATIONAL_HEALTH_SOFTWARE",
			"LaboratorySystem", "LABORATORY_SYSTEM",
			"StatisticsConsumer", "STATISTICS_CONSUMER",
		).Immutable(),
		field.Int("account_id").Immutable(),
		field.Int("grant_id").Immutable().
			Comment("The grant (role and scope) the key acts under."),
		field.Int("rate_limit_per_minute").Default(600).Range(1, 100000).
			Comment("Requests per minute the key may make."),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
	}
}

// Edges of the ApiKey.
func (ApiKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("api_keys").Field("account_id").Unique().Required().Immutable(),
		edge.To("grant", Grant.Type).Field("grant_id").Unique().Required().Immutable(),
	}
}

// Mixin of the ApiKey.
func (ApiKey) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the ApiKey: see policy/scope.
func (ApiKey) Policy() ent.Policy { return scope.ApiKey() }

// Annotations of the ApiKey.
func (ApiKey) Annotations() []schema.Annotation { return gqlList() }
