package exposure

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
)

// MonthlyDose is the sum of a worker's current results of one monitoring kind
// and quantity attributed to one month (the month their period ends).
type MonthlyDose struct {
	Month    dosimetry.Month
	Kind     doserecord.MonitoringKind
	Quantity doserecord.Quantity
	USv      int64
	// Records counts the results summed, below-threshold ones included.
	Records int
}

// History returns a worker's doses month by month, per monitoring kind and
// quantity, for the months of from to the month of to inclusive, in order of
// month, kind and quantity. It reads with the caller's ctx, so the caller's
// row scope applies: an adviser gets only the external results of the
// periods the worker was employed in their establishments, and a worker out
// of scope gets an empty history. ABSENT results are left out.
func History(ctx context.Context, client *ent.Client, workerID int, from, to time.Time) ([]MonthlyDose, error) {
	lo, hi := firstDay(dosimetry.MonthOf(from)), firstDay(dosimetry.MonthOf(to).AddMonths(1))
	recs, err := client.DoseRecord.Query().
		Where(doserecord.WorkerID(workerID), doserecord.Current(true), doserecord.StatusNEQ(doserecord.StatusAbsent),
			doserecord.PeriodEndGTE(lo), doserecord.PeriodEndLT(hi)).
		Select(doserecord.FieldWorkerID, doserecord.FieldMonitoringKind, doserecord.FieldQuantity,
			doserecord.FieldPeriodEnd, doserecord.FieldValueUsv).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose history: %w", err)
	}
	type key struct {
		month    dosimetry.Month
		kind     doserecord.MonitoringKind
		quantity doserecord.Quantity
	}
	sums := map[key]*MonthlyDose{}
	for _, r := range recs {
		k := key{dosimetry.MonthOf(r.PeriodEnd), r.MonitoringKind, r.Quantity}
		m := sums[k]
		if m == nil {
			m = &MonthlyDose{Month: k.month, Kind: k.kind, Quantity: k.quantity}
			sums[k] = m
		}
		m.USv += r.ValueUsv
		m.Records++
	}
	out := make([]MonthlyDose, 0, len(sums))
	for _, m := range sums {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b MonthlyDose) int {
		return cmp.Or(cmp.Compare(a.Month.String(), b.Month.String()), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Quantity, b.Quantity))
	})
	return out, nil
}
