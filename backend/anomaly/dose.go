package anomaly

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Dose is a dose of record as detection sees it.
type Dose struct {
	ID, WorkerID, EstablishmentID int
	Context                       Context
	Quantity                      string
	Dosimeter                     string
	LaboratoryID                  int
	Start, End                    time.Time
	USv                           int64
	// Zero marks a result below the recording threshold (« M »); Absent an
	// absence of result declared.
	Zero, Absent bool
	// Received is the day the result was received (its date_reception, else
	// the day the registry stored it); zero when unknown.
	Received time.Time
}

// naturalKey identifies the measurement itself, whatever its version.
func (d Dose) naturalKey() string {
	return fmt.Sprintf("%d|%s|%s|%s|%s", d.LaboratoryID, d.Dosimeter, d.Quantity,
		d.Start.Format(time.DateOnly), d.End.Format(time.DateOnly))
}

// floorUSv is the absolute floor under which no statistical finding is
// raised: quantisation near the recording threshold must never alert.
func floorUSv(kind string) float64 {
	switch kind {
	case "EXTREMITY", "SKIN":
		return 5000
	case "INTERNAL":
		return 1000
	}
	return 500
}

func (d Dose) finding(kind Kind, layer Layer, sev Severity, score float64, explanation string, ref map[string]any, identity ...string) Finding {
	return Finding{
		Kind: kind, Layer: layer, Severity: sev, Score: score, WorkerID: d.WorkerID, EstablishmentID: d.EstablishmentID,
		RecordIDs: []int{d.ID}, PeriodStart: d.Start, PeriodEnd: d.End, Explanation: explanation, Reference: ref,
		Identity: identity,
	}
}

func (r *Reference) snapshot() map[string]any {
	if r == nil {
		return nil
	}
	return map[string]any{
		"population": r.Label, "context": r.Key, "level": r.Level.String(), "size": r.N, "nonZero": r.NonZero,
		"shareNonZero": round(r.PNonZero, 3), "medianUsv": round(r.MedianUSv, 1), "p90Usv": round(r.P90USv, 1),
		"p99Usv": round(r.P99USv, 1), "p999Usv": round(r.P999USv, 1), "maxUsv": round(r.MaxUSv, 1),
	}
}

func (l Level) String() string {
	return [...]string{"JOB", "SECTOR", "DOMAIN", "KIND"}[l]
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// CheckDose runs the per-record layers on d: L0 value rules, L2 context and L3
// history. history holds the worker's earlier doses (any kind; those of the
// same kind and quantity, ending before d starts, are used), ref the context
// reference (nil when there is none).
func (c Config) CheckDose(d Dose, ref *Reference, history []Dose) []Finding {
	return c.checkDose(d, ref, history, nil)
}

// checkDose is CheckDose with the worker's peers for the drift (nil: none).
func (c Config) checkDose(d Dose, ref *Reference, history []Dose, peers *Peers) []Finding {
	if d.Absent {
		return nil
	}
	var out []Finding
	v := float64(d.USv)
	what := fmt.Sprintf("%s de %s en %s", quantityLabel(d.Quantity), mSv(v), period(d.Start, d.End))
	if d.USv > 10_000_000 {
		out = append(out, d.finding(KindImplausible, LayerValidity, SeverityCritical, v/1e6,
			fmt.Sprintf("%s : valeur supérieure à 10 Sv, physiquement invraisemblable pour un dosimètre porté ; vérifier la saisie et le dosimètre.", upper(what)),
			nil, d.naturalKey()))
		return out
	}
	if f, ok := c.overlap(d, history); ok {
		out = append(out, f)
	}
	if f, ok := c.unitError(d, ref, what); ok {
		out = append(out, f)
	}
	if f, ok := c.contextOutlier(d, ref, history, what); ok {
		out = append(out, f)
	}
	if f, ok := c.historyJump(d, history, what); ok {
		out = append(out, f)
	}
	if f, ok := c.drift(d, history, peers); ok {
		out = append(out, f)
	}
	if f, ok := c.zeroRun(d, ref, history, peers); ok {
		out = append(out, f)
	}
	if f, ok := c.declaredContext(d, ref, history); ok {
		out = append(out, f)
	}
	return out
}

// unitError flags a dose far above anything in its context whose thousandth
// would be an ordinary dose there: µSv sent as mSv.
func (c Config) unitError(d Dose, ref *Reference, what string) (Finding, bool) {
	v := float64(d.USv)
	if ref == nil || ref.NonZero < c.MinNonZero || ref.P999USv <= 0 || v <= c.UnitFactor*ref.P999USv {
		return Finding{}, false
	}
	p10, p90 := ref.quantileUSv(0.10), ref.quantileUSv(0.90)
	if v/1000 < p10 || v/1000 > p90 {
		return Finding{}, false
	}
	return d.finding(KindUnitError, LayerValidity, SeverityHigh, v/ref.P999USv,
		fmt.Sprintf("%s : %s la valeur la plus haute habituelle de ce contexte (%s), alors que %s serait une dose ordinaire : erreur d'unité probable (µSv transmis en mSv).",
			upper(what), times(v/ref.P999USv), mSv(ref.P999USv), mSv(v/1000)),
		ref.snapshot(), d.naturalKey()), true
}

// contextOutlier flags a dose rare among the doses of its exposure context.
func (c Config) contextOutlier(d Dose, ref *Reference, history []Dose, what string) (Finding, bool) {
	v := float64(d.USv)
	if ref == nil || d.Zero || v < floorUSv(d.Context.Kind) || ref.NonZero == 0 {
		return Finding{}, false
	}
	p, z := ref.Percentile(v), ref.RobustZ(v)
	// A large context says how rare the dose is (its percentile); a small
	// one cannot resolve 1 in 1,000, and its robust scale, measured on few
	// doses cut by the recording threshold, understates the tail of a
	// context that mixes workers whose levels differ by orders of
	// magnitude: there the dose must be far out (SmallContextZ).
	small := ref.NonZero < 1000
	if !(!small && p >= c.Percentile) && z < c.SmallContextZ {
		return Finding{}, false
	}
	sev := SeverityLow
	switch {
	case z >= 6:
		sev = SeverityHigh
	case z >= 4.5:
		sev = SeverityMedium
	}
	sentence := fmt.Sprintf("%s : %s des doses %s %s (médiane %s, %s doses)",
		upper(what), ordinalPercentile(p), periodicity(d.Context.Months), ref.Label, mSv(ref.MedianUSv), count(ref.NonZero))
	if ref.AboveAll(v) {
		// Beyond the context's highest dose a percentile only restates the
		// context's size: say that it exceeds every dose, and by how much.
		sentence = fmt.Sprintf("%s : dépasse chacune des %s doses %s %s (%s la plus haute, %s ; médiane %s)",
			upper(what), count(ref.NonZero), periodicity(d.Context.Months), ref.Label, times(v/ref.MaxUSv), mSv(ref.MaxUSv), mSv(ref.MedianUSv))
	}
	if base, ok := c.baseline(d, history); ok {
		own := v / math.Exp(base.median)
		if own < c.UsualRatio {
			// Business as usual for this worker: their level is known (and
			// the regulatory layer watches their totals); only a change of
			// level is news.
			return Finding{}, false
		}
		sentence += fmt.Sprintf(" et %s la médiane de ce travailleur sur 12 mois", times(own))
	}
	snap := ref.snapshot()
	snap["percentile"], snap["robustZ"] = round(p, 4), round(z, 2)
	return d.finding(KindContext, LayerContext, sev, z, sentence+".", snap, d.naturalKey()), true
}

// historyBaseline is a worker's usual level for one kind and quantity.
type historyBaseline struct {
	median, scale float64
	nonZero       int
}

// prior returns the worker's earlier results of d's kind and quantity, oldest first.
func prior(d Dose, history []Dose) []Dose {
	var out []Dose
	for _, h := range history {
		if h.ID != d.ID && !h.Absent && h.Context.Kind == d.Context.Kind && h.Quantity == d.Quantity && h.End.Before(d.Start) {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b Dose) int { return a.End.Compare(b.End) })
	return out
}

// baseline is the median and robust scale of ln(dose) over the worker's last
// 12 results before d (at least 4 of them above the threshold).
func (c Config) baseline(d Dose, history []Dose) (historyBaseline, bool) {
	p := prior(d, history)
	if len(p) > 12 {
		p = p[len(p)-12:]
	}
	var logs []float64
	for _, h := range p {
		if !h.Zero && h.USv > 0 {
			logs = append(logs, math.Log(float64(h.USv)))
		}
	}
	if len(logs) < 4 {
		return historyBaseline{}, false
	}
	m := median(logs)
	dev := make([]float64, len(logs))
	for i, x := range logs {
		dev[i] = math.Abs(x - m)
	}
	return historyBaseline{median: m, scale: math.Max(1.4826*median(dev), c.MinHistoryScale), nonZero: len(logs)}, true
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func upper(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}
