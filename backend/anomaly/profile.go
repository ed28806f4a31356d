package anomaly

import (
	"fmt"
	"math"
)

// declaredContext flags a worker whose doses contradict, over months, the
// context their employer declared (ANOMALY.md §3.1 « context mislabel »:
// the doses of a nuclear contractor declared as dental staff). One result
// far out is a context outlier; here the worker's usual level itself lies
// beyond the declared context's 99.9th percentile: the median of at least
// ProfileMinNonZero measurable results of the last twelve, all under the
// declared sector and job. Under a lognormal context the median of a worker
// of that context passes its per-dose 99.9th percentile only when the
// worker's own level is more than 3.1 between-worker deviations out
// (fewer than 1 in 1,000 workers), whatever the month-to-month noise. The
// context must be known at the job or sector level: a reference backed off
// to the monitoring kind says nothing of what was declared. The finding is
// one per worker and declared context (its fingerprint), raised when the
// evidence first suffices.
func (c Config) declaredContext(d Dose, ref *Reference, history []Dose) (Finding, bool) {
	if ref == nil || ref.Level > LevelSector || ref.NonZero < c.MinNonZero || ref.P999USv <= 0 || d.Context.Sector == "" || d.Zero {
		return Finding{}, false
	}
	series := append(prior(d, history), d)
	var same []Dose
	for _, h := range series {
		if h.Context.Sector == d.Context.Sector && h.Context.Job == d.Context.Job {
			same = append(same, h)
		}
	}
	if len(same) > 12 {
		same = same[len(same)-12:]
	}
	var logs []float64
	for _, h := range same {
		if !h.Zero && h.USv > 0 {
			logs = append(logs, math.Log(float64(h.USv)))
		}
	}
	if len(logs) < c.ProfileMinNonZero || 2*len(logs) < len(same) {
		return Finding{}, false
	}
	level := math.Exp(median(logs))
	if level <= ref.P999USv || level < floorUSv(d.Context.Kind)/5 {
		return Finding{}, false
	}
	first := same[0]
	f := d.finding(KindMislabel, LayerContext, SeverityLow, level/ref.P999USv,
		fmt.Sprintf("Les doses %s de ce travailleur depuis %s (médiane %s sur %d résultats mesurables parmi ses %d derniers) dépassent le niveau habituel du contexte déclaré %s (99,9e centile %s, médiane %s) : le secteur ou le métier déclaré par l'employeur est probablement inexact.",
			kindLabel(d.Context.Kind), period(first.Start, first.End), mSv(level), len(logs), len(same), ref.Label, mSv(ref.P999USv), mSv(ref.MedianUSv)),
		ref.snapshot(), "declared", d.Context.Sector, d.Context.Job, d.Context.Kind)
	f.Reference["workerMedianUsv"], f.Reference["results"], f.Reference["nonZero"] = round(level, 1), len(same), len(logs)
	f.PeriodStart = first.Start
	for _, h := range same {
		if h.ID != d.ID {
			f.RecordIDs = append(f.RecordIDs, h.ID)
		}
	}
	return f, true
}
