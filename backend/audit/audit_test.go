package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// mustChain returns a database holding a chain of five events.
func mustChain(t *testing.T) (*audit.Log, context.Context) {
	t.Helper()
	db := storetest.MustOpen(t)
	log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
	ctx := context.Background()
	v := &policy.Viewer{AccountID: 7, DisplayName: "Dr Claire Martin", Role: policy.RolePhysician}
	for i := 1; i <= 5; i++ {
		e := audit.Entry{Action: audit.ActionRead, Operation: "query Dossier", FieldPaths: []string{"Worker.nir", "DoseRecord.valueUsv"},
			ObjectType: "Worker", ObjectIDs: []int{100 + i, 200 + i}, WorkerIDs: []int{100 + i, 42},
			Details: map[string]any{"n": i}}
		if err := log.Append(ctx, v, e); err != nil {
			t.Fatal(err)
		}
	}
	return log, ctx
}

func TestVerify(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// Ensure an untouched chain verifies and counts its events.
		log, ctx := mustChain(t)
		rep, err := audit.Verify(ctx, log.Client)
		if err != nil || !rep.OK() || rep.Events != 5 {
			t.Fatalf("Verify = %+v, %v; want 5 events, no problem", rep, err)
		}
		first := log.Client.AuditEvent.Query().FirstX(policy.SystemContext(ctx))
		if first.ActorLabel != "Dr Claire Martin (médecin du travail)" || first.ActorRole != "OCCUPATIONAL_PHYSICIAN" || *first.ActorAccountID != 7 {
			t.Errorf("actor = %q %q %v", first.ActorLabel, first.ActorRole, first.ActorAccountID)
		}
	})
	t.Run("OKBatch", func(t *testing.T) {
		// Ensure a batch of appends continues the chain in order.
		log, ctx := mustChain(t)
		var batch []audit.Pending
		for i := 0; i < 7; i++ {
			batch = append(batch, audit.Pending{Viewer: &policy.Viewer{AccountID: 9, Role: policy.RoleRPA},
				Entry: audit.Entry{Action: audit.ActionRead, WorkerIDs: []int{i + 1}}})
		}
		if err := log.AppendBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Verify(ctx, log.Client)
		if err != nil || !rep.OK() || rep.Events != 12 {
			t.Fatalf("Verify = %+v, %v; want 12 events, no problem", rep, err)
		}
	})
	for _, tc := range []struct{ name, sql, want string }{
		{"ErrEdited", `UPDATE audit_events SET actor_label = 'Quelqu''un d''autre' WHERE seq = 3`, "n° 3 : son contenu ne correspond plus"},
		{"ErrEditedWorkers", `UPDATE audit_events SET worker_ids = '[1]' WHERE seq = 2`, "n° 2 : son contenu ne correspond plus"},
		{"ErrDeleted", `DELETE FROM audit_subjects WHERE event_id = (SELECT id FROM audit_events WHERE seq = 2); DELETE FROM audit_events WHERE seq = 2`, "numéro attendu 2"},
		{"ErrRenumbered", `UPDATE audit_events SET seq = seq + 100 WHERE seq >= 4`, "numéro attendu 4"},
		{"ErrRehashed", `UPDATE audit_events SET prev_hash = 'x' WHERE seq = 4`, "n° 4 : il ne suit pas"},
		{"ErrIndex", `DELETE FROM audit_subjects WHERE id = (SELECT MIN(id) FROM audit_subjects)`, "index des personnes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Ensure tampering with the log is refused by the database and,
			// by a superuser who switches the triggers off, detected and located.
			log, ctx := mustChain(t)
			_, err := log.Client.ExecContext(policy.SystemContext(ctx), tc.sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || (pe.Code != store.SQLStateDeleteRefused && pe.Code != store.SQLStateUpdateRefused) {
				t.Fatalf("tampering: %v, want refused by the retention triggers", err)
			}
			if _, err := log.Client.ExecContext(policy.SystemContext(ctx),
				"SET session_replication_role = replica; "+tc.sql+"; RESET session_replication_role"); err != nil {
				t.Fatal(err)
			}
			rep, err := audit.Verify(ctx, log.Client)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
				t.Errorf("Verify problems = %q, want one containing %q", rep.Problems, tc.want)
			}
		})
	}
}

func TestAppendConcurrent(t *testing.T) {
	// Ensure concurrent appends keep one unbroken chain.
	log, ctx := mustChain(t)
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() {
			errs <- log.Append(ctx, nil, audit.Entry{Action: audit.ActionWrite, Operation: "import"})
		}()
	}
	for i := 0; i < 20; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	rep, err := audit.Verify(ctx, log.Client)
	if err != nil || !rep.OK() || rep.Events != 25 {
		t.Fatalf("Verify = %+v, %v; want 25 events, no problem", rep, err)
	}
}
