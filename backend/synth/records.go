package synth

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// quantityOf returns the quantity (grandeur) a monitoring kind is read in.
func quantityOf(kind string) string {
	switch kind {
	case kindExtremity, kindSkin:
		return qHp007
	case kindLens:
		return qHp3
	case kindInternal:
		return qE50
	case kindAviation:
		return qE
	}
	return qHp10
}

// recordValue applies the recording threshold and the reporting step of a
// kind to a dose in mSv (ANOMALY.md §3 step 3; DOMAIN.md §2.3): below the
// threshold the result is "M" (below is true, value 0).
func recordValue(kind string, mSv float64) (value float64, below bool) {
	level, step := 0.10, 0.05
	switch kind {
	case kindAviation: // computed dose: no recording threshold
		return math.Round(mSv*100) / 100, false
	case kindExtremity, kindSkin:
		level, step = 0.50, 0.10
	case kindInternal:
		level, step = 0.10, 0.01
	}
	if mSv < level {
		return 0, true
	}
	return math.Round(math.Round(mSv/step)*step*1000) / 1000, false
}

// formatValue writes a recorded dose in the laboratory's unit.
func formatValue(mSv float64, below bool, unit string) string {
	if below {
		return "M"
	}
	if unit == "µSv" {
		return strconv.FormatFloat(math.Round(mSv*1e6)/1e3, 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(mSv*1e6)/1e6, 'f', -1, 64)
}

func (g *generator) unitOf(e int) string {
	if p, ok := g.fs.labs[g.ests[e].lab]; ok {
		return p.unit
	}
	if g.ests[e].lab == microLab {
		return "µSv"
	}
	return "mSv"
}

// logUniform draws from a log-uniform distribution on [lo, hi].
func (w *worker) logUniform(lo, hi float64) float64 {
	return lo * math.Exp(w.rng.Float64()*math.Log(hi/lo))
}

// workerMonth advances a worker by one window month: true doses, operational
// dosimetry, and the passive results of the periods ending this month.
func (g *generator) workerMonth(w *worker, m int) {
	em := w.employmentAt(m)
	if em == nil {
		return
	}
	date := g.month(m)
	year, mon := date.Year(), int(date.Month())
	c := g.ctxs[em.ctx]
	legit := g.legitFactor(em.ctx, em.est, m)
	for _, ks := range em.kinds {
		if ks.year != year {
			g.yearDoses(w, em, ks, year)
		}
		d := ks.months[mon-1] * legit
		ks.acc += d
		if c.zone && ks.exp.kind == kindWB && ks.exposed {
			factor := 1.0
			ks.discrep = false
			if ks.period == 1 && d >= g.fs.r.discrepancyMin && w.rng.Float64() < g.fs.r.discrepancy && !g.inEpisode(w, em, ks, m) {
				factor, ks.discrep = 0.02, true // operational dosimeter left in the locker
			}
			ks.opUSv = g.operational(w, em, m, d, factor)
		}
		if m == em.to-1 || m == g.opts.Months-1 || mon%ks.period == 0 {
			g.closePeriod(w, em, ks, m)
		}
	}
}

// inEpisode reports whether the wearing period of kind ks holding month m
// belongs to the worker's drift or zero-run episode.
func (g *generator) inEpisode(w *worker, em *employment, ks *kindState, m int) bool {
	ep := w.episode
	return ep != nil && ep.kind == ks.exp.kind && em == w.emps[0] && m >= ep.start && m < ep.start+ep.n*ks.period
}

// operational writes the weekly operational results of one month (weeks cut
// at the month's bounds) and returns their sum in µSv.
func (g *generator) operational(w *worker, em *employment, m int, trueMSv, factor float64) int64 {
	a := trueMSv * math.Exp(sigmaOp*w.rng.NormFloat64()) * factor * 1000
	first, last := g.month(m), g.monthEnd(m)
	type chunk struct {
		from, to time.Time
		wt       float64
	}
	var chunks []chunk
	sum := 0.0
	for d := first; !d.After(last); {
		end := d
		for end.Weekday() != time.Sunday && end.Before(last) {
			end = end.AddDate(0, 0, 1)
		}
		wt := float64(end.Sub(d).Hours()/24+1) * math.Exp(0.3*w.rng.NormFloat64())
		chunks = append(chunks, chunk{d, end, wt})
		sum += wt
		d = end.AddDate(0, 0, 1)
	}
	var total int64
	serial := fmt.Sprintf("DOP-%07d", w.idx)
	for _, ch := range chunks {
		v := int64(math.Round(a * ch.wt / sum))
		total += v
		g.ops = append(g.ops, opRow{w: w, est: em.est, serial: serial, debut: ch.from,
			fin: ch.to.Add(23*time.Hour + 59*time.Minute + 59*time.Second), usv: v})
	}
	return total
}

// closePeriod emits the result of the wearing period of ks ending in month m,
// with the anomalies injected into it.
func (g *generator) closePeriod(w *worker, em *employment, ks *kindState, m int) {
	debut, fin := g.month(ks.accStart), g.monthEnd(m)
	if ks.accStart == 0 && em.start.After(debut) {
		debut = em.start
	}
	trueD := ks.acc
	ps := ks.accStart
	ks.acc, ks.accStart = 0, m+1
	summed := ks.carrying
	if summed { // the previous period's result was summed into this one
		trueD += ks.carry
		debut = g.month(ks.carryStart)
		ks.carrying = false
	}
	kind, q := ks.exp.kind, quantityOf(ks.exp.kind)
	unit := g.unitOf(em.est)
	rec, below := g.record(em.est, kind, m, trueD)
	row := labRow{w: w, est: em.est, serial: ks.serial, kind: kind, q: q, debut: debut, fin: fin, unit: unit, trueMSv: trueD}
	if kind == kindInternal {
		row.nuclide = g.ctxs[em.ctx].nuclide
	}
	anomalous := false
	measured := trueD // what the badge received, worn or not

	// Episodes: drift multiplies the recorded dose, a zero run records 0.
	if ep := w.episode; ep != nil && !ep.done && ep.kind == kind && em == w.emps[0] && ps >= ep.start && ps < ep.start+ep.n*ks.period {
		k := (ps-ep.start)/ks.period + 1
		if ep.label == LabelZeroRun {
			rec, below, measured = 0, true, 0
		} else {
			measured = trueD * math.Pow(ep.g, float64(k))
			rec, below = g.record(em.est, kind, m, measured)
		}
		if ep.periods == 0 {
			ep.first, ep.onset = debut, fin
		}
		ep.periods++
		ep.last = fin
		ep.trueSum += trueD
		ep.recSum += rec
		if k == ep.n {
			g.closeEpisode(w, ep)
		}
		anomalous = true
	}

	// Missing, late or summed result (ANOMALY.md §3.1, EURADOS 0–10 % lost).
	if !anomalous && !summed && w.rng.Float64() < g.fs.r.missing {
		v := w.rng.Float64()
		switch {
		case v < 0.5: // the laboratory declares the absence of result
			row.value, row.comment = "ABSENT", "absence de résultat"
			g.label(LabelMissing, "record", w, em.est, kind, q, debut, fin, usv(trueD), "", fin)
			g.buf = append(g.buf, row)
		case v < 0.7: // nothing at all
			g.label(LabelMissing, "record", w, em.est, kind, q, debut, fin, usv(trueD), "", fin)
		case v < 0.85: // late: arrives 1–3 months after its period
			row.value, row.recMSv, row.comment = formatValue(rec, below, unit), rec, "résultat transmis en retard"
			g.label(LabelMissing, "record", w, em.est, kind, q, debut, fin, usv(trueD), usv(rec), fin)
			arrive := m + 1 + w.rng.IntN(3)
			g.late[arrive] = append(g.late[arrive], row)
		default: // summed with the next period of the same employment when there is one
			g.label(LabelMissing, "record", w, em.est, kind, q, debut, fin, usv(trueD), "", fin)
			// A family sums only into a period the format accepts (3 months at
			// most); the reference also sums quarters into 6 months.
			if m+ks.period < em.to && m+1 < g.opts.Months && (g.fs.labs == nil || 2*ks.period <= 3) {
				ks.carry, ks.carryStart, ks.carrying = trueD, int(debutMonth(g, debut)), true
			}
		}
		return
	}

	switch {
	case anomalous:
	case kind != kindInternal && !below && rec > 0 && w.rng.Float64() < g.fs.r.unit:
		anomalous = true
		switch {
		case w.rng.Float64() < 0.7: // µSv value sent as mSv
			row.value, row.unit = formatValue(rec*1000, false, "mSv"), "mSv"
			row.recMSv = rec * 1000
		case g.fs.labs == nil: // the reference's ÷1000 (its text is rec/1000 µSv, not rec/1000 mSv: kept as it was)
			row.value, row.unit = formatValue(rec/1000, false, "mSv"), "µSv"
			row.recMSv = rec / 1000
		default: // mSv value sent as µSv
			row.value, row.unit = formatValue(rec, false, "mSv"), "µSv"
			row.recMSv = rec / 1000
		}
		g.label(LabelUnitError, "record", w, em.est, kind, q, debut, fin, usv(trueD), usv(row.recMSv), fin)
	case kind != kindInternal && kind != kindAviation && w.rng.Float64() < g.fs.r.beam:
		anomalous = true
		measured = trueD + w.logUniform(2, 2000)
		rec, below = g.record(em.est, kind, m, measured)
		g.label(LabelBeam, "record", w, em.est, kind, q, debut, fin, usv(trueD), usv(rec), fin)
	case kind == kindExtremity && w.rng.Float64() < g.fs.r.contamination:
		anomalous = true
		rec, below = g.record(em.est, kind, m, math.Max(trueD, 0.5)*w.logUniform(10, 100))
		g.label(LabelContamination, "record", w, em.est, kind, q, debut, fin, usv(trueD), usv(rec), fin)
	case ks.discrep && ks.period == 1:
		anomalous = true
		g.label(LabelDiscrepancy, "record", w, em.est, kind, q, debut, fin, usv(trueD), usv(float64(ks.opUSv)/1000), fin)
	}
	if row.value == "" {
		row.value, row.recMSv = formatValue(rec, below, unit), rec
	}
	if !anomalous && kind != kindInternal && kind != kindAviation {
		row.eligibleSwap = true
		row.swapWant = w.rng.Float64() < g.fs.r.swap
	}
	g.buf = append(g.buf, row)

	// The whole-body badge of nuclear and nuclear-medicine workers is also
	// read in Hp(0.07) (skin), which shows a contamination of the badge.
	if kind == kindWB && g.ctxs[em.ctx].skin {
		skin := measured * math.Exp(math.Log(1.1)+0.1*w.rng.NormFloat64())
		srec, sbelow := g.record(em.est, kindSkin, m, skin)
		if w.rng.Float64() < g.fs.r.contamination {
			srec, sbelow = g.record(em.est, kindSkin, m, math.Max(measured, 0.3)*w.logUniform(10, 100))
			g.label(LabelContamination, "record", w, em.est, kindSkin, qHp007, debut, fin, usv(skin), usv(srec), fin)
		}
		g.buf = append(g.buf, labRow{w: w, est: em.est, serial: ks.serial, kind: kindSkin, q: qHp007, debut: debut, fin: fin,
			unit: unit, value: formatValue(srec, sbelow, unit), recMSv: srec, trueMSv: skin})
	}
}

// debutMonth returns the window month of a period start.
func debutMonth(g *generator, debut time.Time) int {
	s := g.opts.Start
	return (debut.Year()-s.Year())*12 + int(debut.Month()) - int(s.Month())
}

// closeEpisode writes the label of a drift or zero-run episode.
func (g *generator) closeEpisode(w *worker, ep *episode) {
	if ep.done || ep.periods == 0 {
		ep.done = true
		return
	}
	ep.done = true
	// onset: the episode becomes visible at the end of its first period.
	g.label(ep.label, "episode", w, ep.est, ep.kind, ep.quantity, ep.first, ep.last, usv(ep.trueSum), usv(ep.recSum), ep.onset)
}

// closeEpisodes writes the labels of episodes cut by the end of the window or
// of the employment.
func (g *generator) closeEpisodes(w *worker, _ bool) {
	if w.episode != nil {
		g.closeEpisode(w, w.episode)
	}
}

// applySwaps exchanges the results of pairs of workers of the same
// establishment and period (swapped dosimeters).
func (g *generator) applySwaps() {
	for i := range g.buf {
		a := &g.buf[i]
		if !a.swapWant || !a.eligibleSwap {
			continue
		}
		j := -1
		if g.fs.fam.VisibleSwaps > 0 && a.w.rng.Float64() < g.fs.fam.VisibleSwaps {
			j = g.visiblePartner(i)
		}
		for k := i + 1; j < 0 && k < len(g.buf) && k < i+400; k++ {
			if g.swappable(a, &g.buf[k]) {
				j = k
			}
		}
		if j >= 0 {
			b := &g.buf[j]
			a.value, b.value = b.value, a.value
			a.recMSv, b.recMSv = b.recMSv, a.recMSv
			a.eligibleSwap, b.eligibleSwap = false, false
			for _, r := range []*labRow{a, b} {
				g.label(LabelSwap, "record", r.w, r.est, r.kind, r.q, r.debut, r.fin, usv(r.trueMSv), usv(r.recMSv), r.fin)
			}
		}
		a.swapWant = false
	}
}

// swappable reports whether b's result can be exchanged with a's: another
// worker of the same establishment, kind and period, with another value.
func (g *generator) swappable(a, b *labRow) bool {
	return b.eligibleSwap && b.w != a.w && b.est == a.est && b.kind == a.kind && b.fin.Equal(a.fin) && b.debut.Equal(a.debut) && b.value != a.value
}

// visiblePartner returns a row swappable with row i whose level clearly
// differs (the larger recorded dose is ≥ 0.5 mSv and ≥ 4 times the other),
// nearest first, or −1.
func (g *generator) visiblePartner(i int) int {
	a := &g.buf[i]
	for d := 1; d < 2000; d++ {
		for _, j := range [2]int{i + d, i - d} {
			if j < 0 || j >= len(g.buf) || !g.swappable(a, &g.buf[j]) {
				continue
			}
			hi, lo := math.Max(a.recMSv, g.buf[j].recMSv), math.Min(a.recMSv, g.buf[j].recMSv)
			if hi >= 0.5 && hi >= 4*lo {
				return j
			}
		}
	}
	return -1
}
