package seed

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/worker"
)

// special marks the workers that carry the demo's planted cases.
type special int

const (
	ordinary   special = iota
	demoWorker         // the travailleur@ account: an interventional cardiologist with a rich history
	overLimit          // NPP lagger over 20 mSv on a rolling 12 months, under it on each calendar year
	unitError          // radiology technologist with one result sent in µSv as mSv (×1000)
	ringSpike          // radiopharmacy technician with one contaminated ring dosimeter
)

// forcedJobs gives the job and establishment of each special worker.
var forcedJobs = []struct {
	special  special
	est, job string
	sector   string
}{
	{demoWorker, estCardio, jobCardiologist, secCardio},
	{overLimit, estContractor, jobLagger, secContract},
	{unitError, estImaging, jobMERM, secRadio},
	{ringSpike, estNucMed, jobRadiopharm, secNucMed},
}

// workerPlan is a worker to create, with its employments in time order.
type workerPlan struct {
	special                         special
	kind                            worker.IdentifierKind
	nir, temporaryID                string
	foreignID, foreignCountry       string
	lastName, usageName, firstNames string
	birth                           time.Time
	birthPlace, birthCountry        string
	sex                             worker.Sex
	emps                            []*empPlan
}

// empPlan is an employment: the worker's link to an establishment over a
// period, with the exposure context that drives the dose model.
type empPlan struct {
	est              int
	role             *role
	start            time.Time
	end              *time.Time // last day, inclusive; nil while it lasts
	contract         employment.ContractType
	fraction         int
	declared         bool // sector and job declared by the employer
	class            employment.Classification
	kinds            []exposure
	pregFrom, pregTo *time.Time
	young            bool
	forceExposed     bool
}

// covers reports whether the employment covers the civil day d.
func (e *empPlan) covers(d time.Time) bool {
	return !d.Before(e.start) && (e.end == nil || !d.After(*e.end))
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// pick returns an index drawn with probability proportional to weight(i).
func pick(rng *rand.Rand, n int, weight func(int) float64) int {
	total := 0.0
	for i := 0; i < n; i++ {
		total += weight(i)
	}
	x := rng.Float64() * total
	for i := 0; i < n; i++ {
		if x -= weight(i); x < 0 {
			return i
		}
	}
	return n - 1
}

func oneOf[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// allocate splits n workers over the establishments by weight (largest
// remainder), with at least two per establishment.
func allocate(n int) []int {
	total := 0.0
	for _, e := range estSpecs {
		total += e.weight
	}
	counts := make([]int, len(estSpecs))
	rest := make([]float64, len(estSpecs))
	left := n
	for i, e := range estSpecs {
		exact := float64(n) * e.weight / total
		counts[i] = max(2, int(exact))
		rest[i] = exact - math.Floor(exact)
		left -= counts[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rest {
			if rest[i] > rest[best] {
				best = i
			}
		}
		counts[best]++
		rest[best] = -1
	}
	for ; left < 0; left++ { // the minimum of two took more than n: trim the largest
		largest := 0
		for i := range counts {
			if counts[i] > counts[largest] {
				largest = i
			}
		}
		counts[largest]--
	}
	return counts
}

// femaleShare is the share of women in a job (order of magnitude only).
func femaleShare(job string) float64 {
	switch job {
	case jobMERM, jobNurse, jobNurseOR, jobDentalAssist, jobVetAssist, jobRadiopharm, jobCabinCrew:
		return 0.75
	case jobScaffolder, jobLagger, jobWelder, jobValveFitter, jobMechanic, jobGammagrapher, jobPilot, jobReactorOp:
		return 0.07
	case jobLogistics, jobRPTech, jobMaintTech, jobProcessOp, jobNDTOperator, jobAccelerator:
		return 0.2
	}
	return 0.5
}

// planPopulation draws the workers and their first employment.
func planPopulation(rng *rand.Rand, n int, win window, ids *identities) []*workerPlan {
	var out []*workerPlan
	for ei, count := range allocate(n) {
		spec := &estSpecs[ei]
		var forced []int
		for i, f := range forcedJobs {
			if f.est == spec.key {
				forced = append(forced, i)
			}
		}
		for k := 0; k < count; k++ {
			r := &spec.roles[pick(rng, len(spec.roles), func(i int) float64 { return spec.roles[i].weight })]
			sp := ordinary
			if k < len(forced) {
				f := forcedJobs[forced[k]]
				sp, r = f.special, findRole(spec, f.sector, f.job)
			}
			w := newWorker(rng, r.job, sp, win, ids)
			e := newEmployment(rng, ei, r, w, win)
			if sp != ordinary {
				e.declared, e.forceExposed, e.kinds = true, true, r.exp
				e.class, e.contract, e.fraction = employment.ClassificationA, employment.ContractTypeCDI, 100
				if sp == unitError {
					e.class = employment.ClassificationB
				}
			}
			w.emps = []*empPlan{e}
			out = append(out, w)
		}
	}
	addApprentices(rng, out, win, ids)
	return out
}

// findRole returns the role of spec with that sector and job.
func findRole(spec *estSpec, sector, job string) *role {
	for i := range spec.roles {
		if spec.roles[i].job == job && spec.roles[i].sector == sector {
			return &spec.roles[i]
		}
	}
	panic("seed: no role " + sector + "/" + job + " in " + spec.key)
}

// newWorker draws identity data: names, sex, birth, identifier.
func newWorker(rng *rand.Rand, job string, sp special, win window, ids *identities) *workerPlan {
	w := &workerPlan{special: sp, sex: worker.SexMale}
	if rng.Float64() < femaleShare(job) || sp == demoWorker {
		w.sex = worker.SexFemale
	}
	ref := win.end.AddDate(0, 0, -1)
	age := 19 + rng.IntN(46) // 19–64 at the end of the data
	if sp == demoWorker {
		age = 44 + rng.IntN(6)
	}
	w.birth = ref.AddDate(-age-1, 0, 1+rng.IntN(364))
	w.lastName = oneOf(rng, surnames)
	w.firstNames = firstNames(rng, w.sex)
	if w.sex == worker.SexFemale && age >= 28 && rng.Float64() < 0.35 {
		if u := oneOf(rng, surnames); u != w.lastName {
			w.usageName = u
		}
	}
	kindDraw := rng.Float64()
	if sp != ordinary {
		kindDraw = 1
	}
	ids.assign(rng, w, kindDraw)
	return w
}

// firstNames returns one or two given names, sometimes hyphenated.
func firstNames(rng *rand.Rand, sex worker.Sex) string {
	first, second := maleFirstNames, secondMaleNames
	if sex == worker.SexFemale {
		first, second = femaleFirstNames, secondFemaleNames
	}
	name := oneOf(rng, first)
	switch r := rng.Float64(); {
	case r < 0.08:
		if s := oneOf(rng, second); s != name {
			return name + "-" + s
		}
	case r < 0.25:
		if s := oneOf(rng, second); s != name {
			return name + " " + s
		}
	}
	return name
}

// newEmployment draws the worker's employment in establishment ei with role r.
func newEmployment(rng *rand.Rand, ei int, r *role, w *workerPlan, win window) *empPlan {
	spec := &estSpecs[ei]
	e := &empPlan{est: ei, role: r}
	// The first job starts at 18 to 28, and at the latest 6 months before the
	// end of the data, so that every worker has results.
	latest := win.end.AddDate(0, -6, 0)
	career := w.birth.AddDate(18+rng.IntN(10), rng.IntN(12), 0)
	if career.After(latest) {
		career = latest
	}
	if career.Before(date(1995, 1, 1)) {
		career = date(1995, 1, 1)
	}
	hire := w.special == ordinary && rng.Float64() < 0.08
	if !career.Before(win.start) || hire {
		m := win.start.AddDate(0, rng.IntN(max(1, win.months-6)), 0)
		if m.Before(career) {
			m = time.Date(career.Year(), career.Month(), 1, 0, 0, 0, 0, time.UTC)
		}
		e.start = m
	} else {
		span := int(win.start.Sub(career).Hours() / 24)
		e.start = career.AddDate(0, 0, rng.IntN(max(1, span)))
	}
	e.contract, e.fraction = contract(rng, spec.employer, r)
	if e.contract == employment.ContractTypeIntern && e.start.Before(win.start.AddDate(-3, 0, 0)) {
		e.contract = employment.ContractTypeCDI // interns stay a few years at most
	}
	e.declared = rng.Float64() < spec.completeness
	e.kinds = drawKinds(rng, r)
	e.class = classify(rng, r, e.kinds)
	return e
}

// contract draws the contract type and work-time fraction.
func contract(rng *rand.Rand, emp employer, r *role) (employment.ContractType, int) {
	if rng.Float64() < r.selfEmployed {
		return employment.ContractTypeSelfEmployed, 100
	}
	fraction := 100
	switch x := rng.Float64(); {
	case x < 0.05:
		fraction = 50
	case x < 0.12:
		fraction = 80
	}
	x := rng.Float64()
	switch emp {
	case employerAgency:
		return employment.ContractTypeTemporary, 100
	case employerHospital:
		switch {
		case x < 0.05 && (r.job == jobCardiologist || r.job == jobRadiologist || r.job == jobNucPhysician || r.job == jobIntRadiologist):
			return employment.ContractTypeIntern, 100
		case x < 0.17:
			return employment.ContractTypeCDD, fraction
		}
	case employerResearch:
		switch {
		case x < 0.05:
			return employment.ContractTypeIntern, 100
		case x < 0.40:
			return employment.ContractTypeCDD, fraction
		}
	default:
		if x < 0.12 {
			return employment.ContractTypeCDD, fraction
		}
	}
	return employment.ContractTypeCDI, fraction
}

// drawKinds picks the monitoring kinds of a worker in role r.
func drawKinds(rng *rand.Rand, r *role) []exposure {
	var out []exposure
	for _, x := range r.exp {
		if rng.Float64() < x.share {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, r.exp[0])
	}
	return out
}

// classify returns A or B consistently with the context: category A needs a
// role where it is usual, and extremity or lens monitoring makes it likelier.
func classify(rng *rand.Rand, r *role, kinds []exposure) employment.Classification {
	p := r.pA
	if len(kinds) > 1 && p > 0 {
		p = math.Min(1, p+0.15)
	}
	if rng.Float64() < p {
		return employment.ClassificationA
	}
	return employment.ClassificationB
}

// monitoringKinds returns the enum values of the employment's kinds.
func (e *empPlan) monitoringKinds() []string {
	out := make([]string, len(e.kinds))
	for i, x := range e.kinds {
		out[i] = string(x.kind)
	}
	return out
}

// addApprentices turns a few contractor workers into apprentices aged 16–17,
// hired during the data period in category B (young workers cannot be A).
func addApprentices(rng *rand.Rand, ws []*workerPlan, win window, ids *identities) {
	want := max(1, len(ws)/400)
	for _, w := range ws {
		e := w.emps[0]
		if want == 0 || w.special != ordinary || estSpecs[e.est].company != "amn" || rng.Float64() > 0.1 {
			continue
		}
		want--
		ref := win.end.AddDate(0, 0, -1)
		w.birth = ref.AddDate(-17, 0, -rng.IntN(300))
		w.usageName = ""
		ids.assign(rng, w, 1)
		start := date(ref.Year()-1, time.September, 1)
		if start.Before(win.start) {
			start = win.start
		}
		e.start, e.contract, e.fraction, e.class, e.young = start, employment.ContractTypeApprentice, 100, employment.ClassificationB, true
		e.role = findRole(&estSpecs[e.est], secContract, jobMechanic)
		e.kinds = e.role.exp
	}
}
