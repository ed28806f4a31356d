package seed

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/dosimeter"
	"github.com/siseri/siseri/ent/importbatch"
)

// batchSize is the number of rows per INSERT: well under PostgreSQL's 65,535
// and SQLite's 32,766 bind parameters for the widest table (dose_records).
const batchSize = 1000

// idMap holds the database ids of what was created, by plan index.
type idMap struct {
	labs, companies, ests, workers []int
	batches, records               []int
	accounts                       map[string]int
	grants, emps, dosimeters, wear int
}

// count is one line of the seeding summary.
type count struct {
	name string
	n    int
}

// createAll creates n rows in batches: build returns the builder of row i and
// save runs a bulk insert. It returns the ids in row order.
func createAll[B any, E any](ctx context.Context, n int, build func(i int) B,
	save func(context.Context, ...B) ([]E, error), id func(E) int) ([]int, error) {
	out := make([]int, 0, n)
	for lo := 0; lo < n; lo += batchSize {
		hi := min(lo+batchSize, n)
		bs := make([]B, 0, hi-lo)
		for i := lo; i < hi; i++ {
			bs = append(bs, build(i))
		}
		rows, err := save(ctx, bs...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, id(r))
		}
	}
	return out, nil
}

// write creates the plan in tx and returns the summary counts.
func (p *plan) write(ctx context.Context, tx *ent.Tx) ([]count, error) {
	ids := &idMap{}
	nomen := nomenclatureBuilders(tx.Nomenclature)
	if err := tx.Nomenclature.CreateBulk(nomen...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create nomenclature: %w", err)
	}
	steps := []struct {
		what string
		run  func(context.Context, *ent.Tx, *idMap) error
	}{
		{"organisations", p.createOrganisations},
		{"workers", p.createWorkers},
		{"employments", p.createEmployments},
		{"accounts", func(ctx context.Context, tx *ent.Tx, ids *idMap) (err error) {
			ids.accounts, err = p.createAccounts(ctx, tx, ids)
			return err
		}},
		{"dosimeters", p.createDosimeters},
		{"import batches", p.createBatches},
		{"dose records", p.createRecords},
	}
	for _, s := range steps {
		if err := s.run(ctx, tx, ids); err != nil {
			return nil, fmt.Errorf("create %s: %w", s.what, err)
		}
	}
	return []count{
		{"nomenclature", len(nomen)}, {"laboratories", len(ids.labs)}, {"companies", len(ids.companies)},
		{"establishments", len(ids.ests)}, {"workers", len(ids.workers)}, {"employments", ids.emps},
		{"accounts", len(ids.accounts)}, {"grants", ids.grants}, {"dosimeters", ids.dosimeters},
		{"assignments", ids.wear}, {"import_batches", len(ids.batches)}, {"dose_records", len(ids.records)},
		{"corrections", len(ids.records) - p.originals},
	}, nil
}

// createOrganisations creates the laboratories, companies and establishments.
func (p *plan) createOrganisations(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	var err error
	ids.labs, err = createAll(ctx, len(labSpecs), func(i int) *ent.LaboratoryCreate {
		l := labSpecs[i]
		return setDemoAccreditation(tx.Laboratory.Create().SetCode(l.code).SetName(l.name).
			SetSiret(p.org.labSirets[i]).SetAccreditation(p.org.accredit[i]), p.win)
	}, func(ctx context.Context, bs ...*ent.LaboratoryCreate) ([]*ent.Laboratory, error) {
		return tx.Laboratory.CreateBulk(bs...).Save(ctx)
	}, func(l *ent.Laboratory) int { return l.ID })
	if err != nil {
		return err
	}
	ids.companies, err = createAll(ctx, len(companySpecs), func(i int) *ent.CompanyCreate {
		return tx.Company.Create().SetSiren(p.org.sirens[i]).SetName(companySpecs[i].name)
	}, func(ctx context.Context, bs ...*ent.CompanyCreate) ([]*ent.Company, error) {
		return tx.Company.CreateBulk(bs...).Save(ctx)
	}, func(c *ent.Company) int { return c.ID })
	if err != nil {
		return err
	}
	ids.ests, err = createAll(ctx, len(estSpecs), func(i int) *ent.EstablishmentCreate {
		e := estSpecs[i]
		return tx.Establishment.Create().SetSiret(p.org.sirets[i]).SetName(e.name).
			SetAddress(e.address).SetPostalCode(e.postal).SetCity(e.city).SetRegion(e.region).
			SetNafCode(e.naf).SetDomainCode(e.dom).SetCompanyID(ids.companies[p.org.companyOf[i]])
	}, func(ctx context.Context, bs ...*ent.EstablishmentCreate) ([]*ent.Establishment, error) {
		return tx.Establishment.CreateBulk(bs...).Save(ctx)
	}, func(e *ent.Establishment) int { return e.ID })
	return err
}

// createWorkers creates the workers.
func (p *plan) createWorkers(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	var err error
	ids.workers, err = createAll(ctx, len(p.workers), func(i int) *ent.WorkerCreate {
		w := p.workers[i]
		c := tx.Worker.Create().SetIdentifierKind(w.kind).SetLastName(w.lastName).SetFirstNames(w.firstNames).
			SetBirthDate(w.birth).SetSex(w.sex).SetBirthPlace(w.birthPlace).SetBirthCountry(w.birthCountry)
		if w.nir != "" {
			c.SetNir(w.nir)
		}
		if w.temporaryID != "" {
			c.SetTemporaryID(w.temporaryID)
		}
		if w.foreignID != "" {
			c.SetForeignID(w.foreignID).SetForeignCountry(w.foreignCountry)
		}
		if w.usageName != "" {
			c.SetUsageName(w.usageName)
		}
		return c
	}, func(ctx context.Context, bs ...*ent.WorkerCreate) ([]*ent.Worker, error) {
		return tx.Worker.CreateBulk(bs...).Save(ctx)
	}, func(w *ent.Worker) int { return w.ID })
	return err
}

// createEmployments creates every worker's employments.
func (p *plan) createEmployments(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	type ref struct{ w, e int }
	var refs []ref
	for wi, w := range p.workers {
		for ei := range w.emps {
			refs = append(refs, ref{wi, ei})
		}
	}
	created, err := createAll(ctx, len(refs), func(i int) *ent.EmploymentCreate {
		e := p.workers[refs[i].w].emps[refs[i].e]
		c := tx.Employment.Create().SetWorkerID(ids.workers[refs[i].w]).SetEstablishmentID(ids.ests[e.est]).
			SetStartDate(e.start).SetNillableEndDate(e.end).SetContractType(e.contract).SetWorkFraction(e.fraction).
			SetNomenclatureVersion(NomenclatureVersion).SetClassification(e.class).SetMonitoringKinds(e.monitoringKinds()).
			SetNillablePregnancyDeclaredOn(e.pregFrom).SetNillablePregnancyEndedOn(e.pregTo)
		if e.declared {
			c.SetSectorCode(e.role.sector).SetJobCode(e.role.job)
		}
		return c
	}, func(ctx context.Context, bs ...*ent.EmploymentCreate) ([]*ent.Employment, error) {
		return tx.Employment.CreateBulk(bs...).Save(ctx)
	}, func(e *ent.Employment) int { return e.ID })
	ids.emps = len(created)
	return err
}

// createBatches creates the demo laboratory's monthly result files.
func (p *plan) createBatches(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	submitter := ids.accounts["labo@demo.siseri.fr"]
	labID := 0
	for i, l := range labSpecs {
		if l.code == demoLab {
			labID = ids.labs[i]
		}
	}
	var err error
	ids.batches, err = createAll(ctx, len(p.batches), func(i int) *ent.ImportBatchCreate {
		b := p.batches[i]
		month := b.at.AddDate(0, -1, 0).Format("2006-01")
		return tx.ImportBatch.Create().SetSubmitterID(submitter).SetLaboratoryID(labID).SetFormat(importbatch.FormatLabResults).
			SetReference(fmt.Sprintf("%s-%s", demoLab, month)).
			SetFilename(fmt.Sprintf("%s_resultats_%s.csv", demoLab, month)).
			SetStatus(importbatch.StatusAccepted).SetRowsTotal(b.rows).SetRowsAccepted(b.rows).
			SetCompletedAt(b.at).SetCreatedAt(b.at).SetUpdatedAt(b.at)
	}, func(ctx context.Context, bs ...*ent.ImportBatchCreate) ([]*ent.ImportBatch, error) {
		return tx.ImportBatch.CreateBulk(bs...).Save(ctx)
	}, func(b *ent.ImportBatch) int { return b.ID })
	return err
}

// createDosimeters creates the dosimeters worn in the establishments that
// manage them in SISERI, their wearing periods, and a few spare dosimeters.
func (p *plan) createDosimeters(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	var segs []serialSeg
	for _, s := range p.gen.segments {
		if estSpecs[p.workers[s.worker].emps[s.emp].est].dosimeters {
			segs = append(segs, s)
		}
	}
	for ei, e := range estSpecs {
		for k := 0; e.dosimeters && k < 5; k++ {
			lab := p.org.labOf[ei]
			segs = append(segs, serialSeg{worker: -1, emp: ei, kind: doserecord.MonitoringKindPassiveWholeBody, lab: lab, serial: p.gen.nextSerial(lab)})
		}
	}
	dosimeters, err := createAll(ctx, len(segs), func(i int) *ent.DosimeterCreate {
		s := segs[i]
		est := s.emp
		if s.worker >= 0 {
			est = p.workers[s.worker].emps[s.emp].est
		}
		return tx.Dosimeter.Create().SetSerial(s.serial).SetKind(dosimeter.Kind(s.kind)).
			SetLaboratoryID(ids.labs[s.lab]).SetEstablishmentID(ids.ests[est]).SetNillableRetiredAt(s.retired)
	}, func(ctx context.Context, bs ...*ent.DosimeterCreate) ([]*ent.Dosimeter, error) {
		return tx.Dosimeter.CreateBulk(bs...).Save(ctx)
	}, func(d *ent.Dosimeter) int { return d.ID })
	if err != nil {
		return err
	}
	ids.dosimeters = len(dosimeters)
	worn := 0
	for worn < len(segs) && segs[worn].worker >= 0 {
		worn++
	}
	_, err = createAll(ctx, worn, func(i int) *ent.DosimeterAssignmentCreate {
		s := segs[i]
		return tx.DosimeterAssignment.Create().SetDosimeterID(dosimeters[i]).SetWorkerID(ids.workers[s.worker]).
			SetStartDate(s.start).SetNillableEndDate(s.end).SetBodyPosition(bodyPosition(s.kind))
	}, func(ctx context.Context, bs ...*ent.DosimeterAssignmentCreate) ([]*ent.DosimeterAssignment, error) {
		return tx.DosimeterAssignment.CreateBulk(bs...).Save(ctx)
	}, func(a *ent.DosimeterAssignment) int { return a.ID })
	ids.wear = worn
	return err
}

// bodyPosition is where a dosimeter of that kind is worn, in French.
func bodyPosition(kind doserecord.MonitoringKind) string {
	switch kind {
	case doserecord.MonitoringKindExtremity:
		return "Bague, main dominante"
	case doserecord.MonitoringKindLens:
		return "Serre-tête, près de l'œil gauche"
	}
	return "Poitrine"
}

// createRecords creates the dose records in the order they reached the
// registry, each arrival judged as it is written (replay).
func (p *plan) createRecords(ctx context.Context, tx *ent.Tx, ids *idMap) error {
	recs := p.gen.records
	physician := ids.accounts["medecin@demo.siseri.fr"]
	// build creates record i as it was when it arrived: current; a later
	// correction supersedes it when it arrives.
	build := func(i int) *ent.DoseRecordCreate {
		r := &recs[i]
		e := p.workers[r.worker].emps[r.emp]
		c := tx.DoseRecord.Create().SetWorkerID(ids.workers[r.worker]).SetEstablishmentID(ids.ests[e.est]).
			SetSource(r.source).SetMonitoringKind(r.kind).SetQuantity(r.quantity).SetValueUsv(r.value).
			SetStatus(r.status).SetPeriodStart(r.start).SetPeriodEnd(r.end).SetVersion(r.version).
			SetCurrent(r.current || r.supersededAt != nil).SetReceivedAt(r.received)
		if e.declared {
			c.SetSectorCode(e.role.sector).SetJobCode(e.role.job)
		}
		if r.lab >= 0 {
			c.SetLaboratoryID(ids.labs[r.lab])
		}
		if r.batch >= 0 {
			c.SetImportBatchID(ids.batches[r.batch])
		}
		if r.byPhysician {
			c.SetRecordedByID(physician)
		}
		if r.supersedes >= 0 {
			c.SetSupersedesID(ids.records[r.supersedes])
		}
		for _, opt := range []struct {
			v   string
			set func(string) *ent.DoseRecordCreate
		}{{r.serial, c.SetDosimeterSerial}, {r.radionuclide, c.SetRadionuclide}, {r.comment, c.SetComment}, {r.reason, c.SetCorrectionReason}} {
			if opt.v != "" {
				opt.set(opt.v)
			}
		}
		return c
	}
	ids.records = make([]int, len(recs))
	return p.replay(ctx, tx, func(ctx context.Context, idx []int) ([]*ent.DoseRecord, error) {
		written := make([]*ent.DoseRecord, 0, len(idx))
		_, err := createAll(ctx, len(idx), func(i int) *ent.DoseRecordCreate { return build(idx[i]) },
			func(ctx context.Context, bs ...*ent.DoseRecordCreate) ([]*ent.DoseRecord, error) {
				rows, err := tx.DoseRecord.CreateBulk(bs...).Save(ctx)
				written = append(written, rows...)
				return rows, err
			}, func(r *ent.DoseRecord) int { return r.ID })
		for k, r := range written {
			ids.records[idx[k]] = r.ID
		}
		return written, err
	}, ids)
}

// demoAccreditationScope is the scope of accreditation of the demo laboratories.
const demoAccreditationScope = "Dosimétrie individuelle passive (Hp(10), Hp(0,07)) et dosimétrie des extrémités"

// setDemoAccreditation gives a demo laboratory an accreditation valid a year
// before the seeded history and five years after it, so that it covers the
// seeded years and today.
func setDemoAccreditation(c *ent.LaboratoryCreate, win window) *ent.LaboratoryCreate {
	return c.SetAccreditationBody("COFRAC").SetAccreditationScope(demoAccreditationScope).
		SetAccreditationValidFrom(win.start.AddDate(-1, 0, 0)).SetAccreditationValidTo(win.end.AddDate(5, 0, 0))
}
