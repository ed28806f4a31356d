package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/policy"
)

// mustAppend appends n physician reads, numbered from first in their details.
func mustAppend(t *testing.T, log *audit.Log, first, n int) {
	t.Helper()
	v := &policy.Viewer{AccountID: 7, DisplayName: "Dr Claire Martin", Role: policy.RolePhysician}
	for i := first; i < first+n; i++ {
		e := audit.Entry{Action: audit.ActionRead, Operation: "query Dossier", FieldPaths: []string{"Worker.nir", "DoseRecord.valueUsv"},
			ObjectType: "Worker", ObjectIDs: []int{100 + i, 200 + i}, WorkerIDs: []int{100 + i, 42},
			Details: map[string]any{"n": i}}
		if err := log.Append(context.Background(), v, e); err != nil {
			t.Fatal(err)
		}
	}
}

// mustSeal chains every pending event and returns how many it chained,
// waiting (10 s at most) for another sequencer to let go.
func mustSeal(t *testing.T, db *store.DB) int {
	t.Helper()
	return mustSealBatches(t, db, 0)
}

// mustSealBatches is mustSeal in batches of at most maxBatch events (0: the
// sequencer's default).
func mustSealBatches(t *testing.T, db *store.DB, maxBatch int) int {
	t.Helper()
	total := 0
	for deadline := time.Now().Add(10 * time.Second); ; {
		n, err := (&audit.Sequencer{Client: db.Client, Dialect: db.Dialect, MaxBatch: maxBatch}).Drain(context.Background())
		total += n
		switch {
		case err == nil:
			return total
		case !errors.Is(err, audit.ErrSealing) || time.Now().After(deadline):
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mustChain returns a database holding five events chained in two batches
// (events 1–3, then 4–5).
func mustChain(t *testing.T, db *store.DB) *audit.Log {
	t.Helper()
	log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
	mustAppend(t, log, 1, 3)
	if n := mustSeal(t, db); n != 3 {
		t.Fatalf("sealed %d events, want 3", n)
	}
	mustAppend(t, log, 4, 2)
	if n := mustSeal(t, db); n != 2 {
		t.Fatalf("sealed %d events, want 2", n)
	}
	return log
}

func mustVerify(t *testing.T, db *store.DB, events, pending, batches int) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db.Client)
	if err != nil || !rep.OK() || rep.Events != events || rep.Pending != pending || rep.Batches != batches {
		t.Fatalf("Verify = %+v, %v; want %d events (%d pending) in %d batches, no problem", rep, err, events, pending, batches)
	}
	return rep
}

func TestVerify(t *testing.T) {
	ctx := policy.SystemContext(context.Background())
	t.Run("OK", func(t *testing.T) {
		// Ensure an untouched chain verifies and counts its events and batches.
		db := storetest.MustOpen(t)
		log := mustChain(t, db)
		rep := mustVerify(t, db, 5, 0, 2)
		if rep.HeadNumber != 2 || len(rep.HeadHash) != 64 {
			t.Errorf("head = %d %q, want batch 2 and its hash", rep.HeadNumber, rep.HeadHash)
		}
		first := log.Client.AuditEvent.Query().Where(auditevent.Seq(1)).OnlyX(ctx)
		if first.ActorLabel != "Dr Claire Martin (médecin du travail)" || first.ActorRole != "OCCUPATIONAL_PHYSICIAN" || *first.ActorAccountID != 7 {
			t.Errorf("actor = %q %q %v", first.ActorLabel, first.ActorRole, first.ActorAccountID)
		}
	})
	t.Run("OKBatch", func(t *testing.T) {
		// Ensure a batch of appends (live deliveries) is chained after the others, in order.
		db := storetest.MustOpen(t)
		log := mustChain(t, db)
		var batch []audit.Pending
		for i := 0; i < 7; i++ {
			batch = append(batch, audit.Pending{Viewer: &policy.Viewer{AccountID: 9, Role: policy.RoleRPA},
				Entry: audit.Entry{Action: audit.ActionRead, WorkerIDs: []int{i + 1, i + 1}}})
		}
		if err := log.AppendBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, db, 12, 7, 2)
		mustSeal(t, db)
		mustVerify(t, db, 12, 0, 3)
	})
	t.Run("OKPending", func(t *testing.T) {
		// Ensure events not chained yet verify within the grace period, and are reported beyond it.
		db := storetest.MustOpen(t)
		log := mustChain(t, db)
		mustAppend(t, log, 6, 2)
		mustVerify(t, db, 7, 2, 2)
		rep, err := audit.VerifyAt(ctx, db.Client, time.Now().Add(time.Hour), 10*time.Minute)
		if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "non chaîné depuis") {
			t.Fatalf("VerifyAt an hour later = %+v, %v; want the two pending events reported", rep, err)
		}
	})
	for _, tc := range []struct {
		name, sql, want string
		// pending appends one more event, not chained, before tampering.
		pending bool
	}{
		{name: "ErrEdited", sql: `UPDATE audit_events SET actor_label = 'Quelqu''un d''autre' WHERE seq = 3`, want: "n° 3 : son contenu ne correspond plus"},
		{name: "ErrEditedWorkers", sql: `UPDATE audit_events SET worker_ids = '[1]' WHERE seq = 2`, want: "n° 2 : son contenu ne correspond plus"},
		{name: "ErrDeleted", sql: `DELETE FROM audit_subjects WHERE event_id = (SELECT id FROM audit_events WHERE seq = 2); DELETE FROM audit_events WHERE seq = 2`, want: "numéro attendu 2"},
		{name: "ErrRenumbered", sql: `UPDATE audit_events SET seq = seq + 100 WHERE seq >= 4`, want: "numéro attendu 4"},
		{name: "ErrRehashed", sql: `UPDATE audit_batches SET prev_hash = 'x' WHERE number = 2`, want: "lot n° 2 : il ne suit pas"},
		{name: "ErrIndex", sql: `DELETE FROM audit_subjects WHERE id = (SELECT MIN(id) FROM audit_subjects)`, want: "index des personnes"},
		{name: "ErrBatchDeleted", sql: `DELETE FROM audit_batches WHERE number = 1`, want: "lot n° 2 : numéro attendu 1"},
		{name: "ErrBatchEdited", sql: `UPDATE audit_batches SET last_seq = 2 WHERE number = 1`, want: "lot n° 1 : son contenu ne correspond plus"},
		{name: "ErrReordered", sql: `UPDATE audit_events SET seq = 1000 WHERE seq = 1; UPDATE audit_events SET seq = 1 WHERE seq = 2;
			UPDATE audit_events SET seq = 2 WHERE seq = 1000`, want: "lot n° 1 : la racine de Merkle"},
		{name: "ErrInsertedInBatch", pending: true, sql: `UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 2;
			UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000; UPDATE audit_events SET seq = 2 WHERE seq IS NULL`,
			want: "lot n° 1 : la racine de Merkle"},
		{name: "ErrPendingEdited", pending: true, sql: `UPDATE audit_events SET operation = 'query Autre' WHERE seq IS NULL`,
			want: "en attente (identifiant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Ensure tampering with the log is refused by the database and,
			// by a superuser who switches the triggers off, detected and located.
			db := storetest.MustOpen(t)
			log := mustChain(t, db)
			if tc.pending {
				mustAppend(t, log, 6, 1)
			}
			_, err := db.SQL.ExecContext(ctx, tc.sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || (pe.Code != store.SQLStateDeleteRefused && pe.Code != store.SQLStateUpdateRefused) {
				t.Fatalf("tampering: %v, want refused by the retention triggers", err)
			}
			if _, err := db.SQL.ExecContext(ctx, "SET session_replication_role = replica; "+tc.sql+"; RESET session_replication_role"); err != nil {
				t.Fatal(err)
			}
			rep, err := audit.Verify(ctx, db.Client)
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
	// Ensure concurrent appends, sealed by three sequencers at once, keep one unbroken chain.
	db := storetest.MustOpen(t)
	log := mustChain(t, db)
	ctx, stop := context.WithCancel(context.Background())
	var seals sync.WaitGroup
	for i := 0; i < 3; i++ {
		seals.Add(1)
		go func() {
			defer seals.Done()
			(&audit.Sequencer{Client: db.Client, Dialect: db.Dialect, MaxBatch: 4}).Run(ctx, time.Millisecond, nil)
		}()
	}
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		go func() {
			errs <- log.Append(context.Background(), nil, audit.Entry{Action: audit.ActionWrite, Operation: "import"})
		}()
	}
	for i := 0; i < 40; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	stop()
	seals.Wait()
	// What the three sequencers left pending is chained in batches of the
	// same size, so that every appended event is in a batch of at most 4.
	mustSealBatches(t, db, 4)
	rep, err := audit.Verify(context.Background(), db.Client)
	if err != nil || !rep.OK() || rep.Events != 45 || rep.Pending != 0 || rep.Batches < 12 {
		t.Fatalf("Verify = %+v, %v; want 45 events chained in at least 12 batches of at most 4, no problem", rep, err)
	}
}

func TestSealOutOfOrder(t *testing.T) {
	// Ensure an event whose transaction commits after a later one is chained
	// once committed, never skipped, and never before.
	db := storetest.MustOpen(t)
	log := mustChain(t, db)
	ctx := policy.SystemContext(context.Background())
	tx, err := db.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	slow := ent.NewContext(ctx, tx.Client())
	if err := log.Append(slow, nil, audit.Entry{Action: audit.ActionRead, Operation: "slow"}); err != nil {
		t.Fatal(err)
	}
	if err := log.Append(ctx, nil, audit.Entry{Action: audit.ActionRead, Operation: "fast"}); err != nil {
		t.Fatal(err)
	}
	if n := mustSeal(t, db); n != 1 {
		t.Fatalf("sealed %d events while the slow transaction is open, want 1 (the committed one)", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := mustSeal(t, db); n != 1 {
		t.Fatalf("sealed %d events after the slow commit, want 1", n)
	}
	slowEv := db.Client.AuditEvent.Query().Where(auditevent.Operation("slow")).OnlyX(ctx)
	fastEv := db.Client.AuditEvent.Query().Where(auditevent.Operation("fast")).OnlyX(ctx)
	if !(slowEv.ID < fastEv.ID && *slowEv.Seq == 7 && *fastEv.Seq == 6) {
		t.Errorf("slow id %d seq %v, fast id %d seq %v; want the slow one appended first and chained last (7, after 6)",
			slowEv.ID, *slowEv.Seq, fastEv.ID, *fastEv.Seq)
	}
	mustVerify(t, db, 7, 0, 4)
}

func TestSQLite(t *testing.T) {
	// Ensure the embedded database appends, seals and verifies, and that an
	// edit made behind the triggers' back is detected.
	db := storetest.MustOpenSQLite(t)
	log := mustChain(t, db)
	if err := log.AppendBatch(context.Background(), []audit.Pending{{Entry: audit.Entry{Action: audit.ActionRead, WorkerIDs: []int{3}}},
		{Entry: audit.Entry{Action: audit.ActionRead, WorkerIDs: []int{3, 4}}}}); err != nil {
		t.Fatal(err)
	}
	mustSeal(t, db)
	mustVerify(t, db, 7, 0, 3)
	if _, err := db.SQL.Exec(`UPDATE audit_events SET seq = 9 WHERE seq = 6`); err == nil || !strings.Contains(err.Error(), "Modification refusée") {
		t.Fatalf("renumbering a chained event: %v, want refused", err)
	}
	if _, err := db.SQL.Exec(`DROP TRIGGER siseri_no_update_audit_events; UPDATE audit_events SET action = 'WRITE' WHERE seq = 6`); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(context.Background(), db.Client)
	if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "n° 6 : son contenu ne correspond plus") {
		t.Fatalf("Verify = %+v, %v; want event 6 reported edited", rep, err)
	}
}

func TestAppendBatchLarge(t *testing.T) {
	// Ensure one flush of thousands of live deliveries, past the rows of one
	// INSERT, is written whole and chains in one batch.
	db := storetest.MustOpen(t)
	log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
	batch := make([]audit.Pending, 4000)
	for i := range batch {
		batch[i] = audit.Pending{Viewer: &policy.Viewer{AccountID: i + 1, Role: policy.RoleRPA},
			Entry: audit.Entry{Action: audit.ActionRead, Operation: "subscription { anomalyRaised }", WorkerIDs: []int{i, i + 1, i + 2},
				Details: map[string]any{"live": true}}}
	}
	if err := log.AppendBatch(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if n := db.Client.AuditSubject.Query().CountX(policy.SystemContext(context.Background())); n != 12000 {
		t.Fatalf("worker index has %d rows, want 12000", n)
	}
	mustSeal(t, db)
	mustVerify(t, db, 4000, 0, 1)
}
