package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy/scope"
)

// ContextStatistic summarises the doses of one exposure context for one month
// (by the month the wearing period ends): counts, the sum, and a t-digest of
// ln(µSv) of the doses above the recording threshold. Detection merges the 24
// months before a dose to measure it against "the doses usually seen in that
// context"; the statistics module exposes the same merge. Contexts exist at
// four levels: sector × job, sector, domain, monitoring kind alone (each with
// the monitoring kind and the period length).
type ContextStatistic struct{ ent.Schema }

// Fields of the ContextStatistic.
func (ContextStatistic) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("level").NamedValues("Job", "JOB", "Sector", "SECTOR", "Domain", "DOMAIN", "Kind", "KIND").Immutable(),
		field.String("context_key").NotEmpty().Immutable(),
		field.String("domain_code").Optional().Immutable(),
		field.String("sector_code").Optional().Immutable(),
		field.String("job_code").Optional().Immutable(),
		field.String("monitoring_kind").Immutable(),
		field.Int("period_months").Positive().Immutable(),
		field.Time("month").Immutable().Comment("First day of the month the doses are attributed to."),
		field.Int("doses").NonNegative(),
		field.Int("zero_doses").NonNegative(),
		field.Int64("sum_usv").NonNegative(),
		field.Bytes("digest").Optional().Comment("t-digest of ln(µSv) of the non-zero doses."),
		field.Ints("contributors").Optional().
			Comment("Up to three distinct workers whose doses the month holds: enough to tell whether a published cell pools at least three people."),
	}
}

// Indexes of the ContextStatistic.
func (ContextStatistic) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("context_key", "month").Unique(),
		index.Fields("level", "monitoring_kind", "month"),
	}
}

// Mixin of the ContextStatistic.
func (ContextStatistic) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the ContextStatistic: written and read by the system; people see
// the merged statistics through the statistics operations.
func (ContextStatistic) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the ContextStatistic: not exposed as such.
func (ContextStatistic) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
