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

// TestLivingDemo ensures the seeded demo shows what the detector raised over
// its history to the demo adviser and physician, one pending correction
// conflict to the physician, and that the demo ticker sends laboratory
// batches that reach the adviser.
func TestLivingDemo(t *testing.T) {
	db := storetest.MustOpen(t)
	opts := seed.DefaultOptions()
	opts.Workers = 300
	if _, err := seed.IfEmpty(context.Background(), db.Client, opts, nil); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStartWith(t, db, func(c *server.Config) { c.DemoTick = 100 * time.Millisecond })
	login := func(email string) *servertest.Client {
		c := srv.NewClient(t)
		c.MustLogin(email, seed.DemoPassword)
		return c
	}
	total := func(c *servertest.Client, q string) int {
		t.Helper()
		var out map[string]struct{ TotalCount int }
		c.MustDo(q, nil, &out)
		for _, v := range out {
			return v.TotalCount
		}
		return -1
	}
	const (
		anomalies = `{ anomalies(first: 1, where: { layerNEQ: CONSTRAINT }) { totalCount } }`
		notices   = `{ anomalies(first: 1, where: { layer: CONSTRAINT }) { totalCount } }`
		conflicts = `{ doseConflicts(first: 1, where: { status: OPEN }) { totalCount } }`
		batches   = `{ importBatches(first: 1, where: { referenceHasPrefix: "LANDAUER-DEMO-" }) { totalCount } }`
	)
	adviser, physician := login("pcr@demo.siseri.fr"), login("medecin@demo.siseri.fr")
	for _, tc := range []struct {
		name string
		c    *servertest.Client
		q    string
	}{
		{"adviser anomalies", adviser, anomalies},
		{"adviser notices", adviser, notices},
		{"physician anomalies", physician, anomalies},
	} {
		if n := total(tc.c, tc.q); n < 1 {
			t.Errorf("%s: %d, want some raised by the detector", tc.name, n)
		}
	}
	if n := total(physician, conflicts); n != 1 {
		t.Errorf("physician's open conflicts = %d, want 1", n)
	}

	// The ticker's batches arrive, as the demo laboratory's, with new anomalies.
	lab := login("labo@demo.siseri.fr")
	before := total(adviser, anomalies)
	deadline := time.NewTimer(60 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for total(lab, batches) < 2 || total(adviser, anomalies) <= before {
		select {
		case <-deadline.C:
			t.Fatalf("after 60 s: %d demo batches, adviser's anomalies %d (were %d)", total(lab, batches), total(adviser, anomalies), before)
		case <-tick.C:
		}
	}
}
