package anomaly

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// declaredSeries is 12 monthly results of worker w around median µSv,
// declared in sector and job.
func declaredSeries(w int, median float64, sector, job string, seed uint64) []Dose {
	out := workerSeries(w, median, seed)
	for i := range out {
		out[i].Context.Sector, out[i].Context.Job = sector, job
	}
	return out
}

func TestDeclaredContext(t *testing.T) {
	c := DefaultConfig()
	// Dental staff: few measurable doses, around 0.15 mSv.
	dental := c.Choose([4]*Summary{nil, mustSummary(t, LevelSector, "soins dentaires", 20000, 0.9, 150, 0.6), nil,
		mustSummary(t, LevelKind, "corps entier", 50000, 0.6, 300, 1.2)})
	kindOnly := c.Choose([4]*Summary{nil, nil, nil, mustSummary(t, LevelKind, "corps entier", 50000, 0.6, 300, 1.2)})
	last := func(s []Dose) (Dose, []Dose) { return s[len(s)-1], s[:len(s)-1] }

	t.Run("NuclearDosesDeclaredAsDental", func(t *testing.T) {
		d, h := last(declaredSeries(1, 1500, "MED-DENT", "DENTISTE", 1))
		f, ok := c.declaredContext(d, dental, h)
		if !ok {
			t.Fatal("a worker recording 1.5 mSv a month declared as dental staff was not flagged")
		}
		if f.Kind != KindMislabel || f.Layer != LayerContext || !strings.Contains(f.Explanation, "probablement inexact") || len(f.RecordIDs) < 6 {
			t.Errorf("finding %s/%s %d records: %s", f.Kind, f.Layer, len(f.RecordIDs), f.Explanation)
		}
		// One finding per worker and declared context: the next month has
		// the same fingerprint.
		next := at(1, 199, 1400)
		next.Context.Sector, next.Context.Job = "MED-DENT", "DENTISTE"
		g, ok := c.declaredContext(next, dental, append(h, d))
		if !ok || g.Fingerprint() != f.Fingerprint() {
			t.Errorf("next month: flagged %v, same fingerprint %v", ok, g.Fingerprint() == f.Fingerprint())
		}
	})
	t.Run("OrdinaryDentalWorkersAreNot", func(t *testing.T) {
		// A context whose workers' levels spread like real ones (σ_b = 1
		// between workers, σ_w = 0.8 month to month), most of them rarely
		// above the recording threshold; its reference is learnt from the
		// same doses, as the registry learns it.
		r := rand.New(rand.NewPCG(9, 9))
		var all [][]Dose
		sum := &Summary{Level: LevelSector, Key: "S|MED-DENT", Label: "soins dentaires", Digest: NewDigest()}
		for w := 0; w < 3000; w++ {
			s := declaredSeries(w, 150*math.Exp(r.NormFloat64()), "MED-DENT", "DENTISTE", uint64(w))
			all = append(all, s)
			for _, d := range s {
				sum.N++
				if d.Zero {
					sum.NZero++
				} else if err := sum.Digest.Add(math.Log(float64(d.USv))); err != nil {
					t.Fatal(err)
				}
			}
		}
		ref := c.Choose([4]*Summary{nil, sum, nil, nil})
		flagged := 0
		for _, s := range all {
			for i := 6; i < len(s); i++ {
				if _, ok := c.declaredContext(s[i], ref, s[:i]); ok {
					flagged++
					break
				}
			}
		}
		t.Logf("%d of %d ordinary workers flagged (context p99.9 %.0f µSv)", flagged, len(all), ref.P999USv)
		if flagged > len(all)/500 {
			t.Errorf("%d of %d ordinary dental workers flagged (want at most 1 in 500)", flagged, len(all))
		}
	})
	t.Run("BackedOffReferenceSaysNothing", func(t *testing.T) {
		d, h := last(declaredSeries(1, 5000, "MED-DENT", "DENTISTE", 1))
		if _, ok := c.declaredContext(d, kindOnly, h); ok {
			t.Error("flagged against a reference backed off to the monitoring kind")
		}
	})
	t.Run("FewResultsOrAnotherDeclarationSayNothing", func(t *testing.T) {
		s := declaredSeries(1, 1500, "MED-DENT", "DENTISTE", 1)
		if _, ok := c.declaredContext(s[4], dental, s[:4]); ok {
			t.Error("flagged on 5 results")
		}
		// The worker's earlier results were under another declaration:
		// only the last four are dental.
		for i := 0; i < 8; i++ {
			s[i].Context.Sector = "NUC-PREST"
		}
		if _, ok := c.declaredContext(s[11], dental, s[:11]); ok {
			t.Error("flagged on the results of another declared context")
		}
	})
}
