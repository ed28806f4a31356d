package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/siseri/siseri/policy/scope"
)

// AuditBatch seals a run of audit events, as a transparency log does: the
// events numbered first_seq..last_seq, whose hashes (in seq order) have the
// Merkle root root, chained to the previous batch by prev_hash. Only the
// sequencer writes batches (backend/audit); they are never changed or deleted.
type AuditBatch struct{ ent.Schema }

// Fields of the AuditBatch.
func (AuditBatch) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("number").Unique().Immutable().Positive().Comment("1..n without gaps."),
		field.Int64("first_seq").Immutable().Positive(),
		field.Int64("last_seq").Immutable().Positive(),
		field.String("root").Immutable().Comment("RFC 6962 Merkle tree hash of the events' hashes, in seq order."),
		field.String("prev_hash").Immutable().Comment("The previous batch's hash; empty for the first."),
		field.Time("sealed_at").Default(timeNow).Immutable(),
		field.String("hash").Unique().Immutable().Comment("SHA-256 over the fields above."),
	}
}

// Policy of the AuditBatch: the sequencer and verify run as the system.
func (AuditBatch) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the AuditBatch: not in the GraphQL API.
func (AuditBatch) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
