package exposure_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/exposuresummary"
)

// want is one expected ExposureSummary row.
type want struct {
	state      exposuresummary.Status
	sum, limit int64
	start, end string
	records    int
}

var recomputeCases = []struct {
	name     string
	birth    string
	declared string // pregnancy declaration, "" for none
	ended    string
	asOf     string
	doses    []dose
	want     map[exposuresummary.LimitCode]want
	// absent are limit codes that must have no row.
	absent []exposuresummary.LimitCode
}{
	{
		name: "Month12In", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2024-04-01", "2024-04-30", 5000), hp10("2025-03-01", "2025-03-31", 10000)},
		want: map[exposuresummary.LimitCode]want{
			"EFFECTIVE": {"OK", 15000, 20000, "2024-04-01", "2025-03-31", 2},
			"EXTREMITY": {"OK", 0, 500000, "2024-04-01", "2025-03-31", 0},
			"SKIN":      {"OK", 0, 500000, "2024-04-01", "2025-03-31", 0},
			"LENS":      {"OK", 0, 20000, "2024-04-01", "2025-03-31", 0},
		},
		absent: []exposuresummary.LimitCode{"PREGNANCY", "LENS_TRANSITION"},
	},
	{
		name: "Month13Out", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2024-03-01", "2024-03-31", 12000), hp10("2025-03-01", "2025-03-31", 9000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"OK", 9000, 20000, "2024-04-01", "2025-03-31", 1}},
	},
	{
		name: "ExceededInMonth12", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2024-04-01", "2024-04-30", 12000), hp10("2025-03-01", "2025-03-31", 9000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"EXCEEDED", 21000, 20000, "2024-04-01", "2025-03-31", 2}},
	},
	{
		// The window of March 2024 – February 2025 exceeded; the current one
		// (April 2024 – March 2025) no longer does, but the exceedance is kept
		// for the 12 months after the month it was reached in.
		name: "ExceedanceKeptAYear", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2024-03-01", "2024-03-31", 12000), hp10("2025-02-01", "2025-02-28", 9000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"EXCEEDED", 21000, 20000, "2024-03-01", "2025-02-28", 2}},
	},
	{
		// The 21 mSv of May 2023 count in the windows ending May 2023 to April
		// 2024, all more than 12 months before May 2025: forgotten.
		name: "ExceedanceForgottenAfterAYear", birth: "1980-01-01", asOf: "2025-05-15",
		doses: []dose{hp10("2023-05-01", "2023-05-31", 21000), hp10("2025-05-01", "2025-05-31", 1000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"OK", 1000, 20000, "2024-06-01", "2025-05-31", 1}},
	},
	{
		name: "EqualToTheLimitRespectsIt", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2025-03-01", "2025-03-31", 20000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"APPROACHING", 20000, 20000, "2024-04-01", "2025-03-31", 1}},
	},
	{
		name: "ApproachingFrom80Percent", birth: "1980-01-01", asOf: "2025-03-15",
		doses: []dose{hp10("2025-03-01", "2025-03-31", 16000), dose{kind: "SKIN", quantity: "HP007", start: "2025-03-01", end: "2025-03-31", usv: 399999}},
		want: map[exposuresummary.LimitCode]want{
			"EFFECTIVE": {"APPROACHING", 16000, 20000, "2024-04-01", "2025-03-31", 1},
			"SKIN":      {"OK", 399999, 500000, "2024-04-01", "2025-03-31", 1},
		},
	},
	{
		// February 2024 has 29 days; the window of March 2024 – February 2025
		// starts the day after the 29th.
		name: "LeapYearOut", birth: "1980-01-01", asOf: "2025-02-28",
		doses: []dose{hp10("2024-02-01", "2024-02-29", 15000), hp10("2024-03-01", "2024-03-31", 3000), hp10("2025-02-01", "2025-02-28", 3000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"OK", 6000, 20000, "2024-03-01", "2025-02-28", 2}},
	},
	{
		name: "LeapYearIn", birth: "1980-01-01", asOf: "2024-02-29",
		doses: []dose{hp10("2023-03-01", "2023-03-31", 1000), hp10("2024-02-01", "2024-02-29", 15000), hp10("2023-02-01", "2023-02-28", 9000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"APPROACHING", 16000, 20000, "2023-03-01", "2024-02-29", 2}},
	},
	{
		// A period straddling two months counts whole in the month it ends:
		// 15 December – 14 January in January, a quarter in its last month.
		name: "Straddling", birth: "1980-01-01", asOf: "2025-12-20",
		doses: []dose{hp10("2024-12-15", "2025-01-14", 5000), hp10("2024-10-01", "2024-12-31", 7000),
			dose{kind: "EXTREMITY", quantity: "HP007", start: "2025-10-01", end: "2025-12-31", usv: 90000}},
		want: map[exposuresummary.LimitCode]want{
			"EFFECTIVE": {"OK", 5000, 20000, "2025-01-01", "2025-12-31", 1},
			"EXTREMITY": {"OK", 90000, 500000, "2025-01-01", "2025-12-31", 1},
		},
	},
	{
		// Effective dose: external Hp(10), neutrons, internal E(50) and radon E;
		// extremities and skin never; superseded versions and absent results never.
		name: "EffectiveSumsItsQuantities", birth: "1980-01-01", asOf: "2025-06-15",
		doses: []dose{
			hp10("2025-01-01", "2025-01-31", 8000),
			{kind: "NEUTRON", quantity: "HP10", start: "2025-02-01", end: "2025-02-28", usv: 2000},
			{kind: "INTERNAL", quantity: "E50", start: "2025-03-01", end: "2025-03-31", usv: 6000},
			{kind: "RADON", quantity: "E", start: "2025-01-01", end: "2025-03-31", usv: 5000},
			{kind: "EXTREMITY", quantity: "HP007", start: "2025-01-01", end: "2025-01-31", usv: 100000},
			{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2025-04-01", end: "2025-04-30", usv: 30000, notCurrent: true},
			{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2025-05-01", end: "2025-05-31", usv: 0, status: "ABSENT"},
			{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2025-06-01", end: "2025-06-30", usv: 0, status: "BELOW_THRESHOLD"},
		},
		want: map[exposuresummary.LimitCode]want{
			"EFFECTIVE": {"EXCEEDED", 21000, 20000, "2024-07-01", "2025-06-30", 5},
			"EXTREMITY": {"OK", 100000, 500000, "2024-07-01", "2025-06-30", 1},
		},
	},
	{
		// 1 mSv from the declaration: doses ending before it do not count.
		name: "PregnancyExceeded", birth: "1990-01-01", declared: "2025-01-10", asOf: "2025-03-15",
		doses: []dose{hp10("2024-12-01", "2024-12-31", 400), hp10("2025-01-01", "2025-01-31", 600), hp10("2025-02-01", "2025-02-28", 500)},
		want: map[exposuresummary.LimitCode]want{
			"PREGNANCY": {"EXCEEDED", 1100, 1000, "2025-01-10", "2025-03-15", 2},
			"EFFECTIVE": {"OK", 1500, 20000, "2024-04-01", "2025-03-31", 3},
		},
	},
	{
		// A result whose period begins after the birth does not count.
		name: "PregnancyEnded", birth: "1990-01-01", declared: "2025-01-10", ended: "2025-02-15", asOf: "2025-04-15",
		doses: []dose{hp10("2025-01-01", "2025-01-31", 600), hp10("2025-03-01", "2025-03-31", 500)},
		want:  map[exposuresummary.LimitCode]want{"PREGNANCY": {"OK", 600, 1000, "2025-01-10", "2025-02-15", 1}},
	},
	{
		// A result straddling the birth counts whole (no pro-rata of a dose
		// of record), and reaching exactly 1 mSv exceeds the unborn child's
		// limit (R.4451-7: « inférieure à 1 mSv »).
		name: "PregnancyStraddlingBirthReachesTheLimit", birth: "1990-01-01", declared: "2025-01-10", ended: "2025-02-15", asOf: "2025-04-15",
		doses: []dose{hp10("2025-01-01", "2025-01-31", 600), hp10("2025-02-01", "2025-02-28", 400)},
		want:  map[exposuresummary.LimitCode]want{"PREGNANCY": {"EXCEEDED", 1000, 1000, "2025-01-10", "2025-02-15", 2}},
	},
	{
		name: "YoungWorker", birth: "2008-06-01", asOf: "2025-03-15",
		doses: []dose{hp10("2025-01-01", "2025-01-31", 7000), {kind: "EXTREMITY", quantity: "HP007", start: "2025-01-01", end: "2025-01-31", usv: 130000}},
		want: map[exposuresummary.LimitCode]want{
			"EFFECTIVE": {"EXCEEDED", 7000, 6000, "2024-04-01", "2025-03-31", 1},
			"EXTREMITY": {"APPROACHING", 130000, 150000, "2024-04-01", "2025-03-31", 1},
			"LENS":      {"OK", 0, 15000, "2024-04-01", "2025-03-31", 0},
		},
	},
	{
		// Turned 18 in February: the 7 mSv received at 17 stay held to the
		// young workers' 6 mSv in every window that holds them, the current
		// one included (REGULATION-CASES RC05).
		name: "YoungWorkerTurns18", birth: "2007-02-10", asOf: "2025-03-15",
		doses: []dose{hp10("2025-01-01", "2025-01-31", 7000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"EXCEEDED", 7000, 6000, "2024-04-01", "2025-03-31", 1}},
	},
	{
		// Doses received as an adult meet the adult limit only.
		name: "AdultDosesAfter18", birth: "2007-02-10", asOf: "2025-06-15",
		doses: []dose{hp10("2025-01-01", "2025-01-31", 3000), hp10("2025-04-01", "2025-04-30", 9000)},
		want:  map[exposuresummary.LimitCode]want{"EFFECTIVE": {"OK", 12000, 20000, "2024-07-01", "2025-06-30", 2}},
	},
	{
		// Before 2023-07-01: 50 mSv over 12 months and 100 mSv over the
		// transition period.
		name: "LensTransitionBefore", birth: "1980-01-01", asOf: "2023-03-15",
		doses: []dose{lens("2020-01-01", "2020-03-31", 60000), lens("2022-10-01", "2022-12-31", 45000), lens("2018-04-01", "2018-06-30", 9000)},
		want: map[exposuresummary.LimitCode]want{
			"LENS":            {"APPROACHING", 45000, 50000, "2022-04-01", "2023-03-31", 1},
			"LENS_TRANSITION": {"EXCEEDED", 105000, 100000, "2018-07-01", "2023-03-31", 2},
		},
	},
	{
		// From 2023-07-01: 20 mSv, and no transition row for a new worker.
		name: "LensTransitionAfter", birth: "1980-01-01", asOf: "2023-09-15",
		doses:  []dose{lens("2023-08-01", "2023-08-31", 19000)},
		want:   map[exposuresummary.LimitCode]want{"LENS": {"APPROACHING", 19000, 20000, "2022-10-01", "2023-09-30", 1}},
		absent: []exposuresummary.LimitCode{"LENS_TRANSITION"},
	},
	{
		// 30 mSv in May 2023 respected the 50 mSv transition limit in force
		// then; the 20 mSv limit of 2023-07-01 governs only the doses after
		// it, so the window ending July 2023 is still held to 50 mSv for them.
		name: "LensAcrossTheTransition", birth: "1980-01-01", asOf: "2023-07-15",
		doses: []dose{lens("2023-05-01", "2023-05-31", 30000)},
		want: map[exposuresummary.LimitCode]want{
			"LENS":            {"OK", 30000, 50000, "2022-08-01", "2023-07-31", 1},
			"LENS_TRANSITION": {"OK", 30000, 100000, "2018-07-01", "2023-06-30", 1},
		},
	},
	{
		// After the transition, doses after 2023-07-01 meet 20 mSv even in a
		// window that also holds lawful doses of the transition.
		name: "LensAfterTheTransitionOnlyNewDoses", birth: "1980-01-01", asOf: "2024-03-15",
		doses: []dose{lens("2023-05-01", "2023-05-31", 30000), lens("2023-09-01", "2023-09-30", 12000), lens("2024-02-01", "2024-02-29", 9000)},
		want: map[exposuresummary.LimitCode]want{
			"LENS": {"EXCEEDED", 21000, 20000, "2023-04-01", "2024-03-31", 2},
		},
	},
}

// TestRecompute ensures each worker's rows match the limits, windows and
// attribution rules, on PostgreSQL and SQLite.
func TestRecompute(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		for _, tc := range recomputeCases {
			t.Run(tc.name, func(t *testing.T) {
				w := f.worker(t, tc.birth)
				if tc.declared != "" {
					f.pregnancy(t, w, tc.declared, tc.ended)
				}
				f.write(t, w, tc.doses...)
				changed, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, date(tc.asOf))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(changed, []int{w.ID}) {
					t.Errorf("Recompute changed = %v, want [%d]", changed, w.ID)
				}
				rows := summaries(t, f, w.ID)
				for code, x := range tc.want {
					got, ok := rows[code]
					if !ok {
						t.Errorf("%s: no row (rows %v)", code, keys(rows))
						continue
					}
					if g := (want{got.Status, got.SumUsv, got.LimitUsv, got.WindowStart.UTC().Format(time.DateOnly),
						got.WindowEnd.UTC().Format(time.DateOnly), got.Records}); g != x {
						t.Errorf("%s = %+v, want %+v", code, g, x)
					}
				}
				for _, code := range tc.absent {
					if _, ok := rows[code]; ok {
						t.Errorf("%s: row %+v, want none", code, rows[code])
					}
				}
			})
		}
	})
}

func summaries(t *testing.T, f *fixture, workerID int) map[exposuresummary.LimitCode]*ent.ExposureSummary {
	t.Helper()
	out := map[exposuresummary.LimitCode]*ent.ExposureSummary{}
	for _, s := range f.c.ExposureSummary.Query().Where(exposuresummary.WorkerID(workerID)).AllX(f.ctx) {
		out[s.LimitCode] = s
	}
	return out
}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRecomputeCorrection ensures a correction that brings a total back under
// the limit returns the row to OK, that an unchanged worker is not reported,
// and that a kept row (the lens transition) is still recomputed after 2023.
func TestRecomputeCorrection(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		w := f.worker(t, "1980-01-01")
		recs := f.write(t, w, hp10("2025-01-01", "2025-01-31", 12000), hp10("2025-02-01", "2025-02-28", 9000),
			lens("2023-01-01", "2023-03-31", 30000))
		asOf := date("2025-03-15")
		if _, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, date("2023-04-15")); err != nil {
			t.Fatal(err)
		}
		if _, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, asOf); err != nil {
			t.Fatal(err)
		}
		rows := summaries(t, f, w.ID)
		if s := rows["EFFECTIVE"]; s.Status != "EXCEEDED" || s.SumUsv != 21000 {
			t.Fatalf("before the correction: %+v, want EXCEEDED at 21000 µSv", s)
		}
		if s := rows["LENS_TRANSITION"]; s == nil || s.SumUsv != 30000 {
			t.Fatalf("LENS_TRANSITION = %+v, want kept with 30000 µSv", s)
		}
		created := rows["EFFECTIVE"].CreatedAt

		// Ensure nothing changed is reported as changed.
		if changed, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, asOf); err != nil || len(changed) != 0 {
			t.Fatalf("Recompute again = %v, %v; want no change", changed, err)
		}

		// The physician corrects 12 mSv to 1.2 mSv: a new version.
		f.c.DoseRecord.UpdateOne(recs[0]).SetCurrent(false).SetSupersededAt(time.Now()).ExecX(f.ctx)
		f.c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetSource("PHYSICIAN").
			SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetPeriodStart(recs[0].PeriodStart).
			SetPeriodEnd(recs[0].PeriodEnd).SetValueUsv(1200).SetStatus("MEASURED").SetVersion(2).
			SetSupersedesID(recs[0].ID).SetCorrectionReason("Erreur d'unité").ExecX(f.ctx)
		changed, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, asOf)
		if err != nil || !slices.Equal(changed, []int{w.ID}) {
			t.Fatalf("Recompute after correction = %v, %v; want [%d]", changed, err, w.ID)
		}
		rows = summaries(t, f, w.ID)
		if s := rows["EFFECTIVE"]; s.Status != "OK" || s.SumUsv != 10200 || s.Records != 2 {
			t.Errorf("after the correction: %+v, want OK at 10200 µSv over 2 records", s)
		}
		if !rows["EFFECTIVE"].CreatedAt.Equal(created) {
			t.Errorf("created_at changed on upsert: %v, was %v", rows["EFFECTIVE"].CreatedAt, created)
		}
		if n := f.c.ExposureSummary.Query().CountX(f.ctx); n != 5 {
			t.Errorf("rows = %d, want 5 (4 rolling limits and the kept transition)", n)
		}
	})
}

// TestRecomputeBatch ensures many workers are handled with a bounded number
// of statements, whatever their number: on PostgreSQL the standings of all
// the workers are computed and written by a fixed number of set-based
// statements, plus a bounded number per 1,000 workers whose windows may
// approach a limit (computed by the reference).
func TestRecomputeBatch(t *testing.T) {
	var counter *store.CountingDriver
	db := storetest.MustOpen(t, store.WithDriverWrapper(func(d dialect.Driver) dialect.Driver {
		counter = store.NewCountingDriver(d)
		return counter
	}))
	f := mustFixture(t, db)
	const n = 2100
	workers := make([]*ent.WorkerCreate, 2*n)
	for i := range workers {
		workers[i] = f.c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("B%05d", i)).
			SetLastName("Nom").SetFirstNames("Prénom").SetBirthDate(date("1980-01-01")).SetSex("M")
	}
	var ws []*ent.Worker
	for i := 0; i < len(workers); i += 1000 {
		ws = append(ws, f.c.Worker.CreateBulk(workers[i:min(i+1000, len(workers))]...).SaveX(f.ctx)...)
	}
	// The first n workers get doses far from any limit, the others doses
	// up to 210 mSv.
	var doses []*ent.DoseRecordCreate
	quiet, loud := make([]int, n), make([]int, n)
	for i, w := range ws {
		usv := int64(10 * (i % 7))
		if i < n {
			quiet[i] = w.ID
		} else {
			loud[i-n] = w.ID
			usv = int64(100 * (i - n))
		}
		doses = append(doses, f.c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetSource("LABORATORY").
			SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetPeriodStart(date("2025-01-01")).
			SetPeriodEnd(date("2025-01-31")).SetValueUsv(usv).SetStatus("MEASURED"))
	}
	for i := 0; i < len(doses); i += 1000 {
		f.c.DoseRecord.CreateBulk(doses[i:min(i+1000, len(doses))]...).ExecX(f.ctx)
	}
	// Ensure the quiet workers take six statements, whatever their number:
	// the dialect, the table (made, emptied, its working memory set), the
	// computation, the workers left to the reference (none), the write, the
	// working memory reset.
	for _, run := range []string{"first", "unchanged"} {
		counter.Reset()
		changed, err := exposure.Recompute(f.ctx, f.c, quiet, date("2025-03-15"))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"first": n, "unchanged": 0}[run]; len(changed) != want {
			t.Errorf("%s run: changed = %d workers, want %d", run, len(changed), want)
		}
		if got := counter.Count(); got != 6 {
			t.Errorf("%s run: statements = %d, want 6", run, got)
		}
	}
	// Ensure the workers near or over a limit cost five more statements per
	// 1,000 (two reads of the people, one of their doses, the replacement).
	counter.Reset()
	changed, err := exposure.Recompute(f.ctx, f.c, loud, date("2025-03-15"))
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != n {
		t.Errorf("changed = %d workers, want %d", len(changed), n)
	}
	if got := counter.Count(); got > 6+3*5 {
		t.Errorf("statements = %d, want at most 21", got)
	}
	if got := f.c.ExposureSummary.Query().Where(exposuresummary.StatusEQ("EXCEEDED")).CountX(f.ctx); got != n-201 {
		t.Errorf("exceeded = %d, want %d (doses above 20 mSv)", got, n-201)
	}
	if changed, err := exposure.Recompute(f.ctx, f.c, loud, date("2025-03-15")); err != nil || len(changed) != 0 {
		t.Errorf("second run changed %d workers (%v), want none", len(changed), err)
	}
}

// TestClassificationB ensures a category B worker above 6 mSv effective is the
// anomaly engine's finding (the summaries have no place for it), and that the
// states agree with the engine's LIMIT_APPROACHING share.
func TestClassificationB(t *testing.T) {
	db := storetest.MustOpen(t)
	f := mustFixture(t, db)
	w := f.worker(t, "1980-01-01")
	f.c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetStartDate(date("2020-01-01")).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("B").
		SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(f.ctx)
	recs := f.write(t, w, hp10("2025-01-01", "2025-01-31", 4000), hp10("2025-02-01", "2025-02-28", 2500))
	engine := anomaly.NewEngine()
	engine.Postgres = true
	engine.Now = func() time.Time { return date("2025-03-15") }
	res, err := engine.Process(f.ctx, f.c, []int{recs[0].ID, recs[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range res.Created {
		kinds = append(kinds, a.Kind)
	}
	if !slices.Contains(kinds, string(anomaly.KindClassification)) {
		t.Errorf("anomalies = %v, want %s", kinds, anomaly.KindClassification)
	}
	if _, err := exposure.Recompute(f.ctx, f.c, []int{w.ID}, date("2025-03-15")); err != nil {
		t.Fatal(err)
	}
	if s := summaries(t, f, w.ID)["EFFECTIVE"]; s.Status != "OK" || s.SumUsv != 6500 {
		t.Errorf("EFFECTIVE = %+v, want OK at 6500 µSv (below the 20 mSv limit)", s)
	}
}
