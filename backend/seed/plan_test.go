package seed

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/doserecord"
)

func TestNewPlan_CustomWindow(t *testing.T) {
	// Ensure a shorter history ending elsewhere keeps every record inside it
	// and still holds the planted cases.
	opts := Options{Workers: 120, Seed: 7, Months: 24, End: time.Date(2025, time.July, 15, 0, 0, 0, 0, time.UTC)}
	win, err := opts.window()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2023, time.July, 1, 0, 0, 0, 0, time.UTC); !win.start.Equal(want) {
		t.Fatalf("window starts %s, want %s", win.start, want)
	}
	p := newPlan(opts, win)
	doses := map[int][]dosimetry.DatedDose{}
	for _, r := range p.gen.records {
		if r.start.Before(win.start) || !r.end.Before(win.end) || r.received.After(p.gen.referenceTime()) {
			t.Errorf("record %s – %s received %s, outside %s – %s", r.start, r.end, r.received, win.start, win.end)
		}
		if r.current && r.kind == doserecord.MonitoringKindPassiveWholeBody {
			doses[r.worker] = append(doses[r.worker], dosimetry.DatedDose{Start: r.start, End: r.end, Dose: dosimetry.Microsievert(r.value)})
		}
	}
	over := 0
	for _, d := range doses {
		first, last, _ := dosimetry.DoseSpan(d)
		if w, _ := dosimetry.MaxRollingSum(d, first, last); w.Sum > 20_000 {
			over++
		}
	}
	if over != 2 || len(p.gen.records) == p.originals {
		t.Errorf("%d workers over the limit and %d corrections, want 2 and some", over, len(p.gen.records)-p.originals)
	}
}

func TestNewPlan_Aircrew(t *testing.T) {
	// Ensure computed aircrew doses are never zero and stay bounded (FR 2011:
	// 2.0 mSv mean, 4.7 mSv max; no civil aircrew over 5 mSv since 2020).
	opts := DefaultOptions()
	win, _ := opts.window()
	p := newPlan(opts, win)
	type key struct{ w, y int }
	sums := map[key]int64{}
	for _, r := range p.gen.records {
		if r.kind == doserecord.MonitoringKindAviation {
			sums[key{r.worker, r.end.Year()}] += r.value
		}
	}
	for k, s := range sums {
		if s == 0 || s > 6_000 {
			t.Errorf("aircrew worker %d: %d µSv in %d", k.w, s, k.y)
		}
	}
}

func TestNewPlan_PeriodsOrdered(t *testing.T) {
	// Ensure no employment, pregnancy or wearing period ends before it
	// starts, at sizes where a move or a departure falls on the month of
	// hiring (10,000 workers with the default seed did: « La date de fin
	// (2024-03-31) est antérieure à la date de début (2024-04-01) »).
	for _, tc := range []struct {
		workers int
		seed    int64
	}{{10000, DefaultOptions().Seed}, {3000, 1}, {3000, 2}, {5000, 3}} {
		opts := DefaultOptions()
		opts.Workers, opts.Seed = tc.workers, tc.seed
		win, err := opts.window()
		if err != nil {
			t.Fatal(err)
		}
		p := newPlan(opts, win)
		for wi, w := range p.workers {
			for ei, e := range w.emps {
				if e.end != nil && e.end.Before(e.start) {
					t.Errorf("workers=%d seed=%d: worker %d employment %d runs %s – %s", tc.workers, tc.seed, wi, ei,
						e.start.Format(time.DateOnly), e.end.Format(time.DateOnly))
				}
				if e.pregFrom != nil && e.pregTo != nil && e.pregTo.Before(*e.pregFrom) {
					t.Errorf("workers=%d seed=%d: worker %d pregnancy %s – %s", tc.workers, tc.seed, wi, e.pregFrom, e.pregTo)
				}
			}
		}
		for _, s := range p.gen.segments {
			if s.end != nil && s.end.Before(s.start) {
				t.Errorf("workers=%d seed=%d: dosimeter %s worn %s – %s", tc.workers, tc.seed, s.serial, s.start, *s.end)
			}
		}
	}
}
