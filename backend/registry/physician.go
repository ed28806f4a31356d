package registry

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doseconflict"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/policy"
)

// Correction is an occupational physician's correction of a dose record.
type Correction struct {
	RecordID int
	// Value and Unit are the corrected dose as entered (mSv or µSv).
	Value  float64
	Unit   string
	Reason string
}

// Addition is a dose an occupational physician adds, e.g. the estimate of a
// lost dosimeter's dose or a committed dose from internal monitoring.
type Addition struct {
	WorkerID, EstablishmentID int
	Kind                      doserecord.MonitoringKind
	Quantity                  doserecord.Quantity
	// Start and End are the civil days of the period, inclusive.
	Start, End   time.Time
	Value        float64
	Unit         string
	Radionuclide string
	Reason       string
}

// maxReason is the length of DoseRecord.correction_reason.
const maxReason = 500

// Correct records c as a new version of the dose record: same worker,
// establishment, kind, quantity and period, source PHYSICIAN, authored by the
// caller, with the reason; the previous version stays stored, no longer
// current. The record is looked up with the caller's ctx, so only a record in
// their row scope can be corrected. Errors: FORBIDDEN for a role other than
// physician (a delegate included); BAD_USER_INPUT (input.reason, input.value,
// input.unit); NOT_FOUND (input.doseRecordID) for a record out of scope;
// CONFLICT when the record has been superseded already, or when a laboratory
// re-send of it waits for the physician's decision.
func (r *Registry) Correct(ctx context.Context, client *ent.Client, c Correction) (*ent.DoseRecord, error) {
	author, err := physician(ctx)
	if err != nil {
		return nil, err
	}
	reason, err := checkReason("input.reason", c.Reason)
	if err != nil {
		return nil, err
	}
	value, err := parseValue(c.Value, c.Unit)
	if err != nil {
		return nil, err
	}
	old, err := client.DoseRecord.Get(ctx, c.RecordID)
	if ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "input.doseRecordID", Value: strconv.Itoa(c.RecordID),
			Message: fmt.Sprintf("Aucun résultat de dose n° %d n'est accessible dans votre périmètre.", c.RecordID)}
	}
	if err != nil {
		return nil, fmt.Errorf("load dose record: %w", err)
	}
	sys := policy.SystemContext(ctx)
	if pending, err := openConflict(sys, client, old.ID); err != nil {
		return nil, fmt.Errorf("load conflicts: %w", err)
	} else if pending != nil {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "input.doseRecordID", Value: strconv.Itoa(old.ID),
			Message: fmt.Sprintf("Le laboratoire a renvoyé ce résultat depuis votre correction : tranchez d'abord le conflit de correction n° %d.", pending.ID)}
	}
	if old.Pending {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "input.doseRecordID", Value: strconv.Itoa(old.ID),
			Message: "Ce renvoi du laboratoire attend votre décision : tranchez le conflit de correction plutôt que de le corriger."}
	}
	version, err := nextVersion(sys, client, old)
	if err != nil {
		return nil, err
	}
	status := dosimetry.StatusOf(value)
	if old.ValueUsv == int64(value) && string(old.Status) == string(status) {
		return nil, apperr.Invalid("input.value", c.Value,
			"La dose corrigée (%s) est identique à la dose enregistrée : rien à corriger.", value.FormatMSv())
	}
	sess, err := r.Open(ctx, Options{AnnounceTouched: true})
	if err != nil {
		return nil, err
	}
	// Superseding only a current version, in one statement, keeps two
	// concurrent corrections from both succeeding.
	n, err := client.DoseRecord.Update().Where(doserecord.ID(old.ID), doserecord.Current(true)).
		SetCurrent(false).SetSupersededAt(sess.Now()).Save(sys)
	if err != nil {
		return nil, fmt.Errorf("supersede dose record: %w", err)
	}
	if n == 0 {
		return nil, superseded(sys, client, old.ID)
	}
	// The measurement it corrects stays traceable: same laboratory,
	// dosimeter and radionuclide.
	return sess.writeOne(ctx, dosimetry.Dose{WorkerID: old.WorkerID, EstablishmentID: old.EstablishmentID,
		LaboratoryID: old.LaboratoryID, Source: dosimetry.SourcePhysician, Dosimeter: old.DosimeterSerial,
		Kind: dosimetry.MonitoringKind(old.MonitoringKind), Quantity: dosimetry.Quantity(old.Quantity),
		Start: old.PeriodStart, End: old.PeriodEnd, Value: value, Status: status, Radionuclide: old.Radionuclide,
		SectorCode: deref(old.SectorCode), JobCode: deref(old.JobCode), Version: version, Supersedes: old.ID,
		RecordedBy: author, Reason: reason})
}

// writeOne writes one dose, judges it as written, brings its worker's
// standings current and announces the news (after commit). It returns the
// record as the API presents it: the Ent node of the transaction, whose edges
// (supersedes, worker…) resolve.
func (s *Session) writeOne(ctx context.Context, d dosimetry.Dose) (*ent.DoseRecord, error) {
	written, err := s.Write(ctx, []dosimetry.Dose{d})
	if err != nil {
		return nil, err
	}
	if err := s.Finish(ctx); err != nil {
		return nil, err
	}
	return s.client.DoseRecord.Get(s.sys, written[0].ID)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// superseded explains why a record can no longer be corrected.
func superseded(sys context.Context, client *ent.Client, id int) error {
	next, err := client.DoseRecord.Query().Where(doserecord.SupersedesID(id)).OnlyID(sys)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("load superseding version: %w", err)
	}
	msg := fmt.Sprintf("Le résultat de dose n° %d a déjà été remplacé par une version plus récente : corrigez la version en vigueur.", id)
	if next != 0 {
		msg = fmt.Sprintf("Le résultat de dose n° %d a déjà été remplacé par la version n° %d : corrigez la version en vigueur.", id, next)
	}
	return &apperr.Error{Code: apperr.Conflict, Field: "input.doseRecordID", Value: strconv.Itoa(id), Message: msg}
}

// Add records a dose from the caller (source PHYSICIAN) for a worker in their
// row scope, employed in the establishment over the period, with the reason.
// Errors: FORBIDDEN for a role other than physician (a delegate included);
// BAD_USER_INPUT naming the field (input.reason, input.value, input.unit,
// input.quantity, input.periodEnd, input.radionuclide, input.establishmentID);
// NOT_FOUND (input.workerID) for a worker out of scope.
func (r *Registry) Add(ctx context.Context, client *ent.Client, a Addition) (*ent.DoseRecord, error) {
	now := r.now()
	author, err := physician(ctx)
	if err != nil {
		return nil, err
	}
	reason, err := checkReason("input.reason", a.Reason)
	if err != nil {
		return nil, err
	}
	value, err := parseValue(a.Value, a.Unit)
	if err != nil {
		return nil, err
	}
	if err := checkAddition(a, now); err != nil {
		return nil, err
	}
	if _, err := client.Worker.Get(ctx, a.WorkerID); ent.IsNotFound(err) {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "input.workerID", Value: strconv.Itoa(a.WorkerID),
			Message: fmt.Sprintf("Aucun travailleur n° %d n'est suivi dans votre périmètre.", a.WorkerID)}
	} else if err != nil {
		return nil, fmt.Errorf("load worker: %w", err)
	}
	sys := policy.SystemContext(ctx)
	start, end := civilDay(a.Start), civilDay(a.End)
	emp, err := client.Employment.Query().Where(employment.WorkerID(a.WorkerID), employment.EstablishmentID(a.EstablishmentID),
		employment.StartDateLTE(end), employment.Or(employment.EndDateIsNil(), employment.EndDateGTE(start))).
		Order(ent.Desc(employment.FieldStartDate)).First(sys)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("input.establishmentID", strconv.Itoa(a.EstablishmentID),
			"Le travailleur n'a aucun emploi dans l'établissement n° %d pendant la période du %s au %s.",
			a.EstablishmentID, start.Format("02/01/2006"), end.Format("02/01/2006"))
	}
	if err != nil {
		return nil, fmt.Errorf("load employment: %w", err)
	}
	sess, err := r.Open(ctx, Options{AnnounceTouched: true, Now: now})
	if err != nil {
		return nil, err
	}
	return sess.writeOne(ctx, dosimetry.Dose{WorkerID: a.WorkerID, EstablishmentID: a.EstablishmentID,
		Source: dosimetry.SourcePhysician, Kind: dosimetry.MonitoringKind(a.Kind), Quantity: dosimetry.Quantity(a.Quantity),
		Start: start, End: end, Value: value, Status: dosimetry.StatusOf(value), Radionuclide: strings.TrimSpace(a.Radionuclide),
		SectorCode: deref(emp.SectorCode), JobCode: deref(emp.JobCode), Version: 1, RecordedBy: author, Reason: reason})
}

// checkAddition checks what an added dose says of itself.
func checkAddition(a Addition, now time.Time) error {
	if err := dosimetry.MonitoringKind(a.Kind).CheckQuantity(dosimetry.Quantity(a.Quantity)); err != nil {
		return apperr.Invalid("input.quantity", string(a.Quantity), "%s", err.Error())
	}
	start, end := civilDay(a.Start), civilDay(a.End)
	if end.Before(start) {
		return apperr.Invalid("input.periodEnd", end.Format(time.DateOnly),
			"La période se termine le %s, avant son début le %s.", end.Format("02/01/2006"), start.Format("02/01/2006"))
	}
	if end.After(civilDay(now)) {
		return apperr.Invalid("input.periodEnd", end.Format(time.DateOnly),
			"La période se termine le %s, dans le futur.", end.Format("02/01/2006"))
	}
	r := strings.TrimSpace(a.Radionuclide)
	if r != "" && a.Kind != doserecord.MonitoringKindInternal {
		return apperr.Invalid("input.radionuclide", a.Radionuclide,
			"Le radionucléide « %s » ne s'indique que pour la surveillance de l'exposition interne.", r)
	}
	if len(r) > 20 {
		return apperr.Invalid("input.radionuclide", a.Radionuclide, "Le radionucléide « %s » dépasse 20 caractères.", r)
	}
	return nil
}

// physician returns the account of a caller acting as occupational physician
// (0 for the system itself), or FORBIDDEN. Correcting or adding a dose of
// record is the physician's act (R.4451-68); a delegate reads and prepares.
func physician(ctx context.Context) (int, error) {
	v := policy.FromContext(ctx)
	switch {
	case v.Acts(policy.RolePhysician):
		return v.AccountID, nil
	case v.Acts(policy.RoleDelegate):
		return 0, apperr.New(apperr.Forbidden, "Corriger ou ajouter une dose est un acte du médecin du travail : son délégataire peut consulter et préparer, pas l'enregistrer.")
	case v == nil && policy.IsSystem(ctx):
		return 0, nil
	}
	return 0, apperr.New(apperr.Forbidden, "Seul le médecin du travail corrige ou ajoute des doses.")
}

// checkReason checks the reason a physician gives, reporting problems on
// field.
func checkReason(field, reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if r == "" {
		return "", apperr.Invalid(field, reason, "Le motif est obligatoire : indiquez ce qui justifie la décision.")
	}
	if len(r) > maxReason {
		return "", apperr.Invalid(field, reason, "Le motif compte %d caractères : %d au plus.", utf8.RuneCountInString(r), maxReason)
	}
	return r, nil
}

// nextVersion is the version a new version of rec takes: after rec and
// after any laboratory re-send of rec held for the physician's decision.
func nextVersion(sys context.Context, client *ent.Client, rec *ent.DoseRecord) (int, error) {
	cs, err := client.DoseConflict.Query().Where(doseconflict.CorrectionID(rec.ID)).WithResend().All(sys)
	if err != nil {
		return 0, fmt.Errorf("load conflicts: %w", err)
	}
	v := rec.Version
	for _, c := range cs {
		if c.Edges.Resend != nil {
			v = max(v, c.Edges.Resend.Version)
		}
	}
	return v + 1, nil
}

// parseValue reads a dose entered as a number and a unit, exactly
// (dosimetry.ParseDose: no rounding below the µSv, unlike imports: a
// physician enters the dose of record and must see it stored as entered),
// and checks it is plausible.
func parseValue(value float64, unit string) (dosimetry.Microsievert, error) {
	if _, err := dosimetry.ParseDose("0", unit); err != nil {
		return 0, apperr.Invalid("input.unit", unit, "L'unité « %s » n'est pas admise (unités admises : mSv, µSv).", unit)
	}
	number := strconv.FormatFloat(value, 'f', -1, 64)
	d, err := dosimetry.ParseDose(number, unit)
	if errors.Is(err, dosimetry.ErrDosePrecision) {
		return 0, apperr.Invalid("input.value", value,
			"La dose %s %s est plus précise que le registre : sa précision est de 1 µSv (0,001 mSv). Saisissez la dose arrondie au µSv, avec au plus 3 décimales en mSv et aucune en µSv.",
			strings.Replace(number, ".", ",", 1), strings.TrimSpace(unit))
	}
	if err != nil {
		return 0, apperr.Invalid("input.value", value, "%s", err.Error())
	}
	if !d.Plausible() {
		return 0, apperr.Invalid("input.value", value, "La dose %s dépasse 10 Sv : vérifiez la valeur et l'unité.", d.FormatMSv())
	}
	return d, nil
}

// civilDay is the UTC midnight of t's calendar day.
func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
