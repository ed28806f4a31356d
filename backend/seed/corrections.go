package seed

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/siseri/siseri/ent/doserecord"
)

// correct adds the occupational physicians' corrections: for about one worker
// in 150 (at least 3), plus the demo worker, a measured result is superseded
// by a version 2 from the physician with a reason; the original is kept and
// marked not current. Corrections are appended after every original record.
func (g *doseGen) correct(rng *rand.Rand) {
	limit := g.referenceTime().AddDate(0, 0, -70)
	eligible := func(r *recordPlan) bool {
		return r.version == 1 && r.current && r.source == doserecord.SourceLaboratory &&
			r.status == doserecord.StatusMeasured && r.received.Before(limit) &&
			(r.kind == doserecord.MonitoringKindPassiveWholeBody || r.kind == doserecord.MonitoringKindExtremity)
	}
	originals := len(g.records)
	// The demo worker's badge stayed in the catheterisation room 13 months
	// before the end of the data: 3.40 mSv, corrected by the physician.
	forgotten := g.win.month(g.win.months-12).AddDate(0, 0, -1)
	for i := 0; i < originals; i++ {
		r := &g.records[i]
		if g.ws[r.worker].special == demoWorker && r.kind == doserecord.MonitoringKindPassiveWholeBody && r.end.Equal(forgotten) {
			r.value, r.status = 3400, doserecord.StatusMeasured
			g.supersede(rng, i, 1)
			break
		}
	}
	want := max(3, len(g.ws)/150)
	done := map[int]bool{}
	for n, i := 0, 0; n < want && i < originals; i++ {
		j := rng.IntN(originals)
		r := &g.records[j]
		if !eligible(r) || g.ws[r.worker].special != ordinary || done[r.worker] {
			continue
		}
		// One unit error, then the other reasons in turn. A forgotten dosimeter
		// needs a result well above the worker's usual ones.
		k := 1 + n%(len(correctionReasons)-1)
		if n == 0 {
			k = 0
		}
		if (k == 0 && r.kind != doserecord.MonitoringKindPassiveWholeBody) || (k == 1 && 2*g.previousMean(j, 3) >= r.value) {
			continue
		}
		done[r.worker] = true
		g.supersede(rng, j, k)
		n++
	}
}

// supersede adds a physician's version 2 of record i with reason number k.
func (g *doseGen) supersede(rng *rand.Rand, i, k int) {
	reason := correctionReasons[k]
	value := reason.fix(g, i)
	orig := &g.records[i]
	at := orig.received.AddDate(0, 0, 15+rng.IntN(30)).Add(time.Duration(1+rng.IntN(6)) * time.Hour)
	if limit := g.referenceTime(); at.After(limit) {
		at = limit
	}
	orig.current, orig.supersededAt = false, &at
	c := *orig
	c.version, c.current, c.supersededAt, c.supersedes = 2, true, nil, i
	c.source, c.reason, c.received, c.comment, c.batch = doserecord.SourcePhysician, reason.text, at, "", -1
	c.byPhysician = g.physicianSees(g.ws[c.worker].emps[c.emp].est)
	c.value, c.status = value, doserecord.StatusMeasured
	if value == 0 {
		c.status = doserecord.StatusBelowThreshold
	}
	g.records = append(g.records, c)
}

// batchPlan is one monthly results file of the demo laboratory.
type batchPlan struct {
	at   time.Time
	rows int
}

// batches groups the demo laboratory's original results into one import
// batch per arrival date (one file a month) and links the records to it.
func (g *doseGen) batches() []batchPlan {
	index := map[time.Time]int{}
	var times []time.Time
	for i := range g.records {
		r := &g.records[i]
		if r.lab >= 0 && labSpecs[r.lab].code == demoLab && r.version == 1 {
			if _, ok := index[r.received]; !ok {
				index[r.received] = 0
				times = append(times, r.received)
			}
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	out := make([]batchPlan, len(times))
	for b, t := range times {
		index[t] = b
		out[b].at = t
	}
	for i := range g.records {
		r := &g.records[i]
		if r.lab >= 0 && labSpecs[r.lab].code == demoLab && r.version == 1 {
			r.batch = index[r.received]
			out[r.batch].rows++
		}
	}
	return out
}
