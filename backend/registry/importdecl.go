package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/ent/worker"
)

// declaration is a declaration on its way into the registry: as parsed,
// then resolved (its worker, when registered or created, its establishment
// and the employment it updates, if any).
type declaration struct {
	ingest.Declaration
	workerID   int
	estabID    int
	existingID int
}

// nomenclature loads the sector and job codes of the version in force.
func (r *runner) nomenclature() (*ingest.Nomenclature, error) {
	rows, err := r.client.Nomenclature.Query().Where(nomenclature.KindIn(nomenclature.KindSector, nomenclature.KindJob)).All(r.sys)
	if err != nil {
		return nil, fmt.Errorf("load nomenclature: %w", err)
	}
	n := &ingest.Nomenclature{Sectors: map[string]bool{}, Jobs: map[string]bool{}}
	// The version in force is the one that took effect last (versions are
	// imported, never edited: a newer one does not end the older ones).
	var since time.Time
	for _, row := range rows {
		if row.ValidFrom.After(r.now) || (row.ValidTo != nil && !row.ValidTo.After(r.now)) {
			continue
		}
		if row.ValidFrom.After(since) || (row.ValidFrom.Equal(since) && row.Version > n.Version) {
			n.Version, since = row.Version, row.ValidFrom
		}
	}
	for _, row := range rows {
		if row.Version != n.Version {
			continue
		}
		if row.Kind == nomenclature.KindSector {
			n.Sectors[row.Code] = true
		} else {
			n.Jobs[row.Code] = true
		}
	}
	return n, nil
}

// flushDeclarations checks a chunk of declarations and writes the valid ones:
// new workers, new employments, and changes to a declared employment (same
// worker, establishment and start date).
func (r *runner) flushDeclarations(ctx context.Context, rows []*ingest.Row) error {
	if r.nom == nil {
		n, err := r.nomenclature()
		if err != nil {
			return err
		}
		r.nom = n
		r.newWorkers = map[string]int{}
	}
	type item struct {
		rw *ingest.Row
		d  declaration
	}
	items := make([]item, 0, len(rows))
	nirs, sirets := map[string]bool{}, map[string]bool{}
	for _, rw := range rows {
		d, ok := ingest.ParseDeclaration(rw, r.now, r.nom)
		if !ok {
			r.batch.Reject(rw)
			continue
		}
		items = append(items, item{rw, declaration{Declaration: d}})
		nirs[d.Identity.Key] = true
		sirets[d.SIRET] = true
	}
	if len(items) == 0 {
		return nil
	}
	reg, err := r.lookup(nirs, sirets)
	if err != nil {
		return err
	}
	var good []*declaration
	for i := range items {
		rw, d := items[i].rw, &items[i].d
		e := r.checkEstablishment(rw, "siret", d.SIRET)
		if e == nil {
			r.batch.Reject(rw)
			continue
		}
		d.estabID = e.ID
		if w := reg.byNIR[d.Identity.Key]; w != nil {
			if !checkIdentity(rw, w, d.Identity, "date_naissance") {
				r.batch.Reject(rw)
				continue
			}
			d.workerID = w.ID
			if !r.checkEmploymentOverlap(rw, d, reg.employments[w.ID]) {
				r.batch.Reject(rw)
				continue
			}
		}
		if r.batch.Duplicate(rw, fmt.Sprintf("%s|%s|%s", d.Identity.Key, d.SIRET, d.Start.Format(time.DateOnly)), "date_debut") {
			r.batch.Reject(rw)
			continue
		}
		r.batch.Accept()
		good = append(good, d)
	}
	if !r.batch.Writing() || len(good) == 0 {
		return nil
	}
	return r.writeDeclarations(good)
}

// identifiedBy sets the identifier of a new worker in the column of its
// kind: NIR or NIA, NTT, or foreign identifier and country.
func identifiedBy(c *ent.WorkerCreate, id dosimetry.WorkerIdentifier) *ent.WorkerCreate {
	switch id.Kind {
	case dosimetry.IdentifierNTT:
		return c.SetIdentifierKind(worker.IdentifierKindNTT).SetTemporaryID(id.Value)
	case dosimetry.IdentifierForeign:
		return c.SetIdentifierKind(worker.IdentifierKindForeign).SetForeignID(id.Value).SetForeignCountry(id.Country)
	case dosimetry.IdentifierNIA:
		return c.SetIdentifierKind(worker.IdentifierKindNIA).SetNir(id.Value)
	}
	return c.SetIdentifierKind(worker.IdentifierKindNIR).SetNir(id.Value)
}

// checkEmploymentOverlap allows a new employment at an establishment only
// when it does not overlap another one there; the same start date updates.
func (r *runner) checkEmploymentOverlap(rw *ingest.Row, d *declaration, emps []*ent.Employment) bool {
	for _, e := range emps {
		if e.EstablishmentID != d.estabID {
			continue
		}
		if e.StartDate.Equal(d.Start) {
			d.existingID = e.ID
			return true
		}
		endsAfterStart := e.EndDate == nil || !e.EndDate.Before(d.Start)
		startsBeforeEnd := d.End == nil || !e.StartDate.After(*d.End)
		if endsAfterStart && startsBeforeEnd {
			rw.Fail("date_debut", "EMPLOYMENT_OVERLAP", "Ce travailleur a déjà un emploi dans cet établissement depuis le %s qui chevauche la période déclarée.", e.StartDate.Format(time.DateOnly))
			return false
		}
	}
	return true
}

func (r *runner) writeDeclarations(ds []*declaration) error {
	var create []*ent.WorkerCreate
	var createNIR []string
	for _, d := range ds {
		if d.workerID != 0 {
			continue
		}
		if id, ok := r.newWorkers[d.Identity.Key]; ok {
			d.workerID = id
			continue
		}
		r.newWorkers[d.Identity.Key] = -1
		create = append(create, identifiedBy(r.client.Worker.Create(), d.ID).
			SetLastName(d.Identity.LastName).SetFirstNames(d.Identity.FirstNames).SetBirthDate(d.Identity.BirthDate).SetSex(worker.Sex(d.Sex)))
		createNIR = append(createNIR, d.Identity.Key)
	}
	for i := 0; i < len(create); i += 500 {
		ws, err := r.client.Worker.CreateBulk(create[i:min(i+500, len(create))]...).Save(r.sys)
		if err != nil {
			return fmt.Errorf("create workers: %w", err)
		}
		for j, w := range ws {
			r.newWorkers[createNIR[i+j]] = w.ID
		}
		r.rep.WorkersCreated += len(ws)
	}
	var emps []*ent.EmploymentCreate
	for _, d := range ds {
		if d.workerID <= 0 {
			d.workerID = r.newWorkers[d.Identity.Key]
		}
		if d.existingID != 0 {
			u := r.client.Employment.UpdateOneID(d.existingID).SetContractType(employment.ContractType(d.Contract)).
				SetNomenclatureVersion(r.nom.Version).SetNillableSectorCode(nonEmpty(d.Sector)).SetNillableJobCode(nonEmpty(d.Job)).
				SetClassification(employment.Classification(d.Classification))
			if d.Sector == "" {
				u.ClearSectorCode()
			}
			if d.Job == "" {
				u.ClearJobCode()
			}
			if d.End != nil {
				u.SetEndDate(*d.End)
			} else {
				u.ClearEndDate()
			}
			if err := u.Exec(r.sys); err != nil {
				return fmt.Errorf("update employment: %w", err)
			}
			continue
		}
		emps = append(emps, r.client.Employment.Create().SetWorkerID(d.workerID).SetEstablishmentID(d.estabID).
			SetStartDate(d.Start).SetNillableEndDate(d.End).SetContractType(employment.ContractType(d.Contract)).
			SetNomenclatureVersion(r.nom.Version).SetNillableSectorCode(nonEmpty(d.Sector)).SetNillableJobCode(nonEmpty(d.Job)).
			SetClassification(employment.Classification(d.Classification)).SetMonitoringKinds([]string{string(dosimetry.KindWholeBody)}))
	}
	for i := 0; i < len(emps); i += 500 {
		created, err := r.client.Employment.CreateBulk(emps[i:min(i+500, len(emps))]...).Save(r.sys)
		if err != nil {
			return fmt.Errorf("create employments: %w", err)
		}
		r.rep.EmploymentsCreated += len(created)
	}
	return nil
}

// nonEmpty is s, or nil when s is empty (a code left out of a row).
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
