package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/intervention"
	"github.com/siseri/siseri/ent/operationaldose"
)

var opColumns = []string{"nir", "nom", "prenom", "siret", "dosimetre", "debut", "fin", "resultat", "unite"}

const (
	oNIR = iota
	oNom
	oPrenom
	oSIRET
	oDosimetre
	oDebut
	oFin
	oResultat
	oUnite
)

// opMaxPeriod is the longest period an operational result may cover (results
// are sent at least weekly; a month leaves room for late sends).
const opMaxPeriod = 31 * 24 * time.Hour

type opRecord struct {
	ident      identityClaim
	siret      string
	dosimeter  string
	start, end time.Time
	usv        int64

	workerID, estabID int
	supersedes        int
	version           int
}

func parseOperational(r *row, now time.Time) (opRecord, bool) {
	var o opRecord
	o.ident.nir, _ = r.nir(oNIR)
	o.ident.last, _ = r.name(oNom)
	o.ident.first, _ = r.name(oPrenom)
	o.siret, _ = r.siret(oSIRET)
	o.dosimeter, _ = r.serial(oDosimetre, true)
	start, okS := r.dateTime(oDebut)
	end, okE := r.dateTime(oFin)
	if okS && okE {
		switch {
		case !end.After(start):
			r.fail(oFin, "PERIOD_ORDER", "La fin %s ne suit pas le début %s.", r.get(oFin), r.get(oDebut))
		case end.After(now):
			r.fail(oFin, "DATE_FUTURE", "La fin %s est dans le futur.", r.get(oFin))
		case end.Sub(start) > opMaxPeriod:
			r.fail(oFin, "PERIOD_TOO_LONG", "La période du %s au %s dépasse 31 jours : la dosimétrie opérationnelle est transmise au moins chaque semaine.", r.get(oDebut), r.get(oFin))
		}
		o.start, o.end = start, end
	}
	d, ok := r.dose(oResultat, oUnite, false)
	if ok {
		o.usv = d.usv
	}
	return o, !r.bad()
}

func (o *opRecord) key() string { return opKey(o.ident.nir, o.dosimeter, o.start, o.end) }

// opKey is the natural key of an operational result, from a row or a stored one.
func opKey(nir, dosimeter string, start, end time.Time) string {
	return fmt.Sprintf("%s|%s|%s|%s", nir, dosimeter, start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
}

// flushOperational checks a chunk of operational results and writes the
// valid ones.
func (r *runner) flushOperational(ctx context.Context, rows []*row) error {
	type item struct {
		rw *row
		o  opRecord
	}
	items := make([]item, 0, len(rows))
	nirs, sirets := map[string]bool{}, map[string]bool{}
	for _, rw := range rows {
		o, ok := parseOperational(rw, r.now)
		if !ok {
			r.reject(rw)
			continue
		}
		items = append(items, item{rw, o})
		nirs[o.ident.nir] = true
		sirets[o.siret] = true
	}
	if len(items) == 0 {
		return nil
	}
	reg, err := r.lookup(nirs, sirets)
	if err != nil {
		return err
	}
	stored, err := r.storedOperational(reg.ids, reg.nirOf)
	if err != nil {
		return err
	}
	hosted, err := r.interventionsOf(reg.ids)
	if err != nil {
		return err
	}
	var good []*opRecord
	for i := range items {
		rw, o := items[i].rw, &items[i].o
		w := reg.byNIR[o.ident.nir]
		if w == nil {
			rw.fail(oNIR, "WORKER_UNKNOWN", "Aucun travailleur n'est enregistré avec %s : son employeur doit d'abord le déclarer.", identifierLabel(o.ident.nir))
			r.reject(rw)
			continue
		}
		if !checkIdentity(rw, w, o.ident, oNom, oPrenom, -1) {
			r.reject(rw)
			continue
		}
		e := r.checkEstablishment(rw, oSIRET, o.siret)
		if e == nil {
			r.reject(rw)
			continue
		}
		day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
		if covering(reg.employments[w.ID], e.ID, day(o.start), day(o.end)) == nil && !intervenes(hosted[w.ID], e.ID, day(o.start), day(o.end)) {
			rw.fail(oDebut, "EMPLOYMENT_NOT_FOUND", "Aucun emploi de ce travailleur dans l'établissement %s, ni aucune intervention déclarée sur ce site, ne couvre la période du %s au %s.",
				o.siret, o.start.Format(dateLayout), o.end.Format(dateLayout))
			r.reject(rw)
			continue
		}
		key := o.key()
		if r.duplicate(rw, key, oDosimetre) {
			r.reject(rw)
			continue
		}
		o.workerID, o.estabID, o.version = w.ID, e.ID, 1
		if prev, ok := stored[key]; ok {
			if prev.ValueUsv == o.usv {
				rw.fail(oResultat, "DUPLICATE_STORED", "Ce résultat est déjà enregistré (envoyé le %s) avec la même valeur.", prev.ReceivedAt.Format("02/01/2006"))
				r.reject(rw)
				continue
			}
			o.supersedes, o.version = prev.ID, prev.Version+1
		}
		r.accepted++
		r.classes.add(o.usv, false)
		good = append(good, o)
	}
	if !r.writing() || len(good) == 0 {
		return nil
	}
	return r.writeOperational(ctx, good)
}

// interventionsOf returns the interventions of the workers on operators'
// sites, by worker.
func (r *runner) interventionsOf(wids map[int]bool) (map[int][]*ent.Intervention, error) {
	out := map[int][]*ent.Intervention{}
	err := inChunks(wids, func(part []int) error {
		is, err := r.client.Intervention.Query().Where(intervention.WorkerIDIn(part...)).All(r.sys)
		if err != nil {
			return fmt.Errorf("find interventions: %w", err)
		}
		for _, i := range is {
			out[i.WorkerID] = append(out[i.WorkerID], i)
		}
		return nil
	})
	return out, err
}

// intervenes reports whether one of the interventions on site covers the days
// from start to end: an outside company's worker, whose operational
// dosimetry the site transmits (arrêté 2023 art. 18).
func intervenes(is []*ent.Intervention, site int, start, end time.Time) bool {
	for _, i := range is {
		if i.SiteEstablishmentID == site && !i.StartDate.After(start) && (i.EndDate == nil || !i.EndDate.Before(end)) {
			return true
		}
	}
	return false
}

func (r *runner) storedOperational(wids map[int]bool, nirOf map[int]string) (map[string]*ent.OperationalDose, error) {
	out := map[string]*ent.OperationalDose{}
	err := inChunks(wids, func(part []int) error {
		recs, err := r.client.OperationalDose.Query().Where(operationaldose.WorkerIDIn(part...), operationaldose.Current(true)).All(r.sys)
		if err != nil {
			return fmt.Errorf("find stored operational results: %w", err)
		}
		for _, d := range recs {
			out[opKey(nirOf[d.WorkerID], d.DosimeterSerial, d.StartAt, d.EndAt)] = d
		}
		return nil
	})
	return out, err
}

func (r *runner) writeOperational(ctx context.Context, recs []*opRecord) error {
	doses := make([]registry.OperationalDose, len(recs))
	for i, o := range recs {
		doses[i] = registry.OperationalDose{WorkerID: o.workerID, EstablishmentID: o.estabID, ImportBatchID: r.batchID,
			Dosimeter: o.dosimeter, Start: o.start, End: o.end, Value: dosimetry.Microsievert(o.usv),
			Version: o.version, Supersedes: o.supersedes}
	}
	return r.sess.WriteOperational(ctx, doses)
}
