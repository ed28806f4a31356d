package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"
)

// CreateDatabase creates an empty PostgreSQL database named prefix followed
// by random hex, on the server of the maintenance database admin, and returns
// its URL and a function that drops it (closing its connections). Tests,
// benchmarks and the detection evaluation work in such throw-away databases.
func CreateDatabase(ctx context.Context, admin, prefix string) (string, func(), error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, fmt.Errorf("parse %s: %w", admin, err)
	}
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close()
	if err := conn.PingContext(ctx); err != nil {
		return "", nil, fmt.Errorf("PostgreSQL is not reachable at %s: %w", u.Redacted(), err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := prefix + hex.EncodeToString(b[:])
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	// The drop connects anew: no connection is held while the database is used.
	return u.String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}, nil
}
