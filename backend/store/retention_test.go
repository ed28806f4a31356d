package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// retentionFixture is a worker with two versions of a dose (the first
// superseded by the second), an operational dose and an audit event.
type retentionFixture struct {
	old, cur *ent.DoseRecord
	op       *ent.OperationalDose
}

func newRetentionFixture(t *testing.T, db *store.DB) retentionFixture {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(ctx)
	w := c.Worker.Create().SetNir("180017505600103").SetLastName("Dupré").SetFirstNames("Élise").
		SetBirthDate(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)).SetSex("M").SaveX(ctx)
	dose := func(v int64, version int, current bool) *ent.DoseRecordCreate {
		return c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetSource("LABORATORY").
			SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetValueUsv(v).SetStatus("MEASURED").
			SetPeriodStart(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).SetPeriodEnd(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)).
			SetVersion(version).SetCurrent(current)
	}
	var f retentionFixture
	f.old = dose(250, 1, true).SaveX(ctx)
	f.cur = dose(300, 2, true).SaveX(ctx)
	f.op = c.OperationalDose.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetDosimeterSerial("OP-1").
		SetStartAt(time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC)).SetEndAt(time.Date(2024, 3, 4, 18, 0, 0, 0, time.UTC)).
		SetValueUsv(12).SaveX(ctx)
	log := &audit.Log{Client: c, Dialect: db.Dialect}
	if err := log.Append(context.Background(), &policy.Viewer{AccountID: 1, Role: policy.RoleAdmin},
		audit.Entry{Action: audit.ActionRead, WorkerIDs: []int{w.ID}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// checkRetention runs the statements against db: the legitimate updates of
// a version's state pass, every deletion and every other update is refused
// with a French message (and, on PostgreSQL, its SQLSTATE), and nothing
// changes.
func checkRetention(t *testing.T, db *store.DB, f retentionFixture) {
	ctx := context.Background()
	exec := func(q string, args ...any) error {
		_, err := db.SQL.ExecContext(ctx, q, args...)
		return err
	}
	refused := func(t *testing.T, err error, sqlState, msg string) {
		t.Helper()
		if err == nil {
			t.Fatalf("accepted, want refused")
		}
		t.Logf("refused: %v", err)
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("error %q, want one containing %q", err, msg)
		}
		if db.IsPostgres() {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != sqlState || pe.Hint == "" {
				t.Errorf("error %v: want SQLSTATE %s with a hint", err, sqlState)
			}
		}
	}
	// The flows of the application: supersede a version, then link a
	// version to the one it replaces, once.
	t.Run("OKSupersede", func(t *testing.T) {
		if err := exec("UPDATE dose_records SET current = false, superseded_at = $1 WHERE id = $2", time.Now(), f.old.ID); err != nil {
			t.Fatal(err)
		}
		if err := exec("UPDATE dose_records SET supersedes_id = $1, pending = false, current = true WHERE id = $2", f.old.ID, f.cur.ID); err != nil {
			t.Fatal(err)
		}
		if err := exec("UPDATE operational_doses SET current = false, superseded_at = $1 WHERE id = $2", time.Now(), f.op.ID); err != nil {
			t.Fatal(err)
		}
		// Setting a column to its own value changes nothing.
		if err := exec("UPDATE dose_records SET value_usv = value_usv, current = current WHERE id = $1", f.cur.ID); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name, sql string
		args      []any
		state     string
		msg       string
	}{
		{"ErrDeleteDose", "DELETE FROM dose_records WHERE id = $1", []any{f.old.ID}, store.SQLStateDeleteRefused, "Suppression refusée"},
		{"ErrDeleteAllDoses", "DELETE FROM dose_records", nil, store.SQLStateDeleteRefused, "ne s'efface jamais"},
		{"ErrUpdateValue", "UPDATE dose_records SET value_usv = 1 WHERE id = $1", []any{f.cur.ID}, store.SQLStateUpdateRefused,
			"Modification refusée : la colonne « value_usv » d'une dose enregistrée (table dose_records, ligne n° " + fmt.Sprint(f.cur.ID) + ")"},
		{"ErrUpdateWorker", "UPDATE dose_records SET worker_id = worker_id + 0, comment = 'x' WHERE id = $1", []any{f.cur.ID}, store.SQLStateUpdateRefused, "Modification refusée"},
		{"ErrUpdateQuantity", "UPDATE dose_records SET quantity = 'HP007' WHERE id = $1", []any{f.cur.ID}, store.SQLStateUpdateRefused, "la colonne « quantity »"},
		{"ErrUpdateSourceOfAll", "UPDATE dose_records SET source = 'PHYSICIAN'", nil, store.SQLStateUpdateRefused, "Modification refusée"},
		{"ErrRelinkSupersedes", "UPDATE dose_records SET supersedes_id = NULL WHERE id = $1", []any{f.cur.ID}, store.SQLStateUpdateRefused, "la colonne « supersedes_id »"},
		{"ErrDeleteOperational", "DELETE FROM operational_doses WHERE id = $1", []any{f.op.ID}, store.SQLStateDeleteRefused, "Suppression refusée"},
		{"ErrUpdateOperationalValue", "UPDATE operational_doses SET value_usv = 0 WHERE id = $1", []any{f.op.ID}, store.SQLStateUpdateRefused, "Modification refusée"},
		{"ErrDeleteAuditEvent", "DELETE FROM audit_events", nil, store.SQLStateDeleteRefused, "Suppression refusée"},
		{"ErrUpdateAuditEvent", "UPDATE audit_events SET action = 'CREATE'", nil, store.SQLStateUpdateRefused, "Modification refusée"},
		{"ErrDeleteAuditSubject", "DELETE FROM audit_subjects", nil, store.SQLStateDeleteRefused, "Suppression refusée"},
		{"ErrDeleteWorkerWithDoses", "DELETE FROM workers", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, db)
			err := exec(tc.sql, tc.args...)
			if tc.msg == "" {
				if err == nil {
					t.Fatal("accepted, want refused")
				}
			} else {
				refused(t, err, tc.state, tc.msg)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("the refused statement changed the tables:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	if db.IsPostgres() {
		for _, table := range []string{"dose_records", "operational_doses", "audit_events", "audit_subjects"} {
			t.Run("ErrTruncate_"+table, func(t *testing.T) {
				refused(t, exec("TRUNCATE "+table+" CASCADE"), store.SQLStateDeleteRefused, "Suppression refusée (TRUNCATE sur "+table+")")
			})
		}
	}
}

// snapshot is the content of the retained tables.
func snapshot(t *testing.T, db *store.DB) string {
	t.Helper()
	var parts []string
	for _, q := range []string{
		"SELECT id, worker_id, value_usv, quantity, source, current, supersedes_id, period_end, comment FROM dose_records ORDER BY id",
		"SELECT id, value_usv, current FROM operational_doses ORDER BY id",
		"SELECT id, seq, action, hash FROM audit_events ORDER BY id",
		"SELECT id, event_id, worker_id FROM audit_subjects ORDER BY id",
		"SELECT id FROM workers ORDER BY id",
	} {
		rows, err := db.SQL.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				parts = append(parts, fmtValue(v))
			}
		}
		rows.Close()
		parts = append(parts, "|")
	}
	return strings.Join(parts, " ")
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// TestRetentionPostgres: on PostgreSQL, triggers keep dose records,
// operational doses and the audit log from being deleted, truncated or
// rewritten, whoever runs the statement; migrating again keeps them.
func TestRetentionPostgres(t *testing.T) {
	db := storetest.MustOpen(t)
	if err := db.Migrate(context.Background()); err != nil { // a second start: the triggers are kept
		t.Fatal(err)
	}
	f := newRetentionFixture(t, db)
	checkRetention(t, db, f)
}

// TestRetentionSQLite: the same on the embedded SQLite of `make run`.
func TestRetentionSQLite(t *testing.T) {
	db := storetest.MustOpenSQLite(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := newRetentionFixture(t, db)
	checkRetention(t, db, f)
}
