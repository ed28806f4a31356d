package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/siseri/siseri/policy/scope"
)

// ImportBatch is a submitted file or mutation batch with its execution report.
type ImportBatch struct{ ent.Schema }

// Fields of the ImportBatch.
func (ImportBatch) Fields() []ent.Field {
	return []ent.Field{
		field.Int("submitter_id").Immutable(),
		field.Int("api_key_id").Optional().Nillable().Immutable(),
		field.Int("laboratory_id").Optional().Nillable().Immutable().
			Comment("The laboratory a results batch comes from."),
		field.Int("establishment_id").Optional().Nillable().Immutable().
			Comment("The establishment a declaration or operational batch is for, when it is only one."),
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
		field.JSON("profile", batchProfile).Optional().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("A laboratory batch's distribution per exposure context (anomaly.BatchProfile), for the batch checks of the next batches."),
	}
}

// Edges of the ImportBatch.
func (ImportBatch) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("submitter", Account.Type).Field("submitter_id").Unique().Required().Immutable(),
		edge.To("api_key", ApiKey.Type).Field("api_key_id").Unique().Immutable(),
		edge.To("laboratory", Laboratory.Type).Field("laboratory_id").Unique().Immutable(),
		edge.To("establishment", Establishment.Type).Field("establishment_id").Unique().Immutable(),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection()),
		edge.To("operational_doses", OperationalDose.Type).Annotations(entgql.RelayConnection()),
		edge.To("findings", BatchFinding.Type),
	}
}

// Indexes of the ImportBatch.
func (ImportBatch) Indexes() []ent.Index {
	return []ent.Index{index.Fields("submitter_id", "reference").Unique(), index.Fields("laboratory_id", "created_at")}
}

// Mixin of the ImportBatch.
func (ImportBatch) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the ImportBatch: see policy/scope.
func (ImportBatch) Policy() ent.Policy { return scope.ImportBatch() }

// Annotations of the ImportBatch.
func (ImportBatch) Annotations() []schema.Annotation { return gqlList() }

// AuditEvent records who read or changed which nominative data: one event per
// operation, naming the actor, the role and grant used, the field paths and the
// entities touched. Events are append-only: a reader appends a plain row with
// the hash of its content (no lock, no read of the chain); the sequencer later
// numbers committed rows (seq, set once) and seals them in AuditBatch rows
// whose hashes are chained, so an edited, inserted or deleted event breaks the
// chain (siseri audit verify). seq is NULL while the event waits to be chained.
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Optional().Nillable().Unique().Immutable().Positive().
			Comment("Position in the chain, 1..n without gaps; NULL until the sequencer chains the event."),
		field.Time("at").Default(timeNow).Immutable().Annotations(entgql.OrderField("AT")),
		field.Int("actor_account_id").Optional().Nillable().Immutable(),
		field.Int("actor_api_key_id").Optional().Nillable().Immutable(),
		field.String("actor_label").Optional().Immutable().MaxLen(300).
			Comment("Who acted, as shown to the person whose data it was (name and role)."),
		field.String("actor_role").Optional().Immutable(),
		field.Int("grant_id").Optional().Nillable().Immutable(),
		field.String("action").NotEmpty().Immutable().Annotations(entgql.OrderField("ACTION")).
			Comment("READ, CREATE, UPDATE, LOGIN, EXPORT…"),
		field.String("operation").Optional().Immutable().MaxLen(200).
			Comment("GraphQL operation name, or the command that acted."),
		field.Strings("field_paths").Optional().Immutable().
			Comment("Type.field of the nominative fields read or written."),
		field.String("object_type").Optional().Immutable(),
		field.Ints("object_ids").Optional().Immutable(),
		field.Ints("worker_ids").Optional().Immutable().
			Comment("The people whose data was read or changed."),
		field.JSON("details", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.String("prev_hash").Optional().Immutable().
			Comment("Events chained one by one before batches: the previous event's hash. Empty since (see AuditBatch)."),
		field.String("salt").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Random, hashed with the content: two identical events differ, and a published hash cannot be confirmed by guessing."),
		field.String("hash").Unique().Immutable().
			Comment("SHA-256 of the event's canonical content (backend/audit), computed when it is appended."),
	}
}

// Edges of the AuditEvent.
func (AuditEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("subjects", AuditSubject.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("actor_account_id", "at"), index.Fields("at"),
		// The sequencer's queue: the events not yet chained, a handful among millions.
		index.Fields("id").StorageKey("auditevent_pending").Annotations(entsql.IndexWhere("seq IS NULL"))}
}

// Mixin of the AuditEvent.
func (AuditEvent) Mixin() []ent.Mixin { return []ent.Mixin{} }

// Policy of the AuditEvent: see policy/scope.
func (AuditEvent) Policy() ent.Policy { return scope.AuditEvent() }

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation { return gqlList() }

// AuditSubject indexes an audit event by the worker whose data it concerns, so
// that a worker can list who accessed their data. Its content is covered by the
// event's hash (worker_ids).
type AuditSubject struct{ ent.Schema }

// Fields of the AuditSubject.
func (AuditSubject) Fields() []ent.Field {
	return []ent.Field{
		field.Int("event_id").Immutable(),
		field.Int("worker_id").Immutable(),
		field.Time("at").Immutable(),
	}
}

// Edges of the AuditSubject.
func (AuditSubject) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", AuditEvent.Type).Ref("subjects").Field("event_id").Unique().Required().Immutable(),
	}
}

// Indexes of the AuditSubject.
func (AuditSubject) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "at"), index.Fields("event_id")}
}

// Mixin of the AuditSubject.
func (AuditSubject) Mixin() []ent.Mixin { return []ent.Mixin{} }

// Policy of the AuditSubject: see policy/scope.
func (AuditSubject) Policy() ent.Policy { return scope.AuditSubject() }

// Annotations of the AuditSubject: reached through AuditEvent only.
func (AuditSubject) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
