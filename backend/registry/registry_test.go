package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/policy"
)

// onBothDatabases runs f on a fresh PostgreSQL database (COPY)
// and on a fresh SQLite one (multi-row INSERT).
func onBothDatabases(t *testing.T, f func(t *testing.T, fx *fixture)) {
	t.Run("PostgreSQL", func(t *testing.T) { f(t, mustFixture(t, storetest.MustOpen(t))) })
	t.Run("SQLite", func(t *testing.T) { f(t, mustFixture(t, storetest.MustOpenSQLite(t))) })
}

var now = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

// fixture is a registry whose news go to hub after commit, with one
// establishment and laboratory.
type fixture struct {
	db         *store.DB
	reg        *registry.Registry
	hub        *alerts.Hub
	sys        context.Context
	estab, lab int
	n          int
}

func mustFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	sys := policy.SystemContext(context.Background())
	hub := alerts.NewHub(10000)
	e := anomaly.NewEngine()
	e.Postgres = db.IsPostgres()
	e.Now = func() time.Time { return now }
	// The hub's own branch of the broker, on both databases: events are
	// published by the transaction's commit hook, observable here.
	reg := &registry.Registry{Engine: e, Exposure: exposure.Recompute, Broker: &alerts.Broker{Hub: hub},
		Postgres: db.IsPostgres(), Now: func() time.Time { return now }}
	estab := db.Client.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(sys)
	lab := db.Client.Laboratory.Create().SetCode("LAB1").SetName("Labo").SaveX(sys)
	return &fixture{db: db, reg: reg, hub: hub, sys: sys, estab: estab.ID, lab: lab.ID}
}

func (f *fixture) worker(t *testing.T) int {
	t.Helper()
	f.n++
	return f.db.Client.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("T%05d", f.n)).SetLastName("Nom").
		SetFirstNames("Prénom").SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(f.sys).ID
}

// dose is a monthly whole-body result of worker w in month m of 2025.
func (f *fixture) dose(w int, m time.Month, usv int64) dosimetry.Dose {
	start := time.Date(2025, m, 1, 0, 0, 0, 0, time.UTC)
	return dosimetry.Dose{WorkerID: w, EstablishmentID: f.estab, LaboratoryID: f.lab, Source: dosimetry.SourceLaboratory,
		Dosimeter: fmt.Sprintf("D%d-%d-%d", w, m, usv), Kind: dosimetry.KindWholeBody, Quantity: dosimetry.QuantityHp10,
		Start: start, End: start.AddDate(0, 1, -1), Value: dosimetry.Microsievert(usv), Status: dosimetry.StatusOf(dosimetry.Microsievert(usv)),
		Version: 1}
}

// open starts a transaction and a session in it.
func (f *fixture) open(t *testing.T) (context.Context, *ent.Tx, *registry.Session) {
	t.Helper()
	ctx, _, err := f.db.OpenTx(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	tx := ent.TxFromContext(ctx)
	t.Cleanup(func() { _ = tx.Rollback() })
	s, err := f.reg.Open(ctx, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, tx, s
}

// events returns what the hub delivered within wait.
func events(sub *alerts.Subscription, wait time.Duration) []alerts.Event {
	var out []alerts.Event
	deadline := time.After(wait)
	for {
		select {
		case e := <-sub.C:
			out = append(out, e)
		case <-deadline:
			return out
		}
	}
}

func TestWrite(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		db := f.db
		// Ensure a batch of N doses gives N dose records, each with the
		// values of its own dose (ids map back to doses in order), across
		// SQLite's 500-row statements.
		t.Run("OK", func(t *testing.T) {
			workers := []int{f.worker(t), f.worker(t), f.worker(t)}
			var doses []dosimetry.Dose
			for i := range 1200 {
				doses = append(doses, f.dose(workers[i%3], time.Month(1+i%5), int64(i+1)))
			}
			ctx, tx, s := f.open(t)
			written, err := s.Write(ctx, doses)
			if err != nil {
				t.Fatal(err)
			}
			if len(written) != len(doses) {
				t.Fatalf("Write returned %d records, want %d", len(written), len(doses))
			}
			for i, w := range written {
				if w.ID == 0 || w.ValueUsv != int64(i+1) || w.WorkerID != doses[i].WorkerID {
					t.Fatalf("written[%d] = id %d value %d worker %d, want value %d worker %d", i, w.ID, w.ValueUsv, w.WorkerID, i+1, doses[i].WorkerID)
				}
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			stored := db.Client.DoseRecord.Query().Where(doserecord.WorkerIDIn(workers...)).AllX(f.sys)
			if len(stored) != len(doses) {
				t.Fatalf("%d dose records stored, want %d", len(stored), len(doses))
			}
			byID := map[int]*ent.DoseRecord{}
			for _, r := range stored {
				byID[r.ID] = r
			}
			for i, w := range written {
				r := byID[w.ID]
				if r == nil || r.ValueUsv != w.ValueUsv || r.DosimeterSerial != doses[i].Dosimeter || !r.Current || r.Version != 1 ||
					r.LaboratoryID != f.lab || r.Source != doserecord.SourceLaboratory {
					t.Fatalf("stored record %d = %+v, want the dose %+v", w.ID, r, doses[i])
				}
			}
		})

		// Ensure a new version supersedes the old one, which stays stored.
		t.Run("OKVersion", func(t *testing.T) {
			w := f.worker(t)
			ctx, tx, s := f.open(t)
			first, err := s.Write(ctx, []dosimetry.Dose{f.dose(w, 1, 100)})
			if err != nil {
				t.Fatal(err)
			}
			next := f.dose(w, 1, 300)
			next.Version, next.Supersedes = 2, first[0].ID
			if err := s.Supersede([]int{first[0].ID}); err != nil {
				t.Fatal(err)
			}
			second, err := s.Write(ctx, []dosimetry.Dose{next})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			old := db.Client.DoseRecord.GetX(f.sys, first[0].ID)
			cur := db.Client.DoseRecord.GetX(f.sys, second[0].ID)
			if old.Current || old.SupersededAt == nil {
				t.Errorf("superseded version: current %t, superseded at %v; want not current, superseded", old.Current, old.SupersededAt)
			}
			if !cur.Current || cur.Version != 2 || cur.SupersedesID != first[0].ID || cur.ValueUsv != 300 {
				t.Errorf("new version = current %t version %d supersedes %d value %d; want current, 2, %d, 300",
					cur.Current, cur.Version, cur.SupersedesID, cur.ValueUsv, first[0].ID)
			}
			sum := db.Client.ExposureSummary.Query().Where(exposuresummary.WorkerID(w), exposuresummary.LimitCodeEQ("EFFECTIVE")).OnlyX(f.sys)
			if sum.SumUsv != 300 {
				t.Errorf("effective sum after the new version = %d µSv, want 300 (the old version no longer counts)", sum.SumUsv)
			}
		})
	})
}

func TestFinish(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		db := f.db
		// Ensure the standings of the touched workers are brought current
		// and their change announced only once the transaction commits.
		t.Run("OK", func(t *testing.T) {
			w := f.worker(t)
			sub := f.hub.Subscribe(alerts.ExposureChanged)
			defer f.hub.Unsubscribe(sub)
			ctx, tx, s := f.open(t)
			if _, err := s.Write(ctx, []dosimetry.Dose{f.dose(w, 2, 1200), f.dose(w, 3, 800)}); err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if got := events(sub, 200*time.Millisecond); len(got) != 0 {
				t.Fatalf("events before commit: %v, want none", got)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			got := events(sub, 2*time.Second)
			if len(got) != 1 || got[0].WorkerID != w {
				t.Fatalf("events after commit: %v, want one ExposureChanged for worker %d", got, w)
			}
			sum := db.Client.ExposureSummary.Query().Where(exposuresummary.WorkerID(w), exposuresummary.LimitCodeEQ("EFFECTIVE")).OnlyX(f.sys)
			if sum.SumUsv != 2000 {
				t.Errorf("effective sum = %d µSv, want 2000", sum.SumUsv)
			}
		})

		// Ensure a pending re-send is stored but neither current nor counted.
		t.Run("OKPending", func(t *testing.T) {
			w := f.worker(t)
			ctx, tx, s := f.open(t)
			d := f.dose(w, 2, 5000)
			d.Pending = true
			written, err := s.Write(ctx, []dosimetry.Dose{d})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			r := db.Client.DoseRecord.GetX(f.sys, written[0].ID)
			if r.Current || !r.Pending {
				t.Errorf("pending re-send stored current %t pending %t, want not current, pending", r.Current, r.Pending)
			}
			if n := db.Client.ExposureSummary.Query().Where(exposuresummary.WorkerID(w), exposuresummary.SumUsvGT(0)).CountX(f.sys); n != 0 {
				t.Errorf("%d standings count the pending re-send, want none", n)
			}
		})

		// Ensure nothing is written or announced when the transaction rolls
		// back.
		t.Run("ErrRolledBack", func(t *testing.T) {
			w := f.worker(t)
			sub := f.hub.Subscribe()
			defer f.hub.Unsubscribe(sub)
			ctx, tx, s := f.open(t)
			if _, err := s.Write(ctx, []dosimetry.Dose{f.dose(w, 2, 1200)}); err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if n := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(w)).CountX(f.sys); n != 0 {
				t.Errorf("%d dose records after rollback, want 0", n)
			}
			if n := db.Client.ExposureSummary.Query().Where(exposuresummary.WorkerID(w)).CountX(f.sys); n != 0 {
				t.Errorf("%d standings after rollback, want 0", n)
			}
			if got := events(sub, 300*time.Millisecond); len(got) != 0 {
				t.Errorf("events after rollback: %v, want none", got)
			}
		})
	})
}

func TestWriteOperational(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		db := f.db
		// Ensure operational results are written, a new version superseding
		// the current one, and touch no standing.
		t.Run("OK", func(t *testing.T) {
			w := f.worker(t)
			at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
			op := registry.OperationalDose{WorkerID: w, EstablishmentID: f.estab, Dosimeter: "EPD1", Start: at, End: at.Add(8 * time.Hour),
				Value: 12, Version: 1}
			ctx, tx, s := f.open(t)
			if err := s.WriteOperational(ctx, []registry.OperationalDose{op}); err != nil {
				t.Fatal(err)
			}
			first := tx.OperationalDose.Query().Where(operationaldose.WorkerID(w)).OnlyX(policy.SystemContext(ctx))
			op.Value, op.Version, op.Supersedes = 20, 2, first.ID
			if err := s.WriteOperational(ctx, []registry.OperationalDose{op}); err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			all := db.Client.OperationalDose.Query().Where(operationaldose.WorkerID(w)).AllX(f.sys)
			if len(all) != 2 {
				t.Fatalf("%d operational results stored, want 2", len(all))
			}
			for _, o := range all {
				if o.Current != (o.ValueUsv == 20) {
					t.Errorf("operational result %d µSv current = %t, want only the new version current", o.ValueUsv, o.Current)
				}
			}
			if n := db.Client.ExposureSummary.Query().Where(exposuresummary.WorkerID(w)).CountX(f.sys); n != 0 {
				t.Errorf("%d standings after operational results, want 0", n)
			}
		})
	})
}
