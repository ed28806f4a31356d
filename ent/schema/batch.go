package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ImportBatch is a submitted file or mutation batch with its execution report.
type ImportBatch struct{ ent.Schema }

// Fields of the ImportBatch.
func (ImportBatch) Fields() []ent.Field {
	return []ent.Field{
		field.Int("submitter_id").Immutable(),
		field.Int("api_key_id").Optional().Nillable().Immutable(),
		field.Enum("format").NamedValues(
			"LabResults", "LAB_RESULTS", "Declarations", "DECLARATIONS", "Operational", "OPERATIONAL",
			"Correction", "CORRECTION",
		).Immutable().Annotations(entgql.OrderField("FORMAT")),
		field.String("reference").NotEmpty().Immutable().MaxLen(100).
			Comment("The submitter's idempotency reference."),
		field.String("filename").Optional().Immutable().MaxLen(255),
		field.String("checksum").Optional().Immutable().Comment("SHA-256 of the submitted content."),
		field.Enum("status").NamedValues(
			"Pending", "PENDING", "Accepted", "ACCEPTED", "Partial", "PARTIAL",
			"Rejected", "REJECTED", "DryRun", "DRY_RUN",
		).Default("PENDING").Annotations(entgql.OrderField("STATUS")),
		field.Int("rows_total").Default(0).NonNegative(),
		field.Int("rows_accepted").Default(0).NonNegative(),
		field.Int("rows_rejected").Default(0).NonNegative(),
		field.JSON("report", map[string]any{}).Optional().Annotations(entgql.Type("Map")),
		field.Time("completed_at").Optional().Nillable(),
	}
}

// Edges of the ImportBatch.
func (ImportBatch) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("submitter", Account.Type).Field("submitter_id").Unique().Required().Immutable(),
		edge.To("api_key", ApiKey.Type).Field("api_key_id").Unique().Immutable(),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection()),
		edge.To("operational_doses", OperationalDose.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the ImportBatch.
func (ImportBatch) Indexes() []ent.Index {
	return []ent.Index{index.Fields("submitter_id", "reference").Unique()}
}

// Mixin of the ImportBatch.
func (ImportBatch) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, AccessMixin{}} }

// Annotations of the ImportBatch.
func (ImportBatch) Annotations() []schema.Annotation { return gqlList() }

// AuditEvent records who read or changed which nominative data. Events are
// append-only and hash-chained: each hash covers the previous one.
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(timeNow).Immutable().Annotations(entgql.OrderField("AT")),
		field.Int("actor_account_id").Optional().Nillable().Immutable(),
		field.Int("actor_api_key_id").Optional().Nillable().Immutable(),
		field.String("actor_role").Optional().Immutable(),
		field.String("action").NotEmpty().Immutable().Annotations(entgql.OrderField("ACTION")),
		field.String("object_type").Optional().Immutable(),
		field.Int("object_id").Optional().Nillable().Immutable(),
		field.Int("worker_id").Optional().Nillable().Immutable().
			Comment("The person whose data was read or changed."),
		field.String("operation").Optional().Immutable().MaxLen(200),
		field.JSON("details", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.String("prev_hash").Immutable(),
		field.String("hash").Unique().Immutable(),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "at"), index.Fields("actor_account_id", "at")}
}

// Mixin of the AuditEvent.
func (AuditEvent) Mixin() []ent.Mixin { return []ent.Mixin{AppendOnlyMixin{}} }

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation { return gqlList() }
