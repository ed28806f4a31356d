package dosimetry

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestRollingWindowsMatchRollingSum checks the sliding computation against
// the direct sum for every end month, on random monthly and quarterly doses.
func TestRollingWindowsMatchRollingSum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var doses []DatedDose
		for range r.IntN(30) {
			end := time.Date(2018+r.IntN(5), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			doses = append(doses, DatedDose{Start: end.AddDate(0, -r.IntN(3), 0), End: end, Dose: Microsievert(r.IntN(5000))})
		}
		first, last := Month{2017, time.June}, Month{2024, time.March}
		want := first
		rollingWindows(doses, first, last, func(w Window) bool {
			if w.Last != want || w.First != want.AddMonths(-11) {
				t.Fatalf("rollingWindows gave window %v–%v, want ending %v", w.First, w.Last, want)
			}
			end := time.Date(w.Last.Year, w.Last.Month, 15, 0, 0, 0, 0, time.UTC)
			if got := RollingSum(doses, end); got != w.Sum {
				t.Fatalf("rollingWindows sum for %v = %v, RollingSum = %v", w.Last, w.Sum, got)
			}
			want = want.AddMonths(1)
			return true
		})
		if want != last.AddMonths(1) {
			t.Fatalf("rollingWindows stopped at %v, want %v", want, last)
		}
	}
}
