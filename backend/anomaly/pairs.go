package anomaly

import (
	"fmt"
	"math"
	"slices"
)

// Swapped dosimeters (ANOMALY.md §3.1: « badge worn by another person »):
// two workers of one establishment wear badges of the same kind over the
// same period and their results come back exchanged. Neither value need be
// extreme for its context; what gives the pair away is that each value is
// unusual for its own worker and usual for the other one. The test works on
// the workers' own histories only, so it holds whatever the context's level,
// its seasonality or a shift of the whole establishment (both workers move
// together then, and neither is unusual against the other's history).

// pairLevel is, per monitoring kind, the dose a result below it is read as
// (µSv): laboratories record from 50 to 200 µSv, so what lies under about
// 100 µSv (500 µSv for extremities and skin) carries no level information.
func pairLevel(kind string) float64 {
	switch kind {
	case "EXTREMITY", "SKIN":
		return 500
	}
	return 100
}

// pairBaseline is a worker's usual level of one kind: median and robust
// scale of ln(max(dose, pairLevel)) over their last 12 results, zeros
// included (a worker who records nothing has a level too). The scale is
// never below PairMinScale, the month-to-month spread of one worker's
// doses (σ_w of ANOMALY.md §3): twelve results, many of them at the
// threshold, understate it.
type pairBaseline struct {
	median, scale float64
	n             int
}

func (c Config) pairBaseline(d Dose, history []Dose) (pairBaseline, bool) {
	p := prior(d, history)
	if len(p) > 12 {
		p = p[len(p)-12:]
	}
	if len(p) < c.PairMinHistory {
		return pairBaseline{}, false
	}
	q := pairLevel(d.Context.Kind)
	logs := make([]float64, len(p))
	for i, h := range p {
		logs[i] = math.Log(math.Max(float64(h.USv), q))
	}
	m := median(logs)
	dev := make([]float64, len(logs))
	for i, x := range logs {
		dev[i] = math.Abs(x - m)
	}
	return pairBaseline{median: m, scale: math.Max(1.4826*median(dev), c.PairMinScale), n: len(p)}, true
}

// z is how unusual a dose of usv is for the baseline.
func (b pairBaseline) z(usv int64, kind string) float64 {
	return (math.Log(math.Max(float64(usv), pairLevel(kind))) - b.median) / b.scale
}

// swappedPairs finds, among the batch's doses, pairs of results of one
// establishment, kind, quantity and wearing period that fit each other's
// history far better than their own: each is at least PairMinZ robust
// deviations from its worker's usual level, in opposite directions, within
// PairFitZ of the other worker's, and exchanging them lowers the pair's sum
// of squared deviations (twice its log-likelihood under normal log-doses)
// by at least PairGain plus twice the log of the number of candidate pairs. Each dose is paired at most once,
// best pairs first. Both doses get a HISTORY_JUMP finding that says so.
func (c Config) swappedPairs(batch []Dose, histories map[int][]Dose) []Finding {
	type cand struct {
		d Dose
		b pairBaseline
		z float64
	}
	groups := map[peerKey][]cand{}
	for _, d := range batch {
		switch d.Context.Kind {
		case "INTERNAL", "AVIATION", "RADON", "OPERATIONAL":
			continue // computed or not worn as a badge
		}
		if d.Absent || d.EstablishmentID == 0 {
			continue
		}
		b, ok := c.pairBaseline(d, histories[d.WorkerID])
		if !ok {
			continue
		}
		z := b.z(d.USv, d.Context.Kind)
		if math.Abs(z) < c.PairMinZ {
			continue
		}
		groups[keyOf(d)] = append(groups[keyOf(d)], cand{d, b, z})
	}
	type pair struct {
		hi, lo cand
		fitHi  float64 // the high value against the low worker's history
		fitLo  float64
	}
	var out []Finding
	for _, cs := range groups {
		// The more candidate pairs, the more likely one fits by chance: the
		// gain needed grows by twice the log of their number (a Bonferroni
		// correction of a likelihood-ratio test).
		nHi, nLo := 0, 0
		for _, x := range cs {
			if x.z >= c.PairMinZ {
				nHi++
			} else if x.z <= -c.PairMinZ {
				nLo++
			}
		}
		need := c.PairGain + 2*math.Log(float64(max(1, nHi*nLo)))
		var pairs []pair
		for _, hi := range cs {
			if hi.z < c.PairMinZ {
				continue
			}
			for _, lo := range cs {
				if lo.z > -c.PairMinZ || lo.d.WorkerID == hi.d.WorkerID {
					continue
				}
				fh, fl := lo.b.z(hi.d.USv, hi.d.Context.Kind), hi.b.z(lo.d.USv, lo.d.Context.Kind)
				gain := hi.z*hi.z + lo.z*lo.z - fh*fh - fl*fl
				if math.Abs(fh) <= c.PairFitZ && math.Abs(fl) <= c.PairFitZ && gain >= need {
					pairs = append(pairs, pair{hi, lo, fh, fl})
				}
			}
		}
		// Best fits first; each dose in one pair at most.
		slices.SortFunc(pairs, func(a, b pair) int {
			ca, cb := a.fitHi*a.fitHi+a.fitLo*a.fitLo, b.fitHi*b.fitHi+b.fitLo*b.fitLo
			if ca != cb {
				if ca < cb {
					return -1
				}
				return 1
			}
			return a.hi.d.ID - b.hi.d.ID
		})
		used := map[int]bool{}
		for _, p := range pairs {
			if used[p.hi.d.ID] || used[p.lo.d.ID] {
				continue
			}
			used[p.hi.d.ID], used[p.lo.d.ID] = true, true
			out = append(out, c.swapFinding(p.hi.d, p.hi.b, p.hi.z, p.fitHi, "plus élevé"),
				c.swapFinding(p.lo.d, p.lo.b, p.lo.z, p.fitLo, "plus bas"))
		}
	}
	return out
}

func (c Config) swapFinding(d Dose, b pairBaseline, z, fit float64, direction string) Finding {
	what := fmt.Sprintf("%s de %s en %s", quantityLabel(d.Quantity), mSv(float64(d.USv)), period(d.Start, d.End))
	if d.Zero {
		what = fmt.Sprintf("%s sous le seuil d'enregistrement en %s", quantityLabel(d.Quantity), period(d.Start, d.End))
	}
	return d.finding(KindJump, LayerHistory, SeverityMedium, math.Abs(z),
		fmt.Sprintf("%s : bien %s que d'habitude pour ce travailleur (niveau usuel %s sur ses %d derniers résultats, écart robuste %s), mais conforme à l'historique d'un autre travailleur de l'établissement suivi sur la même période, dont le résultat s'écarte à l'inverse du sien : dosimètres probablement intervertis.",
			upper(what), direction, mSv(math.Exp(b.median)), b.n, decimal(math.Abs(z))),
		map[string]any{"method": "swapped-pair", "workerLevelUsv": round(math.Exp(b.median), 1), "workerLogScale": round(b.scale, 3),
			"robustZ": round(z, 2), "fitToOtherWorker": round(fit, 2), "results": b.n},
		d.naturalKey())
}
