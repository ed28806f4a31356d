package store

import (
	"context"
	stdsql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/siseri/siseri/ent"
)

// Copier bulk-loads rows with PostgreSQL's COPY inside the transaction it was
// opened with.
type Copier interface {
	CopyFrom(ctx context.Context, table string, columns []string, rows pgx.CopyFromSource) (int64, error)
}

type copierKey struct{}

// CopierFromContext returns the COPY access of the transaction in ctx, or nil
// (SQLite, or a transaction not opened by OpenTx).
func CopierFromContext(ctx context.Context) Copier {
	c, _ := ctx.Value(copierKey{}).(Copier)
	return c
}

// OpenTx opens a transaction and returns a context carrying it (ent.TxFromContext,
// ent.FromContext) and, on PostgreSQL, its COPY access (CopierFromContext). On
// PostgreSQL the transaction runs on a connection of its own, so that COPY
// (pgx CopyFrom) writes in the same transaction as the Ent statements; the
// connection returns to the pool when the transaction ends. It satisfies
// entgql.TxOpener, so GraphQL mutations get the same transactions.
func (db *DB) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	if db.Dialect != dialect.Postgres {
		return db.Client.OpenTx(ctx)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("open transaction: %w", err)
	}
	var d dialect.Driver = &connDriver{Driver: entsql.NewDriver(dialect.Postgres, entsql.Conn{ExecQuerier: conn}), conn: conn}
	if db.wrap != nil {
		d = db.wrap(d)
	}
	client := ent.NewClient(ent.Driver(d))
	registerHooks(client)
	tx, err := client.Tx(ctx)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("open transaction: %w", err)
	}
	release := func() { conn.Close() }
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			defer release()
			return next.Commit(ctx, tx)
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			defer release()
			return next.Rollback(ctx, tx)
		})
	})
	ctx = ent.NewTxContext(ctx, tx)
	ctx = ent.NewContext(ctx, tx.Client())
	ctx = context.WithValue(ctx, copierKey{}, connCopier{conn})
	return ctx, tx, nil
}

// connDriver is an Ent driver on one pooled connection.
type connDriver struct {
	*entsql.Driver
	conn *stdsql.Conn
}

// Tx begins a transaction on the connection.
func (d *connDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

// BeginTx begins a transaction on the connection.
func (d *connDriver) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &entsql.Tx{Conn: entsql.Conn{ExecQuerier: tx}, Tx: tx}, nil
}

// Close is a no-op: the connection is released when the transaction ends.
func (d *connDriver) Close() error { return nil }

type connCopier struct{ conn *stdsql.Conn }

func (c connCopier) CopyFrom(ctx context.Context, table string, columns []string, rows pgx.CopyFromSource) (int64, error) {
	var n int64
	err := c.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("copy: not a pgx connection")
		}
		var err error
		n, err = sc.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, rows)
		return err
	})
	return n, err
}
