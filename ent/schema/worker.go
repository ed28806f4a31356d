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

// Worker is a person under individual dose monitoring. A worker is identified by
// a certified NIR, or while it is unknown by a temporary NIA or NTT, or for a
// foreign worker by a foreign identifier with birth data.
type Worker struct{ ent.Schema }

// Fields of the Worker.
func (Worker) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("identifier_kind").NamedValues(
			"NIR", "NIR", "NIA", "NIA", "NTT", "NTT", "Foreign", "FOREIGN",
		).Default("NIR").Comment("Which identifier the worker has: NIR, NIA, NTT (temporary) or a foreign identifier.").
			Annotations(entgql.OrderField("IDENTIFIER_KIND")),
		field.String("nir").Optional().Nillable().Unique().
			Comment("NIR or NIA (15 characters with key); null for NTT and foreign identifiers.").
			Annotations(entgql.Skip(entgql.SkipOrderField)),
		field.String("temporary_id").Optional().Nillable().MaxLen(40).
			Comment("NTT given by the employer while neither NIR nor NIA exists.").
			Annotations(entgql.Skip(entgql.SkipOrderField)),
		field.String("foreign_id").Optional().Nillable().MaxLen(40).
			Comment("Identifier of a foreign worker in their country.").
			Annotations(entgql.Skip(entgql.SkipOrderField)),
		field.String("foreign_country").Optional().Nillable().
			Comment("ISO 3166-1 alpha-2 country of the foreign identifier.").
			Match(isoCountry),
		field.String("last_name").NotEmpty().MaxLen(100).
			Comment("Birth name (nom de naissance).").
			Annotations(entgql.OrderField("LAST_NAME")),
		field.String("usage_name").Optional().MaxLen(100).
			Comment("Usage name, when it differs from the birth name."),
		field.String("first_names").NotEmpty().MaxLen(150).
			Comment("First names, as on the civil status.").
			Annotations(entgql.OrderField("FIRST_NAMES")),
		field.Time("birth_date").Comment("Date of birth.").Annotations(entgql.Type("Date"), entgql.OrderField("BIRTH_DATE")),
		field.String("birth_place").Optional().MaxLen(100).Comment("Place of birth (commune)."),
		field.String("birth_country").Optional().Match(isoCountry).Comment("ISO 3166-1 alpha-2 country of birth."),
		field.Enum("sex").NamedValues("Male", "M", "Female", "F").Comment("Sex, as in the NIR: M or F."),
		field.String("pseudonym").Unique().Immutable().
			Comment("Stable pseudonymous key for statistics (no NIR, no names).").
			DefaultFunc(newPseudonym).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipOrderField)),
	}
}

// Edges of the Worker.
func (Worker) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("employments", Employment.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("operational_doses", OperationalDose.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("assignments", DosimeterAssignment.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("exposure_summaries", ExposureSummary.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("anomalies", Anomaly.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Worker.
func (Worker) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("last_name", "first_names", "birth_date"),
		index.Fields("temporary_id"),
		index.Fields("foreign_country", "foreign_id"),
	}
}

// Hooks of the Worker.
func (Worker) Hooks() []ent.Hook { return []ent.Hook{normaliseWorker} }

// Mixin of the Worker.
func (Worker) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Worker: see policy/scope.
func (Worker) Policy() ent.Policy { return scope.Worker() }

// Annotations of the Worker.
func (Worker) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}
