package accesstest

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsResult is what a subscription delivered before it fell idle.
type wsResult struct {
	events []json.RawMessage // payload.data of each "next"
	errors []map[string]any  // payload of an "error" message
}

// subscribe runs query over graphql-transport-ws as s and collects what
// arrives until idle passes with no message.
func (w *world) subscribe(t *testing.T, s *subject, query string, idle time.Duration) wsResult {
	t.Helper()
	w.tally.requests++
	url := "ws" + strings.TrimPrefix(w.srv.URL, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial(url, http.Header{})
	if err != nil {
		t.Fatalf("dial as %s: %v", s, err)
	}
	defer conn.Close()
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.client.Token}})
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}})
	var out wsResult
	wait := 5 * time.Second // the first message (ack) may be slow under load; then idle
	for {
		_ = conn.SetReadDeadline(time.Now().Add(wait))
		var msg struct {
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := conn.ReadJSON(&msg); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return out
			}
			t.Fatalf("read as %s: %v", s, err)
		}
		if msg.Type != "connection_ack" && msg.Type != "ping" && msg.Type != "pong" {
			wait = idle
		}
		switch msg.Type {
		case "next":
			var p struct {
				Data   json.RawMessage  `json:"data"`
				Errors []map[string]any `json:"errors"`
			}
			_ = json.Unmarshal(msg.Payload, &p)
			if len(p.Errors) > 0 {
				out.errors = append(out.errors, p.Errors...)
				continue
			}
			out.events = append(out.events, p.Data)
		case "error":
			var p []map[string]any
			_ = json.Unmarshal(msg.Payload, &p)
			out.errors = append(out.errors, p...)
			return out
		case "complete":
			return out
		}
	}
}

func code(e map[string]any) string {
	ext, _ := e["extensions"].(map[string]any)
	c, _ := ext["code"].(string)
	return c
}

// testSubscriptions replays anomalyRaised for every subject: the stream
// delivers exactly the findings the subject may list, or is refused.
func testSubscriptions(t *testing.T, w *world) {
	const q = `subscription { anomalyRaised { cursor anomaly { id } } }`
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			allowed := s.may("Subscription", "anomalyRaised") && s.may("AnomalyEvent", "cursor") &&
				s.may("AnomalyEvent", "anomaly") && s.may("Anomaly", "id")
			res := w.subscribe(t, s, q, 400*time.Millisecond)
			w.tally.assertions++
			if !allowed {
				if len(res.events) > 0 {
					w.tally.leaks++
					t.Errorf("LEAK anomalyRaised as %s delivered %d events; the table refuses the stream", s, len(res.events))
				} else if len(res.errors) == 0 || code(res.errors[0]) != "FORBIDDEN_FIELD" {
					t.Errorf("anomalyRaised as %s: errors %v, want FORBIDDEN_FIELD", s, res.errors)
				}
				return
			}
			if len(res.errors) > 0 {
				t.Errorf("anomalyRaised as %s refused: %v", s, res.errors)
				return
			}
			var got []int
			for _, e := range res.events {
				var ev struct {
					AnomalyRaised struct{ Anomaly struct{ ID any } }
				}
				_ = json.Unmarshal(e, &ev)
				got = append(got, parseID(ev.AnomalyRaised.Anomaly.ID))
			}
			want, _ := w.visible(s, "anomalies")
			want = w.rootList("anomalies", want) // the live stream leaves the notices out
			if d := want.diff(got); d != "" {
				if strings.Contains(d, "unexpected rows [") {
					w.tally.leaks++
					d = "LEAK " + d
				}
				t.Errorf("anomalyRaised replay as %s: %s", s, d)
			}
		})
	}
	t.Run("ErrEmployerValueThroughStream", func(t *testing.T) {
		// Ensure the stream is refused as a whole when it selects a value the
		// employer may not read.
		s := w.byName["employer(B)"]
		res := w.subscribe(t, s, `subscription { anomalyRaised { anomaly { id score explanation } } }`, 400*time.Millisecond)
		w.tally.assertions++
		if len(res.events) > 0 {
			w.tally.leaks++
			t.Errorf("LEAK anomalyRaised { score explanation } as %s delivered %d events", s, len(res.events))
		} else if len(res.errors) == 0 || code(res.errors[0]) != "FORBIDDEN_FIELD" {
			t.Errorf("anomalyRaised { score } as %s: errors %v, want FORBIDDEN_FIELD", s, res.errors)
		}
	})
}
