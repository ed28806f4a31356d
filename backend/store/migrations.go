package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// Versioned migrations: the schema is created and changed only by the SQL
// files of migrations/<dialect>/ (one directory per dialect, same versions in
// both), generated from ent/schema by `make migration NAME=…` and embedded in
// the binary. Migrate applies the pending ones in order, each in its own
// transaction, and records each version in the revisions table. See
// docs/migrations.md.

//go:embed migrations
var migrationFiles embed.FS

// RevisionsTable records the migrations applied to a database.
const RevisionsTable = "schema_revisions"

// MigrationsDir is where the migration directories are, from the module root.
const MigrationsDir = "backend/store/migrations"

// migrationsLock is the PostgreSQL advisory lock instances take while they
// migrate, so that servers starting together migrate one after the other.
const migrationsLock = 7305100002

// MigrationDirName is the directory of a dialect's migrations under
// MigrationsDir: "postgres" or "sqlite".
func MigrationDirName(dia string) string {
	if dia == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

// EmbeddedMigrations returns the migration directory of the dialect that the
// binary embeds, after checking it against its atlas.sum.
func EmbeddedMigrations(dia string) (migrate.Dir, error) {
	sub, err := fs.Sub(migrationFiles, path.Join("migrations", MigrationDirName(dia)))
	if err != nil {
		return nil, err
	}
	dir, err := CopyDir(sub)
	if err != nil {
		return nil, err
	}
	if err := ValidateDir(dir); err != nil {
		return nil, err
	}
	return dir, nil
}

// embeddedFiles returns the dialect's embedded migrations, in order.
func embeddedFiles(dia string) ([]migrate.File, error) {
	dir, err := EmbeddedMigrations(dia)
	if err != nil {
		return nil, err
	}
	return dir.Files()
}

// CopyDir copies the files of a migration directory into memory.
func CopyDir(from fs.FS) (*migrate.MemDir, error) {
	dir := &migrate.MemDir{}
	entries, err := fs.ReadDir(from, ".")
	if err != nil {
		return nil, fmt.Errorf("read migration directory: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(from, e.Name())
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}

// ValidateDir checks a migration directory against its atlas.sum: a file
// added, edited or removed by hand is refused.
func ValidateDir(dir migrate.Dir) error {
	err := migrate.Validate(dir)
	var ce *migrate.ChecksumError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return fmt.Errorf("migrations : le fichier atlas.sum ne correspond pas aux fichiers (%s %s) ; "+
			"une migration ne se modifie pas à la main, on en ajoute une avec `make migration NAME=…` "+
			"(migration directory does not match atlas.sum: %w)", ce.File, ce.Reason, err)
	case errors.Is(err, migrate.ErrChecksumNotFound):
		return fmt.Errorf("migrations : fichier atlas.sum absent (migration directory has no atlas.sum: %w)", err)
	default:
		return fmt.Errorf("migrations : %w", err)
	}
}

// Applied is a migration that Migrate applied, or marked applied when it
// adopted a database created before versioned migrations (Baseline).
type Applied struct {
	Version, Description string
	Baseline             bool
}

// UnknownRevisionError refuses a database migrated by a newer binary.
type UnknownRevisionError struct{ Version string }

func (e *UnknownRevisionError) Error() string {
	return fmt.Sprintf("la base est à la révision %s, que ce binaire ne connaît pas : elle a été migrée par une version "+
		"plus récente de SISERI, installez-la (database revision %s is unknown to this binary: a newer binary is required)",
		e.Version, e.Version)
}

// Migrate applies the pending migrations, then installs the retention
// triggers (retention.go). Changes are additive only: nothing is ever
// dropped (the migration generator refuses it).
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.MigrateTo(ctx, "")
	return err
}

// MigrateTo applies the pending migrations up to version included (all of
// them when version is empty) and returns them in order.
func (db *DB) MigrateTo(ctx context.Context, version string) ([]Applied, error) {
	all, err := embeddedFiles(db.Dialect)
	if err != nil {
		return nil, err
	}
	files := all
	if version != "" {
		i := slices.IndexFunc(files, func(f migrate.File) bool { return f.Version() == version })
		if i < 0 {
			return nil, fmt.Errorf("migrations : version %s inconnue", version)
		}
		files = files[:i+1]
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.IsPostgres() {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_lock(%d)", migrationsLock)); err != nil {
			return nil, fmt.Errorf("migrations : verrou : %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("SELECT pg_advisory_unlock(%d)", migrationsLock))
		}()
	}
	r := runner{dialect: db.Dialect, conn: conn}
	applied, err := r.run(ctx, all, files)
	if err != nil {
		return applied, err
	}
	if err := db.protectRetained(ctx); err != nil {
		return applied, fmt.Errorf("migrate schema: retention triggers: %w", err)
	}
	return applied, nil
}

// runner applies migration files on one connection.
type runner struct {
	dialect string
	conn    *sql.Conn
}

func (r runner) revisionsDDL() string {
	if r.dialect == dialect.Postgres {
		return `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (version text PRIMARY KEY, description text NOT NULL,
			hash text NOT NULL, baseline boolean NOT NULL DEFAULT false, applied_at timestamptz NOT NULL DEFAULT now())`
	}
	return `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (version text PRIMARY KEY, description text NOT NULL,
		hash text NOT NULL, baseline boolean NOT NULL DEFAULT false, applied_at text NOT NULL DEFAULT CURRENT_TIMESTAMP)`
}

// ph is the dialect's placeholder for argument n (1-based).
func (r runner) ph(n int) string {
	if r.dialect == dialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// run applies files, the first migrations of all that are not applied yet.
func (r runner) run(ctx context.Context, all, files []migrate.File) ([]Applied, error) {
	tables, err := r.tables(ctx)
	if err != nil {
		return nil, err
	}
	var baseline []Applied
	if !slices.Contains(tables, RevisionsTable) && len(tables) > 0 {
		// A database created by Ent's automatic migration, before versioned ones.
		if baseline, err = r.baseline(ctx, files); err != nil {
			return nil, err
		}
	}
	if _, err := r.conn.ExecContext(ctx, r.revisionsDDL()); err != nil {
		return nil, fmt.Errorf("migrations : table %s : %w", RevisionsTable, err)
	}
	done, err := r.revisions(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]migrate.File{}
	for _, f := range files {
		known[f.Version()] = f
	}
	for v, hash := range done {
		f, ok := known[v]
		if !ok {
			if slices.ContainsFunc(all, func(f migrate.File) bool { return f.Version() == v }) {
				continue // applied after the target version (MigrateTo)
			}
			return nil, &UnknownRevisionError{Version: v}
		}
		if h := fileHash(f); h != hash {
			return nil, fmt.Errorf("migrations : la migration %s a changé depuis qu'elle a été appliquée à cette base "+
				"(migration %s was edited after it was applied: hash %s, recorded %s)", f.Name(), v, h, hash)
		}
	}
	applied := baseline
	for _, f := range files {
		if _, ok := done[f.Version()]; ok {
			continue
		}
		if err := r.apply(ctx, f, false); err != nil {
			return applied, err
		}
		applied = append(applied, Applied{Version: f.Version(), Description: f.Desc()})
	}
	return applied, nil
}

// fileHash identifies a migration file's content, as atlas.sum does.
func fileHash(f migrate.File) string {
	sum, err := migrate.NewHashFile([]migrate.File{f})
	if err != nil || len(sum) != 1 {
		return ""
	}
	return sum[0].H
}

// apply runs the statements of f and records it, in one transaction. On
// SQLite, foreign keys are off while it runs (a table rebuilt by a migration
// is dropped and renamed) and checked before the commit.
func (r runner) apply(ctx context.Context, f migrate.File, recordOnly bool) (err error) {
	stmts, err := migrate.Stmts(string(f.Bytes()))
	if err != nil {
		return fmt.Errorf("migration %s : %w", f.Name(), err)
	}
	if r.dialect != dialect.Postgres {
		if _, err := r.conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return err
		}
		defer func() {
			if _, e := r.conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on"); e != nil && err == nil {
				err = e
			}
		}()
	}
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if !recordOnly {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s.Text); err != nil {
				return fmt.Errorf("migration %s, ligne %d : %w", f.Name(), s.Pos, err)
			}
		}
	}
	if r.dialect != dialect.Postgres {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("migration %s : %d lignes violent une clé étrangère (foreign key violations)", f.Name(), n)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (version, description, hash, baseline) VALUES (%s, %s, %s, %s)",
		RevisionsTable, r.ph(1), r.ph(2), r.ph(3), r.ph(4)), f.Version(), f.Desc(), fileHash(f), recordOnly); err != nil {
		return fmt.Errorf("migration %s : %w", f.Name(), err)
	}
	return tx.Commit()
}

// revisions returns the recorded versions and the hashes of their files.
func (r runner) revisions(ctx context.Context) (map[string]string, error) {
	rows, err := r.conn.QueryContext(ctx, "SELECT version, hash FROM "+RevisionsTable)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[string]string{}
	for rows.Next() {
		var v, h string
		if err := rows.Scan(&v, &h); err != nil {
			return nil, err
		}
		done[v] = h
	}
	return done, rows.Err()
}

// tables lists the tables of the database (the current schema on PostgreSQL).
func (r runner) tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if r.dialect == dialect.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	return sortedStrings(queryStrings(ctx, r.conn, q))
}

// columns returns "table.column" for every column of the database's tables
// but the revisions table, sorted.
func (r runner) columns(ctx context.Context) ([]string, error) {
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '` + RevisionsTable + `'`
	if r.dialect == dialect.Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> '` + RevisionsTable + `'`
	}
	return sortedStrings(queryStrings(ctx, r.conn, q))
}

// querier is a *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings returns the first column of the rows of query.
func queryStrings(ctx context.Context, db querier, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// sortedStrings sorts in byte order (a database's collation may not).
func sortedStrings(s []string, err error) ([]string, error) {
	slices.Sort(s)
	return s, err
}

// baseline adopts a database that Ent's automatic migration created (it has
// tables but no revisions table): it finds the last migration whose schema
// (tables and columns, replayed on an in-memory SQLite database) is exactly
// the database's, and records it and the ones before as applied without
// running them. A database that matches none is refused.
func (r runner) baseline(ctx context.Context, files []migrate.File) ([]Applied, error) {
	have, err := r.columns(ctx)
	if err != nil {
		return nil, err
	}
	replay, err := embeddedFiles(dialect.SQLite)
	if err != nil {
		return nil, err
	}
	mem, closeMem, err := OpenDevDatabase(ctx, dialect.SQLite, "")
	if err != nil {
		return nil, err
	}
	defer closeMem()
	memConn, err := mem.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer memConn.Close()
	m := runner{dialect: dialect.SQLite, conn: memConn}
	if _, err := memConn.ExecContext(ctx, m.revisionsDDL()); err != nil {
		return nil, err
	}
	match := -1
	var missing, extra []string
	for i, f := range replay {
		if i >= len(files) || f.Version() != files[i].Version() {
			break
		}
		if err := m.apply(ctx, f, false); err != nil {
			return nil, fmt.Errorf("baseline: replay %s: %w", f.Name(), err)
		}
		want, err := m.columns(ctx)
		if err != nil {
			return nil, err
		}
		missing, extra = difference(want, have), difference(have, want)
		if len(missing) == 0 && len(extra) == 0 {
			match = i
		}
	}
	if match < 0 {
		return nil, fmt.Errorf("la base a été créée avant les migrations versionnées et son schéma ne correspond à "+
			"aucune migration connue (par rapport à la dernière : colonnes absentes %v, colonnes en trop %v) ; "+
			"voir docs/migrations.md (database created by automatic migration matches no migration)", missing, extra)
	}
	if _, err := r.conn.ExecContext(ctx, r.revisionsDDL()); err != nil {
		return nil, err
	}
	var applied []Applied
	for _, f := range files[:match+1] {
		if err := r.apply(ctx, f, true); err != nil {
			return nil, err
		}
		applied = append(applied, Applied{Version: f.Version(), Description: f.Desc(), Baseline: true})
	}
	return applied, nil
}

// difference returns the elements of a (sorted) not in b (sorted).
func difference(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); !ok {
			out = append(out, s)
		}
	}
	return out
}

// String says what happened, in French.
func (a Applied) String() string {
	if a.Baseline {
		return fmt.Sprintf("Migration %s (%s) marquée comme appliquée (base existante)", a.Version, strings.ReplaceAll(a.Description, "_", " "))
	}
	return fmt.Sprintf("Migration %s (%s) appliquée", a.Version, strings.ReplaceAll(a.Description, "_", " "))
}
