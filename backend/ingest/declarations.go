package ingest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/ent/worker"
)

var declColumns = []string{"siret", "nir", "nom", "prenom", "date_naissance", "sexe", "date_debut", "date_fin",
	"type_contrat", "secteur", "metier", "categorie"}

const (
	dSIRET = iota
	dNIR
	dNom
	dPrenom
	dNaissance
	dSexe
	dDebut
	dFin
	dContrat
	dSecteur
	dMetier
	dCategorie
)

var contractCodes = map[string]employment.ContractType{
	"CDI": employment.ContractTypeCDI, "CDD": employment.ContractTypeCDD,
	"INTERIM": employment.ContractTypeTemporary, "TEMPORARY": employment.ContractTypeTemporary,
	"INDEPENDANT": employment.ContractTypeSelfEmployed, "SELF_EMPLOYED": employment.ContractTypeSelfEmployed,
	"APPRENTI": employment.ContractTypeApprentice, "APPRENTICE": employment.ContractTypeApprentice,
	"STAGIAIRE": employment.ContractTypeIntern, "INTERN": employment.ContractTypeIntern,
	"AUTRE": employment.ContractTypeOther, "OTHER": employment.ContractTypeOther,
}

var categoryCodes = map[string]employment.Classification{
	"A": employment.ClassificationA, "B": employment.ClassificationB, "RADON": employment.ClassificationRadon,
}

type declaration struct {
	ident      identityClaim
	sex        worker.Sex
	id         dosimetry.WorkerIdentifier
	siret      string
	start      time.Time
	end        *time.Time
	contract   employment.ContractType
	sector     string
	job        string
	category   employment.Classification
	workerID   int
	estabID    int
	existingID int
}

// nomenclatureCodes is the sector and job codes of the version in force.
type nomenclatureCodes struct {
	version string
	sectors map[string]bool
	jobs    map[string]bool
}

func (r *runner) nomenclature() (*nomenclatureCodes, error) {
	rows, err := r.client.Nomenclature.Query().Where(nomenclature.KindIn(nomenclature.KindSector, nomenclature.KindJob)).All(r.sys)
	if err != nil {
		return nil, fmt.Errorf("load nomenclature: %w", err)
	}
	n := &nomenclatureCodes{sectors: map[string]bool{}, jobs: map[string]bool{}}
	for _, row := range rows {
		if row.ValidFrom.After(r.now) || (row.ValidTo != nil && !row.ValidTo.After(r.now)) {
			continue
		}
		if row.Version > n.version {
			n.version = row.Version
		}
	}
	for _, row := range rows {
		if row.Version != n.version {
			continue
		}
		if row.Kind == nomenclature.KindSector {
			n.sectors[row.Code] = true
		} else {
			n.jobs[row.Code] = true
		}
	}
	return n, nil
}

func parseDeclaration(r *row, now time.Time, nom *nomenclatureCodes) (declaration, bool) {
	var d declaration
	var ok bool
	d.siret, _ = r.siret(dSIRET)
	if d.ident.nir, ok = r.nir(dNIR); ok {
		d.id, _ = dosimetry.ParseWorkerIdentifier(d.ident.nir)
	}
	d.ident.last, _ = r.name(dNom)
	d.ident.first, _ = r.name(dPrenom)
	if d.ident.birth, ok = r.date(dNaissance, false); ok && r.notFuture(dNaissance, d.ident.birth, now) {
		d.ident.hasBirth = true
	}
	if v, ok := r.required(dSexe); ok {
		switch strings.ToUpper(v) {
		case "M", "H", "1":
			d.sex = worker.SexMale
		case "F", "2":
			d.sex = worker.SexFemale
		default:
			r.fail(dSexe, "SEX_INVALID", "Le sexe « %s » n'est pas admis (valeurs admises : M, F).", v)
		}
	}
	// The sex is encoded in a NIR or NIA only; a worker identified by an NTT
	// or abroad is known by the birth data of the row.
	isNIR := d.id.Kind == dosimetry.IdentifierNIR || d.id.Kind == dosimetry.IdentifierNIA
	if d.sex != "" && isNIR && !r.bad() {
		n, _ := dosimetry.ParseNIR(d.id.Value)
		want := worker.SexMale
		if n.Sex() == dosimetry.SexFemale {
			want = worker.SexFemale
		}
		if n.Sex() != "" && want != d.sex {
			r.fail(dSexe, "NIR_SEX_MISMATCH", "Le sexe « %s » ne correspond pas au premier chiffre du NIR %s.", r.get(dSexe), d.ident.nir)
		}
	}
	start, okS := r.date(dDebut, false)
	end, okE := r.date(dFin, true)
	if okS {
		d.start = start
		if okE && !end.IsZero() {
			if end.Before(start) {
				r.fail(dFin, "PERIOD_ORDER", "La date de fin %s précède la date de début %s.", r.get(dFin), r.get(dDebut))
			} else {
				d.end = &end
			}
		}
		if d.ident.hasBirth && start.Before(d.ident.birth) {
			r.fail(dDebut, "PERIOD_ORDER", "La date de début %s précède la date de naissance.", r.get(dDebut))
		}
	}
	if v, ok := r.required(dContrat); ok {
		if c, ok := contractCodes[strings.ToUpper(v)]; ok {
			d.contract = c
		} else {
			r.fail(dContrat, "CONTRACT_INVALID", "Le type de contrat « %s » n'est pas admis (valeurs admises : CDI, CDD, INTERIM, APPRENTI, STAGIAIRE, INDEPENDANT, AUTRE).", v)
		}
	}
	if v, ok := r.required(dSecteur); ok {
		if nom.sectors[v] {
			d.sector = v
		} else {
			r.fail(dSecteur, "SECTOR_UNKNOWN", "Le code de secteur « %s » n'existe pas dans la nomenclature %s en vigueur.", v, nom.version)
		}
	}
	if v, ok := r.required(dMetier); ok {
		if nom.jobs[v] {
			d.job = v
		} else {
			r.fail(dMetier, "JOB_UNKNOWN", "Le code de métier « %s » n'existe pas dans la nomenclature %s en vigueur.", v, nom.version)
		}
	}
	if v, ok := r.required(dCategorie); ok {
		if c, ok := categoryCodes[strings.ToUpper(v)]; ok {
			d.category = c
		} else {
			r.fail(dCategorie, "CATEGORY_INVALID", "La catégorie « %s » n'est pas admise (valeurs admises : A, B, RADON).", v)
		}
	}
	return d, !r.bad()
}

// flushDeclarations checks a chunk of declarations and writes the valid ones:
// new workers, new employments, and changes to a declared employment (same
// worker, establishment and start date).
func (r *runner) flushDeclarations(ctx context.Context, rows []*row) error {
	if r.nom == nil {
		n, err := r.nomenclature()
		if err != nil {
			return err
		}
		r.nom = n
		r.newWorkers = map[string]int{}
	}
	type item struct {
		rw *row
		d  declaration
	}
	items := make([]item, 0, len(rows))
	nirs, sirets := map[string]bool{}, map[string]bool{}
	for _, rw := range rows {
		d, ok := parseDeclaration(rw, r.now, r.nom)
		if !ok {
			r.reject(rw)
			continue
		}
		items = append(items, item{rw, d})
		nirs[d.ident.nir] = true
		sirets[d.siret] = true
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
		e := r.checkEstablishment(rw, dSIRET, d.siret)
		if e == nil {
			r.reject(rw)
			continue
		}
		d.estabID = e.ID
		if w := reg.byNIR[d.ident.nir]; w != nil {
			if !checkIdentity(rw, w, d.ident, dNom, dPrenom, dNaissance) {
				r.reject(rw)
				continue
			}
			d.workerID = w.ID
			if !r.checkEmploymentOverlap(rw, d, reg.employments[w.ID]) {
				r.reject(rw)
				continue
			}
		}
		if r.duplicate(rw, fmt.Sprintf("%s|%s|%s", d.ident.nir, d.siret, d.start.Format(dateLayout)), dDebut) {
			r.reject(rw)
			continue
		}
		r.accepted++
		good = append(good, d)
	}
	if !r.writing() || len(good) == 0 {
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
func (r *runner) checkEmploymentOverlap(rw *row, d *declaration, emps []*ent.Employment) bool {
	for _, e := range emps {
		if e.EstablishmentID != d.estabID {
			continue
		}
		if e.StartDate.Equal(d.start) {
			d.existingID = e.ID
			return true
		}
		endsAfterStart := e.EndDate == nil || !e.EndDate.Before(d.start)
		startsBeforeEnd := d.end == nil || !e.StartDate.After(*d.end)
		if endsAfterStart && startsBeforeEnd {
			rw.fail(dDebut, "EMPLOYMENT_OVERLAP", "Ce travailleur a déjà un emploi dans cet établissement depuis le %s qui chevauche la période déclarée.", e.StartDate.Format(dateLayout))
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
		if id, ok := r.newWorkers[d.ident.nir]; ok {
			d.workerID = id
			continue
		}
		r.newWorkers[d.ident.nir] = -1
		create = append(create, identifiedBy(r.client.Worker.Create(), d.id).
			SetLastName(d.ident.last).SetFirstNames(d.ident.first).SetBirthDate(d.ident.birth).SetSex(d.sex))
		createNIR = append(createNIR, d.ident.nir)
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
			d.workerID = r.newWorkers[d.ident.nir]
		}
		if d.existingID != 0 {
			u := r.client.Employment.UpdateOneID(d.existingID).SetContractType(d.contract).
				SetNomenclatureVersion(r.nom.version).SetSectorCode(d.sector).SetJobCode(d.job).SetClassification(d.category)
			if d.end != nil {
				u.SetEndDate(*d.end)
			} else {
				u.ClearEndDate()
			}
			if err := u.Exec(r.sys); err != nil {
				return fmt.Errorf("update employment: %w", err)
			}
			continue
		}
		emps = append(emps, r.client.Employment.Create().SetWorkerID(d.workerID).SetEstablishmentID(d.estabID).
			SetStartDate(d.start).SetNillableEndDate(d.end).SetContractType(d.contract).
			SetNomenclatureVersion(r.nom.version).SetSectorCode(d.sector).SetJobCode(d.job).
			SetClassification(d.category).SetMonitoringKinds([]string{string(dosimetry.KindWholeBody)}))
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
