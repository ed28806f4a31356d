package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// establishment is 24 monthly results of workers 1..n of one establishment
// (worker 1 first), each around their own level with the month-to-month
// noise σ = 0.3, multiplied by everyone(i) for all and by own(i) for
// worker 1 only.
func establishment(n int, everyone, own func(i int) float64) map[int][]Dose {
	r := rand.New(rand.NewPCG(5, 6))
	out := map[int][]Dose{}
	for w := 1; w <= n; w++ {
		level := 800 * math.Exp(0.5*r.NormFloat64())
		for i := 0; i < 24; i++ {
			v := level * everyone(i) * math.Exp(0.3*r.NormFloat64())
			if w == 1 {
				v *= own(i)
			}
			d := dose(w*100+i, 2023+i/12, time.Month(i%12+1), int64(v))
			d.WorkerID = w
			out[w] = append(out[w], d)
		}
	}
	return out
}

// driftFlags runs the drift check on worker 1's results in order, with or
// without the peers, and counts the findings.
func driftFlags(c Config, hs map[int][]Dose, withPeers bool) int {
	var peers *Peers
	if withPeers {
		peers = NewPeers(hs, c.MinPeers)
	}
	n := 0
	for i, d := range hs[1] {
		if _, ok := c.drift(d, hs[1][:i], peers); ok {
			n++
		}
	}
	return n
}

func TestDriftAgainstPeers(t *testing.T) {
	c := DefaultConfig()
	flat := func(int) float64 { return 1 }
	t.Run("EstablishmentShiftIsNoDrift", func(t *testing.T) {
		// A new procedure quadruples everyone's doses from month 13.
		step := func(i int) float64 {
			if i >= 12 {
				return 4
			}
			return 1
		}
		hs := establishment(8, step, flat)
		if n := driftFlags(c, hs, false); n == 0 {
			t.Fatal("without peers the shift of everyone is not even seen: the test shows nothing")
		}
		if n := driftFlags(c, hs, true); n != 0 {
			t.Errorf("%d drift findings on a shift of the whole establishment read against the peers", n)
		}
	})
	t.Run("OutageSeasonIsNoDrift", func(t *testing.T) {
		// A three-month outage each autumn multiplies everyone's doses by 6.
		outage := func(i int) float64 {
			if m := i % 12; m >= 8 && m <= 10 {
				return 6
			}
			return 1
		}
		hs := establishment(8, outage, flat)
		if n := driftFlags(c, hs, true); n != 0 {
			t.Errorf("%d drift findings on the outage season read against the peers", n)
		}
	})
	t.Run("OwnDriftIsSeen", func(t *testing.T) {
		// Worker 1's badge drifts by 25 % a month from month 11, during
		// the outage season of everyone.
		outage := func(i int) float64 {
			if m := i % 12; m >= 8 && m <= 10 {
				return 6
			}
			return 1
		}
		drift := func(i int) float64 { return math.Pow(1.25, float64(max(0, i-10))) }
		hs := establishment(8, outage, drift)
		if n := driftFlags(c, hs, true); n != 1 {
			t.Errorf("%d drift findings on a drifting badge read against the peers, want 1", n)
		}
	})
	t.Run("TooFewPeersFallsBack", func(t *testing.T) {
		hs := establishment(3, flat, flat)
		p := NewPeers(hs, c.MinPeers)
		if _, ok := p.Level(hs[1][0]); ok {
			t.Error("a period with 3 workers has a peer level")
		}
	})
}

func TestZeroRunAgainstPeers(t *testing.T) {
	c := DefaultConfig()
	ref := c.Choose([4]*Summary{mustSummary(t, LevelJob, "des manipulateurs", 2000, 0.2, 800, 0.8), nil, nil, nil})
	runs := func(hs map[int][]Dose, withPeers bool) int {
		var peers *Peers
		if withPeers {
			peers = NewPeers(hs, c.MinPeers)
		}
		n := 0
		for i, d := range hs[1] {
			if d.USv < 100 {
				d.USv, d.Zero = 0, true
				hs[1][i] = d
			}
			if _, ok := c.zeroRun(d, ref, hs[1][:i], peers); ok {
				n++
			}
		}
		return n
	}
	zeroFrom := func(from int) func(int) float64 {
		return func(i int) float64 {
			if i >= from {
				return 0.01
			}
			return 1
		}
	}
	flat := func(int) float64 { return 1 }
	t.Run("QuietEstablishmentIsNoRun", func(t *testing.T) {
		// Everyone's doses fall under the threshold from month 13 (a
		// laboratory's new threshold, an activity stopped).
		hs := establishment(8, zeroFrom(12), flat)
		for w := range hs {
			for i := range hs[w] {
				if hs[w][i].USv < 100 {
					hs[w][i].USv, hs[w][i].Zero = 0, true
				}
			}
		}
		if n := runs(hs, false); n != 1 {
			t.Fatalf("without peers %d runs, want the one the test is about", n)
		}
		if n := runs(hs, true); n != 0 {
			t.Errorf("%d zero runs when the whole establishment records nothing", n)
		}
	})
	t.Run("BadgeLeftInTheLockerIsARun", func(t *testing.T) {
		hs := establishment(8, flat, zeroFrom(14))
		if n := runs(hs, true); n != 1 {
			t.Errorf("%d zero runs for a worker alone under the threshold from month 15, want 1", n)
		}
	})
}
