package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/siseri/siseri/ent/doserecord"
)

// Parameters of ANOMALY.md §3 that are not per context.
const (
	rho        = 0.7  // year-to-year persistence of ln(annual dose)
	sigmaW     = 0.8  // per-period multiplicative noise
	sigmaWAir  = 0.25 // aircrew doses are computed from rosters, far less noisy
	baseWeight = 0.7  // weight of the worker's common factor across monitoring kinds
	pAbsent    = 0.004
)

// window is the span of generated data: whole calendar months, end exclusive.
type window struct {
	start, end time.Time
	months     int
}

func (w window) month(i int) time.Time { return w.start.AddDate(0, i, 0) }

// recordPlan is a dose record to create. worker and emp index the population;
// supersedes and batch index the records and batches, -1 for none.
type recordPlan struct {
	worker, emp   int
	kind          doserecord.MonitoringKind
	quantity      doserecord.Quantity
	start, end    time.Time
	value         int64
	status        doserecord.Status
	source        doserecord.Source
	lab           int
	serial        string
	radionuclide  string
	comment       string
	received      time.Time
	version       int
	current       bool
	supersededAt  *time.Time
	supersedes    int
	reason        string
	byPhysician   bool
	batch         int
	correctionDue bool // planted: the original of a corrected unit error
}

// serialSeg is the wearing of one dosimeter by one worker.
type serialSeg struct {
	worker, emp int
	kind        doserecord.MonitoringKind
	lab         int
	serial      string
	start       time.Time
	end         *time.Time
	retired     *time.Time
}

// outage is a site's refuelling outage in a year: k months from first (0 =
// January), carrying share of the contractors' annual dose.
type outage struct {
	first, k int
	share    float64
}

// doseGen generates the dose records of the population.
type doseGen struct {
	seed     uint64
	win      window
	org      *orgPlan
	ws       []*workerPlan
	years    []int
	outages  map[string]outage
	records  []recordPlan
	segments []serialSeg
	serials  int
}

func newDoseGen(seed uint64, win window, org *orgPlan, ws []*workerPlan) *doseGen {
	g := &doseGen{seed: seed, win: win, org: org, ws: ws, outages: map[string]outage{}}
	for y := win.start.Year(); y <= win.end.AddDate(0, 0, -1).Year(); y++ {
		g.years = append(g.years, y)
	}
	return g
}

// generate draws every worker's records, in worker order.
func (g *doseGen) generate() {
	for wi := range g.ws {
		g.worker(wi)
	}
}

// arSeries returns a stationary AR(1) series of standard normal values.
func arSeries(rng *rand.Rand, n int) []float64 {
	z := make([]float64, n)
	for i := range z {
		if i == 0 {
			z[i] = rng.NormFloat64()
			continue
		}
		z[i] = rho*z[i-1] + math.Sqrt(1-rho*rho)*rng.NormFloat64()
	}
	return z
}

// worker generates the records of worker wi. Each worker has its own random
// stream, so one worker's data does not depend on the others'.
func (g *doseGen) worker(wi int) {
	w := g.ws[wi]
	rng := rand.New(rand.NewPCG(g.seed, uint64(wi)+1))
	base := arSeries(rng, len(g.years))
	own := map[doserecord.MonitoringKind][]float64{}
	for ei, e := range w.emps {
		for _, x := range e.kinds {
			z, ok := own[x.kind]
			if !ok {
				z = arSeries(rng, len(g.years))
				own[x.kind] = z
			}
			exposed := e.forceExposed || rng.Float64() >= x.p0
			monthly := g.monthly(rng, w, e, x, base, z, exposed)
			capRolling(monthly, ceiling(x.kind, e))
			g.plant(w, x.kind, monthly)
			g.record(rng, wi, ei, x.kind, monthly)
		}
	}
	if w.special == overLimit || w.special == unitError {
		g.tuneSpecial(wi)
	}
}

// monthly returns the true dose (mSv) of each month of the window for one
// employment and kind: annual latent dose × seasonal weight × noise × the
// employed fraction of the month.
func (g *doseGen) monthly(rng *rand.Rand, w *workerPlan, e *empPlan, x exposure, base, own []float64, exposed bool) []float64 {
	annual := make([]float64, len(g.years))
	weights := make([][12]float64, len(g.years))
	for yi, y := range g.years {
		z := baseWeight*base[yi] + math.Sqrt(1-baseWeight*baseWeight)*own[yi]
		if w.special == demoWorker {
			z = 1.5 + 0.3*z // a busy interventional cardiologist, whose history has something to show
		}
		a := x.median * math.Exp(x.sigma*z)
		if x.season == seasonSolar {
			a *= 1 + 0.2*math.Cos(2*math.Pi*(float64(y)-2019)/11)
		}
		if x.cap > 0 && a > x.cap {
			if x.hard {
				a = x.cap * (0.85 + 0.15*rng.Float64())
			} else {
				a = x.cap * (0.9 + 0.25*rng.Float64())
			}
		}
		annual[yi] = a
		weights[yi] = g.seasonWeights(rng, x.season, e.est, y)
	}
	sw := sigmaW
	if x.season == seasonSolar {
		sw = sigmaWAir
	}
	out := make([]float64, g.win.months)
	for mi := range out {
		m := g.win.month(mi)
		eps := math.Exp(-sw*sw/2 + sw*rng.NormFloat64())
		f := coveredFraction(e, m)
		if !exposed || f == 0 {
			continue
		}
		yi := m.Year() - g.years[0]
		d := annual[yi] * weights[yi][m.Month()-1] * eps * f * float64(e.fraction) / 100
		if e.young {
			d *= 0.3
		}
		if e.pregnant(m.AddDate(0, 0, 14)) {
			d *= 0.05
		}
		out[mi] = d
	}
	return out
}

// coveredFraction returns the share of the days of month m the employment covers.
func coveredFraction(e *empPlan, m time.Time) float64 {
	last := m.AddDate(0, 1, -1)
	from, to := m, last
	if e.start.After(from) {
		from = e.start
	}
	if e.end != nil && e.end.Before(to) {
		to = *e.end
	}
	if to.Before(from) {
		return 0
	}
	return (to.Sub(from).Hours()/24 + 1) / float64(last.Day())
}

// seasonWeights returns the 12 monthly weights of a year, summing to 1.
func (g *doseGen) seasonWeights(rng *rand.Rand, s season, est, year int) [12]float64 {
	var w [12]float64
	for i := range w {
		w[i] = 1
	}
	switch s {
	case seasonAugust:
		w[7] = 0.7
	case seasonAcademic:
		w[6], w[7], w[11] = 0.8, 0.3, 0.7
	case seasonCampaign:
		for j := 3 + rng.IntN(3); j > 0; j-- {
			w[rng.IntN(12)] = 3
		}
	case seasonOutage, seasonMildOutage:
		o := g.outage(estSpecs[est].postal, year)
		share := o.share
		if s == seasonMildOutage {
			share = 0.3
		}
		for i := range w {
			w[i] = (1 - share) / float64(12-o.k)
		}
		for j := 0; j < o.k; j++ {
			w[(o.first+j)%12] = share / float64(o.k)
		}
	}
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// outage returns the outage of the plant near postal code site in year: the
// operator and the contractors of one site share it.
func (g *doseGen) outage(site string, year int) outage {
	key := fmt.Sprintf("%s-%d", site, year)
	if o, ok := g.outages[key]; ok {
		return o
	}
	h := uint64(year)
	for _, c := range site {
		h = h*31 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(g.seed^0x07a6e, h))
	o := outage{first: rng.IntN(12), k: 1 + rng.IntN(3), share: 0.6 + 0.2*rng.Float64()}
	g.outages[key] = o
	return o
}

// periodic returns the wearing period of kind in this employment, in months:
// 1 for category A and computed aircrew doses, 3 for category B and internal
// dosimetry (ANOMALY.md §3 step 3).
func periodic(kind doserecord.MonitoringKind, e *empPlan) int {
	switch {
	case kind == doserecord.MonitoringKindAviation:
		return 1
	case kind == doserecord.MonitoringKindInternal:
		return 3
	case string(e.class) == "A":
		return 1
	}
	return 3
}

// quantityOf returns the quantity a kind is expressed in.
func quantityOf(kind doserecord.MonitoringKind) doserecord.Quantity {
	switch kind {
	case doserecord.MonitoringKindExtremity, doserecord.MonitoringKindSkin:
		return doserecord.QuantityHp007
	case doserecord.MonitoringKindLens:
		return doserecord.QuantityHp3
	case doserecord.MonitoringKindInternal:
		return doserecord.QuantityE50
	case doserecord.MonitoringKindAviation, doserecord.MonitoringKindRadon:
		return doserecord.QuantityE
	}
	return doserecord.QuantityHp10
}

// recorded applies the recording level and rounding step of the kind to a
// dose in mSv (ANOMALY.md §3 step 3) and returns µSv and the status.
func recorded(kind doserecord.MonitoringKind, mSv float64) (int64, doserecord.Status) {
	level, step := 0.10, 0.05
	switch kind {
	case doserecord.MonitoringKindAviation:
		return int64(math.Round(mSv*100)) * 10, doserecord.StatusModelled
	case doserecord.MonitoringKindExtremity:
		level, step = 0.50, 0.10
	case doserecord.MonitoringKindInternal:
		level, step = 0.10, 0.01
	}
	if mSv < level {
		return 0, doserecord.StatusBelowThreshold
	}
	return int64(math.Round(math.Round(mSv/step) * step * 1000)), doserecord.StatusMeasured
}

// ceiling returns the largest sum over 12 consecutive months (mSv) an
// ordinary worker reaches for a kind: below the limits (20 mSv effective and
// lens, 500 mSv extremities; 6 and 150 for young workers), and below the
// category A thresholds (6, 15, 150 mSv) for category B. Monthly noise on top
// of the capped annual dose would otherwise put a few workers over a limit
// every year, where the registry sees almost none (DOMAIN.md §7.1).
func ceiling(kind doserecord.MonitoringKind, e *empPlan) float64 {
	b := string(e.class) == "B"
	switch {
	case kind == doserecord.MonitoringKindExtremity && (b || e.young):
		return 140
	case kind == doserecord.MonitoringKindExtremity:
		return 450
	case kind == doserecord.MonitoringKindLens && (b || e.young):
		return 14
	case e.young:
		return 5
	case b:
		return 5.5
	}
	return 18
}

// capRolling scales monthly down so that no 12 consecutive months exceed limit.
func capRolling(monthly []float64, limit float64) {
	top, sum := 0.0, 0.0
	for i, d := range monthly {
		sum += d
		if i >= 12 {
			sum -= monthly[i-12]
		}
		top = max(top, sum)
	}
	if top > limit {
		for i := range monthly {
			monthly[i] *= limit / top
		}
	}
}
