package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// broadcaster is the baseline: a bare gorilla/websocket server writing each
// message to every connection, one writer goroutine per connection.
type broadcaster struct {
	up    websocket.Upgrader
	mu    sync.Mutex
	conns []chan []byte
}

func newBroadcaster() *broadcaster {
	return &broadcaster{up: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
}

func (b *broadcaster) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := b.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ch := make(chan []byte, 4096)
	b.mu.Lock()
	b.conns = append(b.conns, ch)
	b.mu.Unlock()
	go func() {
		defer c.Close()
		for msg := range ch {
			if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		}
	}()
	go func() { // drain reads (close frames)
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
}

// broadcast sends message i to every connection and returns when it started.
func (b *broadcaster) broadcast(i int) time.Time {
	msg := []byte(fmt.Sprintf(`{"type":"next","payload":{"data":{"i":%d}}}`, i))
	at := time.Now()
	b.mu.Lock()
	for _, ch := range b.conns {
		select {
		case ch <- msg:
		default:
		}
	}
	b.mu.Unlock()
	return at
}

// FanoutClients is the child side of the fan-out benchmark: n websocket
// clients (mode "siseri": graphql-transport-ws subscriptions to anomalyRaised;
// mode "bare": plain sockets), READY on stdout once connected, then for each
// "i unixnano" line on stdin the commit instant of alert i; once stdin ends
// and every alert has arrived (or 30 s have passed) it prints its report as
// JSON.
func FanoutClients(ctx context.Context, mode, url, token string, n, alerts int, stdin io.Reader, stdout io.Writer) error {
	if _, err := RaiseFileLimit(); err != nil {
		return err
	}
	recv := make([][]int64, n)
	var received atomic.Int64
	conns := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	errs := make(chan error, n)
	for c := 0; c < n; c++ {
		recv[c] = make([]int64, alerts+1)
		wg.Add(1)
		sem <- struct{}{}
		go func(c int) {
			defer wg.Done()
			defer func() { <-sem }()
			conn, err := dial(mode, url, token)
			if err != nil {
				errs <- err
				return
			}
			conns[c] = conn
		}(c)
	}
	wg.Wait()
	select {
	case err := <-errs:
		return report(stdout, clientReport{Error: err.Error()})
	default:
	}
	for c, conn := range conns {
		go readLoop(conn, mode, recv[c], &received)
	}
	time.Sleep(time.Second) // let the server register every subscription
	fmt.Fprintln(stdout, "READY")

	commits := make([]int64, alerts+1)
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		i, _ := strconv.Atoi(f[0])
		at, _ := strconv.ParseInt(f[1], 10, 64)
		if i > 0 && i <= alerts {
			commits[i] = at
		}
	}
	want := int64(n * alerts)
	deadline := time.Now().Add(30 * time.Second)
	for received.Load() < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range conns {
		_ = c.Close()
	}
	lat := make([]float64, 0, want)
	for c := range recv {
		for i := 1; i <= alerts; i++ {
			if at := recv[c][i]; at > 0 && commits[i] > 0 {
				lat = append(lat, float64(at-commits[i])/1e6)
			}
		}
	}
	sort.Float64s(lat)
	rep := clientReport{Received: len(lat), Lost: int(want) - len(lat)}
	if len(lat) > 0 {
		rep.P50ms, rep.P99ms = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return report(stdout, rep)
}

func report(w io.Writer, r clientReport) error {
	return json.NewEncoder(w).Encode(r)
}

func dial(mode, url, token string) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	if mode == "bare" {
		c, _, err := d.Dial(url, nil)
		return c, err
	}
	d.Subprotocols = []string{"graphql-transport-ws"}
	c, _, err := d.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	if err := c.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}}); err != nil {
		return nil, err
	}
	var ack map[string]any
	if err := c.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		return nil, fmt.Errorf("connection_init: %v %v", ack, err)
	}
	err = c.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": `subscription { anomalyRaised { anomaly { explanation } } }`}})
	return c, err
}

// readLoop records the receipt instant of each alert.
func readLoop(c *websocket.Conn, mode string, recv []int64, received *atomic.Int64) {
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now().UnixNano()
		var m struct {
			Type    string `json:"type"`
			Payload struct {
				Data struct {
					I             int `json:"i"`
					AnomalyRaised struct {
						Anomaly struct{ Explanation string }
					}
				}
			}
		}
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		switch m.Type {
		case "ping":
			_ = c.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
			continue
		case "next":
		default:
			continue
		}
		i := m.Payload.Data.I
		if mode != "bare" {
			fmt.Sscanf(m.Payload.Data.AnomalyRaised.Anomaly.Explanation, "alerte %d", &i)
		}
		if i > 0 && i < len(recv) && recv[i] == 0 {
			recv[i] = now
			received.Add(1)
		}
	}
}
