package anomaly

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/contextstatistic"
	"github.com/siseri/siseri/policy"
)

// MinCell is the smallest number of doses a published statistic covers in
// every quarter of its period: no one is identifiable through a small cell,
// nor by differencing two periods (periods are whole quarters).
const MinCell = 10

// MinWorkers is the fewest distinct workers a published statistic pools in
// every quarter of its period (statistical secrecy: three contributors), so
// that ten weekly results of one person are never published as a cell.
const MinWorkers = 3

// quarterStart returns the first day of t's calendar quarter.
func quarterStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
}

// Stat is the national picture of one exposure context over a period.
type Stat struct {
	SectorCode, SectorLabel, JobCode, JobLabel string
	MonitoringKind                             string
	PeriodMonths                               int
	Doses, NonZero                             int
	MeanUSv                                    float64
	// MedianUSv, P90USv and P99USv are quantiles of the non-zero doses;
	// zero when there are none.
	MedianUSv, P90USv, P99USv float64
}

// StatsFilter narrows Statistics; empty fields do not filter.
type StatsFilter struct {
	MonitoringKind, SectorCode, JobCode string
	From, To                            time.Time
}

// Statistics merges the monthly context statistics of sector × job contexts
// over [From, To] (default: the 24 months before now) into one row per
// context, ordered by sector, job, kind and period.
func Statistics(ctx context.Context, client *ent.Client, f StatsFilter, now time.Time) ([]Stat, error) {
	ctx = policy.SystemContext(ctx)
	if f.To.IsZero() {
		// The last complete quarter: the current one is still filling up.
		f.To = quarterStart(now).AddDate(0, 0, -1)
	}
	if f.From.IsZero() {
		f.From = monthStart(f.To).AddDate(0, -(Window - 1), 0)
	}
	// Whole quarters only: comparing two periods never isolates one month.
	f.From = quarterStart(f.From)
	f.To = quarterStart(f.To).AddDate(0, 3, -1)
	q := client.ContextStatistic.Query().Where(contextstatistic.LevelEQ(contextstatistic.LevelJob),
		contextstatistic.MonthGTE(monthStart(f.From)), contextstatistic.MonthLTE(monthStart(f.To)))
	if f.MonitoringKind != "" {
		q.Where(contextstatistic.MonitoringKind(f.MonitoringKind))
	}
	if f.SectorCode != "" {
		q.Where(contextstatistic.SectorCode(f.SectorCode))
	}
	if f.JobCode != "" {
		q.Where(contextstatistic.JobCode(f.JobCode))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load context statistics: %w", err)
	}
	nomen, err := loadNomenclature(ctx, client)
	if err != nil {
		return nil, err
	}
	type acc struct {
		stat     Stat
		sum      int64
		dg       *Summary
		quarters map[time.Time]int
		workers  map[time.Time][]int
	}
	byKey := map[string]*acc{}
	var order []string
	for _, r := range rows {
		a := byKey[r.ContextKey]
		if a == nil {
			a = &acc{stat: Stat{SectorCode: r.SectorCode, JobCode: r.JobCode, MonitoringKind: r.MonitoringKind,
				PeriodMonths: r.PeriodMonths, SectorLabel: nomen.name("SECTOR", r.SectorCode), JobLabel: nomen.name("JOB", r.JobCode)},
				dg: &Summary{Digest: NewDigest()}, quarters: map[time.Time]int{}, workers: map[time.Time][]int{}}
			byKey[r.ContextKey] = a
			order = append(order, r.ContextKey)
		}
		a.stat.Doses += r.Doses
		a.quarters[quarterStart(r.Month)] += r.Doses
		for _, w := range r.Contributors {
			a.workers[quarterStart(r.Month)] = addContributor(a.workers[quarterStart(r.Month)], w)
		}
		a.stat.NonZero += r.Doses - r.ZeroDoses
		a.sum += r.SumUsv
		if len(r.Digest) > 0 {
			dg, err := decodeDigest(r.Digest)
			if err != nil {
				return nil, err
			}
			if err := a.dg.Digest.Merge(dg); err != nil {
				return nil, err
			}
		}
	}
	out := make([]Stat, 0, len(order))
	for _, k := range order {
		a := byKey[k]
		if !wholeCells(a.quarters, a.workers, f.From, f.To) {
			continue
		}
		a.stat.MeanUSv = float64(a.sum) / float64(a.stat.Doses)
		if a.stat.NonZero > 0 {
			q := a.dg.Digest.Quantile
			a.stat.MedianUSv, a.stat.P90USv, a.stat.P99USv = math.Exp(q(0.5)), math.Exp(q(0.9)), math.Exp(q(0.99))
		}
		out = append(out, a.stat)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.SectorLabel != b.SectorLabel {
			return a.SectorLabel < b.SectorLabel
		}
		if a.JobLabel != b.JobLabel {
			return a.JobLabel < b.JobLabel
		}
		if a.MonitoringKind != b.MonitoringKind {
			return a.MonitoringKind < b.MonitoringKind
		}
		return a.PeriodMonths < b.PeriodMonths
	})
	return out, nil
}

// wholeCells reports whether every quarter of [from, to] holds MinCell doses
// of MinWorkers distinct workers.
func wholeCells(quarters map[time.Time]int, workers map[time.Time][]int, from, to time.Time) bool {
	for q := quarterStart(from); !q.After(to); q = q.AddDate(0, 3, 0) {
		if quarters[q] < MinCell || len(workers[q]) < MinWorkers {
			return false
		}
	}
	return true
}
