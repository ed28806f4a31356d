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
	"github.com/siseri/siseri/ent/predicate"
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
// upserts one row per worker and tracked limit (see Standings), removes the
// rows of limits no longer tracked, and returns the workers whose rows were
// created, changed or removed, in ascending order. On PostgreSQL the
// standings of all the workers are computed and written in set-based SQL
// (setbased.go). On SQLite, workers are handled 1,000 at a time: four reads
// (more for the few whose exceedance or pregnancy goes back further than the
// 23 months of the windows), then one upsert per 2,500 changed rows.
func Recompute(ctx context.Context, client *ent.Client, workerIDs []int, asOf time.Time) (changed []int, err error) {
	ctx = policy.SystemContext(ctx)
	ids := slices.Clone(workerIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	if IsPostgres(ctx, client) {
		return recomputeSQL(ctx, client, ids, civilDay(asOf))
	}
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
	people, err := LoadPeople(ctx, client, ids)
	if err != nil {
		return nil, err
	}
	all, err := standingsOf(ctx, client, people, asOf)
	if err != nil {
		return nil, err
	}
	existing, err := client.ExposureSummary.Query().Where(exposuresummary.WorkerIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load exposure summaries: %w", err)
	}
	stored := map[int]map[dosimetry.LimitCode]*ent.ExposureSummary{}
	for _, s := range existing {
		if stored[s.WorkerID] == nil {
			stored[s.WorkerID] = map[dosimetry.LimitCode]*ent.ExposureSummary{}
		}
		stored[s.WorkerID][dosimetry.LimitCode(s.LimitCode)] = s
	}
	var rows []*ent.ExposureSummaryCreate
	var changed, stale []int
	for _, id := range ids {
		if _, ok := people[id]; !ok {
			continue // no such worker
		}
		dirty := false
		tracked := map[dosimetry.LimitCode]bool{}
		for _, s := range all[id] {
			tracked[s.Code] = true
			if old := stored[id][s.Code]; old != nil && same(old, s) {
				continue
			}
			dirty = true
			rows = append(rows, client.ExposureSummary.Create().SetWorkerID(id).SetLimitCode(exposuresummary.LimitCode(s.Code)).
				SetWindowStart(s.WindowStart).SetWindowEnd(s.WindowEnd).SetSumUsv(int64(s.Sum)).SetLimitUsv(int64(s.Limit)).
				SetStatus(s.State).SetRecords(s.Records))
		}
		for code, old := range stored[id] {
			if !tracked[code] {
				stale = append(stale, old.ID)
				dirty = true
			}
		}
		if dirty {
			changed = append(changed, id)
		}
	}
	if len(stale) > 0 {
		// Standings are derived data: a limit no longer tracked (a pregnancy
		// declaration withdrawn) leaves no row behind.
		if _, err := client.ExposureSummary.Delete().Where(exposuresummary.IDIn(stale...)).Exec(ctx); err != nil {
			return nil, fmt.Errorf("remove stale exposure summaries: %w", err)
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

// standingsOf computes the standings of people on asOf from the current dose
// records that ctx may read: the system's for the stored standings, a
// viewer's for the sums that viewer may see. It reads the 23 months the
// windows need, then the whole history of the few workers whose pregnancy,
// lens transition total or recent exceedance goes back further.
func standingsOf(ctx context.Context, client *ent.Client, people map[int]dosimetry.Person, asOf time.Time) (map[int][]Standing, error) {
	ids := make([]int, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	horizon := firstDay(dosimetry.MonthOf(asOf).AddMonths(-22))
	end := lastDay(dosimetry.MonthOf(asOf))
	transition := time.Date(2018, time.July, 1, 0, 0, 0, 0, time.UTC)
	// One read: the 23 months, and the lens results of the transition
	// period, whose total is tracked for good.
	doses, err := loadDoses(ctx, client, ids, end, doserecord.Or(doserecord.PeriodEndGTE(horizon),
		doserecord.And(doserecord.MonitoringKindEQ(doserecord.MonitoringKindLens), doserecord.PeriodEndGTE(transition))))
	if err != nil {
		return nil, err
	}
	// A pregnancy declared before the horizon needs the results before it.
	var back []int
	for _, id := range ids {
		if slices.ContainsFunc(people[id].Pregnancies, func(p dosimetry.Pregnancy) bool { return p.Declared.Before(horizon) }) {
			back = append(back, id)
		}
	}
	out := map[int][]Standing{}
	full := map[int]bool{}
	for {
		if len(back) > 0 {
			old, err := LoadDoses(ctx, client, back, time.Time{}, horizon.AddDate(0, 0, -1))
			if err != nil {
				return nil, err
			}
			for _, id := range back {
				// The lens results before the horizon are in old too.
				kept := doses[id][:0:0]
				for _, d := range doses[id] {
					if !d.End.Before(horizon) {
						kept = append(kept, d)
					}
				}
				doses[id] = append(kept, old[id]...)
				full[id] = true
			}
		}
		back = back[:0]
		for _, id := range ids {
			s, reaches := standings(people[id], doses[id], asOf)
			if reaches && !full[id] {
				back = append(back, id)
				continue
			}
			out[id] = s
		}
		if len(back) == 0 {
			return out, nil
		}
	}
}

func same(old *ent.ExposureSummary, s Standing) bool {
	return civilDay(old.WindowStart).Equal(s.WindowStart) && civilDay(old.WindowEnd).Equal(s.WindowEnd) &&
		old.SumUsv == int64(s.Sum) && old.LimitUsv == int64(s.Limit) && old.Status == s.State && old.Records == s.Records
}

// LoadPeople loads what the limits of workers depend on (system context): the
// birth date and every pregnancy declared to any of their employers (one
// declaration made to two employers counts once).
func LoadPeople(ctx context.Context, client *ent.Client, ids []int) (map[int]dosimetry.Person, error) {
	ctx = policy.SystemContext(ctx)
	ws, err := client.Worker.Query().Where(worker.IDIn(ids...)).Select(worker.FieldID, worker.FieldBirthDate).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load workers: %w", err)
	}
	out := make(map[int]dosimetry.Person, len(ws))
	for _, w := range ws {
		out[w.ID] = dosimetry.Person{Birth: w.BirthDate}
	}
	emps, err := client.Employment.Query().
		Where(employment.WorkerIDIn(ids...), employment.PregnancyDeclaredOnNotNil()).
		Select(employment.FieldWorkerID, employment.FieldPregnancyDeclaredOn, employment.FieldPregnancyEndedOn).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load pregnancy declarations: %w", err)
	}
	for _, e := range emps {
		p, ok := out[e.WorkerID]
		if !ok {
			continue
		}
		out[e.WorkerID] = AddPregnancy(p, *e.PregnancyDeclaredOn, e.PregnancyEndedOn)
	}
	return out, nil
}

// AddPregnancy adds to p a pregnancy declared on declared (ended on ended,
// nil while it lasts), as LoadPeople does: one declaration made to two
// employers counts once, with the latest news of it.
func AddPregnancy(p dosimetry.Person, declared time.Time, ended *time.Time) dosimetry.Person {
	pr := dosimetry.Pregnancy{Declared: civilDay(declared)}
	if ended != nil {
		pr.Ended = civilDay(*ended)
	}
	i := slices.IndexFunc(p.Pregnancies, func(x dosimetry.Pregnancy) bool { return x.Declared.Equal(pr.Declared) })
	switch {
	case i < 0:
		p.Pregnancies = append(p.Pregnancies, pr)
	case p.Pregnancies[i].Ended.IsZero() || pr.Ended.After(p.Pregnancies[i].Ended):
		p.Pregnancies[i] = pr // the latest news of the same pregnancy
	}
	return p
}

// LoadDoses loads the current results of workers whose period ends from from
// to to (civil days; a zero from means from the start), by worker, with the
// caller's ctx: its row scope applies. ABSENT results carry no dose and are
// left out.
func LoadDoses(ctx context.Context, client *ent.Client, ids []int, from, to time.Time) (map[int][]dosimetry.DatedDose, error) {
	if from.IsZero() {
		return loadDoses(ctx, client, ids, to)
	}
	return loadDoses(ctx, client, ids, to, doserecord.PeriodEndGTE(from))
}

// loadDoses loads the current results of workers whose period ends by to
// and that meet where, by worker.
func loadDoses(ctx context.Context, client *ent.Client, ids []int, to time.Time, where ...predicate.DoseRecord) (map[int][]dosimetry.DatedDose, error) {
	recs, err := client.DoseRecord.Query().Where(doserecord.WorkerIDIn(ids...), doserecord.Current(true),
		doserecord.StatusNEQ(doserecord.StatusAbsent), doserecord.PeriodEndLT(to.AddDate(0, 0, 1))).Where(where...).
		Select(doserecord.FieldWorkerID, doserecord.FieldMonitoringKind, doserecord.FieldQuantity,
			doserecord.FieldPeriodStart, doserecord.FieldPeriodEnd, doserecord.FieldValueUsv).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose records: %w", err)
	}
	out := map[int][]dosimetry.DatedDose{}
	for _, r := range recs {
		out[r.WorkerID] = append(out[r.WorkerID], datedOf(r))
	}
	return out, nil
}

func datedOf(r *ent.DoseRecord) dosimetry.DatedDose {
	return dosimetry.DatedDose{Kind: string(r.MonitoringKind), Quantity: string(r.Quantity),
		Start: r.PeriodStart, End: r.PeriodEnd, Dose: dosimetry.Microsievert(r.ValueUsv)}
}

// ForViewer returns the standings of workers on asOf computed from the dose
// records the caller of ctx may read, and nothing else: the sums an adviser
// sees cover the worker's contract periods in their establishments, those of
// a control agent the results of their region (REGULATION-CASES RC12, RC14).
// A worker without any readable result has the standings of no dose.
func ForViewer(ctx context.Context, client *ent.Client, ids []int, asOf time.Time) (map[int][]Standing, error) {
	people, err := LoadPeople(ctx, client, ids)
	if err != nil {
		return nil, err
	}
	asOf = civilDay(asOf)
	out, rest, err := forViewerFast(ctx, client, people, asOf)
	if err != nil || len(rest) == 0 {
		return out, err
	}
	others := make(map[int]dosimetry.Person, len(rest))
	for _, id := range rest {
		others[id] = people[id]
	}
	slow, err := standingsOf(ctx, client, others, asOf)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return slow, nil
	}
	for id, s := range slow {
		out[id] = s
	}
	return out, nil
}
