package exposure

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/migrate"
)

// This file is the read side's fast path for ForViewer: one aggregate
// statement, under the viewer's row scope, sums each worker's readable
// results of the 23 months the current rolling windows need, by monitoring
// kind and quantity. For a worker whose windows can hold no surprise (an
// adult on the whole horizon, no declared pregnancy, no lens result of the
// transition period, one limit row in force over the horizon for each
// rolling code, and every code's 23-month total below ApproachingShare of
// its limit, so that no window in the horizon approaches a limit and no
// exceedance episode can end in the last 12 months), the standing of each
// rolling code is the current window's sum against that row: exactly what
// standings computes. The others go through standingsOf, the reference.

// viewerSums are one worker's readable results of one kind and quantity.
type viewerSums struct {
	WorkerID       int    `json:"worker_id"`
	MonitoringKind string `json:"monitoring_kind"`
	Quantity       string `json:"quantity"`
	// Horizon: the 23 months; Window: the current 12; Transition: the lens
	// transition period (results only counted).
	HorizonSum    int64 `json:"horizon_sum"`
	WindowSum     int64 `json:"window_sum"`
	WindowCount   int64 `json:"window_count"`
	TransitionCnt int64 `json:"transition_count"`
}

// quietRows returns, for each rolling code, the one adult limit row in force
// from the first day of the horizon to the last of the month of asOf, and
// false when some code has none or several there (a limit changed: the
// reference computes).
func quietRows(horizon, end time.Time) (map[dosimetry.LimitCode]dosimetry.Limit, bool) {
	out := map[dosimetry.LimitCode]dosimetry.Limit{}
	for _, code := range dosimetry.RollingCodes {
		n := 0
		for _, l := range dosimetry.Limits() {
			if l.Code != code || l.Window != dosimetry.WindowRolling12 || l.Population != dosimetry.PopulationAdult {
				continue
			}
			if (!l.From.IsZero() && l.From.After(end)) || (!l.To.IsZero() && l.To.Before(horizon)) {
				continue // not in force over the horizon
			}
			n++
			if (!l.From.IsZero() && l.From.After(horizon)) || (!l.To.IsZero() && l.To.Before(end)) {
				return nil, false // in force over part of it only
			}
			out[code] = l
		}
		if n != 1 {
			return nil, false
		}
	}
	return out, true
}

// dayAtLeast is the SQL of "the UTC day of time column c is on or after day".
func dayAtLeast(d, c string, day time.Time) string {
	if d == dialect.Postgres {
		return fmt.Sprintf("%s >= TIMESTAMPTZ '%s 00:00:00+00'", c, day.Format(time.DateOnly))
	}
	return fmt.Sprintf("substr(%s, 1, 10) >= '%s'", c, day.Format(time.DateOnly))
}

// forViewerFast computes the standings of the quiet workers among people on
// asOf (a civil day) from one aggregate read under ctx's row scope, and
// returns the others, whose standings it leaves to the reference.
func forViewerFast(ctx context.Context, client *ent.Client, people map[int]dosimetry.Person, asOf time.Time) (map[int][]Standing, []int, error) {
	ids := make([]int, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cur := dosimetry.MonthOf(asOf)
	horizon, winStart, end := firstDay(cur.AddMonths(-22)), firstDay(cur.AddMonths(-11)), lastDay(cur)
	trans := transitionLimit()
	rows, ok := quietRows(horizon, end)
	if !ok || !asOf.After(trans.To) {
		return nil, ids, nil
	}
	var sums []viewerSums
	lensTransition := func(s *sql.Selector) string {
		var pairs []string
		var kinds, quantities []string
		for _, c := range migrate.DoseRecordsColumns {
			switch c.Name {
			case doserecord.FieldMonitoringKind:
				kinds = c.Enums
			case doserecord.FieldQuantity:
				quantities = c.Enums
			}
		}
		for _, k := range kinds {
			for _, q := range quantities {
				if dosimetry.CountsToward(dosimetry.LimitLensTransition, k, q) {
					pairs = append(pairs, fmt.Sprintf("(%s = '%s' AND %s = '%s')", s.C(doserecord.FieldMonitoringKind), k, s.C(doserecord.FieldQuantity), q))
				}
			}
		}
		if len(pairs) == 0 {
			return "FALSE"
		}
		return "(" + strings.Join(pairs, " OR ") + ")"
	}
	err := client.DoseRecord.Query().
		Where(doserecord.WorkerIDIn(ids...), doserecord.Current(true), doserecord.StatusNEQ(doserecord.StatusAbsent),
			doserecord.PeriodEndLT(end.AddDate(0, 0, 1)),
			doserecord.Or(doserecord.PeriodEndGTE(horizon),
				doserecord.And(doserecord.MonitoringKindEQ(doserecord.MonitoringKindLens), doserecord.PeriodEndGTE(trans.From)))).
		GroupBy(doserecord.FieldWorkerID, doserecord.FieldMonitoringKind, doserecord.FieldQuantity).
		Aggregate(func(s *sql.Selector) string {
			d, v, e := s.Dialect(), s.C(doserecord.FieldValueUsv), s.C(doserecord.FieldPeriodEnd)
			inHorizon, inWindow := dayAtLeast(d, e, horizon), dayAtLeast(d, e, winStart)
			inTransition := fmt.Sprintf("%s AND NOT %s AND %s", lensTransition(s), dayAtLeast(d, e, trans.To.AddDate(0, 0, 1)), dayAtLeast(d, e, trans.From))
			return fmt.Sprintf(`coalesce(sum(CASE WHEN %[2]s THEN %[1]s ELSE 0 END), 0) AS horizon_sum,
	coalesce(sum(CASE WHEN %[3]s THEN %[1]s ELSE 0 END), 0) AS window_sum,
	coalesce(sum(CASE WHEN %[3]s THEN 1 ELSE 0 END), 0) AS window_count,
	coalesce(sum(CASE WHEN %[4]s THEN 1 ELSE 0 END), 0) AS transition_count`, v, inHorizon, inWindow, inTransition)
		}).Scan(ctx, &sums)
	if err != nil {
		return nil, nil, fmt.Errorf("viewer standings: %w", err)
	}
	type acc struct {
		horizon, window map[dosimetry.LimitCode]int64
		records         map[dosimetry.LimitCode]int
		transition      bool
	}
	byWorker := make(map[int]*acc, len(ids))
	for _, id := range ids {
		byWorker[id] = &acc{horizon: map[dosimetry.LimitCode]int64{}, window: map[dosimetry.LimitCode]int64{}, records: map[dosimetry.LimitCode]int{}}
	}
	for _, s := range sums {
		a := byWorker[s.WorkerID]
		if a == nil {
			continue
		}
		if s.TransitionCnt > 0 {
			a.transition = true
		}
		for _, code := range dosimetry.RollingCodes {
			if dosimetry.CountsToward(code, s.MonitoringKind, s.Quantity) {
				a.horizon[code] += s.HorizonSum
				a.window[code] += s.WindowSum
				a.records[code] += int(s.WindowCount)
			}
		}
	}
	out := make(map[int][]Standing, len(ids))
	var rest []int
	for _, id := range ids {
		p, a := people[id], byWorker[id]
		quiet := len(p.Pregnancies) == 0 && dosimetry.AgeAt(p.Birth, horizon) >= 18 && !a.transition
		for _, code := range dosimetry.RollingCodes {
			if float64(a.horizon[code]) >= ApproachingShare*float64(rows[code].Value) {
				quiet = false
			}
		}
		if !quiet {
			rest = append(rest, id)
			continue
		}
		ss := make([]Standing, 0, len(dosimetry.RollingCodes))
		for _, code := range dosimetry.RollingCodes {
			ss = append(ss, standingOf(dosimetry.Assessment{Limit: rows[code], Start: winStart, End: end,
				Sum: dosimetry.Microsievert(a.window[code]), Records: a.records[code]}))
		}
		out[id] = ss
	}
	return out, rest, nil
}
