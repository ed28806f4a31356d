package anomaly

import (
	"fmt"
	"math"
	"time"
)

// historyJump flags a dose far above the worker's own usual level.
func (c Config) historyJump(d Dose, history []Dose, what string) (Finding, bool) {
	v := float64(d.USv)
	if d.Zero || v < floorUSv(d.Context.Kind) {
		return Finding{}, false
	}
	base, ok := c.baseline(d, history)
	if !ok {
		return Finding{}, false
	}
	ratio := v / math.Exp(base.median)
	z := (math.Log(v) - base.median) / base.scale
	if ratio < c.JumpRatio || z < c.JumpZ {
		return Finding{}, false
	}
	sev := SeverityMedium
	if ratio >= 50 {
		sev = SeverityHigh
	}
	return d.finding(KindJump, LayerHistory, sev, z,
		fmt.Sprintf("%s : %s la médiane de ce travailleur sur ses 12 derniers résultats (%s), écart robuste de %s.",
			upper(what), times(ratio), mSv(math.Exp(base.median)), decimal(z)),
		map[string]any{"workerMedianUsv": round(math.Exp(base.median), 1), "workerLogScale": round(base.scale, 3),
			"robustZ": round(z, 2), "ratio": round(ratio, 2), "results": base.nonZero},
		d.naturalKey()), true
}

// drift runs a one-sided CUSUM of the worker's standardised log doses of d's
// kind (baseline: their first results) and flags the record at which the sum
// first crosses CusumH, reporting the onset of the rise. When the worker's
// peers (same establishment, kind and period) give a level for nearly every
// period, each dose is read relative to that level: a season or a change of
// the whole establishment moves the peers too and is no drift.
func (c Config) drift(d Dose, history []Dose, peers *Peers) (Finding, bool) {
	series := append(prior(d, history), d)
	var pts []Dose
	for _, h := range series {
		if !h.Zero && h.USv > 0 {
			pts = append(pts, h)
		}
	}
	if len(pts) < 10 || pts[len(pts)-1].ID != d.ID || float64(d.USv) < floorUSv(d.Context.Kind) {
		return Finding{}, false
	}
	nb := max(6, len(pts)/3)
	if nb > 12 {
		nb = 12
	}
	logs := make([]float64, len(pts))
	for i, p := range pts {
		logs[i] = math.Log(float64(p.USv))
	}
	relative := false
	if peers != nil {
		rel := make([]float64, len(pts))
		n := 0
		for i, p := range pts {
			if lvl, ok := peers.Level(p); ok {
				rel[i] = logs[i] - lvl
				n++
			}
		}
		if n == len(pts) {
			logs, relative = rel, true
		}
	}
	m := median(logs[:nb])
	dev := make([]float64, nb)
	for i := range dev {
		dev[i] = math.Abs(logs[i] - m)
	}
	s := math.Max(1.4826*median(dev), c.MinHistoryScale)
	sum, prev := 0.0, 0.0
	onset := -1
	for i := nb; i < len(pts); i++ {
		prev = sum
		// Each result's step is clipped at CusumClip deviations (a Huber
		// CUSUM): one spike, a unit error or a beam, is a jump, and must
		// not make a drift on its own.
		sum = math.Max(0, sum+math.Min((logs[i]-m)/s, c.CusumClip)-c.CusumK)
		if sum == 0 {
			onset = -1
		} else if onset < 0 {
			onset = i
		}
		if i < len(pts)-1 && sum >= c.CusumH {
			return Finding{}, false // already signalled at an earlier record
		}
	}
	// A drift is a sustained rise: the sum must have grown over at least
	// three results (one spike is a jump, not a drift).
	if sum < c.CusumH || prev >= c.CusumH || onset < 0 || len(pts)-onset < 3 {
		return Finding{}, false
	}
	start := pts[onset]
	base := fmt.Sprintf("de %s (médiane de ses premiers résultats) à %s en %s", mSv(math.Exp(m)), mSv(float64(d.USv)), period(d.Start, d.End))
	if relative {
		base = fmt.Sprintf("de %s à %s le niveau médian des autres travailleurs de l'établissement suivis sur les mêmes périodes (%s en %s)",
			times(math.Exp(m)), times(math.Exp(logs[len(logs)-1])), mSv(float64(d.USv)), period(d.Start, d.End))
	}
	f := d.finding(KindDrift, LayerHistory, SeverityMedium, sum,
		fmt.Sprintf("Hausse progressive des doses %s de ce travailleur depuis %s : %s (cumul CUSUM %s).",
			kindLabel(d.Context.Kind), period(start.Start, start.End), base, decimal(sum)),
		map[string]any{"onset": start.Start.Format(time.DateOnly), "baselineMedianUsv": round(math.Exp(m), 1),
			"baselineLogScale": round(s, 3), "cusum": round(sum, 2), "k": c.CusumK, "h": c.CusumH, "relativeToPeers": relative},
		d.Context.Kind, start.Start.Format(time.DateOnly))
	if relative {
		delete(f.Reference, "baselineMedianUsv")
		f.Reference["baselineRatioToPeers"] = round(math.Exp(m), 3)
	}
	f.PeriodStart = start.Start
	for i := onset; i < len(pts); i++ {
		if pts[i].ID != d.ID {
			f.RecordIDs = append(f.RecordIDs, pts[i].ID)
		}
	}
	return f, true
}

// zeroRun flags a run of results below the threshold that the worker's own
// past makes improbable (a dosimeter left in the locker), once, when the
// run's probability first falls below ZeroRunP. The probability of each
// zero is 1 − the worker's share of measurable results over their last 12
// before the run (at least 6, three quarters of them measurable), shrunk
// toward the context's share: their own level is known, so a context whose
// doses are mostly under the threshold does not hide their run. A run that
// the worker's peers share (the median of the others of the establishment,
// kind and period is under the threshold too: a quiet month, a laboratory's
// new threshold) is no run.
func (c Config) zeroRun(d Dose, ref *Reference, history []Dose, peers *Peers) (Finding, bool) {
	if !d.Zero || ref == nil || ref.N < c.MinNonZero {
		return Finding{}, false
	}
	if lvl, ok := peers.Level(d); ok && lvl <= math.Log(pairLevel(d.Context.Kind))+1e-9 {
		return Finding{}, false
	}
	p := prior(d, history)
	run := []Dose{d}
	i := len(p) - 1
	for ; i >= 0 && p[i].Zero; i-- {
		run = append(run, p[i])
	}
	before := p[:i+1]
	if len(before) > 12 {
		before = before[len(before)-12:]
	}
	if len(before) < 6 {
		return Finding{}, false
	}
	nz := 0
	for _, h := range before {
		if !h.Zero {
			nz++
		}
	}
	if 4*nz < 3*len(before) {
		return Finding{}, false
	}
	const k = 4.0
	pnz := (float64(nz) + k*ref.PNonZero) / (float64(len(before)) + k)
	prob := math.Pow(1-pnz, float64(len(run)))
	prev := math.Pow(1-pnz, float64(len(run)-1))
	// Once, at the first result that makes the run improbable, three
	// results long at least.
	if len(run) < 3 || prob >= c.ZeroRunP || (len(run) > 3 && prev < c.ZeroRunP) {
		return Finding{}, false
	}
	first := run[len(run)-1]
	f := d.finding(KindZeroRun, LayerHistory, SeverityMedium, -math.Log10(prob),
		fmt.Sprintf("%d résultats consécutifs sous le seuil d'enregistrement (%s) alors que ce travailleur avait %d doses mesurables sur ses %d résultats précédents (%s des doses %s sont mesurables) : dosimètre peut-être non porté.",
			len(run), period(first.Start, d.End), nz, len(before), percent(ref.PNonZero), ref.Label),
		map[string]any{"run": len(run), "probability": prob, "shareNonZero": round(ref.PNonZero, 3), "workerShareNonZero": round(pnz, 3), "population": ref.Label},
		d.Context.Kind, first.Start.Format(time.DateOnly))
	f.PeriodStart = first.Start
	for _, r := range run[1:] {
		f.RecordIDs = append(f.RecordIDs, r.ID)
	}
	return f, true
}

func decimal(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return replaceDot(s)
}

func percent(p float64) string {
	return replaceDot(fmt.Sprintf("%.0f", p*100)) + " %"
}

func replaceDot(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}
