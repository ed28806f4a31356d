package anomaly

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// workerSeries is 12 monthly results of worker w in 2024 around median µSv
// (0 for a worker who records nothing), with the lognormal month-to-month
// noise of ANOMALY.md §3 (σ_w = 0.8), ids from w*100.
func workerSeries(w int, median float64, seed uint64) []Dose {
	r := rand.New(rand.NewPCG(seed, uint64(w)))
	var out []Dose
	for m := time.January; m <= time.December; m++ {
		v := int64(0)
		if median > 0 {
			v = int64(median * math.Exp(0.8*r.NormFloat64()-0.32))
			if v < 100 {
				v = 0
			}
		}
		d := dose(w*100+int(m), 2024, m, v)
		d.WorkerID, d.Dosimeter = w, "D"+string(rune('A'+w))
		out = append(out, d)
	}
	return out
}

func at(w, id int, usv int64) Dose {
	d := dose(id, 2025, time.January, usv)
	d.WorkerID, d.Dosimeter = w, "D"+string(rune('A'+w))
	return d
}

func TestSwappedPairs(t *testing.T) {
	c := DefaultConfig()
	histories := map[int][]Dose{1: workerSeries(1, 2500, 1), 2: workerSeries(2, 0, 1), 3: workerSeries(3, 2400, 2), 4: workerSeries(4, 150, 3)}

	t.Run("ExchangedValuesArePaired", func(t *testing.T) {
		// Worker 1 usually records 2.5 mSv, worker 2 nothing: their January
		// results come back exchanged.
		batch := []Dose{at(1, 1001, 0), at(2, 2001, 2300), at(3, 3001, 2100), at(4, 4001, 0)}
		fs := c.swappedPairs(batch, histories)
		if len(fs) != 2 {
			t.Fatalf("%d findings, want the pair of workers 1 and 2: %+v", len(fs), fs)
		}
		got := map[int]bool{}
		for _, f := range fs {
			got[f.WorkerID] = true
			if f.Kind != KindJump || f.Reference["method"] != "swapped-pair" || !strings.Contains(f.Explanation, "intervertis") {
				t.Errorf("finding %s %v: %s", f.Kind, f.Reference, f.Explanation)
			}
		}
		if !got[1] || !got[2] {
			t.Errorf("paired workers %v, want 1 and 2", got)
		}
	})
	t.Run("EveryoneShiftedIsNoPair", func(t *testing.T) {
		// The establishment's doses triple (a campaign): unusual, but no
		// value fits another worker's history better than its own.
		batch := []Dose{at(1, 1001, 7500), at(2, 2001, 0), at(3, 3001, 7200), at(4, 4001, 450)}
		if fs := c.swappedPairs(batch, histories); len(fs) != 0 {
			t.Fatalf("%d findings on a shift of everyone: %+v", len(fs), fs)
		}
	})
	t.Run("NoPartnerIsNoPair", func(t *testing.T) {
		// Worker 1 records nothing this month, but nobody received their dose.
		batch := []Dose{at(1, 1001, 0), at(2, 2001, 0), at(3, 3001, 2100), at(4, 4001, 0)}
		if fs := c.swappedPairs(batch, histories); len(fs) != 0 {
			t.Fatalf("%d findings without a partner: %+v", len(fs), fs)
		}
	})
	t.Run("OtherEstablishmentOrPeriodIsNoPair", func(t *testing.T) {
		other := at(2, 2001, 2300)
		other.EstablishmentID = 10
		late := at(2, 2002, 2300)
		late.Start, late.End = late.Start.AddDate(0, 1, 0), late.End.AddDate(0, 1, 0)
		for _, b := range [][]Dose{{at(1, 1001, 0), other}, {at(1, 1001, 0), late}} {
			if fs := c.swappedPairs(b, histories); len(fs) != 0 {
				t.Fatalf("%d findings across establishments or periods: %+v", len(fs), fs)
			}
		}
	})
	t.Run("ShortHistoryIsNoPair", func(t *testing.T) {
		short := map[int][]Dose{1: histories[1][:4], 2: histories[2]}
		if fs := c.swappedPairs([]Dose{at(1, 1001, 0), at(2, 2001, 2300)}, short); len(fs) != 0 {
			t.Fatalf("%d findings with 4 prior results: %+v", len(fs), fs)
		}
	})
}

// TestSwappedPairsFalseRate: in an establishment of 60 workers whose levels
// spread like a real context's (lognormal between workers, σ_b = 1.2, a
// third recording nothing), a month of honest results pairs almost never.
func TestSwappedPairsFalseRate(t *testing.T) {
	c := DefaultConfig()
	r := rand.New(rand.NewPCG(42, 42))
	paired, results := 0, 0
	for trial := 0; trial < 300; trial++ {
		histories := map[int][]Dose{}
		var batch []Dose
		for w := 1; w <= 60; w++ {
			median := 0.0
			if r.Float64() > 1.0/3 {
				median = 400 * math.Exp(1.2*r.NormFloat64())
			}
			s := workerSeries(w, median, uint64(trial*1000))
			histories[w] = s
			// January 2025 drawn like the history.
			v := int64(0)
			if median > 0 {
				v = int64(median * math.Exp(0.8*r.NormFloat64()-0.32))
				if v < 100 {
					v = 0
				}
			}
			batch = append(batch, at(w, w*100+99, v))
		}
		paired += len(c.swappedPairs(batch, histories))
		results += len(batch)
	}
	rate := float64(paired) / float64(results)
	t.Logf("%d of %d honest results paired (%.2g)", paired, results, rate)
	if rate > 1e-3 {
		t.Errorf("%d of %d honest results paired: the pair test flags ordinary noise", paired, results)
	}
}
