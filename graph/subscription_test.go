package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// raise stores one finding for worker w and announces it after commit.
func raise(t *testing.T, srv *servertest.Server, w *ent.Worker, est int, n int) {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	tx, err := srv.DB.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tctx := ent.NewTxContext(ctx, tx)
	created, err := anomaly.Store(tctx, tx.Client(), []anomaly.Finding{{
		Kind: anomaly.KindContext, Layer: anomaly.LayerContext, Severity: anomaly.SeverityHigh, Score: 5,
		WorkerID: w.ID, EstablishmentID: est, Explanation: fmt.Sprintf("Constat de test n° %d.", n), Identity: []string{fmt.Sprint(n)},
	}}, srv.DB.IsPostgres())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range created {
		if err := srv.App.Broker().Announce(tctx, tx.Client(), alerts.Event{Type: alerts.AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func mustSubscribe(t *testing.T, srv *servertest.Server, token, after string) *wsClient {
	t.Helper()
	vars := map[string]any{}
	if after != "" {
		vars["after"] = after
	}
	return dialSubscription(t, srv, token,
		`subscription($after: Cursor) { anomalyRaised(after: $after) { cursor anomaly { id workerID explanation } } }`, vars)
}

// dialSubscription opens a graphql-transport-ws connection with token and
// starts the subscription query.
func dialSubscription(t *testing.T, srv *servertest.Server, token, query string, vars map[string]any) *wsClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn}
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	if m := c.next(5 * time.Second); m == nil || m["type"] != "connection_ack" {
		t.Fatalf("init: %v", m)
	}
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
	return c
}

// next returns the next non-ping message, or nil on timeout or close.
func (c *wsClient) next(timeout time.Duration) map[string]any {
	_ = c.conn.SetReadDeadline(time.Now().Add(timeout))
	for {
		var m map[string]any
		if err := c.conn.ReadJSON(&m); err != nil {
			return nil
		}
		if m["type"] == "ping" {
			_ = c.conn.WriteJSON(map[string]any{"type": "pong"})
			continue
		}
		return m
	}
}

// event returns the explanation and cursor of the next anomaly event.
func (c *wsClient) event(timeout time.Duration) (explanation, cursor string, ok bool) {
	m := c.next(timeout)
	if m == nil || m["type"] != "next" {
		return "", "", false
	}
	ev := m["payload"].(map[string]any)["data"].(map[string]any)["anomalyRaised"].(map[string]any)
	return ev["anomaly"].(map[string]any)["explanation"].(string), ev["cursor"].(string), true
}

func TestAnomalySubscription(t *testing.T) {
	graph.LiveCheckInterval = 200 * time.Millisecond
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	a := mustPopulate(t, db.Client, 1) // establishment A and its worker
	wa := db.Client.Worker.Query().OnlyX(ctx)
	b := db.Client.Establishment.Create().SetSiret("35600000000048").SetName("B").SaveX(ctx)
	wb := db.Client.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID("NTTB").SetLastName("B").SetFirstNames("B").
		SetBirthDate(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("M").SaveX(ctx)
	db.Client.Employment.Create().SetWorkerID(wb.ID).SetEstablishmentID(b.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").SetMonitoringKinds([]string{}).ExecX(ctx)
	acc := servertest.MustCreateAccount(t, db.Client, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(a.ID) })
	pcr := srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)

	raise(t, srv, wa, a.ID, 1) // before subscribing: replayed
	sub := mustSubscribe(t, srv, pcr.Token, "")
	expl, cursor, ok := sub.event(5 * time.Second)
	if !ok || expl != "Constat de test n° 1." {
		t.Fatalf("replay: %q %v", expl, ok)
	}

	t.Run("OKLiveInScopeOnly", func(t *testing.T) {
		// Ensure a live anomaly in scope arrives, one out of scope never does.
		raise(t, srv, wb, b.ID, 2)
		raise(t, srv, wa, a.ID, 3)
		expl, c, ok := sub.event(5 * time.Second)
		if !ok || expl != "Constat de test n° 3." {
			t.Fatalf("live: %q %v (the out-of-scope n° 2 must not arrive)", expl, ok)
		}
		cursor = c
	})

	t.Run("OKResume", func(t *testing.T) {
		// Ensure a client resuming with its cursor gets only what it missed.
		raise(t, srv, wa, a.ID, 4)
		again := mustSubscribe(t, srv, pcr.Token, cursor)
		expl, _, ok := again.event(5 * time.Second)
		if !ok || expl != "Constat de test n° 4." {
			t.Fatalf("resume: %q %v", expl, ok)
		}
		if m := again.next(300 * time.Millisecond); m != nil {
			t.Errorf("resume delivered more: %v", m)
		}
		if expl, _, ok := sub.event(5 * time.Second); !ok || expl != "Constat de test n° 4." {
			t.Errorf("the first socket missed n° 4: %q %v", expl, ok)
		}
	})

	t.Run("ErrRevokedGrant", func(t *testing.T) {
		// Ensure revoking the grant during an open socket stops delivery.
		db.Client.Grant.Update().Where(grant.AccountID(acc.ID)).SetRevokedAt(time.Now()).ExecX(ctx)
		time.Sleep(3 * graph.LiveCheckInterval)
		raise(t, srv, wa, a.ID, 5)
		if expl, _, ok := sub.event(time.Second); ok {
			t.Errorf("delivered after revocation: %q", expl)
		}
	})
}

func TestLogoutClosesSocket(t *testing.T) {
	graph.LiveCheckInterval = 200 * time.Millisecond
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	c := srv.NewClient(t)
	c.MustLogin("analyste@test.fr", servertest.Password)
	sub := mustSubscribe(t, srv, c.Token, "")
	c.MustDo(`mutation { logout }`, nil, nil)
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		if m := sub.next(time.Second); m == nil {
			return // closed
		}
	}
	t.Fatal("socket still open 5 s after logout")
}

// TestSubscriptionLiveViewer checks that an event's fields and edges resolve
// under the socket's viewer of the moment, not the one it opened with (issue
// 12 item 5).
func TestSubscriptionLiveViewer(t *testing.T) {
	graph.LiveCheckInterval = 200 * time.Millisecond
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	a := mustPopulate(t, db.Client, 1) // establishment A and its worker
	w := db.Client.Worker.Query().OnlyX(ctx)
	b := db.Client.Establishment.Create().SetSiret("35600000000048").SetName("B").SaveX(ctx)
	db.Client.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(b.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("B").SetMonitoringKinds([]string{}).ExecX(ctx)
	acc := servertest.MustCreateAccount(t, db.Client, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(a.ID) })
	gb := db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleRPA).SetEstablishmentID(b.ID).
		SetValidFrom(time.Now().Add(-24 * time.Hour)).SaveX(ctx)
	db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RolePhysician).SetEstablishmentID(a.ID).
		SetValidFrom(time.Now().Add(-24 * time.Hour)).ExecX(ctx)
	pcr := srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)
	pcr.MustDo(`mutation { switchRole(role: RADIATION_PROTECTION_ADVISER) { activeRole } }`, nil, nil)

	// employments reads how many of the worker's employments an event shows.
	employments := func(c *wsClient) (int, bool) {
		m := c.next(5 * time.Second)
		if m == nil || m["type"] != "next" {
			return 0, false
		}
		data, _ := m["payload"].(map[string]any)["data"].(map[string]any)
		ev, _ := data["anomalyRaised"].(map[string]any)
		if ev == nil {
			t.Fatalf("event without data: %v", m)
		}
		emps := ev["anomaly"].(map[string]any)["worker"].(map[string]any)["employments"].(map[string]any)
		return int(emps["totalCount"].(float64)), true
	}
	sub := dialSubscription(t, srv, pcr.Token,
		`subscription { anomalyRaised { cursor anomaly { id worker { employments(first: 10) { totalCount } } } } }`, nil)
	raise(t, srv, w, a.ID, 1)
	if n, ok := employments(sub); !ok || n != 2 {
		t.Fatalf("before revocation: %d employments (%v), want 2 (A and B)", n, ok)
	}

	t.Run("ErrRevokedGrantHidesEdges", func(t *testing.T) {
		// Ensure that once the grant on B is revoked, an event still in scope
		// (A's) no longer shows B's employment through its edges.
		db.Client.Grant.UpdateOne(gb).SetRevokedAt(time.Now()).ExecX(ctx)
		deadline := time.Now().Add(10 * time.Second)
		for i := 2; ; i++ {
			raise(t, srv, w, a.ID, i)
			n, ok := employments(sub)
			if !ok {
				t.Fatal("no event for A's anomaly after revoking B")
			}
			if n == 1 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("still %d employments shown 10 s after revoking the grant on B", n)
			}
		}
	})

	t.Run("ErrRoleSwitchEndsSocket", func(t *testing.T) {
		// Ensure a socket opened as adviser ends when the session switches to
		// another role: nothing more is delivered under the old role.
		pcr.MustDo(`mutation { switchRole(role: OCCUPATIONAL_PHYSICIAN) { activeRole } }`, nil, nil)
		deadline := time.Now().Add(10 * time.Second)
		for i := 100; time.Now().Before(deadline); i++ {
			raise(t, srv, w, a.ID, i)
			m := sub.next(2 * time.Second)
			if m == nil || m["type"] == "complete" || m["type"] == "error" {
				return // closed
			}
		}
		t.Fatal("socket still delivering 10 s after the role switch")
	})
}
