package seed_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"log/slog"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// smallOptions is a population small enough for a fast PostgreSQL test.
func smallOptions() seed.Options {
	o := seed.DefaultOptions()
	o.Workers = 200
	return o
}

// MustSeed seeds client with opts and fails tb on error.
func MustSeed(tb testing.TB, client *ent.Client, opts seed.Options) int {
	tb.Helper()
	n, err := seed.IfEmpty(context.Background(), client, opts, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("IfEmpty: %v", err)
	}
	return n
}

// sys is the context tests read the database with.
var sys = policy.SystemContext(context.Background())

func TestIfEmpty(t *testing.T) {
	db := storetest.MustOpen(t)
	c := db.Client
	opts := smallOptions()
	if n := MustSeed(t, c, opts); n != opts.Workers {
		t.Fatalf("IfEmpty() = %d workers, want %d", n, opts.Workers)
	}

	t.Run("OK", func(t *testing.T) {
		// Ensure every kind of demo data exists.
		for name, n := range counts(t, c) {
			if n == 0 {
				t.Errorf("no %s seeded", name)
			}
		}
	})
	t.Run("Identifiers", func(t *testing.T) { checkIdentifiers(t, c) })
	t.Run("Population", func(t *testing.T) { checkPopulation(t, c) })
	t.Run("DemoAccounts", func(t *testing.T) { checkAccounts(t, c) })
	t.Run("Records", func(t *testing.T) { checkRecords(t, c) })
	t.Run("Corrections", func(t *testing.T) { checkCorrections(t, c) })
	t.Run("PlantedAnomalies", func(t *testing.T) { checkPlanted(t, c) })
	t.Run("AdviserScope", func(t *testing.T) { checkMoves(t, c) })

	t.Run("ZeroInflated", func(t *testing.T) {
		// Ensure most worker-years stay below the recording threshold (FR 2015–19: 71–76 %).
		share := zeroYearShare(t, c)
		t.Logf("worker-years without any dose above the recording threshold: %.1f %%", 100*share)
		if share < 0.4 || share > 0.9 {
			t.Errorf("zero worker-year share = %.3f, want between 0.40 and 0.90", share)
		}
	})

	t.Run("ErrNotEmpty", func(t *testing.T) {
		// Ensure a second call on a populated database writes nothing.
		before := counts(t, c)
		n, err := seed.IfEmpty(context.Background(), c, opts, nil)
		if err != nil || n != 0 {
			t.Fatalf("IfEmpty(non-empty) = %d, %v, want 0, nil", n, err)
		}
		after := counts(t, c)
		for name, n := range before {
			if after[name] != n {
				t.Errorf("%s: %d rows after the second call, want %d", name, after[name], n)
			}
		}
	})

	t.Run("Deterministic", func(t *testing.T) {
		// Ensure the same seed gives the same data, and another seed other data.
		want := checksum(t, c)
		same := storetest.MustOpen(t)
		MustSeed(t, same.Client, opts)
		if got := checksum(t, same.Client); got != want {
			t.Errorf("checksum with the same seed = %s, want %s", got, want)
		}
		other := storetest.MustOpen(t)
		opts2 := opts
		opts2.Seed++
		MustSeed(t, other.Client, opts2)
		if got := checksum(t, other.Client); got == want {
			t.Errorf("checksum with another seed = %s, want a different one", got)
		}
	})
}

func TestIfEmpty_ErrOptions(t *testing.T) {
	// Ensure impossible options are refused before anything is written.
	for _, o := range []seed.Options{{Workers: 10, Seed: 1}, {Workers: 100, Seed: 1, Months: 6}} {
		if _, err := seed.IfEmpty(context.Background(), nil, o, nil); err == nil {
			t.Errorf("IfEmpty(%+v) = nil error, want one", o)
		}
	}
}

// TestIfEmpty_DefaultSQLite seeds the default population into SQLite, the
// embedded database of `make run`.
func TestIfEmpty_DefaultSQLite(t *testing.T) {
	db := storetest.MustOpenSQLite(t)
	began := time.Now()
	n := MustSeed(t, db.Client, seed.DefaultOptions())
	got := counts(t, db.Client)
	t.Logf("default seed: %d workers in %s; %v", n, time.Since(began).Round(time.Millisecond), got)
	if n != seed.DefaultOptions().Workers {
		t.Errorf("IfEmpty(default) = %d workers, want %d", n, seed.DefaultOptions().Workers)
	}
	if got["dose records"] < 20_000 {
		t.Errorf("%d dose records, want tens of thousands", got["dose records"])
	}
}

// BenchmarkSeedDefault measures the default seed on SQLite and PostgreSQL
// (make bench).
func BenchmarkSeedDefault(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				var db *store.DB
				if backend == "sqlite" {
					db = storetest.MustOpenSQLite(b)
				} else {
					db = storetest.MustOpen(b)
				}
				b.StartTimer()
				if _, err := seed.IfEmpty(context.Background(), db.Client, seed.DefaultOptions(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// counts returns the number of rows of each seeded entity.
func counts(t *testing.T, c *ent.Client) map[string]int {
	t.Helper()
	out := map[string]int{}
	for name, count := range map[string]func(context.Context) (int, error){
		"nomenclature rows":   c.Nomenclature.Query().Count,
		"laboratories":        c.Laboratory.Query().Count,
		"companies":           c.Company.Query().Count,
		"establishments":      c.Establishment.Query().Count,
		"workers":             c.Worker.Query().Count,
		"employments":         c.Employment.Query().Count,
		"accounts":            c.Account.Query().Count,
		"grants":              c.Grant.Query().Count,
		"dosimeters":          c.Dosimeter.Query().Count,
		"assignments":         c.DosimeterAssignment.Query().Count,
		"import batches":      c.ImportBatch.Query().Count,
		"dose records":        c.DoseRecord.Query().Count,
		"corrected records":   c.DoseRecord.Query().Where(doserecord.Version(2)).Count,
		"absent results":      c.DoseRecord.Query().Where(doserecord.StatusEQ(doserecord.StatusAbsent)).Count,
		"pregnancies":         c.Employment.Query().Where(employment.PregnancyDeclaredOnNotNil()).Count,
		"context missing":     c.Employment.Query().Where(employment.SectorCodeIsNil()).Count,
		"ended employments":   c.Employment.Query().Where(employment.EndDateNotNil()).Count,
		"temporary ids (NTT)": c.Worker.Query().Where(worker.IdentifierKindEQ(worker.IdentifierKindNTT)).Count,
	} {
		n, err := count(sys)
		if err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

// checksum hashes the seeded workers, employments and dose records in id
// order (the random pseudonyms excluded).
func checksum(t *testing.T, c *ent.Client) string {
	t.Helper()
	h := sha256.New()
	ws, err := c.Worker.Query().Order(ent.Asc(worker.FieldID)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		fmt.Fprintln(h, w.ID, deref(w.Nir), deref(w.TemporaryID), deref(w.ForeignID), w.LastName, w.UsageName, w.FirstNames, w.BirthDate.Format(time.DateOnly), w.Sex, w.BirthPlace)
	}
	es, err := c.Employment.Query().Order(ent.Asc(employment.FieldID)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		fmt.Fprintln(h, e.WorkerID, e.EstablishmentID, e.StartDate.Format(time.DateOnly), dateOf(e.EndDate), e.ContractType, e.Classification, deref(e.SectorCode), deref(e.JobCode), e.MonitoringKinds)
	}
	hashRecords(t, c, h)
	return fmt.Sprintf("%x", h.Sum(nil))
}

func hashRecords(t *testing.T, c *ent.Client, h hash.Hash) {
	t.Helper()
	rs, err := c.DoseRecord.Query().Order(ent.Asc(doserecord.FieldID)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		fmt.Fprintln(h, r.WorkerID, r.EstablishmentID, r.MonitoringKind, r.Quantity, r.ValueUsv, r.Status, r.PeriodStart.Format(time.DateOnly),
			r.PeriodEnd.Format(time.DateOnly), r.Version, r.Current, r.DosimeterSerial, r.SupersedesID, r.ReceivedAt.UTC().Format(time.RFC3339))
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
