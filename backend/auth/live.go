package auth

import (
	"context"
	"sync"
	"time"

	"github.com/siseri/siseri/policy"
)

// Live keeps the viewer of a long-lived connection (a websocket) current: it
// re-authenticates its token every interval, so that a grant revoked or
// expired stops what the connection may receive, and ends the connection when
// the session is gone.
type Live struct {
	mu     sync.RWMutex
	viewer *policy.Viewer
}

type liveKey struct{}

// Viewer returns the current viewer, or nil once the session is gone.
func (l *Live) Viewer() *policy.Viewer {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.viewer
}

// LiveFromContext returns the live viewer of a connection, or nil.
func LiveFromContext(ctx context.Context) *Live {
	l, _ := ctx.Value(liveKey{}).(*Live)
	return l
}

// Watch starts keeping v current for token on a connection whose context is
// ctx; it returns the connection's context, cancelled when the session ends
// (logout, expiry, deactivation) so that the server closes the connection.
func (s *Service) Watch(ctx context.Context, token string, v *policy.Viewer, every time.Duration) context.Context {
	l := &Live{viewer: v}
	ctx, cancel := context.WithCancel(context.WithValue(ctx, liveKey{}, l))
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			next, err := s.Authenticate(ctx, token)
			if err != nil && !IsAuthError(err) {
				continue // a database hiccup: keep the last known viewer
			}
			l.mu.Lock()
			if next != nil {
				next.Role = v.Role // the connection keeps the role it opened with
				if !next.Has(next.Role) {
					next = nil
				}
			}
			l.viewer = next
			l.mu.Unlock()
			if next == nil {
				cancel()
				return
			}
		}
	}()
	return ctx
}
