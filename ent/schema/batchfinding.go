package schema

import (
	"encoding/json"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy/scope"
)

// BatchFinding is a laboratory batch whose distribution in one exposure
// context (share of zeros, recording threshold, median level) departs both
// from that laboratory's previous batches and from the other laboratories in
// the same context and months: an anomaly of the batch, for the laboratory
// and the agency. The worker findings it explains are linked to it
// (Anomaly.batch_finding) instead of being raised one by one.
type BatchFinding struct{ ent.Schema }

// Fields of the BatchFinding.
func (BatchFinding) Fields() []ent.Field {
	return []ent.Field{
		field.Int("import_batch_id").Immutable(),
		field.Int("laboratory_id").Immutable(),
		field.Enum("kind").NamedValues(
			"ZeroShare", "BATCH_ZERO_SHARE", "LevelShift", "BATCH_LEVEL_SHIFT", "ThresholdChange", "BATCH_THRESHOLD_CHANGE",
		).Immutable().Annotations(entgql.OrderField("KIND")),
		field.String("context_key").NotEmpty().Immutable().
			Comment("The exposure context: sector × monitoring kind × period length, or kind × period length without sector."),
		field.String("context_label").Optional().Immutable(),
		field.String("monitoring_kind").Immutable(),
		field.String("sector_code").Optional().Immutable(),
		field.Int("period_months").Positive().Immutable(),
		field.String("direction").Immutable().
			Comment("UP or DOWN: the way this batch departs (more zeros, higher level, higher threshold is UP)."),
		field.Float("p_value").Immutable().Annotations(entgql.OrderField("P_VALUE")).
			Comment("The larger of the two tests' p-values (against the laboratory's past and the other laboratories), before the Bonferroni factor."),
		field.JSON("statistics", map[string]any{}).Immutable().Annotations(entgql.Type("Map")).
			Comment("This batch vs the laboratory's past vs the other laboratories: sizes, shares, medians, tests."),
		field.Text("explanation").NotEmpty().Comment("French sentences the laboratory and the agency understand."),
		field.Enum("status").NamedValues(
			"Open", "OPEN", "Acknowledged", "ACKNOWLEDGED", "Resolved", "RESOLVED",
		).Default("OPEN").Annotations(entgql.OrderField("STATUS")),
	}
}

// Edges of the BatchFinding.
func (BatchFinding) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("import_batch", ImportBatch.Type).Ref("findings").Field("import_batch_id").Unique().Required().Immutable(),
		edge.To("laboratory", Laboratory.Type).Field("laboratory_id").Unique().Required().Immutable(),
		edge.To("anomalies", Anomaly.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the BatchFinding.
func (BatchFinding) Indexes() []ent.Index {
	return []ent.Index{index.Fields("laboratory_id", "created_at"), index.Fields("import_batch_id")}
}

// Mixin of the BatchFinding.
func (BatchFinding) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the BatchFinding: see policy/scope.
func (BatchFinding) Policy() ent.Policy { return scope.BatchFinding() }

// Annotations of the BatchFinding.
func (BatchFinding) Annotations() []schema.Annotation { return gqlList() }

// batchProfile is the stored profile of a laboratory batch (anomaly.BatchProfile).
var batchProfile json.RawMessage
