package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/siseri/siseri/ent/doserecord"
)

// demoLab is the laboratory of the labo@ account: its results arrive in
// monthly files, recorded as import batches.
const demoLab = "LANDAUER"

// record turns the monthly doses of one employment and kind into records over
// the wearing periods (months, or calendar quarters), clipped to the
// employment, with the laboratory, dosimeter serial and arrival date.
func (g *doseGen) record(rng *rand.Rand, wi, ei int, kind doserecord.MonitoringKind, monthly []float64) {
	e := g.ws[wi].emps[ei]
	step := periodic(kind, e)
	lab, source := -1, doserecord.SourceLaboratory
	switch kind {
	case doserecord.MonitoringKindAviation:
		source = doserecord.SourceModelling
	case doserecord.MonitoringKindInternal:
		source = doserecord.SourcePhysician
	default:
		lab = g.org.labOf[e.est]
	}
	seg := -1
	for mi := 0; mi < g.win.months; {
		m := g.win.month(mi)
		n := step
		if step == 3 {
			n = 3 - (int(m.Month())-1)%3 // align on calendar quarters
		}
		n = min(n, g.win.months-mi)
		from, to := later(m, e.start), m.AddDate(0, n, -1)
		if e.end != nil && e.end.Before(to) {
			to = *e.end
		}
		sum := 0.0
		for _, d := range monthly[mi : mi+n] {
			sum += d
		}
		mi += n
		if to.Before(from) {
			continue
		}
		r := recordPlan{worker: wi, emp: ei, kind: kind, quantity: quantityOf(kind), start: from, end: to,
			source: source, lab: lab, version: 1, current: true, supersedes: -1, batch: -1}
		r.value, r.status = recorded(kind, sum)
		if kind == doserecord.MonitoringKindInternal && r.status == doserecord.StatusMeasured {
			r.radionuclide = radionuclide(rng, estSpecs[e.est].dom)
		}
		r.byPhysician = source == doserecord.SourcePhysician && g.physicianSees(e.est)
		if lab >= 0 {
			if seg < 0 {
				seg = g.newSegment(wi, ei, kind, lab, from)
			}
			r.serial = g.segments[seg].serial
			if rng.Float64() < pAbsent && g.ws[wi].special == ordinary {
				r.value, r.status = 0, doserecord.StatusAbsent
				r.comment = "Absence de résultat déclarée par le laboratoire : dosimètre non retourné dans les délais."
				// The lost dosimeter is retired; a new one is worn from the next period.
				end, retired := to, to.AddDate(0, 0, 20)
				g.segments[seg].end, g.segments[seg].retired = &end, &retired
				seg = -1
			}
		}
		r.received = g.receivedAt(rng, lab, source, to)
		g.records = append(g.records, r)
	}
	if seg >= 0 && e.end != nil {
		end, retired := *e.end, e.end.AddDate(0, 0, 10)
		g.segments[seg].end, g.segments[seg].retired = &end, &retired
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// newSegment starts the wearing of a new dosimeter and returns its index.
func (g *doseGen) newSegment(wi, ei int, kind doserecord.MonitoringKind, lab int, start time.Time) int {
	g.segments = append(g.segments, serialSeg{worker: wi, emp: ei, kind: kind, lab: lab, serial: g.nextSerial(lab), start: start})
	return len(g.segments) - 1
}

// nextSerial returns a new serial number of the laboratory: its prefix and
// seven digits, unique (7919 is prime to 9,000,000).
func (g *doseGen) nextSerial(lab int) string {
	g.serials++
	return fmt.Sprintf("%s%07d", labSpecs[lab].prefix, 1_000_000+(g.serials*7919)%9_000_000)
}

// receivedAt returns when a result reached the registry: the demo laboratory
// sends a file on the 12th of each month, the others within 8 to 25 days,
// physicians (internal dosimetry) within one to two months. Nothing arrives
// after the reference date.
func (g *doseGen) receivedAt(rng *rand.Rand, lab int, source doserecord.Source, end time.Time) time.Time {
	var t time.Time
	switch {
	case lab >= 0 && labSpecs[lab].code == demoLab:
		t = time.Date(end.Year(), end.Month()+1, 12, 9, 0, 0, 0, time.UTC)
	case source == doserecord.SourcePhysician:
		t = end.AddDate(0, 0, 30+rng.IntN(30)).Add(time.Duration(8+rng.IntN(9)) * time.Hour)
	default:
		t = end.AddDate(0, 0, 8+rng.IntN(18)).Add(time.Duration(6+rng.IntN(12)) * time.Hour)
	}
	if limit := g.referenceTime(); t.After(limit) {
		t = limit
	}
	return t
}

// referenceTime is the end of the month after the data: nothing happens later.
func (g *doseGen) referenceTime() time.Time {
	return g.win.end.AddDate(0, 1, -1).Add(18 * time.Hour)
}

// physicianSees reports whether the physician demo account follows the
// workers of establishment est.
func (g *doseGen) physicianSees(est int) bool {
	return est == g.org.estByKey[estCardio] || est == g.org.estByKey[estNucMed]
}

func radionuclide(rng *rand.Rand, dom string) string {
	switch dom {
	case domMedical:
		return "I-131"
	case domResearch:
		return "H-3"
	}
	return oneOf(rng, []string{"Pu-239", "Am-241", "Cs-137", "Co-60", "U-234"})
}

// plant writes the planted cases into a special worker's monthly doses (mSv).
// Months are counted back from the end of the data, so any window of at
// least 24 months holds them.
func (g *doseGen) plant(w *workerPlan, kind doserecord.MonitoringKind, monthly []float64) {
	n := g.win.months
	switch {
	case w.special == overLimit && kind == doserecord.MonitoringKindPassiveWholeBody:
		// Two outages 6 months apart, in two calendar years.
		monthly[n-13], monthly[n-12], monthly[n-7], monthly[n-6] = 6.1, 5.35, 4.8, 3.65
	case w.special == ringSpike && kind == doserecord.MonitoringKindExtremity:
		monthly[n-7] = 180 // contaminated ring: far above the usual 3–5 mSv a month
	}
	if w.special == overLimit && kind == doserecord.MonitoringKindPassiveWholeBody {
		// Keep the other months low, so that the planted months make the case.
		for i := range monthly {
			if i != n-13 && i != n-12 && i != n-7 && i != n-6 {
				monthly[i] = min(monthly[i], 0.25)
			}
		}
	}
}

// tuneSpecial finishes the planted cases on the records of worker wi. The
// over-limit worker's whole-body sum over the 12 months ending 6 months before
// the end of the data becomes 20.85 mSv, while each calendar year stays under
// 20 mSv (DOMAIN.md §3.1: only the rolling window shows it). The unit-error
// worker's last result before the final quarter, 0.15 mSv, arrives as
// 150 mSv (µSv read as mSv).
func (g *doseGen) tuneSpecial(wi int) {
	w := g.ws[wi]
	n := g.win.months
	first, last := g.win.month(n-17), g.win.month(n-5).AddDate(0, 0, -1)
	var sum int64
	adjust, unit := -1, -1
	for i := len(g.records) - 1; i >= 0 && g.records[i].worker == wi; i-- {
		r := &g.records[i]
		if r.kind != doserecord.MonitoringKindPassiveWholeBody {
			continue
		}
		if !r.end.Before(first) && !r.end.After(last) {
			sum += r.value
		}
		if r.end.Equal(g.win.month(n-11).AddDate(0, 0, -1)) {
			adjust = i
		}
		if unit < 0 && r.end.Before(g.win.month(n-3)) {
			unit = i
		}
	}
	switch {
	case w.special == overLimit && adjust >= 0:
		r := &g.records[adjust]
		r.value += 20_850 - sum
		r.status, r.comment = doserecord.StatusMeasured, ""
	case w.special == unitError && unit >= 0:
		r := &g.records[unit]
		r.value, r.status, r.comment = 150_000, doserecord.StatusMeasured, ""
	}
}

// correctionReasons are the physicians' reasons, in French, with the rule
// that gives the corrected value.
var correctionReasons = []struct {
	text string
	fix  func(g *doseGen, i int) int64
}{
	{"Erreur d'unité lors de la transmission (µSv transmis comme mSv) : valeur corrigée après vérification auprès du laboratoire.",
		func(g *doseGen, i int) int64 { v := g.records[i].value; g.records[i].value *= 1000; return v }},
	{"Dosimètre oublié dans la salle d'intervention : dose non imputable au travailleur, remplacée par la moyenne de ses trois résultats précédents.",
		func(g *doseGen, i int) int64 { return g.previousMean(i, 3) }},
	{"Dosimètre porté par un collègue pendant une partie de la période : dose réévaluée à partir de la dosimétrie opérationnelle et du planning.",
		func(g *doseGen, i int) int64 { return roundTo(float64(g.records[i].value)*0.4, 50) }},
	{"Dosimètre témoin non retourné : le fond naturel soustrait par défaut était erroné, dose recalculée avec le témoin du site.",
		func(g *doseGen, i int) int64 { return max(0, g.records[i].value-100) }},
}

func roundTo(v float64, step int64) int64 { return int64(math.Round(v/float64(step))) * step }

// previousMean returns the mean of the k records before record i of the same
// worker and kind, rounded to 50 µSv.
func (g *doseGen) previousMean(i, k int) int64 {
	r := g.records[i]
	var sum, n int64
	for j := i - 1; j >= 0 && n < int64(k); j-- {
		p := g.records[j]
		if p.worker != r.worker {
			break
		}
		if p.kind == r.kind && p.status != doserecord.StatusAbsent {
			sum += p.value
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return roundTo(float64(sum)/float64(n), 50)
}
