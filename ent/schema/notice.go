package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy/scope"
)

// ExceedanceNotice is the registry's anonymous notice to the ministry of
// labour (DGT) of a limit exceedance an occupational physician confirmed
// (arrêté 2023, « devoir d'alerte »). It holds only context coarse enough not
// to re-identify the worker: sector, domain and region, the limit, a band of
// the value relative to the limit, the month of the exceedance and the day of
// the confirmation. No worker, anomaly, establishment or value: by design
// there is nothing to join it back to a person.
type ExceedanceNotice struct{ ent.Schema }

// Fields of the ExceedanceNotice.
func (ExceedanceNotice) Fields() []ent.Field {
	return []ent.Field{
		field.String("sector_code").NotEmpty().Immutable().MaxLen(20).
			Comment("Sector of the exposure context; NON_RENSEIGNE when the employer did not declare it.").
			Annotations(entgql.OrderField("SECTOR_CODE")),
		field.String("sector_label").NotEmpty().Immutable().MaxLen(200),
		field.String("domain_code").NotEmpty().Immutable().MaxLen(20).
			Comment("Domain of the sector (medical, nuclear…); NON_RENSEIGNE when unknown.").
			Annotations(entgql.OrderField("DOMAIN_CODE")),
		field.String("domain_label").NotEmpty().Immutable().MaxLen(200),
		field.String("region_code").NotEmpty().Immutable().MaxLen(20).
			Comment("INSEE region of the establishment; NON_RENSEIGNE when unknown.").
			Annotations(entgql.OrderField("REGION_CODE")),
		field.String("region_label").NotEmpty().Immutable().MaxLen(100),
		field.Enum("limit_code").NamedValues(limitCodes...).Immutable().
			Annotations(entgql.OrderField("LIMIT_CODE")),
		field.Enum("population").NamedValues(
			"Adult", "ADULT", "Young", "YOUNG", "UnbornChild", "UNBORN_CHILD",
		).Immutable().Annotations(entgql.OrderField("POPULATION")),
		field.Enum("band").NamedValues(
			"From1To1_25", "FROM_1_TO_1_25", "From1_25To2", "FROM_1_25_TO_2",
			"From2To5", "FROM_2_TO_5", "Above5", "ABOVE_5",
		).Immutable().Comment("The exceedance relative to the limit, in bands; never the value.").
			Annotations(entgql.OrderField("BAND")),
		field.String("band_label").NotEmpty().Immutable().MaxLen(100),
		field.Int64("band_lower_usv").NonNegative().Immutable().
			Comment("Lower bound of the band for this limit, in µSv (exposed in mSv).").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("band_upper_usv").Optional().Nillable().Immutable().
			Comment("Upper bound of the band in µSv; null for the open top band.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("exceedance_month").Immutable().
			Comment("First day of the month the first window over the limit ends.").
			Annotations(entgql.Type("Date"), entgql.OrderField("EXCEEDANCE_MONTH")),
		field.Time("confirmed_on").Immutable().
			Comment("Day the occupational physician confirmed the exceedance.").
			Annotations(entgql.Type("Date"), entgql.OrderField("CONFIRMED_ON")),
	}
}

// Indexes of the ExceedanceNotice.
func (ExceedanceNotice) Indexes() []ent.Index {
	return []ent.Index{index.Fields("confirmed_on"), index.Fields("region_code", "sector_code")}
}

// Policy of the ExceedanceNotice: see policy/scope.
func (ExceedanceNotice) Policy() ent.Policy { return scope.ExceedanceNotice() }

// Annotations of the ExceedanceNotice: a Relay list, written only by the
// registry when a physician confirms an exceedance.
func (ExceedanceNotice) Annotations() []schema.Annotation { return gqlList() }
