package synth

// Monitoring kinds (type_suivi of the Lab results v1 format) and quantities
// (grandeur).
const (
	kindWB        = "PASSIF_CORPS_ENTIER"
	kindExtremity = "EXTREMITES"
	kindLens      = "CRISTALLIN"
	kindSkin      = "PEAU"
	kindInternal  = "INTERNE"
	kindAviation  = "AVIATION"

	qHp10  = "HP10"
	qHp007 = "HP007"
	qHp3   = "HP3"
	qE50   = "E50"
	qE     = "E"
)

// season is the shape of the monthly weights s_t of ANOMALY.md §3.
type season int

const (
	seasonFlat     season = iota
	seasonAugust          // −30 % in August (summer holidays)
	seasonOutage          // 60–80 % of the year's dose in the 1–3 outage months of the site
	seasonMild            // about 30 % of the dose in the outage months
	seasonCampaign        // 3–5 campaign months per worker and year weigh triple
	seasonAcademic        // low in July, August and December
	seasonSolar           // flat months, ±20 % per year with the solar cycle
)

// exposure is the generative model of one monitoring kind in one context
// (ANOMALY.md §3 step 1–2): zero inflation p0, lognormal latent annual dose
// (median in mSv, σ_b) with a cap on the year's sum, and a seasonality.
type exposure struct {
	kind   string
	share  float64 // share of the context's workers monitored for this kind
	p0     float64 // probability that a worker is effectively unexposed
	median float64 // mSv per year for exposed workers
	sigma  float64 // σ_b of ln(annual dose)
	cap    float64 // mSv per year on the realised sum, 0 for none
	hard   bool    // hard cap (computed aircrew doses) vs soft cap (operator constraint)
	season season
}

// job is a nomenclature job code and its weight in the context.
type job struct {
	code   string
	weight float64
}

// context is an exposure context: a sector, its jobs and the monitoring they
// wear. Sector and job codes are those of the demo nomenclature
// (backend/seed/nomenclature.go) so the files import into a seeded database.
type context struct {
	name      string
	sector    string
	jobs      []job
	pA        float64 // probability of category A (monthly badge)
	exp       []exposure
	zone      bool   // controlled zone of a nuclear installation: operational dosimetry
	skin      bool   // the whole-body badge is also read in Hp(0.07) (PEAU row)
	zeroRun   bool   // PIR / nuclear medicine: candidates for "not worn" zero runs
	nuclide   string // radionuclide of internal monitoring
	sigmaW    float64
	labs      []string // laboratories serving the context, first most common
	estMin    int      // establishment size range
	estMax    int
	estPrefix string // raison sociale prefix
}

// Context indexes. The parameters follow the table of ANOMALY.md §3; the
// contexts that table lacks (radiotherapy, veterinary, whole-body badges of
// interventional staff) take the demo seed's values (backend/seed/contexts.go).
// Values were then tuned so that the recorded annual doses, after recording
// threshold and quantisation, reproduce the published figures of ANOMALY.md
// §2 (see synth_test.go); the tuned values are marked "tuned".
const (
	ctxRadiology = iota
	ctxNucMed
	ctxCardio
	ctxRadiotherapy
	ctxDental
	ctxVet
	ctxNPPOperator
	ctxNPPContractor
	ctxFuel
	ctxNDTSite
	ctxNDTEnclosure
	ctxAircrew
	ctxResearch
	numContexts
)

// contexts is the context table, indexed by the constants above.
var contexts = [numContexts]context{
	ctxRadiology: {
		name: "diagnostic radiology", sector: "MED-RADIO",
		jobs: []job{{"RADIOLOGUE", 0.2}, {"MERM", 0.7}, {"PHYS-MED", 0.1}},
		pA:   0.05,
		exp:  []exposure{{kindWB, 1, 0.39, 0.133, 0.58, 0, false, seasonAugust}},
		labs: []string{"LANDAUER", "DOSILAB", "IRSN"}, estMin: 30, estMax: 300, estPrefix: "Centre d'imagerie",
	},
	ctxNucMed: {
		name: "nuclear medicine", sector: "MED-MN",
		jobs: []job{{"MED-NUC", 0.2}, {"MERM", 0.5}, {"PREP-RADIOPH", 0.15}, {"INFIRMIER", 0.15}},
		pA:   0.6,
		exp: []exposure{
			{kindWB, 1, 0.40, 0.57, 0.8, 0, false, seasonAugust},
			{kindExtremity, 0.7, 0.2, 40, 1.0, 500, false, seasonAugust},
			{kindInternal, 0.15, 0.9, 0.05, 1.0, 1, false, seasonFlat},
		},
		skin: true, zeroRun: true, nuclide: "I-131",
		labs: []string{"LANDAUER", "DOSILAB", "IRSN"}, estMin: 8, estMax: 40, estPrefix: "Service de médecine nucléaire",
	},
	ctxCardio: {
		// MED-RI (interventional radiology) shares the model; the sector is
		// drawn per worker below (see sectorOf).
		name: "interventional cardiology", sector: "MED-CARDIO",
		jobs: []job{{"CARDIO-INT", 0.3}, {"RADIO-INT", 0.1}, {"MERM", 0.3}, {"IBODE", 0.3}},
		pA:   0.6,
		exp: []exposure{
			{kindWB, 1, 0.44, 0.40, 0.43, 0, false, seasonAugust},
			{kindLens, 0.6, 0.3, 0.8, 1.2, 20, false, seasonAugust},
			{kindExtremity, 0.5, 0.3, 5, 1.2, 500, false, seasonAugust},
		},
		zeroRun: true,
		labs:    []string{"LANDAUER", "DOSILAB", "IRSN"}, estMin: 10, estMax: 60, estPrefix: "Plateau interventionnel",
	},
	ctxRadiotherapy: {
		name: "radiotherapy", sector: "MED-RT",
		jobs: []job{{"MERM", 0.5}, {"PHYS-MED", 0.15}, {"DOSIMETRISTE", 0.15}, {"RADIOTHERAP", 0.2}},
		pA:   0.02,
		exp:  []exposure{{kindWB, 1, 0.85, 0.2, 0.55, 0, false, seasonAugust}},
		labs: []string{"LANDAUER", "DOSILAB"}, estMin: 15, estMax: 80, estPrefix: "Centre de radiothérapie",
	},
	ctxDental: {
		name: "dental", sector: "MED-DENT",
		jobs: []job{{"DENTISTE", 0.4}, {"ASSIST-DENT", 0.6}},
		exp:  []exposure{{kindWB, 1, 0.77, 0.244, 0.48, 0, false, seasonFlat}},
		labs: []string{"DOSILAB", "LANDAUER"}, estMin: 5, estMax: 12, estPrefix: "Cabinet dentaire",
	},
	ctxVet: {
		name: "veterinary", sector: "MED-VET",
		jobs: []job{{"VETERINAIRE", 0.5}, {"ASV", 0.5}},
		exp:  []exposure{{kindWB, 1, 0.9, 0.104, 0.64, 0, false, seasonFlat}},
		labs: []string{"DOSILAB", "LANDAUER"}, estMin: 5, estMax: 15, estPrefix: "Clinique vétérinaire",
	},
	ctxNPPOperator: {
		name: "NPP operator staff", sector: "NUC-REACT",
		jobs: []job{{"OPER-CONDUITE", 0.4}, {"TECH-MAINT", 0.35}, {"TECH-RP", 0.25}},
		pA:   0.5,
		exp:  []exposure{{kindWB, 1, 0.45, 0.583, 1.32, 8.6, false, seasonMild}},
		zone: true, skin: true,
		labs: []string{"IRSN", "LANDAUER", "ALGADE"}, estMin: 200, estMax: 500, estPrefix: "CNPE",
	},
	ctxNPPContractor: {
		name: "NPP maintenance contractor", sector: "NUC-PREST",
		jobs: []job{{"ECHAFAUDEUR", 0.18}, {"CALORIFUGEUR", 0.14}, {"SOUDEUR", 0.14}, {"ROBINETIER", 0.14},
			{"MECANICIEN", 0.14}, {"TECH-RP", 0.14}, {"LOGISTICIEN", 0.12}},
		pA:   0.8,
		exp:  []exposure{{kindWB, 1, 0.45, 1.5, 0.88, 7.2, false, seasonOutage}},
		zone: true, skin: true,
		labs: []string{"LANDAUER", "IRSN", "ALGADE"}, estMin: 20, estMax: 300, estPrefix: "Maintenance nucléaire",
	},
	ctxFuel: {
		name: "fuel cycle", sector: "NUC-CYCLE",
		jobs: []job{{"OPER-PROCEDE", 0.5}, {"TECH-LABO", 0.25}, {"TECH-MAINT", 0.25}},
		pA:   0.5,
		exp: []exposure{
			{kindWB, 1, 0.01, 0.755, 0.39, 20, false, seasonFlat},
			{kindInternal, 0.4, 0.85, 0.15, 1.0, 6, false, seasonFlat},
		},
		zone: true, skin: true, nuclide: "U-234",
		labs: []string{"ORANO-LH", "ORANO-MAR"}, estMin: 200, estMax: 500, estPrefix: "Usine du cycle",
	},
	ctxNDTSite: {
		name: "industrial radiography, site", sector: "IND-CND",
		jobs: []job{{"GAMMAGRAPHE", 1}},
		pA:   0.8,
		exp:  []exposure{{kindWB, 1, 0.17, 0.77, 0.64, 0, false, seasonCampaign}},
		labs: []string{"ALGADE", "LANDAUER"}, estMin: 5, estMax: 60, estPrefix: "Contrôle non destructif",
	},
	ctxNDTEnclosure: {
		name: "industrial radiography, enclosure", sector: "IND-CND",
		jobs: []job{{"OPER-CND", 1}},
		pA:   0.3,
		exp:  []exposure{{kindWB, 1, 0.01, 0.424, 0.86, 0, false, seasonFlat}},
		labs: []string{"ALGADE", "LANDAUER"}, estMin: 5, estMax: 40, estPrefix: "Radiographie industrielle",
	},
	ctxAircrew: {
		// Computed doses (SievertPN): no recording threshold, little noise.
		name: "aircrew", sector: "NAT-PN",
		jobs:   []job{{"PILOTE", 0.35}, {"PNC", 0.65}},
		exp:    []exposure{{kindAviation, 1, 0, 1.24, 0.6, 4.7, true, seasonSolar}},
		sigmaW: 0.25,
		labs:   []string{"IRSN"}, estMin: 200, estMax: 500, estPrefix: "Compagnie aérienne",
	},
	ctxResearch: {
		name: "research", sector: "REC-LABO",
		jobs: []job{{"CHERCHEUR", 0.45}, {"TECH-LABO", 0.35}, {"ING-ACCEL", 0.2}},
		pA:   0.1,
		exp: []exposure{
			{kindWB, 1, 0.85, 0.042, 1.11, 0, false, seasonAcademic},
			{kindInternal, 0.1, 0.95, 0.05, 1.0, 1, false, seasonFlat},
		},
		nuclide: "H-3",
		labs:    []string{"IRSN", "DOSILAB", "SPRA"}, estMin: 20, estMax: 200, estPrefix: "Laboratoire de recherche",
	},
}

// estType is a kind of establishment: the contexts of its workers, with
// weights, and its share of the monitored population.
type estType struct {
	share float64
	ctx   []int
}

// estTypes gives the population mix. Shares follow the 2021 headcount by
// domain (ANOMALY.md §2.1: medical 60 %, nuclear 22 %, natural 5.5 %,
// industry 4.2 %, research 2.7 %), the medical split of DOMAIN.md §7.3
// (medicine 72 %, dental 19 %, veterinary 9 %; radiology 72 % and nuclear
// medicine 5 % of medicine) and the nuclear split of the ASN sector table
// (EDF 31 %, contractors 42 %, fuel cycle and others 27 %). The "other" and
// "undetermined" domains (about 7 %, mostly low doses: DOMAIN.md §7.2) are
// counted with diagnostic radiology, the closest low-dose context.
var estTypes = []estType{
	{share: 0.400, ctx: []int{ctxRadiology}},
	{share: 0.025, ctx: []int{ctxNucMed}},
	{share: 0.045, ctx: []int{ctxCardio}},
	{share: 0.025, ctx: []int{ctxRadiotherapy}},
	{share: 0.120, ctx: []int{ctxDental}},
	{share: 0.057, ctx: []int{ctxVet}},
	{share: 0.080, ctx: []int{ctxNPPOperator}},
	{share: 0.088, ctx: []int{ctxNPPContractor}},
	{share: 0.063, ctx: []int{ctxFuel}},
	{share: 0.045, ctx: []int{ctxNDTSite, ctxNDTEnclosure}},
	{share: 0.058, ctx: []int{ctxAircrew}},
	{share: 0.029, ctx: []int{ctxResearch}},
}

// ndtSiteShare is the share of site radiographers in NDT companies (the UK
// 2004 tables count 1,654 site and 830 enclosure workers).
const ndtSiteShare = 0.67

// laboratories are the seven laboratories transmitting to SISERI (ANOMALY.md
// §1.1). ALGADE reports in µSv, the others in mSv.
var laboratories = [][2]string{
	{"IRSN", "Institut de radioprotection et de sûreté nucléaire"},
	{"ALGADE", "ALGADE"},
	{"DOSILAB", "DOSILAB"},
	{"LANDAUER", "LANDAUER Europe"},
	{"ORANO-LH", "ORANO La Hague"},
	{"ORANO-MAR", "ORANO Marcoule"},
	{"SPRA", "Service de protection radiologique des armées"},
}

// microLab is the laboratory that reports its results in µSv.
const microLab = "ALGADE"

var regions = []string{
	"Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse",
	"Grand Est", "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie",
	"Pays de la Loire", "Provence-Alpes-Côte d'Azur",
}
