package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/intervention"
	"github.com/siseri/siseri/ent/operationaldose"
)

// opRecord is an operational result on its way into the registry: as
// parsed, then resolved.
type opRecord struct {
	ingest.OperationalResult
	workerID, estabID int
	supersedes        int
	version           int
}

// flushOperational checks a chunk of operational results and writes the
// valid ones.
func (r *runner) flushOperational(ctx context.Context, rows []*ingest.Row) error {
	type item struct {
		rw *ingest.Row
		o  opRecord
	}
	items := make([]item, 0, len(rows))
	nirs, sirets := map[string]bool{}, map[string]bool{}
	for _, rw := range rows {
		o, ok := ingest.ParseOperational(rw, r.now)
		if !ok {
			r.batch.Reject(rw)
			continue
		}
		items = append(items, item{rw, opRecord{OperationalResult: o}})
		nirs[o.Identity.Key] = true
		sirets[o.SIRET] = true
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
		w, e, ok := r.resolve(rw, reg, o.Identity, "", o.SIRET)
		if !ok {
			r.batch.Reject(rw)
			continue
		}
		day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
		if covering(reg.employments[w.ID], e.ID, day(o.Start), day(o.End)) == nil && !intervenes(hosted[w.ID], e.ID, day(o.Start), day(o.End)) {
			rw.Fail("debut", "EMPLOYMENT_NOT_FOUND", "Aucun emploi de ce travailleur dans l'établissement %s, ni aucune intervention déclarée sur ce site, ne couvre la période du %s au %s.",
				o.SIRET, o.Start.Format(time.DateOnly), o.End.Format(time.DateOnly))
			r.batch.Reject(rw)
			continue
		}
		key := o.Key()
		if r.batch.Duplicate(rw, key, "dosimetre") {
			r.batch.Reject(rw)
			continue
		}
		o.workerID, o.estabID, o.version = w.ID, e.ID, 1
		if prev, ok := stored[key]; ok {
			if prev.ValueUsv == int64(o.Value) {
				rw.Fail("resultat", "DUPLICATE_STORED", "Ce résultat est déjà enregistré (envoyé le %s) avec la même valeur.", prev.ReceivedAt.Format("02/01/2006"))
				r.batch.Reject(rw)
				continue
			}
			o.supersedes, o.version = prev.ID, prev.Version+1
		}
		r.batch.AcceptDose(int64(o.Value), false)
		good = append(good, o)
	}
	if !r.batch.Writing() || len(good) == 0 {
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
			out[ingest.OperationalKey(nirOf[d.WorkerID], d.DosimeterSerial, d.StartAt, d.EndAt)] = d
		}
		return nil
	})
	return out, err
}

func (r *runner) writeOperational(ctx context.Context, recs []*opRecord) error {
	doses := make([]OperationalDose, len(recs))
	for i, o := range recs {
		doses[i] = OperationalDose{WorkerID: o.workerID, EstablishmentID: o.estabID, ImportBatchID: r.batchID,
			Dosimeter: o.Dosimeter, Start: o.Start, End: o.End, Value: o.Value,
			Version: o.version, Supersedes: o.supersedes}
	}
	return r.sess.WriteOperational(ctx, doses)
}
