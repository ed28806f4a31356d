package seed

import (
	"context"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/nomenclature"
)

// NomenclatureVersion is the version of the sector and job codes the demo data
// uses.
const NomenclatureVersion = "SISERI-2023"

// nomenclatureValidFrom is the start of validity of the demo nomenclature: the
// SISERI 2 go-live (DOMAIN.md §0).
var nomenclatureValidFrom = time.Date(2023, time.June, 1, 0, 0, 0, 0, time.UTC)

// code is one nomenclature row: its code, French label and parent (the domain
// of a sector; the sector of a sector-specific job, empty otherwise).
type code struct {
	code, label, parent string
}

// Domains (DOMAIN.md §5.2, §7.2).
const (
	domMedical  = "MEDICAL"
	domNuclear  = "NUCLEAR"
	domIndustry = "INDUSTRY"
	domResearch = "RESEARCH"
	domNatural  = "NATURAL"
	domOther    = "OTHER"
)

var domains = []code{
	{domMedical, "Médical, dentaire et vétérinaire", ""},
	{domNuclear, "Industrie nucléaire", ""},
	{domIndustry, "Industrie non nucléaire", ""},
	{domResearch, "Recherche et enseignement", ""},
	{domNatural, "Radioactivité naturelle", ""},
	{domOther, "Autres activités", ""},
}

// Sector codes used by the establishments below.
const (
	secRadio    = "MED-RADIO"
	secRI       = "MED-RI"
	secCardio   = "MED-CARDIO"
	secNucMed   = "MED-MN"
	secRadioth  = "MED-RT"
	secDental   = "MED-DENT"
	secVet      = "MED-VET"
	secReactors = "NUC-REACT"
	secContract = "NUC-PREST"
	secFuel     = "NUC-CYCLE"
	secNDT      = "IND-CND"
	secResearch = "REC-LABO"
	secAircrew  = "NAT-PN"
)

var sectors = []code{
	{secRadio, "Radiologie conventionnelle et scanographie", domMedical},
	{"MED-MAMMO", "Mammographie", domMedical},
	{secRI, "Radiologie interventionnelle", domMedical},
	{secCardio, "Cardiologie interventionnelle", domMedical},
	{secNucMed, "Médecine nucléaire", domMedical},
	{secRadioth, "Radiothérapie", domMedical},
	{secDental, "Soins dentaires", domMedical},
	{secVet, "Médecine vétérinaire", domMedical},
	{"MED-MDT", "Médecine du travail et dispensaires", domMedical},
	{secReactors, "Réacteurs et production d'énergie (EDF)", domNuclear},
	{secFuel, "Cycle du combustible", domNuclear},
	{"NUC-DEMANT", "Démantèlement", domNuclear},
	{"NUC-TRANSP", "Transport de matières radioactives", domNuclear},
	{secContract, "Logistique et maintenance (prestataires)", domNuclear},
	{"NUC-DECHETS", "Effluents et déchets", domNuclear},
	{secNDT, "Contrôle non destructif (radiographie, gammagraphie)", domIndustry},
	{"IND-IRRAD", "Irradiation industrielle", domIndustry},
	{"IND-CYCLO", "Production de radio-isotopes (cyclotrons)", domIndustry},
	{secResearch, "Recherche et enseignement", domResearch},
	{secAircrew, "Personnel navigant (aviation civile)", domNatural},
	{"NAT-MINES", "Mines et traitement des minerais", domNatural},
	{"NAT-RADON", "Exposition au radon d'origine géologique", domNatural},
	{"AUT-EXPERT", "Expertise et contrôle", domOther},
	{"AUT-CRISE", "Gestion de crise", domOther},
}

// Job codes used by the establishments below.
const (
	jobCardiologist   = "CARDIO-INT"
	jobIntRadiologist = "RADIO-INT"
	jobRadiologist    = "RADIOLOGUE"
	jobMERM           = "MERM"
	jobNurseOR        = "IBODE"
	jobNurse          = "INFIRMIER"
	jobNucPhysician   = "MED-NUC"
	jobRadiopharm     = "PREP-RADIOPH"
	jobPhysicist      = "PHYS-MED"
	jobDosimetrist    = "DOSIMETRISTE"
	jobRadiotherapist = "RADIOTHERAP"
	jobDentist        = "DENTISTE"
	jobDentalAssist   = "ASSIST-DENT"
	jobVet            = "VETERINAIRE"
	jobVetAssist      = "ASV"
	jobScaffolder     = "ECHAFAUDEUR"
	jobLagger         = "CALORIFUGEUR"
	jobWelder         = "SOUDEUR"
	jobValveFitter    = "ROBINETIER"
	jobMechanic       = "MECANICIEN"
	jobRPTech         = "TECH-RP"
	jobLogistics      = "LOGISTICIEN"
	jobReactorOp      = "OPER-CONDUITE"
	jobMaintTech      = "TECH-MAINT"
	jobProcessOp      = "OPER-PROCEDE"
	jobLabTech        = "TECH-LABO"
	jobGammagrapher   = "GAMMAGRAPHE"
	jobNDTOperator    = "OPER-CND"
	jobPilot          = "PILOTE"
	jobCabinCrew      = "PNC"
	jobResearcher     = "CHERCHEUR"
	jobAccelerator    = "ING-ACCEL"
)

var jobs = []code{
	{jobCardiologist, "Cardiologue interventionnel", secCardio},
	{jobIntRadiologist, "Radiologue interventionnel", secRI},
	{jobRadiologist, "Radiologue", ""},
	{jobMERM, "Manipulateur en électroradiologie médicale", ""},
	{jobNurseOR, "Infirmier de bloc opératoire", ""},
	{jobNurse, "Infirmier", ""},
	{jobNucPhysician, "Médecin nucléaire", secNucMed},
	{jobRadiopharm, "Préparateur en radiopharmacie", secNucMed},
	{jobPhysicist, "Physicien médical", ""},
	{jobDosimetrist, "Dosimétriste", secRadioth},
	{jobRadiotherapist, "Radiothérapeute", secRadioth},
	{jobDentist, "Chirurgien-dentiste", secDental},
	{jobDentalAssist, "Assistant dentaire", secDental},
	{jobVet, "Vétérinaire", secVet},
	{jobVetAssist, "Auxiliaire spécialisé vétérinaire", secVet},
	{jobScaffolder, "Échafaudeur", ""},
	{jobLagger, "Calorifugeur", ""},
	{jobWelder, "Soudeur", ""},
	{jobValveFitter, "Robinetier", ""},
	{jobMechanic, "Mécanicien de maintenance", ""},
	{jobRPTech, "Technicien en radioprotection", ""},
	{jobLogistics, "Agent de logistique nucléaire", ""},
	{jobReactorOp, "Opérateur de conduite de réacteur", secReactors},
	{jobMaintTech, "Technicien de maintenance", ""},
	{jobProcessOp, "Opérateur de procédé (usine du cycle)", secFuel},
	{jobLabTech, "Technicien de laboratoire", ""},
	{jobGammagrapher, "Radiologue industriel (gammagraphe)", secNDT},
	{jobNDTOperator, "Opérateur de contrôle non destructif en casemate", secNDT},
	{jobPilot, "Pilote de ligne", secAircrew},
	{jobCabinCrew, "Hôtesse ou steward (personnel navigant commercial)", secAircrew},
	{jobResearcher, "Chercheur", secResearch},
	{jobAccelerator, "Ingénieur accélérateur", secResearch},
}

// nomenclatureBuilders returns the create builders of every domain, sector and
// job row of the demo nomenclature.
func nomenclatureBuilders(nc *ent.NomenclatureClient) []*ent.NomenclatureCreate {
	var out []*ent.NomenclatureCreate
	add := func(kind nomenclature.Kind, rows []code) {
		for _, r := range rows {
			c := nc.Create().
				SetKind(kind).
				SetVersion(NomenclatureVersion).
				SetCode(r.code).
				SetLabel(r.label).
				SetValidFrom(nomenclatureValidFrom)
			if r.parent != "" {
				c.SetParentCode(r.parent)
			}
			out = append(out, c)
		}
	}
	add(nomenclature.KindDomain, domains)
	add(nomenclature.KindSector, sectors)
	add(nomenclature.KindJob, jobs)
	return out
}

// CreateNomenclature creates the demo nomenclature (domains, sectors, jobs)
// with client, for tools that replay data in an empty registry (siseri detect
// eval).
func CreateNomenclature(ctx context.Context, client *ent.Client) error {
	return client.Nomenclature.CreateBulk(nomenclatureBuilders(client.Nomenclature)...).Exec(ctx)
}
