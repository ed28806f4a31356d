package anomaly

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/caio/go-tdigest/v4"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/contextstatistic"
	"github.com/siseri/siseri/policy"
)

// Window is how far back the context reference looks: 24 months.
const Window = 24

// monthStart returns the first day of t's month.
func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// levelEnum maps a Level to the entity's enum.
func levelEnum(l Level) contextstatistic.Level {
	return [...]contextstatistic.Level{contextstatistic.LevelJob, contextstatistic.LevelSector,
		contextstatistic.LevelDomain, contextstatistic.LevelKind}[l]
}

// statKey is one context at one level for one month.
type statKey struct {
	key   string
	month time.Time
}

type statDelta struct {
	level       Level
	ctx         Context
	doses, zero int
	sum         int64
	// digest holds the logs of the non-zero doses added since the last flush.
	digest *tdigest.TDigest
	n      int
	// workers are the first MinWorkers distinct workers of the doses.
	workers []int
}

// addContributor adds worker w to the distinct workers of a cell, keeping at
// most MinWorkers: the union of capped sets still tells whether a merge of
// cells pools MinWorkers people (a full set already does; sets below the cap
// are complete).
func addContributor(ws []int, w int) []int {
	if len(ws) >= MinWorkers || slices.Contains(ws, w) {
		return ws
	}
	return append(ws, w)
}

// StatsBuffer collects doses for the monthly context statistics in memory
// (one small digest per context and month) and writes them in one pass.
// An import fills it chunk by chunk and flushes it once at the end, so that
// its statistics rows are written once per batch, and every chunk is judged
// against the statistics as they were before the batch.
type StatsBuffer struct {
	deltas map[statKey]*statDelta
	// read holds the summaries of the stored statistics read since the
	// last flush, by context key and month (nil: none stored).
	read map[statKey]*Summary
}

// NewStatsBuffer returns an empty buffer.
func NewStatsBuffer() *StatsBuffer { return &StatsBuffer{deltas: map[statKey]*statDelta{}} }

// Add collects doses at every level their context has. Absent results are
// not doses and are skipped.
func (b *StatsBuffer) Add(doses []Dose) error {
	for _, d := range doses {
		if d.Absent {
			continue
		}
		for l := LevelJob; l <= LevelKind; l++ {
			key, ok := d.Context.Key(l)
			if !ok {
				continue
			}
			k := statKey{key, monthStart(d.End)}
			dl := b.deltas[k]
			if dl == nil {
				dl = &statDelta{level: l, ctx: d.Context, digest: NewDigest()}
				b.deltas[k] = dl
			}
			dl.doses++
			dl.workers = addContributor(dl.workers, d.WorkerID)
			if d.Zero || d.USv <= 0 {
				dl.zero++
				continue
			}
			dl.sum += d.USv
			dl.n++
			if err := dl.digest.Add(math.Log(float64(d.USv))); err != nil {
				return err
			}
		}
	}
	return nil
}

// summaries is Summaries over the Window months ending with month, for the
// keys, from the stored statistics as they were at the last flush: each
// key and month is read once.
func (b *StatsBuffer) summaries(ctx context.Context, client *ent.Client, keys []string, month time.Time) (map[string]*Summary, error) {
	if b.read == nil {
		b.read = map[statKey]*Summary{}
	}
	var missing []string
	for _, k := range keys {
		if _, ok := b.read[statKey{k, month}]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		got, err := Summaries(ctx, client, missing, month.AddDate(0, -(Window-1), 0), month)
		if err != nil {
			return nil, err
		}
		for _, k := range missing {
			b.read[statKey{k, month}] = got[k]
		}
	}
	out := make(map[string]*Summary, len(keys))
	for _, k := range keys {
		if s := b.read[statKey{k, month}]; s != nil {
			out[k] = s
		}
	}
	return out, nil
}

// AddToStats adds doses to the monthly context statistics at every level
// their context has, inside the transaction of client. Absent results are
// not doses and are skipped. Superseded values stay in the digests (t-digests
// cannot forget); `siseri detect rebuild-stats` rebuilds them from current
// records when corrections have piled up.
func AddToStats(ctx context.Context, client *ent.Client, doses []Dose) error {
	b := NewStatsBuffer()
	if err := b.Add(doses); err != nil {
		return err
	}
	return b.Flush(ctx, client)
}

// Flush writes what the buffer collected, in the transaction of client, and
// empties it.
func (b *StatsBuffer) Flush(ctx context.Context, client *ent.Client) error {
	ctx = policy.SystemContext(ctx)
	deltas := b.deltas
	b.deltas = map[statKey]*statDelta{}
	b.read = nil // the stored statistics change
	if len(deltas) == 0 {
		return nil
	}
	existing, err := loadRows(ctx, client, deltas)
	if err != nil {
		return err
	}
	for k, dl := range deltas {
		row := existing[k]
		dg := NewDigest()
		if row != nil && len(row.Digest) > 0 {
			if dg, err = decodeDigest(row.Digest); err != nil {
				return fmt.Errorf("context statistics %s %s: %w", k.key, k.month.Format("2006-01"), err)
			}
		}
		if dl.n > 0 {
			if err := dg.Merge(dl.digest); err != nil {
				return err
			}
		}
		blob, err := dg.AsBytes()
		if err != nil {
			return err
		}
		if row != nil {
			workers := row.Contributors
			for _, w := range dl.workers {
				workers = addContributor(workers, w)
			}
			err = client.ContextStatistic.UpdateOne(row).AddDoses(dl.doses).AddZeroDoses(dl.zero).AddSumUsv(dl.sum).
				SetDigest(blob).SetContributors(workers).Exec(ctx)
		} else {
			err = client.ContextStatistic.Create().SetLevel(levelEnum(dl.level)).SetContextKey(k.key).
				SetDomainCode(dl.ctx.Domain).SetSectorCode(dl.ctx.Sector).SetJobCode(dl.ctx.Job).
				SetMonitoringKind(dl.ctx.Kind).SetPeriodMonths(dl.ctx.Months).SetMonth(k.month).
				SetDoses(dl.doses).SetZeroDoses(dl.zero).SetSumUsv(dl.sum).SetDigest(blob).SetContributors(dl.workers).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("save context statistics: %w", err)
		}
	}
	return nil
}

func loadRows(ctx context.Context, client *ent.Client, deltas map[statKey]*statDelta) (map[statKey]*ent.ContextStatistic, error) {
	keys := map[string]bool{}
	var lo, hi time.Time
	for k := range deltas {
		keys[k.key] = true
		if lo.IsZero() || k.month.Before(lo) {
			lo = k.month
		}
		if k.month.After(hi) {
			hi = k.month
		}
	}
	out := map[statKey]*ent.ContextStatistic{}
	list := make([]string, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	for i := 0; i < len(list); i += 500 {
		rows, err := client.ContextStatistic.Query().Where(
			contextstatistic.ContextKeyIn(list[i:min(i+500, len(list))]...),
			contextstatistic.MonthGTE(lo), contextstatistic.MonthLTE(hi),
		).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load context statistics: %w", err)
		}
		for _, r := range rows {
			out[statKey{r.ContextKey, monthStart(r.Month)}] = r
		}
	}
	return out, nil
}

func decodeDigest(b []byte) (*tdigest.TDigest, error) {
	return tdigest.FromBytes(bytes.NewReader(b), tdigest.Compression(100), tdigest.LocalRandomNumberGenerator(1))
}

// Summaries merges, for each context key, the months in [from, to] into one
// summary.
func Summaries(ctx context.Context, client *ent.Client, keys []string, from, to time.Time) (map[string]*Summary, error) {
	ctx = policy.SystemContext(ctx)
	out := map[string]*Summary{}
	for i := 0; i < len(keys); i += 500 {
		rows, err := client.ContextStatistic.Query().Where(
			contextstatistic.ContextKeyIn(keys[i:min(i+500, len(keys))]...),
			contextstatistic.MonthGTE(monthStart(from)), contextstatistic.MonthLTE(monthStart(to)),
		).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load context statistics: %w", err)
		}
		for _, r := range rows {
			s := out[r.ContextKey]
			if s == nil {
				s = &Summary{Key: r.ContextKey, Level: levelOf(r.Level), Digest: NewDigest()}
				out[r.ContextKey] = s
			}
			s.N += r.Doses
			s.NZero += r.ZeroDoses
			if len(r.Digest) > 0 {
				dg, err := decodeDigest(r.Digest)
				if err != nil {
					return nil, fmt.Errorf("context statistics %s: %w", r.ContextKey, err)
				}
				if err := s.Digest.Merge(dg); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

func levelOf(l contextstatistic.Level) Level {
	switch l {
	case contextstatistic.LevelJob:
		return LevelJob
	case contextstatistic.LevelSector:
		return LevelSector
	case contextstatistic.LevelDomain:
		return LevelDomain
	}
	return LevelKind
}
