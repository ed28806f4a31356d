// Package storetest gives tests a throw-away PostgreSQL database, migrated and
// dropped when the test ends. The suite runs on the real PostgreSQL: when it
// cannot be reached the test fails and says what to do; it never skips.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/store"
)

// DefaultAdminURL is the PostgreSQL that tests use when SISERI_TEST_DATABASE_URL
// is not set: the server at 127.0.0.1:5432 with trust authentication.
const DefaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL returns the URL of the maintenance database tests create their
// databases from.
func AdminURL() string {
	if u := os.Getenv("SISERI_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultAdminURL
}

// MustCreateDatabase creates an empty PostgreSQL database for tb and returns its
// URL; the database is dropped by tb's cleanup.
func MustCreateDatabase(tb testing.TB) string {
	tb.Helper()
	admin := AdminURL()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("open %s: %v", admin, err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("PostgreSQL is not reachable at %s (%v).\n"+
			"Run the suite with `make test`, which uses the server on 127.0.0.1:5432 or starts one, "+
			"or set SISERI_TEST_DATABASE_URL to a PostgreSQL maintenance database URL.", admin, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "siseri_test_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db, err := sql.Open("pgx", admin)
		if err != nil {
			tb.Errorf("drop database %s: %v", name, err)
			return
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("parse %s: %v", admin, err)
	}
	u.Path = "/" + name
	return u.String()
}

// MustOpen returns a migrated, empty PostgreSQL database for tb.
func MustOpen(tb testing.TB, opts ...store.Option) *store.DB {
	tb.Helper()
	dsn := MustCreateDatabase(tb)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, opts...)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return db
}

// MustOpenSQLite returns a migrated SQLite database in tb's temporary directory,
// for the smoke tests of the embedded mode.
func MustOpenSQLite(tb testing.TB, opts ...store.Option) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, fmt.Sprintf("%s/siseri.db", tb.TempDir()), opts...)
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate sqlite: %v", err)
	}
	return db
}
