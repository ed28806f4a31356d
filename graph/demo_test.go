package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
)

// TestDemoAccounts ensures each demo account of the README sees its role's
// dashboard data through GraphQL, and is refused what its role may not see,
// and that the demo lives: detection ran over the seeded history, and the
// demo ticker sends laboratory batches.
func TestDemoAccounts(t *testing.T) {
	db := storetest.MustOpen(t)
	opts := seed.DefaultOptions()
	opts.Workers = 300
	if _, err := seed.IfEmpty(context.Background(), db.Client, opts, nil); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStart(t, db)
	count := func(t *testing.T, c *servertest.Client, q string) int {
		t.Helper()
		var out map[string]struct{ TotalCount int }
		c.MustDo(q, nil, &out)
		for _, v := range out {
			return v.TotalCount
		}
		return 0
	}
	const (
		workers  = `{ workers(first: 1) { totalCount } }`
		doses    = `{ doseRecords(first: 1) { totalCount } }`
		internal = `{ doseRecords(first: 1, where: {monitoringKind: INTERNAL}) { totalCount } }`
	)
	login := func(t *testing.T, email string) *servertest.Client {
		c := srv.NewClient(t)
		c.MustLogin(email, seed.DemoPassword)
		return c
	}
	refused := func(t *testing.T, c *servertest.Client, q string) {
		t.Helper()
		if res := c.Do(q, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("%s: code %q, want FORBIDDEN_FIELD", q, res.Code())
		}
	}
	total := count(t, login(t, "analyste@demo.siseri.fr"), doses)

	t.Run("Worker", func(t *testing.T) {
		c := login(t, "travailleur@demo.siseri.fr")
		if n := count(t, c, workers); n != 1 {
			t.Errorf("workers = %d, want only themself", n)
		}
		if n := count(t, c, doses); n == 0 || n >= total {
			t.Errorf("doses = %d of %d, want their own only", n, total)
		}
	})
	t.Run("Physician", func(t *testing.T) {
		c := login(t, "medecin@demo.siseri.fr")
		if n := count(t, c, workers); n == 0 || n >= opts.Workers {
			t.Errorf("workers = %d, want the followed ones", n)
		}
		if n := count(t, c, doses); n == 0 {
			t.Error("no doses")
		}
	})
	t.Run("Adviser", func(t *testing.T) {
		c := login(t, "pcr@demo.siseri.fr")
		if n := count(t, c, doses); n == 0 || n >= total {
			t.Errorf("doses = %d of %d", n, total)
		}
		if n := count(t, c, internal); n != 0 {
			t.Errorf("internal doses = %d, want none", n)
		}
		refused(t, c, `{ doseRecords(first: 1) { edges { node { radionuclide } } } }`)
	})
	t.Run("Employer", func(t *testing.T) {
		c := login(t, "employeur@demo.siseri.fr")
		if n := count(t, c, workers); n == 0 {
			t.Error("no workers")
		}
		refused(t, c, doses)
		refused(t, c, `{ exposureSummaries(first: 1) { edges { node { sumUsv } } } }`)
	})
	t.Run("Laboratory", func(t *testing.T) {
		c := login(t, "labo@demo.siseri.fr")
		if n := count(t, c, doses); n == 0 || n >= total {
			t.Errorf("doses = %d of %d, want their submissions", n, total)
		}
		if n := count(t, c, `{ importBatches(first: 1) { totalCount } }`); n == 0 {
			t.Error("no import batches")
		}
		refused(t, c, workers)
	})
	t.Run("ControlAgent", func(t *testing.T) {
		c := login(t, "inspection@demo.siseri.fr")
		if n := count(t, c, doses); n == 0 || n >= total {
			t.Errorf("doses = %d of %d, want their region's", n, total)
		}
	})
	t.Run("Analyst", func(t *testing.T) {
		c := login(t, "analyste@demo.siseri.fr")
		var out struct {
			Workers struct {
				Edges []struct{ Node map[string]any }
			}
		}
		c.MustDo(`{ workers(first: 3) { edges { node { pseudonym birthYear sex } } } }`, nil, &out)
		if len(out.Workers.Edges) != 3 {
			t.Errorf("workers = %v", out)
		}
		refused(t, c, `{ workers(first: 1) { edges { node { nir } } } }`)
	})
	t.Run("LabourMinistry", func(t *testing.T) {
		c := login(t, "dgt@demo.siseri.fr")
		count(t, c, `{ exceedanceNotices(first: 1) { totalCount edges { node { sectorLabel regionLabel limitCode bandLabel confirmedOn } } } }`)
		refused(t, c, workers)
		refused(t, c, doses)
		refused(t, c, `{ anomalies(first: 1) { totalCount } }`)
	})
	t.Run("Admin", func(t *testing.T) {
		c := login(t, "admin@demo.siseri.fr")
		if n := count(t, c, `{ accounts(first: 1) { totalCount } }`); n != len(seed.DemoAccounts) {
			t.Errorf("accounts = %d, want %d", n, len(seed.DemoAccounts))
		}
		refused(t, c, doses)
	})
	t.Run("LivingDemo", func(t *testing.T) {
		// The detector judged the seeded history: the adviser and the
		// physician find its anomalies and notices, the physician one
		// correction conflict to settle.
		const (
			anomalies = `{ anomalies(first: 1, where: { layerNEQ: CONSTRAINT }) { totalCount } }`
			notices   = `{ anomalies(first: 1, where: { layer: CONSTRAINT }) { totalCount } }`
			conflicts = `{ doseConflicts(first: 1, where: { status: OPEN }) { totalCount } }`
			batches   = `{ importBatches(first: 1, where: { referenceHasPrefix: "LANDAUER-DEMO-" }) { totalCount } }`
		)
		adviser, physician, lab := login(t, "pcr@demo.siseri.fr"), login(t, "medecin@demo.siseri.fr"), login(t, "labo@demo.siseri.fr")
		for _, tc := range []struct {
			name string
			c    *servertest.Client
			q    string
		}{{"adviser's anomalies", adviser, anomalies}, {"adviser's notices", adviser, notices}, {"physician's anomalies", physician, anomalies}} {
			if n := count(t, tc.c, tc.q); n < 1 {
				t.Errorf("%s = %d, want some raised by the detector", tc.name, n)
			}
		}
		if n := count(t, physician, conflicts); n != 1 {
			t.Errorf("physician's open conflicts = %d, want 1", n)
		}
		// An instance with the demo ticker on sends the demo laboratory's
		// batches; the adviser gets new anomalies from them.
		before := count(t, adviser, anomalies)
		servertest.MustStartWith(t, db, func(c *server.Config) { c.DemoTick = 100 * time.Millisecond })
		deadline := time.NewTimer(60 * time.Second)
		defer deadline.Stop()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for count(t, lab, batches) < 2 || count(t, adviser, anomalies) <= before {
			select {
			case <-deadline.C:
				t.Fatalf("after 60 s: %d demo batches, adviser's anomalies %d (were %d)", count(t, lab, batches), count(t, adviser, anomalies), before)
			case <-tick.C:
			}
		}
	})
}
