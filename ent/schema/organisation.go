package schema

import (
	"github.com/siseri/siseri/policy/scope"
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

var (
	nafCode    = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}[A-Z]$`)
	regionCode = regexp.MustCompile(`^[0-9]{2}$`)
)

// Company is a legal entity identified by its SIREN; it groups establishments.
type Company struct{ ent.Schema }

// Fields of the Company.
func (Company) Fields() []ent.Field {
	return []ent.Field{
		field.String("siren").Unique().Immutable().Validate(validSIREN).
			Annotations(entgql.OrderField("SIREN")),
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
	}
}

// Edges of the Company.
func (Company) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("establishments", Establishment.Type).Annotations(entgql.RelayConnection()),
	}
}

// Mixin of the Company.
func (Company) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Company: see policy/scope.
func (Company) Policy() ent.Policy { return scope.Reference() }

// Annotations of the Company.
func (Company) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}

// Establishment is a site of an employer, identified by its SIRET, where workers
// are employed and where radiation protection is organised.
type Establishment struct{ ent.Schema }

// Fields of the Establishment.
func (Establishment) Fields() []ent.Field {
	return []ent.Field{
		field.String("siret").Unique().Immutable().Validate(validSIRET).
			Annotations(entgql.OrderField("SIRET")),
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.String("address").Optional().MaxLen(300),
		field.String("postal_code").Optional().Match(regexp.MustCompile(`^[0-9]{5}$`)),
		field.String("city").Optional().MaxLen(100).
			Annotations(entgql.OrderField("CITY")),
		field.String("region").Optional().Match(regionCode).
			Comment("INSEE region code, used to scope control agents.").
			Annotations(entgql.OrderField("REGION")),
		field.String("naf_code").Optional().Match(nafCode).
			Comment("Activity code of the establishment (NAF rév. 2), e.g. 86.10Z."),
		field.String("domain_code").Optional().
			Comment("Nomenclature domain of the establishment's main activity."),
		field.Int("company_id").Optional(),
		field.Time("closed_at").Optional().Nillable().
			Comment("Cessation of activity; establishments are never deleted."),
	}
}

// Edges of the Establishment.
func (Establishment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("company", Company.Type).Ref("establishments").Field("company_id").Unique(),
		edge.To("employments", Employment.Type).Annotations(entgql.RelayConnection()),
		edge.To("dosimeters", Dosimeter.Type).Annotations(entgql.RelayConnection()),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("operational_doses", OperationalDose.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Establishment.
func (Establishment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region"), index.Fields("company_id")}
}

// Mixin of the Establishment.
func (Establishment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Establishment: see policy/scope.
func (Establishment) Policy() ent.Policy { return scope.Establishment() }

// Annotations of the Establishment.
func (Establishment) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}

// Laboratory is an accredited dosimetry body that submits results.
type Laboratory struct{ ent.Schema }

// Fields of the Laboratory.
func (Laboratory) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").Unique().Immutable().Match(regexp.MustCompile(`^[A-Z0-9_-]{2,20}$`)).
			Annotations(entgql.OrderField("CODE")),
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.String("siret").Optional().Validate(validSIRETOrEmpty),
		field.String("accreditation").Optional().MaxLen(50).
			Comment("COFRAC (or EU equivalent) accreditation number."),
		field.String("accreditation_body").Optional().MaxLen(100).
			Comment("Body that accredited the laboratory, e.g. COFRAC."),
		field.Text("accreditation_scope").Optional().MaxLen(2000).
			Comment("Scope of the accreditation (techniques, quantities)."),
		field.Time("accreditation_valid_from").Optional().Nillable().Annotations(entgql.Type("Date")).
			Comment("First day of the accreditation; before it the laboratory cannot submit."),
		field.Time("accreditation_valid_to").Optional().Nillable().Annotations(entgql.Type("Date")).
			Comment("Last day of the accreditation; after it the laboratory cannot submit."),
		field.Bool("active").Default(true),
	}
}

// Edges of the Laboratory.
func (Laboratory) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("dosimeters", Dosimeter.Type).Annotations(entgql.RelayConnection()),
		edge.To("dose_records", DoseRecord.Type).Annotations(entgql.RelayConnection()),
	}
}

// Mixin of the Laboratory.
func (Laboratory) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Laboratory: see policy/scope.
func (Laboratory) Policy() ent.Policy { return scope.Reference() }

// Annotations of the Laboratory.
func (Laboratory) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}
