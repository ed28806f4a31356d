// Package seed fills an empty database with SISERI's demo data: a versioned
// nomenclature, companies and establishments across regions, accredited
// laboratories, about 2,000 workers with their employments, 36 months of dose
// records drawn from the generative model of ANOMALY.md §3 (with a few planted
// anomalies and physician corrections), dosimeters, and one demo account per
// role. The records are replayed in the order they arrived and judged by the
// registry's detection as they arrive (detect.go), and the demo laboratory
// re-sends a corrected result, so that the demo opens on the detector's own
// anomalies and one pending correction conflict; in demo mode a Ticker keeps
// sending new results. Everything is deterministic for a given seed.
package seed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	expo "github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// referenceDate is the fixed "today" of the demo data, so that the data are the
// same whenever they are generated: by default they cover the 36 months up to
// the last full month before it.
var referenceDate = time.Date(2026, time.October, 31, 0, 0, 0, 0, time.UTC)

// Options control the size and randomness of the demo population.
type Options struct {
	Workers int
	Seed    int64
	// Months is the length of the dose history, 24 to 120 (0 means 36).
	Months int
	// End is the first day after the dose history; it is moved to the first of
	// its month. The zero value means the first day of referenceDate's month.
	End time.Time
}

// DefaultOptions returns about 2,000 workers with a fixed seed and 36 months of
// data ending with the last full month before referenceDate.
func DefaultOptions() Options {
	return Options{Workers: 2000, Seed: 20261126, Months: 36, End: firstOfMonth(referenceDate)}
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// window checks the options and returns the span of the data.
func (o Options) window() (window, error) {
	if o.Workers < 50 {
		return window{}, fmt.Errorf("seed: at least 50 workers are needed, got %d", o.Workers)
	}
	months := o.Months
	if months == 0 {
		months = 36
	}
	if months < 24 || months > 120 {
		return window{}, fmt.Errorf("seed: the dose history must last 24 to 120 months, got %d", months)
	}
	end := o.End
	if end.IsZero() {
		end = referenceDate
	}
	end = firstOfMonth(end)
	return window{start: end.AddDate(0, -months, 0), end: end, months: months}, nil
}

// IfEmpty seeds the demo data when the database holds no worker and returns the
// number of workers created (0 when the database was not empty). Everything is
// written in one transaction, in the system context.
func IfEmpty(ctx context.Context, client *ent.Client, opts Options, log *slog.Logger) (int, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	win, err := opts.window()
	if err != nil {
		return 0, err
	}
	began := time.Now()
	ctx = policy.SystemContext(ctx)
	postgres := expo.IsPostgres(ctx, client)
	tx, err := client.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("seed: begin transaction: %w", err)
	}
	exists, err := tx.Worker.Query().Exist(ctx)
	if err != nil || exists {
		return 0, errors.Join(wrap("check for workers", err), tx.Rollback())
	}
	p := newPlan(opts, win)
	p.postgres = postgres
	counts, err := p.write(ctx, tx)
	if err != nil {
		return 0, errors.Join(fmt.Errorf("seed: %w", err), tx.Rollback())
	}
	// Standings against the limits as of the last day of the data, so that
	// dashboards show them from the start.
	ids, err := tx.Worker.Query().IDs(ctx)
	if err == nil {
		_, err = expo.Recompute(ctx, tx.Client(), ids, win.end.AddDate(0, 0, -1))
	}
	if err != nil {
		return 0, errors.Join(fmt.Errorf("seed: exposure: %w", err), tx.Rollback())
	}
	// One pending correction conflict for the demo physician.
	if err := p.resend(ctx, tx); err != nil {
		return 0, errors.Join(fmt.Errorf("seed: correction conflict: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("seed: commit: %w", err)
	}
	attrs := []any{"duration", time.Since(began).Round(time.Millisecond).String(), "seed", opts.Seed,
		"from", win.start.Format(time.DateOnly), "to", win.end.AddDate(0, 0, -1).Format(time.DateOnly)}
	counts = append(counts, count{"anomalies", p.raised}, count{"constraint_notices", p.notices})
	for _, c := range counts {
		attrs = append(attrs, c.name, c.n)
	}
	log.Info("seed: demo data written", attrs...)
	return len(p.workers), nil
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("seed: %s: %w", what, err)
}

// plan is the whole demo data set, drawn in memory before anything is written.
type plan struct {
	win       window
	org       *orgPlan
	workers   []*workerPlan
	gen       *doseGen
	batches   []batchPlan
	originals int // records before this index are originals, after it corrections
	postgres  bool
	// raised and notices count what detection raised while the records were
	// replayed: anomalies, and notices of dose constraints crossed.
	raised, notices int
}

// newPlan draws the demo data. Each part has its own random stream (PCG), so
// the data depend only on the seed and the options.
func newPlan(opts Options, win window) *plan {
	seed := uint64(opts.Seed)
	stream := func(n uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, n)) }
	p := &plan{win: win, org: planOrganisations(stream(1))}
	p.workers = planPopulation(stream(2), opts.Workers, win, newIdentities())
	planCareers(stream(3), p.workers, p.org, win)
	p.gen = newDoseGen(seed^0xd05e5eed, win, p.org, p.workers)
	p.gen.generate()
	p.originals = len(p.gen.records)
	p.gen.correct(stream(4))
	p.batches = p.gen.batches()
	return p
}
