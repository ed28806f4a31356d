package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/policy"
)

func TestAudit(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	est := mustPopulate(t, db.Client, 3)
	ws := db.Client.Worker.Query().AllX(ctx)
	w := ws[0]
	servertest.MustCreateAccount(t, db.Client, "mdt@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	servertest.MustCreateAccount(t, db.Client, "moi@test.fr", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(w.ID) })
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	mdt := srv.NewClient(t)
	mdt.MustLogin("mdt@test.fr", servertest.Password)
	me := srv.NewClient(t)
	me.MustLogin("moi@test.fr", servertest.Password)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)

	t.Run("OKRead", func(t *testing.T) {
		// Ensure a read of identity and dose values is logged with its fields and people.
		mdt.MustDo(`query Dossier($id: ID!) { node(id: $id) { ... on Worker { temporaryID doseRecords(first: 3) { edges { node { valueUsv } } } } } }`,
			map[string]any{"id": w.ID}, nil)
		ev := db.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldID)).FirstX(ctx)
		if ev.Action != audit.ActionRead || !strings.Contains(ev.Operation, "Dossier") || ev.ActorRole != "OCCUPATIONAL_PHYSICIAN" {
			t.Errorf("event = %+v", ev)
		}
		for _, f := range []string{"Worker.temporaryID", "DoseRecord.valueUsv"} {
			if !slices.Contains(ev.FieldPaths, f) {
				t.Errorf("fieldPaths %v lack %s", ev.FieldPaths, f)
			}
		}
		if !slices.Equal(ev.WorkerIds, []int{w.ID}) || len(ev.ObjectIds) != 4 {
			t.Errorf("workerIds %v objectIds %v, want [%d] and the worker + 3 doses", ev.WorkerIds, ev.ObjectIds, w.ID)
		}
	})

	t.Run("OKNoNominativeRead", func(t *testing.T) {
		// Ensure reading no nominative field writes no event.
		before := db.Client.AuditEvent.Query().CountX(ctx)
		mdt.MustDo(`{ establishments(first: 5) { edges { node { name } } } }`, nil, nil)
		if after := db.Client.AuditEvent.Query().CountX(ctx); after != before {
			t.Errorf("events %d → %d, want no new event", before, after)
		}
	})

	t.Run("OKWorkerSeesWhoAccessed", func(t *testing.T) {
		// Ensure the worker lists who accessed their data, and only their own trail.
		var out struct {
			AuditTrail struct {
				Edges []struct {
					Node struct{ ActorLabel, ActorRole, Action string }
				}
			}
		}
		me.MustDo(`query($w: ID!) { auditTrail(workerID: $w, first: 20) { edges { node { actorLabel actorRole action } } } }`,
			map[string]any{"w": w.ID}, &out)
		found := false
		for _, e := range out.AuditTrail.Edges {
			found = found || strings.Contains(e.Node.ActorLabel, "médecin du travail")
		}
		if !found {
			t.Errorf("trail %+v lacks the physician's read", out.AuditTrail.Edges)
		}
		res := me.Do(`query($w: ID!) { auditTrail(workerID: $w, first: 20) { edges { node { actorLabel } } } }`,
			map[string]any{"w": ws[1].ID})
		if res.Code() != "FORBIDDEN" {
			t.Errorf("a worker asking another's trail: code %q, want FORBIDDEN", res.Code())
		}
		if res := me.Do(`{ auditTrail(workerID: 1, first: 5) { edges { node { hash } } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("worker reading hashes: code %q, want FORBIDDEN_FIELD", res.Code())
		}
	})

	t.Run("OKWrite", func(t *testing.T) {
		// Ensure a write is logged in the same transaction, with the entity written.
		var out struct{ CreateAccount struct{ ID string } }
		admin.MustDo(`mutation { createAccount(input: {email: "nouveau@test.fr", displayName: "Nouveau", password: "un mot de passe long"}) { id } }`, nil, &out)
		ev := db.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldID)).FirstX(ctx)
		if ev.Action != audit.ActionWrite || !slices.Contains(ev.ObjectIds, mustAtoi(t, out.CreateAccount.ID)) {
			t.Errorf("event = %+v, want a WRITE of account %s", ev, out.CreateAccount.ID)
		}
	})

	t.Run("OKVerify", func(t *testing.T) {
		// Ensure the untouched log verifies (three logins, a read, a write)
		// and that the server's sequencer chains it within seconds.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			rep, err := audit.Verify(ctx, db.Client)
			if err != nil || !rep.OK() || rep.Events != 5 {
				t.Fatalf("Verify = %+v, %v", rep, err)
			}
			if rep.Pending == 0 && rep.Batches > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s, %d of %d events still wait to be chained", rep.Pending, rep.Events)
			}
		}
	})
}
