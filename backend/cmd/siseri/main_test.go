package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeSQLiteDemo is the smoke test of the embedded mode: `siseri serve
// --demo` on a fresh SQLite file seeds the demo data, answers /healthz, and lets
// the demo administrator list workers over HTTP; cancelling shuts it down.
func TestServeSQLiteDemo(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--demo-tick", "0", "--addr", addr, "--static-dir", "",
			"--database-url", filepath.Join(t.TempDir(), "siseri.db")}, io.Discard, &logs)
	}()
	base := "http://" + addr
	waitHealthy(t, base, done, &logs)

	token := login(t, base, "admin@demo.siseri.fr", "siseri-demo")
	body := post(t, base, token, `{ workers(first: 5) { totalCount edges { node { id } } } }`)
	var out struct {
		Data struct {
			Workers struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("workers: %v %s", err, body)
	}
	if len(out.Data.Workers.Edges) != 5 || out.Data.Workers.TotalCount < 1000 {
		t.Fatalf("workers = %d of %d, want 5 of the ~2,000 demo workers", len(out.Data.Workers.Edges), out.Data.Workers.TotalCount)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down within 20 s")
	}
}

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "serve") {
		t.Fatalf("help: %v %q", err, out.String())
	}
	err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard)
	if exitCode(err) != 2 {
		t.Fatalf("unknown command: err %v, exit %d, want 2", err, exitCode(err))
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string, done <-chan error, logs *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s", err, logs)
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("server not healthy after 3 minutes\n%s", logs)
}

func post(t *testing.T, base, token, query string) []byte {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return body
}

func login(t *testing.T, base, email, password string) string {
	t.Helper()
	body := post(t, base, "", fmt.Sprintf(`mutation { login(input: {email: %q, password: %q}) { token } }`, email, password))
	var out struct {
		Data struct{ Login struct{ Token string } }
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Data.Login.Token == "" {
		t.Fatalf("login %s: %v %s", email, err, body)
	}
	return out.Data.Login.Token
}
