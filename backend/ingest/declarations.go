package ingest

import (
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
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

// ContractType is the contract of a declared employment; its values are
// those of the registry's employment contract types.
type ContractType string

// Contract types.
const (
	ContractCDI          ContractType = "CDI"
	ContractCDD          ContractType = "CDD"
	ContractTemporary    ContractType = "TEMPORARY"
	ContractSelfEmployed ContractType = "SELF_EMPLOYED"
	ContractApprentice   ContractType = "APPRENTICE"
	ContractIntern       ContractType = "INTERN"
	ContractOther        ContractType = "OTHER"
)

var contractCodes = map[string]ContractType{
	"CDI": ContractCDI, "CDD": ContractCDD,
	"INTERIM": ContractTemporary, "TEMPORARY": ContractTemporary,
	"INDEPENDANT": ContractSelfEmployed, "SELF_EMPLOYED": ContractSelfEmployed,
	"APPRENTI": ContractApprentice, "APPRENTICE": ContractApprentice,
	"STAGIAIRE": ContractIntern, "INTERN": ContractIntern,
	"AUTRE": ContractOther, "OTHER": ContractOther,
}

// Classification is the category of a declared worker (R.4451-57); its
// values are those of the registry's employment classifications.
type Classification string

// Classifications a declaration may state.
const (
	ClassificationA     Classification = "A"
	ClassificationB     Classification = "B"
	ClassificationRadon Classification = "RADON"
)

var categoryCodes = map[string]Classification{
	"A": ClassificationA, "B": ClassificationB, "RADON": ClassificationRadon,
}

// Sex is the sex of a declared worker; its values are those of the
// registry's workers.
type Sex string

// Sexes.
const (
	SexMale   Sex = "M"
	SexFemale Sex = "F"
)

// Declaration is an employment an employer declares, and the worker it
// names.
type Declaration struct {
	Identity Identity
	Sex      Sex
	// ID is the worker's identifier, parsed.
	ID    dosimetry.WorkerIdentifier
	SIRET string
	Start time.Time
	// End is nil for an employment without end date.
	End            *time.Time
	Contract       ContractType
	Sector, Job    string
	Classification Classification
}

// Nomenclature is the sector and job codes of the nomenclature version in
// force, which declarations are checked against.
type Nomenclature struct {
	Version string
	Sectors map[string]bool
	Jobs    map[string]bool
}

// ParseDeclaration checks one row of declarations on its own as of now,
// against the nomenclature nom, and reports whether it is valid.
func ParseDeclaration(r *Row, now time.Time, nom *Nomenclature) (Declaration, bool) {
	var d Declaration
	var ok bool
	d.SIRET, _ = r.siret(dSIRET)
	if d.Identity.Key, ok = r.nir(dNIR); ok {
		d.ID, _ = dosimetry.ParseWorkerIdentifier(d.Identity.Key)
	}
	d.Identity.LastName, _ = r.name(dNom)
	d.Identity.FirstNames, _ = r.name(dPrenom)
	if d.Identity.BirthDate, ok = r.date(dNaissance, false); ok && r.notFuture(dNaissance, d.Identity.BirthDate, now) {
		d.Identity.HasBirth = true
	}
	if v, ok := r.required(dSexe); ok {
		switch strings.ToUpper(v) {
		case "M", "H", "1":
			d.Sex = SexMale
		case "F", "2":
			d.Sex = SexFemale
		default:
			r.fail(dSexe, "SEX_INVALID", "Le sexe « %s » n'est pas admis (valeurs admises : M, F).", v)
		}
	}
	// The sex is encoded in a NIR or NIA only; a worker identified by an NTT
	// or abroad is known by the birth data of the row.
	isNIR := d.ID.Kind == dosimetry.IdentifierNIR || d.ID.Kind == dosimetry.IdentifierNIA
	if d.Sex != "" && isNIR && !r.bad() {
		n, _ := dosimetry.ParseNIR(d.ID.Value)
		want := SexMale
		if n.Sex() == dosimetry.SexFemale {
			want = SexFemale
		}
		if n.Sex() != "" && want != d.Sex {
			r.fail(dSexe, "NIR_SEX_MISMATCH", "Le sexe « %s » ne correspond pas au premier chiffre du NIR %s.", r.get(dSexe), d.Identity.Key)
		}
	}
	start, okS := r.date(dDebut, false)
	end, okE := r.date(dFin, true)
	if okS {
		d.Start = start
		if okE && !end.IsZero() {
			if end.Before(start) {
				r.fail(dFin, "PERIOD_ORDER", "La date de fin %s précède la date de début %s.", r.get(dFin), r.get(dDebut))
			} else {
				d.End = &end
			}
		}
		if d.Identity.HasBirth && start.Before(d.Identity.BirthDate) {
			r.fail(dDebut, "PERIOD_ORDER", "La date de début %s précède la date de naissance.", r.get(dDebut))
		}
	}
	if v, ok := r.required(dContrat); ok {
		if c, ok := contractCodes[strings.ToUpper(v)]; ok {
			d.Contract = c
		} else {
			r.fail(dContrat, "CONTRACT_INVALID", "Le type de contrat « %s » n'est pas admis (valeurs admises : CDI, CDD, INTERIM, APPRENTI, STAGIAIRE, INDEPENDANT, AUTRE).", v)
		}
	}
	// Sector and job may be left empty (« non déterminé »: employers leave
	// them out for a third of workers); the row is accepted with a warning
	// and detection compares the doses with coarser contexts.
	if v := r.get(dSecteur); v == "" {
		r.warn(dSecteur, "SECTOR_MISSING", "Le secteur d'activité n'est pas renseigné : les doses de ce travailleur seront comparées à celles de son type de suivi, sans secteur.")
	} else if nom.Sectors[v] {
		d.Sector = v
	} else {
		r.fail(dSecteur, "SECTOR_UNKNOWN", "Le code de secteur « %s » n'existe pas dans la nomenclature %s en vigueur.", v, nom.Version)
	}
	if v := r.get(dMetier); v == "" {
		r.warn(dMetier, "JOB_MISSING", "Le métier n'est pas renseigné : les doses de ce travailleur seront comparées à celles de son secteur.")
	} else if nom.Jobs[v] {
		d.Job = v
	} else {
		r.fail(dMetier, "JOB_UNKNOWN", "Le code de métier « %s » n'existe pas dans la nomenclature %s en vigueur.", v, nom.Version)
	}
	if v, ok := r.required(dCategorie); ok {
		if c, ok := categoryCodes[strings.ToUpper(v)]; ok {
			d.Classification = c
		} else {
			r.fail(dCategorie, "CATEGORY_INVALID", "La catégorie « %s » n'est pas admise (valeurs admises : A, B, RADON).", v)
		}
	}
	return d, !r.bad()
}
