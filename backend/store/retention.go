package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Retention: dose records, operational doses and the audit log are never
// deleted, and what they say never changes. A correction is a new version
// that supersedes the old one (which stays, no longer current); an audit
// event is appended, never edited. The application keeps to this; the
// database enforces it too, so that a bug or a console session cannot break
// it: triggers refuse DELETE and TRUNCATE on these tables, and an UPDATE of
// any column but the few that record a version's state.
//
// On PostgreSQL the refusals carry their own SQLSTATE and a French message:
const (
	// SQLStateDeleteRefused: DELETE or TRUNCATE of a retained table.
	SQLStateDeleteRefused = "SI001"
	// SQLStateUpdateRefused: UPDATE of a column that never changes.
	SQLStateUpdateRefused = "SI002"
)

// retained is a table under the retention triggers and the columns an UPDATE
// may change (all others never change once written).
type retained struct {
	table string
	// mutable columns change freely.
	mutable []string
	// once columns may be set once, from NULL to a value, never changed after.
	once []string
	// what a row is, in the messages ("une dose enregistrée"), and "of" it
	// ("d'une dose enregistrée").
	what, of string
	// hint says how the data is changed instead.
	hint string
}

// retainedTables are the tables under retention. On dose_records, the
// application updates only the state of a version: current (false once
// superseded; true when the physician accepts a pending laboratory re-send),
// pending, superseded_at, and supersedes_id, set once when a pending re-send
// is accepted (registry.ResolveConflict).
// On audit_events, the sequencer sets seq once, when it chains the event
// (backend/audit).
var retainedTables = []retained{
	{table: "dose_records", mutable: []string{"current", "pending", "superseded_at"}, once: []string{"supersedes_id"},
		what: "une dose enregistrée", of: "d'une dose enregistrée",
		hint: "Une dose se corrige par une nouvelle version qui remplace l'ancienne ; l'ancienne reste enregistrée."},
	{table: "operational_doses", mutable: []string{"current", "superseded_at"},
		what: "un résultat de dosimétrie opérationnelle", of: "d'un résultat de dosimétrie opérationnelle",
		hint: "Un résultat se corrige par une nouvelle version qui remplace l'ancienne ; l'ancienne reste enregistrée."},
	{table: "audit_events", once: []string{"seq"}, what: "un événement du journal d'audit", of: "d'un événement du journal d'audit",
		hint: "Le journal d'audit ne fait que s'allonger : chaque événement est scellé dans un lot chaîné au précédent."},
	{table: "audit_batches", what: "un lot du journal d'audit", of: "d'un lot du journal d'audit",
		hint: "Le journal d'audit ne fait que s'allonger : chaque lot est chaîné au précédent."},
	{table: "audit_subjects", what: "une entrée de l'index du journal d'audit", of: "d'une entrée de l'index du journal d'audit",
		hint: "Le journal d'audit ne fait que s'allonger : chaque événement est chaîné au précédent."},
}

// A retention trigger's comment is its function call: a trigger whose
// comment differs from the call wanted now is dropped and created again at
// migration; one that matches is left alone (no lock on its table).

// protectRetained installs the retention triggers (Migrate runs it after
// the schema is created).
func (db *DB) protectRetained(ctx context.Context) error {
	if db.IsPostgres() {
		return db.protectPostgres(ctx)
	}
	return db.protectSQLite(ctx)
}

// pgFunctions refuse a deletion, and an update of a column that is neither
// among the trigger's arguments nor, prefixed with '+', set from NULL.
// TG_ARGV[0] is what a row is, TG_ARGV[1] "of" it, TG_ARGV[2] the hint; the
// columns follow.
const pgFunctions = `
CREATE OR REPLACE FUNCTION siseri_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
	RAISE EXCEPTION USING ERRCODE = '` + SQLStateDeleteRefused + `',
		MESSAGE = format('Suppression refusée (%s sur %s) : %s ne s''efface jamais.', TG_OP, TG_TABLE_NAME, TG_ARGV[0]),
		HINT = TG_ARGV[2];
END
$fn$;

CREATE OR REPLACE FUNCTION siseri_guard_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
	o jsonb := to_jsonb(OLD);
	n jsonb := to_jsonb(NEW);
	k text;
	allowed text[] := TG_ARGV[3:];
BEGIN
	FOR k IN SELECT jsonb_object_keys(n) ORDER BY 1 LOOP
		CONTINUE WHEN (o -> k) IS NOT DISTINCT FROM (n -> k) OR k = ANY (allowed)
			OR (('+' || k) = ANY (allowed) AND (o -> k) = 'null'::jsonb);
		RAISE EXCEPTION USING ERRCODE = '` + SQLStateUpdateRefused + `',
			MESSAGE = format('Modification refusée : la colonne « %s » %s (table %s, ligne n° %s) ne change jamais une fois écrite.',
				k, TG_ARGV[1], TG_TABLE_NAME, o ->> 'id'),
			HINT = TG_ARGV[2];
	END LOOP;
	RETURN NEW;
END
$fn$;
`

func (db *DB) protectPostgres(ctx context.Context) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	// Instances starting together install the triggers one after the other.
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7305100001)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, pgFunctions); err != nil {
		return fmt.Errorf("retention functions: %w", err)
	}
	for _, t := range retainedTables {
		args := []string{quoteLiteral(t.what), quoteLiteral(t.of), quoteLiteral(t.hint)}
		for _, c := range t.mutable {
			args = append(args, quoteLiteral(c))
		}
		for _, c := range t.once {
			args = append(args, quoteLiteral("+"+c))
		}
		for _, tr := range []struct{ name, when, level, fn string }{
			{"siseri_no_delete", "BEFORE DELETE", "ROW", "siseri_refuse_delete(" + strings.Join(args[:3], ", ") + ")"},
			{"siseri_no_truncate", "BEFORE TRUNCATE", "STATEMENT", "siseri_refuse_delete(" + strings.Join(args[:3], ", ") + ")"},
			{"siseri_no_update", "BEFORE UPDATE", "ROW", "siseri_guard_update(" + strings.Join(args, ", ") + ")"},
		} {
			var comment sql.NullString
			err := tx.QueryRowContext(ctx, `SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t
				WHERE t.tgrelid = to_regclass($1) AND t.tgname = $2`, t.table, tr.name).Scan(&comment)
			if err == nil && comment.String == tr.fn {
				continue
			}
			if err != nil && err != sql.ErrNoRows {
				return fmt.Errorf("find trigger %s on %s: %w", tr.name, t.table, err)
			}
			stmt := fmt.Sprintf(`DROP TRIGGER IF EXISTS %[1]s ON %[2]s;
				CREATE TRIGGER %[1]s %[3]s ON %[2]s FOR EACH %[4]s EXECUTE FUNCTION %[5]s;
				COMMENT ON TRIGGER %[1]s ON %[2]s IS %[6]s`,
				tr.name, t.table, tr.when, tr.level, tr.fn, quoteLiteral(tr.fn))
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("create trigger %s on %s: %w", tr.name, t.table, err)
			}
		}
	}
	return tx.Commit()
}

// protectSQLite installs the same refusals with SQLite triggers
// (RAISE(ABORT, …)), created again at each migration because the update
// trigger lists the table's columns, which migrations may add to. SQLite has
// no TRUNCATE: a DELETE without WHERE fires the delete trigger.
func (db *DB) protectSQLite(ctx context.Context) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, t := range retainedTables {
		cols, err := sqliteColumns(ctx, tx, t.table)
		if err != nil {
			return err
		}
		// changed[i] is true when column names[i] changes in a way not allowed.
		var changed, names []string
		for _, c := range cols {
			switch {
			case slices.Contains(t.mutable, c):
			case slices.Contains(t.once, c):
				changed = append(changed, fmt.Sprintf("(OLD.%[1]q IS NOT NULL AND NEW.%[1]q IS NOT OLD.%[1]q)", c))
				names = append(names, c)
			default:
				changed = append(changed, fmt.Sprintf("NEW.%[1]q IS NOT OLD.%[1]q", c))
				names = append(names, c)
			}
		}
		which := "CASE"
		for i, c := range changed {
			which += fmt.Sprintf(" WHEN %s THEN %s", c, quoteLiteral(names[i]))
		}
		which += " END"
		deleted := quoteLiteral(fmt.Sprintf("Suppression refusée (DELETE sur %s) : %s ne s'efface jamais. %s", t.table, t.what, t.hint))
		updated := fmt.Sprintf("'Modification refusée : la colonne « ' || %s || %s || OLD.id || %s",
			which, quoteLiteral(fmt.Sprintf(" » %s (table %s, ligne n° ", t.of, t.table)), quoteLiteral(") ne change jamais une fois écrite. "+t.hint))
		stmt := fmt.Sprintf(`DROP TRIGGER IF EXISTS siseri_no_delete_%[1]s;
			CREATE TRIGGER siseri_no_delete_%[1]s BEFORE DELETE ON %[1]s BEGIN SELECT RAISE(ABORT, %[2]s); END;
			DROP TRIGGER IF EXISTS siseri_no_update_%[1]s;
			CREATE TRIGGER siseri_no_update_%[1]s BEFORE UPDATE ON %[1]s WHEN %[3]s BEGIN SELECT RAISE(ABORT, %[4]s); END;`,
			t.table, deleted, strings.Join(changed, " OR "), updated)
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create triggers on %s: %w", t.table, err)
		}
	}
	return tx.Commit()
}

func sqliteColumns(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	cols, err := queryStrings(ctx, tx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table %s not found", table)
	}
	return cols, nil
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
