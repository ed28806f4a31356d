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

// monitoringKinds are the kinds of individual monitoring of the dose of record.
var monitoringKinds = []string{
	"PassiveWholeBody", "PASSIVE_WHOLE_BODY",
	"Extremity", "EXTREMITY",
	"Lens", "LENS",
	"Skin", "SKIN",
	"Neutron", "NEUTRON",
	"Internal", "INTERNAL",
	"Radon", "RADON",
	"Aviation", "AVIATION",
}

// Dosimeter is a device processed by a laboratory: passive badges, rings, lens
// dosimeters, or the electronic dosimeters of operational monitoring.
type Dosimeter struct{ ent.Schema }

// Fields of the Dosimeter.
func (Dosimeter) Fields() []ent.Field {
	return []ent.Field{
		field.String("serial").NotEmpty().MaxLen(40).Immutable().Annotations(entgql.OrderField("SERIAL")),
		field.Enum("kind").NamedValues(append(append([]string{}, monitoringKinds...), "Operational", "OPERATIONAL")...).
			Immutable().Annotations(entgql.OrderField("KIND")),
		field.Int("laboratory_id").Optional().Immutable().
			Comment("Laboratory that processes the dosimeter; null for operational dosimeters."),
		field.Int("establishment_id").Optional(),
		field.Time("retired_at").Optional().Nillable(),
	}
}

// Edges of the Dosimeter.
func (Dosimeter) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("laboratory", Laboratory.Type).Ref("dosimeters").Field("laboratory_id").Unique().Immutable(),
		edge.From("establishment", Establishment.Type).Ref("dosimeters").Field("establishment_id").Unique(),
		edge.To("assignments", DosimeterAssignment.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Dosimeter.
func (Dosimeter) Indexes() []ent.Index {
	return []ent.Index{index.Fields("laboratory_id", "serial").Unique()}
}

// Mixin of the Dosimeter.
func (Dosimeter) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the Dosimeter: see policy/scope.
func (Dosimeter) Policy() ent.Policy { return scope.Dosimeter() }

// Annotations of the Dosimeter.
func (Dosimeter) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}

// DosimeterAssignment records that a worker wears a dosimeter over a period.
type DosimeterAssignment struct{ ent.Schema }

// Fields of the DosimeterAssignment.
func (DosimeterAssignment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("dosimeter_id").Immutable(),
		field.Int("worker_id").Immutable(),
		field.Time("start_date").Annotations(entgql.Type("Date"), entgql.OrderField("START_DATE")),
		field.Time("end_date").Optional().Nillable().
			Comment("Last day of wearing, inclusive; null while it is worn.").
			Annotations(entgql.Type("Date"), entgql.OrderField("END_DATE")),
		field.String("body_position").Optional().MaxLen(60).
			Comment("Where it is worn: chest, left hand ring, forehead…"),
	}
}

// Edges of the DosimeterAssignment.
func (DosimeterAssignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("dosimeter", Dosimeter.Type).Ref("assignments").Field("dosimeter_id").Unique().Required().Immutable(),
		edge.From("worker", Worker.Type).Ref("assignments").Field("worker_id").Unique().Required().Immutable(),
	}
}

// Indexes of the DosimeterAssignment.
func (DosimeterAssignment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("dosimeter_id", "start_date"), index.Fields("worker_id", "start_date")}
}

// Hooks of the DosimeterAssignment.
func (DosimeterAssignment) Hooks() []ent.Hook { return []ent.Hook{checkAssignment} }

// Mixin of the DosimeterAssignment.
func (DosimeterAssignment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the DosimeterAssignment: see policy/scope.
func (DosimeterAssignment) Policy() ent.Policy { return scope.DosimeterAssignment() }

// Annotations of the DosimeterAssignment.
func (DosimeterAssignment) Annotations() []schema.Annotation {
	return gqlList(entgql.MutationCreate(), entgql.MutationUpdate())
}

// DoseRecord is one result of the dose of record (regulatory individual
// monitoring). Values are integers of µSv. Records are never changed in their
// substance: a correction or a resubmission is a new version that supersedes the
// previous one, which stays stored.
type DoseRecord struct{ ent.Schema }

// Fields of the DoseRecord.
func (DoseRecord) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("establishment_id").Immutable(),
		field.Int("laboratory_id").Optional().Immutable(),
		field.Int("import_batch_id").Optional().Immutable(),
		field.Int("recorded_by_id").Optional().Immutable().
			Comment("Account of the physician who corrected or added the dose."),
		field.Int("supersedes_id").Optional().Unique().
			Comment("The version this record replaces. Set when the record is written, or when the physician accepts a pending laboratory re-send (then once, never changed)."),
		field.Enum("source").NamedValues(
			"Laboratory", "LABORATORY", "Physician", "PHYSICIAN", "Modelling", "MODELLING",
			"Extrapolation", "EXTRAPOLATION", "Migration", "MIGRATION",
		).Immutable().Comment("Who produced the dose: a laboratory's result, a physician's correction or addition, a modelling, an extrapolation, or a migration of past data."),
		field.String("dosimeter_serial").Optional().Immutable().MaxLen(40).
			Comment("Serial number of the dosimeter that was read, for passive dosimetry."),
		field.Enum("monitoring_kind").NamedValues(monitoringKinds...).Immutable().
			Comment("The kind of monitoring the dose comes from (external whole body, extremities, lens of the eye, internal, …).").
			Annotations(entgql.OrderField("MONITORING_KIND")),
		field.Enum("quantity").NamedValues(
			"Hp10", "HP10", "Hp007", "HP007", "Hp3", "HP3", "E50", "E50", "E", "E",
		).Immutable().Comment("The dosimetric quantity: Hp(10), Hp(0.07), Hp(3), committed effective dose E(50) or effective dose E.").
			Annotations(entgql.OrderField("QUANTITY")),
		field.Int64("value_usv").NonNegative().Immutable().
			Comment("Dose in µSv; 0 when below the recording threshold or absent.").
			Annotations(entgql.OrderField("VALUE_USV")),
		field.Enum("status").NamedValues(
			"Measured", "MEASURED", "BelowThreshold", "BELOW_THRESHOLD", "Absent", "ABSENT",
			"Extrapolated", "EXTRAPOLATED", "Modelled", "MODELLED",
		).Immutable().Comment("Whether the value was measured, below the recording threshold, absent (dosimeter not returned), extrapolated or modelled.").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("period_start").Immutable().Comment("First day of the wearing period (inclusive).").Annotations(entgql.Type("Date"), entgql.OrderField("PERIOD_START")),
		field.Time("period_end").Immutable().Comment("Last day of the wearing period (inclusive).").Annotations(entgql.Type("Date"), entgql.OrderField("PERIOD_END")),
		field.String("radionuclide").Optional().Immutable().MaxLen(20).
			Comment("The radionuclide, for internal monitoring."),
		field.String("comment").Optional().Immutable().MaxLen(500).
			Comment("Free comment of the sender."),
		field.String("sector_code").Optional().Nillable().Immutable().
			Comment("Exposure context at the time: sector of the covering employment."),
		field.String("job_code").Optional().Nillable().Immutable().
			Comment("Exposure context at the time: job of the covering employment."),
		field.Int("version").Default(1).Positive().Immutable().
			Comment("Version of the result: 1 when first received, then one more at each correction."),
		field.Bool("current").Default(true).
			Comment("False once a newer version supersedes this one."),
		field.Time("superseded_at").Optional().Nillable().
			Comment("When a newer version replaced this one; null while current."),
		field.String("correction_reason").Optional().Immutable().MaxLen(500).
			Comment("Why this version corrects the previous one."),
		field.Time("received_at").Default(timeNow).Immutable().Annotations(entgql.OrderField("RECEIVED_AT")).
			Comment("When the registry stored the record."),
		field.Time("received_on").Optional().Nillable().Immutable().
			Comment("Day the result was received, as its sender declares it (date_reception, or the batch's receivedAt); lateness is judged on it. Null: the day of received_at.").
			Annotations(entgql.Type("Date"), entgql.OrderField("RECEIVED_ON")),
		field.Bool("pending").Default(false).
			Comment("A laboratory re-send of a result a physician corrected, held for the physician's decision (DoseConflict); never current while pending."),
	}
}

// Edges of the DoseRecord.
func (DoseRecord) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", Worker.Type).Ref("dose_records").Field("worker_id").Unique().Required().Immutable(),
		edge.From("establishment", Establishment.Type).Ref("dose_records").Field("establishment_id").Unique().Required().Immutable(),
		edge.From("laboratory", Laboratory.Type).Ref("dose_records").Field("laboratory_id").Unique().Immutable(),
		edge.From("import_batch", ImportBatch.Type).Ref("dose_records").Field("import_batch_id").Unique().Immutable(),
		edge.To("recorded_by", Account.Type).Field("recorded_by_id").Unique().Immutable(),
		edge.To("superseded_by", DoseRecord.Type).Unique().
			From("supersedes").Field("supersedes_id").Unique(),
		edge.From("anomalies", Anomaly.Type).Ref("dose_records").Annotations(entgql.RelayConnection()),
	}
}

// DoseConflict is a laboratory re-send of a result an occupational physician
// corrected: the physician's correction stays the dose of record until the
// physician keeps it or accepts the laboratory's value, with a reason.
type DoseConflict struct{ ent.Schema }

// Fields of the DoseConflict.
func (DoseConflict) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("establishment_id").Immutable(),
		field.Int("laboratory_id").Immutable(),
		field.Int("correction_id").Immutable().
			Comment("The physician's version that was the dose of record when the re-send arrived."),
		field.Int("resend_id").Immutable().Unique().
			Comment("The laboratory's re-sent version, pending."),
		field.Enum("status").NamedValues(
			"Open", "OPEN", "KeptCorrection", "KEPT_CORRECTION", "AcceptedLaboratory", "ACCEPTED_LABORATORY",
			"Replaced", "REPLACED",
		).Default("OPEN").Annotations(entgql.OrderField("STATUS")).
			Comment("OPEN until the physician decides; REPLACED when a later re-send of the same result took its place."),
		field.Int("resolved_by_id").Optional().Nillable(),
		field.Time("resolved_at").Optional().Nillable().Annotations(entgql.OrderField("RESOLVED_AT")),
		field.String("resolution_reason").Optional().MaxLen(500),
	}
}

// Edges of the DoseConflict.
func (DoseConflict) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker", Worker.Type).Field("worker_id").Unique().Required().Immutable(),
		edge.To("establishment", Establishment.Type).Field("establishment_id").Unique().Required().Immutable(),
		edge.To("laboratory", Laboratory.Type).Field("laboratory_id").Unique().Required().Immutable(),
		edge.To("correction", DoseRecord.Type).Field("correction_id").Unique().Required().Immutable(),
		edge.To("resend", DoseRecord.Type).Field("resend_id").Unique().Required().Immutable(),
		edge.To("resolved_by", Account.Type).Field("resolved_by_id").Unique(),
	}
}

// Indexes of the DoseConflict.
func (DoseConflict) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "status"), index.Fields("status", "created_at")}
}

// Mixin of the DoseConflict.
func (DoseConflict) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the DoseConflict: see policy/scope.
func (DoseConflict) Policy() ent.Policy { return scope.DoseConflict() }

// Annotations of the DoseConflict.
func (DoseConflict) Annotations() []schema.Annotation { return gqlList() }

// Indexes of the DoseRecord: a worker's doses by period, an establishment's doses
// by period, doses by exposure context and period, and the natural key used to
// detect resubmissions.
func (DoseRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "period_start"),
		index.Fields("establishment_id", "period_start"),
		index.Fields("sector_code", "job_code", "monitoring_kind", "period_start"),
		index.Fields("laboratory_id", "dosimeter_serial", "quantity", "period_start", "period_end"),
		index.Fields("import_batch_id"),
	}
}

// Mixin of the DoseRecord.
func (DoseRecord) Mixin() []ent.Mixin { return []ent.Mixin{} }

// Policy of the DoseRecord: see policy/scope.
func (DoseRecord) Policy() ent.Policy { return scope.DoseRecord() }

// Annotations of the DoseRecord.
func (DoseRecord) Annotations() []schema.Annotation { return gqlList() }

// OperationalDose is a result of operational (active, electronic) dosimetry sent
// at least weekly by nuclear operators. It is never summed with the dose of
// record toward a limit.
type OperationalDose struct{ ent.Schema }

// Fields of the OperationalDose.
func (OperationalDose) Fields() []ent.Field {
	return []ent.Field{
		field.Int("worker_id").Immutable(),
		field.Int("establishment_id").Immutable(),
		field.Int("import_batch_id").Optional().Immutable(),
		field.Int("supersedes_id").Optional().Immutable().Unique(),
		field.String("dosimeter_serial").NotEmpty().Immutable().MaxLen(40),
		field.Time("start_at").Immutable().Annotations(entgql.OrderField("START_AT")),
		field.Time("end_at").Immutable().Annotations(entgql.OrderField("END_AT")),
		field.Int64("value_usv").NonNegative().Immutable().Annotations(entgql.OrderField("VALUE_USV")),
		field.Int("version").Default(1).Positive().Immutable(),
		field.Bool("current").Default(true),
		field.Time("superseded_at").Optional().Nillable(),
		field.Time("received_at").Default(timeNow).Immutable().Annotations(entgql.OrderField("RECEIVED_AT")),
	}
}

// Edges of the OperationalDose.
func (OperationalDose) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", Worker.Type).Ref("operational_doses").Field("worker_id").Unique().Required().Immutable(),
		edge.From("establishment", Establishment.Type).Ref("operational_doses").Field("establishment_id").Unique().Required().Immutable(),
		edge.From("import_batch", ImportBatch.Type).Ref("operational_doses").Field("import_batch_id").Unique().Immutable(),
		edge.To("superseded_by", OperationalDose.Type).Unique().
			From("supersedes").Field("supersedes_id").Unique().Immutable(),
	}
}

// Indexes of the OperationalDose.
func (OperationalDose) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "start_at"),
		index.Fields("establishment_id", "start_at"),
		index.Fields("dosimeter_serial", "start_at"),
	}
}

// Mixin of the OperationalDose.
func (OperationalDose) Mixin() []ent.Mixin { return []ent.Mixin{} }

// Policy of the OperationalDose: see policy/scope.
func (OperationalDose) Policy() ent.Policy { return scope.OperationalDose() }

// Annotations of the OperationalDose.
func (OperationalDose) Annotations() []schema.Annotation { return gqlList() }
