package anomaly

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/batchfinding"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/policy"
)

// Batch-level checks (issue 14): a laboratory batch whose distribution in an
// exposure context departs both from that laboratory's previous batches and
// from the other laboratories over the same months is itself an anomaly, and
// the worker findings it explains are linked to it.

// Batch finding kinds; their values are the BatchFinding entity's kind enum.
const (
	BatchZeroShare       = "BATCH_ZERO_SHARE"
	BatchLevelShift      = "BATCH_LEVEL_SHIFT"
	BatchThresholdChange = "BATCH_THRESHOLD_CHANGE"
)

// BatchConfig holds the batch checks' test level and practical effect sizes:
// a departure must be significant (Bonferroni over the tests of the batch)
// and large enough to matter, against the laboratory's past and against the
// other laboratories alike.
type BatchConfig struct {
	// Alpha is the family-wise level of one batch's tests.
	Alpha float64
	// MinN is the fewest results a context needs, in the batch and in each
	// reference (non-zero results for the level and the threshold).
	MinN int
	// MinZeroShift is the smallest difference of zero shares that matters.
	MinZeroShift float64
	// MinLevelRatio is the smallest ratio of medians that matters (or its inverse).
	MinLevelRatio float64
	// MinThresholdRatio is the smallest ratio of recording thresholds that matters.
	MinThresholdRatio float64
	// MinBelowShift is the smallest difference of the share of non-zero
	// results under the higher of two thresholds that matters.
	MinBelowShift float64
	// PastBatches and PastMonths bound the laboratory's past: its last
	// batches within those months.
	PastBatches, PastMonths int
}

// DefaultBatchConfig returns the batch checks' defaults.
func DefaultBatchConfig() BatchConfig {
	return BatchConfig{Alpha: 0.01, MinN: 30, MinZeroShift: 0.2, MinLevelRatio: 2, MinThresholdRatio: 1.5,
		MinBelowShift: 0.1, PastBatches: 12, PastMonths: 12}
}

// ContextProfile is a laboratory batch's results in one exposure context.
type ContextProfile struct {
	Kind   string `json:"kind"`
	Sector string `json:"sector,omitempty"`
	Months int    `json:"months"`
	// N counts the results (absences aside), Zeros those below the
	// recording threshold.
	N     int `json:"n"`
	Zeros int `json:"zeros"`
	// Values counts the non-zero results by value (µSv; above 1 mSv rounded
	// to two significant digits, which keeps the profile small).
	Values map[int64]int `json:"values"`
	// First and Last are the first days of the months the periods end in.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// ByMonth counts the results and zeros by month (2006-01) the periods
	// end in: what the batch added to the context statistics of each month.
	ByMonth map[string][2]int `json:"byMonth,omitempty"`
}

// BatchProfile is a laboratory batch's distribution by exposure context
// (sector × monitoring kind × period length, or kind × period length when the
// sector is unknown), keyed as the context statistics are.
type BatchProfile struct {
	Contexts map[string]*ContextProfile `json:"contexts"`
}

// NewBatchProfile returns an empty profile.
func NewBatchProfile() *BatchProfile { return &BatchProfile{Contexts: map[string]*ContextProfile{}} }

// ParseBatchProfile reads a stored profile.
func ParseBatchProfile(raw []byte) (*BatchProfile, error) {
	p := NewBatchProfile()
	if len(raw) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, fmt.Errorf("batch profile: %w", err)
	}
	return p, nil
}

// Marshal returns the profile as stored.
func (p *BatchProfile) Marshal() (json.RawMessage, error) { return json.Marshal(p) }

// batchContext is the exposure context a batch check sorts a result in.
func batchContext(r *ent.DoseRecord) (Context, string) {
	c := toDose(r, nomenclatureInfo{}).Context
	c.Job, c.Domain = "", ""
	if c.Sector != "" {
		k, _ := c.Key(LevelSector)
		return c, k
	}
	k, _ := c.Key(LevelKind)
	return c, k
}

// profileValue is the value a profile counts a result under.
func profileValue(usv int64) int64 {
	if usv <= 1000 {
		return usv
	}
	mag := int64(math.Pow(10, math.Floor(math.Log10(float64(usv)))-1))
	return (usv + mag/2) / mag * mag
}

// Add counts dose records of the batch: its doses of record (pending
// re-sends and absences of result are not).
func (p *BatchProfile) Add(recs []*ent.DoseRecord) {
	for _, r := range recs {
		if r.Pending || r.Status == doserecord.StatusAbsent {
			continue
		}
		c, key := batchContext(r)
		cp := p.Contexts[key]
		if cp == nil {
			cp = &ContextProfile{Kind: c.Kind, Sector: c.Sector, Months: c.Months, Values: map[int64]int{}}
			p.Contexts[key] = cp
		}
		m := monthStart(r.PeriodEnd)
		if cp.First.IsZero() || m.Before(cp.First) {
			cp.First = m
		}
		if m.After(cp.Last) {
			cp.Last = m
		}
		cp.N++
		if cp.ByMonth == nil {
			cp.ByMonth = map[string][2]int{}
		}
		mc := cp.ByMonth[m.Format("2006-01")]
		mc[0]++
		if r.Status == doserecord.StatusBelowThreshold || r.ValueUsv <= 0 {
			cp.Zeros++
			mc[1]++
			cp.ByMonth[m.Format("2006-01")] = mc
			continue
		}
		cp.ByMonth[m.Format("2006-01")] = mc
		cp.Values[profileValue(r.ValueUsv)]++
	}
}

// monthsIn sums the results and zeros of the months in [from, to].
func (c *ContextProfile) monthsIn(from, to time.Time) [2]int {
	var out [2]int
	for m, k := range c.ByMonth {
		t, err := time.Parse("2006-01", m)
		if err == nil && !t.Before(monthStart(from)) && !t.After(monthStart(to)) {
			out[0] += k[0]
			out[1] += k[1]
		}
	}
	return out
}

// NonZero counts the results above the recording threshold.
func (c *ContextProfile) NonZero() int { return c.N - c.Zeros }

// ZeroShare is the share of results below the recording threshold.
func (c *ContextProfile) ZeroShare() float64 {
	if c.N == 0 {
		return 0
	}
	return float64(c.Zeros) / float64(c.N)
}

// sortedValues returns the distinct non-zero values in increasing order.
func (c *ContextProfile) sortedValues() []int64 {
	vs := make([]int64, 0, len(c.Values))
	for v := range c.Values {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// Quantile is the q-quantile of the non-zero results (lower value at a
// tie), 0 when there are none.
func (c *ContextProfile) Quantile(q float64) float64 {
	n := c.NonZero()
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	rank = max(rank, 1)
	seen := 0
	vs := c.sortedValues()
	for _, v := range vs {
		seen += c.Values[v]
		if seen >= rank {
			return float64(v)
		}
	}
	return float64(vs[len(vs)-1])
}

// Threshold is the recording threshold the results show: the smallest value
// holding at least 1 % of the non-zero results (and two of them), so that a
// stray small value does not pass for it; 0 without one.
func (c *ContextProfile) Threshold() int64 {
	least := max(2, int(math.Ceil(0.01*float64(c.NonZero()))))
	for _, v := range c.sortedValues() {
		if c.Values[v] >= least {
			return v
		}
	}
	return 0
}

// AtThreshold is the share of non-zero results exactly at the threshold.
func (c *ContextProfile) AtThreshold() float64 {
	t := c.Threshold()
	if t == 0 {
		return 0
	}
	return float64(c.Values[t]) / float64(c.NonZero())
}

// below counts the non-zero results under v.
func (c *ContextProfile) below(v int64) int {
	n := 0
	for x, k := range c.Values {
		if x < v {
			n += k
		}
	}
	return n
}

// merge adds o's counts to c.
func (c *ContextProfile) merge(o *ContextProfile) {
	c.N += o.N
	c.Zeros += o.Zeros
	for v, k := range o.Values {
		c.Values[v] += k
	}
	for m, k := range o.ByMonth {
		if c.ByMonth == nil {
			c.ByMonth = map[string][2]int{}
		}
		mc := c.ByMonth[m]
		c.ByMonth[m] = [2]int{mc[0] + k[0], mc[1] + k[1]}
	}
	if c.First.IsZero() || (!o.First.IsZero() && o.First.Before(c.First)) {
		c.First = o.First
	}
	if o.Last.After(c.Last) {
		c.Last = o.Last
	}
}

// Summary of the batch's profile, for the stored statistics.
func (c *ContextProfile) summary() map[string]any {
	return map[string]any{"n": c.N, "zeros": c.Zeros, "zeroShare": round(c.ZeroShare(), 3),
		"medianUsv": c.Quantile(0.5), "backgroundUsv": c.Quantile(0.1), "thresholdUsv": c.Threshold(),
		"atThresholdShare": round(c.AtThreshold(), 3)}
}

// twoProportions is the two-sided p-value of the pooled two-proportion z-test
// of k1/n1 against k2/n2.
func twoProportions(k1, n1, k2, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	p := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		if p1 == p2 {
			return 1
		}
		return 0
	}
	return twoSided((p1 - p2) / se)
}

// twoSided is the two-sided normal tail of z.
func twoSided(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }

// mannWhitney is the two-sided p-value of the Mann–Whitney U test (normal
// approximation with the tie correction) of a's values against b's, both
// given as counts by value.
func mannWhitney(a, b map[int64]int) float64 {
	na, nb := 0, 0
	vals := map[int64]bool{}
	for v, k := range a {
		na += k
		vals[v] = true
	}
	for v, k := range b {
		nb += k
		vals[v] = true
	}
	if na == 0 || nb == 0 {
		return 1
	}
	sorted := make([]int64, 0, len(vals))
	for v := range vals {
		sorted = append(sorted, v)
	}
	slices.Sort(sorted)
	n := float64(na + nb)
	var rankA, ties float64
	below := 0.0
	for _, v := range sorted {
		t := float64(a[v] + b[v])
		mid := below + (t+1)/2
		rankA += float64(a[v]) * mid
		ties += t*t*t - t
		below += t
	}
	u := rankA - float64(na)*float64(na+1)/2
	mean := float64(na) * float64(nb) / 2
	variance := float64(na) * float64(nb) / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 {
		return 1
	}
	return twoSided((u - mean) / math.Sqrt(variance))
}

// signTest is the two-sided p-value of the median test of values against a
// reference median m: under the reference, a value lies above m with
// probability one half (values at m count half).
func signTest(values map[int64]int, m float64) (p float64, above float64) {
	n := 0
	for v, k := range values {
		n += k
		switch {
		case float64(v) > m:
			above += float64(k)
		case float64(v) == m:
			above += float64(k) / 2
		}
	}
	if n == 0 {
		return 1, 0
	}
	return twoSided((above - float64(n)/2) / math.Sqrt(float64(n)/4)), above / float64(n)
}

// Others is what the other laboratories' results of one context over the
// batch's months show (from the context statistics).
type Others struct {
	N, Zeros int
	// MedianUSv is the median of their non-zero results.
	MedianUSv float64
	// Below returns the share of their non-zero results under v µSv.
	Below func(v float64) float64
}

// othersOf reads Others from a context statistics summary.
func othersOf(s *Summary) *Others {
	if s == nil {
		return nil
	}
	o := &Others{N: s.N, Zeros: s.NZero}
	if s.NonZero() > 0 && s.Digest != nil {
		o.MedianUSv = math.Exp(s.Digest.Quantile(0.5))
		dg := s.Digest
		// Results are quantised: a value v stands for [v−½ step, v+½ step[;
		// "under v" stops half a percent below it.
		o.Below = func(v float64) float64 { return dg.CDF(math.Log(v * 0.995)) }
	}
	return o
}

// BatchCheck is one test of one context of a batch, before the decision.
type BatchCheck struct {
	Kind      string
	Key       string
	Direction string
	// PPast and POthers are the two tests' p-values; Flagged once decided.
	PPast, POthers float64
	Flagged        bool
	Statistics     map[string]any
	// what the explanation says
	batch, past *ContextProfile
	pastBatches int
	others      *Others
	thresholds  [2]int64
	below       [3]float64
}

// P is the check's p-value: the larger of the two, since both must reject.
func (c BatchCheck) P() float64 { return max(c.PPast, c.POthers) }

// CompareContext runs the three tests of one context of a batch against the
// laboratory's past (pooled over pastBatches batches) and the other
// laboratories; it returns the tests it could run (enough results in the
// batch and both references), not yet decided.
func (cfg BatchConfig) CompareContext(key string, batch, past *ContextProfile, pastBatches int, others *Others) []BatchCheck {
	if batch == nil || past == nil || others == nil || batch.N < cfg.MinN || past.N < cfg.MinN || others.N < cfg.MinN {
		return nil
	}
	var out []BatchCheck
	base := BatchCheck{Key: key, batch: batch, past: past, pastBatches: pastBatches, others: others}
	// Share of zeros: two-proportion z-tests.
	{
		c := base
		c.Kind = BatchZeroShare
		pb, pp, po := batch.ZeroShare(), past.ZeroShare(), float64(others.Zeros)/float64(others.N)
		c.PPast = twoProportions(batch.Zeros, batch.N, past.Zeros, past.N)
		c.POthers = twoProportions(batch.Zeros, batch.N, others.Zeros, others.N)
		c.Direction = direction(pb - pp)
		c.Statistics = map[string]any{"test": "two-proportion z", "batchShare": round(pb, 3), "pastShare": round(pp, 3),
			"othersShare": round(po, 3), "effect": cfg.MinZeroShift,
			"practical": math.Abs(pb-pp) >= cfg.MinZeroShift && math.Abs(pb-po) >= cfg.MinZeroShift && (pb-pp)*(pb-po) > 0}
		out = append(out, c)
	}
	nzb, nzp := batch.NonZero(), past.NonZero()
	if nzb >= cfg.MinN && nzp >= cfg.MinN && others.N-others.Zeros >= cfg.MinN && others.MedianUSv > 0 {
		// Level: Mann–Whitney against the past, median test against the others.
		c := base
		c.Kind = BatchLevelShift
		mb, mp, mo := batch.Quantile(0.5), past.Quantile(0.5), others.MedianUSv
		c.PPast = mannWhitney(batch.Values, past.Values)
		var above float64
		c.POthers, above = signTest(batch.Values, mo)
		rp, ro := mb/mp, mb/mo
		c.Direction = direction(math.Log(rp))
		c.Statistics = map[string]any{"test": "Mann-Whitney (past), median test (others)", "batchMedianUsv": mb,
			"pastMedianUsv": mp, "othersMedianUsv": round(mo, 1), "ratioPast": round(rp, 2), "ratioOthers": round(ro, 2),
			"shareAboveOthersMedian": round(above, 3), "effect": cfg.MinLevelRatio,
			"practical": farApart(rp, cfg.MinLevelRatio) && farApart(ro, cfg.MinLevelRatio) && math.Log(rp)*math.Log(ro) > 0}
		out = append(out, c)
		// Recording threshold: the share of non-zero results under the
		// higher of the two thresholds.
		tb, tp := batch.Threshold(), past.Threshold()
		if tb > 0 && tp > 0 && others.Below != nil {
			c := base
			c.Kind = BatchThresholdChange
			hi := max(tb, tp)
			kb, kp := batch.below(hi), past.below(hi)
			sb, sp, so := float64(kb)/float64(nzb), float64(kp)/float64(nzp), others.Below(float64(hi))
			nzo := others.N - others.Zeros
			c.PPast = twoProportions(kb, nzb, kp, nzp)
			c.POthers = twoProportions(kb, nzb, int(math.Round(so*float64(nzo))), nzo)
			c.Direction = direction(float64(tb - tp))
			c.thresholds, c.below = [2]int64{tb, tp}, [3]float64{sb, sp, so}
			c.Statistics = map[string]any{"test": "two-proportion z (share under the higher threshold)",
				"batchThresholdUsv": tb, "pastThresholdUsv": tp, "underUsv": hi, "batchShareUnder": round(sb, 3),
				"pastShareUnder": round(sp, 3), "othersShareUnder": round(so, 3), "effect": cfg.MinThresholdRatio,
				"practical": farApart(float64(tb)/float64(tp), cfg.MinThresholdRatio) &&
					math.Abs(sb-sp) >= cfg.MinBelowShift && math.Abs(sb-so) >= cfg.MinBelowShift && (sb-sp)*(sb-so) > 0}
			out = append(out, c)
		}
	}
	return out
}

func direction(d float64) string {
	if d >= 0 {
		return "UP"
	}
	return "DOWN"
}

// farApart reports whether ratio r is at least k or at most 1/k.
func farApart(r, k float64) bool { return r >= k || (r > 0 && r <= 1/k) }

// Decide flags the checks whose both tests reject at the Bonferroni level
// over all the checks of the batch, and whose effect is practical against
// both references in the same direction.
func (cfg BatchConfig) Decide(checks []BatchCheck) []BatchCheck {
	level := cfg.Alpha / float64(max(1, len(checks)))
	var out []BatchCheck
	for i := range checks {
		c := &checks[i]
		c.Statistics["pPast"], c.Statistics["pOthers"] = c.PPast, c.POthers
		c.Statistics["bonferroniTests"], c.Statistics["level"] = len(checks), level
		c.Statistics["pastBatches"] = c.pastBatches
		c.Statistics["batch"], c.Statistics["past"] = c.batch.summary(), c.past.summary()
		c.Statistics["others"] = map[string]any{"n": c.others.N, "zeros": c.others.Zeros, "medianUsv": round(c.others.MedianUSv, 1)}
		practical, _ := c.Statistics["practical"].(bool)
		c.Flagged = practical && c.PPast < level && c.POthers < level
		if c.Flagged {
			out = append(out, *c)
		}
	}
	return out
}

// pValue writes a p-value: « p = 3,1e-12 ».
func pValue(p float64) string {
	if p < 1e-300 {
		return "p < 1e-300"
	}
	return "p = " + strings.Replace(strconv.FormatFloat(p, 'g', 2, 64), ".", ",", 1)
}

// explain writes the French explanation of a flagged check; label names the
// context (« du secteur Radiologie, corps entier, mensuelles »).
func (c BatchCheck) explain(label string) string {
	o, b, p := c.others, c.batch, c.past
	lots := fmt.Sprintf("les %d lots précédents du laboratoire", c.pastBatches)
	if c.pastBatches == 1 {
		lots = "le lot précédent du laboratoire"
	}
	test := fmt.Sprintf("écart significatif (%s, correction de Bonferroni sur %v tests du lot).", pValue(c.P()), c.Statistics["bonferroniTests"])
	switch c.Kind {
	case BatchZeroShare:
		return fmt.Sprintf("Dans ce lot, %s des %s résultats %s sont nuls (sous le seuil d'enregistrement) contre %s dans %s (%s résultats) et %s chez les autres laboratoires sur les mêmes mois (%s résultats) : %s",
			percent(b.ZeroShare()), count(b.N), label, percent(p.ZeroShare()), lots, count(p.N),
			percent(float64(o.Zeros)/float64(o.N)), count(o.N), test)
	case BatchLevelShift:
		mb, mp := b.Quantile(0.5), p.Quantile(0.5)
		return fmt.Sprintf("Dans ce lot, la médiane des %s résultats non nuls %s est de %s contre %s dans %s (%s) et %s chez les autres laboratoires sur les mêmes mois : %s",
			count(b.NonZero()), label, mSv(mb), mSv(mp), lots, ratioWord(mb/mp), mSv(o.MedianUSv), test)
	}
	tb, tp := c.thresholds[0], c.thresholds[1]
	return fmt.Sprintf("Dans ce lot, le seuil d'enregistrement apparent des résultats %s (plus petite valeur non nulle courante) est de %s contre %s dans %s ; %s des résultats non nuls sont sous %s contre %s auparavant et %s chez les autres laboratoires : %s",
		label, mSv(float64(tb)), mSv(float64(tp)), lots, percent(c.below[0]), mSv(float64(max(tb, tp))),
		percent(c.below[1]), percent(c.below[2]), test)
}

func ratioWord(r float64) string {
	if r >= 1 {
		return times(r) + " plus"
	}
	return times(1/r) + " moins"
}

// BatchInput is a completed laboratory batch to check.
type BatchInput struct {
	BatchID, LaboratoryID int
	Profile               *BatchProfile
	// Raised are the anomalies the batch's import raised, candidates for a link.
	Raised []int
	Now    time.Time
}

// BatchResult is what CheckBatch stored.
type BatchResult struct {
	Findings []*ent.BatchFinding
	// Linked are the raised anomalies now linked to a batch finding.
	Linked []int
}

// CheckBatch compares a completed laboratory batch with the laboratory's
// previous batches and with the other laboratories, in the transaction of
// client, before the batch's own doses enter the context statistics; it
// stores a BatchFinding per flagged check and links to it the worker
// findings of the batch it explains.
func CheckBatch(ctx context.Context, client *ent.Client, cfg BatchConfig, in BatchInput) (BatchResult, error) {
	ctx = policy.SystemContext(ctx)
	var res BatchResult
	if in.Profile == nil || len(in.Profile.Contexts) == 0 {
		return res, nil
	}
	past, n, err := pastProfile(ctx, client, cfg, in)
	if err != nil || n == 0 {
		return res, err
	}
	var checks []BatchCheck
	for key, cp := range in.Profile.Contexts {
		pc := past.Contexts[key]
		if cp.N < cfg.MinN || pc == nil {
			continue
		}
		sums, err := Summaries(ctx, client, []string{key}, cp.First, cp.Last)
		if err != nil {
			return res, err
		}
		others := othersOf(sums[key])
		if others != nil {
			// The statistics of those months hold what this laboratory's
			// previous batches sent for them: the others are the rest.
			own := pc.monthsIn(cp.First, cp.Last)
			others.N, others.Zeros = max(0, others.N-own[0]), max(0, others.Zeros-own[1])
		}
		checks = append(checks, cfg.CompareContext(key, cp, pc, n, others)...)
	}
	flagged := cfg.Decide(checks)
	if len(flagged) == 0 {
		return res, nil
	}
	nomen, err := loadNomenclature(ctx, client)
	if err != nil {
		return res, err
	}
	slices.SortFunc(flagged, func(a, b BatchCheck) int { return strings.Compare(a.Key+a.Kind, b.Key+b.Kind) })
	for _, c := range flagged {
		cp := c.batch
		level := LevelKind
		if cp.Sector != "" {
			level = LevelSector
		}
		label := nomen.contextLabel(Context{Kind: cp.Kind, Sector: cp.Sector, Months: cp.Months}, level) + ", " + wearing(cp.Months)
		f, err := client.BatchFinding.Create().SetImportBatchID(in.BatchID).SetLaboratoryID(in.LaboratoryID).
			SetKind(batchfinding.Kind(c.Kind)).SetContextKey(c.Key).SetContextLabel(label).SetMonitoringKind(cp.Kind).
			SetSectorCode(cp.Sector).SetPeriodMonths(cp.Months).SetDirection(c.Direction).SetPValue(c.P()).
			SetStatistics(c.Statistics).SetExplanation(c.explain(label)).Save(ctx)
		if err != nil {
			return res, fmt.Errorf("store batch finding: %w", err)
		}
		res.Findings = append(res.Findings, f)
	}
	res.Linked, err = linkFindings(ctx, client, in, flagged, res.Findings)
	return res, err
}

// pastProfile pools the profiles of the laboratory's previous batches (the
// last PastBatches within PastMonths) and returns how many there were.
func pastProfile(ctx context.Context, client *ent.Client, cfg BatchConfig, in BatchInput) (*BatchProfile, int, error) {
	prev, err := client.ImportBatch.Query().Where(importbatch.LaboratoryID(in.LaboratoryID), importbatch.IDLT(in.BatchID),
		importbatch.ProfileNotNil(), importbatch.CompletedAtGTE(in.Now.AddDate(0, -cfg.PastMonths, 0)),
		importbatch.StatusIn(importbatch.StatusAccepted, importbatch.StatusPartial)).
		Order(ent.Desc(importbatch.FieldID)).Limit(cfg.PastBatches).
		Select(importbatch.FieldID, importbatch.FieldProfile).All(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("load previous batches: %w", err)
	}
	pooled := NewBatchProfile()
	for _, b := range prev {
		p, err := ParseBatchProfile(b.Profile)
		if err != nil {
			return nil, 0, err
		}
		for key, cp := range p.Contexts {
			if pooled.Contexts[key] == nil {
				pooled.Contexts[key] = &ContextProfile{Kind: cp.Kind, Sector: cp.Sector, Months: cp.Months, Values: map[int64]int{}}
			}
			pooled.Contexts[key].merge(cp)
		}
	}
	return pooled, len(prev), nil
}

// linkedKinds are the statistical worker findings a batch finding may explain.
var linkedKinds = []string{string(KindContext), string(KindJump), string(KindDrift), string(KindZeroRun)}

// explains reports whether a worker finding on dose record r lies in the
// direction of check c.
func explains(c BatchCheck, r *ent.DoseRecord) bool {
	zero := r.Status == doserecord.StatusBelowThreshold || r.ValueUsv <= 0
	switch c.Kind {
	case BatchZeroShare:
		return zero == (c.Direction == "UP")
	case BatchLevelShift:
		mp := c.past.Quantile(0.5)
		if c.Direction == "UP" {
			return !zero && float64(r.ValueUsv) > mp
		}
		return zero || float64(r.ValueUsv) < mp
	}
	if c.Direction == "UP" {
		// A raised threshold turns the results under it into zeros.
		return zero
	}
	return !zero && r.ValueUsv < c.thresholds[1]
}

// linkFindings links the raised statistical worker findings on this batch's
// results that a flagged check explains, and adds the mention to their
// explanation.
func linkFindings(ctx context.Context, client *ent.Client, in BatchInput, checks []BatchCheck, findings []*ent.BatchFinding) ([]int, error) {
	if len(in.Raised) == 0 {
		return nil, nil
	}
	byFinding := map[int][]int{}
	var linked []int
	for i := 0; i < len(in.Raised); i += 5000 {
		as, err := client.Anomaly.Query().Where(anomaly.IDIn(in.Raised[i:min(i+5000, len(in.Raised))]...),
			anomaly.LayerIn(anomaly.LayerContext, anomaly.LayerHistory), anomaly.KindIn(linkedKinds...)).
			WithDoseRecords(func(q *ent.DoseRecordQuery) { q.Where(doserecord.ImportBatchID(in.BatchID)) }).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load raised anomalies: %w", err)
		}
	anomalies:
		for _, a := range as {
			for _, r := range a.Edges.DoseRecords {
				_, key := batchContext(r)
				for j, c := range checks {
					if c.Key == key && explains(c, r) {
						byFinding[findings[j].ID] = append(byFinding[findings[j].ID], a.ID)
						linked = append(linked, a.ID)
						continue anomalies
					}
				}
			}
		}
	}
	for j, f := range findings {
		ids := byFinding[f.ID]
		mention := " Ce constat est rattaché à une anomalie du lot du laboratoire (" + batchKindLabel(checks[j].Kind) +
			") : il est examiné avec le lot plutôt qu'isolément."
		for i := 0; i < len(ids); i += 5000 {
			err := client.Anomaly.Update().Where(anomaly.IDIn(ids[i:min(i+5000, len(ids))]...)).SetBatchFindingID(f.ID).
				Modify(func(u *entsql.UpdateBuilder) {
					u.Set(anomaly.FieldExplanation, entsql.ExprFunc(func(b *entsql.Builder) {
						b.Ident(anomaly.FieldExplanation).WriteString(" || ").Arg(mention)
					}))
				}).Exec(ctx)
			if err != nil {
				return nil, fmt.Errorf("link anomalies to the batch finding: %w", err)
			}
		}
	}
	slices.Sort(linked)
	return linked, nil
}

// wearing names a wearing period length: « port mensuel ».
func wearing(months int) string {
	switch months {
	case 1:
		return "port mensuel"
	case 3:
		return "port trimestriel"
	}
	return fmt.Sprintf("port de %d mois", months)
}

// batchKindLabel names a batch finding kind in French.
func batchKindLabel(kind string) string {
	switch kind {
	case BatchZeroShare:
		return "part inhabituelle de résultats nuls"
	case BatchLevelShift:
		return "niveau médian inhabituel"
	}
	return "changement de seuil d'enregistrement"
}
