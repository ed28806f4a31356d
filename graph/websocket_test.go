package graph_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

func TestWebsocket(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	c := srv.NewClient(t)
	c.MustLogin("admin@test.fr", servertest.Password)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"

	dial := func(t *testing.T, origin string) *websocket.Conn {
		t.Helper()
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, res, err := d.Dial(url, h)
		if err != nil {
			status := 0
			if res != nil {
				status = res.StatusCode
			}
			t.Fatalf("dial (status %d): %v", status, err)
		}
		t.Cleanup(func() { conn.Close() })
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		return conn
	}
	read := func(t *testing.T, conn *websocket.Conn) map[string]any {
		t.Helper()
		for {
			var msg map[string]any
			if err := conn.ReadJSON(&msg); err != nil {
				t.Fatalf("read: %v", err)
			}
			if msg["type"] == "ping" || msg["type"] == "ka" {
				continue
			}
			return msg
		}
	}

	t.Run("OK", func(t *testing.T) {
		// Ensure a token in connection_init authenticates the socket, which runs operations.
		conn := dial(t, "")
		_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + c.Token}})
		if msg := read(t, conn); msg["type"] != "connection_ack" {
			t.Fatalf("after init: %v", msg)
		}
		_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "{ me { roles } }"}})
		msg := read(t, conn)
		if msg["type"] != "next" || !strings.Contains(toJSON(msg["payload"]), "ADMIN") {
			t.Fatalf("result = %v", msg)
		}
	})

	for _, tc := range []struct {
		name, token string
		code        int
	}{
		{"ErrNoToken", "", 4401},
		{"ErrBadToken", "Bearer ses_inconnu", 4403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Ensure an unauthenticated init is closed with the protocol's code.
			conn := dial(t, "")
			payload := map[string]any{}
			if tc.token != "" {
				payload["Authorization"] = tc.token
			}
			_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": payload})
			var msg map[string]any
			err := conn.ReadJSON(&msg)
			ce, ok := err.(*websocket.CloseError)
			if !ok || ce.Code != tc.code {
				t.Fatalf("close = %v (msg %v), want code %d", err, msg, tc.code)
			}
		})
	}

	t.Run("ErrForeignOrigin", func(t *testing.T) {
		// Ensure a browser page from another origin cannot open a socket.
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
		_, res, err := d.Dial(url, http.Header{"Origin": {"https://evil.example"}})
		if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Fatalf("dial from foreign origin: err %v, response %v; want 403", err, res)
		}
	})
}
