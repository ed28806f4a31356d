// Package servertest runs SISERI's real HTTP handler in-process for tests and
// gives them a small GraphQL client and fixtures.
package servertest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/session"
	"github.com/siseri/siseri/policy"
)

// Server is a running test server.
type Server struct {
	*httptest.Server
	DB  *store.DB
	App *server.Server
}

// MustStart serves db with the production handler on a loopback port.
func MustStart(tb testing.TB, db *store.DB) *Server {
	tb.Helper()
	return MustStartWith(tb, db, nil)
}

// MustStartWith is MustStart with the production configuration changed by
// configure (when not nil).
func MustStartWith(tb testing.TB, db *store.DB, configure func(*server.Config)) *Server {
	tb.Helper()
	// Listen first so that the configuration knows its public URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.StaticDir = ""
	cfg.PublicURL = "http://" + ln.Addr().String()
	if configure != nil {
		configure(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	app := server.New(cfg, db, log)
	ctx, cancel := context.WithCancel(context.Background())
	app.Background(ctx)
	ts := httptest.NewUnstartedServer(app.Handler())
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	tb.Cleanup(func() {
		app.Hub().Close()
		ts.Close()
		cancel()
	})
	return &Server{Server: ts, DB: db, App: app}
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(bytes.TrimSpace(p)))
	return len(p), nil
}

// Client is a GraphQL client with its own cookie jar and optional bearer token.
type Client struct {
	tb    testing.TB
	db    *store.DB
	url   string
	HTTP  *http.Client
	Token string
}

// NewClient returns an anonymous client of s.
func (s *Server) NewClient(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{tb: tb, db: s.DB, url: s.URL + "/graphql", HTTP: &http.Client{Jar: jar, Timeout: 60 * time.Second}}
}

// Response is a GraphQL response.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Status int             `json:"-"`
	Header http.Header     `json:"-"`
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns the extensions.code of the first error, or "".
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Do posts a GraphQL operation and decodes the response; it fails the test on
// transport errors only.
func (c *Client) Do(query string, vars map[string]any) *Response {
	c.tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &Response{Status: res.StatusCode, Header: res.Header}
	if err := json.Unmarshal(raw, out); err != nil {
		c.tb.Fatalf("decode response (status %d): %v\n%s", res.StatusCode, err, raw)
	}
	return out
}

// MustDo is Do that fails the test when the response has errors, and decodes
// data into v when v is not nil.
func (c *Client) MustDo(query string, vars map[string]any, v any) {
	c.tb.Helper()
	res := c.Do(query, vars)
	if len(res.Errors) > 0 {
		c.tb.Fatalf("unexpected errors: %+v\nquery: %s", res.Errors, query)
	}
	if v != nil {
		if err := json.Unmarshal(res.Data, v); err != nil {
			c.tb.Fatalf("decode data: %v\n%s", err, res.Data)
		}
	}
}

// MustLogin signs the client in and keeps the returned token as bearer; the
// session counts as having given its second factor (trustSession).
func (c *Client) MustLogin(email, password string) {
	c.tb.Helper()
	c.MustLoginPending(email, password)
	c.trustSession()
}

// MustLoginPending signs the client in as MustLogin does, but leaves a
// privileged account's session waiting for its second factor.
func (c *Client) MustLoginPending(email, password string) {
	c.tb.Helper()
	var out struct {
		Login struct{ Token string } `json:"login"`
	}
	c.MustDo(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": password}, &out)
	c.Token = out.Login.Token
}

// trustSession records in the database that the client's session gave its
// second factor, as a fixture: tests of everything but the second factor sign
// in privileged accounts with a password alone (graph/secondfactor_test.go
// tests the factor itself through the API).
func (c *Client) trustSession() {
	c.tb.Helper()
	sum := sha256.Sum256([]byte(c.Token)) // sessions store the SHA-256 of their token
	err := c.db.Client.Session.Update().Where(session.TokenHash(sum[:]), session.SecondFactorAtIsNil()).
		SetSecondFactorAt(time.Now()).SetAmr(auth.AMRPasswordOTP).Exec(policy.SystemContext(context.Background()))
	if err != nil {
		c.tb.Fatalf("trust session: %v", err)
	}
}

// Password is the password of the accounts MustCreateAccount makes.
const Password = "mot-de-passe-de-test"

// MustCreateAccount creates an active account with one grant of role (scoped by
// the optional set function) valid since yesterday.
func MustCreateAccount(tb testing.TB, client *ent.Client, email string, role policy.Role, set func(*ent.GrantCreate)) *ent.Account {
	tb.Helper()
	ctx := policy.SystemContext(context.Background())
	hash, err := auth.HashPassword(Password)
	if err != nil {
		tb.Fatal(err)
	}
	acc, err := client.Account.Create().SetEmail(email).SetDisplayName(email).SetPasswordHash(hash).Save(ctx)
	if err != nil {
		tb.Fatalf("create account %s: %v", email, err)
	}
	g := client.Grant.Create().SetAccountID(acc.ID).SetRole(role).SetValidFrom(time.Now().Add(-24 * time.Hour))
	if set != nil {
		set(g)
	}
	if _, err := g.Save(ctx); err != nil {
		tb.Fatalf("create grant: %v", err)
	}
	return acc
}
