package seed

import (
	"fmt"
	"math/rand/v2"

	"github.com/siseri/siseri/backend/dosimetry"
)

// Establishment keys the demo accounts and the planted cases refer to.
const (
	estCardio     = "chu-cardio"
	estNucMed     = "chu-mn"
	estImaging    = "imagerie-prado"
	estClinic     = "clinique-ouest"
	estNPP        = "cnpe-bugey"
	estContractor = "amn-bugey"
	estAgency     = "interim-atome"
	estAirline    = "air-hexagone"
)

// employer tells which contract types an establishment uses.
type employer int

const (
	employerHospital employer = iota
	employerLiberal           // dental and veterinary practices
	employerIndustry
	employerAgency // temporary work agency: every contract is TEMPORARY
	employerAirline
	employerResearch
)

// companySpec is a legal entity; public bodies get a SIREN starting with 26
// (établissements publics de santé) or 18 (public research bodies).
type companySpec struct {
	key, name, sirenPrefix string
}

var companySpecs = []companySpec{
	{"chu", "Centre hospitalier universitaire Rhône-Métropole", "26"},
	{"prado", "Groupe Imagerie Méditerranée", ""},
	{"ouest", "Clinique cardiologique de l'Ouest", ""},
	{"irso", "Institut de radiothérapie du Sud-Ouest", ""},
	{"tilleuls", "SELARL Cabinet dentaire des Tilleuls", ""},
	{"orangerie", "Centre dentaire de l'Orangerie", ""},
	{"marne", "Clinique vétérinaire des Bords de Marne", ""},
	{"enr", "Énergie Nucléaire du Rhône", ""},
	{"amn", "Atlantique Maintenance Nucléaire", ""},
	{"ias", "Intérim Atome Services", ""},
	{"src", "Société de retraitement du Cotentin", ""},
	{"cre", "Contrôle Radiographique de l'Est", ""},
	{"airhex", "Air Hexagone", ""},
	{"lrsn", "Laboratoire de recherche en sciences nucléaires de Saclay", "18"},
}

// estSpec is an establishment with its exposure contexts. weight is its share
// of the demo population; completeness the share of its employments declared
// with a sector and a job (DOMAIN.md §5.1: 65 % nationally in 2021).
type estSpec struct {
	key, company                                  string
	name, address, postal, city, region, naf, dom string
	lab                                           string
	weight, completeness                          float64
	employer                                      employer
	dosimeters                                    bool
	roles                                         []role
}

var estSpecs = []estSpec{
	{estCardio, "chu", "CHU Rhône-Métropole — Hôpital cardiologique", "59 boulevard Pinel", "69500", "Bron", "84", "86.10Z", domMedical,
		"LANDAUER", 220, 0.9, employerHospital, true, interventionalRoles(secCardio)},
	{estNucMed, "chu", "CHU Rhône-Métropole — Hôpital Nord, médecine nucléaire", "103 grande rue de la Croix-Rousse", "69004", "Lyon", "84", "86.10Z", domMedical,
		"LANDAUER", 80, 0.85, employerHospital, true, nuclearMedicineRoles},
	{estImaging, "prado", "Centre d'imagerie médicale du Prado", "120 avenue du Prado", "13008", "Marseille", "93", "86.22A", domMedical,
		"DOSILAB", 160, 0.5, employerHospital, false, imagingRoles},
	{estClinic, "ouest", "Clinique cardiologique de l'Ouest", "12 rue du Thabor", "35000", "Rennes", "53", "86.10Z", domMedical,
		"LANDAUER", 90, 0.6, employerHospital, false, interventionalRoles(secCardio)},
	{"irso-toulouse", "irso", "Institut de radiothérapie du Sud-Ouest", "1 avenue Irène-Joliot-Curie", "31100", "Toulouse", "76", "86.22A", domMedical,
		"DOSILAB", 60, 0.7, employerHospital, false, radiotherapyRoles},
	{"tilleuls-nantes", "tilleuls", "Cabinet dentaire des Tilleuls", "8 allée des Tilleuls", "44000", "Nantes", "52", "86.23Z", domMedical,
		"DOSILAB", 20, 0.4, employerLiberal, false, dentalRoles},
	{"orangerie-strasbourg", "orangerie", "Centre dentaire de l'Orangerie", "25 allée de la Robertsau", "67000", "Strasbourg", "44", "86.23Z", domMedical,
		"IRSN-LDI", 30, 0.5, employerLiberal, false, dentalRoles},
	{"marne-alfort", "marne", "Clinique vétérinaire des Bords de Marne", "4 quai de la Marne", "94700", "Maisons-Alfort", "11", "75.00Z", domMedical,
		"DOSILAB", 30, 0.3, employerLiberal, false, vetRoles},
	{estNPP, "enr", "Centrale nucléaire du Bugey — exploitation", "Route départementale 20", "01150", "Saint-Vulbas", "84", "35.11Z", domNuclear,
		"IRSN-LDI", 120, 0.85, employerIndustry, false, operatorRoles},
	{estContractor, "amn", "Atlantique Maintenance Nucléaire — agence du Bugey", "ZA de la Plaine de l'Ain", "01150", "Saint-Vulbas", "84", "33.12Z", domNuclear,
		"IRSN-LDI", 110, 0.65, employerIndustry, true, contractorRoles},
	{"amn-chinon", "amn", "Atlantique Maintenance Nucléaire — agence Val de Loire", "3 rue de la Centrale", "37420", "Avoine", "24", "33.12Z", domNuclear,
		"IRSN-LDI", 110, 0.55, employerIndustry, false, contractorRoles},
	{"amn-flamanville", "amn", "Atlantique Maintenance Nucléaire — agence Cotentin", "Zone artisanale des Pieux", "50340", "Flamanville", "28", "33.12Z", domNuclear,
		"IRSN-LDI", 90, 0.5, employerIndustry, false, contractorRoles},
	{estAgency, "ias", "Intérim Atome Services — Cherbourg", "40 quai Alexandre-III", "50100", "Cherbourg-en-Cotentin", "28", "78.20Z", domNuclear,
		"IRSN-LDI", 60, 0.5, employerAgency, false, agencyRoles},
	{"src-hague", "src", "Usine de traitement des combustibles usés — La Hague", "Lieu-dit Jobourg", "50440", "La Hague", "28", "24.46Z", domNuclear,
		"ORANO-LH", 80, 0.75, employerIndustry, false, fuelCycleRoles},
	{"cre-metz", "cre", "Contrôle Radiographique de l'Est — agence de Metz", "15 rue des Messageries", "57000", "Metz", "44", "71.20B", domIndustry,
		"ALGADE", 40, 0.6, employerIndustry, false, ndtRoles},
	{"cre-fos", "cre", "Contrôle Radiographique de l'Est — agence de Fos-sur-Mer", "Zone industrielle du Caban", "13270", "Fos-sur-Mer", "93", "71.20B", domIndustry,
		"ALGADE", 30, 0.5, employerIndustry, false, ndtRoles},
	{estAirline, "airhex", "Air Hexagone — base de Roissy-Charles-de-Gaulle", "1 rue de Paris", "95700", "Roissy-en-France", "11", "51.10Z", domNatural,
		"", 120, 0.85, employerAirline, false, airlineRoles},
	{"lrsn-orsay", "lrsn", "Laboratoire de recherche en sciences nucléaires — site d'Orsay", "15 rue Georges-Clemenceau", "91400", "Orsay", "11", "72.19Z", domResearch,
		"IRSN-LDI", 80, 0.6, employerResearch, false, researchRoles},
}

// labSpec is an accredited dosimetry laboratory (DOMAIN.md §4.3). prefix is the
// start of the serial numbers of its dosimeters.
type labSpec struct {
	code, name, prefix string
}

var labSpecs = []labSpec{
	{"LANDAUER", "Landauer Europe", "LDR"},
	{"DOSILAB", "Dosilab", "DSL"},
	{"ALGADE", "Algade", "ALG"},
	{"IRSN-LDI", "ASNR — Laboratoire de dosimétrie individuelle (ex-IRSN)", "LDI"},
	{"ORANO-LH", "Orano Recyclage — laboratoire de dosimétrie de La Hague", "OLH"},
	{"SPRA", "Service de protection radiologique des armées", "SPR"},
}

// luhnComplete appends the check digit that makes prefix pass the Luhn test.
func luhnComplete(prefix string) string {
	for d := byte('0'); d <= '9'; d++ {
		if s := prefix + string(d); dosimetry.Luhn(s) {
			return s
		}
	}
	panic("unreachable: one Luhn digit always exists")
}

// randomDigits returns n random decimal digits.
func randomDigits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}

// newSIREN returns a Luhn-valid SIREN starting with prefix (or with 3–9 when
// prefix is empty, the range of private companies), not in used.
func newSIREN(rng *rand.Rand, prefix string, used map[string]bool) string {
	for {
		p := prefix
		if p == "" {
			p = string(byte('3' + rng.IntN(7)))
		}
		s := luhnComplete(p + randomDigits(rng, 8-len(p)))
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

// newSIRET returns a Luhn-valid SIRET of siren with the nth establishment
// number (NIC) of the company.
func newSIRET(rng *rand.Rand, siren string, nth int) string {
	return luhnComplete(siren + fmt.Sprintf("%04d", 10*nth+1+rng.IntN(9)))
}

// orgPlan holds the generated identifiers of companies, establishments and
// laboratories, in the order of their specs.
type orgPlan struct {
	sirens      []string // per companySpecs
	sirets      []string // per estSpecs
	labSirets   []string // per labSpecs
	accredit    []string // per labSpecs
	companyOf   []int    // per estSpecs: index in companySpecs
	labOf       []int    // per estSpecs: index in labSpecs, -1 for none
	estByKey    map[string]int
	labByCode   map[string]int
	estsByGroup map[string][]int // movers stay within a group of compatible establishments
}

// planOrganisations draws the SIRENs and SIRETs and indexes the specs.
func planOrganisations(rng *rand.Rand) *orgPlan {
	o := &orgPlan{estByKey: map[string]int{}, labByCode: map[string]int{}, estsByGroup: map[string][]int{}}
	used := map[string]bool{}
	companyIdx := map[string]int{}
	for i, c := range companySpecs {
		o.sirens = append(o.sirens, newSIREN(rng, c.sirenPrefix, used))
		companyIdx[c.key] = i
	}
	for i, l := range labSpecs {
		o.labSirets = append(o.labSirets, newSIRET(rng, newSIREN(rng, "", used), 0))
		o.accredit = append(o.accredit, fmt.Sprintf("COFRAC 1-%04d", 1000+rng.IntN(9000)))
		o.labByCode[l.code] = i
	}
	perCompany := map[int]int{}
	for i, e := range estSpecs {
		ci, ok := companyIdx[e.company]
		if !ok {
			panic("seed: unknown company " + e.company)
		}
		o.companyOf = append(o.companyOf, ci)
		o.sirets = append(o.sirets, newSIRET(rng, o.sirens[ci], perCompany[ci]))
		perCompany[ci]++
		li := -1
		if e.lab != "" {
			li = o.labByCode[e.lab]
		}
		o.labOf = append(o.labOf, li)
		o.estByKey[e.key] = i
		if g := moverGroup(e); g != "" {
			o.estsByGroup[g] = append(o.estsByGroup[g], i)
		}
	}
	return o
}

// moverGroup returns the group of establishments between which workers move:
// hospital staff between hospitals, nuclear trades between contractors and
// the temporary work agency. Other establishments keep their workers.
func moverGroup(e estSpec) string {
	switch {
	case e.dom == domMedical && e.employer == employerHospital:
		return "hospital"
	case e.dom == domNuclear && (e.employer == employerAgency || e.company == "amn"):
		return "contractor"
	}
	return ""
}
