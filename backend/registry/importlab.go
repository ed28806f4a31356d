package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doseconflict"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/dosimeter"
)

func toMap(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(raw, &m)
}

// labRecord is a laboratory result on its way into the registry: as parsed,
// then resolved against the registry.
type labRecord struct {
	ingest.LabResult
	// correction is the physician's current version a pending re-send
	// conflicts with; replaces, the open conflict it takes the place of.
	correction *ent.DoseRecord
	replaces   *ent.DoseConflict
}

// flushLab checks a chunk of laboratory results against the registry and
// writes the valid ones.
func (r *runner) flushLab(ctx context.Context, rows []*ingest.Row) error {
	type item struct {
		rw  *ingest.Row
		rec labRecord
	}
	t0 := time.Now()
	items := make([]item, 0, len(rows))
	nirs, sirets, serials := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, rw := range rows {
		res, ok := ingest.ParseLab(rw, r.now)
		if !ok {
			r.batch.Reject(rw)
			continue
		}
		items = append(items, item{rw, labRecord{LabResult: res}})
		nirs[res.Identity.Key] = true
		sirets[res.SIRET] = true
		if res.Dosimeter != "" {
			serials[res.Dosimeter] = true
		}
	}
	r.timed("parse", t0)
	if len(items) == 0 {
		return nil
	}
	t0 = time.Now()
	reg, err := r.lookup(nirs, sirets)
	if err != nil {
		return err
	}
	otherLab, err := r.foreignDosimeters(serials)
	if err != nil {
		return err
	}
	first := items[0].rec.Start
	for _, it := range items {
		if it.rec.Start.Before(first) {
			first = it.rec.Start
		}
	}
	stored, err := r.storedResults(reg.ids, reg.nirOf, first)
	if err != nil {
		return err
	}
	conflicts, err := r.conflictsOf(stored)
	if err != nil {
		return err
	}
	r.timed("lookup", t0)
	t0 = time.Now()
	good := make([]*labRecord, 0, len(items))
	for i := range items {
		rw, rec := items[i].rw, &items[i].rec
		w, e, ok := r.resolve(rw, reg, rec.Identity, "date_naissance", rec.SIRET)
		if !ok {
			r.batch.Reject(rw)
			continue
		}
		emp := covering(reg.employments[w.ID], e.ID, rec.Start, rec.End)
		if emp == nil {
			rw.Fail("debut_periode", "EMPLOYMENT_NOT_FOUND", "Aucun emploi de ce travailleur dans l'établissement %s ne couvre la période du %s au %s.",
				rec.SIRET, rec.Start.Format(time.DateOnly), rec.End.Format(time.DateOnly))
			r.batch.Reject(rw)
			continue
		}
		if lab, ok := otherLab[rec.Dosimeter]; ok && lab != r.who.laboratoryID {
			rw.Fail("dosimetre", "DOSIMETER_OTHER_LABORATORY", "Le dosimètre %s est enregistré pour un autre laboratoire.", rec.Dosimeter)
			r.batch.Reject(rw)
			continue
		}
		key := rec.Key()
		if r.batch.Duplicate(rw, key, "dosimetre") {
			r.batch.Reject(rw)
			continue
		}
		rec.WorkerID, rec.EstablishmentID, rec.LaboratoryID, rec.Version = w.ID, e.ID, r.who.laboratoryID, 1
		rec.SectorCode, rec.JobCode = deref(emp.SectorCode), deref(emp.JobCode)
		if rec.ReceivedOn.IsZero() && !r.sub.ReceivedOn.IsZero() {
			if r.sub.ReceivedOn.Before(rec.End) {
				rw.Fail("date_reception", "RECEIPT_BEFORE_PERIOD_END", "Le lot est daté de réception du %s, avant la fin de la période de port de ce résultat (%s).",
					r.sub.ReceivedOn.Format("02/01/2006"), rec.End.Format("02/01/2006"))
				r.batch.Reject(rw)
				continue
			}
			rec.ReceivedOn = r.sub.ReceivedOn
		}
		if prev, ok := stored[key]; ok && !r.versionOf(rw, rec, prev, conflicts[prev.ID]) {
			r.batch.Reject(rw)
			continue
		}
		r.batch.AcceptDose(int64(rec.Value), rec.Status == dosimetry.StatusAbsent)
		good = append(good, rec)
	}
	r.timed("check", t0)
	if !r.batch.Writing() || len(good) == 0 {
		return nil
	}
	return r.writeLab(ctx, good)
}

// versionOf places a result whose natural key is stored already, prev being
// the current version: the same value is a duplicate; another value is a new
// version, unless prev is an occupational physician's correction, which stays
// the dose of record: the re-send is then held, pending, for the physician's
// decision (a conflict, REGULATION-CASES RC01), and the row says so. It
// reports false when the row is rejected.
func (r *runner) versionOf(rw *ingest.Row, rec *labRecord, prev *ent.DoseRecord, past correctionConflicts) bool {
	if prev.ValueUsv == int64(rec.Value) && string(prev.Status) == string(rec.Status) {
		rw.Fail("resultat", "DUPLICATE_STORED", "Ce résultat est déjà enregistré (envoyé le %s) avec la même valeur.", prev.ReceivedAt.Format("02/01/2006"))
		return false
	}
	if prev.Source != doserecord.SourcePhysician {
		// A corrected result from the laboratory: a new version.
		rec.Supersedes, rec.Version = prev.ID, prev.Version+1
		return true
	}
	// Versions keep counting past the re-sends already held or set aside.
	rec.Pending, rec.correction, rec.Version = true, prev, max(prev.Version, past.lastVersion)+1
	if open := past.open; open != nil {
		held := open.Edges.Resend
		if held != nil && held.ValueUsv == int64(rec.Value) && string(held.Status) == string(rec.Status) {
			rw.Fail("resultat", "DUPLICATE_PENDING", "Ce résultat, déjà renvoyé le %s, attend la décision du médecin du travail qui l'avait corrigé.",
				held.ReceivedAt.Format("02/01/2006"))
			return false
		}
		rec.replaces = open
	}
	rw.Warn("resultat", "CORRECTED_BY_PHYSICIAN", "Le médecin du travail a corrigé ce résultat le %s : la valeur renvoyée est enregistrée en attente de sa décision et ne remplace pas la correction tant qu'il ne l'a pas acceptée.",
		prev.ReceivedAt.Format("02/01/2006"))
	return true
}

// correctionConflicts is what the re-sends of one correction left: the open
// conflict (nil when none) and the highest version a re-send of it took.
type correctionConflicts struct {
	open        *ent.DoseConflict
	lastVersion int
}

// conflictsOf returns, by correction, the conflicts of the stored physicians'
// corrections among stored, with their re-sends.
func (r *runner) conflictsOf(stored map[string]*ent.DoseRecord) (map[int]correctionConflicts, error) {
	ids := map[int]bool{}
	for _, d := range stored {
		if d.Source == doserecord.SourcePhysician {
			ids[d.ID] = true
		}
	}
	out := map[int]correctionConflicts{}
	err := inChunks(ids, func(part []int) error {
		cs, err := r.client.DoseConflict.Query().Where(doseconflict.CorrectionIDIn(part...)).WithResend().All(r.sys)
		if err != nil {
			return fmt.Errorf("find correction conflicts: %w", err)
		}
		for _, c := range cs {
			cc := out[c.CorrectionID]
			if c.Status == doseconflict.StatusOpen {
				cc.open = c
			}
			if c.Edges.Resend != nil {
				cc.lastVersion = max(cc.lastVersion, c.Edges.Resend.Version)
			}
			out[c.CorrectionID] = cc
		}
		return nil
	})
	return out, err
}

// foreignDosimeters returns the laboratory of registered dosimeters among
// serials.
func (r *runner) foreignDosimeters(serials map[string]bool) (map[string]int, error) {
	out := map[string]int{}
	err := inChunks(serials, func(part []string) error {
		ds, err := r.client.Dosimeter.Query().Where(dosimeter.SerialIn(part...), dosimeter.LaboratoryIDNotNil()).
			Select(dosimeter.FieldSerial, dosimeter.FieldLaboratoryID).All(r.sys)
		if err != nil {
			return fmt.Errorf("find dosimeters: %w", err)
		}
		for _, d := range ds {
			if prev, ok := out[d.Serial]; !ok || prev != r.who.laboratoryID {
				out[d.Serial] = d.LaboratoryID
			}
		}
		return nil
	})
	return out, err
}

// storedResults returns the current results of this laboratory for the
// workers, by natural key: its own versions, and the physicians' corrections
// of them (which keep the laboratory's id).
func (r *runner) storedResults(wids map[int]bool, nirOf map[int]string, from time.Time) (map[string]*ent.DoseRecord, error) {
	out := map[string]*ent.DoseRecord{}
	err := inChunks(wids, func(part []int) error {
		recs, err := r.client.DoseRecord.Query().Where(
			// By worker (the selective index); the laboratory is checked
			// below, as every result of a large laboratory shares it.
			doserecord.WorkerIDIn(part...),
			doserecord.Current(true), doserecord.PeriodStartGTE(from),
		).Select(doserecord.FieldWorkerID, doserecord.FieldLaboratoryID, doserecord.FieldMonitoringKind, doserecord.FieldDosimeterSerial,
			doserecord.FieldQuantity, doserecord.FieldPeriodStart, doserecord.FieldPeriodEnd, doserecord.FieldSource,
			doserecord.FieldValueUsv, doserecord.FieldStatus, doserecord.FieldVersion, doserecord.FieldReceivedAt).All(r.sys)
		if err != nil {
			return fmt.Errorf("find stored results: %w", err)
		}
		for _, d := range recs {
			if d.LaboratoryID != r.who.laboratoryID {
				continue
			}
			out[ingest.ResultKey(nirOf[d.WorkerID], string(d.MonitoringKind), d.DosimeterSerial, string(d.Quantity), d.PeriodStart, d.PeriodEnd)] = d
		}
		return nil
	})
	return out, err
}

// writeLab records valid results through the registry: the versions they
// supersede first, then the new rows, judged as written; a pending re-send
// opens a conflict for the physician instead.
func (r *runner) writeLab(ctx context.Context, recs []*labRecord) error {
	var superseded []int
	doses := make([]dosimetry.Dose, len(recs))
	for i, rec := range recs {
		if rec.Supersedes != 0 {
			superseded = append(superseded, rec.Supersedes)
		}
		rec.ImportBatchID = r.batchID
		doses[i] = rec.Dose
	}
	if err := r.sess.Supersede(superseded); err != nil {
		return err
	}
	if err := r.lockLaboratory(); err != nil {
		return err
	}
	before, notices := r.sess.Raised, r.sess.Notices
	written, err := r.sess.Write(ctx, doses)
	if err != nil {
		return err
	}
	r.rep.AnomaliesRaised += r.sess.Raised - before
	r.rep.ConstraintNoticesRaised += r.sess.Notices - notices
	if r.profile != nil {
		r.profile.Add(written)
	}
	var held []Held
	for i, rec := range recs {
		if rec.Pending {
			held = append(held, Held{Resend: written[i], Correction: rec.correction.ID, Replaces: rec.replaces})
		}
	}
	return r.sess.Hold(held)
}

// lockLaboratory serialises the batches of one laboratory, so that two
// concurrent batches cannot both store the same result.
func (r *runner) lockLaboratory() error {
	if r.locked || !r.postgres {
		return nil
	}
	if _, err := r.client.ExecContext(r.sys, "SELECT pg_advisory_xact_lock($1, $2)", int32(7301), int32(r.who.laboratoryID)); err != nil {
		return fmt.Errorf("lock laboratory: %w", err)
	}
	r.locked = true
	return nil
}
