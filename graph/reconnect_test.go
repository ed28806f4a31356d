package graph_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// TestReconnectExactlyOnce drops a subscriber's socket 100 times at random
// moments while anomalies are being raised; resuming each time from its last
// cursor, it must end up holding every anomaly exactly once.
func TestReconnectExactlyOnce(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	est := mustPopulate(t, db.Client, 1)
	w := db.Client.Worker.Query().OnlyX(ctx)
	servertest.MustCreateAccount(t, db.Client, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	pcr := srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)

	const total = 400
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := rand.New(rand.NewPCG(5, 6))
		for i := 1; i <= total; i++ {
			raise(t, srv, w, est.ID, i)
			if r.IntN(4) == 0 {
				time.Sleep(time.Duration(r.IntN(3)) * time.Millisecond)
			}
		}
	}()

	r := rand.New(rand.NewPCG(7, 8))
	seen := map[string]int{}
	cursor := ""
	drops := 0
	for drops < 100 || len(seen) < total {
		sub := mustSubscribe(t, srv, pcr.Token, cursor)
		wait := 10 * time.Second
		if len(seen) == total {
			wait = 50 * time.Millisecond // all received: a resume must bring nothing more
		}
		budget := r.IntN(12) // events to read before dropping, 0 = drop at once
		for n := 0; drops >= 100 || n < budget; n++ {
			expl, c, ok := sub.event(wait)
			if !ok {
				break
			}
			seen[expl]++
			cursor = c
			if len(seen) == total && drops >= 100 {
				break
			}
		}
		sub.conn.Close() // abrupt: no complete, no close frame
		drops++
	}
	<-done
	dups := 0
	for _, n := range seen {
		if n > 1 {
			dups++
		}
	}
	if len(seen) != total || dups != 0 {
		t.Fatalf("received %d distinct anomalies of %d, %d duplicated", len(seen), total, dups)
	}
	t.Logf("%d drops, %d anomalies received exactly once", drops, total)
}
