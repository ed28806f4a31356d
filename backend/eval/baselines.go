package eval

import (
	"fmt"
	"math"
	"sort"

	"github.com/siseri/siseri/backend/synth"
)

// BaselineScore is a baseline's score at one threshold.
type BaselineScore struct {
	Threshold       float64 `json:"threshold"`
	Alerts          int     `json:"alerts"`
	TruePos         int     `json:"true_alerts"`
	FalsePos        int     `json:"false_alerts"`
	Precision       float64 `json:"precision"`
	Recall          float64 `json:"recall"`
	F1              float64 `json:"f1"`
	FalseAlertsPerK float64 `json:"false_alerts_per_1000_worker_months"`
	// KindRecall is the share of each kind's labels the baseline's alerts touch.
	KindRecall map[string]float64 `json:"kind_recall"`
}

// Baseline is a baseline at the detector's false-alert budget (the
// top-level numbers) and at its nominal threshold.
type Baseline struct {
	Name string `json:"name"`
	BaselineScore
	Nominal BaselineScore `json:"nominal"`
}

// baselineDef scores a record (higher: more suspicious; 0: never alerts)
// and gives the nominal threshold.
type baselineDef struct {
	key, name string
	nominal   float64
	score     func(r *doseNode) float64
}

func isDose(r *doseNode) bool {
	return r.Status == statusMeasured && r.ValueUsv > 0
}

// monthlyLimit returns the pro-rata limit per month of a record's kind, in µSv.
func monthlyLimit(r *doseNode) float64 {
	switch r.MonitoringKind {
	case "EXTREMITY", "SKIN":
		return 500000.0 / 12
	}
	return 20000.0 / 12
}

func (s *scoring) baselineDefs() []baselineDef {
	var all, logs []float64
	for _, r := range s.records {
		if r.Status == statusAbsent {
			continue
		}
		all = append(all, float64(r.ValueUsv))
		if isDose(r) {
			logs = append(logs, math.Log(float64(r.ValueUsv)))
		}
	}
	mean, sd := meanSD(all)
	med, mad := medianMAD(logs)
	ctxPct := s.contextPercentiles()
	return []baselineDef{
		{"B0", "seuil fixe (corps entier > 1 mSv/mois, extrémités > 500/12, cristallin > 20/12)", 1, func(r *doseNode) float64 {
			if !isDose(r) {
				return 0
			}
			per := monthlyLimit(r)
			if per == 20000.0/12 && r.MonitoringKind != "LENS" {
				per = 1000
			}
			return float64(r.ValueUsv) / (per * float64(monthsSpan(r.PeriodStart, r.PeriodEnd)))
		}},
		{"B1", "niveau d'investigation (3/10 de la limite au prorata)", 1, func(r *doseNode) float64 {
			if !isDose(r) {
				return 0
			}
			return float64(r.ValueUsv) / (0.3 * monthlyLimit(r) * float64(monthsSpan(r.PeriodStart, r.PeriodEnd)))
		}},
		{"B2", "z global sur la dose brute", 3, func(r *doseNode) float64 {
			if !isDose(r) || sd == 0 {
				return 0
			}
			return (float64(r.ValueUsv) - mean) / sd
		}},
		{"B3", "z robuste global sur le logarithme de la dose", 3.5, func(r *doseNode) float64 {
			if !isDose(r) || mad == 0 {
				return 0
			}
			return (math.Log(float64(r.ValueUsv)) - med) / (1.4826 * mad)
		}},
		{"B4", "centile dans le contexte seul (sans historique ni règles)", 0.999, func(r *doseNode) float64 {
			return ctxPct[r.ID]
		}},
	}
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	var sum, sq float64
	for _, x := range xs {
		sum += x
	}
	m := sum / float64(len(xs))
	for _, x := range xs {
		sq += (x - m) * (x - m)
	}
	return m, math.Sqrt(sq / float64(len(xs)))
}

func medianMAD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	med := s[len(s)/2]
	dev := make([]float64, len(s))
	for i, x := range s {
		dev[i] = math.Abs(x - med)
	}
	sort.Float64s(dev)
	return med, dev[len(dev)/2]
}

// contextPercentiles returns each non-zero dose's mid-rank percentile among
// the non-zero doses of its context (sector × job × kind × period length;
// kind × period length when the context is unknown or has fewer than 30
// non-zero doses), computed on all records (hindsight favours the baseline).
func (s *scoring) contextPercentiles() map[int]float64 {
	groups := map[string][]*doseNode{}
	kindKey := func(r *doseNode) string {
		return fmt.Sprintf("K|%s|%d", r.MonitoringKind, monthsSpan(r.PeriodStart, r.PeriodEnd))
	}
	fineKey := func(r *doseNode) string {
		if r.SectorCode == nil || r.JobCode == nil {
			return ""
		}
		return fmt.Sprintf("J|%s|%s|%s", *r.SectorCode, *r.JobCode, kindKey(r))
	}
	for _, r := range s.records {
		if !isDose(r) {
			continue
		}
		groups[kindKey(r)] = append(groups[kindKey(r)], r)
		if k := fineKey(r); k != "" {
			groups[k] = append(groups[k], r)
		}
	}
	pct := map[string]map[int]float64{}
	for k, rs := range groups {
		sort.Slice(rs, func(i, j int) bool { return rs[i].ValueUsv < rs[j].ValueUsv })
		m := map[int]float64{}
		n := len(rs)
		for i := 0; i < n; {
			j := i
			for j < n && rs[j].ValueUsv == rs[i].ValueUsv {
				j++
			}
			mid := (float64(i) + float64(j-i)/2) / float64(n)
			for _, r := range rs[i:j] {
				// A tiny term in the dose breaks ties between contexts.
				m[r.ID] = mid + 1e-12*float64(r.ValueUsv)
			}
			i = j
		}
		pct[k] = m
	}
	out := map[int]float64{}
	for _, r := range s.records {
		if !isDose(r) {
			continue
		}
		if k := fineKey(r); k != "" && len(groups[k]) >= 30 {
			out[r.ID] = pct[k][r.ID]
			continue
		}
		out[r.ID] = pct[kindKey(r)][r.ID]
	}
	return out
}

type candidate struct {
	score   float64
	tp      bool
	neutral bool
	labels  []*label
}

// baselines scores B0–B4 on the labels of g, at the detector's false-alert
// budget and at their nominal thresholds.
func (s *scoring) baselines(budget float64, g group) []Baseline {
	var out []Baseline
	allowed := int(math.Floor(budget*float64(s.wm)/1000 + 1e-9))
	for _, def := range s.baselineDefs() {
		var cands []candidate
		for _, r := range s.records {
			sc := def.score(r)
			if sc <= 0 || s.w.index(r.PeriodEnd) < s.warmup {
				continue
			}
			a := &alert{nir: s.nirOf[r.WorkerID], start: r.PeriodStart, end: r.PeriodEnd, month: s.w.index(r.PeriodEnd), scored: true}
			c := candidate{score: sc}
			for _, l := range s.labelsOf(a.nir) {
				if l.matches(a) {
					if l.scored && l.kind != synth.LabelMislabel && g.label(l) {
						c.tp = true
						c.labels = append(c.labels, l)
					} else {
						c.neutral = true
					}
				}
			}
			if c.tp {
				c.neutral = false
			}
			cands = append(cands, c)
		}
		sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
		// At the budget: take groups of equal score while false alerts fit.
		fp, cut := 0, 0
		for i := 0; i < len(cands); {
			j, gfp := i, 0
			for j < len(cands) && cands[j].score == cands[i].score {
				if !cands[j].tp && !cands[j].neutral {
					gfp++
				}
				j++
			}
			if fp+gfp > allowed {
				break
			}
			fp += gfp
			cut = j
			i = j
		}
		b := Baseline{Name: def.name}
		thr := math.Inf(1)
		if cut > 0 {
			thr = cands[cut-1].score
		}
		b.BaselineScore = s.baselineScore(cands[:cut], thr, g)
		n := sort.Search(len(cands), func(i int) bool { return cands[i].score < def.nominal })
		b.Nominal = s.baselineScore(cands[:n], def.nominal, g)
		b.Name = def.key + " — " + def.name
		out = append(out, b)
	}
	return out
}

func (s *scoring) baselineScore(sel []candidate, thr float64, g group) BaselineScore {
	bs := BaselineScore{Threshold: thr, KindRecall: map[string]float64{}}
	if math.IsInf(thr, 1) {
		bs.Threshold = 0
	}
	hit := map[*label]bool{}
	for _, c := range sel {
		switch {
		case c.tp:
			bs.TruePos++
			bs.Alerts++
			for _, l := range c.labels {
				hit[l] = true
			}
		case !c.neutral:
			bs.FalsePos++
			bs.Alerts++
		}
	}
	total, perKind, perHit := 0, map[string]int{}, map[string]int{}
	for _, l := range s.labels {
		if !l.scored || l.kind == synth.LabelMislabel || !g.label(l) {
			continue
		}
		total++
		perKind[l.kind]++
		if hit[l] {
			perHit[l.kind]++
		}
	}
	bs.Precision, bs.Recall, bs.F1 = prf(bs.TruePos, bs.FalsePos, len(hit), total)
	for k, n := range perKind {
		bs.KindRecall[k] = float64(perHit[k]) / float64(n)
	}
	if s.wm > 0 {
		bs.FalseAlertsPerK = float64(bs.FalsePos) / float64(s.wm) * 1000
	}
	return bs
}
