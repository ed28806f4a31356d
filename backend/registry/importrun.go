package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/identity"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/worker"
)

// runner is one import in progress.
type runner struct {
	imp      *Importer
	client   *ent.Client
	sys      context.Context
	sub      ingest.Submission
	who      submitter
	now      time.Time
	postgres bool
	// sess records the batch's doses (nil for a dry run).
	sess *Session
	// batch reads the rows and keeps the report, rep.
	batch   *ingest.Batch
	rep     *ingest.Report
	batchID int

	estabs map[string]*ent.Establishment
	locked bool
	// Declarations: the nomenclature in force and the workers created so far.
	nom        *ingest.Nomenclature
	newWorkers map[string]int
	// spent is the time of each phase, for Importer.Trace.
	spent map[string]time.Duration
	// profile is a laboratory batch's distribution by exposure context, for
	// the batch checks (nil for other batches, dry runs and history imports).
	profile *anomaly.BatchProfile
}

// timed adds the time since start to a phase.
func (r *runner) timed(phase string, start time.Time) {
	if r.spent == nil {
		r.spent = map[string]time.Duration{}
	}
	r.spent[phase] += time.Since(start)
}

// run reads, checks and writes every row, chunk by chunk.
func (r *runner) run(ctx context.Context) error {
	r.estabs = map[string]*ent.Establishment{}
	ok, err := r.batch.Open()
	if !ok || err != nil {
		return err
	}
	if r.sub.Format == ingest.LabResults && !r.sub.DryRun {
		if err := r.lockLaboratory(); err != nil {
			return err
		}
	}
	return r.batch.Read(r.imp.chunkSize(), func(rows []*ingest.Row) error { return r.flush(ctx, rows) })
}

func (r *runner) flush(ctx context.Context, rows []*ingest.Row) error {
	var err error
	switch r.sub.Format {
	case ingest.LabResults:
		err = r.flushLab(ctx, rows)
	case ingest.Declarations:
		err = r.flushDeclarations(ctx, rows)
	case ingest.Operational:
		err = r.flushOperational(ctx, rows)
	}
	if err != nil {
		return err
	}
	if r.imp.AfterChunk != nil && r.batch.Writing() {
		return r.imp.AfterChunk(ctx, r.batch.Done())
	}
	return nil
}

// complete brings the standings current, stores the report and announces
// the news (after commit).
func (r *runner) complete(ctx context.Context) error {
	// Before Settle: the batch is compared with the context statistics as
	// they were before its own doses enter them.
	if err := r.checkBatch(); err != nil {
		return err
	}
	if err := r.sess.Settle(); err != nil {
		return err
	}
	report, err := toMap(r.rep)
	if err != nil {
		return err
	}
	u := r.client.ImportBatch.UpdateOneID(r.batchID).
		SetStatus(importbatch.Status(r.rep.Status)).
		SetRowsTotal(r.rep.RowsTotal).SetRowsAccepted(r.rep.RowsAccepted).SetRowsRejected(r.rep.RowsRejected).
		SetReport(report).SetCompletedAt(r.now)
	if r.profile != nil {
		raw, err := r.profile.Marshal()
		if err != nil {
			return err
		}
		u.SetProfile(raw)
	}
	if err := u.Exec(r.sys); err != nil {
		return fmt.Errorf("store batch report: %w", err)
	}
	return r.sess.Announce(ctx)
}

// checkBatch compares a laboratory batch with the laboratory's previous
// batches and the other laboratories (anomaly.CheckBatch): the worker
// findings a batch finding explains are linked to it and not announced one
// by one.
func (r *runner) checkBatch() error {
	if r.profile == nil || r.imp.Registry.Engine == nil {
		return nil
	}
	t0 := time.Now()
	defer r.timed("batch", t0)
	res, err := anomaly.CheckBatch(r.sys, r.client, anomaly.DefaultBatchConfig(), anomaly.BatchInput{
		BatchID: r.batchID, LaboratoryID: r.who.laboratoryID, Profile: r.profile, Raised: r.sess.RaisedIDs(), Now: r.now})
	if err != nil {
		return fmt.Errorf("batch checks: %w", err)
	}
	r.sess.Forget(res.Linked)
	return nil
}

// establishment returns the registered establishment of a SIRET (cached).
func (r *runner) establishments(sirets map[string]bool) error {
	var missing []string
	for s := range sirets {
		if _, ok := r.estabs[s]; !ok {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := r.client.Establishment.Query().Where(establishment.SiretIn(missing...)).All(r.sys)
	if err != nil {
		return fmt.Errorf("find establishments: %w", err)
	}
	for _, s := range missing {
		r.estabs[s] = nil
	}
	for _, e := range found {
		r.estabs[e.Siret] = e
	}
	return nil
}

// checkEstablishment fails unless the SIRET is registered and, for
// declarations and operational dosimetry, in the submitter's scope.
func (r *runner) checkEstablishment(rw *ingest.Row, column, siret string) *ent.Establishment {
	e := r.estabs[siret]
	if e == nil {
		rw.Fail(column, "ESTABLISHMENT_UNKNOWN", "Aucun établissement n'est déclaré avec le SIRET %s.", siret)
		return nil
	}
	if r.who.establishments != nil && !r.who.establishments[e.ID] {
		rw.Fail(column, "ESTABLISHMENT_NOT_IN_SCOPE", "Vous n'êtes pas habilité à transmettre pour l'établissement de SIRET %s.", siret)
		return nil
	}
	return e
}

// resolve finds the registered worker and establishment a result row names:
// the worker by identifier, whose identity must match the row's, and the
// establishment by SIRET, in the submitter's scope. It fails the row and
// reports false otherwise.
func (r *runner) resolve(rw *ingest.Row, reg known, ident ingest.Identity, birthColumn, siret string) (*ent.Worker, *ent.Establishment, bool) {
	w := reg.byNIR[ident.Key]
	if w == nil {
		rw.Fail("nir", "WORKER_UNKNOWN", "Aucun travailleur n'est enregistré avec %s : son employeur doit d'abord le déclarer.", ingest.IdentifierLabel(ident.Key))
		return nil, nil, false
	}
	if !checkIdentity(rw, w, ident, birthColumn) {
		return nil, nil, false
	}
	e := r.checkEstablishment(rw, "siret", siret)
	return w, e, e != nil
}

// known is what a chunk's rows name in the registry: its workers by NIR
// (and NIR by id) and their employments. Establishments go to r.estabs.
type known struct {
	byNIR       map[string]*ent.Worker
	ids         map[int]bool
	nirOf       map[int]string
	employments map[int][]*ent.Employment
}

// lookup reads the workers, establishments and employments a chunk names.
func (r *runner) lookup(nirs, sirets map[string]bool) (known, error) {
	var reg known
	var err error
	if reg.byNIR, err = r.workersByNIR(nirs); err != nil {
		return reg, err
	}
	if err := r.establishments(sirets); err != nil {
		return reg, err
	}
	reg.ids, reg.nirOf = map[int]bool{}, map[int]string{}
	for n, w := range reg.byNIR {
		reg.ids[w.ID] = true
		reg.nirOf[w.ID] = n
	}
	reg.employments, err = r.employmentsOf(reg.ids)
	return reg, err
}

// workersByNIR finds the workers of identifier keys (ingest.Identity.Key), each by
// its own column: NIR or NIA by nir, an NTT by temporary_id, a foreign
// identifier by foreign_country and foreign_id. Should two workers share
// an NTT or a foreign identifier, the first registered is taken.
func (r *runner) workersByNIR(nirs map[string]bool) (map[string]*ent.Worker, error) {
	out := make(map[string]*ent.Worker, len(nirs))
	byNIR, byNTT, byForeign := map[string]bool{}, map[string]bool{}, map[string]map[string]bool{}
	for key := range nirs {
		id, err := dosimetry.ParseWorkerIdentifier(key)
		switch {
		case err != nil:
			continue
		case id.Kind == dosimetry.IdentifierNTT:
			byNTT[id.Value] = true
		case id.Kind == dosimetry.IdentifierForeign:
			if byForeign[id.Country] == nil {
				byForeign[id.Country] = map[string]bool{}
			}
			byForeign[id.Country][id.Value] = true
		default:
			byNIR[id.Value] = true
		}
	}
	find := func(set map[string]bool, where func([]string) predicate.Worker, key func(*ent.Worker) string) error {
		return inChunks(set, func(part []string) error {
			ws, err := r.client.Worker.Query().Where(where(part)).Order(ent.Asc(worker.FieldID)).All(r.sys)
			if err != nil {
				return fmt.Errorf("find workers: %w", err)
			}
			for _, w := range ws {
				if k := key(w); out[k] == nil {
					out[k] = w
				}
			}
			return nil
		})
	}
	if err := find(byNIR, func(p []string) predicate.Worker { return worker.NirIn(p...) },
		func(w *ent.Worker) string { return *w.Nir }); err != nil {
		return nil, err
	}
	if err := find(byNTT, func(p []string) predicate.Worker { return worker.TemporaryIDIn(p...) },
		func(w *ent.Worker) string { return "NTT:" + *w.TemporaryID }); err != nil {
		return nil, err
	}
	for country, ids := range byForeign {
		if err := find(ids, func(p []string) predicate.Worker {
			return worker.And(worker.ForeignCountry(country), worker.ForeignIDIn(p...))
		}, func(w *ent.Worker) string { return country + ":" + *w.ForeignID }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *runner) employmentsOf(ids map[int]bool) (map[int][]*ent.Employment, error) {
	out := map[int][]*ent.Employment{}
	err := inChunks(ids, func(part []int) error {
		es, err := r.client.Employment.Query().Where(employment.WorkerIDIn(part...)).All(r.sys)
		if err != nil {
			return fmt.Errorf("find employments: %w", err)
		}
		for _, e := range es {
			out[e.WorkerID] = append(out[e.WorkerID], e)
		}
		return nil
	})
	return out, err
}

// covering returns the employment at estab that overlaps [start, end] most.
func covering(emps []*ent.Employment, estab int, start, end time.Time) *ent.Employment {
	var best *ent.Employment
	var bestDays float64 = -1
	for _, e := range emps {
		if e.EstablishmentID != estab || e.StartDate.After(end) || (e.EndDate != nil && e.EndDate.Before(start)) {
			continue
		}
		lo, hi := start, end
		if e.StartDate.After(lo) {
			lo = e.StartDate
		}
		if e.EndDate != nil && e.EndDate.Before(hi) {
			hi = *e.EndDate
		}
		if d := hi.Sub(lo).Hours(); d > bestDays {
			best, bestDays = e, d
		}
	}
	return best
}

// checkIdentity fails unless the stated names and birth date are those of
// the worker registered with the identifier. It never shows what is
// registered.
// The columns are named by header: the last name (nom), first names (prenom)
// and birth date, "" for a format without it.
func checkIdentity(rw *ingest.Row, w *ent.Worker, c ingest.Identity, birthColumn string) bool {
	if !dosimetry.SameName(w.LastName, c.LastName) && (w.UsageName == "" || !dosimetry.SameName(w.UsageName, c.LastName)) {
		rw.Fail("nom", "IDENTITY_MISMATCH", "Le nom « %s » ne correspond pas à la personne enregistrée avec cet identifiant (nom de naissance ou d'usage).", c.LastName)
		return false
	}
	if !identity.Matches(w, identity.Claim{LastName: w.LastName, FirstNames: c.FirstNames}) {
		rw.Fail("prenom", "IDENTITY_MISMATCH", "Le prénom « %s » ne correspond pas à la personne enregistrée avec cet identifiant.", c.FirstNames)
		return false
	}
	if birthColumn != "" && c.HasBirth {
		by, bm, bd := w.BirthDate.UTC().Date()
		cy, cm, cd := c.BirthDate.Date()
		if by != cy || bm != cm || bd != cd {
			rw.Fail(birthColumn, "IDENTITY_MISMATCH", "La date de naissance %s ne correspond pas à la personne enregistrée avec cet identifiant.", c.BirthDate.Format(time.DateOnly))
			return false
		}
	}
	return true
}

// lookupBound is the most members one lookup statement takes: a chunk of
// rows (5,000 by default) is resolved in one statement per lookup, and IN
// lists stay within SQLite's and PostgreSQL's bounds on parameters.
const lookupBound = 5000

// inChunks calls fn with the members of set, lookupBound at a time.
func inChunks[K comparable](set map[K]bool, fn func(part []K) error) error {
	list := make([]K, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	for i := 0; i < len(list); i += lookupBound {
		if err := fn(list[i:min(i+lookupBound, len(list))]); err != nil {
			return err
		}
	}
	return nil
}
