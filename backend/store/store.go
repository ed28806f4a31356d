// Package store opens SISERI's database (PostgreSQL through pgx, or an embedded
// SQLite file through a pure-Go driver), migrates it, and counts statements for
// tests.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver (pure Go)

	"github.com/siseri/siseri/ent"
	_ "github.com/siseri/siseri/ent/runtime" // schema hooks and privacy policies
)

// DB is an open database: the Ent client, the underlying pool and its dialect.
type DB struct {
	// URL is the database URL or SQLite path it was opened with.
	URL     string
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	Driver  *entsql.Driver

	wrap func(dialect.Driver) dialect.Driver
}

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.Dialect == dialect.Postgres }

// Option changes how Open builds the client.
type Option func(*options)

type options struct {
	wrap func(dialect.Driver) dialect.Driver
}

// WithDriverWrapper wraps the Ent driver, e.g. to count statements.
func WithDriverWrapper(w func(dialect.Driver) dialect.Driver) Option {
	return func(o *options) { o.wrap = w }
}

// IsPostgresURL reports whether rawURL names a PostgreSQL database.
func IsPostgresURL(rawURL string) bool {
	return strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://")
}

// SQLiteDSN turns a file path (or an existing file: DSN) into a DSN with the
// pragmas SISERI needs: foreign keys on, a busy timeout and WAL journaling.
func SQLiteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		if !strings.Contains(path, "foreign_keys") {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			path += sep + "_pragma=foreign_keys(1)"
		}
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Write transactions take the lock when they begin, so concurrent writers
	// queue on busy_timeout instead of failing on a lock upgrade.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database named by rawURL: a postgres:// URL, or a SQLite file
// path (its directory is created).
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var (
		db  *sql.DB
		dia string
		err error
	)
	if IsPostgresURL(rawURL) {
		dia = dialect.Postgres
		db, err = sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
	} else {
		dia = dialect.SQLite
		if !strings.HasPrefix(rawURL, "file:") {
			if dir := filepath.Dir(rawURL); dir != "" {
				if err := os.MkdirAll(dir, 0o750); err != nil {
					return nil, fmt.Errorf("create database directory: %w", err)
				}
			}
		}
		db, err = sql.Open("sqlite", SQLiteDSN(rawURL))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// WAL lets readers run beside the one writer; writers queue.
		db.SetMaxOpenConns(4)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dia, err)
	}
	drv := entsql.OpenDB(dia, db)
	var d dialect.Driver = drv
	if o.wrap != nil {
		d = o.wrap(drv)
	}
	client := ent.NewClient(ent.Driver(d))
	registerHooks(client)
	return &DB{URL: rawURL, Client: client, SQL: db, Dialect: dia, Driver: drv, wrap: o.wrap}, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }
