package bench_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/bench"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
)

// TestReadsPostGraphile runs the read benchmark with its PostGraphile
// baseline on a small seeded database: PostGraphile (bench/postgraphile,
// installed by `npm ci --prefix bench/postgraphile`, which scripts/test.sh
// and scripts/bench.sh run) must start, return the hand SQL's workers for
// each page (Reads fails otherwise), answer every request, and be stopped
// at the end. No timing is asserted.
func TestReadsPostGraphile(t *testing.T) {
	ctx := context.Background()
	if _, err := bench.PostGraphileDir(""); err != nil {
		t.Fatalf("%v\n(this test needs node and the pinned PostGraphile: npm ci --prefix bench/postgraphile)", err)
	}
	url := storetest.MustCreateDatabase(t)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o := seed.DefaultOptions()
	o.Workers = 200
	if _, err := seed.IfEmpty(ctx, db.Client, o, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	res, err := bench.Reads(ctx, bench.ReadsOptions{DatabaseURL: url, Clients: 2, Duration: 150 * time.Millisecond,
		Pages: []int{5, 50}, Email: "pcr@demo.siseri.fr", Password: "siseri-demo", MinScope: 1,
		PhysicianEmail: "medecin@demo.siseri.fr", AnalystEmail: "analyste@demo.siseri.fr",
		PostGraphile: true}, slog.New(slog.DiscardHandler), &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2 {
		t.Fatalf("pages = %d, want 2", len(res.Pages))
	}
	if len(res.Scenarios) != 3 {
		t.Fatalf("scenarios = %d, want 3", len(res.Scenarios))
	}
	for _, p := range append(res.Pages, res.Scenarios...) {
		pg, ok := p.Others[bench.PostGraphileBaseline]
		if !ok {
			t.Fatalf("page %d: PostGraphile not measured", p.Page)
		}
		if pg.Requests == 0 || pg.Errors != 0 {
			t.Errorf("page %d, PostGraphile: %d requests, %d errors", p.Page, pg.Requests, pg.Errors)
		}
		if r := p.Ratios[bench.PostGraphileBaseline]; r <= 0 {
			t.Errorf("page %d: SISERI / PostGraphile ratio %v not computed", p.Page, r)
		}
	}
	if pg := res.PostGraphileTypename; pg == nil || pg.Requests == 0 || pg.Errors != 0 {
		t.Errorf("PostGraphile { __typename }: %+v", pg)
	}
	if !strings.Contains(progress.String(), "postgraphile_adviser_workers_50 : PostGraphile") {
		t.Errorf("progress does not mention PostGraphile's load:\n%s", progress.String())
	}
	// The benchmark's functions are dropped with its run.
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = 'siseri_postgraphile'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("schema siseri_postgraphile left in the database")
	}
}

// TestPostGraphileMismatch: a PostGraphile read that does not return the
// hand SQL's rows fails the benchmark instead of being measured.
func TestPostGraphileMismatch(t *testing.T) {
	ctx := context.Background()
	url := storetest.MustCreateDatabase(t)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	q := bench.AdviserWorkersPostGraphile(10, []int{1}, []int{42})
	_, err = bench.PostGraphileReads(ctx, bench.ReadsOptions{DatabaseURL: url, Clients: 1, Duration: 50 * time.Millisecond},
		[]bench.PostGraphileQuery{q}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ne rendent pas les mêmes lignes") {
		t.Fatalf("err = %v, want a mismatch error", err)
	}
}

// TestPostGraphilePhysicianAndAnalyst: the PostGraphile versions of
// the worker file and the analyst's national doses return the rows plain
// SQL returns on a small seeded database, and are measured without errors.
func TestPostGraphilePhysicianAndAnalyst(t *testing.T) {
	ctx := context.Background()
	url := storetest.MustCreateDatabase(t)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o := seed.DefaultOptions()
	o.Workers = 50
	if _, err := seed.IfEmpty(ctx, db.Client, o, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	ints := func(q string, args ...any) []int {
		t.Helper()
		rows, err := db.SQL.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int
		for rows.Next() {
			var x int
			if err := rows.Scan(&x); err != nil {
				t.Fatal(err)
			}
			out = append(out, x)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	worker := ints("SELECT worker_id FROM dose_records GROUP BY worker_id ORDER BY count(*) DESC, worker_id LIMIT 1")
	if len(worker) != 1 {
		t.Fatal("the seeded database has no dose records")
	}
	file := ints("SELECT id FROM dose_records WHERE worker_id = $1 ORDER BY period_end DESC, id LIMIT 1000", worker[0])
	var from, to time.Time
	if err := db.SQL.QueryRowContext(ctx, "SELECT min(period_end), max(period_end) FROM dose_records").Scan(&from, &to); err != nil {
		t.Fatal(err)
	}
	from, to = from.UTC().Truncate(24*time.Hour), to.UTC().Truncate(24*time.Hour)
	national := ints(`SELECT id FROM dose_records WHERE current AND quantity IN ('HP10', 'E50')
		AND period_end >= $1 AND period_end <= $2 ORDER BY id LIMIT 1000`, from, to)
	if len(file) == 0 || len(national) == 0 {
		t.Fatalf("nothing to compare: %d records in the file, %d national doses", len(file), len(national))
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	ests := ints(`SELECT establishment_id FROM employments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`)
	granted := ints(`SELECT id FROM workers ORDER BY id DESC LIMIT 2`)
	followed := ints(`SELECT w.id FROM workers w WHERE w.id IN (
		SELECT worker_id FROM employments WHERE establishment_id = ANY($1) AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)
		UNION SELECT unnest($3::bigint[])) ORDER BY w.last_name, w.first_names, w.id LIMIT 20`, ests, day, granted)
	if len(followed) <= len(granted) {
		t.Fatalf("the physician's scope holds only the granted workers: %v", followed)
	}
	queries := []bench.PostGraphileQuery{bench.FollowedWorkersPostGraphile(20, ests, granted, day, followed),
		bench.WorkerFilePostGraphile(worker[0], file), bench.NationalDosesPostGraphile(from, to, national)}
	got, err := bench.PostGraphileReads(ctx, bench.ReadsOptions{DatabaseURL: url, Clients: 2, Duration: 150 * time.Millisecond}, queries, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		s, ok := got[q.Name]
		if !ok || s.Requests == 0 || s.Errors != 0 {
			t.Errorf("%s: %+v", q.Name, s)
		}
	}
}
