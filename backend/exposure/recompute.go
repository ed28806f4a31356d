package exposure

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// chunk is how many workers one round of queries covers, and insertChunk how
// many summary rows one upsert statement carries: at 10 parameters a row it
// stays below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const (
	chunk       = 1000
	insertChunk = 2500
)

// Recompute brings the ExposureSummary rows of workerIDs up to date with their
// current dose records on the civil day asOf, in the transaction of client
// (it runs as the system: the standing does not depend on who caused it). It
// upserts one row per worker and applicable limit, deletes nothing, and
// returns the workers whose rows were created or changed, in ascending order.
// Workers are handled 1,000 at a time: four reads (a fifth for the workers
// whose pregnancy or lens transition period goes back further than the 23
// months of the windows), then one upsert per 2,500 changed rows.
func Recompute(ctx context.Context, client *ent.Client, workerIDs []int, asOf time.Time) (changed []int, err error) {
	ctx = policy.SystemContext(ctx)
	ids := slices.Clone(workerIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for i := 0; i < len(ids); i += chunk {
		c, err := recomputeChunk(ctx, client, ids[i:min(i+chunk, len(ids))], civilDay(asOf))
		if err != nil {
			return nil, err
		}
		changed = append(changed, c...)
	}
	return changed, nil
}

func recomputeChunk(ctx context.Context, client *ent.Client, ids []int, asOf time.Time) ([]int, error) {
	people, err := loadPeople(ctx, client, ids)
	if err != nil {
		return nil, err
	}
	existing, err := client.ExposureSummary.Query().Where(exposuresummary.WorkerIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load exposure summaries: %w", err)
	}
	stored := map[int]map[dosimetry.LimitCode]*ent.ExposureSummary{}
	// Every worker needs the results of the 23 months the 12 windows cover;
	// some need older ones (a pregnancy, the lens transition period).
	horizon := firstDay(dosimetry.MonthOf(asOf).AddMonths(-22))
	need := map[int]time.Time{}
	older := func(id int, t time.Time) {
		if t = civilDay(t); t.Before(horizon) && (need[id].IsZero() || t.Before(need[id])) {
			need[id] = t
		}
	}
	for _, s := range existing {
		if stored[s.WorkerID] == nil {
			stored[s.WorkerID] = map[dosimetry.LimitCode]*ent.ExposureSummary{}
		}
		stored[s.WorkerID][dosimetry.LimitCode(s.LimitCode)] = s
		older(s.WorkerID, s.WindowStart)
	}
	_, transition := dosimetry.LimitAt(dosimetry.LimitLensTransition, asOf, dosimetry.StatusAdult)
	for id, p := range people {
		if p.PregnancyDeclared != nil {
			older(id, *p.PregnancyDeclared)
		}
		if transition {
			older(id, time.Date(2018, time.July, 1, 0, 0, 0, 0, time.UTC))
		}
	}
	doses, err := loadDoses(ctx, client, ids, horizon, lastDay(dosimetry.MonthOf(asOf)))
	if err != nil {
		return nil, err
	}
	if len(need) > 0 {
		var oldIDs []int
		from := horizon
		for id, t := range need {
			oldIDs = append(oldIDs, id)
			from = earliest(from, t)
		}
		old, err := loadDoses(ctx, client, oldIDs, from, horizon.AddDate(0, 0, -1))
		if err != nil {
			return nil, err
		}
		for id, ds := range old {
			doses[id] = append(doses[id], ds...)
		}
	}
	var rows []*ent.ExposureSummaryCreate
	var changed []int
	for _, id := range ids {
		p, ok := people[id]
		if !ok {
			continue // no such worker
		}
		var keep []dosimetry.LimitCode
		for code := range stored[id] {
			keep = append(keep, code)
		}
		dirty := false
		for _, s := range Standings(p, doses[id], asOf, keep...) {
			if old := stored[id][s.Code]; old != nil && same(old, s) {
				continue
			}
			dirty = true
			rows = append(rows, client.ExposureSummary.Create().SetWorkerID(id).SetLimitCode(exposuresummary.LimitCode(s.Code)).
				SetWindowStart(s.WindowStart).SetWindowEnd(s.WindowEnd).SetSumUsv(int64(s.Sum)).SetLimitUsv(int64(s.Limit)).
				SetStatus(s.State).SetRecords(s.Records))
		}
		if dirty {
			changed = append(changed, id)
		}
	}
	for i := 0; i < len(rows); i += insertChunk {
		err := client.ExposureSummary.CreateBulk(rows[i:min(i+insertChunk, len(rows))]...).
			OnConflictColumns(exposuresummary.FieldWorkerID, exposuresummary.FieldLimitCode).UpdateNewValues().Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("upsert exposure summaries: %w", err)
		}
	}
	return changed, nil
}

func same(old *ent.ExposureSummary, s Standing) bool {
	return civilDay(old.WindowStart).Equal(s.WindowStart) && civilDay(old.WindowEnd).Equal(s.WindowEnd) &&
		old.SumUsv == int64(s.Sum) && old.LimitUsv == int64(s.Limit) && old.Status == s.State && old.Records == s.Records
}

// loadPeople loads the birth dates and the latest declared pregnancy of
// workers (a pregnancy may be declared to any of their employers).
func loadPeople(ctx context.Context, client *ent.Client, ids []int) (map[int]Person, error) {
	ws, err := client.Worker.Query().Where(worker.IDIn(ids...)).Select(worker.FieldID, worker.FieldBirthDate).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load workers: %w", err)
	}
	out := make(map[int]Person, len(ws))
	for _, w := range ws {
		out[w.ID] = Person{BirthDate: w.BirthDate}
	}
	emps, err := client.Employment.Query().
		Where(employment.WorkerIDIn(ids...), employment.PregnancyDeclaredOnNotNil()).
		Select(employment.FieldWorkerID, employment.FieldPregnancyDeclaredOn, employment.FieldPregnancyEndedOn).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load pregnancy declarations: %w", err)
	}
	for _, e := range emps {
		p := out[e.WorkerID]
		if p.PregnancyDeclared == nil || e.PregnancyDeclaredOn.After(*p.PregnancyDeclared) {
			p.PregnancyDeclared, p.PregnancyEnded = e.PregnancyDeclaredOn, e.PregnancyEndedOn
			out[e.WorkerID] = p
		}
	}
	return out, nil
}

// loadDoses loads the current results of workers whose period ends from
// from to to, by worker. ABSENT results carry no dose and are left out.
func loadDoses(ctx context.Context, client *ent.Client, ids []int, from, to time.Time) (map[int][]Dose, error) {
	recs, err := client.DoseRecord.Query().
		Where(doserecord.WorkerIDIn(ids...), doserecord.Current(true), doserecord.StatusNEQ(doserecord.StatusAbsent),
			doserecord.PeriodEndGTE(from), doserecord.PeriodEndLT(to.AddDate(0, 0, 1))).
		Select(doserecord.FieldWorkerID, doserecord.FieldMonitoringKind, doserecord.FieldQuantity,
			doserecord.FieldPeriodStart, doserecord.FieldPeriodEnd, doserecord.FieldValueUsv).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose records: %w", err)
	}
	out := map[int][]Dose{}
	for _, r := range recs {
		out[r.WorkerID] = append(out[r.WorkerID], Dose{Kind: string(r.MonitoringKind), Quantity: string(r.Quantity),
			Start: r.PeriodStart, End: r.PeriodEnd, USv: r.ValueUsv})
	}
	return out, nil
}
