package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/policy/scope"
)

// Intervention is the intervention of an outside company's worker on a
// nuclear operator's site (« intervention d'une entreprise extérieure »,
// R.4451-33-1 III): the operator (user company) transmits the worker's
// operational dosimetry taken on its site and shares it with the outside
// company (arrêté 2023 art. 18). The operator's correspondent or adviser
// declares it; the worker has an employment in the contractor establishment
// that covers it.
type Intervention struct{ ent.Schema }

// Fields of the Intervention.
func (Intervention) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("site_establishment_id").Immutable().
			Comment("The operator's establishment (the host site) where the worker intervenes."),
		field.Int("contractor_establishment_id").Immutable().
			Comment("The worker's employer establishment (the outside company)."),
		field.Time("start_date").Immutable().
			Annotations(entgql.Type("Date"), entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().
			Comment("Last day of the intervention, inclusive; null while it lasts. It can only be brought forward.").
			Annotations(entgql.Type("Date"), entgql.OrderField("END_DATE")),
		field.Int("declared_by_id").Immutable().
			Comment("Account of the operator's correspondent or adviser who declared it.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Intervention.
func (Intervention) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker", Worker.Type).Field("worker_id").Unique().Required().Immutable(),
		edge.To("site", Establishment.Type).Field("site_establishment_id").Unique().Required().Immutable(),
		edge.To("contractor", Establishment.Type).Field("contractor_establishment_id").Unique().Required().Immutable(),
		edge.To("declared_by", Account.Type).Field("declared_by_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Intervention: a worker's interventions on a site (the
// operational import looks them up), a site's and a contractor's.
func (Intervention) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "site_establishment_id", "start_date"),
		index.Fields("site_establishment_id", "start_date"),
		index.Fields("site_establishment_id", "worker_id"), // the scope set of the host site's workers
		index.Fields("contractor_establishment_id", "start_date"),
	}
}

// Hooks of the Intervention.
func (Intervention) Hooks() []ent.Hook { return []ent.Hook{checkIntervention} }

// Mixin of the Intervention.
func (Intervention) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Intervention: see policy/scope.
func (Intervention) Policy() ent.Policy { return scope.Intervention() }

// Annotations of the Intervention: a Relay list; declared and ended through
// declareIntervention and endIntervention.
func (Intervention) Annotations() []schema.Annotation { return gqlList() }

// checkIntervention keeps intervention dates ordered and at day precision, and
// the contractor distinct from the host site.
var checkIntervention = ent.Hook(func(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if err := toDate(m, "start_date", "end_date"); err != nil {
			return nil, err
		}
		if err := checkPeriod(ctx, m, "start_date", "end_date"); err != nil {
			return nil, err
		}
		site, okS := m.Field("site_establishment_id")
		contractor, okC := m.Field("contractor_establishment_id")
		if okS && okC && site == contractor {
			return nil, apperr.Invalid("input.contractorSiret", nil,
				"L'entreprise extérieure doit être un autre établissement que le site d'intervention.")
		}
		return next.Mutate(ctx, m)
	})
})
