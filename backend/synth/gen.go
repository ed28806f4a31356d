package synth

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Model constants of ANOMALY.md §3 that are not per context.
const (
	rho        = 0.7  // year-to-year persistence of ln(annual dose)
	sigmaW     = 0.8  // per-month multiplicative noise
	baseWeight = 0.7  // weight of the worker's common factor across kinds
	sigmaOp    = 0.2  // operational vs true dose, LN(0, 0.2)
	npSites    = 19   // nuclear sites sharing outage calendars
	pMove      = 0.03 // per worker and year: moves to another establishment of the same kind
	pJobChange = 0.02 // per worker and year: changes job in the same establishment
	pLeave     = 0.04 // per worker and year: leaves (no successor in the window)
	pEnter     = 0.04 // share of workers hired during the window, per year
)

// Anomaly rates (ANOMALY.md §3.1), per eligible record or worker.
const (
	rateUnit          = 1e-4 // per non-zero passive record
	rateBeam          = 2e-4 // per passive record
	rateSwap          = 5e-4 // per passive record: starts a pair
	rateContamination = 5e-4 // per Hp(0.07) record (≈ 1e-4 of all records)
	rateDrift         = 5e-3 // per worker with an exposed kind of median ≥ 0.3 mSv (≈ 0.2 % of workers)
	rateZeroRun       = 0.01 // per exposed worker in PIR / nuclear medicine
	rateMissing       = 0.03 // per passive record
	rateDiscrepancy   = 5e-3 // per monthly controlled-zone record with a true dose ≥ 0.8 mSv
	rateMislabel      = 0.005
)

// est is an establishment.
type est struct {
	siret, name, region, lab string
	typ, site                int
}

// employment is one declared employment of a worker, covering window months
// [from, to).
type employment struct {
	est, ctx            int
	job, sector         string
	declSector, declJob string // declared codes (differ on a mislabel)
	cat                 byte
	contract            string
	start               time.Time
	end                 *time.Time
	from, to            int
	kinds               []*kindState
}

// kindState is the state of one monitoring kind in one employment.
type kindState struct {
	exp     exposure
	exposed bool
	serial  string
	period  int
	z       float64 // own AR(1) factor
	year    int
	months  [12]float64 // true doses (mSv) of the current year

	acc        float64 // true dose since the period start
	accStart   int     // window month of the period start
	carry      float64 // true dose of a missing period summed into the next
	carryStart int
	carrying   bool
	opUSv      int64 // operational dose of the current month
	discrep    bool  // the operational dosimeter was not worn this month
}

// episode is a drift (the recorded dose is multiplied by g per period: a
// dosimeter or reader calibration drift) or a zero run (the badge is not
// worn: recorded 0) over n wearing periods of one kind (ANOMALY.md §3.1).
type episode struct {
	label           string
	kind, quantity  string
	start, n        int // window month of the first period, number of periods
	g               float64
	est             int
	trueSum, recSum float64
	first, last     time.Time
	onset           time.Time
	periods         int
	done            bool
}

type worker struct {
	idx         int
	nir         string
	nom, prenom string
	birth       time.Time
	sex         byte
	rng         *rand.Rand
	base        float64
	baseYear    int
	own         map[string]float64
	emps        []*employment
	episode     *episode
	mislabelled bool
}

// labRow is one row of lab-results.csv before writing.
type labRow struct {
	w            *worker
	est          int
	serial       string
	kind, q      string
	debut, fin   time.Time
	value        string
	unit         string
	nuclide      string
	comment      string
	trueMSv      float64 // true dose (for swap labels)
	recMSv       float64 // recorded dose
	swapWant     bool
	eligibleSwap bool
}

// opRow is one row of operational.csv.
type opRow struct {
	w          *worker
	est        int
	serial     string
	debut, fin time.Time
	usv        int64
}

type generator struct {
	opts    Options
	seed    uint64               // Options.Seed mixed with the family's salt
	ctxs    [numContexts]context // the family's context table
	fs      familyState
	ests    []est
	byType  [][]int
	workers []*worker
	outages map[[2]int]outage

	files   []io.WriteCloser
	decl    *csv.Writer
	lab     *csv.Writer
	op      *csv.Writer
	labels  *csv.Writer
	writers []*csv.Writer

	buf     []labRow
	ops     []opRow
	late    map[int][]labRow
	labelID int
	summary Summary
	closed  bool

	rows   RowSink // GenerateRows: results go here instead of the files
	rowErr error
}

type outage struct {
	first, k int
	share    float64
}

func newGenerator(opts Options, sink Sink) (*generator, error) {
	fam, err := LookupFamily(opts.Family)
	if err != nil {
		return nil, err
	}
	g := &generator{opts: opts, outages: map[[2]int]outage{}, late: map[int][]labRow{}}
	g.seed = opts.Seed ^ fam.SeedSalt
	g.ctxs = fam.contextTable()
	g.fs = familyState{fam: fam, r: fam.rates(), labs: fam.labProfiles(g.seed, opts.Months)}
	g.summary.LabelsByKind = map[string]int{}
	open := func(name string, header []string) (*csv.Writer, error) {
		f, err := sink.Create(name)
		if err != nil {
			return nil, fmt.Errorf("synth: create %s: %w", name, err)
		}
		g.files = append(g.files, f)
		w := csv.NewWriter(f)
		w.Comma = ';'
		g.writers = append(g.writers, w)
		return w, w.Write(header)
	}
	var estW, labsW *csv.Writer
	if g.decl, err = open(FileDeclarations, HeaderDeclarations); err != nil {
		return nil, err
	}
	if g.lab, err = open(FileLabResults, HeaderLabResults); err != nil {
		return nil, err
	}
	if g.op, err = open(FileOperational, HeaderOperational); err != nil {
		return nil, err
	}
	if estW, err = open(FileEstablishments, HeaderEstablishments); err != nil {
		return nil, err
	}
	if labsW, err = open(FileLaboratories, HeaderLaboratories); err != nil {
		return nil, err
	}
	if g.labels, err = open(FileLabels, HeaderLabels); err != nil {
		return nil, err
	}
	for _, l := range laboratories {
		if err := labsW.Write(l[:]); err != nil {
			return nil, err
		}
	}
	g.plan()
	for _, e := range g.ests {
		if err := estW.Write([]string{e.siret, e.name, e.region}); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (g *generator) closeAll() error {
	if g.closed {
		return nil
	}
	g.closed = true
	var errs []error
	for _, w := range g.writers {
		w.Flush()
		errs = append(errs, w.Error())
	}
	for _, f := range g.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

func (g *generator) month(m int) time.Time { return g.opts.Start.AddDate(0, m, 0) }

// monthEnd is the last day of window month m.
func (g *generator) monthEnd(m int) time.Time { return g.month(m+1).AddDate(0, 0, -1) }

// plan draws the establishments and the workers with their careers, and
// writes the declarations.
func (g *generator) plan() {
	rng := rand.New(rand.NewPCG(g.seed, 0))
	total := 0.0
	for _, t := range estTypes {
		total += t.share
	}
	g.byType = make([][]int, len(estTypes))
	// Establishments: each type gets its share of the workers, in
	// establishments of its size range.
	type slot struct{ est, n int }
	var slots []slot
	assigned := 0
	usedSiret := map[string]bool{}
	for ti, t := range estTypes {
		want := int(math.Round(float64(g.opts.Workers) * t.share / total))
		if ti == len(estTypes)-1 {
			want = g.opts.Workers - assigned
		}
		c := contexts[t.ctx[0]]
		for n := 0; n < want; {
			size := c.estMin + rng.IntN(c.estMax-c.estMin+1)
			size = min(size, want-n)
			id := len(g.ests)
			siret := siretFor(rng, id)
			for usedSiret[siret] {
				siret = siretFor(rng, id)
			}
			usedSiret[siret] = true
			e := est{siret: siret, typ: ti, region: regions[rng.IntN(len(regions))],
				lab: c.labs[pickWeighted(rng, len(c.labs), func(i int) float64 { return 1 / float64(i+1) })]}
			e.name = fmt.Sprintf("%s %s %d", c.estPrefix, e.region, id+1)
			switch t.ctx[0] {
			case ctxNPPOperator:
				e.site = len(g.byType[ti]) % npSites
			case ctxNPPContractor:
				e.site = rng.IntN(npSites)
			}
			g.ests = append(g.ests, e)
			g.byType[ti] = append(g.byType[ti], id)
			slots = append(slots, slot{id, size})
			n += size
		}
		assigned += want
	}
	g.planFamily()
	for _, s := range slots {
		for j := 0; j < s.n; j++ {
			g.workers = append(g.workers, g.newWorker(len(g.workers), s.est))
		}
	}
	g.summary.Workers = len(g.workers)
	g.summary.Establishments = len(g.ests)
}

// pickWeighted draws an index in [0, n) with the given weights.
func pickWeighted(rng *rand.Rand, n int, weight func(int) float64) int {
	sum := 0.0
	for i := range n {
		sum += weight(i)
	}
	u := rng.Float64() * sum
	for i := range n {
		u -= weight(i)
		if u < 0 {
			return i
		}
	}
	return n - 1
}

// sectorOf returns the nomenclature sector of a job in a context:
// interventional radiologists belong to MED-RI.
func sectorOf(ctx int, job string) string {
	if ctx == ctxCardio && job == "RADIO-INT" {
		return "MED-RI"
	}
	return contexts[ctx].sector
}

// drawContext returns the context of a new position in an establishment type.
func drawContext(rng *rand.Rand, typ int) int {
	t := estTypes[typ]
	if len(t.ctx) == 2 { // NDT companies: site and enclosure radiographers
		if rng.Float64() < ndtSiteShare {
			return t.ctx[0]
		}
		return t.ctx[1]
	}
	return t.ctx[0]
}

func drawJob(rng *rand.Rand, ctx int) string {
	js := contexts[ctx].jobs
	return js[pickWeighted(rng, len(js), func(i int) float64 { return js[i].weight })].code
}

// newWorker draws a worker, their career in the window, and writes their
// declarations.
func (g *generator) newWorker(idx, e int) *worker {
	rng := rand.New(rand.NewPCG(g.seed, uint64(idx)+1))
	w := &worker{idx: idx, rng: rng, own: map[string]float64{}, baseYear: -1}
	w.sex = 'M'
	names := maleNames
	if rng.Float64() < 0.45 {
		w.sex, names = 'F', femaleNames
	}
	w.nom = surnames[rng.IntN(len(surnames))]
	w.prenom = names[rng.IntN(len(names))]
	age := 20 + rng.IntN(43)
	w.birth = time.Date(g.opts.Start.Year()-age, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	sexDigit := byte('1')
	if w.sex == 'F' {
		sexDigit = '2'
	}
	w.nir = nirFor(rng, idx, sexDigit, w.birth.Year(), int(w.birth.Month()))

	typ := g.ests[e].typ
	ctx := drawContext(rng, typ)
	jobCode := drawJob(rng, ctx)
	years := float64(g.opts.Months) / 12
	from := 0
	if rng.Float64() < pEnter*years && g.opts.Months > 1 {
		from = 1 + rng.IntN(g.opts.Months-1)
	}
	start := g.month(from)
	if from == 0 {
		start = start.AddDate(0, 0, -1-rng.IntN(max(1, (age-19)*365)))
	}
	emp := g.newEmployment(rng, e, ctx, jobCode, start, from)
	w.emps = append(w.emps, emp)
	// Career events: one at most per worker in the window.
	u := rng.Float64()
	at := from + 1 + rng.IntN(max(1, g.opts.Months-from-1))
	switch {
	case at >= g.opts.Months:
	case u < pMove*years && len(g.byType[typ]) > 1:
		ne := g.byType[typ][rng.IntN(len(g.byType[typ]))]
		if ne == e {
			break
		}
		g.closeEmployment(emp, at)
		w.emps = append(w.emps, g.newEmployment(rng, ne, ctx, jobCode, g.month(at), at))
	case u < (pMove+pJobChange)*years:
		nctx := drawContext(rng, typ)
		nj := drawJob(rng, nctx)
		if nj == jobCode && nctx == ctx {
			break
		}
		g.closeEmployment(emp, at)
		w.emps = append(w.emps, g.newEmployment(rng, e, nctx, nj, g.month(at), at))
	case u < (pMove+pJobChange+pLeave)*years:
		g.closeEmployment(emp, at)
	}
	if rng.Float64() < g.fs.r.mislabel {
		w.mislabelled = true
		sector, job := g.mislabel(w, ctx, jobCode)
		for _, em := range w.emps {
			em.declSector, em.declJob = sector, job
		}
		first, last := w.emps[0], w.emps[len(w.emps)-1]
		g.label(LabelMislabel, "episode", w, first.est, kindWB, qHp10, g.month(first.from), g.monthEnd(last.to-1), "", "", g.month(first.from))
	}
	// Anomaly episodes planned at hiring.
	g.planEpisodes(w)
	for _, em := range w.emps {
		if !w.mislabelled {
			switch g.emptyDeclaration(w, em.est) {
			case 2:
				em.declSector, em.declJob = "", ""
			case 1:
				em.declJob = ""
			}
		}
		end := ""
		if em.end != nil {
			end = em.end.Format(time.DateOnly)
		}
		g.write(g.decl, []string{g.ests[em.est].siret, w.nir, w.nom, w.prenom, w.birth.Format(time.DateOnly),
			string(w.sex), em.start.Format(time.DateOnly), end, em.contract, em.declSector, em.declJob, string(em.cat)})
		g.summary.Declarations++
	}
	return w
}

func (g *generator) closeEmployment(e *employment, at int) {
	end := g.monthEnd(at - 1)
	e.end = &end
	e.to = at
}

func (g *generator) newEmployment(rng *rand.Rand, e, ctx int, jobCode string, start time.Time, from int) *employment {
	c := g.ctxs[ctx]
	em := &employment{est: e, ctx: ctx, job: jobCode, sector: sectorOf(ctx, jobCode), start: start, from: from, to: g.opts.Months}
	em.declSector, em.declJob = em.sector, em.job
	em.cat = 'B'
	if rng.Float64() < c.pA {
		em.cat = 'A'
	}
	switch u := rng.Float64(); {
	case ctx == ctxNPPContractor && u < 0.2, u < 0.05:
		em.contract = "INTERIM"
	case u < 0.17:
		em.contract = "CDD"
	default:
		em.contract = "CDI"
	}
	for _, x := range c.exp {
		if rng.Float64() >= x.share {
			continue
		}
		ks := &kindState{exp: x, exposed: rng.Float64() >= x.p0, year: -1, accStart: from}
		ks.period = 1
		switch {
		case x.kind == kindInternal:
			ks.period = 3
		case em.cat == 'B' && x.kind != kindAviation:
			ks.period = g.periodB(e)
		}
		ks.serial = fmt.Sprintf("%s-%c%06d%02d", g.ests[e].lab, serialLetter(x.kind), 0, 0) // fixed below
		em.kinds = append(em.kinds, ks)
	}
	return em
}

func serialLetter(kind string) byte {
	switch kind {
	case kindExtremity:
		return 'X'
	case kindLens:
		return 'C'
	case kindInternal:
		return 'I'
	case kindAviation:
		return 'V'
	}
	return 'P'
}

// planEpisodes draws the drift and zero-run episodes of a worker, and the
// dosimeter serials.
func (g *generator) planEpisodes(w *worker) {
	for ei, em := range w.emps {
		for _, ks := range em.kinds {
			ks.serial = fmt.Sprintf("%s-%c%07d%d", g.ests[em.est].lab, serialLetter(ks.exp.kind), w.idx, ei)
		}
	}
	em := w.emps[0]
	main := mainKind(em)
	if main == nil || !main.exposed {
		return
	}
	span := em.to - em.from
	// A family drifts and zero-runs badges only: computed aircrew doses
	// neither drift nor go unworn (the reference keeps its draws).
	badge := g.fs.labs == nil || main.exp.kind != kindAviation
	if badge && main.exp.median >= 0.3 && span >= 8 && w.rng.Float64() < g.fs.r.drift {
		n := 6 + w.rng.IntN(7)
		months := n * main.period
		lo := em.from + min(6, span/3)
		if em.to-months > lo {
			endFactor := 3 + 2*w.rng.Float64()
			gg := math.Min(1.25, math.Max(1.05, math.Pow(endFactor, 1/float64(n))))
			w.episode = &episode{label: LabelDrift, kind: main.exp.kind, quantity: quantityOf(main.exp.kind),
				start: alignPeriod(g, lo+w.rng.IntN(em.to-months-lo), main.period), n: n, g: gg, est: em.est}
		}
	}
	zeroRun := g.ctxs[em.ctx].zeroRun || (g.fs.fam.ZeroRunAll && main.exp.median >= 0.3)
	if badge && zeroRun && w.episode == nil && span >= 6 && w.rng.Float64() < g.fs.r.zeroRun {
		n := 4 + w.rng.IntN(5)
		months := n * main.period
		lo := em.from + min(3, span/3)
		if em.to-months > lo {
			w.episode = &episode{label: LabelZeroRun, kind: main.exp.kind, quantity: quantityOf(main.exp.kind),
				start: alignPeriod(g, lo+w.rng.IntN(em.to-months-lo), main.period), n: n, g: 1, est: em.est}
		}
	}
}

// alignPeriod moves window month m to the start of its wearing period.
func alignPeriod(g *generator, m, period int) int {
	if period == 1 {
		return m
	}
	cal := int(g.month(m).Month()) - 1
	return m + (period-cal%period)%period
}

// mainKind is the employment's kind with the largest median dose among the
// passive external ones.
func mainKind(em *employment) *kindState {
	var best *kindState
	for _, ks := range em.kinds {
		if ks.exp.kind == kindInternal {
			continue
		}
		if best == nil || ks.exp.median > best.exp.median {
			best = ks
		}
	}
	return best
}

func (g *generator) write(w *csv.Writer, rec []string) {
	_ = w.Write(rec) // errors are sticky and reported by Flush
}

// label writes one row of labels.csv.
func (g *generator) label(kind, scope string, w *worker, e int, typ, q string, debut, fin time.Time, trueUSv, recUSv string, onset time.Time) {
	g.labelID++
	g.write(g.labels, []string{strconv.Itoa(g.labelID), kind, scope, w.nir, g.ests[e].siret, typ, q,
		debut.Format(time.DateOnly), fin.Format(time.DateOnly), trueUSv, recUSv, onset.Format(time.DateOnly)})
	g.summary.Labels++
	g.summary.LabelsByKind[kind]++
}

// usv formats a dose in mSv as µSv for labels.
func usv(mSv float64) string {
	return strconv.FormatFloat(math.Round(mSv*1e6)/1e3, 'f', -1, 64)
}

// run generates the window month by month.
func (g *generator) run() error {
	for m := 0; m < g.opts.Months; m++ {
		g.buf = append(g.buf[:0], g.late[m]...)
		delete(g.late, m)
		g.ops = g.ops[:0]
		for _, w := range g.workers {
			g.workerMonth(w, m)
		}
		g.applySwaps()
		sortRows(g.buf, func(r labRow) time.Time { return r.fin })
		for _, r := range g.buf {
			g.writeLab(r)
		}
		sortRows(g.ops, func(r opRow) time.Time { return r.fin })
		for _, r := range g.ops {
			if g.rows != nil {
				g.emitOp(r)
				g.summary.Operational++
				continue
			}
			g.write(g.op, []string{r.w.nir, r.w.nom, r.w.prenom, g.ests[r.est].siret, r.serial,
				r.debut.Format("2006-01-02T15:04:05"), r.fin.Format("2006-01-02T15:04:05"), strconv.FormatInt(r.usv, 10), "µSv"})
			g.summary.Operational++
		}
		if err := g.lab.Error(); err != nil {
			return err
		}
		if g.rowErr != nil {
			return g.rowErr
		}
	}
	// Late results due after the window: they arrive in the last month.
	var rest []labRow
	for m := g.opts.Months; m < g.opts.Months+4; m++ {
		rest = append(rest, g.late[m]...)
	}
	for _, r := range rest {
		g.writeLab(r)
	}
	for _, w := range g.workers {
		g.closeEpisodes(w, true)
	}
	return nil
}

func (g *generator) writeLab(r labRow) {
	if g.rows != nil {
		g.emitLab(r)
		g.summary.LabResults++
		return
	}
	g.write(g.lab, []string{r.w.nir, r.w.nom, r.w.prenom, r.w.birth.Format(time.DateOnly), g.ests[r.est].siret,
		r.serial, r.kind, r.q, r.debut.Format(time.DateOnly), r.fin.Format(time.DateOnly), g.labText(r), r.unit, r.nuclide, r.comment})
	g.summary.LabResults++
}

// employmentAt returns the employment covering window month m.
func (w *worker) employmentAt(m int) *employment {
	for _, em := range w.emps {
		if em.from <= m && m < em.to {
			return em
		}
	}
	return nil
}

// yearDoses draws the true monthly doses of a calendar year for one kind.
func (g *generator) yearDoses(w *worker, em *employment, ks *kindState, year int) {
	rng := w.rng
	if w.baseYear != year {
		if w.baseYear < 0 {
			w.base = rng.NormFloat64()
		} else {
			w.base = rho*w.base + math.Sqrt(1-rho*rho)*rng.NormFloat64()
		}
		w.baseYear = year
	}
	z, ok := w.own[ks.exp.kind+strconv.Itoa(year)]
	if !ok {
		prev, had := w.own[ks.exp.kind+strconv.Itoa(year-1)]
		if had {
			z = rho*prev + math.Sqrt(1-rho*rho)*rng.NormFloat64()
		} else {
			z = rng.NormFloat64()
		}
		w.own[ks.exp.kind+strconv.Itoa(year)] = z
		delete(w.own, ks.exp.kind+strconv.Itoa(year-1))
	}
	x := ks.exp
	c := g.ctxs[em.ctx]
	zz := baseWeight*w.base + math.Sqrt(1-baseWeight*baseWeight)*z
	annual := x.median * math.Exp(x.sigma*zz)
	if x.season == seasonSolar {
		annual *= 1 + 0.2*math.Sin(2*math.Pi*(float64(year)-2023)/11) // neutral in 2023
	}
	weights := g.seasonWeights(rng, x.season, g.ests[em.est].site, year)
	sw := sigmaW
	if c.sigmaW > 0 {
		sw = c.sigmaW
	}
	sum := 0.0
	for i := range ks.months {
		eps := math.Exp(-sw*sw/2 + sw*rng.NormFloat64())
		ks.months[i] = annual * weights[i] * eps
		sum += ks.months[i]
	}
	if x.cap > 0 && sum > x.cap {
		target := x.cap * (0.85 + 0.15*rng.Float64())
		if !x.hard {
			target = x.cap * (0.8 + 0.25*rng.Float64())
		}
		for i := range ks.months {
			ks.months[i] *= target / sum
		}
	}
	if !ks.exposed {
		ks.months = [12]float64{}
	}
	ks.year = year
}

// seasonWeights returns the 12 monthly weights of a year, summing to 1.
func (g *generator) seasonWeights(rng *rand.Rand, s season, site, year int) [12]float64 {
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
	case seasonOutage, seasonMild:
		o := g.outage(site, year)
		share := o.share
		if s == seasonMild {
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

// outage returns the refuelling outage of a nuclear site in a year: 1–3
// months carrying 60–80 % of the contractors' annual dose.
func (g *generator) outage(site, year int) outage {
	key := [2]int{site, year}
	if o, ok := g.outages[key]; ok {
		return o
	}
	rng := rand.New(rand.NewPCG(g.seed^0x07a6e, uint64(site)<<16|uint64(year)))
	o := outage{first: rng.IntN(12), k: 1 + rng.IntN(3), share: 0.6 + 0.2*rng.Float64()}
	g.outages[key] = o
	return o
}
