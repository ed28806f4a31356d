package bench_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/bench"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
)

// TestReads runs the read benchmark's core for a few seconds on a small
// seeded database: for AdviserWorkers (the adviser's standings computed from
// the results they may read), FollowedWorkers, PhysicianWorkerFile and
// NationalDoses, the API and the hand SQL must return the same rows (Reads
// fails otherwise) and every ratio must be computed. No timing is asserted.
func TestReads(t *testing.T) {
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
	o.Workers = 200
	if _, err := seed.IfEmpty(ctx, db.Client, o, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	res, err := bench.Reads(ctx, bench.ReadsOptions{DatabaseURL: url, Clients: 2, Duration: 150 * time.Millisecond,
		Pages: []int{5, 50}, Email: "pcr@demo.siseri.fr", Password: "siseri-demo", MinScope: 1,
		PhysicianEmail: "medecin@demo.siseri.fr", AnalystEmail: "analyste@demo.siseri.fr"}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2 {
		t.Fatalf("pages = %d, want 2", len(res.Pages))
	}
	if len(res.Scenarios) != 3 {
		t.Fatalf("scenarios = %d, want 3 (FollowedWorkers, PhysicianWorkerFile, NationalDoses)", len(res.Scenarios))
	}
	for i, want := range []string{"FollowedWorkers", "PhysicianWorkerFile", "NationalDoses"} {
		if res.Scenarios[i].Query != want {
			t.Errorf("scenario %d = %q, want %q", i, res.Scenarios[i].Query, want)
		}
	}
	for _, p := range append(res.Pages, res.Scenarios...) {
		if !p.SameIDs {
			t.Errorf("%s %d: rows differ", p.Query, p.Page)
		}
		if p.Page == 0 {
			t.Errorf("%s: no rows compared", p.Query)
		}
		for _, s := range []bench.ReadsScenario{p.SISERI, p.Hand, p.HandAudit} {
			if s.Requests == 0 || s.Errors != 0 {
				t.Errorf("%s %d, %s: %d requests, %d errors", p.Query, p.Page, s.Name, s.Requests, s.Errors)
			}
		}
		if p.RatioHand <= 0 || p.RatioHandAudit <= 0 {
			t.Errorf("%s %d: ratios %v %v not computed", p.Query, p.Page, p.RatioHand, p.RatioHandAudit)
		}
	}
	if res.Typename.Requests == 0 || res.Typename.Errors != 0 {
		t.Errorf("__typename: %+v", res.Typename)
	}
}
