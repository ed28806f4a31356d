package anomaly

import (
	"math"
	"strconv"
	"time"

	"github.com/caio/go-tdigest/v4"
)

// Level is how fine an exposure context is; detection backs off from the
// finest level with enough doses to coarser ones.
type Level int

// Context levels, finest first.
const (
	LevelJob    Level = iota // sector × job × kind × period length
	LevelSector              // sector × kind × period length
	LevelDomain              // domain × kind × period length
	LevelKind                // kind × period length (always available)
)

// Context is an exposure context: who does what under which monitoring.
type Context struct {
	Domain, Sector, Job string
	// Kind is the monitoring kind (PASSIVE_WHOLE_BODY, EXTREMITY…).
	Kind string
	// Months is the wearing period length (1 monthly, 3 quarterly).
	Months int
}

// Key returns the context key at level l, and false when the context lacks
// what that level needs (a third of real records have no sector or job).
func (c Context) Key(l Level) (string, bool) {
	// Concatenation, not fmt: every dose of an import asks for its four
	// keys twice (references and statistics).
	months := strconv.Itoa(c.Months)
	switch l {
	case LevelJob:
		return "J|" + c.Sector + "|" + c.Job + "|" + c.Kind + "|" + months, c.Sector != "" && c.Job != ""
	case LevelSector:
		return "S|" + c.Sector + "|" + c.Kind + "|" + months, c.Sector != ""
	case LevelDomain:
		return "D|" + c.Domain + "|" + c.Kind + "|" + months, c.Domain != ""
	}
	return "K|" + c.Kind + "|" + months, true
}

// Summary is what is known of one context's doses over the reference window:
// how many doses, how many at zero (below the recording threshold), and a
// t-digest of ln(µSv) of the non-zero ones.
type Summary struct {
	Level  Level
	Key    string
	Label  string
	N      int
	NZero  int
	Digest *tdigest.TDigest
}

// NonZero is the number of doses above the recording threshold.
func (s *Summary) NonZero() int { return s.N - s.NZero }

// Reference is the distribution a dose is measured against, after back-off
// and shrinkage toward the parent context.
type Reference struct {
	Level Level
	Key   string
	Label string
	// N and NonZero count the doses of the chosen context.
	N, NonZero int
	// PNonZero is the share of doses above the recording threshold.
	PNonZero float64
	// LogMedian and LogScale describe ln(µSv) of the non-zero doses, shrunk
	// toward the parent context when the context is small.
	LogMedian, LogScale float64
	// MedianUSv, P90USv, P99USv, P999USv are quantiles of non-zero doses.
	MedianUSv, P90USv, P99USv, P999USv float64
	// MaxUSv is the highest non-zero dose of the context: the digest keeps
	// its extreme dose as a centroid of its own, MaxExact then reports it.
	MaxUSv   float64
	MaxExact bool
	digest   *tdigest.TDigest
}

// Percentile returns the share of the context's non-zero doses below d,
// counting ties half (mid-rank), capped at 1 − 1/(2n): a context of n doses
// cannot say a dose is rarer than that.
func (r *Reference) Percentile(usv float64) float64 {
	if r.digest == nil || r.NonZero == 0 || usv <= 0 {
		return 0
	}
	p := r.digest.CDF(math.Log(usv))
	if max := 1 - 1/(2*float64(r.NonZero)); p > max {
		p = max
	}
	return p
}

// RobustZ returns (ln d − median)/scale on the context's log doses.
func (r *Reference) RobustZ(usv float64) float64 {
	if usv <= 0 || r.LogScale <= 0 {
		return 0
	}
	return (math.Log(usv) - r.LogMedian) / r.LogScale
}

// Config holds the detector's thresholds (ANOMALY.md §4; tuned on seed 1 of
// the synthetic registry, reported on seeds 2–4).
type Config struct {
	// MinNonZero is the number of non-zero doses a context needs to be used
	// on its own; smaller ones back off to their parent.
	MinNonZero int
	// Shrinkage is k in m̂ = (n·m + k·m_parent)/(n + k).
	Shrinkage float64
	// MinLogScale floors the log scale (0.05 mSv quantisation collapses MAD).
	MinLogScale float64
	// Percentile and RobustZ are the L2 alert thresholds; SmallContextZ the
	// robust z a dose needs in a context too small (< 1,000 non-zero doses)
	// for its percentile to resolve 1 in 1,000.
	Percentile, RobustZ, SmallContextZ float64
	// UsualRatio: a context outlier is not raised when the dose is less than
	// this many times the worker's own median (their level is known).
	UsualRatio float64
	// History thresholds (L3).
	JumpRatio, JumpZ, MinHistoryScale float64
	// Swapped dosimeters: each dose of a pair is at least PairMinZ robust
	// deviations from its worker's usual level and within PairFitZ of the
	// other worker's, the exchange gains PairGain in squared deviations,
	// both workers having PairMinHistory prior results.
	PairMinZ, PairFitZ, PairGain, PairMinScale float64
	PairMinHistory                             int
	// ProfileMinNonZero measurable results make a worker's usual level
	// (declared context check).
	ProfileMinNonZero int
	// MinPeers workers with a dose in a period give it a peer level (the
	// drift's seasonal baseline).
	MinPeers       int
	CusumK, CusumH float64
	// CusumClip caps one result's step in the drift's CUSUM.
	CusumClip float64
	ZeroRunP  float64
	// UnitFactor: a dose above UnitFactor × the context's p99.9 whose
	// thousandth lies inside the context's p10–p90 is a probable unit error.
	UnitFactor float64
	// ContaminationRatio is the Hp(0.07)/Hp(10) ratio that flags a whole-body badge.
	ContaminationRatio float64
	// MissingGrace is how long after its wearing period ends a result is
	// expected: later, it is missing (or late when it arrives). The
	// regulation gives the employer 10 days to return the dosimeter (arrêté
	// of 26 June 2019, art. 9 I) and the laboratory 20 days after the end of
	// the wearing period (arrêté of 23 June 2023, art. 13 III): 30 days.
	MissingGrace time.Duration
}

// DefaultConfig returns the thresholds of ANOMALY.md §4.
func DefaultConfig() Config {
	return Config{
		MinNonZero: 30, Shrinkage: 20, MinLogScale: 0.3,
		Percentile: 0.999, RobustZ: 3.5, SmallContextZ: 5.5, UsualRatio: 2,
		JumpRatio: 20, JumpZ: 6, MinHistoryScale: 0.5,
		PairMinZ: 2, PairFitZ: 1.5, PairGain: 12, PairMinScale: 0.8, PairMinHistory: 6, ProfileMinNonZero: 6, MinPeers: 5,
		CusumK: 0.5, CusumH: 12, CusumClip: 3, ZeroRunP: 1e-3,
		UnitFactor: 100, ContaminationRatio: 10,
		MissingGrace: 30 * 24 * time.Hour,
	}
}

// Choose picks the reference for a context from its summaries by level
// (finest first; nil where unknown): the finest level with at least
// MinNonZero non-zero doses, its location and scale shrunk toward the next
// coarser level that has data.
func (c Config) Choose(levels [4]*Summary) *Reference {
	chosen := -1
	for l := LevelJob; l <= LevelKind; l++ {
		if s := levels[l]; s != nil && s.NonZero() >= c.MinNonZero {
			chosen = int(l)
			break
		}
	}
	if chosen < 0 {
		// Not enough anywhere: use the coarsest that has any data at all.
		for l := LevelKind; l >= LevelJob; l-- {
			if s := levels[l]; s != nil && s.NonZero() > 0 {
				chosen = int(l)
				break
			}
		}
	}
	if chosen < 0 {
		return nil
	}
	s := levels[chosen]
	ref := c.describe(s)
	for p := chosen + 1; p <= int(LevelKind); p++ {
		if parent := levels[p]; parent != nil && parent.NonZero() > 0 {
			pr := c.describe(parent)
			n, k := float64(s.NonZero()), c.Shrinkage
			ref.LogMedian = (n*ref.LogMedian + k*pr.LogMedian) / (n + k)
			ref.LogScale = math.Exp((n*math.Log(ref.LogScale) + k*math.Log(pr.LogScale)) / (n + k))
			break
		}
	}
	return ref
}

func (c Config) describe(s *Summary) *Reference {
	r := &Reference{Level: s.Level, Key: s.Key, Label: s.Label, N: s.N, NonZero: s.NonZero(), digest: s.Digest}
	if s.N > 0 {
		r.PNonZero = float64(s.NonZero()) / float64(s.N)
	}
	if s.Digest == nil || s.NonZero() == 0 {
		r.LogScale = c.MinLogScale
		return r
	}
	q := s.Digest.Quantile
	r.LogMedian = q(0.5)
	r.LogScale = math.Max((q(0.75)-q(0.25))/1.349, c.MinLogScale)
	r.MedianUSv, r.P90USv, r.P99USv, r.P999USv = math.Exp(q(0.5)), math.Exp(q(0.9)), math.Exp(q(0.99)), math.Exp(q(0.999))
	s.Digest.ForEachCentroid(func(mean float64, count uint64) bool {
		r.MaxUSv, r.MaxExact = math.Exp(mean), count == 1
		return true
	})
	return r
}

// AboveAll reports whether usv exceeds every non-zero dose of the context:
// then its percentile (capped by the context's size) says less than that.
func (r *Reference) AboveAll(usv float64) bool {
	// The digest keeps ln(µSv): allow for its rounding on the way back.
	return r.NonZero > 0 && r.MaxExact && usv > r.MaxUSv*(1+1e-9)
}

// NewDigest returns an empty t-digest with the settings every summary uses
// (fixed randomness, so merges are reproducible).
func NewDigest() *tdigest.TDigest {
	d, err := tdigest.New(tdigest.Compression(100), tdigest.LocalRandomNumberGenerator(1))
	if err != nil {
		panic(err) // only on invalid options
	}
	return d
}

// quantileUSv returns the q-quantile of the context's non-zero doses in µSv.
func (r *Reference) quantileUSv(q float64) float64 {
	if r.digest == nil {
		return 0
	}
	return math.Exp(r.digest.Quantile(q))
}
