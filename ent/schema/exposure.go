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

// limitCodes are the regulatory limits tracked per worker (DOMAIN.md §3.1).
var limitCodes = []string{
	"Effective", "EFFECTIVE", "Extremity", "EXTREMITY", "Skin", "SKIN",
	"Lens", "LENS", "LensTransition", "LENS_TRANSITION", "Pregnancy", "PREGNANCY",
}

// ExposureSummary is a worker's current standing against one limit: the maximum
// rolling 12-consecutive-month sum and its window, kept current in the same
// transaction as the doses that change it.
type ExposureSummary struct{ ent.Schema }

// Fields of the ExposureSummary.
func (ExposureSummary) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id"),
		field.Enum("limit_code").NamedValues(limitCodes...).Annotations(entgql.OrderField("LIMIT_CODE")),
		field.Time("window_start").Annotations(entgql.Type("Date")),
		field.Time("window_end").Annotations(entgql.Type("Date"), entgql.OrderField("WINDOW_END")),
		field.Int64("sum_usv").NonNegative().Annotations(entgql.OrderField("SUM_USV")),
		field.Int64("limit_usv").Positive(),
		field.Enum("status").NamedValues(
			"Ok", "OK", "Approaching", "APPROACHING", "Exceeded", "EXCEEDED",
		).Annotations(entgql.OrderField("STATUS")),
		field.Int("records").NonNegative().Comment("Number of dose records in the window."),
	}
}

// Edges of the ExposureSummary.
func (ExposureSummary) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", Worker.Type).Ref("exposure_summaries").Field("worker_id").Unique().Required(),
	}
}

// Indexes of the ExposureSummary.
func (ExposureSummary) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "limit_code").Unique(), index.Fields("status", "limit_code")}
}

// Mixin of the ExposureSummary.
func (ExposureSummary) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the ExposureSummary: see policy/scope.
func (ExposureSummary) Policy() ent.Policy { return scope.ExposureSummary() }

// Annotations of the ExposureSummary.
func (ExposureSummary) Annotations() []schema.Annotation { return gqlList() }

// Anomaly is a finding of the detectors on one or more dose records, with its
// explanation, the reference it was measured against and its lifecycle.
type Anomaly struct{ ent.Schema }

// Fields of the Anomaly.
func (Anomaly) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("establishment_id").Optional().Immutable(),
		field.Enum("layer").NamedValues(
			"Validity", "VALIDITY", "Regulatory", "REGULATORY", "Context", "CONTEXT", "History", "HISTORY",
			"Constraint", "CONSTRAINT",
		).Immutable().Comment("Detection layer; CONSTRAINT marks a notice of a dose constraint crossed, kept apart from the anomalies.").Annotations(entgql.OrderField("LAYER")),
		field.String("kind").NotEmpty().Immutable().MaxLen(40).
			Comment("Stable finding code, e.g. LIMIT_EXCEEDED, UNIT_ERROR, CONTEXT_OUTLIER.").
			Annotations(entgql.OrderField("KIND")),
		field.Enum("severity").NamedValues(
			"Info", "INFO", "Low", "LOW", "Medium", "MEDIUM", "High", "HIGH", "Critical", "CRITICAL",
		).Annotations(entgql.OrderField("SEVERITY")),
		field.Float("score").Default(0).Annotations(entgql.OrderField("SCORE")),
		field.Text("explanation").NotEmpty().Comment("One French sentence a radiation protection adviser understands."),
		field.JSON("reference", map[string]any{}).Optional().
			Comment("Snapshot of the reference used: population, size, median, percentile…").
			Annotations(entgql.Type("Map")),
		field.String("fingerprint").NotEmpty().Unique().Immutable().
			Comment("Identity of the finding, so that re-sent or recomputed data raises no duplicate.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("period_start").Optional().Nillable().Immutable().Annotations(entgql.Type("Date")),
		field.Time("period_end").Optional().Nillable().Immutable().Annotations(entgql.Type("Date")),
		field.Enum("status").NamedValues(
			"Open", "OPEN", "Acknowledged", "ACKNOWLEDGED", "Confirmed", "CONFIRMED",
			"NotConfirmed", "NOT_CONFIRMED", "FalsePositive", "FALSE_POSITIVE",
		).Default("OPEN").Annotations(entgql.OrderField("STATUS")),
		field.Int("acknowledged_by_id").Optional().Nillable(),
		field.Time("acknowledged_at").Optional().Nillable(),
		field.Int("resolved_by_id").Optional().Nillable(),
		field.Time("resolved_at").Optional().Nillable(),
		field.String("resolution_comment").Optional().MaxLen(2000),
		field.Int("batch_finding_id").Optional().Nillable().
			Comment("The laboratory batch finding that explains this worker finding; linked findings are not raised one by one."),
	}
}

// Edges of the Anomaly.
func (Anomaly) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", Worker.Type).Ref("anomalies").Field("worker_id").Unique().Required().Immutable(),
		edge.To("establishment", Establishment.Type).Field("establishment_id").Unique().Immutable(),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection()),
		edge.To("acknowledged_by", Account.Type).Field("acknowledged_by_id").Unique(),
		edge.To("resolved_by", Account.Type).Field("resolved_by_id").Unique(),
		edge.From("batch_finding", BatchFinding.Type).Ref("anomalies").Field("batch_finding_id").Unique(),
	}
}

// Indexes of the Anomaly.
func (Anomaly) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "created_at"),
		index.Fields("establishment_id", "created_at"),
		index.Fields("status", "created_at"),
	}
}

// Mixin of the Anomaly.
func (Anomaly) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Anomaly: see policy/scope.
func (Anomaly) Policy() ent.Policy { return scope.Anomaly() }

// Annotations of the Anomaly.
func (Anomaly) Annotations() []schema.Annotation { return gqlList() }
