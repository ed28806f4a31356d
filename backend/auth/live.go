package auth

import (
	"context"

	"golang.org/x/sync/singleflight"
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
	// Every check made under the connection's context reads its viewer of the
	// moment: an event delivered after a grant is revoked resolves its fields
	// and rows under what remains.
	ctx = policy.NewLiveContext(context.WithValue(ctx, liveKey{}, l), l.Viewer)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			next, err := s.recheck(ctx, token, every)
			if err != nil && !IsAuthError(err) {
				continue // a database hiccup: keep the last known viewer
			}
			l.mu.Lock()
			if next != nil && (next.Role != v.Role || !next.Has(v.Role)) {
				// The session switched role (or lost this one): the socket
				// opened under the other ends; the client opens a new one.
				next = nil
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

// recheckCache shares re-authentication between the sockets of one token
// (a person's browser tabs, or a partner's many subscriptions).
type recheckCache struct {
	group singleflight.Group
	mu    sync.Mutex
	items map[string]recheck
}

type recheck struct {
	viewer *policy.Viewer
	err    error
	at     time.Time
}

// recheck re-authenticates token, at most once per ttl for all its sockets.
func (s *Service) recheck(ctx context.Context, token string, ttl time.Duration) (*policy.Viewer, error) {
	c := &s.rechecks
	c.mu.Lock()
	if c.items == nil {
		c.items = map[string]recheck{}
	}
	if it, ok := c.items[token]; ok && time.Since(it.at) < ttl/2 {
		c.mu.Unlock()
		return copyViewer(it.viewer), it.err
	}
	c.mu.Unlock()
	v, err, _ := c.group.Do(token, func() (any, error) {
		v, err := s.Authenticate(context.WithoutCancel(ctx), token)
		c.mu.Lock()
		c.items[token] = recheck{viewer: v, err: err, at: time.Now()}
		for k, it := range c.items {
			if time.Since(it.at) > time.Minute {
				delete(c.items, k)
			}
		}
		c.mu.Unlock()
		return v, err
	})
	vv, _ := v.(*policy.Viewer)
	return copyViewer(vv), err
}

func copyViewer(v *policy.Viewer) *policy.Viewer {
	if v == nil {
		return nil
	}
	cp := *v
	cp.Grants = append([]policy.Grant(nil), v.Grants...)
	return &cp
}
