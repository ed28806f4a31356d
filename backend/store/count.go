package store

import (
	"context"
	stdsql "database/sql"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

// CountingDriver wraps an Ent driver and counts the statements sent through it,
// including those of transactions. Tests use it to prove that a query costs a
// fixed number of statements whatever the page size.
type CountingDriver struct {
	dialect.Driver
	n atomic.Int64
}

// NewCountingDriver wraps d.
func NewCountingDriver(d dialect.Driver) *CountingDriver { return &CountingDriver{Driver: d} }

// Count returns the number of statements sent so far.
func (c *CountingDriver) Count() int64 { return c.n.Load() }

// Reset sets the count back to zero.
func (c *CountingDriver) Reset() { c.n.Store(0) }

// Exec counts and forwards a statement.
func (c *CountingDriver) Exec(ctx context.Context, query string, args, v any) error {
	c.n.Add(1)
	return c.Driver.Exec(ctx, query, args, v)
}

// Query counts and forwards a query.
func (c *CountingDriver) Query(ctx context.Context, query string, args, v any) error {
	c.n.Add(1)
	return c.Driver.Query(ctx, query, args, v)
}

// Tx starts a transaction whose statements are counted too.
func (c *CountingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := c.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: &c.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Query(ctx, query, args, v)
}

type execQueryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

// ExecContext counts and forwards a raw statement.
func (c *CountingDriver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	c.n.Add(1)
	return c.Driver.(execQueryer).ExecContext(ctx, query, args...)
}

// QueryContext counts and forwards a raw query.
func (c *CountingDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	c.n.Add(1)
	return c.Driver.(execQueryer).QueryContext(ctx, query, args...)
}

func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	t.n.Add(1)
	return t.Tx.(execQueryer).ExecContext(ctx, query, args...)
}

func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	t.n.Add(1)
	return t.Tx.(execQueryer).QueryContext(ctx, query, args...)
}
