// Package storetest gives tests a throw-away PostgreSQL database, migrated and
// dropped when the test ends. The suite runs on the real PostgreSQL: when it
// cannot be reached the test fails and says what to do; it never skips.
package storetest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
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
	u, drop, err := store.CreateDatabase(ctx, admin, "siseri_test_")
	if err != nil {
		tb.Fatalf("%v.\n"+
			"Run the suite with `make test`, which uses the server on 127.0.0.1:5432 or starts one, "+
			"or set SISERI_TEST_DATABASE_URL to a PostgreSQL maintenance database URL.", err)
	}
	tb.Cleanup(drop)
	return u
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

// Proxy is a TCP relay between a test and the PostgreSQL of AdminURL, that the
// test can cut to simulate a database outage (the server down or unreachable).
type Proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
}

// MustProxy starts a Proxy to the host of rawURL and returns it with rawURL
// rewritten to go through it; the proxy is closed by tb's cleanup.
func MustProxy(tb testing.TB, rawURL string) (*Proxy, string) {
	tb.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatalf("parse %s: %v", rawURL, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	p := &Proxy{ln: ln, target: u.Host, conns: map[net.Conn]bool{}}
	if p.target == "" {
		p.target = "127.0.0.1:5432"
	}
	go p.serve()
	tb.Cleanup(p.Cut)
	u.Host = ln.Addr().String()
	return p, u.String()
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, up) {
			c.Close()
			up.Close()
			return
		}
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *Proxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range cs {
		p.conns[c] = true
	}
	return true
}

func (p *Proxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// Cut stops accepting connections and closes the open ones: the database
// becomes unreachable through the proxy (connection refused).
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
}
