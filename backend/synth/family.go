package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Family names.
const (
	FamilyReference = "reference"
	FamilyTerrainA  = "terrain-a"
	FamilyTerrainB  = "terrain-b"
)

// Family is a named parameter set of the generator. The reference family is
// the calibrated population the detector was developed on; the held-out
// families (terrain-a, terrain-b) draw their own parameter values from
// ParamSeed and add what field data has and the reference lacks (see the
// package comment). A zero field keeps the reference behaviour.
type Family struct {
	Name string
	// SeedSalt is mixed into Options.Seed so that a family's workers are not
	// the reference's workers with other parameters (0: the seed as given).
	SeedSalt uint64
	// ParamSeed draws the family's own parameter values (context medians and
	// σ_w, laboratory profiles), the same for every Options.Seed.
	ParamSeed uint64
	// MedianSpread: each context's medians are multiplied by one log-uniform
	// factor in [1/MedianSpread, MedianSpread] (≤ 1: unchanged).
	MedianSpread float64
	// SigmaW is the range of the per-month noise σ_w drawn per context
	// (zero: 0.8, or the context's own).
	SigmaW [2]float64
	// P0Shift is the range of the shift of each context's share of
	// unexposed workers p0 (clamped to [0, 0.97]).
	P0Shift float64
	// AnomalyScale multiplies the rates of injected point and episode
	// anomalies (≤ 0: 1), except missing results and mislabels.
	AnomalyScale float64
	// Rates replaces the rate of a label kind (after AnomalyScale); the
	// unit of each rate is the reference's (see gen.go).
	Rates map[string]float64
	// MislabelSameSector is the share of mislabels that keep the sector and
	// declare another job of it; the others declare a context of another
	// sector whose typical dose differs at least fourfold.
	MislabelSameSector float64
	// NoSector and NoJob are the expected shares of employments declared
	// without sector nor job, and with a sector but no job.
	NoSector, NoJob float64
	// LabVariants gives every laboratory its own recording threshold,
	// rounding step, unit, decimal separator and digits, "M" or "0" below
	// the threshold, and wearing period for category B.
	LabVariants bool
	// DeviceChanges laboratories change dosimeter model during the window:
	// their recording threshold changes from a month on.
	DeviceChanges int
	// EstShift is the share of establishments whose doses change for all
	// their workers from a month on (×0.4–×2.5).
	EstShift float64
	// Campaigns contexts a year have their doses tripled for everyone over
	// 2–3 consecutive months.
	Campaigns int
	// VisibleSwaps is the share of swapped dosimeters exchanged between
	// workers whose levels clearly differ.
	VisibleSwaps float64
	// ZeroRunAll extends "badge not worn" zero runs to every exposed worker
	// with a main median ≥ 0.3 mSv, not only PIR and nuclear medicine.
	ZeroRunAll bool
	// DiscrepancyMin is the true monthly dose (mSv) from which a passive /
	// operational discrepancy may be injected (zero: 0.8).
	DiscrepancyMin float64
}

// families are the known families, reference first.
var families = []Family{
	{Name: FamilyReference},
	{
		Name: FamilyTerrainA, SeedSalt: 0x7e44a1, ParamSeed: 0xa11ce,
		MedianSpread: 2, SigmaW: [2]float64{0.6, 1.1}, P0Shift: 0.1,
		AnomalyScale: 12, MislabelSameSector: 0.4,
		Rates:    map[string]float64{LabelUnitError: 6e-3, LabelDrift: 0.15, LabelMissing: 0.02, LabelMislabel: 0.03, LabelDiscrepancy: 0.12},
		NoSector: 0.20, NoJob: 0.13,
		LabVariants: true, DeviceChanges: 2, EstShift: 0.08, Campaigns: 2,
		VisibleSwaps: 0.6, ZeroRunAll: true, DiscrepancyMin: 0.25,
	},
	{
		Name: FamilyTerrainB, SeedSalt: 0x7e44b2, ParamSeed: 0xb0b,
		MedianSpread: 2, SigmaW: [2]float64{0.5, 1.25}, P0Shift: 0.15,
		AnomalyScale: 10, MislabelSameSector: 0.5,
		Rates:    map[string]float64{LabelUnitError: 7e-3, LabelDrift: 0.16, LabelZeroRun: 0.18, LabelMissing: 0.05, LabelMislabel: 0.03, LabelDiscrepancy: 0.15},
		NoSector: 0.15, NoJob: 0.18,
		LabVariants: true, DeviceChanges: 3, EstShift: 0.12, Campaigns: 3,
		VisibleSwaps: 0.5, ZeroRunAll: true, DiscrepancyMin: 0.4,
	},
}

// Families returns the names of the known families, reference first.
func Families() []string {
	out := make([]string, len(families))
	for i, f := range families {
		out[i] = f.Name
	}
	return out
}

// LookupFamily returns the family named name ("" is the reference).
func LookupFamily(name string) (Family, error) {
	if name == "" {
		name = FamilyReference
	}
	for _, f := range families {
		if f.Name == name {
			return f, nil
		}
	}
	return Family{}, fmt.Errorf("synth: unknown family %q (known: %s)", name, strings.Join(Families(), ", "))
}

// rates are the anomaly rates of a generation.
type rates struct {
	unit, beam, swap, contamination, drift, zeroRun, missing, discrepancy, mislabel float64
	discrepancyMin                                                                  float64
}

func (f Family) rates() rates {
	r := rates{unit: rateUnit, beam: rateBeam, swap: rateSwap, contamination: rateContamination, drift: rateDrift,
		zeroRun: rateZeroRun, missing: rateMissing, discrepancy: rateDiscrepancy, mislabel: rateMislabel, discrepancyMin: 0.8}
	if s := f.AnomalyScale; s > 0 {
		r.unit *= s
		r.beam *= s
		r.swap *= s
		r.contamination *= s
		r.drift *= s
		r.zeroRun *= s
		r.discrepancy *= s
	}
	for k, v := range f.Rates {
		switch k {
		case LabelUnitError:
			r.unit = v
		case LabelBeam:
			r.beam = v
		case LabelSwap:
			r.swap = v
		case LabelContamination:
			r.contamination = v
		case LabelDrift:
			r.drift = v
		case LabelZeroRun:
			r.zeroRun = v
		case LabelMissing:
			r.missing = v
		case LabelDiscrepancy:
			r.discrepancy = v
		case LabelMislabel:
			r.mislabel = v
		}
	}
	if f.DiscrepancyMin > 0 {
		r.discrepancyMin = f.DiscrepancyMin
	}
	return r
}

// contextTable returns the family's contexts: the reference table with each
// context's medians, p0 and σ_w redrawn from ParamSeed.
func (f Family) contextTable() [numContexts]context {
	out := contexts
	if f.MedianSpread <= 1 && f.SigmaW[1] == 0 && f.P0Shift == 0 {
		return out
	}
	rng := rand.New(rand.NewPCG(f.ParamSeed, 1))
	for i := range out {
		c := &out[i]
		mult := 1.0
		if f.MedianSpread > 1 {
			mult = math.Exp((2*rng.Float64() - 1) * math.Log(f.MedianSpread))
		}
		shift := (2*rng.Float64() - 1) * f.P0Shift
		c.exp = slices.Clone(c.exp)
		for j := range c.exp {
			x := &c.exp[j]
			x.median *= mult
			if x.kind != kindAviation {
				x.p0 = math.Min(0.97, math.Max(0, x.p0+shift))
			}
		}
		if f.SigmaW[1] > 0 && c.sigmaW == 0 { // aircrew keeps its computed-dose noise
			c.sigmaW = f.SigmaW[0] + rng.Float64()*(f.SigmaW[1]-f.SigmaW[0])
		}
	}
	return out
}

// labProfile is how a laboratory reports (LabVariants): its recording
// threshold and rounding step for Hp(10) and Hp(3) (Hp(0.07) uses five times
// the threshold and at least 0.1 mSv steps), unit, decimal comma, fixed
// decimals (0: shortest), "0" instead of "M" below the threshold, and the
// wearing period of category B workers. From window month change on (−1:
// never), a new dosimeter model records from threshold2.
type labProfile struct {
	threshold, step float64
	unit            string
	comma           bool
	decimals        int
	zeroBelow       bool
	periodB         int
	change          int
	threshold2      float64
}

var (
	labThresholds = []float64{0.05, 0.10, 0.20}
	labSteps      = []float64{0.01, 0.05, 0.1}
)

// labProfiles draws the profile of every laboratory from ParamSeed, and the
// device changes from the generation's seed (their month depends on the
// window).
func (f Family) labProfiles(seed uint64, months int) map[string]labProfile {
	if !f.LabVariants {
		return nil
	}
	// Each variant is dealt to the laboratories in a random order, so that
	// every variant is used by some laboratory (and most by a large one).
	rng := rand.New(rand.NewPCG(f.ParamSeed, 2))
	n := len(laboratories)
	deal := func() []int { return rng.Perm(n) }
	profiles := make([]labProfile, n)
	for i, p := range deal() {
		profiles[i].threshold, profiles[i].change = labThresholds[p%3], -1
	}
	for i, p := range deal() {
		profiles[i].step = labSteps[p%3]
	}
	for i, p := range deal() {
		profiles[i].unit = []string{"mSv", "µSv", "mSv"}[p%3]
	}
	for i, p := range deal() {
		profiles[i].comma = p%2 == 0
	}
	for i, p := range deal() {
		profiles[i].decimals = []int{0, 2, 0, 3}[p%4]
	}
	for i, p := range deal() {
		profiles[i].zeroBelow = p%2 == 1
	}
	for i, p := range deal() {
		profiles[i].periodB = []int{3, 2, 1}[p%3]
	}
	out := map[string]labProfile{}
	for i, l := range laboratories {
		out[l[0]] = profiles[i]
	}
	crng := rand.New(rand.NewPCG(seed^0xde71ce, 3))
	order := crng.Perm(len(laboratories))
	for _, i := range order[:min(f.DeviceChanges, len(order))] {
		code := laboratories[i][0]
		p := out[code]
		p.change = months/4 + crng.IntN(max(1, months/2))
		for p.threshold2 = p.threshold; p.threshold2 == p.threshold; {
			p.threshold2 = labThresholds[crng.IntN(3)]
		}
		out[code] = p
	}
	return out
}

// estShift is a legitimate level change of an establishment from a month on.
type estShift struct {
	from   int
	factor float64
}

// campaign is a seasonal campaign of a context: its doses triple over k
// months from calendar month first (0 = January).
type campaign struct{ first, k int }

// familyState is what a generation draws from its family.
type familyState struct {
	fam      Family
	r        rates
	labs     map[string]labProfile
	noDecl   []float64        // per establishment: factor on NoSector / NoJob
	shifts   map[int]estShift // per establishment
	campaign map[[2]int]campaign
}

func familySalt(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// planFamily draws the establishment-level variants once the establishments
// are known.
func (g *generator) planFamily() {
	f := g.fs.fam
	if f.NoSector == 0 && f.NoJob == 0 && f.EstShift == 0 && f.Campaigns == 0 {
		return
	}
	rng := rand.New(rand.NewPCG(g.seed^familySalt(f.Name), 4))
	g.fs.noDecl = make([]float64, len(g.ests))
	g.fs.shifts = map[int]estShift{}
	for i := range g.ests {
		g.fs.noDecl[i] = 0.7 + 0.6*rng.Float64() // employers differ; the mean is 1
		if rng.Float64() < f.EstShift && g.opts.Months >= 6 {
			s := estShift{from: 3 + rng.IntN(g.opts.Months-5)}
			for s.factor = 1; math.Abs(math.Log(s.factor)) < math.Log(1.5); {
				s.factor = 0.4 * math.Exp(rng.Float64()*math.Log(2.5/0.4))
			}
			g.fs.shifts[i] = s
		}
	}
	g.fs.campaign = map[[2]int]campaign{}
	var eligible []int
	for i, c := range g.ctxs {
		if c.exp[0].kind != kindAviation {
			eligible = append(eligible, i)
		}
	}
	last := g.month(g.opts.Months - 1).Year()
	for y := g.opts.Start.Year(); y <= last; y++ {
		for _, i := range rng.Perm(len(eligible))[:min(f.Campaigns, len(eligible))] {
			g.fs.campaign[[2]int{eligible[i], y}] = campaign{first: rng.IntN(12), k: 2 + rng.IntN(2)}
		}
	}
}

// legitFactor is the product of the legitimate shifts on a true monthly dose
// of a context in an establishment (1 for the reference).
func (g *generator) legitFactor(ctx, e, m int) float64 {
	f := 1.0
	if s, ok := g.fs.shifts[e]; ok && m >= s.from {
		f *= s.factor
	}
	if len(g.fs.campaign) > 0 {
		d := g.month(m)
		if c, ok := g.fs.campaign[[2]int{ctx, d.Year()}]; ok {
			cal := int(d.Month()) - 1
			if (cal-c.first+12)%12 < c.k {
				f *= 3
			}
		}
	}
	return f
}

// record applies the recording threshold and reporting step of the
// establishment's laboratory in window month m.
func (g *generator) record(e int, kind string, m int, mSv float64) (float64, bool) {
	p, ok := g.fs.labs[g.ests[e].lab]
	if !ok {
		return recordValue(kind, mSv)
	}
	level, step := p.threshold, p.step
	if p.change >= 0 && m >= p.change {
		level = p.threshold2
	}
	switch kind {
	case kindAviation, kindInternal:
		return recordValue(kind, mSv)
	case kindExtremity, kindSkin:
		level, step = 5*level, math.Max(step, 0.1)
	}
	if mSv < level {
		return 0, true
	}
	return math.Round(math.Round(mSv/step)*step*1000) / 1000, false
}

// labText writes a row's value as its laboratory does: "0" for "M", fixed
// decimals, decimal comma.
func (g *generator) labText(r labRow) string {
	p, ok := g.fs.labs[g.ests[r.est].lab]
	if !ok || r.value == "ABSENT" {
		return r.value
	}
	v := r.value
	if v == "M" {
		if !p.zeroBelow {
			return v
		}
		v = "0"
	}
	if p.decimals > 0 {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			if s := strconv.FormatFloat(x, 'f', p.decimals, 64); mustParse(s) == x {
				v = s
			}
		}
	}
	if p.comma {
		v = strings.Replace(v, ".", ",", 1)
	}
	return v
}

func mustParse(s string) float64 {
	x, _ := strconv.ParseFloat(s, 64)
	return x
}

// periodB is the wearing period of a category B worker's badge at an
// establishment.
func (g *generator) periodB(e int) int {
	if p, ok := g.fs.labs[g.ests[e].lab]; ok {
		return p.periodB
	}
	return 3
}

// emptyDeclaration draws whether an employment is declared without sector
// and job (2), without job (1) or complete (0).
func (g *generator) emptyDeclaration(w *worker, e int) int {
	f := g.fs.fam
	if f.NoSector == 0 && f.NoJob == 0 {
		return 0
	}
	u := w.rng.Float64() / g.fs.noDecl[e]
	switch {
	case u < f.NoSector:
		return 2
	case u < f.NoSector+f.NoJob:
		return 1
	}
	return 0
}

// mislabel chooses the declared sector and job of a mislabelled worker whose
// true context is ctx and job job. The reference declares the first job of
// the next context of another sector. A family declares, with probability
// MislabelSameSector, another job of the same sector (doses cannot tell);
// otherwise a context of another sector whose whole-body median differs at
// least fourfold from the true one (the doses contradict it when the worker
// is exposed).
func (g *generator) mislabel(w *worker, ctx int, job string) (sector, declJob string) {
	rng := w.rng
	if g.fs.fam.Name == FamilyReference {
		o := (ctx + 1 + rng.IntN(numContexts-1)) % numContexts
		for contexts[o].sector == contexts[ctx].sector {
			o = (o + 1) % numContexts
		}
		return contexts[o].sector, contexts[o].jobs[0].code
	}
	sec := sectorOf(ctx, job)
	if rng.Float64() < g.fs.fam.MislabelSameSector {
		var jobs []string
		for i, c := range g.ctxs {
			for _, j := range c.jobs {
				if sectorOf(i, j.code) == sec && j.code != job && !slices.Contains(jobs, j.code) {
					jobs = append(jobs, j.code)
				}
			}
		}
		if len(jobs) > 0 {
			return sec, jobs[rng.IntN(len(jobs))]
		}
	}
	ref := g.ctxs[ctx].exp[0].median
	var far []int
	best, bestRatio := -1, 0.0
	for i, c := range g.ctxs {
		if c.sector == contexts[ctx].sector {
			continue
		}
		ratio := math.Abs(math.Log(c.exp[0].median / ref))
		if ratio >= math.Log(4) {
			far = append(far, i)
		}
		if ratio > bestRatio {
			best, bestRatio = i, ratio
		}
	}
	o := best
	if len(far) > 0 {
		o = far[rng.IntN(len(far))]
	}
	j := g.ctxs[o].jobs[rng.IntN(len(g.ctxs[o].jobs))].code
	return sectorOf(o, j), j
}
