package seed_test

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/exposuresummary"
)

// TestIfEmpty_Exposure ensures the seed leaves every worker's standing against
// the limits computed as of the last day of the data, and that the effective
// dose standings add up the current results of the window.
func TestIfEmpty_Exposure(t *testing.T) {
	db := storetest.MustOpen(t)
	c := db.Client
	opts := smallOptions()
	MustSeed(t, c, opts)
	asOf := opts.End.AddDate(0, 0, -1)

	workers := c.Worker.Query().CountX(sys)
	if n := c.ExposureSummary.Query().Where(exposuresummary.LimitCodeEQ(exposuresummary.LimitCodeEffective)).CountX(sys); n != workers {
		t.Errorf("EFFECTIVE standings = %d, want one per worker (%d)", n, workers)
	}
	pregnant := c.Employment.Query().Where(employment.PregnancyDeclaredOnLTE(asOf)).
		GroupBy(employment.FieldWorkerID).IntsX(sys)
	if n := c.ExposureSummary.Query().Where(exposuresummary.LimitCodeEQ(exposuresummary.LimitCodePregnancy)).CountX(sys); n != len(pregnant) {
		t.Errorf("PREGNANCY standings = %d, want %d (workers with a declared pregnancy)", n, len(pregnant))
	}

	// The window ending with the month of asOf, summed independently.
	recs := c.DoseRecord.Query().Where(doserecord.Current(true), doserecord.StatusNEQ(doserecord.StatusAbsent),
		doserecord.QuantityIn(doserecord.QuantityHp10, doserecord.QuantityE50, doserecord.QuantityE)).AllX(sys)
	doses := map[int][]dosimetry.DatedDose{}
	for _, r := range recs {
		doses[r.WorkerID] = append(doses[r.WorkerID], dosimetry.DatedDose{Start: r.PeriodStart, End: r.PeriodEnd, Dose: dosimetry.Microsievert(r.ValueUsv)})
	}
	states := map[exposuresummary.Status]int{}
	for _, s := range c.ExposureSummary.Query().Where(exposuresummary.LimitCodeEQ(exposuresummary.LimitCodeEffective)).AllX(sys) {
		states[s.Status]++
		if s.Status == exposuresummary.StatusExceeded {
			continue // the worst window of the year, not the current one
		}
		if want := int64(dosimetry.RollingSum(doses[s.WorkerID], asOf)); s.SumUsv != want || !s.WindowEnd.Equal(asOf) {
			t.Errorf("worker %d: EFFECTIVE %d µSv to %s, want %d µSv to %s", s.WorkerID, s.SumUsv,
				s.WindowEnd.Format(time.DateOnly), want, asOf.Format(time.DateOnly))
		}
	}
	t.Logf("effective dose standings on %s: %v", asOf.Format(time.DateOnly), states)
	if states[exposuresummary.StatusOk] == 0 {
		t.Errorf("states = %v, want OK standings", states)
	}
}
