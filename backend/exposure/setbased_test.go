package exposure_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/policy"
)

// mixedPopulation writes n workers with random histories over 2021–2025:
// adults and young workers (some turning 18 in the period, one born on 29
// February), pregnancies ongoing, ended or declared twice, every kind and
// quantity, below-threshold, absent and superseded results, most far from
// any limit and some over.
func mixedPopulation(t *testing.T, db *store.DB, n int, seed uint64) []int {
	t.Helper()
	f := mustFixture(t, db)
	rng := rand.New(rand.NewPCG(seed, 7))
	births := []string{"1980-05-17", "1975-11-30", "2007-06-15", "2008-02-29", "2006-12-31", "1999-03-01"}
	kinds := [][2]string{{"PASSIVE_WHOLE_BODY", "HP10"}, {"PASSIVE_WHOLE_BODY", "HP007"}, {"EXTREMITY", "HP007"},
		{"LENS", "HP3"}, {"SKIN", "HP007"}, {"INTERNAL", "E50"}, {"NEUTRON", "HP10"}}
	var ids []int
	var doses []*ent.DoseRecordCreate
	for i := range n {
		w := f.c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("M%05d", i)).SetLastName("Nom").
			SetFirstNames("Prénom").SetBirthDate(date(births[i%len(births)])).SetSex("F").SaveX(f.ctx)
		ids = append(ids, w.ID)
		switch i % 9 {
		case 1:
			f.pregnancy(t, w, "2024-11-04", "")
		case 2:
			f.pregnancy(t, w, "2022-02-10", "2022-09-30")
		case 3:
			f.pregnancy(t, w, "2024-06-01", "")
			f.pregnancy(t, w, "2024-06-01", "2025-01-20")
		}
		hot := i%5 == 0 // near or over a limit
		for m := 0; m < 50; m++ {
			if rng.IntN(3) == 0 {
				continue
			}
			start := time.Date(2021, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, m, 0)
			end := start.AddDate(0, 1+rng.IntN(3), -1)
			k := kinds[rng.IntN(len(kinds))]
			usv := int64(rng.IntN(300))
			if hot {
				usv = int64(rng.IntN(9000))
				if k[0] == "EXTREMITY" || k[0] == "SKIN" {
					usv *= 20
				}
			}
			status := "MEASURED"
			switch rng.IntN(10) {
			case 0:
				status, usv = "BELOW_THRESHOLD", 0
			case 1:
				status = "ABSENT"
			}
			doses = append(doses, f.c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetSource("LABORATORY").
				SetMonitoringKind(doserecord.MonitoringKind(k[0])).SetQuantity(doserecord.Quantity(k[1])).
				SetPeriodStart(start).SetPeriodEnd(end).SetValueUsv(usv).SetStatus(doserecord.Status(status)).
				SetCurrent(rng.IntN(12) != 0))
		}
	}
	for i := 0; i < len(doses); i += 1000 {
		f.c.DoseRecord.CreateBulk(doses[i:min(i+1000, len(doses))]...).ExecX(f.ctx)
	}
	return ids
}

// TestRecomputeMatchesStandings ensures the stored standings, whichever way
// Recompute computes them (set-based SQL on PostgreSQL, worker by worker on
// SQLite), are exactly Standings over each worker's whole history, on days
// before, during and after the lens transition's end and around birthdays.
func TestRecomputeMatchesStandings(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, db *store.DB) {
		ids := mixedPopulation(t, db, 180, 1)
		f := &fixture{c: db.Client, ctx: policy.SystemContext(context.Background())}
		for _, day := range []string{"2022-08-31", "2023-06-30", "2023-07-01", "2024-02-29", "2025-03-15", "2026-01-10"} {
			asOf := date(day)
			if _, err := exposure.Recompute(f.ctx, f.c, ids, asOf); err != nil {
				t.Fatal(err)
			}
			people, err := exposure.LoadPeople(f.ctx, f.c, ids)
			if err != nil {
				t.Fatal(err)
			}
			history, err := exposure.LoadDoses(f.ctx, f.c, ids, time.Time{}, date("2030-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			states := map[string]int{}
			for _, id := range ids {
				got := summaries(t, f, id)
				want := exposure.Standings(people[id], history[id], asOf)
				if len(got) != len(want) {
					t.Errorf("%s worker %d: %d rows, want %d (%v)", day, id, len(got), len(want), want)
				}
				for _, s := range want {
					g := got[exposureCode(s.Code)]
					states[string(s.State)]++
					if g == nil {
						t.Errorf("%s worker %d: no %s row, want %+v", day, id, s.Code, s)
						continue
					}
					if !g.WindowStart.UTC().Equal(s.WindowStart) || !g.WindowEnd.UTC().Equal(s.WindowEnd) || g.SumUsv != int64(s.Sum) ||
						g.LimitUsv != int64(s.Limit) || string(g.Status) != string(s.State) || g.Records != s.Records {
						t.Errorf("%s worker %d %s: stored %s–%s %d/%d %s %d records, want %s–%s %d/%d %s %d", day, id, s.Code,
							g.WindowStart.UTC().Format(time.DateOnly), g.WindowEnd.UTC().Format(time.DateOnly), g.SumUsv, g.LimitUsv, g.Status, g.Records,
							s.WindowStart.Format(time.DateOnly), s.WindowEnd.Format(time.DateOnly), s.Sum, s.Limit, s.State, s.Records)
					}
				}
			}
			// The population must exercise every state, or the test proves little.
			if day == "2025-03-15" && (states["OK"] == 0 || states["APPROACHING"] == 0 || states["EXCEEDED"] == 0) {
				t.Errorf("%s: states %v, want each of OK, APPROACHING, EXCEEDED", day, states)
			}
		}
	})
}

// TestRecomputeHandWrittenSQL ensures the stored effective, extremity and
// lens standings of adults far from the limits (no window of the last 23
// months near one, so no recent episode) are the plain sums of
// DOMAIN.md's rule, written by hand: the current results of the 12 calendar
// months ending with the evaluation's, attributed to the month their period
// ends, against 20, 500 and 20 mSv.
func TestRecomputeHandWrittenSQL(t *testing.T) {
	db := storetest.MustOpen(t)
	ids := mixedPopulation(t, db, 120, 2)
	ctx := policy.SystemContext(context.Background())
	if _, err := exposure.Recompute(ctx, db.Client, ids, date("2025-03-15")); err != nil {
		t.Fatal(err)
	}
	const q = `WITH hand AS (
		SELECT w.id AS worker_id, c.code, c.limit_usv,
			coalesce(sum(r.value_usv) FILTER (WHERE r.id IS NOT NULL), 0) AS sum_usv, count(r.id) AS records
		FROM workers w
		CROSS JOIN (VALUES ('EFFECTIVE', 20000), ('EXTREMITY', 500000), ('LENS', 20000)) c(code, limit_usv)
		LEFT JOIN dose_records r ON r.worker_id = w.id AND r.current AND r.status <> 'ABSENT'
			AND r.period_end >= '2024-04-01' AND r.period_end < '2025-04-01'
			AND CASE c.code WHEN 'EFFECTIVE' THEN r.quantity IN ('HP10', 'E50', 'E')
				WHEN 'EXTREMITY' THEN r.monitoring_kind = 'EXTREMITY' ELSE r.monitoring_kind = 'LENS' END
		WHERE w.birth_date < '2000-01-01'
		GROUP BY w.id, c.code, c.limit_usv
	)
	SELECT count(*), count(*) FILTER (WHERE h.sum_usv = s.sum_usv AND h.records = s.records AND h.limit_usv = s.limit_usv
		AND s.window_start = '2024-04-01' AND s.window_end = '2025-03-31'
		AND s.status = CASE WHEN h.sum_usv > h.limit_usv THEN 'EXCEEDED' WHEN h.sum_usv >= 0.8 * h.limit_usv THEN 'APPROACHING' ELSE 'OK' END)
	FROM hand h JOIN exposure_summaries s ON s.worker_id = h.worker_id AND s.limit_code = h.code
	WHERE h.sum_usv < 0.4 * h.limit_usv AND (SELECT coalesce(sum(x.value_usv), 0) FROM dose_records x
		WHERE x.worker_id = h.worker_id AND x.current AND x.status <> 'ABSENT' AND x.period_end >= '2023-05-01'
			AND CASE h.code WHEN 'EFFECTIVE' THEN x.quantity IN ('HP10', 'E50', 'E')
				WHEN 'EXTREMITY' THEN x.monitoring_kind = 'EXTREMITY' ELSE x.monitoring_kind = 'LENS' END) < 0.8 * h.limit_usv`
	var all, agree int
	if err := db.SQL.QueryRowContext(ctx, q).Scan(&all, &agree); err != nil {
		t.Fatal(err)
	}
	if all < 100 || agree != all {
		t.Errorf("hand-written sums agree on %d of %d standings, want all (at least 100)", agree, all)
	}
}

func exposureCode(c dosimetry.LimitCode) exposuresummary.LimitCode {
	return exposuresummary.LimitCode(c)
}
