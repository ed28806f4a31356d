package seed_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store/storetest"
)

func TestBulk(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	var progress bytes.Buffer
	res, err := seed.Bulk(ctx, db, seed.BulkOptions{Workers: 2000, Months: 24, Seed: 11, Progress: &progress})
	if err != nil {
		t.Fatalf("Bulk: %v\n%s", err, progress.String())
	}
	t.Logf("%+v", res)
	one := func(t *testing.T, q string) int64 {
		t.Helper()
		var n int64
		if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	t.Run("Counts", func(t *testing.T) {
		// Ensure the tables hold what Bulk reports, demo part included.
		for _, c := range []struct {
			q    string
			want int64
		}{
			{"SELECT count(*) FROM workers", int64(res.Workers)},
			{"SELECT count(*) FROM dose_records", res.DoseRecords},
			{"SELECT count(*) FROM operational_doses", res.Operational},
			{"SELECT count(*) FROM exposure_summaries WHERE worker_id IN (SELECT id FROM workers)", int64(one(t, "SELECT count(*) FROM exposure_summaries"))},
		} {
			if got := one(t, c.q); got != c.want {
				t.Errorf("%s = %d, want %d", c.q, got, c.want)
			}
		}
		if res.Workers != 2000 || res.DemoWorkers != seed.BulkDemoWorkers(2000) || res.Superseded == 0 || res.Operational == 0 {
			t.Errorf("result %+v: want 2,000 workers, some superseded versions and operational results", res)
		}
		if moved := one(t, "SELECT count(*) FROM (SELECT worker_id FROM employments GROUP BY worker_id HAVING count(DISTINCT establishment_id) > 1) m"); moved == 0 {
			t.Error("no worker moved between establishments")
		}
	})

	t.Run("OneCurrentVersion", func(t *testing.T) {
		// Ensure each measurement has exactly one current version and every
		// superseded version is replaced by exactly one later version of the same measurement.
		if n := one(t, `SELECT count(*) FROM (SELECT 1 FROM dose_records WHERE current AND laboratory_id IS NOT NULL
			GROUP BY worker_id, laboratory_id, dosimeter_serial, quantity, period_start, period_end HAVING count(*) > 1) d`); n != 0 {
			t.Errorf("%d measurements with several current versions", n)
		}
		if n := one(t, `SELECT count(*) FROM dose_records o WHERE NOT o.current AND NOT o.pending AND NOT EXISTS (
			SELECT 1 FROM dose_records n WHERE n.supersedes_id = o.id AND n.version > o.version AND n.worker_id = o.worker_id
			AND n.quantity = o.quantity AND n.period_start = o.period_start AND n.period_end = o.period_end)`); n != 0 {
			t.Errorf("%d superseded versions without their successor", n)
		}
		if n := one(t, "SELECT count(*) FROM dose_records WHERE period_end < period_start OR value_usv < 0"); n != 0 {
			t.Errorf("%d dose records with a reversed period or a negative value", n)
		}
		if n := one(t, "SELECT count(*) FROM operational_doses WHERE end_at < start_at OR value_usv < 0 OR NOT current"); n != 0 {
			t.Errorf("%d operational results with a reversed period, a negative value or not current", n)
		}
	})

	t.Run("Employments", func(t *testing.T) {
		// Ensure employments are ordered, use nomenclature codes, and cover
		// every synthetic laboratory result.
		if n := one(t, "SELECT count(*) FROM employments WHERE end_date < start_date"); n != 0 {
			t.Errorf("%d employments end before they start", n)
		}
		if n := one(t, `SELECT count(*) FROM employments e WHERE (e.sector_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM nomenclatures n
			WHERE n.kind = 'SECTOR' AND n.code = e.sector_code AND n.version = e.nomenclature_version))
			OR (e.job_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM nomenclatures n WHERE n.kind = 'JOB' AND n.code = e.job_code AND n.version = e.nomenclature_version))`); n != 0 {
			t.Errorf("%d employments with codes outside the nomenclature", n)
		}
		if n := one(t, `SELECT count(*) FROM dose_records d WHERE d.current AND NOT EXISTS (SELECT 1 FROM employments e
			WHERE e.worker_id = d.worker_id AND e.establishment_id = d.establishment_id
			AND e.start_date <= d.period_end AND (e.end_date IS NULL OR e.end_date >= d.period_start))`); n != 0 {
			t.Errorf("%d current dose records outside any employment of their worker in their establishment", n)
		}
	})

	t.Run("Identifiers", func(t *testing.T) {
		// Ensure every NIR and SIRET is valid (keys included).
		for _, c := range []struct {
			q     string
			parse func(string) error
		}{
			{"SELECT nir FROM workers WHERE nir IS NOT NULL", func(s string) error { _, err := dosimetry.ParseNIR(s); return err }},
			{"SELECT siret FROM establishments", func(s string) error { _, err := dosimetry.ParseSIRET(s); return err }},
		} {
			rows, err := db.SQL.QueryContext(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				if err := c.parse(s); err != nil {
					t.Errorf("%s: %q: %v", c.q, s, err)
				}
			}
			rows.Close()
		}
	})

	t.Run("Summaries", func(t *testing.T) {
		// Ensure every worker has standings and each rolling standing is the
		// sum and count of the current results it covers, by hand-written SQL.
		if n := one(t, "SELECT count(*) FROM workers w WHERE NOT EXISTS (SELECT 1 FROM exposure_summaries s WHERE s.worker_id = w.id)"); n != 0 {
			t.Errorf("%d workers without exposure summaries", n)
		}
		q := `SELECT count(*) FROM exposure_summaries s LEFT JOIN LATERAL (
			SELECT coalesce(sum(d.value_usv), 0) AS usv, count(d.id) AS n FROM dose_records d
			WHERE d.worker_id = s.worker_id AND d.current AND d.status <> 'ABSENT'
			AND d.period_end >= s.window_start AND d.period_end <= s.window_end
			AND CASE s.limit_code
				WHEN 'EFFECTIVE' THEN d.quantity IN ('HP10', 'E50', 'E')
				WHEN 'EXTREMITY' THEN d.monitoring_kind = 'EXTREMITY'
				WHEN 'SKIN' THEN d.monitoring_kind = 'SKIN' OR (d.monitoring_kind = 'PASSIVE_WHOLE_BODY' AND d.quantity = 'HP007')
				WHEN 'LENS' THEN d.monitoring_kind = 'LENS' END) r ON true
			WHERE s.limit_code IN ('EFFECTIVE', 'EXTREMITY', 'SKIN', 'LENS')`
		total := one(t, q)
		bad := one(t, q+" AND (r.usv <> s.sum_usv OR r.n <> s.records)")
		if total == 0 || bad != 0 {
			t.Errorf("%d of %d rolling standings differ from the sums of their records", bad, total)
		}
		if n := one(t, "SELECT count(*) FROM exposure_summaries WHERE sum_usv > 0"); n == 0 {
			t.Error("every standing is zero")
		}
	})

	t.Run("ContextStatistics", func(t *testing.T) {
		// Ensure the kind-level statistics count the current results, by
		// month of period end (absent results are not doses).
		q := `SELECT count(*) FROM context_statistics c LEFT JOIN LATERAL (
			SELECT count(*) AS n, coalesce(sum(d.value_usv), 0) AS usv FROM dose_records d
			WHERE d.current AND d.status <> 'ABSENT' AND date_trunc('month', d.period_end) = c.month
			AND CASE WHEN d.monitoring_kind = 'PASSIVE_WHOLE_BODY' AND d.quantity = 'HP007' THEN 'SKIN' ELSE d.monitoring_kind END = c.monitoring_kind
			AND greatest(1, round((extract(epoch FROM d.period_end - d.period_start) / 86400 + 1) / 30.44)) = c.period_months) r ON true
			WHERE c.level = 'KIND'`
		total := one(t, q)
		if bad := one(t, q+" AND (r.n <> c.doses OR r.usv <> c.sum_usv)"); total == 0 || bad != 0 {
			t.Errorf("%d of %d kind-level statistics differ from their records", bad, total)
		}
	})

	t.Run("Schema", func(t *testing.T) {
		// Ensure the load leaves exactly the schema a fresh migration creates.
		fresh := storetest.MustOpen(t)
		want, err := seed.SchemaFingerprint(ctx, fresh.SQL)
		if err != nil {
			t.Fatal(err)
		}
		got, err := seed.SchemaFingerprint(ctx, db.SQL)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range want {
			if !slices.Contains(got, l) {
				t.Errorf("missing after the bulk load: %s", l)
			}
		}
		for _, l := range got {
			if !slices.Contains(want, l) {
				t.Errorf("not in a fresh database: %s", l)
			}
		}
		if len(want) < 100 {
			t.Errorf("fingerprint of %d lines only", len(want))
		}
	})
}
