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

// DoseConstraint is the employer's dose constraint (« contrainte de dose »,
// R.4451-33) that the radiation protection adviser sets for an establishment
// and, optionally, one job code of it: a value over 12 rolling months for one
// limit, below that limit. Detection compares each result with the constraint
// pro-rated to its wearing period and raises a notice (an Anomaly of layer
// CONSTRAINT) above it; with no constraint, the default is 3/10 of the limit
// (the investigation level). Versioned, never edited: setting a new value
// closes the current one (valid_to), so the history of constraints stays.
type DoseConstraint struct{ ent.Schema }

// Fields of the DoseConstraint.
func (DoseConstraint) Fields() []ent.Field {
	return []ent.Field{
		field.Int("establishment_id").Immutable(),
		field.String("job_code").Optional().Nillable().Immutable().MaxLen(20).
			Comment("Job (métier) code the constraint applies to; null for every job of the establishment.").
			Annotations(entgql.OrderField("JOB_CODE")),
		field.Enum("limit_code").NamedValues(
			"Effective", "EFFECTIVE", "Extremity", "EXTREMITY", "Lens", "LENS", "Skin", "SKIN",
		).Immutable().Annotations(entgql.OrderField("LIMIT_CODE")),
		field.Int64("annual_usv").Positive().Immutable().
			Comment("The constraint in µSv over 12 rolling months; a result is compared with value × months / 12."),
		field.Time("valid_from").Immutable().
			Annotations(entgql.OrderField("VALID_FROM")),
		field.Time("valid_to").Optional().Nillable().
			Comment("When the constraint was replaced or ended; null while it is in force."),
		field.Int("set_by_id").Immutable().
			Comment("Account of the adviser (or employer correspondent) who set it."),
		field.Int("ended_by_id").Optional().Nillable().
			Comment("Account who ended it or set the value that replaced it."),
		field.String("comment").Optional().MaxLen(2000).Immutable().
			Comment("Why this value (French free text)."),
	}
}

// Edges of the DoseConstraint.
func (DoseConstraint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("establishment", Establishment.Type).Field("establishment_id").Unique().Required().Immutable(),
		edge.To("set_by", Account.Type).Field("set_by_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("ended_by", Account.Type).Field("ended_by_id").Unique().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the DoseConstraint: detection reads the constraints in force of
// a batch's establishments.
func (DoseConstraint) Indexes() []ent.Index {
	return []ent.Index{index.Fields("establishment_id", "limit_code", "valid_to")}
}

// Mixin of the DoseConstraint.
func (DoseConstraint) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the DoseConstraint: see policy/scope.
func (DoseConstraint) Policy() ent.Policy { return scope.DoseConstraint() }

// Annotations of the DoseConstraint: no generated root list; read through
// doseConstraints(establishmentId) and written through setDoseConstraint and
// endDoseConstraint.
func (DoseConstraint) Annotations() []schema.Annotation { return nil }
