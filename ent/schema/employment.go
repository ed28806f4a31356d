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

// Employment links a worker to an establishment over a period. It is the anchor
// of access in time: a radiation protection adviser sees a worker's doses only
// for the periods of an employment in their establishment.
type Employment struct{ ent.Schema }

// Fields of the Employment.
func (Employment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("establishment_id").Immutable(),
		field.Time("start_date").Annotations(entgql.Type("Date"), entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().
			Comment("Last day of the employment, inclusive; null while it lasts.").
			Annotations(entgql.Type("Date"), entgql.OrderField("END_DATE")),
		field.Enum("contract_type").NamedValues(
			"CDI", "CDI", "CDD", "CDD", "Temporary", "TEMPORARY", "SelfEmployed", "SELF_EMPLOYED",
			"Apprentice", "APPRENTICE", "Intern", "INTERN", "Other", "OTHER",
		).Annotations(entgql.OrderField("CONTRACT_TYPE")),
		field.Int("work_fraction").Default(100).Range(1, 100).
			Comment("Work-time fraction (quotité) in percent."),
		field.String("nomenclature_version").NotEmpty().
			Comment("Version of the sector and job nomenclature the codes come from."),
		field.String("sector_code").Optional().Nillable().
			Comment("Sector of activity; null when the employer did not declare it.").
			Annotations(entgql.OrderField("SECTOR_CODE")),
		field.String("job_code").Optional().Nillable().
			Annotations(entgql.OrderField("JOB_CODE")),
		field.Enum("classification").NamedValues(
			"A", "A", "B", "B", "Radon", "RADON",
			"Emergency1", "EMERGENCY_GROUP_1", "Emergency2", "EMERGENCY_GROUP_2",
		).Annotations(entgql.OrderField("CLASSIFICATION")),
		field.Strings("monitoring_kinds").
			Comment("Kinds of individual monitoring required (PASSIVE_WHOLE_BODY, EXTREMITY, LENS, …)."),
		field.Time("pregnancy_declared_on").Optional().Nillable().
			Annotations(entgql.Type("Date")),
		field.Time("pregnancy_ended_on").Optional().Nillable().
			Annotations(entgql.Type("Date")),
	}
}

// Edges of the Employment.
func (Employment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", Worker.Type).Ref("employments").Field("worker_id").Unique().Required().Immutable(),
		edge.From("establishment", Establishment.Type).Ref("employments").Field("establishment_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Employment.
func (Employment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("establishment_id", "start_date"),
		index.Fields("worker_id", "start_date"),
		// The privacy rules' scope set (workers ever employed in the viewer's
		// establishments): an index-only scan.
		index.Fields("establishment_id", "worker_id"),
		index.Fields("sector_code", "job_code"),
	}
}

// Hooks of the Employment.
func (Employment) Hooks() []ent.Hook { return []ent.Hook{checkEmployment} }

// Mixin of the Employment.
func (Employment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Employment: see policy/scope.
func (Employment) Policy() ent.Policy { return scope.Employment() }

// Annotations of the Employment.
func (Employment) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}

// Nomenclature is one code of a versioned reference list: domains, sectors and
// jobs (IRSN 2019, SISERI 2 aligned on DARES families). Codes are never edited
// in place: a new version is added and the old one gets an end of validity.
type Nomenclature struct{ ent.Schema }

// Fields of the Nomenclature.
func (Nomenclature) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").NamedValues("Domain", "DOMAIN", "Sector", "SECTOR", "Job", "JOB").
			Immutable().Annotations(entgql.OrderField("KIND")),
		field.String("version").NotEmpty().Immutable().Annotations(entgql.OrderField("VERSION")),
		field.String("code").NotEmpty().Immutable().MaxLen(20).Annotations(entgql.OrderField("CODE")),
		field.String("label").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("LABEL")),
		field.String("parent_code").Optional().
			Comment("Domain of a sector; sector of a job, when the job is sector-specific."),
		field.Time("valid_from").Annotations(entgql.Type("Date")),
		field.Time("valid_to").Optional().Nillable().Annotations(entgql.Type("Date")),
	}
}

// Indexes of the Nomenclature.
func (Nomenclature) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "version", "code").Unique()}
}

// Mixin of the Nomenclature.
func (Nomenclature) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Nomenclature: see policy/scope.
func (Nomenclature) Policy() ent.Policy { return scope.Reference() }

// Annotations of the Nomenclature.
func (Nomenclature) Annotations() []schema.Annotation { return gqlList() }
