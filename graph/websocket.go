package graph

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// gorillaWS adapts gorilla/websocket to gqlgen's websocket transport (gqlgen
// itself moved to coder/websocket); gorilla's CheckOrigin enforces the origin
// allow-list.
type gorillaWS struct{ upgrader websocket.Upgrader }

func newGorillaWS(allowedOrigins []string) gorillaWS {
	allowed := map[string]bool{}
	for _, o := range allowedOrigins {
		allowed[strings.TrimRight(strings.ToLower(o), "/")] = true
	}
	return gorillaWS{upgrader: websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin: func(r *http.Request) bool {
			origin := r.Header.Get("Origin")
			if origin == "" {
				return true // not a browser: authenticated by its token
			}
			u, err := url.Parse(origin)
			if err != nil {
				return false
			}
			return strings.EqualFold(u.Host, r.Host) || allowed[strings.ToLower(origin)]
		},
	}}
}

func (g gorillaWS) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	up := g.upgrader
	up.Subprotocols = append(append([]string{}, up.Subprotocols...), o.Subprotocols...)
	c, err := up.Upgrade(w, r, o.ResponseHeader)
	if err != nil {
		return nil, err
	}
	return gorillaConn{c}, nil
}

type gorillaConn struct{ c *websocket.Conn }

func (g gorillaConn) Close() error { return g.c.Close() }

func (g gorillaConn) NextReader() (int, io.Reader, error) {
	t, r, err := g.c.NextReader()
	var ce *websocket.CloseError
	if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseNoStatusReceived) {
		return t, nil, transport.ErrWebsocketClosed
	}
	return t, r, err
}

// WriteJSON is serialised by gqlgen under its own mutex.
func (g gorillaConn) WriteJSON(v any) error { return g.c.WriteJSON(v) }

func (g gorillaConn) WriteClose(code int, msg string) error {
	return g.c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, msg), time.Now().Add(time.Second))
}

func (g gorillaConn) Subprotocol() string               { return g.c.Subprotocol() }
func (g gorillaConn) SetReadLimit(n int64)              { g.c.SetReadLimit(n) }
func (g gorillaConn) SetReadDeadline(t time.Time) error { return g.c.SetReadDeadline(t) }
