package anomaly

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
)

// profileOf draws n results of a context: a share p0 at zero, the others
// lognormal around median µSv (log-sd 1), recorded from threshold µSv up in
// steps of 10 µSv (below the threshold: zero).
func profileOf(seed uint64, n int, p0, median float64, threshold int64) *ContextProfile {
	r := rand.New(rand.NewPCG(seed, 11))
	c := &ContextProfile{Kind: "PASSIVE_WHOLE_BODY", Sector: "RADIO", Months: 1, Values: map[int64]int{}}
	for i := 0; i < n; i++ {
		c.N++
		v := int64(math.Round(median*math.Exp(r.NormFloat64())/10) * 10)
		if r.Float64() < p0 || v < threshold {
			c.Zeros++
			continue
		}
		c.Values[profileValue(v)]++
	}
	return c
}

// othersFrom summarises other laboratories' results as the context
// statistics would: counts and a digest of ln(µSv) of the non-zero ones.
func othersFrom(t *testing.T, c *ContextProfile) *Others {
	t.Helper()
	s := &Summary{N: c.N, NZero: c.Zeros, Digest: NewDigest()}
	for v, k := range c.Values {
		for range k {
			if err := s.Digest.Add(math.Log(float64(v))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return othersOf(s)
}

func flaggedKinds(cfg BatchConfig, checks []BatchCheck) []string {
	var out []string
	for _, c := range cfg.Decide(checks) {
		out = append(out, c.Kind+":"+c.Direction)
	}
	return out
}

func TestBatchZeroShareAgainstPastAndOthers(t *testing.T) {
	cfg := DefaultBatchConfig()
	past := profileOf(1, 1200, 0.2, 300, 100)
	batch := profileOf(2, 200, 0.6, 300, 100)
	others := othersFrom(t, profileOf(3, 20000, 0.2, 300, 100))
	checks := cfg.CompareContext("S|RADIO|PASSIVE_WHOLE_BODY|1", batch, past, 6, others)
	if len(checks) != 3 {
		t.Fatalf("want the three tests run, got %d", len(checks))
	}
	got := flaggedKinds(cfg, checks)
	if len(got) != 1 || got[0] != BatchZeroShare+":UP" {
		t.Fatalf("a batch at 60 %% zeros against 20 %% in the past and elsewhere: want one BATCH_ZERO_SHARE UP, got %v", got)
	}
	f := cfg.Decide(checks)[0]
	text := f.explain("du secteur Radiologie, corps entier, mensuelles")
	for _, want := range []string{"Dans ce lot, ", "résultats du secteur Radiologie", "les 6 lots précédents du laboratoire", "chez les autres laboratoires", "Bonferroni sur 3 tests"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q: %s", want, text)
		}
	}
	if f.P() >= cfg.Alpha/3 {
		t.Errorf("p-value %g not below the Bonferroni level", f.P())
	}

	// Everyone shifted: the other laboratories show the same share of zeros
	// over the same months, a legitimate change of the context.
	shifted := othersFrom(t, profileOf(4, 20000, 0.6, 300, 100))
	if got := flaggedKinds(cfg, cfg.CompareContext("k", batch, past, 6, shifted)); len(got) != 0 {
		t.Fatalf("all laboratories shifted: want no finding, got %v", got)
	}

	// Too few results in the context: no test at all.
	small := profileOf(5, 20, 0.9, 300, 100)
	if checks := cfg.CompareContext("k", small, past, 6, others); checks != nil {
		t.Fatalf("20 results: want no test, got %d", len(checks))
	}
}

func TestBatchLargeBatchesDoNotFlagTrivia(t *testing.T) {
	cfg := DefaultBatchConfig()
	// 24 % zeros against 20 %: significant on 50,000 results, but no
	// practical difference.
	past := profileOf(6, 50000, 0.2, 300, 100)
	batch := profileOf(7, 50000, 0.24, 330, 100)
	others := othersFrom(t, profileOf(8, 50000, 0.2, 300, 100))
	checks := cfg.CompareContext("k", batch, past, 12, others)
	if checks[0].PPast > 1e-6 {
		t.Fatalf("the zero shares should differ significantly on this size (p = %g)", checks[0].PPast)
	}
	if got := flaggedKinds(cfg, checks); len(got) != 0 {
		t.Fatalf("trivial shifts on a large batch: want no finding, got %v", got)
	}
}

func TestBatchLevelShift(t *testing.T) {
	cfg := DefaultBatchConfig()
	past := profileOf(9, 1500, 0.3, 300, 100)
	batch := profileOf(10, 300, 0.3, 1200, 100)
	others := othersFrom(t, profileOf(11, 20000, 0.3, 300, 100))
	got := flaggedKinds(cfg, cfg.CompareContext("k", batch, past, 6, others))
	if len(got) != 1 || got[0] != BatchLevelShift+":UP" {
		t.Fatalf("a batch four times higher: want one BATCH_LEVEL_SHIFT UP, got %v", got)
	}
	// The other laboratories moved as much: not this laboratory's doing.
	moved := othersFrom(t, profileOf(12, 20000, 0.3, 1200, 100))
	if got := flaggedKinds(cfg, cfg.CompareContext("k", batch, past, 6, moved)); len(got) != 0 {
		t.Fatalf("all laboratories moved: want no finding, got %v", got)
	}
}

func TestBatchThresholdChange(t *testing.T) {
	cfg := DefaultBatchConfig()
	past := profileOf(13, 2000, 0, 250, 100)
	batch := profileOf(14, 400, 0, 250, 200)
	others := othersFrom(t, profileOf(15, 20000, 0, 250, 100))
	if tb, tp := batch.Threshold(), past.Threshold(); tb != 200 || tp != 100 {
		t.Fatalf("thresholds: batch %d, past %d; want 200 and 100", tb, tp)
	}
	got := flaggedKinds(cfg, cfg.CompareContext("k", batch, past, 6, others))
	if !containsKind(got, BatchThresholdChange+":UP") {
		t.Fatalf("a threshold raised from 0.10 to 0.20 mSv: want BATCH_THRESHOLD_CHANGE UP, got %v", got)
	}
	raised := othersFrom(t, profileOf(16, 20000, 0, 250, 200))
	if got := flaggedKinds(cfg, cfg.CompareContext("k", batch, past, 6, raised)); containsKind(got, BatchThresholdChange+":UP") {
		t.Fatalf("every laboratory raised its threshold: want no threshold finding, got %v", got)
	}
}

func containsKind(got []string, want string) bool {
	for _, g := range got {
		if g == want {
			return true
		}
	}
	return false
}

func TestMannWhitneyAndSignTest(t *testing.T) {
	a := map[int64]int{100: 50, 200: 50, 300: 50}
	if p := mannWhitney(a, a); p < 0.99 {
		t.Fatalf("identical samples: p = %g, want ≈ 1", p)
	}
	b := map[int64]int{400: 50, 500: 50, 600: 50}
	if p := mannWhitney(a, b); p > 1e-10 {
		t.Fatalf("disjoint samples of 150: p = %g, want tiny", p)
	}
	if p, above := signTest(a, 200); p < 0.99 || above != 0.5 {
		t.Fatalf("median test at the sample's median: p = %g, share above %g", p, above)
	}
}

func TestBatchProfileRoundTrip(t *testing.T) {
	p := NewBatchProfile()
	p.Contexts["k"] = profileOf(17, 100, 0.3, 300, 100)
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseBatchProfile(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, orig := back.Contexts["k"], p.Contexts["k"]
	if c.N != orig.N || c.Zeros != orig.Zeros || c.Quantile(0.5) != orig.Quantile(0.5) || c.Threshold() != orig.Threshold() {
		t.Fatalf("profile changed through storage: %+v vs %+v", c, orig)
	}
	if profileValue(12345) != 12000 || profileValue(870) != 870 {
		t.Fatalf("profile values: %d %d", profileValue(12345), profileValue(870))
	}
}

func TestBatchProfileMonths(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	var recs []*ent.DoseRecord
	for m := time.January; m <= time.April; m++ {
		for i := range 10 {
			r := &ent.DoseRecord{MonitoringKind: doserecord.MonitoringKindPassiveWholeBody, Quantity: doserecord.QuantityHp10,
				Status: doserecord.StatusMeasured, ValueUsv: 200, PeriodStart: day(2024, m, 1), PeriodEnd: day(2024, m+1, 0)}
			if i < 3 {
				r.Status, r.ValueUsv = doserecord.StatusBelowThreshold, 0
			}
			recs = append(recs, r)
		}
	}
	p := NewBatchProfile()
	p.Add(recs)
	c := p.Contexts["K|PASSIVE_WHOLE_BODY|1"]
	if c == nil || c.N != 40 || c.Zeros != 12 || !c.First.Equal(day(2024, 1, 1)) || !c.Last.Equal(day(2024, 4, 1)) {
		t.Fatalf("profile: %+v", c)
	}
	if got := c.monthsIn(day(2024, 2, 15), day(2024, 3, 31)); got != [2]int{20, 6} {
		t.Fatalf("February–March: %v, want 20 results, 6 zeros", got)
	}
}
