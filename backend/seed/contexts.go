package seed

import (
	"github.com/siseri/siseri/ent/doserecord"
)

// season is the shape of the monthly weights s_t of ANOMALY.md §3.
type season int

const (
	seasonFlat       season = iota
	seasonAugust            // −30 % in August (summer holidays)
	seasonOutage            // 60–80 % of the year's dose in 1–3 outage months of the site
	seasonMildOutage        // about 30 % of the dose in the outage months
	seasonCampaign          // 3–5 campaign months per worker and year weigh triple
	seasonAcademic          // low in July, August and December
	seasonSolar             // flat months, ±20 % per year with the solar cycle
)

// exposure is the generative model of one monitoring kind in one exposure
// context (ANOMALY.md §3): zero-inflation p0, lognormal latent annual dose
// (median and σ_b, in mSv for exposed workers) with a cap, and seasonality.
type exposure struct {
	kind   doserecord.MonitoringKind
	share  float64 // share of the role's workers monitored for this kind
	p0     float64 // probability that a worker is effectively unexposed
	median float64 // mSv per year
	sigma  float64 // σ_b of ln(annual dose)
	cap    float64 // mSv per year, 0 for none
	hard   bool    // a hard cap truncates; a soft one lets values pass by up to 15 %
	season season
}

// role is a job in an establishment: its nomenclature codes, its share of the
// establishment's workers, its probability of category A, of being
// self-employed, and the monitoring it requires.
type role struct {
	sector, job  string
	weight       float64
	pA           float64
	selfEmployed float64
	exp          []exposure
}

// Monitoring presets, from the table of ANOMALY.md §3. Values marked there as
// assumptions stay assumptions here.
var (
	diagWB     = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.8, 0.09, 1.3, 0, false, seasonAugust}
	nucMedWB   = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.4, 0.33, 1.3, 0, false, seasonAugust}
	cardioWB   = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.5, 0.5, 1.2, 0, false, seasonAugust}
	cardioLens = exposure{doserecord.MonitoringKindLens, 0.8, 0.3, 0.8, 1.2, 20, false, seasonAugust}
	cardioExt  = exposure{doserecord.MonitoringKindExtremity, 0.7, 0.3, 5, 1.2, 500, false, seasonAugust}
	theatreWB  = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.6, 0.2, 1.2, 0, false, seasonAugust}
	radiothWB  = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.9, 0.1, 1.2, 0, false, seasonAugust}
	dentalWB   = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.9, 0.33, 0.6, 0, false, seasonFlat}
	vetWB      = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.95, 0.1, 1.0, 0, false, seasonFlat}
	operatorWB = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.6, 0.35, 1.16, 14, false, seasonMildOutage}
	fuelWB     = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.1, 0.35, 1.04, 20, false, seasonFlat}
	fuelIntern = exposure{doserecord.MonitoringKindInternal, 0.4, 0.85, 0.15, 1.0, 6, false, seasonFlat}
	ndtSiteWB  = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.2, 0.39, 1.4, 0, false, seasonCampaign}
	ndtEnclWB  = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.3, 0.17, 1.64, 0, false, seasonFlat}
	aircrew    = exposure{doserecord.MonitoringKindAviation, 1, 0, 1.7, 0.6, 5, true, seasonSolar}
	researchWB = exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.85, 0.1, 1.3, 0, false, seasonAcademic}
	researchIn = exposure{doserecord.MonitoringKindInternal, 0.1, 0.95, 0.05, 1.0, 1, false, seasonFlat}
)

// contractorWB is the whole-body model of an NPP maintenance contractor's job
// (FR NPP 2023 zero-inflated fit; EDF's 14 mSv enhanced follow-up as soft cap).
func contractorWB(median float64) exposure {
	return exposure{doserecord.MonitoringKindPassiveWholeBody, 1, 0.55, median, 1.0, 14, false, seasonOutage}
}

// withMedian returns e with another median.
func withMedian(e exposure, median float64) exposure { e.median = median; return e }

// withShare returns e monitored for only a share of the role's workers.
func withShare(e exposure, share float64) exposure { e.share = share; return e }

// nucMedExt is the ring dosimetry of nuclear medicine (ORAMED per-GBq values
// times workload; ring under-reads the fingertip).
func nucMedExt(share, median float64) exposure {
	return exposure{doserecord.MonitoringKindExtremity, share, 0.2, median, 1.0, 500, false, seasonAugust}
}

var (
	interventionalRoles = func(sector string) []role {
		return []role{
			{sector, jobCardiologist, 0.10, 0.7, 0.2, []exposure{cardioWB, cardioExt, cardioLens}},
			{secRI, jobIntRadiologist, 0.06, 0.6, 0.1, []exposure{cardioWB, cardioExt, cardioLens}},
			{sector, jobMERM, 0.22, 0.25, 0, []exposure{withMedian(cardioWB, 0.3), withShare(cardioLens, 0.4)}},
			{sector, jobNurseOR, 0.15, 0.1, 0, []exposure{theatreWB, withShare(cardioLens, 0.3)}},
			{secRI, jobNurse, 0.10, 0.05, 0, []exposure{theatreWB}},
			{secRadio, jobRadiologist, 0.08, 0, 0.1, []exposure{diagWB}},
			{secRadio, jobMERM, 0.24, 0, 0, []exposure{diagWB}},
			{secRadio, jobPhysicist, 0.05, 0, 0, []exposure{diagWB}},
		}
	}
	nuclearMedicineRoles = []role{
		{secNucMed, jobNucPhysician, 0.15, 0.3, 0.1, []exposure{nucMedWB, nucMedExt(0.6, 10)}},
		{secNucMed, jobMERM, 0.40, 0.4, 0, []exposure{nucMedWB, nucMedExt(0.7, 20)}},
		{secNucMed, jobRadiopharm, 0.15, 0.8, 0, []exposure{nucMedWB, nucMedExt(1, 40),
			{doserecord.MonitoringKindInternal, 0.6, 0.9, 0.05, 1.0, 1, false, seasonFlat}}},
		{secNucMed, jobNurse, 0.15, 0.1, 0, []exposure{nucMedWB}},
		{secNucMed, jobPhysicist, 0.15, 0.1, 0, []exposure{diagWB}},
	}
	imagingRoles = []role{
		{secRadio, jobRadiologist, 0.20, 0, 0.6, []exposure{diagWB}},
		{secRadio, jobMERM, 0.60, 0, 0, []exposure{diagWB}},
		{secRI, jobIntRadiologist, 0.05, 0.5, 0.5, []exposure{cardioWB, cardioExt, cardioLens}},
		{secRI, jobMERM, 0.15, 0.1, 0, []exposure{withMedian(cardioWB, 0.3)}},
	}
	radiotherapyRoles = []role{
		{secRadioth, jobMERM, 0.50, 0, 0, []exposure{radiothWB}},
		{secRadioth, jobPhysicist, 0.15, 0, 0, []exposure{radiothWB}},
		{secRadioth, jobDosimetrist, 0.15, 0, 0, []exposure{radiothWB}},
		{secRadioth, jobRadiotherapist, 0.20, 0, 0.3, []exposure{radiothWB}},
	}
	dentalRoles = []role{
		{secDental, jobDentist, 0.4, 0, 0.9, []exposure{dentalWB}},
		{secDental, jobDentalAssist, 0.6, 0, 0, []exposure{dentalWB}},
	}
	vetRoles = []role{
		{secVet, jobVet, 0.5, 0, 0.7, []exposure{vetWB}},
		{secVet, jobVetAssist, 0.5, 0, 0, []exposure{vetWB}},
	}
	operatorRoles = []role{
		{secReactors, jobReactorOp, 0.40, 0.3, 0, []exposure{operatorWB}},
		{secReactors, jobMaintTech, 0.35, 0.5, 0, []exposure{withMedian(operatorWB, 0.5)}},
		{secReactors, jobRPTech, 0.25, 0.5, 0, []exposure{withMedian(operatorWB, 0.45)}},
	}
	contractorRoles = []role{
		{secContract, jobScaffolder, 0.18, 0.7, 0, []exposure{contractorWB(2.0)}},
		{secContract, jobLagger, 0.14, 0.8, 0, []exposure{contractorWB(2.4)}},
		{secContract, jobWelder, 0.14, 0.7, 0, []exposure{contractorWB(1.8)}},
		{secContract, jobValveFitter, 0.14, 0.6, 0, []exposure{contractorWB(1.6)}},
		{secContract, jobMechanic, 0.14, 0.5, 0, []exposure{contractorWB(1.4)}},
		{secContract, jobRPTech, 0.14, 0.5, 0, []exposure{contractorWB(1.2)}},
		{secContract, jobLogistics, 0.12, 0.2, 0, []exposure{contractorWB(0.8)}},
	}
	agencyRoles = []role{
		{secContract, jobScaffolder, 0.35, 0.5, 0, []exposure{contractorWB(1.8)}},
		{secContract, jobLagger, 0.25, 0.5, 0, []exposure{contractorWB(2.0)}},
		{secContract, jobWelder, 0.15, 0.5, 0, []exposure{contractorWB(1.6)}},
		{secContract, jobLogistics, 0.25, 0.1, 0, []exposure{contractorWB(0.8)}},
	}
	fuelCycleRoles = []role{
		{secFuel, jobProcessOp, 0.50, 0.5, 0, []exposure{fuelWB, fuelIntern}},
		{secFuel, jobLabTech, 0.25, 0.4, 0, []exposure{fuelWB, fuelIntern}},
		{secFuel, jobMaintTech, 0.25, 0.4, 0, []exposure{withMedian(fuelWB, 0.45)}},
	}
	ndtRoles = []role{
		{secNDT, jobGammagrapher, 0.6, 0.6, 0, []exposure{ndtSiteWB}},
		{secNDT, jobNDTOperator, 0.4, 0.2, 0, []exposure{ndtEnclWB}},
	}
	airlineRoles = []role{
		{secAircrew, jobPilot, 0.35, 0, 0, []exposure{aircrew}},
		{secAircrew, jobCabinCrew, 0.65, 0, 0, []exposure{withMedian(aircrew, 1.8)}},
	}
	researchRoles = []role{
		{secResearch, jobResearcher, 0.45, 0, 0, []exposure{researchWB, researchIn}},
		{secResearch, jobLabTech, 0.35, 0.1, 0, []exposure{researchWB, researchIn}},
		{secResearch, jobAccelerator, 0.20, 0.2, 0, []exposure{withMedian(researchWB, 0.2)}},
	}
)
